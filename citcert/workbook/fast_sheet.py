"""
A record sheet's values read fast with python-calamine, where that gives what openpyxl gives.

A large agency's roster holds tens of thousands of cells; openpyxl spends some 15 µs of Python
on each, calamine (Rust) a small fraction of that. calamine is only handed what has been checked
first, from the package's own bytes, and the sheet goes to openpyxl's reading (exact by
definition) whenever any check fails, so this path can only make reading faster:

- Every part is unpacked by Python's zipfile, which stops at the sizes `container` has already
  checked, and calamine gets a new package holding only the workbook's XML parts, stored: a part
  lying about its size is never inflated by another unpacker.
- No part declares a document type or entity, and the sheet holds no character reference and no
  control character (openpyxl's parser refuses some of these).
- Every cell names its place (``r="B7"``) and every row its number, within the sheet's row limit
  and `layout.MAX_COLUMNS`: calamine keeps a slot for each cell of the rectangle from A1 to the
  last cell, which stays as small as the sheet's real content.
- No error value and no ISO date (``t="e"``, ``t="d"``): calamine reads an error as blank where
  openpyxl reads ``#N/A``.
- Every number format the sheet's cells use is one both libraries read alike: General, text,
  a built-in number, date or time format, or a custom one made only of date and time letters
  and separators or only of digits and separators. A percentage is left to openpyxl, which
  says so in `Value.percent` (calamine does not tell). A number shown as a date is a whole day
  from 1 March 1900 to the end of 9999, which both count alike (`_dates_alike`).

Anything calamine raises, a Rust panic included (which is not an `Exception`), also sends the
sheet to openpyxl. Values are made what openpyxl gives: a date as a datetime at midnight, a whole
number as an int (what openpyxl reads for the digits Excel writes; ``2.0`` typed by a library
reads as 2 here and 2.0 there, which every reader prints alike), an empty text as nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from citcert.workbook import layout as L
from citcert.workbook.hidden import sheet_part
from citcert.workbook.sheets import EMPTY, Row, Value

_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"
_CELL = re.compile(_PREFIX + rb"c[\s/>]")
_CELL_REF = re.compile(_PREFIX + rb"c\s[^>]*?\br=[\"']([A-Z]{1,3})([0-9]{1,7})[\"']")
_ROW = re.compile(_PREFIX + rb"row[\s/>]")
_ROW_NUMBER = re.compile(_PREFIX + rb"row\s[^>]*?\br=[\"']([0-9]{1,7})[\"']")
_STYLE = re.compile(_PREFIX + rb"c\s[^>]*?\bs=[\"']([0-9]{1,5})[\"']")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ERROR_OR_DATE = re.compile(rb"\st=[\"'][ed][\"']")
_DECLARATION = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)

_DATE_BUILTIN = frozenset({*range(14, 23), *range(45, 48)})
_DATED = re.compile(
    _PREFIX + rb"c\s([^>]*?\bs=[\"'][0-9]{1,5}[\"'][^>]*?)(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?c>)",
    re.DOTALL,
)
_STYLE_OF = re.compile(rb"\bs=[\"']([0-9]{1,5})[\"']")
_TYPE_OF = re.compile(rb"\bt=[\"']([A-Za-z]+)[\"']")
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v>([-+0-9.eE]{1,40})</(?:[A-Za-z_][\w.-]*:)?v>")
_FIRST_SAFE_DAY = 61
"""1 March 1900, Excel's day 61: from here on both libraries count days alike."""
_LAST_DAY = 2_958_466
"""1 January 10000, past the last day a date may be."""
_ALIKE_BUILTIN = frozenset({*range(0, 5), *range(11, 23), *range(37, 50)})
"""Built-in number format ids that openpyxl and calamine both know and read alike, but the
percentages (9, 10): a percent format is left to openpyxl, which says so in `Value.percent`."""
_DATE_CODE = re.compile(r"^(?:[ymdhs]+|\\?[-/.:, ]|AM/PM)+$", re.IGNORECASE)
"""Date and time letters with separators, a separator escaped or not (LibreOffice writes
``yyyy\\-mm\\-dd``)."""
_NUMBER_CODE = re.compile(r"^[0#?., ]+$")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_EXACT = 2**53
"""Below this, a float that is a whole number is exactly the int openpyxl reads."""


def fast_sheets(data: bytes, sheets: Collection[str]) -> dict[str, list[Row]]:
    """
    The rows of each of `sheets` (actual sheet names) as openpyxl's reading would give them
    (`snapshot`), for those that pass the checks; the others are left out, for openpyxl to read.
    """
    try:
        checked = _checked(data, sheets)
        if not checked.sheets:
            return {}
        return _read(checked)
    except BaseException as exc:  # NOTE: a Rust panic is a BaseException; openpyxl reads instead
        if isinstance(exc, KeyboardInterrupt | SystemExit | MemoryError):
            raise
        return {}


@dataclass
class _Checked:
    """A stored copy of the package's XML parts, and the sheets in it that passed the checks."""

    package: bytes = b""
    sheets: dict[str, list[int]] = field(default_factory=dict)
    """Each sheet's name, and the numbers of its rows (from its ``<row r=…>`` elements)."""


def _checked(data: bytes, sheets: Collection[str]) -> _Checked:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        wanted = {part: sheet for sheet in sheets if (part := sheet_part(archive, sheet))}
        parts = _xml_parts(archive, wanted)
    if parts is None:
        return _Checked()
    checked = _Checked()
    for part, sheet in wanted.items():
        rows = _rows_within_limits(parts[part], L.row_limit(sheet)) if part in parts else None
        if rows is None:
            parts.pop(part, None)
        else:
            checked.sheets[sheet] = rows
    dates = _date_styles(parts, [parts[p] for p in wanted if p in parts])
    if dates is None:
        return _Checked()
    for part, sheet in wanted.items():
        if sheet in checked.sheets and not _dates_alike(parts[part], dates):
            del checked.sheets[sheet]
            del parts[part]
    if not checked.sheets:
        return _Checked()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as stored:
        for name, body in parts.items():
            stored.writestr(name, body)
    checked.package = out.getvalue()
    return checked


def _xml_parts(archive: zipfile.ZipFile, wanted: Collection[str]) -> dict[str, bytes] | None:
    """
    The package's XML parts but the sheets not `wanted`, unpacked by zipfile (which stops at
    the checked sizes); None when any declares a document type or an entity.
    """
    parts: dict[str, bytes] = {}
    for info in archive.infolist():
        name = info.filename
        if not name.endswith((".xml", ".rels")) or name in parts:
            continue
        if _is_sheet(name) and name not in wanted:
            continue  # NOTE: the sheets read by openpyxl need not be unpacked again
        body = archive.read(info)
        if b"<!" in body and _DECLARATION.search(body):
            return None
        parts[name] = body
    return parts


def _is_sheet(part: str) -> bool:
    return part.startswith("xl/worksheets/") and not part.startswith("xl/worksheets/_rels/")


def _rows_within_limits(xml: bytes, limit: int) -> list[int] | None:
    """
    The row numbers of a sheet's XML when every cell and row names its place within the
    limits and nothing in it is refused here; else None.
    """
    if b"&#" in xml or _CONTROL.search(xml) or _ERROR_OR_DATE.search(xml):
        return None
    refs = _CELL_REF.findall(xml)
    if len(refs) != len(_CELL.findall(xml)):
        return None
    numbers = [int(n) for n in _ROW_NUMBER.findall(xml)]
    if len(numbers) != len(_ROW.findall(xml)) or any(n > limit for n in numbers):
        return None
    if any(int(n) > limit for _, n in refs):
        return None
    if any(_column(letters) > L.MAX_COLUMNS for letters in {c for c, _ in refs}):
        return None
    return numbers


def _column(letters: bytes) -> int:
    """A column's number from its letters (``A`` is 1, ``AA`` is 27)."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _date_styles(parts: dict[str, bytes], sheets: list[bytes]) -> frozenset[int] | None:
    """
    The cell styles the sheets use that show a date or time, once every style they use is read
    alike by both libraries; None when one may not be.
    """
    used = {int(s) for xml in sheets for s in _STYLE.findall(xml)} - {0}
    if not used:
        return frozenset()
    styles = next((body for name, body in parts.items() if name.endswith("/styles.xml")), None)
    if styles is None:
        return None
    from defusedxml.ElementTree import fromstring

    root = fromstring(styles)
    codes = {
        int(f.get("numFmtId") or -1): f.get("formatCode") or "" for f in root.iter(f"{_MAIN}numFmt")
    }
    cell_xfs = root.find(f"{_MAIN}cellXfs")
    xfs = [] if cell_xfs is None else list(cell_xfs.iter(f"{_MAIN}xf"))
    dates: set[int] = set()
    for index in used:
        if index >= len(xfs):
            return None
        format_id = int(xfs[index].get("numFmtId") or 0)
        code = codes.get(format_id)
        if format_id in _DATE_BUILTIN or (code is not None and _DATE_CODE.match(code)):
            dates.add(index)
        elif format_id not in _ALIKE_BUILTIN and not (
            code in {"General", "@"} or (code is not None and _NUMBER_CODE.match(code))
        ):
            return None
    return frozenset(dates)


def _dates_alike(xml: bytes, styles: frozenset[int]) -> bool:
    """
    True when every number shown as a date or time is one both libraries read alike: a whole
    day from 1 March 1900 to the end of 9999, as record sheets hold. Before it, openpyxl follows
    Excel's leap day of 1900 and reads negative numbers as older dates; a time of day is rounded
    to the millisecond a little differently by each (both found by the generated tests).
    """
    if not styles:
        return True
    found = 0
    for attributes, inner in _DATED.findall(xml):
        if int(_STYLE_OF.search(attributes).group(1)) not in styles:  # type: ignore[union-attr]
            continue
        found += 1
        kind = _TYPE_OF.search(attributes)
        value = _VALUE.search(inner)
        if (kind is not None and kind.group(1) != b"n") or value is None:
            continue  # NOTE: text, a boolean or nothing in a date cell: read alike
        number = float(value.group(1))
        if not (number.is_integer() and _FIRST_SAFE_DAY <= number < _LAST_DAY):
            return False
    return found == sum(1 for s in _STYLE.findall(xml) if int(s) in styles)


def _read(checked: _Checked) -> dict[str, list[Row]]:
    from python_calamine import CalamineWorkbook

    out: dict[str, list[Row]] = {}
    with CalamineWorkbook.from_filelike(io.BytesIO(checked.package)) as book:
        for sheet, numbers in checked.sheets.items():
            grid = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            out[sheet] = _plain(grid, max([len(grid), *numbers], default=0))
    return out


def _plain(grid: Sequence[Sequence[object]], height: int) -> list[Row]:
    """calamine's grid as the rows openpyxl gives: `height` rows, each `L.MAX_COLUMNS` wide."""
    blank = (EMPTY,) * L.MAX_COLUMNS
    rows: list[Row] = []
    for number in range(height):
        cells = grid[number] if number < len(grid) else ()
        values = tuple(map(_value, cells))
        filled = any(value is not EMPTY for value in values)
        rows.append(values + blank[len(values) :] if filled else blank)
    return rows


def _value(cell: object) -> Value:
    """A calamine value as openpyxl reads it."""
    kind = type(cell)
    if kind is str:
        return Value(cell) if cell else EMPTY
    if kind is float:
        number: float = cell  # type: ignore[assignment]
        return Value(int(number) if number.is_integer() and abs(number) < _EXACT else number)
    if kind is dt.date:
        day: dt.date = cell  # type: ignore[assignment]
        return Value(dt.datetime(day.year, day.month, day.day))
    return Value(cell)
