"""The blank evidence workbook: its sheets, its aids to a person, its protection, its bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from citcert.cli import cli
from citcert.standards.model import standard_sha256
from citcert.workbook import layout as L
from citcert.workbook.template import render_template
from citcert.workbook.template.styles import put
from tests.audit.workbook_filler import MINI, id_row, standard, template_bytes


@pytest.fixture(scope="module")
def book() -> Any:
    """The mini standard's template, opened with openpyxl (once)."""
    return load_workbook(io.BytesIO(template_bytes()))


def _validations(ws: Any) -> dict[str, Any]:
    """Each data validation by the cells it covers (as text)."""
    return {str(v.sqref): v for v in ws.data_validations.dataValidation}


class TestSheets:
    """What the workbook holds."""

    def test_sheets_in_order_with_the_metadata_hidden(self, book: Any) -> None:
        """Instructions, Program, Evidence, Documents, then a hidden, protected metadata sheet."""
        assert book.sheetnames == ["Instructions", "Program", "Evidence", "Documents", "citcert"]
        assert book["citcert"].sheet_state == "hidden"
        assert book["citcert"].protection.sheet is True

    def test_metadata_records_standard_hash_and_layout(self, book: Any) -> None:
        """The metadata sheet names the standard, its SHA-256 and the layout version."""
        rows = {r[0]: r[1] for r in book["citcert"].iter_rows(min_row=2, values_only=True) if r[0]}

        assert rows == {
            "standard_ref": "mini-standard@1.0",
            "standard_sha256": standard_sha256(standard()),
            "layout_version": L.LAYOUT_VERSION,
        }

    def test_instructions_explain_the_standard_and_the_scale(self, book: Any) -> None:
        """The Instructions sheet names the standard and says what each rating means."""
        text = "\n".join(str(c.value) for c in book["Instructions"]["A"] if c.value)

        assert (
            "Standard mini-standard@1.0, published by citcert tests, effective 2024-01-01." in text
        )
        assert "Partially met: Partly in place." in text
        assert "citcert validate" in text

    def test_evidence_rows_grouped_by_domain_with_core_marked(self, book: Any) -> None:
        """Domain heading rows precede their requirements; core rows say CORE and are filled."""
        ws = book["Evidence"]
        column_a = [ws.cell(r, 1).value for r in range(L.FIRST_DATA_ROW, ws.max_row + 1)]
        core = ws.cell(id_row(ws, "PART-01"), 2)

        assert column_a == [None, "PART-01", "PART-02", None, "TRN-01", "TRN-02", "TRN-03"]
        assert ws.cell(L.FIRST_DATA_ROW, 3).value == "PART: Partnerships"
        assert core.value == "CORE"
        assert core.fill.start_color.rgb.endswith("FCE4CC")
        assert ws.cell(id_row(ws, "PART-02"), 2).value is None
        assert ws.row_dimensions[id_row(ws, "PART-01")].outline_level == 1

    def test_headers_are_the_layout_headers(self, book: Any) -> None:
        """The header rows are exactly the shared layout's, so the reader finds every column."""
        for sheet, columns in (
            ("Program", L.PROGRAM_COLUMNS),
            ("Evidence", L.EVIDENCE_COLUMNS),
            ("Documents", L.DOCUMENT_COLUMNS),
        ):
            headers = [c.value for c in book[sheet][L.HEADER_ROW]][: len(columns)]
            assert headers == [c.header for c in columns]

    def test_metric_column_says_what_to_enter_or_where_it_comes_from(self, book: Any) -> None:
        """Typed metrics invite a value; computed ones point to the Program sheet and are locked."""
        ws = book["Evidence"]
        metric, value = (L.column_letter(L.EVIDENCE_COLUMNS, k) for k in ("metric", "metric_value"))

        assert (
            ws[f"{metric}{id_row(ws, 'TRN-02')}"].value
            == "Enter: Hours of the basic course (hours)"
        )
        assert ws[f"{metric}{id_row(ws, 'TRN-01')}"].value == (
            "Share of patrol officers CIT trained: worked out from the Program sheet "
            "(CIT-trained patrol officers ÷ Patrol officers)"
        )
        assert ws[f"{value}{id_row(ws, 'TRN-02')}"].protection.locked is False
        assert ws[f"{value}{id_row(ws, 'TRN-01')}"].protection.locked is True


class TestAidsToAPerson:
    """Drop-downs, checks, frozen headers, protection, print set-up."""

    def test_rating_cells_offer_the_scale_as_a_drop_down(self, book: Any) -> None:
        """Self rating cells list the scale's labels and Not applicable (no reviewer column)."""
        ws = book["Evidence"]
        ratings = [v for v in ws.data_validations.dataValidation if v.type == "list"]

        assert len(ratings) == 1
        assert ratings[0].formula1 == '"Met,Partially met,Not met,Not applicable"'
        assert {"H5", "H10"} <= {str(c) for r in ratings[0].sqref.ranges for c in [r.coord]}

    def test_program_values_have_number_and_date_checks(self, book: Any) -> None:
        """Counts take whole numbers of 0 or more; dates take dates; the type is a drop-down."""
        checks = _validations(book["Program"])

        assert checks["C15"].type == "whole"
        assert (checks["C15"].operator, checks["C15"].formula1) == ("greaterThanOrEqual", "0")
        assert checks["C17"].type == "date"
        assert checks["C11"].formula1 == '"Self-assessment,Review"'
        assert book["Program"]["C12"].number_format == "yyyy-mm-dd"

    def test_only_input_cells_are_unlocked_and_sheets_protected_without_password(
        self, book: Any
    ) -> None:
        """Sheets are protected with no password; only cells meant for typing are unlocked."""
        ws = book["Evidence"]
        row = id_row(ws, "PART-01")
        unlocked = {c.column_letter for c in ws[row] if c.protection.locked is False}

        assert unlocked == {"H", "I", "J", "M"}
        for sheet in ("Instructions", "Program", "Evidence", "Documents"):
            assert book[sheet].protection.sheet is True
            assert not book[sheet].protection.password
        assert book["Program"]["C4"].protection.locked is False
        assert book["Program"]["B4"].protection.locked is True
        assert book["Documents"]["A4"].protection.locked is False

    def test_headers_frozen_text_wrapped_and_printable(self, book: Any) -> None:
        """Header rows stay in view and print on every page, landscape and fit to width."""
        ws = book["Evidence"]

        assert ws.freeze_panes == "C4"
        assert ws.print_title_rows == "$1:$3"
        assert ws.page_setup.orientation == "landscape"
        # Shrunk no further than 8-pt text (73% of 11 pt); wider sheets print across pages.
        assert 73 <= ws.page_setup.scale <= 100
        assert ws.sheet_properties.pageSetUpPr.fitToPage is False
        assert ws["E5"].alignment.wrap_text is True
        assert ws.column_dimensions["E"].width == L.EVIDENCE_COLUMNS[4].width

    def test_rows_are_tall_enough_for_their_wrapped_text(self, book: Any) -> None:
        """Rows get a height for their text, since not every program grows them on opening."""
        ws = book["Evidence"]
        heights = {rid: ws.row_dimensions[id_row(ws, rid)].height for rid in ("PART-01", "TRN-02")}

        assert all(height and height >= 30 for height in heights.values())
        assert book["Instructions"].row_dimensions[1].height == 24


class TestBytes:
    """Same standard, same bytes."""

    def test_the_same_standard_gives_the_same_bytes(self) -> None:
        """Two renders are byte-identical."""
        assert render_template(standard()) == render_template(standard())

    def test_bytes_do_not_depend_on_the_process(self) -> None:
        """A render in another process, with another hash seed, gives the same bytes."""
        code = (
            "import sys, hashlib; sys.path.insert(0, '.');"
            "from tests.audit.workbook_filler import standard;"
            "from citcert.workbook.template import render_template;"
            "print(hashlib.sha256(render_template(standard())).hexdigest())"
        )
        env = {**os.environ, "PYTHONHASHSEED": "12345"}
        other = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=Path(__file__).parents[2],
        ).stdout.strip()

        assert other == hashlib.sha256(template_bytes()).hexdigest()

    def test_times_come_from_the_effective_date(self, book: Any) -> None:
        """Document properties and every zip entry carry the standard's effective date."""
        with zipfile.ZipFile(io.BytesIO(template_bytes())) as archive:
            stamps = {info.date_time for info in archive.infolist()}

        assert stamps == {(2024, 1, 1, 0, 0, 0)}
        assert book.properties.created == dt.datetime(2024, 1, 1)
        assert book.properties.modified == dt.datetime(2024, 1, 1)

    def test_text_starting_with_equals_stays_text(self) -> None:
        """Text that looks like a formula is stored as text, never as a formula."""
        from openpyxl import Workbook

        cell = Workbook().active["A1"]
        put(cell, '=HYPERLINK("http://x")')

        assert cell.data_type == "s"


class TestCommand:
    """`citcert template`."""

    def test_writes_the_workbook(self, tmp_path: Path, runner: CliRunner) -> None:
        """The command writes the template for the named standard and says so."""
        folder = tmp_path / "standards"
        folder.mkdir()
        (folder / "mini.yaml").write_bytes(MINI.read_bytes())
        out = tmp_path / "program.xlsx"

        result = runner.invoke(
            cli,
            [
                "--standards-dir",
                str(folder),
                "template",
                "--standard",
                "mini-standard",
                "-o",
                str(out),
            ],
        )

        assert result.exit_code == 0, result.stderr
        assert out.read_bytes() == template_bytes()
        assert (
            result.stdout == f"Wrote {out} for mini-standard@1.0 (Mini CIT standard for tests).\n"
        )

    def test_refuses_to_overwrite_a_workbook(self, tmp_path: Path, runner: CliRunner) -> None:
        """An existing file (perhaps a filled workbook) is not replaced without --force."""
        out = tmp_path / "program.xlsx"
        out.write_bytes(b"answers")

        result = runner.invoke(cli, ["template", "-o", str(out)])

        assert result.exit_code == 2
        assert "already exists; choose another name or add --force" in result.stderr
        assert out.read_bytes() == b"answers"

    def test_unknown_standard_writes_nothing(self, tmp_path: Path, runner: CliRunner) -> None:
        """A standard that does not exist is an input error and leaves no file behind."""
        out = tmp_path / "program.xlsx"

        result = runner.invoke(cli, ["template", "--standard", "no-such-standard", "-o", str(out)])

        assert result.exit_code == 2
        assert "no-such-standard" in result.stderr
        assert list(tmp_path.iterdir()) == []
