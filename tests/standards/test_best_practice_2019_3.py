"""
cit-best-practice@2019.3: in-service training measured per CIT officer, and the other fidelity
fixes of 2019.2, with a 2019.2 workbook moved to it.

CIT International asks in-service training of every trained responder at least every two years.
2019.2 measured INS-01 as the days since anyone's latest in-service, so one officer's training met
it for the whole program. The same roster is audited under both versions here: the example
workbook is migrated through the command line (2019.1 → 2019.2 → 2019.3), its Officers sheet is
rewritten with openpyxl as a coordinator would fill it, and each is audited as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from citcert.audit.records import derive_numbers
from citcert.cli import cli
from citcert.standards import find_standard
from citcert.standards.model import RecordCompute, Standard
from citcert.workbook import layout as L
from citcert.workbook.reader import open_book, read_workbook

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "brennan-county.xlsx"
AS_OF = dt.date(2025, 8, 20)
"""The example's assessment date."""

ROSTER = [
    # (assignment, course, last in-service): 10 CIT officers, 7 of them within 2 years
    *[("Patrol", dt.date(2019, 3, 1), dt.date(2024, 10, 1))] * 4,  # in-service 323 days ago
    *[("Patrol", dt.date(2024, 1, 12), None)] * 3,  # course 586 days ago, no in-service yet
    *[("Patrol", dt.date(2019, 3, 1), dt.date(2022, 1, 10))] * 3,  # in-service 1,318 days ago
    *[("Other", None, None)] * 2,  # not CIT officers: not counted
]


@pytest.fixture(scope="module")
def new() -> Standard:
    return find_standard("cit-best-practice@2019.3")


def _run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def _migrate(source: Path, target: Path, ref: str) -> str:
    result = _run("migrate", str(source), "--to", ref, "-o", str(target))
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def _fill(path: Path) -> None:
    """The program structure typed, and the Officers sheet holding `ROSTER` only."""
    book = load_workbook(path)
    program = book[L.PROGRAM_SHEET]
    row = next(c.row for c in program["A"] if c.value == "program_structure")
    program.cell(row, 3).value = "Agency program"
    officers = book["Officers"]
    header = next(r for r in range(1, 10) if officers.cell(r, 1).value == "Officer ID")
    for r in range(header + 1, officers.max_row + 1):
        for c in range(1, 6):
            officers.cell(r, c).value = None
    for i, (assignment, course, inservice) in enumerate(ROSTER, start=header + 1):
        values = (f"B-{i}", assignment, "A", course, inservice)
        for c, value in enumerate(values, start=1):
            officers.cell(i, c).value = value
    book.save(path)


def _empty_roster(path: Path) -> None:
    """The workbook's Officers sheet with no rows (its header kept)."""
    book = load_workbook(path)
    officers = book["Officers"]
    header = next(r for r in range(1, 10) if officers.cell(r, 1).value == "Officer ID")
    for r in range(header + 1, officers.max_row + 1):
        for c in range(1, 6):
            officers.cell(r, c).value = None
    book.save(path)


def _ins01(path: Path) -> dict[str, Any]:
    result = _run("audit", str(path), "-o", "-")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    found: dict[str, Any] = next(r for r in report["results"] if r["requirement_id"] == "INS-01")
    return found


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The same program and roster as a 2019.2 and a 2019.3 workbook, and what migrate said."""
    folder = tmp_path_factory.mktemp("versions")
    older, newer = folder / "brennan-2019.2.xlsx", folder / "brennan-2019.3.xlsx"
    _migrate(EXAMPLE, older, "cit-best-practice@2019.2")
    _fill(older)
    printed = _migrate(older, newer, "cit-best-practice@2019.3")
    return older, newer, printed


class TestTheVersions:
    def test_2019_3_is_current_and_keeps_every_2019_2_requirement(self, new: Standard) -> None:
        old = find_standard("cit-best-practice@2019.2")
        assert find_standard().ref == "cit-best-practice@2019.3"
        assert (old.status.value, new.status.value) == ("superseded", "current")
        assert new.supersedes == "cit-best-practice@2019.2"
        assert [r.id for _, r in new.requirements()] == [r.id for _, r in old.requirements()]
        core = [r.id for _, r in new.requirements() if r.core]
        assert core == [r.id for _, r in old.requirements() if r.core]

    def test_the_diff_names_the_new_measure_and_number(self) -> None:
        result = _run("standards", "diff", "cit-best-practice@2019.2", "cit-best-practice@2019.3")
        assert result.exit_code == 0, result.output
        out = result.stdout
        assert "Program numbers added (1):\n  cit_officers_inservice_current" in out
        ins01 = out.split("  INS-01 ")[1].split("\n  INS-0")[0]
        assert "cit_officers_inservice_current" in ins01
        assert "Removed" not in out


class TestInServicePerOfficer:
    def test_the_share_is_computed_per_officer_from_the_roster(
        self, workbooks: tuple[Path, Path, str], new: Standard
    ) -> None:
        """7 of the 10 CIT officers are within 2 years; the 2 other officers are not counted."""
        evidence = read_workbook(open_book(workbooks[1]), new)
        derived = derive_numbers(new, evidence, AS_OF)
        (item,) = [d for d in derived if d.number_id == "cit_officers_inservice_current"]
        assert item.value == 70.0
        assert item.working == (
            "7 of 10 rows of the Officers sheet with “CIT course completed” filled in have a "
            "“Last in-service” or “CIT course completed” date in the 730 days up to 2025-08-20 "
            "= 70%"
        )

    def test_one_officers_training_no_longer_meets_it_for_all(
        self, workbooks: tuple[Path, Path, str]
    ) -> None:
        """2019.2: the latest in-service (323 days) met it. 2019.3: 70% is only partly met."""
        older, newer, _ = workbooks
        before, after = _ins01(older), _ins01(newer)
        assert (before["metric"]["value"], before["status"]) == (323, "met")
        assert after["metric"]["value"] == 70.0
        assert after["status"] == "partial"

    def test_migrate_names_the_new_number_and_the_changed_measure(
        self, workbooks: tuple[Path, Path, str]
    ) -> None:
        printed = workbooks[2]
        assert "New on the Program sheet, to fill in" not in printed  # the roster computes it
        assert (
            "New, computed from the record sheets (1): CIT officers with in-service training (or "
            "their course) in the last 2 years (cit_officers_inservice_current), from the "
            "Officers sheet"
        ) in printed
        assert (
            "INS-01: this requirement is measured another way in cit-best-practice@2019.3 "
            "(Share of CIT officers with in-service training (or their course) in the last 2 "
            "years): check the rating against it"
        ) in " ".join(printed.split())

    def test_with_no_roster_the_share_is_typed(
        self, workbooks: tuple[Path, Path, str], tmp_path: Path
    ) -> None:
        """Without officer rows the share is typed; left empty, validate names its cell."""
        path = tmp_path / "typed.xlsx"
        path.write_bytes(workbooks[1].read_bytes())
        _empty_roster(path)

        refused = _run("validate", str(path))
        assert refused.exit_code == 2
        label = "CIT officers with in-service training (or their course) in the last 2 years"
        assert f"({label}): required but empty" in refused.output

        book = load_workbook(path)
        program = book[L.PROGRAM_SHEET]
        row = next(c.row for c in program["A"] if c.value == "cit_officers_inservice_current")
        program.cell(row, 3).value = 95
        book.save(path)
        ins01 = _ins01(path)
        assert (ins01["metric"]["value"], ins01["status"]) == (95, "met")


def test_without_a_roster_migrate_asks_for_the_share_to_be_typed(tmp_path: Path) -> None:
    """A 2019.2 workbook with an empty Officers sheet: the new number is one to fill in."""
    older, newer = tmp_path / "b-2019.2.xlsx", tmp_path / "b-2019.3.xlsx"
    _migrate(EXAMPLE, older, "cit-best-practice@2019.2")
    _empty_roster(older)

    result = _run("migrate", str(older), "--to", "cit-best-practice@2019.3", "-o", str(newer))
    result_json = _run(
        "migrate", str(older), "--to", "cit-best-practice@2019.3", "-o", str(tmp_path / "j.xlsx"),
        "--format", "json",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert (
        "New on the Program sheet, to fill in (1): CIT officers with in-service training (or "
        "their course) in the last 2 years (cit_officers_inservice_current)"
    ) in result.stdout
    assert "computed from the record sheets" not in result.stdout
    report = json.loads(result_json.stdout)
    assert report["computed_program_numbers"] == []
    assert len(report["new_program_numbers"]) == 1


class TestTheOtherFixes:
    def test_proposed_frequencies_are_said_in_the_statements(self, new: Standard) -> None:
        for rid in ("COORD-03", "DSP-03", "REC-01", "INS-03"):
            statement = new.requirement(rid).statement
            assert "(a frequency proposed by citcert, not a published rule)" in statement, rid

    def test_other_responders_include_corrections_and_dispatch(self, new: Standard) -> None:
        trn06 = new.requirement("TRN-06")
        assert "corrections and dispatch" in trn06.statement
        assert "(such as EMS, fire, corrections or dispatch)" in trn06.anchors["met"]

    def test_the_three_year_term_is_marked_as_citcerts(self, new: Standard) -> None:
        top = new.scoring.decision_levels[0]
        assert top.validity is not None
        assert top.validity.proposal == ("valid_for_days", "interim_report_every_days")
        shown = _run("standards", "show", "cit-best-practice@2019.3")
        text = " ".join(shown.stdout.split())
        assert (
            "Meets the standard lasts 1,095 days (3 years) and asks an interim report every 365 "
            "days (1 year); the validity and the interim report interval are proposed by citcert"
        ) in text

    def test_the_new_computation_is_used_for_the_new_number_only(self, new: Standard) -> None:
        computed = {
            n.id: n.from_records.compute for n in new.program_numbers if n.from_records is not None
        }
        assert [k for k, v in computed.items() if v is RecordCompute.SHARE_RECENT] == [
            "cit_officers_inservice_current"
        ]
