"""
Nothing spoofed: what a reviewer cannot see never outranks what they can.

Two sheets or two columns under one meaning (a very hidden ``evidence`` sheet, a hidden second
"Reviewer rating" column, a zip holding a part twice) are located errors; evidence that shows
nothing (zero-width characters, the Braille blank, a Hangul filler, an error value such as
``#N/A``) is no evidence, and is judged exactly as a blank cell is.
"""

from __future__ import annotations

import json
import warnings
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from citcert.cli import cli
from citcert.errors import ExitCode
from citcert.workbook import layout as L
from citcert.workbook.ratings import clean_text, has_visible_text
from tests.audit.workbook_filler import (
    MINI,
    blank,
    dump_yaml,
    fill,
    header_column,
    load_yaml,
    rewrite_part,
    save,
    set_answer,
    set_program,
)


@pytest.fixture(scope="module")
def standards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("standards")
    dump_yaml(load_yaml(MINI), folder / "mini.yaml")
    return folder


def invoke(standards: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--standards-dir", str(standards), *args])


def audit_json(standards: Path, path: Path) -> dict[str, object]:
    result = invoke(standards, "audit", str(path), "-o", "-")
    assert result.exit_code == ExitCode.OK, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


class TestTwoOfOneMeaning:
    @pytest.mark.parametrize("name", ["evidence", "EVIDENCE", " Evidence", "Ｅｖｉｄｅｎｃｅ"])
    @pytest.mark.parametrize("state", ["veryHidden", "hidden", "visible"])
    def test_a_second_evidence_sheet_is_a_located_error(
        self, tmp_path: Path, standards: Path, name: str, state: str
    ) -> None:
        book = fill(blank())
        planted = book.copy_worksheet(book[L.EVIDENCE_SHEET])
        planted.title = "PLANTED"  # openpyxl renames a twin; the file is edited below instead
        planted.sheet_state = state
        path = save(book, tmp_path / "p.xlsx")
        rewrite_part(path, "xl/workbook.xml", 'name="PLANTED"', f'name="{name}"')

        result = invoke(standards, "audit", str(path))

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert 'p.xlsx: the workbook has two sheets named "Evidence"' in result.stderr
        if state != "visible":
            assert "is hidden" in result.stderr

    @pytest.mark.parametrize(
        "header", ["Evidence summary", "EVIDENCE SUMMARY", "Self rating", "SELF RATING"]
    )
    @pytest.mark.parametrize("where", ["after", "before"])
    def test_a_second_column_with_a_known_header_is_a_located_error(
        self, tmp_path: Path, standards: Path, header: str, where: str
    ) -> None:
        book = fill(blank())
        ws = book[L.EVIDENCE_SHEET]
        column = 1 if where == "before" else ws.max_column + 1
        if where == "before":
            ws.insert_cols(1)
        ws.cell(L.HEADER_ROW, column, header)
        ws.column_dimensions[ws.cell(1, column).column_letter].hidden = True
        for row in range(L.FIRST_DATA_ROW, ws.max_row + 1):
            ws.cell(row, column, "Met")
        path = save(book, tmp_path / "p.xlsx")

        result = invoke(standards, "validate", str(path))

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert f'the column "{header.capitalize()}" appears more than once' in result.stderr
        assert "p.xlsx: Evidence!" in result.stderr

    @pytest.mark.parametrize("part", ["xl/worksheets/sheet3.xml", "XL/Worksheets/Sheet3.xml"])
    def test_a_zip_holding_a_part_twice_is_refused(
        self, tmp_path: Path, standards: Path, part: str
    ) -> None:
        good = save(fill(blank()), tmp_path / "good.xlsx")
        path = tmp_path / "p.xlsx"
        with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
            for info in source.infolist():
                target.writestr(info, source.read(info))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # zipfile warns of the duplicate it writes
                target.writestr(part, source.read("xl/worksheets/sheet3.xml"))

        result = invoke(standards, "audit", str(path))

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert "holds the part" in result.stderr and "twice" in result.stderr


INVISIBLE = [
    "\u200b\u200b\u200b",  # zero-width spaces
    "\u2800",  # Braille blank
    "\u3164",  # Hangul filler
    "\ufeff\u2060",  # byte-order mark, word joiner
    "\u00a0 \u3000",  # no-break and ideographic spaces
    "\u0301\u0301",  # combining marks with nothing to combine with
    "\u115f\u1160",  # Hangul choseong and jungseong fillers
]
ERRORS = ["#N/A", "#REF!", "#VALUE!", "#div/0!"]


@pytest.fixture(scope="module")
def blank_evidence(tmp_path_factory: pytest.TempPathFactory, standards: Path) -> dict:
    """The audit of a workbook whose TRN-01 (rated Met) has no evidence summary."""
    book = fill(blank())
    set_answer(book, "TRN-01", "Evidence summary", None)
    path = save(book, tmp_path_factory.mktemp("blank") / "p.xlsx")
    return audit_json(standards, path)


class TestInvisibleEvidenceIsNoEvidence:
    @pytest.mark.parametrize("text", INVISIBLE + ERRORS)
    def test_it_is_judged_as_a_blank_cell(
        self, tmp_path: Path, standards: Path, blank_evidence: dict, text: str
    ) -> None:
        book = fill(blank())
        set_answer(book, "TRN-01", "Evidence summary", text)
        report = audit_json(standards, save(book, tmp_path / "p.xlsx"))

        assert report["decision"] == blank_evidence["decision"]
        assert report["results"] == blank_evidence["results"]

    @pytest.mark.parametrize("text", ERRORS)
    def test_an_error_value_is_a_warning_with_its_cell(
        self, tmp_path: Path, standards: Path, text: str
    ) -> None:
        book = fill(blank())
        set_answer(book, "TRN-01", "Evidence summary", text)
        column = header_column(book[L.EVIDENCE_SHEET], "Evidence summary")
        path = save(book, tmp_path / "p.xlsx")

        result = invoke(standards, "validate", str(path))

        assert result.exit_code == ExitCode.OK, result.output
        letter = book[L.EVIDENCE_SHEET].cell(1, column).column_letter
        assert f"Evidence!{letter}" in result.stdout
        assert f"holds the error value {text.strip()}" in result.stdout

    @settings(max_examples=300, deadline=None)
    @given(st.text(st.characters(categories=("Cf", "Zs", "Mn", "Me", "Cc")), max_size=10))
    def test_text_of_only_invisible_characters_reads_as_blank(self, text: str) -> None:
        assert clean_text(text) == ""
        assert not has_visible_text(text)

    @settings(max_examples=300, deadline=None)
    @given(st.text(st.characters(categories=("L", "N", "P", "S")), min_size=1))
    def test_text_with_something_to_see_is_kept(self, text: str) -> None:
        visible = [c for c in text if c not in "\u2800\u3164\u115f\u1160\uffa0"]
        if visible:
            assert has_visible_text(text)


class TestFormulasWithoutSavedResults:
    """A library-written formula has no result (or 0) saved: a warning with cell and formula."""

    @pytest.mark.parametrize(
        ("requirement", "header", "formula"),
        [
            ("TRN-02", "Metric value", "=20*2"),
            ("TRN-01", "Evidence summary", '=CONCAT("In the ", "binder")'),
        ],
    )
    def test_a_formula_without_a_saved_result_is_a_warning_naming_it(
        self, tmp_path: Path, standards: Path, requirement: str, header: str, formula: str
    ) -> None:
        book = fill(blank())
        set_answer(book, requirement, header, formula)  # openpyxl saves no result
        column = header_column(book[L.EVIDENCE_SHEET], header)
        letter = book[L.EVIDENCE_SHEET].cell(1, column).column_letter
        path = save(book, tmp_path / "p.xlsx")

        result = invoke(standards, "validate", str(path))

        assert f"Evidence!{letter}" in result.output
        assert f"holds the formula {formula} with no saved result" in result.output

    def test_a_required_cell_holding_a_formula_says_so_in_its_error(
        self, tmp_path: Path, standards: Path
    ) -> None:
        """Not just "required but empty": the error names the formula it holds."""
        book = fill(blank())
        set_program(book, "assessment_date", "=TODAY()")
        path = save(book, tmp_path / "p.xlsx")

        result = invoke(standards, "validate", str(path))

        assert result.exit_code == ExitCode.INPUT_ERROR
        assert (
            "p.xlsx: Program!C12 (Assessment date): required but empty; fill it in (the cell "
            "holds the formula =TODAY() with no saved result: open the file in Excel or "
            "LibreOffice Calc and save it, or type the value itself)"
        ) in result.stderr

    def test_a_workbook_without_formulas_has_no_such_warning(
        self, tmp_path: Path, standards: Path
    ) -> None:
        path = save(fill(blank()), tmp_path / "p.xlsx")

        result = invoke(standards, "validate", str(path))

        assert "holds the formula" not in result.output
