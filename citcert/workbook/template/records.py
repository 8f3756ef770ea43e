"""
The record sheets of the evidence template: one per roster or log the standard asks for.

Each sheet has the usual title, guidance and header rows, then rows left open for pasting a
roster: no sheet protection, so rows can be pasted, sorted and added, and checks on the typed
columns (dates, whole numbers for counts, other numbers, drop-downs for choices and Yes/No) over
`RECORD_ROWS` rows. The guidance says what the sheet must not hold: names.
"""

from __future__ import annotations

from typing import Any

from citcert.standards.records import ColumnKind, RecordColumn, RecordSheet
from citcert.workbook import layout as L
from citcert.workbook.records_sheet import record_columns
from citcert.workbook.template.checks import choice_check, date_check, decimal_check, whole_check
from citcert.workbook.template.styles import DATE_FORMAT, frame_table

RECORD_ROWS = L.MAX_RECORD_ROWS - L.FIRST_DATA_ROW + 1
"""Rows below the header that carry the checks (the reader reads at most that many)."""

_NO_ROW_SHOWN = "citcert only counts these rows; no report shows one."


def privacy(sheet: RecordSheet) -> str:
    """
    What the sheet must not hold: a roster (a sheet with an identifier column) says to use
    identifiers, never names; a log of classes or meetings, that no one is to be named.
    """
    if any(column.identifier for column in sheet.columns):
        return f"Optional. Identifiers only (badge or staff numbers), never names. {_NO_ROW_SHOWN}"
    return f"Optional. Name no one, nor anything that would identify a person. {_NO_ROW_SHOWN}"


def _whole_prompt(sheet: RecordSheet, column: RecordColumn) -> str:
    """What a count column takes, and the number of its row it may not exceed."""
    if column.not_more_than is None:
        return "Enter a whole number, 0 or more."
    whole = sheet.column(column.not_more_than).header
    return f"Enter a whole number, 0 or more, and at most this row's {whole}."


def build_record_sheet(ws: Any, sheet: RecordSheet) -> None:
    """One record sheet: framed like the others, open for pasting, with a check per column."""
    ws.title = sheet.title
    frame_table(ws, sheet.title, f"{sheet.purpose} {privacy(sheet)}", record_columns(sheet))
    ws.protection.sheet = False
    last = L.FIRST_DATA_ROW + RECORD_ROWS - 1
    for index, column in enumerate(sheet.columns, start=1):
        letter = L.cell_name(index, 1)[:-1]
        ref = f"{letter}{L.FIRST_DATA_ROW}:{letter}{last}"
        match column.kind:
            case ColumnKind.DATE:
                date_check(ws).add(ref)
                for row in range(L.FIRST_DATA_ROW, L.FIRST_DATA_ROW + 200):
                    ws.cell(row, index).number_format = DATE_FORMAT
            case ColumnKind.NUMBER if column.whole:
                whole_check(ws, _whole_prompt(sheet, column)).add(ref)
            case ColumnKind.NUMBER:
                decimal_check(ws, percent=False).add(ref)
            case ColumnKind.CHOICE:
                choice_check(ws, column.choices, "", f"{column.help}").add(ref)
            case ColumnKind.YES_NO:
                choice_check(ws, ("Yes", "No"), "", column.help).add(ref)
            case ColumnKind.TEXT:
                pass
