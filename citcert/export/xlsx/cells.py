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

from citcert._spreadsheet import fit_row_heights, font, print_readable
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


class Styled:
    """
    One alignment given to many cells of one workbook, as ``cell.alignment = alignment`` gives
    it, but looked up among the workbook's styles once, not once per cell.

    openpyxl finds a style's index by hashing and comparing it with the styles the workbook
    has, every time one is set; the index of one object in one workbook never changes.
    """

    def __init__(self, alignment: Any) -> None:
        from openpyxl.styles.cell_style import StyleArray

        self.alignment = alignment
        self._array = StyleArray
        self._index: tuple[Any, int] | None = None

    def align(self, cell: Any) -> None:
        """Give `cell` the alignment (the first cell through openpyxl, the others its index)."""
        book = cell.parent.parent
        if self._index is None or self._index[0] is not book:
            cell.alignment = self.alignment
            self._index = (book, cell._style.alignmentId)
            return
        if not cell._style:  # as openpyxl's own setter does for a cell never styled
            cell._style = self._array()
        cell._style.alignmentId = self._index[1]


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
    wrap = Styled(Alignment(wrap_text=True, vertical="top"))

    for column in range(1, len(header) + 1):
        wrap.align(sheet.cell(row=1, column=column))
    last = 1
    for last, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            wrap.align(put(sheet, last, column, value))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{last}"
    fit_row_heights(sheet, range(1, last + 1))
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
