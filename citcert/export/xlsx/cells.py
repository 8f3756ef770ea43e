"""
The tracker workbook's cells and tables: every value written safely, every table styled alike.

`put` is the one way a value reaches a cell: text is cleaned, cut to Excel's limit, neutralised
with a leading single quote when a spreadsheet could read it as a formula (OWASP), and always
stored as a string; numbers stay numbers and dates become date cells. `table` lays out a
filterable, printable table with a frozen header. openpyxl is imported inside the functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from citcert._spreadsheet import fit_row_height, font, print_readable
from citcert.export.wording import neutralise_formula, shorten

CELL_LIMIT = 32_000
"""Excel holds at most 32,767 characters in a cell; longer text is cut and says so."""
NAVY = "1F3A5F"
"""The house colour, for header rows and the title."""
NUMBER_FORMAT = "0.0"
"""Scores and points: one decimal."""
_DATE_FORMAT = "yyyy-mm-dd"

Cell = str | int | float | dt.date | None
"""A value the tracker writes into one cell."""


def put(sheet: Any, row: int, column: int, value: Cell) -> Any:
    """
    Write one value safely: text cleaned, cut to Excel's limit, neutralised and stored as a
    string; numbers as numbers; dates as date cells.
    """
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = neutralise_formula(shorten(value, CELL_LIMIT))
        cell.data_type = "s"
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = _DATE_FORMAT
    else:
        cell.value = value
    return cell


def table(
    sheet: Any, header: Sequence[str], rows: Iterable[Sequence[Cell]], widths: Sequence[int]
) -> int:
    """
    Write a header and rows as a filterable table with a frozen header; returns the last row.
    """
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    bold = font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=NAVY)
    for column, title in enumerate(header, start=1):
        cell = put(sheet, 1, column, title)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[get_column_letter(column)].width = widths[column - 1]
    wrap = Alignment(wrap_text=True, vertical="top")

    for column in range(1, len(header) + 1):
        sheet.cell(row=1, column=column).alignment = wrap
    last = 1
    for last, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            put(sheet, last, column, value).alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{last}"
    for row in range(1, last + 1):
        fit_row_height(sheet, row)
    print_readable(sheet)
    sheet.print_title_rows = "1:1"
    return last


def fill_when(sheet: Any, cells: str, fills: dict[str, str]) -> None:
    """Colour the cells in range `cells` by their text (conditional formatting, not formulas)."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill

    for text, colour in fills.items():
        rule = CellIsRule(
            operator="equal", formula=[f'"{text}"'], fill=PatternFill("solid", bgColor=colour)
        )
        sheet.conditional_formatting.add(cells, rule)
