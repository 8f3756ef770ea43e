"""
An answer in a hidden row or column of the Evidence sheet is read, and warned of at its cell:
a reviewer looking at the workbook may not see what citcert scores. Hidden rows and columns are
read from the sheet's XML (openpyxl's read-only mode does not tell), cheaply and safely.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl.utils import get_column_letter

from citcert.cli import cli
from citcert.errors import ExitCode
from citcert.workbook import layout as L
from tests.audit import workbook_filler as filler

STANDARDS = filler.MINI.parent


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--standards-dir", str(STANDARDS), *args])


def cell(book: object, requirement: str, header: str) -> str:
    """The A1 name of a requirement's cell under `header` on the Evidence sheet."""
    ws = book[L.EVIDENCE_SHEET]  # type: ignore[index]
    return f"{get_column_letter(filler.header_column(ws, header))}{filler.id_row(ws, requirement)}"


def warnings_of(path: Path) -> list[str]:
    """`validate`'s warnings, each as ``Sheet!Cell (subject): message``."""
    result = invoke("validate", str(path))
    assert result.exit_code == ExitCode.OK, result.output
    prefix = f"  {path.name}: "
    return [
        line.removeprefix(prefix) for line in result.stdout.splitlines() if line.startswith(prefix)
    ]


class TestHiddenAnswers:
    def test_an_answer_in_a_hidden_row_is_warned_of_at_its_cells(self, tmp_path: Path) -> None:
        """PART-02's row hidden: its rating and evidence are named; other rows are not."""
        book = filler.fill(filler.blank())
        ws = book[L.EVIDENCE_SHEET]
        ws.row_dimensions[filler.id_row(ws, "PART-02")].hidden = True
        path = filler.save(book, tmp_path / "p.xlsx")

        shown = warnings_of(path)

        rating = cell(book, "PART-02", "Self rating")
        summary = cell(book, "PART-02", "Evidence summary")
        hidden = [w for w in shown if "hidden row" in w]
        assert [w.split(" ")[0] for w in hidden] == [f"Evidence!{rating}", f"Evidence!{summary}"]
        assert "(PART-02, self rating): citcert reads this answer, though" in hidden[0]
        assert not [w for w in shown if "PART-01" in w and "hidden" in w]

    def test_an_answer_in_a_hidden_column_is_warned_of(self, tmp_path: Path) -> None:
        """The Notes column hidden: the one note in it is named (empty cells are not)."""
        book = filler.fill(filler.blank())
        ws = book[L.EVIDENCE_SHEET]
        letter = get_column_letter(filler.header_column(ws, "Notes"))
        ws.column_dimensions[letter].hidden = True
        path = filler.save(book, tmp_path / "p.xlsx")

        shown = [w for w in warnings_of(path) if "hidden" in w]

        assert shown == [
            f"Evidence!{cell(book, 'TRN-02', 'Notes')} (TRN-02, notes): citcert reads this answer,"
            " though a reviewer looking at the workbook may not see it: it lies in a hidden column"
            " (or a collapsed group)"
        ]

    def test_a_collapsed_group_hides_its_rows_too(self, tmp_path: Path) -> None:
        """Rows folded away in an outline group are hidden rows: warned of."""
        book = filler.fill(filler.blank())
        ws = book[L.EVIDENCE_SHEET]
        first, last = filler.id_row(ws, "TRN-01"), filler.id_row(ws, "TRN-03")
        ws.row_dimensions.group(first, last, outline_level=1, hidden=True)
        path = filler.save(book, tmp_path / "p.xlsx")

        shown = [w for w in warnings_of(path) if "hidden row" in w]

        assert [w.split(" (")[0] for w in shown][:2] == ["Evidence!H8:H10", "Evidence!I8:I10"]
        assert shown[0].endswith(
            "in a hidden row (or a collapsed group) in 3 rows (TRN-01 to TRN-03)"
        )

    def test_nothing_hidden_nothing_warned(self, tmp_path: Path) -> None:
        path = filler.filled_path(tmp_path)

        assert not [w for w in warnings_of(path) if "hidden" in w]

    @pytest.mark.parametrize("mark", ['hidden="true"', "hidden='1'", 'hidden = "1"'])
    def test_any_spelling_of_the_mark_in_the_xml_is_read(self, tmp_path: Path, mark: str) -> None:
        """Another program's XML (true, single quotes, spaces) hides the row all the same."""
        book = filler.fill(filler.blank())
        row = filler.id_row(book[L.EVIDENCE_SHEET], "TRN-01")
        path = filler.save(book, tmp_path / "p.xlsx")
        part = _evidence_part(path)
        filler.rewrite_part(path, part, f'<row r="{row}"', f'<row r="{row}" {mark}')

        shown = [w for w in warnings_of(path) if "hidden row" in w]

        assert shown and all("(TRN-01, " in w for w in shown)

    def test_the_audit_reports_carry_the_warning(self, tmp_path: Path) -> None:
        """The JSON report's warnings name the hidden answer too."""
        book = filler.fill(filler.blank())
        ws = book[L.EVIDENCE_SHEET]
        ws.row_dimensions[filler.id_row(ws, "PART-02")].hidden = True
        path = filler.save(book, tmp_path / "p.xlsx")

        result = invoke("audit", str(path), "-o", "-")

        assert result.exit_code == ExitCode.OK, result.output
        assert any("hidden row" in w for w in json.loads(result.stdout)["warnings"])


def _evidence_part(path: Path) -> str:
    """The zip part of the Evidence sheet (openpyxl writes the sheets in their order)."""
    index = filler.blank().sheetnames.index(L.EVIDENCE_SHEET) + 1
    part = f"xl/worksheets/sheet{index}.xml"
    with zipfile.ZipFile(path) as archive:
        assert b"Self rating" in archive.read(part) or part in archive.namelist()
    return part
