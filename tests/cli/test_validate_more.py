"""
`citcert validate` for scripts and for what the audit will mark down.

Several workbooks at once, ``--format json`` (each problem with file, sheet, cell, requirement,
severity and message, valid against ``citcert schema validation``), and warnings with their cell
for a core claim with nothing to show, an unlisted document and a review with no reviewer rating.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from citcert.cli import cli
from tests.audit.workbook_filler import MINI, blank, fill, save, set_answer, set_program


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "standards").mkdir()
    (tmp_path / "standards" / "mini.yaml").write_bytes(MINI.read_bytes())
    return tmp_path / "standards"


def _validate(folder: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--standards-dir", str(folder), "validate", *args])


def _schema() -> Any:
    return json.loads(CliRunner().invoke(cli, ["schema", "validation"]).stdout)


def _good(tmp_path: Path, name: str = "good.xlsx") -> Path:
    return save(fill(blank()), tmp_path / name)


def _bad(tmp_path: Path) -> Path:
    book = fill(blank())
    set_answer(book, "TRN-01", "Self rating", "sort of")
    return save(book, tmp_path / "bad.xlsx")


def test_several_workbooks_at_once(tmp_path: Path, folder: Path) -> None:
    """Each is reported; one bad workbook makes the exit status 2, the good one is still said."""
    result = _validate(folder, str(_good(tmp_path)), str(_bad(tmp_path)))

    assert result.exit_code == 2
    assert "good.xlsx is ready to audit against mini-standard@1.0." in result.stdout
    assert "bad.xlsx: Evidence!H8 (TRN-01, self rating)" in result.stderr


def test_json_lists_every_problem_with_its_place(tmp_path: Path, folder: Path) -> None:
    result = _validate(folder, str(_good(tmp_path)), str(_bad(tmp_path)), "--format", "json")

    assert result.exit_code == 2
    report = json.loads(result.stdout)
    jsonschema.validate(report, _schema())
    good, bad = report["files"]
    assert (good["file"], good["ready"], bad["ready"], report["ready"]) == (
        "good.xlsx",
        True,
        False,
        False,
    )
    (error,) = [p for p in bad["problems"] if p["severity"] == "error"]
    assert error == {
        "file": "bad.xlsx",
        "sheet": "Evidence",
        "cell": "H8",
        "line": None,
        "column": None,
        "requirement_id": "TRN-01",
        "subject": "TRN-01, self rating",
        "severity": "error",
        "message": error["message"],
    }
    assert '"sort of"' in error["message"]


def test_json_of_a_ready_workbook_exits_0(tmp_path: Path, folder: Path) -> None:
    result = _validate(folder, str(_good(tmp_path)), "--format", "json")

    assert result.exit_code == 0
    jsonschema.validate(json.loads(result.stdout), _schema())


def _warnings(folder: Path, path: Path, *extra: str) -> list[dict[str, Any]]:
    result = _validate(folder, str(path), "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    jsonschema.validate(report, _schema())
    return [p for p in report["files"][0]["problems"] if p["severity"] == "warning"]


def test_a_core_claim_with_nothing_to_show_is_a_warning_at_its_cell(
    tmp_path: Path, folder: Path
) -> None:
    book = fill(blank())
    set_answer(book, "PART-01", "Evidence summary", None)
    set_answer(book, "PART-01", "Document references", None)
    path = save(book, tmp_path / "p.xlsx")

    found = [w for w in _warnings(folder, path) if "mark it down" in w["message"]]

    assert [(w["cell"], w["requirement_id"]) for w in found] == [("H5", "PART-01")]
    text = _validate(folder, str(path)).stdout
    assert "p.xlsx: Evidence!H5 (PART-01, rating): a core requirement" in text


def test_a_document_not_in_the_documents_sheet_is_a_warning_at_its_cell(
    tmp_path: Path, folder: Path
) -> None:
    """PART-01 cites a roster the Documents sheet does not list."""
    found = [w for w in _warnings(folder, _good(tmp_path)) if "Documents sheet" in w["message"]]

    assert [(w["sheet"], w["cell"], w["requirement_id"]) for w in found] == [
        ("Evidence", "J5", "PART-01")
    ]
    assert "“PART-01 Roster 2024-01” is not listed" in found[0]["message"]


def test_a_review_with_no_reviewer_rating_is_a_warning(tmp_path: Path, folder: Path) -> None:
    path = _good(tmp_path)

    found = [w for w in _warnings(folder, path, "--mode", "review") if "reviewer" in w["message"]]

    assert len(found) == 1 and found[0]["sheet"] == "Evidence"


def test_audit_warns_too_of_a_review_with_no_reviewer_rating(tmp_path: Path, folder: Path) -> None:
    book = fill(blank())
    set_program(book, "assessment_type", "Self-assessment")
    path = save(book, tmp_path / "p.xlsx")

    result = CliRunner().invoke(
        cli, ["--standards-dir", str(folder), "audit", str(path), "--mode", "review"]
    )

    assert result.exit_code == 0
    assert "no reviewer rating is filled in" in result.stderr


def test_a_date_typed_as_text_that_reads_both_ways_is_a_warning_at_its_cell(
    tmp_path: Path, folder: Path
) -> None:
    """
    03/04/2024 is read as March 4; a reviewer who writes the day first meant April 3. The first
    such cell says so in full, a second says only what it is read as; dates that read one way
    (31/03 is refused, 03/03 is the same both ways) and real date cells say nothing.
    """
    book = fill(blank())
    set_program(book, "assessment_date", "05/01/2024")
    set_program(book, "last_committee_meeting", "03/04/2024")
    path = save(book, tmp_path / "p.xlsx")

    found = [w for w in _warnings(folder, path) if "month first" in w["message"]]

    assert [(w["sheet"], w["cell"]) for w in found] == [("Program", "C12"), ("Program", "C17")]
    assert found[1]["subject"] == "Date of the last steering committee meeting"
    first, second = (w["message"] for w in found)
    assert "read month first as May 1, 2024" in first
    assert "type 2024-01-05" in first
    assert second.endswith("read month first as 2024-03-04 (typed as text)")

    for same in ("03/03/2024", dt.datetime(2024, 3, 4)):
        set_program(book, "assessment_date", dt.datetime(2024, 5, 1))
        set_program(book, "last_committee_meeting", same)
        path = save(book, tmp_path / "q.xlsx")
        assert not [w for w in _warnings(folder, path) if "month first" in w["message"]]
