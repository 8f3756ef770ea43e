"""
cit-best-practice@2019.2: the practices the second research pass found missing, program
structure as data, and a 2019.1 workbook moved to it with nothing silently dropped.

The 2019.1 workbook is the bundled example (made from examples/programs.yaml), migrated through
the command line; the program structure is then typed into the new workbook with openpyxl, as
a coordinator would, and the workbook audited as a subprocess would (CliRunner, JSON on stdout).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from citcert.cli import cli
from citcert.standards import find_standard, load_file
from citcert.standards.model import Standard
from citcert.workbook import layout as L
from citcert.workbook.reader import open_book, read_workbook

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "brennan-county.xlsx"
ADDED = ("PART-07", "COORD-04", "POL-05", "OFC-06", "TRN-07", "CRS-04", "CRS-05")


@pytest.fixture(scope="module")
def old() -> Standard:
    return find_standard("cit-best-practice@2019.1")


@pytest.fixture(scope="module")
def new() -> Standard:
    return find_standard("cit-best-practice@2019.2")


def _run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


class TestTheVersions:
    def test_2019_2_supersedes_2019_1_and_is_superseded_by_2019_3(
        self, monkeypatch: pytest.MonkeyPatch, old: Standard, new: Standard
    ) -> None:
        monkeypatch.delenv("CITCERT_STANDARDS_PATH", raising=False)
        assert find_standard().ref == "cit-best-practice@2019.3"
        assert find_standard("cit-best-practice@2019.2") == new
        assert (old.status.value, new.status.value) == ("superseded", "superseded")
        assert new.supersedes == "cit-best-practice@2019.1"
        assert find_standard().supersedes == "cit-best-practice@2019.2"

    def test_every_2019_1_requirement_is_kept_under_its_own_id(
        self, old: Standard, new: Standard
    ) -> None:
        """Same id, same requirement: nothing of 2019.1 is removed, and 7 are added."""
        old_ids = [r.id for _, r in old.requirements()]
        new_ids = [r.id for _, r in new.requirements()]
        assert set(old_ids) <= set(new_ids)
        assert sorted(set(new_ids) - set(old_ids)) == sorted(ADDED)
        assert not any(r.replaces for _, r in new.requirements())

    def test_each_added_practice_has_sources_and_is_not_core(self, new: Standard) -> None:
        for rid in ADDED:
            requirement = new.requirement(rid)
            assert requirement.sources, rid
            assert not requirement.core, rid
            assert all(s.verification.value in ("source", "allied") for s in requirement.sources)

    def test_the_regional_requirement_applies_by_data(self, new: Standard) -> None:
        structure = new.number("program_structure")
        assert structure.kind.value == "choice"
        assert [c.id for c in structure.choices] == ["agency", "regional", "state"]
        assert new.requirement("TRN-07").applies_to == {"program_structure": ("regional",)}
        assert [r.id for _, r in new.requirements() if r.applies_to] == ["TRN-07"]


class TestDiff:
    def test_the_diff_shows_every_change(self) -> None:
        result = _run("standards", "diff", "cit-best-practice@2019.1", "cit-best-practice@2019.2")
        assert result.exit_code == 0, result.output
        out = result.stdout
        for rid in ADDED:
            assert f"+ {rid} " in out, rid
        trn07 = "+ TRN-07 A regional program's classes are open to every agency in its region "
        assert trn07 in out
        assert "only where program_structure is regional" in out
        assert "Program numbers added (1):\n  program_structure (Program structure)" in out
        part06 = out.split("  PART-06 ")[1].split("\n  COORD-01")[0]
        assert "reducing the trauma of a crisis" in part06  # the changed part, not the opening
        assert "source https://cit-utah.com/CIT-Basics: none → allied" in part06
        assert "coordinator certificate" in out.split("  COORD-01 ")[1]
        assert "coordinator certificate" in out.split("  COORD-02 ")[1]
        assert "Removed" not in out

    def test_the_json_diff_names_the_applicability(self) -> None:
        result = _run(
            "standards", "diff", "cit-best-practice@2019.1", "cit-best-practice@2019.2",
            "--format", "json",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        added = {a["id"]: a for a in json.loads(result.stdout)["added"]}
        assert added["TRN-07"]["applies_to"] == {"program_structure": ["regional"]}
        assert added["CRS-04"]["applies_to"] == {}


def _migrated(tmp_path: Path) -> tuple[Path, str]:
    target = tmp_path / "brennan-2019.2.xlsx"
    result = _run("migrate", str(EXAMPLE), "--to", "cit-best-practice@2019.2", "-o", str(target))
    assert result.exit_code == 0, result.output
    return target, result.stdout


def _set_structure(path: Path, label: str | None) -> None:
    book = load_workbook(path)
    sheet = book[L.PROGRAM_SHEET]
    row = next(c.row for c in sheet["A"] if c.value == "program_structure")
    sheet.cell(row, 3).value = label
    book.save(path)


def _audit_json(path: Path) -> dict[str, Any]:
    result = _run("audit", str(path), "-o", "-")
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def _result(report: dict[str, Any], rid: str) -> dict[str, Any]:
    found: dict[str, Any] = next(r for r in report["results"] if r["requirement_id"] == rid)
    return found


class TestMigrate:
    def test_a_2019_1_workbook_moves_with_every_answer(
        self, tmp_path: Path, old: Standard, new: Standard
    ) -> None:
        """Every answer, profile value, number and document arrives; the new asks are listed."""
        target, printed = _migrated(tmp_path)
        assert "answers carried for 46 requirements" in printed
        assert f"To answer afresh (7): {', '.join(ADDED)}" in printed
        assert "New on the Program sheet, to fill in (1): Program structure" in printed
        assert "Not carried" not in printed

        _set_structure(target, "Regional program")
        before = read_workbook(open_book(EXAMPLE), old)
        after = read_workbook(open_book(target), new)
        for row in before.requirements:
            moved = after.for_requirement(row.requirement_id)
            same = ("self_rating", "evidence_summary", "documents", "metric_value")
            assert [getattr(moved, k) for k in same] == [getattr(row, k) for k in same]
        assert after.profile == before.profile
        assert {k: v for k, v in after.numbers.items() if k != "program_structure"} == (
            before.numbers
        )
        assert after.numbers["program_structure"] == "regional"
        assert after.documents == before.documents

    def test_the_structure_must_be_given(self, tmp_path: Path) -> None:
        target, _ = _migrated(tmp_path)
        result = _run("audit", str(target))
        assert result.exit_code == 2
        assert "Program!C" in result.output and "(Program structure): required" in result.output

    def test_an_unknown_structure_names_the_choices(self, tmp_path: Path) -> None:
        target, _ = _migrated(tmp_path)
        _set_structure(target, "County")
        result = _run("audit", str(target))
        assert result.exit_code == 2
        assert (
            '"County" is not one of Agency program, Regional program, State or province program'
            in result.output
        )


class TestApplicability:
    def test_an_agency_program_is_not_judged_on_the_regional_requirement(
        self, tmp_path: Path
    ) -> None:
        target, _ = _migrated(tmp_path)
        _set_structure(target, "agency")  # the id works as well as the label
        trn07 = _result(_audit_json(target), "TRN-07")
        assert trn07["status"] == "not_applicable"
        assert trn07["applicable"] is False
        assert (
            "applies only where Program structure is Regional program"
            in (trn07["not_applicable_reason"])
        )
        assert [f["kind"] for f in trn07["findings"]] == ["not_for_this_program"]

    def test_a_regional_program_is(self, tmp_path: Path) -> None:
        target, _ = _migrated(tmp_path)
        _set_structure(target, "Regional program")
        report = _audit_json(target)
        trn07 = _result(report, "TRN-07")
        assert trn07["status"] == "unanswered" and trn07["applicable"] is True
        assert "TRN-07" in [g["requirement_id"] for g in report["gaps"]]

    def test_the_template_says_whom_a_requirement_applies_to(self, tmp_path: Path) -> None:
        out = tmp_path / "t.xlsx"
        assert _run("template", "-o", str(out)).exit_code == 0
        book = load_workbook(io.BytesIO(out.read_bytes()))
        evidence = book[L.EVIDENCE_SHEET]
        row = next(c.row for c in evidence["A"] if c.value == "TRN-07")
        statement = " ".join(str(c.value or "") for c in evidence[row])
        assert "Applies only where Program structure: Regional program" in statement
        program = book[L.PROGRAM_SHEET]
        prow = next(c.row for c in program["A"] if c.value == "program_structure")
        lists = [dv for dv in program.data_validations.dataValidation if f"C{prow}" in dv.sqref]
        assert lists and lists[0].formula1 == (
            '"Agency program,Regional program,State or province program"'
        )


class TestFormatChecks:
    """`applies_to` and choices are checked when the standard loads, each at its line."""

    def _write(self, tmp_path: Path, old: str, new: str) -> Path:
        text = (ROOT / "standards" / "cit-best-practice-2019.2.yaml").read_text(encoding="utf-8")
        assert old in text
        path = tmp_path / "custom-2019.2.yaml"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    def test_applies_to_an_undeclared_number(self, tmp_path: Path) -> None:
        path = self._write(tmp_path, "program_structure: [regional]", "program_kind: [regional]")
        result = _run("standards", "validate", str(path))
        assert result.exit_code == 2
        assert "`program_kind` is not a choice number of this standard" in result.output
        assert f"{path.name}:" in result.output

    def test_applies_to_an_unknown_choice(self, tmp_path: Path) -> None:
        path = self._write(tmp_path, "program_structure: [regional]", "program_structure: [county]")
        result = _run("standards", "validate", str(path))
        assert result.exit_code == 2
        assert "`county` is not a choice of program_structure" in result.output

    def test_a_metric_cannot_measure_a_choice(self, tmp_path: Path) -> None:
        path = self._write(
            tmp_path, "inputs: [committee_meetings_12m]", "inputs: [program_structure]"
        )
        with pytest.raises(Exception, match="is a choice, which a metric cannot measure"):
            load_file(path)
