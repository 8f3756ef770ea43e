"""
How the evidence template's cells look and which of them can be typed in.

Every sheet of the template uses these: text stored so it never becomes a formula, the
read-only grey and the editable white, row heights that fit wrapped text, the title, guidance
and header rows of a table sheet, and the print set-up and protection every sheet gets.
"""

from __future__ import annotations

from typing import Any

from citcert.workbook import layout as L

DARK = "1F3A5F"
"""Titles and headings."""
DOMAIN_FILL = "D9E2F3"
"""Rows that head a domain, and the Program numbers heading."""
CORE_FILL = "FCE4CC"
"""The read-only cells of a core requirement's row."""
CORE_FONT = "9C4A00"
"""A core requirement's Core column."""
DATE_FORMAT = "yyyy-mm-dd"

_HEADER_FILL = "1F3A5F"
_READ_ONLY_FILL = "F2F2F2"


def put(cell: Any, value: object) -> None:
    """
    Set a cell to a value, keeping text as text.

    openpyxl reads a string starting with ``=`` as a formula; text that came from a person (or a
    standard) must never become one, so it is stored as a plain string.
    """
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def style(
    cell: Any, *, editable: bool = False, fill: str | None = None, bold: bool = False
) -> None:
    """Wrap and top-align a cell, lock it unless `editable`, and grey it when read only."""
    from openpyxl.styles import Alignment, PatternFill, Protection

    from citcert._spreadsheet import font

    cell.alignment = Alignment(wrap_text=True, vertical="top")
    cell.protection = Protection(locked=not editable)
    colour = fill or (None if editable else _READ_ONLY_FILL)
    if colour:
        cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
    if bold:
        cell.font = font(bold=True)


def fit_row(ws: Any, row: int) -> None:
    """Give a row the height its wrapped text needs (see `citcert._spreadsheet`)."""
    from citcert._spreadsheet import fit_row_height

    fit_row_height(ws, row)


def frame_table(ws: Any, title: str, guidance: str, columns: tuple[L.Column, ...]) -> None:
    """Title, guidance, header row, widths, frozen panes, print set-up and protection."""
    from openpyxl.styles import Alignment, PatternFill

    from citcert._spreadsheet import font

    put(ws.cell(L.TITLE_ROW, 1), title)
    ws.cell(L.TITLE_ROW, 1).font = font(bold=True, size=14, color=DARK)
    put(ws.cell(L.GUIDANCE_ROW, 1), guidance)
    ws.cell(L.GUIDANCE_ROW, 1).font = font(italic=True)
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(L.HEADER_ROW, index, column.header)
        cell.font = font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", start_color=_HEADER_FILL, end_color=_HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[L.cell_name(index, 1)[:-1]].width = column.width
    fit_row(ws, L.HEADER_ROW)
    ws.freeze_panes = L.cell_name(2, L.FIRST_DATA_ROW)
    ws.print_title_rows = f"{L.TITLE_ROW}:{L.HEADER_ROW}"
    print_and_protect(ws)


def print_and_protect(ws: Any) -> None:
    """
    Print landscape at a readable size (one page wide only when text stays at least 8 pt);
    protect the sheet so only unlocked cells take typing.
    """
    from citcert._spreadsheet import print_readable

    print_readable(ws)
    # No password: protection prevents accidents, it does not secure anything.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.sort = False
