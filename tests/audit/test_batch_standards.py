"""
`citcert batch` over a folder of workbooks of both built-in standards, read back from its files.

Three programs: two of cit-best-practice (an example workbook of 2019.1, and another example
carried over to 2019.3 by ``citcert migrate``) and one of cit-core-elements@2007.1 (its template
filled in). The two standards share the ids POL-02, INS-01 and the domain SUS, meaning different
things; the roll-up must tally them apart, and the two versions of best practice together.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import statistics
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from pypdf import PdfReader

from citcert.cli import cli
from citcert.standards import find_standard
from tests.audit.workbook_filler import fill, save, set_program

EXAMPLES = Path(__file__).parents[2] / "examples"
BEST, CORE = "cit-best-practice", "cit-core-elements"
CORE_NUMBERS = {"patrol_officers": 100, "cit_patrol_officers": 30, "basic_course_hours": 40}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def core_workbook(path: Path) -> Path:
    """A cit-core-elements@2007.1 template (`citcert template`), filled in by a coordinator."""
    made = invoke("template", "--standard", f"{CORE}@2007.1", "-o", str(path))
    assert made.exit_code == 0, made.output
    standard = find_standard(f"{CORE}@2007.1")
    answers: dict[str, dict[str, object]] = {}
    for number, (_, requirement) in enumerate(standard.requirements()):
        rating = "Partially met" if number % 4 == 3 else "Met"
        answers[requirement.id] = {"Self rating": rating, "Evidence summary": "In the binder."}
        if requirement.metric is not None:
            answers[requirement.id]["Metric value"] = 40
    profile = {
        "program_name": "Harbor City CIT",
        "jurisdiction": "Harbor County",
        "state": "Northfield",
        "agencies": "Harbor City Police Department",
        "coordinator": "Sgt. Ada Moss",
        "contact": "cit@harbor.example",
        "assessment_type": "Self-assessment",
        "assessment_date": dt.datetime(2025, 9, 1),
    }
    book = load_workbook(path)
    fill(book, profile=profile, numbers=CORE_NUMBERS, answers=answers, documents=[])
    return save(book, path)


def migrated_workbook(source: Path, path: Path) -> Path:
    """An example workbook carried over to cit-best-practice@2019.3, its new number filled in."""
    moved = invoke("migrate", str(source), "--to", f"{BEST}@2019.3", "-o", str(path))
    assert moved.exit_code == 0, moved.output
    book = load_workbook(path)
    set_program(book, "program_structure", "Agency program")
    return save(book, path)


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed-state")
    shutil.copy(EXAMPLES / "lakemont-metro.xlsx", folder / "lakemont-metro.xlsx")
    migrated_workbook(EXAMPLES / "brennan-county.xlsx", folder / "brennan-county.xlsx")
    core_workbook(folder / "harbor-city.xlsx")
    return folder


@pytest.fixture(scope="module")
def out(state: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed-out")
    ran = invoke("batch", str(state), "-o", str(folder), "--jobs", "1", "--as-of", "2026-01-01")
    assert ran.exit_code == 0, ran.output + ran.stderr
    return folder


def summary(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return data


def program_report(out: Path, row: dict[str, Any]) -> dict[str, Any]:
    """The program's own JSON report, which the roll-up's figures must agree with."""
    data: dict[str, Any] = json.loads(
        (out / row["reports"] / f"{row['reports']}.json").read_text(encoding="utf-8")
    )
    return data


class TestMixedBatch:
    def test_summary_json_tallies_each_standards_requirements_apart(self, out: Path) -> None:
        data = summary(out)
        assert data["schema_version"] == "2.3"
        assert data["standards"] == [f"{BEST}@2019.1", f"{BEST}@2019.3", f"{CORE}@2007.1"]
        tallies = {(t["standard_id"], t["requirement_id"]): t for t in data["requirements"]}
        for shared in ("PART-01", "POL-01", "POL-02", "INS-01", "REC-01"):
            best, core = tallies[(BEST, shared)], tallies[(CORE, shared)]
            assert (best["programs"], core["programs"]) == (2, 1), shared
        rows = {r["standard"].split("@")[0] + ":" + r["file"]: r for r in data["rows"]}
        core_report = program_report(out, rows[f"{CORE}:harbor-city.xlsx"])
        core_pol_02 = next(r for r in core_report["results"] if r["requirement_id"] == "POL-02")
        assert tallies[(CORE, "POL-02")]["title"] == core_pol_02["title"]
        assert tallies[(BEST, "POL-02")]["title"] != core_pol_02["title"]
        assert tallies[(CORE, "INS-01")]["domain_id"] == "SUS"
        assert tallies[(BEST, "INS-01")]["domain_id"] == "INS"

    def test_summary_json_gives_each_standards_sus_its_own_median(self, out: Path) -> None:
        data = summary(out)
        sus = {d["standard_id"]: d for d in data["domains"] if d["domain_id"] == "SUS"}
        assert sus[BEST]["title"] == "Sustainability and outreach"
        assert sus[CORE]["title"] == "Sustaining elements"
        by_standard: dict[str, list[float]] = {BEST: [], CORE: []}
        for row in data["rows"]:
            report = program_report(out, row)
            score = next(d for d in report["domains"] if d["domain_id"] == "SUS")
            by_standard[row["standard"].split("@")[0]].append(
                score["exact_score"] or score["score"]
            )
        assert sus[CORE]["median"] == round(statistics.median(by_standard[CORE]), 1)
        assert sus[BEST]["median"] == round(statistics.median(by_standard[BEST]), 1)
        assert len(by_standard[BEST]) == 2 and sus[BEST]["median"] != sus[CORE]["median"]

    def test_csv_puts_a_programs_score_only_under_its_own_standards_column(self, out: Path) -> None:
        text = (out / "summary.csv").read_bytes().decode("utf-8-sig")
        head, *rows = list(csv.reader(io.StringIO(text)))
        assert "Sustainability and outreach (SUS)" not in head
        best_sus = head.index(f"{BEST}: Sustainability and outreach (SUS)")
        core_sus = head.index(f"{CORE}: Sustaining elements (SUS)")
        by_file = {row[0]: row for row in rows}
        harbor = by_file["harbor-city.xlsx"]
        assert harbor[best_sus] == "" and harbor[core_sus] != ""
        for best in ("lakemont-metro.xlsx", "brennan-county.xlsx"):
            assert by_file[best][best_sus] != "" and by_file[best][core_sus] == ""

    def test_xlsx_requirements_sheet_names_the_standard_of_each_tally(self, out: Path) -> None:
        book = load_workbook(out / "summary.xlsx", read_only=True)
        sheet = [list(r) for r in book["Requirements"].iter_rows(values_only=True)]
        programs_head = next(book["Programs"].iter_rows(values_only=True))
        book.close()
        assert sheet[0][:2] == ["Standard", "Requirement"]
        pol_02 = {row[0]: row for row in sheet[1:] if row[1] == "POL-02"}
        assert set(pol_02) == {BEST, CORE}
        assert pol_02[BEST][2] != pol_02[CORE][2]  # each its own title
        assert f"{CORE}: Sustaining elements (SUS)" in programs_head

    def test_pdf_shows_each_standards_domain_scores_and_requirements_apart(self, out: Path) -> None:
        text = "\n".join(p.extract_text() for p in PdfReader(out / "summary.pdf").pages)
        assert f"Domain scores (%): {BEST}" in text
        assert f"Domain scores (%): {CORE}" in text
        assert "Sustaining elements" in text and "Sustainability and outreach" in text
        requirements = text[text.index("Requirements, the most common gaps first") :]
        assert "Standard" in requirements
        charts = text[text.index("Programs by decision") : text.index("Domain scores")]
        # each bar's standard on a line of its own, so its label is not cut after the id
        assert f"Consistent with the Core Elements\n{CORE}\n 0" in charts
        assert f"OUT-01 · Outreach to other communities\n{CORE}\n 1" in charts
        assert f"{CORE}:" not in charts


@pytest.fixture(scope="module")
def single_out(state: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same folder without the Core Elements program: one standard in two versions."""
    folder = tmp_path_factory.mktemp("single-out")
    paths = [str(state / "lakemont-metro.xlsx"), str(state / "brennan-county.xlsx")]
    ran = invoke("batch", *paths, "-o", str(folder), "--jobs", "1", "--as-of", "2026-01-01")
    assert ran.exit_code == 0, ran.output + ran.stderr
    return folder


def test_versions_of_one_standard_are_tallied_together_and_read_as_before(
    single_out: Path,
) -> None:
    data = summary(single_out)
    assert data["standards"] == [f"{BEST}@2019.1", f"{BEST}@2019.3"]
    pol_02 = [t for t in data["requirements"] if t["requirement_id"] == "POL-02"]
    assert [(t["standard_id"], t["programs"]) for t in pol_02] == [(BEST, 2)]
    head = next(csv.reader(io.StringIO((single_out / "summary.csv").read_text("utf-8-sig"))))
    assert "Sustainability and outreach (SUS)" in head
    book = load_workbook(single_out / "summary.xlsx", read_only=True)
    assert next(book["Requirements"].iter_rows(values_only=True))[0] == "Requirement"
    book.close()
    text = "\n".join(p.extract_text() for p in PdfReader(single_out / "summary.pdf").pages)
    assert "Domain scores (%)\n" in text and f"Domain scores (%): {BEST}" not in text


class TestFailBelowInAMixedBatch:
    """
    A level is its standard's: "Meets the standard" means nothing to a Core Elements program.
    Each workbook is judged by the level its own standard has; one whose standard has none is
    audited and counted like the others, and a note says it was not judged.
    """

    def test_a_level_of_one_standard_judges_its_programs_and_leaves_the_others_audited(
        self, state: Path, tmp_path: Path
    ) -> None:
        ran = invoke("batch", str(state), "-o", str(tmp_path), "--jobs", "1",
                     "--format", "json", "--fail-below", "Meets the standard")  # fmt: skip

        data = summary(tmp_path)
        assert (data["audited"], data["failed"]) == (3, 0)
        decisions = {row["file"]: row["decision"] for row in data["rows"]}
        assert decisions["brennan-county.xlsx"] != "Meets the standard"
        assert ran.exit_code == 1, ran.stderr
        assert "brennan-county.xlsx: the decision is below Meets the standard" in ran.stderr
        assert (
            "harbor-city.xlsx: not judged by --fail-below: cit-core-elements@2007.1 has no level "
            "Meets the standard; give --fail-below one of its levels too."
        ) in ran.stderr
        assert "lakemont-metro.xlsx" not in ran.stderr

    def test_one_level_per_standard_judges_every_program_by_its_own(
        self, state: Path, tmp_path: Path
    ) -> None:
        bars = ["--fail-below", "conditional", "--fail-below", "consistent"]
        ran = invoke(
            "batch", str(state), "-o", str(tmp_path), "--jobs", "1", "--format", "json", *bars
        )

        decisions = {row["file"]: row["decision_id"] for row in summary(tmp_path)["rows"]}
        assert decisions == {
            "brennan-county.xlsx": "not_certified",  # 2019.3's new requirements unanswered
            "harbor-city.xlsx": "partly_consistent",  # rated partly met in places
            "lakemont-metro.xlsx": "certified",
        }
        assert ran.exit_code == 1, ran.stderr
        assert ran.stderr.splitlines() == [  # each below the level of its own standard
            "brennan-county.xlsx: the decision is below conditional (--fail-below).",
            "harbor-city.xlsx: the decision is below consistent (--fail-below).",
        ]

    def test_two_levels_of_one_standard_are_refused_before_anything_is_written(
        self, state: Path, tmp_path: Path
    ) -> None:
        out = tmp_path / "out"
        ran = invoke("batch", str(state), "-o", str(out), "--fail-below", "certified",
                     "--fail-below", "Close to the standard")  # fmt: skip

        assert ran.exit_code == 2
        assert "'certified' and 'Close to the standard' are each a level of" in ran.stderr
        assert "give --fail-below once per standard" in ran.stderr
        assert not out.exists()
