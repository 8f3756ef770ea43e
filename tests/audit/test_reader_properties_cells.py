"""
Arbitrary values typed into a filled workbook's input cells, read back: either a clean
`Evidence` or a `WorkbookError` whose every problem points at a cell, never another exception.

Each example starts from a complete, valid workbook for the mini standard, writes drawn values
(text of any script and length, formula-like text, numbers including infinities and NaN, dates
from any century, times, booleans, formulas without a cached value) into a few of the cells a
person may edit on the Program, Evidence and Documents sheets, saves it with openpyxl, and reads
it the way `citcert validate` does. Whatever is read is then scored and written to JSON,
Markdown and the terminal, which must not fail either.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from citcert.audit.scoring import assess
from citcert.errors import WorkbookError
from citcert.export import Format, render
from citcert.workbook import layout as L
from citcert.workbook.evidence import Evidence
from citcert.workbook.reader import open_book, read_workbook
from tests.audit import workbook_filler as filler

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _input_cells() -> list[tuple[str, str]]:
    """(sheet, cell) of every cell a person fills in, found like the reader finds them."""
    book = filler.blank()
    program, evidence, documents = (
        book[name] for name in (L.PROGRAM_SHEET, L.EVIDENCE_SHEET, L.DOCUMENTS_SHEET)
    )
    value = filler.header_column(program, "Value")
    cells = [
        (L.PROGRAM_SHEET, program.cell(row, value).coordinate)
        for row in range(L.FIRST_DATA_ROW, program.max_row + 1)
        if program.cell(row, 1).value
    ]
    cells += [
        (L.EVIDENCE_SHEET, filler.cell_of(evidence, requirement_id, column.header).coordinate)
        for requirement_id in ("PART-01", "PART-02", "TRN-01", "TRN-02", "TRN-03")
        for column in L.EVIDENCE_COLUMNS
        if column.editable
    ]
    cells += [
        (L.DOCUMENTS_SHEET, documents.cell(row, column).coordinate)
        for column in range(1, len(L.DOCUMENT_COLUMNS) + 1)
        for row in (L.FIRST_DATA_ROW, L.FIRST_DATA_ROW + 1)
    ]
    return cells


CELLS = _input_cells()
SNIPPETS = [
    "=",
    "+",
    "-",
    "@",
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "Met",
    "met",
    " Partially  met ",
    "N/A",
    "Not applicable",
    "Yes",
    "0",
    "100%",
    "1e308",
    "-1",
    "2024-02-30",
    "31/12/2023",
    "<b>",
    "&amp;",
    "\u202e",
    "👮🏽‍♀️",
    "مركز",
    "\n",
    "\t",
    "\x7f",
    "\x85",
]


def _legal(text: str) -> str:
    """What a cell can hold: openpyxl refuses the control characters XML cannot carry."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


TEXT = st.one_of(
    st.text(max_size=30),
    st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=8)), max_size=6).map("".join),
    st.builds(lambda n, c: c * n, st.integers(32_000, 33_000), st.sampled_from("xé👍 ")),
).map(_legal)
VALUES = st.one_of(
    TEXT,
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.times(),
    st.just(None),
    st.sampled_from(["=SUM(A1:A3)", "=1/0", "=NOW()"]).map(lambda f: ("formula", f)),
)


@pytest.fixture(scope="module")
def filled_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A complete, valid workbook for the mini standard (made once)."""
    return filler.filled_path(tmp_path_factory.mktemp("filled")).read_bytes()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the examples' workbooks (one file, rewritten by each example)."""
    return tmp_path_factory.mktemp("examples")


def _write(book: Any, sheet: str, cell: str, value: object) -> None:
    target = book[sheet][cell]
    if isinstance(value, tuple):  # a formula, saved without a cached value as openpyxl does
        target.value = value[1]
        return
    target.value = value
    if isinstance(value, str):
        target.data_type = "s"  # typed text stays text, even when it starts with "="


def _check_evidence(evidence: Evidence) -> None:
    """What was read is well formed, scores, and renders in the light formats."""
    json.loads(evidence.model_dump_json())
    for number in evidence.numbers.values():
        assert not isinstance(number, float) or math.isfinite(number)
    assessment = assess(filler.standard(), evidence)
    for fmt in (Format.JSON, Format.MARKDOWN, Format.TERMINAL):
        assert render(assessment, fmt)


def _check_error(error: WorkbookError, name: str) -> None:
    """Every problem is located in the file, on a sheet, in words a coordinator can read."""
    assert error.problems
    for problem in error.problems:
        assert problem.location.file == name
        assert problem.location.sheet in {L.PROGRAM_SHEET, L.EVIDENCE_SHEET, L.DOCUMENTS_SHEET}
        assert problem.message and "Traceback" not in problem.message
        assert "Input should" not in problem.message


@PROPERTY
@given(st.dictionaries(st.sampled_from(CELLS), VALUES, min_size=1, max_size=6))
def test_any_typed_values_give_evidence_or_located_problems(
    filled_bytes: bytes, scratch: Path, typed: dict[tuple[str, str], object]
) -> None:
    """Whatever is typed, reading gives evidence or located problems, never a crash."""
    book = load_workbook(io.BytesIO(filled_bytes))
    for (sheet, cell), value in typed.items():
        _write(book, sheet, cell, value)
    path = filler.save(book, scratch / "program.xlsx")

    try:
        evidence = read_workbook(open_book(path), filler.standard())
    except WorkbookError as error:
        _check_error(error, path.name)
    else:
        _check_evidence(evidence)
