"""
The review's sheets of the XLSX report, from the sections every writer shares
(`citcert.export.review`): Strengths before Gaps, the others after the plan; the draft or final
banner on the Summary sheet and in every sheet's printed header.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from citcert._spreadsheet import ONE_PAGE_WIDE, fit_row_height, font, print_header
from citcert.export.review import Section, Value, banner_lines, review_sections, strengths
from citcert.export.since import SHEET_NAMES as SINCE_SHEETS
from citcert.export.since import since_sections
from citcert.export.xlsx.cells import put, table

if TYPE_CHECKING:
    from citcert.audit.assessment import Assessment

SHEET_NAMES = {
    "strengths": "Strengths",
    "comments": "Comments for the program",
    "corrections": "Corrected numbers",
    "notes": "Internal notes (panel)",
    "raters": "Raters (panel)",
    "agreement": "Agreement (panel)",
    "calibration": "Calibration (panel)",
}
"""Each section's sheet name (at most 31 characters, as Excel allows)."""


def strengths_sheet(book: Any, a: Assessment) -> None:
    """The Strengths sheet, when the review names any."""
    section = strengths(a.review)
    if section is not None:
        section_sheet(book.create_sheet(SHEET_NAMES[section.key]), section)


def since_sheets(book: Any, a: Assessment) -> None:
    """Progress since the last review (``audit --since``): one sheet per section, or none."""
    for section in since_sections(a):
        section_sheet(book.create_sheet(SINCE_SHEETS[section.key]), section)


def review_sheets(book: Any, a: Assessment) -> None:
    """The review's other sheets, then its banner on the Summary and every printed page."""
    for section in review_sections(a.review):
        section_sheet(book.create_sheet(SHEET_NAMES[section.key]), section)
    lines = banner_lines(a.review)
    if not lines:
        return
    cell = put(book.worksheets[0], 2, 1, " ".join(lines))
    cell.font = font(bold=True, color="C0392B")
    _across(book.worksheets[0], 2, 2)
    for sheet in book.worksheets:  # the panel's notice can take the status to a third line
        print_header(sheet, " ".join(lines), room=len(lines) + 1)


def section_sheet(sheet: Any, section: Section) -> None:
    """
    The section's table (or just its title), its sentences below, across the table; its
    numbers and dates are number and date cells, shown as the other formats write them.
    """
    head = section.head or (section.title,)
    widths = [14 if section.head else 100] + [36] * (len(head) - 1)
    if section.weights:
        widths = [round(12 * w) for w in section.weights]
    cells = section.cells
    values = ([c.value if isinstance(c, Value) else c for c in row] for row in cells)
    last = table(sheet, head, values, _one_page(widths))
    for row, found in enumerate(cells, start=2):
        for column, cell in enumerate(found, start=1):
            if isinstance(cell, Value):
                sheet.cell(row=row, column=column).number_format = cell.number_format
    for offset, line in enumerate(section.lines, start=last + 2):
        put(sheet, offset, 1, line)
        _across(sheet, offset, len(head))


def _one_page(widths: list[int]) -> list[int]:
    """
    The widths, the columns after the first narrowed as far as the sheet needs to print one
    page wide: its sentences, written across the table, are then never cut at a page's edge.
    """
    first, rest = widths[0], sum(widths[1:])
    if first + rest <= ONE_PAGE_WIDE:
        return widths
    return [first] + [int(w * (ONE_PAGE_WIDE - first) / rest) for w in widths[1:]]


def _across(sheet: Any, row: int, columns: int) -> None:
    """Wrap the text of the row's first cell across its first `columns` columns."""
    from openpyxl.styles import Alignment

    sheet.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    if columns > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    fit_row_height(sheet, row)
