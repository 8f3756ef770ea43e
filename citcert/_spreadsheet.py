"""
Save an openpyxl workbook as bytes that depend only on its content and one given time.

openpyxl's own save stamps the clock into the document properties and into every zip entry
(and, for worksheets written through temporary files, their change times), so two saves of the
same workbook differ. Every workbook citcert writes (the evidence template, the remediation
tracker, the state roll-up, a migrated workbook) is saved here instead, dated by its content:
the standard's effective date, the assessment date, the newest audit in a batch.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from typing import Any


def workbook_bytes(book: Any, when: dt.datetime) -> bytes:
    """Save an openpyxl workbook to bytes that depend only on its content and `when`."""
    from openpyxl.writer.excel import ExcelWriter

    book.properties.creator = "citcert"
    book.properties.lastModifiedBy = "citcert"
    book.properties.created = when
    book.properties.modified = when
    buffer = io.BytesIO()
    archive = _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, date_time=when)
    ExcelWriter(book, archive).save()  # NOTE: save_workbook() would stamp the current time
    return buffer.getvalue()


_ZIP_EARLIEST = dt.datetime(1980, 1, 1)
_ZIP_LATEST = dt.datetime(2107, 12, 31, 23, 59, 58)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed time instead of the clock's."""

    def __init__(self, *args: Any, date_time: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # NOTE: a zip holds dates from 1980 to 2107 only; a report of an older assessment (or
        # one dated far ahead with --as-of) is stamped with the nearest date it can hold.
        clamped = min(max(date_time, _ZIP_EARLIEST), _ZIP_LATEST)
        self._date_time = clamped.timetuple()[:6]

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=self._date_time)
            zinfo_or_arcname.compress_type = self.compression
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        # openpyxl writes each worksheet through a temporary file, whose mtime would leak in.
        with open(filename, "rb") as handle:
            self.writestr(str(arcname or filename), handle.read())


PRINTABLE_WIDTH = 10.2 * 72
"""Points across a landscape Letter page inside the margins `print_readable` sets."""
MIN_PRINTED_SIZE = 8.0
"""The smallest text size a printed sheet may shrink its text to."""
_POINTS_PER_CHARACTER = 5.25
"""A column width unit (one 11-pt Calibri digit, 7 pixels) in points."""


def print_readable(ws: Any, font_size: float = 11.0, title_columns: str | None = "A:A") -> None:
    """
    Page set-up a reader can use on paper: landscape, narrow margins, shrunk to one page wide
    only as far as the text stays at least `MIN_PRINTED_SIZE`; a wider sheet prints at that
    size across pages, repeating `title_columns` (and whatever title rows the sheet sets).
    """
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    widths = [
        (ws.column_dimensions[get_column_letter(i)].width or 8.43)
        for i in range(1, ws.max_column + 1)
    ]
    total = sum(w * _POINTS_PER_CHARACTER + 4 for w in widths)
    smallest = math.ceil(100 * MIN_PRINTED_SIZE / font_size)
    fits = int(100 * PRINTABLE_WIDTH / total) if total else 100
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    # An explicit scale, not "fit to page": LibreOffice reads a fit to 0 pages tall as one page
    # and shrinks the text to nothing.
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    setup.scale = max(smallest, min(100, fits))
    if fits < smallest and title_columns:
        ws.print_title_cols = title_columns


def fit_row_height(ws: Any, row: int, line_height: float = 14.5) -> None:
    """
    Give a row the height its wrapped text needs, estimated by wrapping each cell's words to
    its column's width: spreadsheet programs (LibreOffice among them) do not all grow rows to
    fit wrapped text when they open a file, and then lines overlap.
    """
    lines = 1
    for cell in ws[row]:
        if isinstance(cell.value, str) and cell.alignment.wrap_text:
            width = ws.column_dimensions[cell.column_letter].width or 8.43
            lines = max(lines, wrapped_lines(cell.value, max(1, int(width * 1.1))))
    ws.row_dimensions[row].height = min(409, line_height * lines + 4)


def fit_row_heights(ws: Any, rows: range, line_height: float = 14.5) -> None:
    """
    `fit_row_height` for each of `rows`, with the same result, finding the sheet's last column
    and each column's width once rather than once per row and cell (openpyxl counts the last
    column by looking at every cell of the sheet).
    """
    columns = ws.max_column
    widths: dict[str, float] = {}
    for row in rows:
        lines = 1
        for cell in next(ws.iter_rows(min_row=row, max_row=row, max_col=columns)):
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                letter = cell.column_letter
                if letter not in widths:
                    widths[letter] = ws.column_dimensions[letter].width or 8.43
                lines = max(lines, wrapped_lines(cell.value, max(1, int(widths[letter] * 1.1))))
        ws.row_dimensions[row].height = min(409, line_height * lines + 4)


def wrapped_lines(text: str, capacity: int) -> int:
    """How many lines `text` takes when its words are wrapped at `capacity` characters."""
    count = 0
    for paragraph in text.split("\n"):
        used = 0
        count += 1
        for word in paragraph.split():
            if used and used + 1 + len(word) > capacity:
                count += 1
                used = 0
            used += len(word) + (1 if used else 0)
            count += (used - 1) // capacity
            used = used % capacity if used > capacity else used
    return count
