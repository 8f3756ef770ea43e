"""
The PDF and XLSX reports end to end: a workbook with hostile text, through `citcert audit`.

The writers' own tests use an assessment built in code; this one starts where a coordinator
does, from a filled-in evidence workbook, so that the reader, the scorer and the writers are
checked together on text typed to break them.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

from citcert.cli import cli
from citcert.export.wording import FORMULA_TRIGGERS
from citcert.workbook import layout
from tests.audit import workbook_filler as filler
from tests.conftest import data

PROGRAM = "Ærø & <Valley> CIT"
COMMENT = '=HYPERLINK("http://x","y") <b>bold</b> & <font size="40">big</font>\nsecond line'
SUMMARY = "=cmd|' /C calc'!A0 Crème brûlée — برنامج — 危机 👍"


def _type_text(book: Any, requirement_id: str, header: str, text: str) -> None:
    """Type text the way Excel stores it after a leading quote: as a string, never a formula."""
    cell = filler.cell_of(book[layout.EVIDENCE_SHEET], requirement_id, header)
    cell.value = text
    cell.data_type = "s"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The PDF and XLSX that `citcert audit` writes for a hostile review workbook."""
    folder = tmp_path_factory.mktemp("hostile")
    profile = {**filler.PROFILE, "program_name": PROGRAM, "coordinator": "@SUM(A1:A9)"}
    profile |= {"assessment_type": "Review", "reviewer": "Zoë O'Brien"}
    answers = {rid: dict(row) for rid, row in filler.ANSWERS.items()}
    for row in answers.values():
        row["Reviewer rating"] = row["Self rating"]
    answers["PART-01"]["Reviewer rating"] = "Not met"
    book = filler.fill(filler.legacy_layout(filler.blank()), profile=profile, answers=answers)
    _type_text(book, "PART-01", "Reviewer comment", COMMENT)
    _type_text(book, "PART-01", "Evidence summary", SUMMARY)
    workbook = filler.save(book, folder / "program.xlsx")
    args = ["--standards-dir", str(data("standards")), "audit", str(workbook)]
    result = CliRunner().invoke(cli, [*args, "-o", str(folder / "out"), "--format", "pdf,xlsx"])
    assert result.exit_code == 0, result.output
    return {path.suffix: path.read_bytes() for path in (folder / "out").iterdir()}


def test_pdf_shows_hostile_text_as_typed(reports: dict[str, bytes]) -> None:
    """The program name, decision, gap and plan step come out, and typed markup is plain text."""
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(reports[".pdf"])).pages]
    text = " ".join(" ".join(pages).split())

    assert PROGRAM in text
    assert "PART-01" in text[text.index("Gap report 1 gap") :]
    assert "Remediation plan" in text
    assert '=HYPERLINK("http://x","y") <b>bold</b> & <font size="40">big</font>' in text
    assert f"Page 1 of {len(pages)}" in pages[0]


def test_xlsx_keeps_text_but_never_a_formula(reports: dict[str, bytes]) -> None:
    """Hostile text reaches the tracker behind a single quote; no cell is or starts a formula."""
    book = load_workbook(io.BytesIO(reports[".xlsx"]))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    texts = {c.value for c in cells if isinstance(c.value, str)}

    assert "'" + SUMMARY in texts
    assert "'" + COMMENT in texts
    assert all(c.data_type != "f" for c in cells)
    assert not [
        c.value for c in cells if isinstance(c.value, str) and c.value[0] in FORMULA_TRIGGERS
    ]
