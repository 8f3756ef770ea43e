"""
The wanted sheets of a checked workbook, copied into plain rows.

python-calamine reads them where the sheets' XML shows it gives what openpyxl gives
(`citcert.workbook.fast_sheet`). Otherwise openpyxl reads the file read-only, with cached
formula values, no macros kept and no external links; its XML parsing goes through defusedxml,
so entity and DTD tricks are refused. Each cell becomes a `Value` (its value and whether it is
formatted as a percentage), and the sheet, row and column limits of `citcert.workbook.layout`
are enforced while copying, so a hostile sheet is refused quickly. Nothing after this module
sees an openpyxl object.
"""

from __future__ import annotations

import io
import itertools
import operator
import re
import warnings
import zipfile
from typing import Any

from citcert.errors import WorkbookError
from citcert.workbook import layout as L
from citcert.workbook.container import DAMAGED, file_error
from citcert.workbook.fast_sheet import fast_book, fast_sheets
from citcert.workbook.package import sheet_key
from citcert.workbook.sheets import EMPTY, Row, Value


def snapshot(data: bytes, name: str, wanted: tuple[str, ...]) -> dict[str, list[Row]]:
    """
    The wanted sheets as rows of plain values: read by python-calamine where every one of them
    passes its checks (`fast_sheet.fast_book`), else by openpyxl, here and nowhere after (with
    the record sheets that pass read by calamine still).
    """
    fast = fast_book(data, wanted)
    if fast is not None:
        return fast
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (extensions, styles); they are not problems.
            warnings.simplefilter("ignore")
            book = load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_vba=False, keep_links=False
            )
            try:
                return _sheets(book, data, name, wanted)
            finally:
                book.close()
    except WorkbookError:
        raise
    except Exception as exc:  # NOTE: anything openpyxl raises on a broken package means "damaged"
        if _caused_by(exc, DefusedXmlException):
            raise file_error(
                name,
                "the file contains XML that citcert refuses to read (entity declarations or a "
                "document type, which can be used to attack a computer). Save it again from Excel",
            ) from exc
        raise file_error(name, DAMAGED) from exc


def _caused_by(exc: BaseException | None, kind: type[BaseException]) -> bool:
    """True when `exc` or anything in its chain of causes is a `kind` (openpyxl re-wraps errors)."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, kind):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _sheets(book: Any, data: bytes, name: str, wanted: tuple[str, ...]) -> dict[str, list[Row]]:
    if len(book.sheetnames) > L.MAX_SHEETS:
        raise file_error(
            name, f"the workbook has {len(book.sheetnames)} sheets; at most {L.MAX_SHEETS} are read"
        )
    found: dict[str, str] = {}
    for sheet in book.sheetnames:
        other = found.setdefault(sheet_key(sheet), sheet)
        if other != sheet and sheet_key(sheet) in {sheet_key(w) for w in wanted}:
            hidden = [n for n in (other, sheet) if book[n].sheet_state != "visible"]
            note = f" ({', '.join(hidden)} is hidden)" if hidden else ""
            raise file_error(
                name,
                f'the workbook has two sheets named "{other}" and "{sheet}"{note}; citcert cannot '
                "tell which one holds the answers. Delete the one that should not be read",
            )
    actual = {
        sheet: found[sheet_key(sheet)]
        for sheet in wanted
        if sheet_key(sheet) in found and hasattr(book[found[sheet_key(sheet)]], "iter_rows")
    }
    fast = fast_sheets(data, [actual[s] for s in actual if L.is_record_sheet(s)])
    out: dict[str, list[Row]] = {}
    for sheet, real in actual.items():
        out[sheet] = fast[real] if real in fast else _rows(book[real], name, sheet)
    return out


def _rows(ws: Any, name: str, sheet: str) -> list[Row]:
    from openpyxl.cell.read_only import EMPTY_CELL

    ws.reset_dimensions()  # NOTE: a wrong <dimension> in the file would silently cut rows off
    rows: list[Row] = []
    beyond = _Beyond(EMPTY_CELL)
    limit = L.row_limit(sheet)
    for number, cells in enumerate(ws.iter_rows(max_col=L.MAX_COLUMNS), start=1):
        if number <= limit:
            rows.append(tuple(EMPTY if cell is EMPTY_CELL else _value(cell) for cell in cells))
        elif not beyond.allows(number, cells):
            raise file_error(
                name,
                f"the {sheet} sheet has more than {limit:,} rows; citcert reads at most that many",
            )
    return rows


EXCEL_ROWS = 1_048_576
"""The last row of an Excel sheet."""


class _Beyond:
    """
    Decides, cheaply, whether a row past the row limit may be there: only if it is empty.

    NOTE: openpyxl makes up an empty row (one shared tuple) for every row number the file skips,
    so a single cell at row 1,048,576 means a million rows to look at: that tuple is recognised
    at once. Rows the file really holds cost a parse each, so at most `L.MAX_ROWS` of them are
    accepted past the limit, and nothing past Excel's last row; a hostile sheet of a million
    (empty) rows is refused in a fraction of a second instead of minutes.
    """

    def __init__(self, empty_cell: Any) -> None:
        self.empty_cell = empty_cell
        self.skipped: tuple[Any, ...] | None = None
        self.held = 0

    def allows(self, number: int, cells: tuple[Any, ...]) -> bool:
        """True when row `number` (past the limit) is empty and within the bounds."""
        if number > EXCEL_ROWS:
            return False
        if cells is self.skipped:
            return True
        self.held += 1
        if self.held > L.MAX_ROWS:
            return False
        if all(map(operator.is_, cells, itertools.repeat(self.empty_cell))):
            self.skipped = cells
            return True
        return all(cell.value is None for cell in cells)


def _value(cell: Any) -> Value:
    value = cell.value
    percent = False
    if isinstance(value, int | float) and not isinstance(value, bool):
        percent = "%" in (cell.number_format or "")
    return Value(value, percent)


_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
"""A cell formula's element, ``<f>`` (with any namespace prefix); not ``<formula>``, which every
citcert template holds for its drop-downs and colours, nor ``<fill>`` or ``<font>``."""


def doubtful_formulas(
    data: bytes, sheets: dict[str, list[Row]]
) -> tuple[tuple[str, str, str], ...]:
    """
    (sheet, cell, formula) of each formula in the read sheets whose saved result is missing or 0.

    citcert reads the result a spreadsheet saved with a formula, never computing it; a file
    written by a library (pandas, xlsxwriter, openpyxl) saves no result, or 0, so the value read
    may not be the one a person sees in Excel. Only files holding a formula are read again.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        has_formula = any(
            _FORMULA.search(archive.read(info))
            for info in archive.infolist()
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        )
    if not has_formula:
        return ()
    from openpyxl import load_workbook

    found: list[tuple[str, str, str]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        names = {sheet_key(n): n for n in book.sheetnames}
        for sheet, rows in sheets.items():
            actual = names.get(sheet_key(sheet))
            if actual is None or not hasattr(book[actual], "iter_rows"):
                continue
            ws = book[actual]
            for number, cells in enumerate(
                ws.iter_rows(max_row=len(rows), max_col=L.MAX_COLUMNS), 1
            ):
                for index, cell in enumerate(cells):
                    formula = getattr(cell, "value", None)
                    if not (isinstance(formula, str) and formula.startswith("=")):
                        continue
                    row = rows[number - 1]
                    cached = row[index].value if index < len(row) else None
                    if cached is None or cached == 0 or cached == "":
                        found.append((sheet, L.cell_name(index + 1, number), formula[:200]))
    finally:
        book.close()
    return tuple(found)
