"""
`citcert batch` over a generated state folder: 30 filled workbooks and three broken ones.

The workbooks are the mini standard's template filled with openpyxl, ratings and numbers drawn
from a seeded random generator, so every run of the suite sees the same state. The big runs
write JSON reports only (fast); one small run writes every format.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from pypdf import PdfReader

from citcert.app.batch import BatchStarted, RollupWriting, WorkbookFinished, run_batch
from citcert.app.discovery import discover, unique_slug
from citcert.app.manifest import MANIFEST
from citcert.audit.assessment import Assessment, Status
from citcert.audit.rollup import Rollup
from citcert.cli import cli
from citcert.cli.batch import _BatchProgress
from citcert.errors import ExitCode, WorkbookError
from citcert.export import Format
from citcert.standards.model import Standard
from citcert.standards.store import StandardsStore
from citcert.workbook.template import render_template
from tests.audit.workbook_filler import MINI, blank, dump_yaml, fill, load_yaml, save

EXAMPLES = Path(__file__).parents[2] / "examples"
STATE_SIZE = 30
SHARED_NAME = "Lakeside CIT"
HOSTILE_NAME = "@SUM(1+1)*cmd|' /C calc'!A0 CIT"
BROKEN = ("broken/bad-rating.xlsx", "broken/not-a-zip.xlsx", "broken/wrong-standard.xlsx")
LEVELS = ("Met", "Partially met", "Not met")


def program(index: int, rng: random.Random) -> dict[str, Any]:
    """One program's answers, varied by the seeded generator (names shared by a few)."""
    name = SHARED_NAME if index in (3, 13, 23) else f"County {index:02d} CIT"
    name = HOSTILE_NAME if index == 5 else name
    patrol = rng.randint(40, 200)
    answers: dict[str, dict[str, object]] = {
        rid: {"Self rating": rng.choice(LEVELS), "Evidence summary": "In the program binder."}
        for rid in ("PART-01", "PART-02", "TRN-01", "TRN-02", "TRN-03")
    }
    answers["TRN-02"]["Metric value"] = rng.choice((24, 34, 40, 48))
    if rng.random() < 0.3:
        answers["TRN-03"] = {"Self rating": "Not applicable", "Evidence summary": "No schools."}
    return {
        "profile": {
            "program_name": name,
            "jurisdiction": f"County {index:02d}",
            "state": "OH",
            "agencies": "Sheriff's Office",
            "coordinator": "Coordinator",
            "contact": "cit@example.org",
            "assessment_type": "Self-assessment",
            "assessment_date": dt.datetime(2024, 5, 1) + dt.timedelta(days=index),
        },
        "numbers": {
            "patrol_officers": patrol,
            "cit_officers": rng.randint(0, patrol // 2),
            "last_committee_meeting": dt.datetime(2024, 5, 1) - dt.timedelta(rng.randint(5, 300)),
        },
        "answers": answers,
    }


def write_program(path: Path, index: int, rng: random.Random) -> Path:
    """Fill the mini template with `program(index)` and save it at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return save(fill(blank(), documents=(), **program(index, rng)), path)


def other_version(version: str) -> Standard:
    """The mini standard under another version, for a workbook made for the wrong standard."""
    raw = load_yaml(MINI)
    raw["version"] = version
    return Standard.model_validate(raw)


def write_broken(root: Path, rng: random.Random) -> None:
    """The three broken workbooks: a bad rating, not a workbook at all, the wrong standard."""
    bad = write_program(root / BROKEN[0], 99, rng)
    book = load_workbook(bad)
    from tests.audit.workbook_filler import set_answer

    set_answer(book, "TRN-01", "Self rating", "Yes please")
    book.save(bad)
    (root / BROKEN[1]).write_bytes(b"\x00\x01 this is not a spreadsheet \x02" * 10)
    wrong = load_workbook(io.BytesIO(render_template(other_version("2.0"))))
    save(fill(wrong, documents=(), **program(98, rng)), root / BROKEN[2])


@pytest.fixture(scope="session")
def standards_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A standards folder holding the mini standard (``mini-standard@1.0``) only."""
    folder = tmp_path_factory.mktemp("standards")
    dump_yaml(load_yaml(MINI), folder / "mini.yaml")
    return folder


@pytest.fixture(scope="session")
def state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated state folder: 30 programs in three county folders, 3 broken, some noise."""
    root = tmp_path_factory.mktemp("state")
    rng = random.Random(20240601)
    for index in range(STATE_SIZE):
        write_program(root / f"region-{index % 3}" / f"program-{index:02d}.xlsx", index, rng)
    write_broken(root, rng)
    (root / "region-0" / "~$program-00.xlsx").write_bytes(b"lock")
    (root / "region-0" / ".hidden.xlsx").write_bytes(b"hidden")
    (root / "region-0" / "notes.txt").write_text("not a workbook", encoding="utf-8")
    return root


def invoke(args: list[str], standards: Path) -> Result:
    """Run ``citcert --standards-dir STANDARDS ARGS`` in this process."""
    return CliRunner().invoke(cli, ["--standards-dir", str(standards), *args])


def run_state(state: Path, standards: Path, out: Path, jobs: int) -> Result:
    args = [str(state), "-o", str(out), "--standard", "mini-standard@1.0", "--format", "json"]
    return invoke(["batch", *args, "--jobs", str(jobs)], standards)


@pytest.fixture(scope="module")
def one_job(state: Path, standards_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The state audited with one job (in this process); the output folder."""
    out = tmp_path_factory.mktemp("one") / "out"
    result = run_state(state, standards_dir, out, 1)
    assert result.exit_code == ExitCode.INPUT_ERROR, result.output
    return out


@pytest.fixture(scope="module")
def two_jobs(state: Path, standards_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Result:
    """The state audited with two worker processes; the CLI result (output in ``.out``)."""
    out = tmp_path_factory.mktemp("two") / "out"
    result = run_state(state, standards_dir, out, 2)
    result.out = out  # type: ignore[attr-defined]
    return result


def rollup_of(out: Path) -> Rollup:
    return Rollup.model_validate_json((out / "summary.json").read_bytes())


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


class TestStateBatch:
    """The 30-workbook state run."""

    def test_exit_status_is_2_and_every_broken_file_is_named_with_its_reason(
        self, two_jobs: Result
    ) -> None:
        """A run with broken workbooks still finishes, exits 2 and says why each one failed."""
        assert two_jobs.exit_code == ExitCode.INPUT_ERROR
        for name in BROKEN:
            assert f"Could not audit {name}:" in two_jobs.stderr
        assert "Yes please" in two_jobs.stderr
        assert "mini-standard@2.0" in two_jobs.stderr
        assert "33 workbooks: 30 audited" in two_jobs.stdout

    def test_rollup_lists_every_workbook_and_each_failure_with_its_location(
        self, two_jobs: Result
    ) -> None:
        """Broken files are rows with located messages; lock, hidden and other files are skipped."""
        rollup = rollup_of(two_jobs.out)  # type: ignore[attr-defined]

        files = [row.file for row in rollup.rows]
        assert (STATE_SIZE + len(BROKEN), STATE_SIZE, len(BROKEN)) == (
            rollup.workbooks,
            rollup.audited,
            rollup.failed,
        )
        assert sorted(files) == files
        assert not any("~$" in f or ".hidden" in f for f in files)
        errors = {row.file: "\n".join(row.messages) for row in rollup.rows if not row.audited}
        assert set(BROKEN) == set(errors)
        assert "Evidence!" in errors["broken/bad-rating.xlsx"]
        assert "not-a-zip.xlsx" in errors["broken/not-a-zip.xlsx"]
        assert "mini-standard@2.0" in errors["broken/wrong-standard.xlsx"]

    def test_summary_json_gives_each_failure_as_fields_and_null_for_what_is_missing(
        self, two_jobs: Result
    ) -> None:
        """A failed row: problems with file, sheet and cell; null, not "", where no audit ran."""
        out: Path = two_jobs.out  # type: ignore[attr-defined]
        data = json.loads((out / "summary.json").read_bytes())
        jsonschema.validate(data, json.loads(CliRunner().invoke(cli, ["schema", "rollup"]).stdout))
        rows = {row["file"]: row for row in data["rows"]}

        assert data["schema_version"] == "2.3"
        bad = rows["broken/bad-rating.xlsx"]
        assert bad["audited"] is False
        assert [(p["file"], p["sheet"]) for p in bad["errors"]] == [("bad-rating.xlsx", "Evidence")]
        assert bad["errors"][0]["cell"][0] == "H" and bad["errors"][0]["message"]
        assert bad["errors"][0]["subject"].endswith("self rating")
        for key in ("program", "jurisdiction", "standard", "decision", "reports", "domain_scores"):
            assert bad[key] is None, key
        not_zip = rows["broken/not-a-zip.xlsx"]["errors"]
        assert [(p["file"], p["sheet"], p["cell"]) for p in not_zip] == [
            ("not-a-zip.xlsx", None, None)
        ]
        audited = next(row for row in data["rows"] if row["audited"])
        assert audited["errors"] == [] and isinstance(audited["program"], str)
        assert set(audited) == set(bad)

    def test_rollup_counts_match_the_individual_audits(self, two_jobs: Result) -> None:
        """Every row, decision count and requirement tally agrees with the per-program JSON."""
        out: Path = two_jobs.out  # type: ignore[attr-defined]
        rollup = rollup_of(out)
        audits = {}
        for row in rollup.rows:
            if row.audited:
                audits[row.file] = Assessment.model_validate_json(
                    (out / row.reports / f"{row.reports}.json").read_bytes()
                )
        for row in rollup.rows:
            if row.audited:
                a = audits[row.file]
                assert (a.decision.label, a.overall_score) == (row.decision, row.overall_score)
                assert (a.counts.core_gaps, a.counts.other_gaps) == (row.core_gaps, row.other_gaps)
                assert {d.domain_id: d.score for d in a.domains} == row.domain_scores
        decisions = Counter(a.decision.label for a in audits.values())
        assert {d.label: d.programs for d in rollup.decisions} == {
            d.label: decisions.get(d.label, 0) for d in rollup.decisions
        }
        for tally in rollup.requirements:
            results = [
                r
                for a in audits.values()
                for r in a.results
                if r.requirement_id == tally.requirement_id
            ]
            gaps = sum(
                tally.requirement_id in {g.requirement_id for g in a.gaps} for a in audits.values()
            )
            assert sum(r.status is Status.MET for r in results) == tally.met
            assert gaps == tally.gaps
            assert sum(r.status is not Status.NOT_APPLICABLE for r in results) == tally.applicable

    def test_requirements_are_sorted_most_common_gap_first(self, two_jobs: Result) -> None:
        """The state's most common gaps come first."""
        gaps = [t.gaps for t in rollup_of(two_jobs.out).requirements]  # type: ignore[attr-defined]

        assert sorted(gaps, reverse=True) == gaps

    def test_one_job_and_two_jobs_write_identical_files(
        self, one_job: Path, two_jobs: Result
    ) -> None:
        """The roll-up and every program's report are byte-identical whatever --jobs is."""
        first, second = tree(one_job), tree(two_jobs.out)  # type: ignore[attr-defined]

        assert sorted(first) == sorted(second)
        for name in ("summary.xlsx", "summary.csv", "summary.json", "summary.pdf"):
            assert first[name] == second[name], name
        assert first == second

    def test_programs_sharing_a_name_get_distinct_stable_folders(self, two_jobs: Result) -> None:
        """Three programs named alike get three folders; the suffix comes from the file path."""
        rows = [r for r in rollup_of(two_jobs.out).rows if r.program == SHARED_NAME]  # type: ignore[attr-defined]
        slugs = [r.reports for r in rows]

        assert len(set(slugs)) == 3
        assert slugs[0] == "lakeside-cit"
        assert all(s.startswith("lakeside-cit-") for s in slugs[1:])
        assert slugs[1] == unique_slug("lakeside-cit", rows[1].file, {"lakeside-cit"})

    def test_workbook_text_is_formula_neutralised_in_csv_and_xlsx(self, two_jobs: Result) -> None:
        """A program name that looks like a formula stays text in the CSV and the XLSX."""
        out: Path = two_jobs.out  # type: ignore[attr-defined]
        csv_text = (out / "summary.csv").read_text(encoding="utf-8-sig")
        sheet = load_workbook(out / "summary.xlsx")["Programs"]

        assert "'@SUM(1+1)" in csv_text
        names = [c.value for c in sheet["B"]]
        assert "'" + HOSTILE_NAME in names
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


class TestSmallRuns:
    """Small runs for one behaviour each."""

    @pytest.fixture
    def folder(self, tmp_path: Path) -> Path:
        rng = random.Random(7)
        for index in range(2):
            write_program(tmp_path / "in" / f"p{index}.xlsx", index, rng)
        return tmp_path / "in"

    def test_every_format_is_written_for_every_program(
        self, folder: Path, standards_dir: Path, tmp_path: Path
    ) -> None:
        """Without --format each program gets PDF, XLSX, JSON and Markdown; exit status 0."""
        out = tmp_path / "out"
        result = invoke(["batch", str(folder), "-o", str(out)], standards_dir)

        assert result.exit_code == ExitCode.OK, result.output
        assert "2 workbooks: 2 audited" in result.stdout
        names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
        for slug in ("county-00-cit", "county-01-cit"):
            assert {f"{slug}/{slug}.{s}" for s in ("pdf", "xlsx", "json", "md")} <= names
        assert {"summary.pdf", "summary.xlsx", "summary.csv", "summary.json", MANIFEST} <= names
        assert "\r" not in result.output

    def test_rerun_replaces_only_what_citcert_wrote(
        self, folder: Path, standards_dir: Path, tmp_path: Path
    ) -> None:
        """Foreign files stay; a program no longer in the input keeps its reports (none new)."""
        out = tmp_path / "out"
        invoke(["batch", str(folder), "-o", str(out), "--format", "json"], standards_dir)
        (out / "state-notes.txt").write_text("ours", encoding="utf-8")
        (out / "county-00-cit" / "reviewer-notes.txt").write_text("ours", encoding="utf-8")
        (folder / "p1.xlsx").unlink()

        result = invoke(["batch", str(folder), "-o", str(out), "--format", "json"], standards_dir)

        assert result.exit_code == ExitCode.OK
        assert (out / "state-notes.txt").exists()
        assert (out / "county-00-cit" / "reviewer-notes.txt").exists()
        assert (out / "county-01-cit" / "county-01-cit.json").exists()
        assert "Kept the earlier reports county-01-cit/" in result.stderr
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        assert "county-00-cit/county-00-cit.json" in manifest["files"]
        assert "county-01-cit/county-01-cit.json" in manifest["files"]
        assert "state-notes.txt" not in manifest["files"]

    def test_reports_written_into_the_input_folder_are_not_audited_next_time(
        self, folder: Path, standards_dir: Path
    ) -> None:
        """With OUTDIR the input folder itself, a re-run still finds only the two workbooks."""
        args = ["batch", str(folder), "-o", str(folder), "--format", "xlsx,json"]
        invoke(args, standards_dir)

        result = invoke(args, standards_dir)

        assert result.exit_code == ExitCode.OK, result.output
        assert "2 workbooks: 2 audited" in result.stdout

    def test_a_tampered_manifest_cannot_delete_outside_the_folder(
        self, folder: Path, standards_dir: Path, tmp_path: Path
    ) -> None:
        """Manifest entries that leave the output folder are ignored."""
        out = tmp_path / "out"
        out.mkdir()
        victim = tmp_path / "victim.txt"
        victim.write_text("keep me", encoding="utf-8")
        entries = ["../victim.txt", str(victim), "summary.csv"]
        (out / MANIFEST).write_text(json.dumps({"files": entries}), encoding="utf-8")

        invoke(["batch", str(folder), "-o", str(out), "--format", "json"], standards_dir)

        assert victim.exists()

    def test_fail_below_exits_1_and_a_failure_wins_with_2(
        self, folder: Path, standards_dir: Path, tmp_path: Path
    ) -> None:
        """Below the level alone is 1; with a broken workbook as well it is 2."""
        args = ["batch", str(folder), "-o", str(tmp_path / "o"), "--format", "json"]
        below = invoke([*args, "--fail-below", "certified"], standards_dir)
        (folder / "broken.xlsx").write_bytes(b"nothing")
        both = invoke([*args, "--fail-below", "certified"], standards_dir)

        assert below.exit_code == ExitCode.BELOW_LEVEL, below.output
        assert "below certified" in below.stderr
        assert both.exit_code == ExitCode.INPUT_ERROR

    def test_fail_below_takes_a_label_and_words_an_unknown_level_as_audit_does(
        self, folder: Path, standards_dir: Path, tmp_path: Path
    ) -> None:
        """--fail-below Certified is the level certified; an unknown level lists the level ids."""
        args = ["batch", str(folder), "-o", str(tmp_path / "o"), "--format", "json"]
        by_label = invoke([*args, "--fail-below", "Certified"], standards_dir)
        unknown = invoke(
            [*args, "--standard", "mini-standard", "--fail-below", "gold"], standards_dir
        )

        assert by_label.exit_code == ExitCode.BELOW_LEVEL, by_label.output
        assert "below Certified (--fail-below)" in by_label.stderr
        assert (
            "--fail-below: 'gold' is not a decision level of mini-standard@1.0; "
            "use one of certified, conditional, not_certified"
        ) in unknown.stderr

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            (["--standard", "no-such-standard"], "no-such-standard"),
            (["--standard", "mini-standard", "--fail-below", "gold"], "gold"),
            (["--format", "terminal"], "terminal is for the screen"),
        ],
    )
    def test_bad_options_stop_the_run_before_anything_is_written(
        self, folder: Path, standards_dir: Path, tmp_path: Path, extra: list[str], message: str
    ) -> None:
        """An unknown standard, decision level or format is exit 2 with no output folder."""
        out = tmp_path / "out"
        result = invoke(["batch", str(folder), "-o", str(out), *extra], standards_dir)

        assert result.exit_code == ExitCode.INPUT_ERROR
        assert message in result.stderr
        assert not out.exists()

    def test_a_path_that_names_nothing_is_an_error_with_its_location(
        self, standards_dir: Path, tmp_path: Path
    ) -> None:
        """A missing folder and an empty glob are each named; nothing is written."""
        out = tmp_path / "out"
        result = invoke(
            ["batch", str(tmp_path / "nope"), str(tmp_path / "*.xlsx"), "-o", str(out)],
            standards_dir,
        )

        assert result.exit_code == ExitCode.INPUT_ERROR
        assert "nope: there is no file or folder here" in result.stderr
        assert "no file or folder matches this pattern" in result.stderr
        assert not out.exists()

    def test_recorded_standards_are_used_without_standard(
        self, folder: Path, standards_dir: Path, tmp_path: Path
    ) -> None:
        """Without --standard each workbook's own standard is used; an unknown one fails its row."""
        wrong = load_workbook(io.BytesIO(render_template(other_version("9.9"))))
        save(fill(wrong, documents=()), folder / "future.xlsx")

        result = invoke(
            ["batch", str(folder), "-o", str(tmp_path / "o"), "--format", "json"], standards_dir
        )

        assert result.exit_code == ExitCode.INPUT_ERROR
        assert "Could not audit future.xlsx" in result.stderr
        assert "no version 9.9" in result.stderr
        assert "3 workbooks: 2 audited" in result.stdout


class TestOneProgramInTwoWorkbooks:
    """A program's self-assessment and its review in one batch: both listed, counted once."""

    def test_each_row_says_whose_ratings_and_the_program_is_counted_once(
        self, tmp_path: Path
    ) -> None:
        """
        A state analyst must not read two workbooks of one program as two programs: every
        format says which row is a self-assessment and which a review, counts the review (the
        same day as the self-assessment), says the other is not counted and why, and the
        summary names the program that is in both; a program in one workbook is not named.
        """
        folder = tmp_path / "state"
        folder.mkdir()
        for name in ("lakemont-metro.xlsx", "lakemont-metro-review.xlsx", "brennan-county.xlsx"):
            (folder / name).write_bytes((EXAMPLES / name).read_bytes())
        out = tmp_path / "out"

        result = CliRunner().invoke(cli, ["batch", str(folder), "-o", str(out), "--format", "json"])

        sentence = (
            "Lakemont Metropolitan CIT Partnership is in 2 workbooks (lakemont-metro-review.xlsx, "
            "a review of 2025-09-15; lakemont-metro.xlsx, a self-assessment of 2025-09-15) and is "
            "counted once, by lakemont-metro-review.xlsx."
        )
        why = (
            "Not counted: this program's review of 2025-09-15 (lakemont-metro-review.xlsx) is "
            "counted instead."
        )
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("3 workbooks: 3 audited, 2 programs (1 Meets the standard")
        assert sentence in result.stdout
        assert "Brennan" not in result.stdout.split("audited")[-1]
        data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assert [(r["file"], r["mode"], r["counted"]) for r in data["rows"]] == [
            ("brennan-county.xlsx", "self", True),
            ("lakemont-metro-review.xlsx", "review", True),
            ("lakemont-metro.xlsx", "self", False),
        ]
        assert data["rows"][2]["not_counted"] == why
        assert (data["audited"], data["programs"]) == (3, 2)
        assert sum(d["programs"] for d in data["decisions"]) == 2
        assert {t["programs"] for t in data["requirements"]} == {2}
        assert sentence in data["summary"]
        table = list(csv.DictReader(io.StringIO((out / "summary.csv").read_text("utf-8-sig"))))
        assert [r["Assessment"] for r in table] == ["Self-assessment", "Review", "Self-assessment"]
        assert [r["Counted"] for r in table] == ["yes", "yes", "no"]
        pdf = " ".join(
            " ".join(page.extract_text().split())
            for page in PdfReader(io.BytesIO((out / "summary.pdf").read_bytes())).pages
        )
        assert "Meets the standard (review)" in pdf
        assert "Meets the standard (self-assessment; not counted)" in pdf
        assert f"lakemont-metro.xlsx: {why}" in pdf
        assert "City of Lakemont and Lake County · lakemont-metro.xlsx · not counted" in pdf
        assert " ".join(sentence.split()) in pdf
        html = (out / "summary.html").read_text(encoding="utf-8")
        assert '<span class="muted">review</span>' in html
        assert f'<span class="muted">{why}</span>'.replace("'s", "&#39;s") in html
        assert "<dt>Programs counted</dt><dd>2: each program once" in html
        assert sentence in html

    @pytest.mark.parametrize(
        ("day", "exit_code"), [(dt.date(2025, 9, 15), 0), (dt.date(2026, 1, 1), 1)]
    )
    def test_fail_below_is_a_bar_for_the_counted_workbook(
        self, tmp_path: Path, day: dt.date, exit_code: int
    ) -> None:
        """
        A copy of Lakemont's self-assessment rated Not met throughout (below "Meets the
        standard"): on the review's day it is not counted and does not fail the run; dated
        after it, it is the program's latest assessment and does.
        """
        from citcert.workbook import layout as L

        folder = tmp_path / "state"
        folder.mkdir()
        (folder / "lakemont-metro-review.xlsx").write_bytes(
            (EXAMPLES / "lakemont-metro-review.xlsx").read_bytes()
        )
        book = load_workbook(EXAMPLES / "lakemont-metro.xlsx")
        for cell in book[L.PROGRAM_SHEET]["A"]:
            if cell.value == "assessment_date":
                book[L.PROGRAM_SHEET].cell(cell.row, 3).value = dt.datetime.combine(day, dt.time())
        evidence = book[L.EVIDENCE_SHEET]
        header = next(c for c in evidence[L.FIRST_DATA_ROW - 1] if c.value == "Self rating")
        for row in range(L.FIRST_DATA_ROW, evidence.max_row + 1):
            if evidence.cell(row, header.column).value:
                evidence.cell(row, header.column).value = "Not met"
        book.save(folder / "lakemont-metro.xlsx")

        result = CliRunner().invoke(
            cli, ["batch", str(folder), "-o", str(tmp_path / "out"), "--format", "json",
                  "--fail-below", "Meets the standard"],
        )  # fmt: skip

        assert result.exit_code == exit_code, result.output
        said = "lakemont-metro.xlsx: the decision is below Meets the standard"
        assert (said in result.stderr) is bool(exit_code)
        assert "counted once, by lakemont-metro" in result.stdout

    def test_a_name_repeated_from_a_workbook_stays_on_one_line(self, tmp_path: Path) -> None:
        """A program name with a line break and a direction override cannot forge a line."""
        folder = tmp_path / "state"
        folder.mkdir()
        forged = "Riverton\n4 workbooks: 4 audited (4 Meets the standard).\u202e"
        for name in ("a.xlsx", "b.xlsx"):
            book = load_workbook(EXAMPLES / "brennan-county.xlsx")
            book["Program"]["C4"] = forged
            book.save(folder / name)

        result = CliRunner().invoke(cli, ["batch", str(folder), "-o", str(tmp_path / "o")])

        assert result.exit_code == 0, result.output
        assert "\u202e" not in result.stdout
        assert (
            "Riverton 4 workbooks: 4 audited (4 Meets the standard).\\u202e is in 2 workbooks"
            in (result.stdout)
        )
        assert not any(line.startswith("4 workbooks") for line in result.stdout.splitlines())


class TestDiscovery:
    """Finding the workbooks named on the command line."""

    def test_folders_files_and_globs_give_one_sorted_list_without_duplicates(
        self, tmp_path: Path
    ) -> None:
        """The same workbook named three ways is audited once; names are relative and sorted."""
        for name in ("b/2.xlsx", "a/1.xlsm", "a/~$1.xlsx", "a/.x.xlsx", ".git/3.xlsx"):
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_bytes(b"x")

        found = discover(
            [str(tmp_path), str(tmp_path / "b" / "2.xlsx"), str(tmp_path / "*" / "*.xlsx")]
        )

        assert [w.name for w in found] == ["a/1.xlsm", "b/2.xlsx"]

    def test_names_are_relative_to_where_the_arguments_search(self, tmp_path: Path) -> None:
        """
        A folder's workbooks are named below it even when they all sit in one subfolder, a
        pattern's below its folder before the wildcard: a subfolder emptied renames no other.
        """
        (tmp_path / "state" / "2026").mkdir(parents=True)
        (tmp_path / "state" / "2026" / "a.xlsx").write_bytes(b"x")

        assert [w.name for w in discover([str(tmp_path / "state")])] == ["2026/a.xlsx"]
        pattern = str(tmp_path / "state" / "*" / "*.xlsx")
        assert [w.name for w in discover([pattern])] == ["2026/a.xlsx"]
        one_file = str(tmp_path / "state" / "2026" / "a.xlsx")
        assert [w.name for w in discover([one_file])] == ["a.xlsx"]

    def test_a_spreadsheet_of_another_format_is_a_row_that_says_so(self, tmp_path: Path) -> None:
        """A program that sent an .xls or .ods must not silently leave the state's roll-up;
        a CSV (often the state's own export) and other files are no submissions."""
        for name in ("a.xlsx", "b.xls", "c.ods", "d.XLSB", "e.csv", "notes.txt", "~$b.xls"):
            (tmp_path / "in" / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / "in" / name).write_bytes(b"x")
        (tmp_path / "in" / "a.xlsx").write_bytes((EXAMPLES / "brennan-county.xlsx").read_bytes())

        found = discover([str(tmp_path / "in")])
        assert [w.name for w in found] == ["a.xlsx", "b.xls", "c.ods", "d.XLSB"]
        assert [w.name for w in discover([str(tmp_path / "in" / "*")])] == [w.name for w in found]

        out = tmp_path / "out"
        result = CliRunner().invoke(cli, ["batch", str(tmp_path / "in"), "-o", str(out)])

        assert result.exit_code == 2
        assert "4 workbooks: 1 audited" in result.stdout
        assert "Could not audit b.xls:" in result.stderr
        assert "save it as" in result.stderr

    def test_the_output_folder_inside_the_input_is_not_searched(self, tmp_path: Path) -> None:
        """Reports written under the input folder are never taken for workbooks on a re-run."""
        (tmp_path / "in" / "out" / "p").mkdir(parents=True)
        (tmp_path / "in" / "a.xlsx").write_bytes(b"x")
        (tmp_path / "in" / "out" / "p" / "p.xlsx").write_bytes(b"x")

        found = discover([str(tmp_path / "in")], exclude=tmp_path / "in" / "out")

        assert [w.name for w in found] == ["a.xlsx"]

    def test_an_empty_folder_is_an_error(self, tmp_path: Path) -> None:
        """A run with nothing to audit says so rather than writing an empty roll-up."""
        with pytest.raises(WorkbookError, match="no workbooks"):
            discover([str(tmp_path)])


class TestProgress:
    """Progress is events from the core, drawn by the CLI only on a terminal."""

    def test_events_arrive_in_input_order(self, tmp_path: Path, standards_dir: Path) -> None:
        """Started, one finished event per workbook in order, then the roll-up."""
        rng = random.Random(3)
        for index in range(3):
            write_program(tmp_path / "in" / f"p{index}.xlsx", index, rng)
        events: list[object] = []

        run_batch(
            [str(tmp_path / "in")],
            outdir=tmp_path / "out",
            standard_ref="mini-standard",
            store=StandardsStore([standards_dir]),
            formats=(Format.JSON,),
            jobs=2,
            progress=events.append,
        )

        assert BatchStarted(3) == events[0]
        assert [e.file for e in events[1:4]] == ["p0.xlsx", "p1.xlsx", "p2.xlsx"]  # type: ignore[attr-defined]
        assert all(isinstance(e, WorkbookFinished) for e in events[1:4])
        assert RollupWriting(3) == events[-1]

    def test_the_bar_is_drawn_only_on_a_terminal(self) -> None:
        """A TTY gets count, file, elapsed and remaining; a pipe gets nothing."""

        class Stream(io.StringIO):
            def __init__(self, tty: bool) -> None:
                super().__init__()
                self.tty = tty

            def isatty(self) -> bool:
                return self.tty

        tty, pipe = Stream(True), Stream(False)
        for stream in (tty, pipe):
            bar = _BatchProgress(stream)
            bar(BatchStarted(4))
            bar(WorkbookFinished(1, 4, "region-0/a.xlsx", failed=False))

        assert "1/4 region-0/a.xlsx  elapsed 0:00  remaining ~0:00" in tty.getvalue()
        assert pipe.getvalue() == ""


def killed_while_drawing(name: str, rollup: Rollup) -> bytes:
    """A roll-up drawing process ended by the memory killer (a worker imports it by name)."""
    import os
    import signal

    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("not reached")


class TestRollupDrawnApart:
    """With more than one job the roll-up's PDF and workbook are drawn in processes of their own."""

    @pytest.fixture(scope="class")
    @classmethod
    def rollup(cls, tmp_path_factory: pytest.TempPathFactory, standards_dir: Path) -> Rollup:
        folder = tmp_path_factory.mktemp("drawn-apart")
        rng = random.Random(11)
        for index in range(4):
            write_program(folder / "in" / f"p{index}.xlsx", index, rng)
        done = run_batch(
            [str(folder / "in")],
            outdir=folder / "out",
            standard_ref="mini-standard",
            store=StandardsStore([standards_dir]),
            formats=(Format.JSON,),
            jobs=1,
        )
        return done.rollup

    def test_the_files_are_the_bytes_one_process_draws_in_the_same_order(
        self, rollup: Rollup
    ) -> None:
        from citcert.app.batch import rollup_files
        from citcert.export.rollup import FILES

        alone, apart = rollup_files(rollup, 1), rollup_files(rollup, 2)

        assert list(apart) == list(FILES) == list(alone)
        assert apart == alone

    def test_a_drawing_process_that_dies_leaves_its_file_to_this_one(
        self, rollup: Rollup, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The memory killer ends a drawing process: the roll-up is still whole."""
        from citcert.app import batch

        expected = batch.rollup_files(rollup, 1)
        monkeypatch.setattr(batch, "_draw", killed_while_drawing)

        assert batch.rollup_files(rollup, 2) == expected

    def test_processes_that_cannot_start_leave_every_file_to_this_one(
        self, rollup: Rollup, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """No shared memory or a process limit reached: the roll-up is drawn here, whole."""
        import errno
        import os

        from citcert.app import batch

        class NoProcesses:
            def __init__(self, *args: object, **kwargs: object) -> None:
                pass

            def submit(self, *args: object) -> None:
                raise BlockingIOError(errno.EAGAIN, os.strerror(errno.EAGAIN))

            def shutdown(self, **kwargs: object) -> None:
                pass

        expected = batch.rollup_files(rollup, 1)
        monkeypatch.setattr(batch, "ProcessPoolExecutor", NoProcesses)

        assert batch.rollup_files(rollup, 2) == expected
