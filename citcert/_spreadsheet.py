"""
Save an openpyxl workbook as bytes that depend only on its content and one given time.

openpyxl's own save stamps the clock into the document properties and into every zip entry
(and, for worksheets written through temporary files, their change times), so two saves of the
same workbook differ. Every workbook citcert writes (the evidence template, the remediation
tracker, the state roll-up, a migrated workbook) is saved here instead, dated by its content:
the standard's effective date, the assessment date, the newest audit in a batch.

The same workbooks share how they print and how their rows are sized (`print_readable`,
`fit_row_height`): one estimate of how wide text prints, used by every sheet, and one named
typeface (`font`).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from functools import lru_cache
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
FONT_NAME = "Calibri"
"""The workbooks' typeface, named on every styled font: a font without a name is printed by
LibreOffice in a serif typeface much wider than the columns were sized for."""
_POINTS_PER_UNIT = 7.0
"""
A column width unit in points as the widest common program prints it: a column is so many
digits of the default font wide, 5.25 pt in Excel's Calibri but 7 pt in LibreOffice where
Calibri is replaced by DejaVu Sans. Planning for the wider keeps every sheet one page wide in
both (Excel then prints a little smaller than it must).
"""
ONE_PAGE_WIDE = math.floor(
    PRINTABLE_WIDTH / (_POINTS_PER_UNIT * math.ceil(100 * MIN_PRINTED_SIZE / 11) / 100)
)
"""The most column-width units of 11-pt text that still print one page wide (at 8 pt)."""
_LINE_HEIGHT = 14.5
"""Points per line of 11-pt text in a row (scaled for other sizes)."""
_CELL_PADDING = 0.5
"""Width units of a column its text cannot use."""
_BOLD = 1.1
"""How much wider bold text is than regular."""


def font(**style: Any) -> Any:
    """An openpyxl font in the workbooks' typeface (`FONT_NAME`), with the given style."""
    from openpyxl.styles import Font

    return Font(name=FONT_NAME, **style)


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
    total = sum(w * _POINTS_PER_UNIT for w in widths)
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


def fit_row_height(ws: Any, row: int) -> None:
    """
    Give a row the height its tallest cell needs: each text's words wrapped to its column's
    width (a merged cell's: its columns' together), at its font's size and weight. Spreadsheet
    programs (LibreOffice among them) do not all grow rows to fit wrapped text when they open a
    file, and then lines overlap.
    """
    fit_row_heights(ws, range(row, row + 1))


def fit_row_heights(ws: Any, rows: range) -> None:
    """
    `fit_row_height` for each of `rows`.

    The sheet's width and its merged cells are looked up once for all of them: openpyxl works
    out a sheet's last column by going through every cell, so asking for it per row made a
    table's heights cost the square of its size.
    """
    from openpyxl.utils import get_column_letter

    last = ws.max_column
    merged: dict[int, dict[int, range]] = {}
    for r in ws.merged_cells.ranges:
        if r.min_row == r.max_row:
            merged.setdefault(r.min_row, {})[r.min_col] = range(r.min_col, r.max_col + 1)
    for row in rows:
        spans = merged.get(row, {})
        height = 0.0
        (cells,) = ws.iter_rows(min_row=row, max_row=row, min_col=1, max_col=last)
        for cell in cells:
            columns = spans.get(cell.column, (cell.column,))
            width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in columns)
            height = max(height, cell_height(cell, width))
        ws.row_dimensions[row].height = min(409, round(max(height, _LINE_HEIGHT) + 4, 1))


def print_header(ws: Any, text: str, *, room: int = 2) -> None:
    """
    Print `text` at the top of every page of the sheet, with room for `room` lines of it (it
    wraps) above the sheet's first row: a header without room is printed under the sheet's
    text, unseen.
    """
    ws.oddHeader.center.text = text.replace("&", "&&")
    ws.oddHeader.center.size = 11  # shrunk with the page, as the sheet's own 11-pt text
    ws.page_margins.header = 0.3
    ws.page_margins.top = 0.5 + 0.2 * room  # 0.2 inch holds one 11-point line


def cell_height(cell: Any, width: float) -> float:
    """The points one cell's text needs: its lines (wrapped when it wraps) at its font size."""
    if cell.value is None:
        return 0.0
    scale = (cell.font.sz or 11.0) / 11.0
    lines = 1
    if isinstance(cell.value, str):
        bold = bool(cell.font.b)
        if cell.alignment.wrap_text:
            capacity = (width - _CELL_PADDING) / scale
            lines = wrapped_lines(cell.value, capacity, bold=bold)
        else:
            lines = cell.value.count("\n") + 1
    return _LINE_HEIGHT * scale * lines


def wrapped_lines(text: str, capacity: float, *, bold: bool = False) -> int:
    """
    How many lines `text` takes when its words are wrapped at `capacity` column-width units,
    measured by `text_width`: a line may also break after a hyphen, and a word wider than a
    line breaks between two characters, wherever it must.

    A pure function of its arguments, so short texts are remembered: most of a tracker's text is
    the standard's own, measured again for every program of a batch.
    """
    if len(text) <= _REMEMBERED_TEXT:
        return _remembered_lines(text, capacity, bold)
    return _wrapped_lines(text, capacity, bold)


_REMEMBERED_TEXT = 1000
"""Texts up to this many characters have their line counts remembered (at most 4,096 of them)."""


@lru_cache(maxsize=4096)
def _remembered_lines(text: str, capacity: float, bold: bool) -> int:
    return _wrapped_lines(text, capacity, bold)


def _wrapped_lines(text: str, capacity: float, bold: bool) -> int:
    space = text_width(" ", bold=bold)
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0.0
        for word in paragraph.split():
            for index, piece in enumerate(_AFTER_HYPHEN.findall(word)):
                gap = space if used and index == 0 else 0.0
                width = text_width(piece, bold=bold)
                if used and used + gap + width > capacity:
                    count, used, gap = count + 1, 0.0, 0.0
                used += gap + width
                while used > capacity:
                    count += 1
                    used -= max(1.0, capacity - 1.0)  # the character that did not fit moves on
    return count


def text_width(text: str, *, bold: bool = False) -> float:
    """
    How wide `text` prints, in column-width units (the width of one digit), erring wide.

    The proportions hold for Calibri and for the DejaVu Sans LibreOffice may print instead:
    narrow letters and punctuation, wide ones (m, w, M, W) and symbols (< = > &), capitals,
    East Asian characters two digits wide; bold a tenth wider.
    """
    return sum(_character_width(ch) for ch in text) * (_BOLD if bold else 1.0)


_AFTER_HYPHEN = re.compile(r"[^-]*-+|[^-]+")
_NARROW = frozenset(" il.,;:'|!jI`")
_SLIM = frozenset('frt()[]{}-/"*')
_WIDE = frozenset("mwMW@%")
_SYMBOLS = frozenset("<>=+~^#&")


def _character_width(ch: str) -> float:
    if ch in _NARROW:
        return 0.5
    if ch in _SLIM:
        return 0.7
    if ch in _WIDE:
        return 1.6
    if ch in _SYMBOLS:
        return 1.35
    if ch.isascii():
        return 1.2 if ch.isupper() else 1.0
    return 2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.1
