"""
`citcert migrate`: answers follow `replaces:` (or equal ids) to the new standard, and nothing
that cannot follow is dropped.

Version 2.0 of the mini standard, built in code, supersedes 1.0: PART-01 is kept, PART-02 is
renamed PART-03, TRN-01 and TRN-02 are merged into TRN-10, TRN-03 is withdrawn, TRN-11 is new,
and the committee-meeting date is no longer asked for.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from citcert.cli import cli
from citcert.standards.model import Standard
from citcert.workbook import layout as L
from citcert.workbook.evidence import Rated, Unanswered
from citcert.workbook.migrate import migrate_workbook
from citcert.workbook.reader import open_book, read_workbook
from tests.audit.workbook_filler import (
    MINI,
    blank,
    dump_yaml,
    fill,
    filled_path,
    load_yaml,
    save,
    set_answer,
    standard,
)


def _version_two() -> dict[str, Any]:
    raw = copy.deepcopy(load_yaml(MINI))
    raw.update(version="2.0", supersedes="mini-standard@1.0", effective="2025-01-01")
    raw["program_numbers"] = raw["program_numbers"][:2]
    part, training = raw["domains"]
    part01, part02 = part["requirements"]
    part02 = {**part02, "id": "PART-03", "replaces": ["PART-02"], "depends_on": ["PART-01"]}
    del part02["metric"]
    part["requirements"] = [part01, part02]
    trn01, trn02, _ = training["requirements"]
    merged = {**trn01, "id": "TRN-10", "title": "Training coverage and length", "core": True}
    merged["replaces"] = ["TRN-01", "TRN-02"]
    del merged["metric"]
    fresh = {**trn02, "id": "TRN-11", "title": "Scenario practice", "statement": "Role play."}
    del fresh["metric"]
    training["requirements"] = [merged, fresh]
    return raw


def _same_ids() -> dict[str, Any]:
    raw = copy.deepcopy(load_yaml(MINI))
    raw["version"] = "1.1"
    return raw


@pytest.fixture(scope="module")
def standards_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Mini 1.0, its successor 2.0 and a same-ids 1.1."""
    folder = tmp_path_factory.mktemp("standards")
    (folder / "mini.yaml").write_bytes(MINI.read_bytes())
    dump_yaml(_version_two(), folder / "mini-2.yaml")
    dump_yaml(_same_ids(), folder / "mini-1.1.yaml")
    return folder


def _two() -> Standard:
    return Standard.model_validate(_version_two())


@pytest.fixture(scope="module")
def two() -> Standard:
    """Version 2.0 as a model."""
    return _two()


def _sheet_text(data: bytes, sheet: str) -> str:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(v) for row in book[sheet].iter_rows(values_only=True) for v in row if v)


def _cell(data: bytes, rid: str, key: str) -> object:
    book = load_workbook(io.BytesIO(data))
    ws = book[L.EVIDENCE_SHEET]
    row = next(c.row for c in ws["A"] if c.value == rid)
    column = 1 + next(i for i, c in enumerate(L.EVIDENCE_COLUMNS) if c.key == key)
    return ws.cell(row, column).value


class TestCarrying:
    """What moves where."""

    def test_answers_follow_replaces_and_equal_ids(self, tmp_path: Path, two: Standard) -> None:
        """Kept, renamed and merged requirements receive their predecessors' answers."""
        result = migrate_workbook(open_book(filled_path(tmp_path)), standard(), two)
        path = tmp_path / "new.xlsx"
        path.write_bytes(result.workbook)

        evidence = read_workbook(open_book(path), two)

        assert result.carried == (
            "PART-01 ← PART-01",
            "PART-03 ← PART-02",
            "TRN-10 ← TRN-01, TRN-02",
        )
        assert result.unanswered == ("TRN-11",)
        assert evidence.for_requirement("PART-01").self_rating == Rated(level="met")
        assert evidence.for_requirement("PART-01").documents == (
            "PART-01 Charter 2023-02",
            "PART-01 Roster 2024-01",
        )
        assert evidence.for_requirement("PART-03").self_rating == Rated(level="partially_met")
        assert evidence.for_requirement("TRN-10").self_rating == Rated(level="met")
        assert evidence.for_requirement("TRN-10").evidence_summary == (
            "From TRN-01: 30 of 120 patrol officers trained.\n\n"
            "From TRN-02: Five-day, 40-hour course."
        )
        assert evidence.profile.program_name == "Riverton CIT Program"
        assert evidence.numbers == {"patrol_officers": 120, "cit_officers": 30}

    def test_nothing_is_dropped(self, tmp_path: Path, two: Standard) -> None:
        """Withdrawn requirements and numbers are listed and kept; metric values go to Notes."""
        result = migrate_workbook(open_book(filled_path(tmp_path)), standard(), two)

        instructions = _sheet_text(result.workbook, L.INSTRUCTIONS_SHEET)
        assert result.not_carried == (
            'TRN-03 (Youth module) has no successor in mini-standard@2.0: self rating "Not '
            'applicable"; evidence summary "No agency in the program serves schools."',
            'Program: last_committee_meeting = "2024-04-02" (not asked by mini-standard@2.0)',
        )
        assert all(line in instructions for line in result.not_carried)
        assert _cell(result.workbook, "TRN-10", "notes") == (
            "From TRN-02: Agenda revised in 2023.\n"
            'metric value not carried (the metric changed): TRN-02 "40"'
        )

    def test_ratings_that_differ_are_left_unanswered_and_explained(
        self, tmp_path: Path, two: Standard
    ) -> None:
        """A merged requirement whose predecessors disagree gets no rating, and a note on why."""
        book = fill(blank())
        set_answer(book, "TRN-02", "Self rating", "Not met")
        result = migrate_workbook(open_book(save(book, tmp_path / "p.xlsx")), standard(), two)
        path = tmp_path / "new.xlsx"
        path.write_bytes(result.workbook)

        evidence = read_workbook(open_book(path), two)

        assert evidence.for_requirement("TRN-10").self_rating == Unanswered()
        assert (
            "TRN-10: self rating not carried (the old ratings differ): "
            'TRN-01 "Met", TRN-02 "Not met"'
        ) in result.notes

    def test_same_ids_carry_everything(self, tmp_path: Path) -> None:
        """A new version with the same ids carries every answer across unchanged."""
        newer = Standard.model_validate(_same_ids())
        source = filled_path(tmp_path)
        result = migrate_workbook(open_book(source), standard(), newer)
        path = tmp_path / "new.xlsx"
        path.write_bytes(result.workbook)

        before = read_workbook(open_book(source), standard())
        after = read_workbook(open_book(path), newer)

        assert after.requirements == before.requirements
        assert after.documents == before.documents
        assert after.profile == before.profile
        assert result.not_carried == ()

    def test_a_rating_whose_thresholds_changed_is_carried_with_the_new_ones(
        self, tmp_path: Path
    ) -> None:
        """Same measure, a higher bar: the note names the new thresholds, not another way."""
        raw = _same_ids()
        raw["domains"][1]["requirements"][0]["metric"].update(met=25, partial=15)
        newer = Standard.model_validate(raw)

        result = migrate_workbook(open_book(filled_path(tmp_path)), standard(), newer)

        assert result.notes == (
            "TRN-01: this requirement is rated by other thresholds in mini-standard@1.1 (Share "
            "of patrol officers CIT trained: at least 25% for Met, at least 15% for Partially "
            "met): check the rating against it",
        )

    def test_a_rating_whose_measure_changed_says_it_is_measured_another_way(
        self, tmp_path: Path
    ) -> None:
        raw = _same_ids()
        raw["domains"][1]["requirements"][0]["metric"].update(unit="officers", compute="value")
        raw["domains"][1]["requirements"][0]["metric"]["inputs"] = ["cit_officers"]
        newer = Standard.model_validate(raw)

        result = migrate_workbook(open_book(filled_path(tmp_path)), standard(), newer)

        assert result.notes == (
            "TRN-01: this requirement is measured another way in mini-standard@1.1 (Share of "
            "patrol officers CIT trained): check the rating against it",
        )

    def test_the_new_workbook_records_where_it_came_from(
        self, tmp_path: Path, two: Standard
    ) -> None:
        """Instructions say what was migrated from where; the metadata keeps the old ref."""
        result = migrate_workbook(open_book(filled_path(tmp_path)), standard(), two)

        assert (
            "This workbook was migrated by citcert migrate from program.xlsx, made for "
            "mini-standard@1.0, to mini-standard@2.0."
        ) in _sheet_text(result.workbook, L.INSTRUCTIONS_SHEET)
        assert "migrated_from\nmini-standard@1.0" in _sheet_text(result.workbook, L.METADATA_SHEET)

    def test_migrating_is_deterministic(self, tmp_path: Path, two: Standard) -> None:
        """The same workbook migrated twice gives the same bytes."""
        source = filled_path(tmp_path)

        assert migrate_workbook(open_book(source), standard(), two).workbook == (
            migrate_workbook(open_book(source), standard(), two).workbook
        )

    def test_a_note_alone_on_a_withdrawn_requirement_is_listed_and_kept(
        self, tmp_path: Path, two: Standard
    ) -> None:
        """TRN-03 is withdrawn; its row holds only a note: the note is not lost either."""
        book = fill(blank())
        for header in ("Self rating", "Evidence summary"):
            set_answer(book, "TRN-03", header, None)
        set_answer(book, "TRN-03", "Notes", "Asked the school district again in May.")
        path = save(book, tmp_path / "program.xlsx")

        result = migrate_workbook(open_book(path), standard(), two)

        line = (
            'TRN-03 (Youth module) has no successor in mini-standard@2.0: notes "Asked the '
            'school district again in May."'
        )
        assert line in result.not_carried
        assert line in _sheet_text(result.workbook, L.INSTRUCTIONS_SHEET)


EXAMPLE = Path(__file__).parents[2] / "examples" / "brennan-county.xlsx"
ENTRY_SHEETS = ("Exceptions", "Officers", "Dispatchers", "Classes", "Meetings", "Quarterly data")


def _entries(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    """The filled rows of each sheet of entries (exceptions, records), as typed."""
    book = load_workbook(io.BytesIO(data))
    return {
        ws.title: [
            tuple(c.value for c in row)
            for row in ws.iter_rows(min_row=L.FIRST_DATA_ROW)
            if any(c.value not in (None, "") for c in row)
        ]
        for ws in book.worksheets
        if ws.title in ENTRY_SHEETS
    }


@pytest.fixture(scope="module")
def brennan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Brennan's workbook with an approved exception typed in."""
    import datetime as dt

    book = load_workbook(EXAMPLE)
    ws = book[L.EXCEPTIONS_SHEET]
    typed = ("DSP-04", "Waiting for the new CAD", "Board chair")
    dates = (dt.datetime(2025, 3, 1), dt.datetime(2026, 2, 28))
    for column, value in enumerate((*typed, *dates), start=1):
        ws.cell(L.FIRST_DATA_ROW, column).value = value
    return save(book, tmp_path_factory.mktemp("brennan") / "brennan.xlsx")


class TestRecordsAndExceptions:
    """Brennan's rosters, meetings, classes and quarters, and an approved exception."""

    @pytest.mark.parametrize("to", ["cit-best-practice@2019.1", "cit-best-practice@2019.2"])
    def test_records_are_carried_to_a_standard_that_keeps_them(
        self, brennan: Path, to: str
    ) -> None:
        """They were all dropped before, without a word, even into the same standard."""
        from citcert.standards import find_standard

        old, new = find_standard("cit-best-practice@2019.1"), find_standard(to)

        result = migrate_workbook(open_book(brennan), old, new)

        before, after = _entries(brennan.read_bytes()), _entries(result.workbook)
        assert {sheet: len(rows) for sheet, rows in before.items()} == {
            "Exceptions": 1,
            "Officers": 310,
            "Dispatchers": 38,
            "Classes": 1,
            "Meetings": 4,
            "Quarterly data": 2,
        }
        same = old.ref == new.ref
        assert after == (before if same else {**before, "Exceptions": []})
        exception_lines = [line for line in result.not_carried if line.startswith("Exception")]
        assert exception_lines == (
            []
            if same
            else [
                'Exception (Requirement ID "DSP-04"; Justification "Waiting for the new CAD"; '
                'Approved by "Board chair"; Approved on "2025-03-01"; Expires on "2026-02-28"): '
                "approved for cit-best-practice@2019.1; if it still holds, approve it again for "
                "cit-best-practice@2019.2"
            ]
        )
        assert not [line for line in result.not_carried if " rows not carried" in line]

    def test_the_same_standard_audits_the_same_after_a_copy(
        self, brennan: Path, tmp_path: Path, runner: CliRunner
    ) -> None:
        """The records still give their numbers, and the exception still stands."""
        copy_ = tmp_path / "copy.xlsx"
        to = ["--to", "cit-best-practice@2019.1", "-o", str(copy_)]
        assert runner.invoke(cli, ["migrate", str(brennan), *to]).exit_code == 0

        def report(path: Path) -> dict[str, Any]:
            done = runner.invoke(cli, ["audit", str(path), "-o", "-", "--format", "json"])
            assert done.exit_code == 0, done.stderr
            data: dict[str, Any] = json.loads(done.stdout)
            return data

        old, new = report(brennan), report(copy_)
        for key in ("overall_score", "domain_scores", "derived_numbers", "decision", "results"):
            assert new.get(key) == old.get(key), key

    def test_what_has_no_place_in_the_new_standard_is_listed(self, brennan: Path) -> None:
        """The Core Elements keep no record sheets and take no exceptions: each is named."""
        from citcert.standards import find_standard

        old, new = (
            find_standard("cit-best-practice@2019.1"),
            find_standard("cit-core-elements@2007.1"),
        )

        result = migrate_workbook(open_book(brennan), old, new)

        assert (
            "Officers: 310 rows not carried; they are still in brennan.xlsx "
            "(cit-core-elements@2007.1 has no Officers sheet)"
        ) in result.not_carried
        assert (
            "Classes: 1 row not carried; it is still in brennan.xlsx (cit-core-elements@2007.1 "
            "has no Classes sheet)"
        ) in result.not_carried
        assert (
            'Exception (Requirement ID "DSP-04"; Justification "Waiting for the new CAD"; '
            'Approved by "Board chair"; Approved on "2025-03-01"; Expires on "2026-02-28"): '
            "cit-core-elements@2007.1 accepts no exceptions"
        ) in result.not_carried
        instructions = _sheet_text(result.workbook, L.INSTRUCTIONS_SHEET)
        assert all(line in instructions for line in result.not_carried)


class TestCommand:
    """`citcert migrate` on the command line."""

    def test_migrate_writes_and_reports(
        self, tmp_path: Path, runner: CliRunner, standards_dir: Path
    ) -> None:
        """The command writes the new workbook, lists what did not move, and leaves the old one."""
        source = filled_path(tmp_path)
        before = source.read_bytes()
        out = tmp_path / "new.xlsx"

        result = runner.invoke(
            cli,
            [
                "--standards-dir",
                str(standards_dir),
                "migrate",
                str(source),
                "--to",
                "mini-standard@2.0",
                "-o",
                str(out),
            ],
        )

        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines()[:2] == [
            f"Wrote {out}. Moved from mini-standard@1.0 to mini-standard@2.0: answers carried "
            "for 3 requirements.",
            "To answer afresh (1): TRN-11",
        ]
        assert "Not carried, kept on the Instructions sheet (2):" in result.stdout
        assert source.read_bytes() == before
        check = runner.invoke(cli, ["--standards-dir", str(standards_dir), "validate", str(out)])
        assert check.exit_code == 0, check.stderr

    def test_migrating_to_the_same_standard_copies_into_a_fresh_workbook(
        self, tmp_path: Path, runner: CliRunner, standards_dir: Path
    ) -> None:
        """Same id@version: every answer is copied into a new workbook, and it says so plainly."""
        source = filled_path(tmp_path)
        out = tmp_path / "fresh.xlsx"
        args = ["--standards-dir", str(standards_dir), "migrate", str(source)]

        result = runner.invoke(cli, [*args, "--to", "mini-standard@1.0", "-o", str(out)])

        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines()[0] == (
            f"Wrote {out}. Copied into a fresh workbook for the same standard, "
            "mini-standard@1.0: answers carried for 5 requirements."
        )
        check = runner.invoke(cli, ["--standards-dir", str(standards_dir), "validate", str(out)])
        assert check.exit_code == 0, check.stderr

    def test_migrate_refuses_to_write_over_its_input(
        self, tmp_path: Path, runner: CliRunner, standards_dir: Path
    ) -> None:
        """The output may not be the input workbook."""
        source = filled_path(tmp_path)
        before = source.read_bytes()

        result = runner.invoke(
            cli,
            [
                "--standards-dir",
                str(standards_dir),
                "migrate",
                str(source),
                "--to",
                "mini-standard@2.0",
                "-o",
                str(source),
                "--force",
            ],
        )

        assert result.exit_code == 2
        assert "the output must not be the input workbook" in result.stderr
        assert source.read_bytes() == before

    def test_migrate_to_an_unknown_standard_writes_nothing(
        self, tmp_path: Path, runner: CliRunner, standards_dir: Path
    ) -> None:
        """An unknown target is an input error and leaves no output file."""
        source = filled_path(tmp_path)
        out = tmp_path / "new.xlsx"

        result = runner.invoke(
            cli,
            [
                "--standards-dir",
                str(standards_dir),
                "migrate",
                str(source),
                "--to",
                "mini-standard@9.9",
                "-o",
                str(out),
            ],
        )

        assert result.exit_code == 2
        assert "mini-standard has no version 9.9" in result.stderr
        assert not out.exists()


class TestJsonReport:
    """`citcert migrate --format json`: the same facts as fields, valid against its schema."""

    def _migrate(self, runner: CliRunner, standards_dir: Path, source: Path, *args: str) -> Result:
        base = ["--standards-dir", str(standards_dir), "migrate", str(source)]
        return runner.invoke(cli, [*base, "--format", "json", *args])

    def test_json_lists_what_moved_from_where_and_what_did_not(
        self, tmp_path: Path, runner: CliRunner, standards_dir: Path
    ) -> None:
        """Carried with its sources, unanswered, notes and not carried; the workbook is written."""
        source = filled_path(tmp_path)
        out = tmp_path / "new.xlsx"

        result = self._migrate(
            runner, standards_dir, source, "--to", "mini-standard@2.0", "-o", str(out)
        )

        assert result.exit_code == 0, result.stderr
        report = json.loads(result.stdout)
        schema = json.loads(runner.invoke(cli, ["schema", "migration"]).stdout)
        jsonschema.validate(report, schema)
        assert report["schema_version"] == "1.0"
        assert (report["workbook"], report["output"]) == (str(source), str(out))
        assert (report["source_standard"], report["target_standard"]) == (
            "mini-standard@1.0",
            "mini-standard@2.0",
        )
        assert report["carried"] == [
            {"requirement_id": "PART-01", "sources": ["PART-01"]},
            {"requirement_id": "PART-03", "sources": ["PART-02"]},
            {"requirement_id": "TRN-10", "sources": ["TRN-01", "TRN-02"]},
        ]
        assert report["unanswered"] == ["TRN-11"]
        assert {
            "requirement_id": "TRN-10",
            "note": 'metric value not carried (the metric changed): TRN-02 "40"',
        } in report["notes"]
        assert report["not_carried"][1] == (
            'Program: last_committee_meeting = "2024-04-02" (not asked by mini-standard@2.0)'
        )
        assert report["summary"].startswith("Moved from mini-standard@1.0 to mini-standard@2.0")
        assert out.read_bytes() == migrate_workbook(open_book(source), standard(), _two()).workbook

    def test_json_of_a_failed_migration_is_an_error_with_exit_status_2(
        self, tmp_path: Path, runner: CliRunner, standards_dir: Path
    ) -> None:
        """Exit codes are unchanged: bad input is status 2, nothing on stdout, nothing written."""
        source = filled_path(tmp_path)
        out = tmp_path / "new.xlsx"

        result = self._migrate(
            runner, standards_dir, source, "--to", "mini-standard@9.9", "-o", str(out)
        )

        assert result.exit_code == 2
        assert result.stdout == ""
        assert "mini-standard has no version 9.9" in result.stderr
        assert not out.exists()

    def test_json_with_the_workbook_on_stdout_is_refused(
        self, tmp_path: Path, runner: CliRunner, standards_dir: Path
    ) -> None:
        """The report and the workbook cannot share standard output: a usage error, nothing read."""
        source = filled_path(tmp_path)

        result = self._migrate(
            runner, standards_dir, source, "--to", "mini-standard@2.0", "-o", "-"
        )

        assert result.exit_code == 2
        assert result.stdout == ""
        assert "write the workbook to a file" in result.stderr
