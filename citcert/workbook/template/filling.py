"""
Answers typed into a blank evidence template, for `citcert migrate` and the examples generator.

The cells are found the way a person would find them (rows by their ID column, columns by the
layout's keys) and set with `put`, so typed text never turns into a formula, and each filled
row is grown to fit its text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from citcert.standards.identity import RequirementId
from citcert.standards.records import RECORD_SHEETS
from citcert.workbook import layout as L
from citcert.workbook.template.styles import fit_row, put


def fill_workbook(
    book: Any,
    *,
    program: Mapping[str, object] = {},
    rows: Mapping[RequirementId, Mapping[str, object]] = {},
    documents: Sequence[Mapping[str, object]] = (),
    records: Mapping[str, Sequence[Mapping[str, object]]] = {},
    exceptions: Sequence[Mapping[str, object]] = (),
) -> None:
    """
    Type answers into a workbook from `build_workbook`, the way a person would.

    `program` maps Program IDs (profile keys, program-number ids) to values; `rows` maps
    requirement ids to Evidence column keys and values; `documents` are Documents rows by column
    key; `records` are record-sheet rows by sheet id and column id; `exceptions` are Exceptions
    rows by column key (the sheet must be there). Used by `citcert migrate` and by the examples
    generator.
    """
    _fill_keyed(book[L.PROGRAM_SHEET], L.PROGRAM_COLUMNS, "value", program)
    evidence = book[L.EVIDENCE_SHEET]
    for row in range(L.FIRST_DATA_ROW, evidence.max_row + 1):
        answers = rows.get(RequirementId(str(evidence.cell(row, 1).value)), {})
        for key, value in answers.items():
            put(evidence.cell(row, _index(L.EVIDENCE_COLUMNS, key)), value)
        if answers:
            fit_row(evidence, row)
    _fill_rows(book[L.DOCUMENTS_SHEET], L.DOCUMENT_COLUMNS, documents)
    if exceptions:
        _fill_rows(book[L.EXCEPTIONS_SHEET], L.EXCEPTION_COLUMNS, exceptions)
    for sheet_id, rows_of_sheet in records.items():
        sheet = RECORD_SHEETS[sheet_id]
        ws = book[sheet.title]
        for offset, record in enumerate(rows_of_sheet):
            for index, column in enumerate(sheet.columns, start=1):
                put(ws.cell(L.FIRST_DATA_ROW + offset, index), record.get(column.id))


def _index(columns: tuple[L.Column, ...], key: str) -> int:
    return next(i for i, c in enumerate(columns, start=1) if c.key == key)


def _fill_keyed(
    ws: Any, columns: tuple[L.Column, ...], key: str, values: Mapping[str, object]
) -> None:
    for row in range(L.FIRST_DATA_ROW, ws.max_row + 1):
        item = ws.cell(row, 1).value
        if item in values:
            put(ws.cell(row, _index(columns, key)), values[item])
            fit_row(ws, row)


def _fill_rows(
    ws: Any, columns: tuple[L.Column, ...], entries: Sequence[Mapping[str, object]]
) -> None:
    """Entries typed into a sheet of entries (Documents, Exceptions), one row each, unlocked."""
    from openpyxl.styles import Protection

    for offset, entry in enumerate(entries):
        for key, value in entry.items():
            cell = ws.cell(L.FIRST_DATA_ROW + offset, _index(columns, key))
            put(cell, value)
            cell.protection = Protection(locked=False)
