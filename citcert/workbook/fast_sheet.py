"""
Sheets read fast with python-calamine, where the sheets' XML shows it gives what openpyxl gives.

openpyxl spends some 15 µs of Python on each cell (a large agency's roster holds tens of
thousands), and importing it costs a fifth of a second of every validate; calamine (Rust) reads
the same cells in a small fraction of that. `fast_book` reads every wanted sheet of a workbook
without openpyxl; `fast_sheets`, the record sheets of one openpyxl must read for another sheet.
calamine is only handed what has been checked first, from the package's own bytes, and a sheet
goes to openpyxl's reading (exact by definition) whenever any check fails, so this path can only
make reading faster:

- Every part is unpacked by Python's zipfile no further than the size it declares (a part lying
  about its size sends the workbook to openpyxl, which refuses it), and calamine gets a new
  package holding only the workbook's XML parts, stored, so no other unpacker ever inflates
  anything. At most 32 MB of XML in all and 16 MB a sheet: larger is for openpyxl to stream.
- No part declares a document type or entity (sheets not read included), and the sheet holds no
  character reference and no control character (openpyxl's parser refuses some of these). No
  text is escaped (``_x000D_``) or empty, where the two libraries differ (`_ESCAPE`).
- Every cell names its place (``r="B7"``) and every row its number, within the sheet's row limit
  and `layout.MAX_COLUMNS`: calamine keeps a slot for each cell of the rectangle from A1 to the
  last cell, which stays as small as the sheet's real content.
- No error value and no ISO date (``t="e"``, ``t="d"``): calamine reads an error as blank where
  openpyxl reads ``#N/A``.
- Every number format the sheet's cells use is one both libraries read alike: General, text,
  a built-in number, date or time format, or a custom one made only of date and time letters
  and separators or only of digits, separators and ``%``. A number shown as a date is a whole
  day from 1 March 1900 to the end of 9999, which both count alike (`_styled`). calamine does
  not say which cells show a percentage, so `Value.percent` comes from the cell's own style, as
  openpyxl's ``number_format`` holds it.

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
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from citcert.workbook import layout as L
from citcert.workbook.package import sheet_key, sheet_parts
from citcert.workbook.sheets import EMPTY, Row, Value

_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"
_PLAIN_ROOT = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?<worksheet[\s>]")
"""A sheet whose elements carry no namespace prefix (as Excel, LibreOffice and openpyxl write
them), so that its rows and cells can be counted by their plain tags."""
_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")
"""An escaped character (``_x000D_``, as Excel writes a carriage return): openpyxl keeps some
as they are written and calamine unescapes them all."""
_EMPTY_TEXT = re.compile(rb"<(t|v)(?:\s[^>]*)?(?:/>|></\1>)")
"""An empty text or value: openpyxl reads "" where calamine reads what an empty cell is."""
_ODD_TAG = re.compile(rb"<(?:c|row)[\t\n\r]")
_CELL_REF = re.compile(rb"<c\s[^>]*?\br=[\"']([A-Z]{1,3})([0-9]{1,7})[\"']")
_ROW_NUMBER = re.compile(rb"<row\s[^>]*?\br=[\"']([0-9]{1,7})[\"']")
_STYLE = re.compile(rb"<c\s[^>]*?\bs=[\"']([0-9]{1,5})[\"']")
_CONTROL = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
"""The control characters XML 1.0 forbids (tab, line feed and carriage return are allowed)."""
_ERROR_OR_DATE = re.compile(rb"\st=[\"'][ed][\"']")
_ERROR_OR_DATE_HINT = re.compile(rb"t=[\"'][ed]")
"""What `_ERROR_OR_DATE` must contain, looked for first: a pattern that begins with plain
characters is searched for as such, many times faster than one that begins with a class of
characters (a white space), which is tried at every byte."""
_SPELT_AS_FLOAT = re.compile(rb"<v>([-+]?[0-9]*[.eE][-+0-9.eE]{0,38})</v>")
_LONG_WHOLE = re.compile(rb"<v>[-+]?[0-9]{16,}</v>")
"""Numbers openpyxl and calamine read as different types: a whole number spelt as a float
("2.0", "2E0"; openpyxl gives 2.0 where this reader gives 2), and one of 16 digits or more
(openpyxl gives the exact integer, calamine a float)."""
_DECLARATION = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)

_DATE_BUILTIN = frozenset({*range(14, 23), *range(45, 48)})
_REF_OF = re.compile(rb"\br=[\"']([A-Z]{1,3})([0-9]{1,7})[\"']")
_BUILTIN_PERCENT = {9: "0%", 10: "0.00%"}
"""The built-in percent formats, by id, spelt as openpyxl gives them in `number_format`."""
_TYPE_OF = re.compile(rb"\bt=[\"']([A-Za-z]+)[\"']")
_VALUE = re.compile(rb"<v>([-+0-9.eE]{1,40})</v>")
_FIRST_SAFE_DAY = 61
"""1 March 1900, Excel's day 61: from here on both libraries count days alike."""
_LAST_DAY = 2_958_466
"""1 January 10000, past the last day a date may be."""
_ALIKE_BUILTIN = frozenset({*range(0, 5), *range(9, 23), *range(37, 50)})
"""Built-in number format ids that openpyxl and calamine both know and read alike."""
_DATE_CODE = re.compile(r"^(?:[ymdhs]+|\\?[-/.:, ]|AM/PM)+$", re.IGNORECASE)
"""Date and time letters with separators, a separator escaped or not (LibreOffice writes
``yyyy\\-mm\\-dd``)."""
_NUMBER_CODE = re.compile(r"^[0#?.,% ]+$")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_T = TypeVar("_T")
_MAX_FAST_BYTES = 32 * 1024 * 1024
"""The most XML this path unpacks in all; a larger workbook is streamed by openpyxl."""
_MAX_FAST_SHEET_BYTES = 16 * 1024 * 1024
"""The largest sheet it reads: a roster of 20,000 officers is some 6 MB of XML, while a hostile
sheet of a million rows is larger, and is refused by openpyxl's reading as it streams."""
_OPENING = 4096
"""How much of a sheet not read is looked at for a document type (it must come before the root)."""
_ROOT = re.compile(_PREFIX + rb"worksheet[\s>]")
_EXACT = 2**53
"""Below this, a float that is a whole number is exactly the int openpyxl reads."""


def fast_sheets(data: bytes, sheets: Collection[str]) -> dict[str, list[Row]]:
    """
    The rows of each of `sheets` (actual sheet names) as openpyxl's reading would give them
    (`snapshot`), for those that pass the checks; the others are left out, for openpyxl to read.
    """
    return _guarded(lambda: _read(_checked(data, sheets, every=False))) or {}


def fast_book(data: bytes, wanted: Collection[str]) -> dict[str, list[Row]] | None:
    """
    Every `wanted` sheet the workbook has (matched as `snapshot` matches names) as openpyxl's
    reading would give it, without openpyxl; None unless every one of them passes the checks,
    and whenever the workbook's list of sheets is anything `snapshot` would refuse or look at
    twice (too many sheets, two names for one wanted sheet, a chart where a sheet is wanted).
    """

    def read() -> dict[str, list[Row]] | None:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = list(sheet_parts(archive))
        if len(names) > L.MAX_SHEETS:
            return None
        by_key: dict[str, list[str]] = {}
        for name in names:
            by_key.setdefault(sheet_key(name), []).append(name)
        actual: dict[str, str] = {}
        for sheet in wanted:
            found = by_key.get(sheet_key(sheet), [])
            if len(found) > 1:
                return None
            if found:
                actual[sheet] = found[0]
        checked = _checked(data, actual.values(), every=True)
        if len(checked.sheets) != len(set(actual.values())):
            return None
        rows = _read(checked)
        return {sheet: rows[name] for sheet, name in actual.items()}

    return _guarded(read)


def _guarded(read: Callable[[], _T]) -> _T | None:
    """What `read` returns, or None if it raises anything but an interrupt or exhaustion."""
    try:
        return read()
    except BaseException as exc:  # NOTE: a Rust panic is a BaseException; openpyxl reads instead
        if isinstance(exc, KeyboardInterrupt | SystemExit | MemoryError):
            raise
        return None


@dataclass(frozen=True)
class _Sheet:
    """What the checks learnt of one sheet: its row numbers and the cells shown as a percent."""

    rows: list[int]
    percents: frozenset[tuple[int, int]]
    """(row, column) of each cell, counted from 0, whose number format shows a percentage."""


@dataclass
class _Checked:
    """A stored copy of the package's XML parts, and the sheets in it that passed the checks."""

    package: bytes = b""
    sheets: dict[str, _Sheet] = field(default_factory=dict)


def _checked(data: bytes, sheets: Collection[str], *, every: bool) -> _Checked:
    """
    The sheets of `sheets` that pass every check, in a stored package for calamine; with
    `every`, nothing unless all of them pass.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        by_name = sheet_parts(archive)
        wanted = {part: sheet for sheet in sheets if (part := by_name.get(sheet))}
        parts = _xml_parts(archive, wanted)
    if parts is None or (every and len(wanted) != len(set(sheets))):
        return _Checked()
    styles = _styles(parts, [parts[p] for p in wanted if p in parts])
    if styles is None:
        return _Checked()
    checked = _Checked()
    for part, sheet in wanted.items():
        found = _sheet_checked(parts[part], L.row_limit(sheet), styles) if part in parts else None
        if found is None:
            if every:
                return _Checked()
            parts.pop(part, None)
        else:
            checked.sheets[sheet] = found
    if checked.sheets:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as stored:
            for name, body in parts.items():
                stored.writestr(name, body)
        checked.package = out.getvalue()
    return checked


def _xml_parts(archive: zipfile.ZipFile, wanted: Collection[str]) -> dict[str, bytes] | None:
    """
    The package's XML parts but the sheets not `wanted`, each unpacked no further than the size
    it declares; None when any declares a document type or an entity, lies about its size, or
    when they are larger than this path takes (openpyxl streams them instead).

    A sheet not wanted, or too large for this path, is not unpacked: only its opening is looked
    at, where a document type would have to stand (openpyxl reads that much of every sheet as it
    opens the workbook).
    """
    infos = [i for i in archive.infolist() if i.filename.endswith((".xml", ".rels"))]
    read = [
        i
        for i in infos
        if not _is_sheet(i.filename)
        or (i.filename in wanted and i.file_size <= _MAX_FAST_SHEET_BYTES)
    ]
    if sum(i.file_size for i in read) > _MAX_FAST_BYTES:
        return None
    parts: dict[str, bytes] = {}
    for info in infos:
        if info.filename in parts:
            continue
        if info in read:
            body = _bounded(archive, info, info.file_size)
            if body is None or (b"<!" in body and _DECLARATION.search(body)):
                return None
            if (b"_x" in body and _ESCAPE.search(body)) or _EMPTY_TEXT.search(body):
                return None
            parts[info.filename] = body
        else:
            opening = _bounded(archive, info, _OPENING)
            if opening is None or b"<!" in opening or not _ROOT.search(opening):
                return None
    return parts


def _bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int) -> bytes | None:
    """
    At most `size` bytes of a part: all of it when it is no larger, else its first `size`;
    None when it inflates past the size it declares (its checksum is checked when read whole).
    """
    with archive.open(info) as stream:
        body = stream.read(min(size, info.file_size) + 1)
    if len(body) > info.file_size:
        return None
    return body[:size]


def _is_sheet(part: str) -> bool:
    return part.startswith("xl/worksheets/") and not part.startswith("xl/worksheets/_rels/")


def _rows_within_limits(xml: bytes, limit: int) -> list[int] | None:
    """
    The row numbers of a sheet's XML when every cell and row names its place within the
    limits and nothing in it is refused here; else None. The cheap refusals come first, so a
    hostile sheet costs a few scans of its bytes at C speed before openpyxl is given it.
    """
    if len(xml) > _MAX_FAST_SHEET_BYTES or not _PLAIN_ROOT.match(xml):
        return None
    if b"<row>" in xml or b"<row/>" in xml or b"<c>" in xml or b"<c/>" in xml:
        return None  # NOTE: a row or cell that does not name its place
    if _ODD_TAG.search(xml):
        return None  # NOTE: so that every row and cell is counted by "<row " and "<c " below
    if b"&#" in xml or _has_control(xml) or _error_or_date(xml):
        return None
    if _LONG_WHOLE.search(xml) or any(_whole(v) for v in _SPELT_AS_FLOAT.findall(xml)):
        return None
    spelt = _ROW_NUMBER.findall(xml)
    numbers = [int(n) for n in spelt]
    if len(numbers) != xml.count(b"<row ") or any(n > limit for n in numbers):
        return None
    refs = _CELL_REF.findall(xml)
    if len(refs) != xml.count(b"<c "):
        return None
    # NOTE: a cell's row spelt as some row's own number is within the limit (checked above);
    # only the others need reading as a number
    if any(int(n) > limit for n in {n for _, n in refs}.difference(spelt)):
        return None
    if any(_column(c) > L.MAX_COLUMNS for c in {c for c, _ in refs}):
        return None
    return numbers


def _has_control(xml: bytes) -> bool:
    """True when `xml` holds a control character XML forbids (deleting them shortens it)."""
    return len(xml.translate(None, _CONTROL)) != len(xml)


def _error_or_date(xml: bytes) -> bool:
    """True when a cell of `xml` is typed as an error or as an ISO date."""
    return _ERROR_OR_DATE_HINT.search(xml) is not None and _ERROR_OR_DATE.search(xml) is not None


def _whole(spelt: bytes) -> bool:
    """True when a number spelt with a point or an exponent is a whole number."""
    try:
        return float(spelt).is_integer()
    except ValueError:
        return False


def _column(letters: bytes) -> int:
    """A column's number from its letters (``A`` is 1, ``AA`` is 27)."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


@dataclass(frozen=True)
class _Styles:
    """The cell styles (indexes into ``cellXfs``) that show a date or time, and a percentage."""

    dates: frozenset[int] = frozenset()
    percents: frozenset[int] = frozenset()


def _styles(parts: dict[str, bytes], sheets: list[bytes]) -> _Styles | None:
    """
    The styles the sheets use that show a date or a percentage, once every style they use is
    read alike by both libraries; None when one may not be.
    """
    used = {int(s) for s in set().union(*(_STYLE.findall(xml) for xml in sheets))} - {0}
    if not used:
        return _Styles()
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
    percents: set[int] = set()
    for index in used:
        if index >= len(xfs):
            return None
        format_id = int(xfs[index].get("numFmtId") or 0)
        code = _BUILTIN_PERCENT.get(format_id, codes.get(format_id))
        if format_id in _DATE_BUILTIN or (code is not None and _DATE_CODE.match(code)):
            dates.add(index)
        elif format_id not in _ALIKE_BUILTIN and not (
            code in {"General", "@"} or (code is not None and _NUMBER_CODE.match(code))
        ):
            return None
        if code is not None and "%" in code:
            percents.add(index)
    return _Styles(frozenset(dates), frozenset(percents))


def _sheet_checked(xml: bytes, limit: int, styles: _Styles) -> _Sheet | None:
    """What a sheet's XML tells of it, once it passes the checks (`_rows_within_limits`,
    `_styled`); else None."""
    rows = _rows_within_limits(xml, limit)
    if rows is None:
        return None
    percents = _styled(xml, styles)
    return None if percents is None else _Sheet(rows, percents)


def _styled(xml: bytes, styles: _Styles) -> frozenset[tuple[int, int]] | None:
    """
    The (row, column) of each cell shown as a percentage, once every number shown as a date is
    one both libraries read alike (else None): a whole day from 1 March 1900 to the end of 9999,
    as the sheets hold. Before it, openpyxl follows Excel's leap day of 1900 and reads negative
    numbers as older dates; a time of day is rounded to the millisecond a little differently by
    each (both found by the generated tests).
    """
    dated = _dates_alike(xml, styles.dates)
    if not dated:
        return None
    if not styles.percents:
        return frozenset()
    cells, count = _styled_cells(styles.percents)
    percents: set[tuple[int, int]] = set()
    for attributes, _ in cells.findall(xml):
        ref = _REF_OF.search(attributes)
        if ref is None:
            return None
        percents.add((int(ref.group(2)) - 1, _column(ref.group(1)) - 1))
    return frozenset(percents) if len(percents) == len(count.findall(xml)) else None


def _dates_alike(xml: bytes, dates: frozenset[int]) -> bool:
    """True when every cell of a date style in `xml` holds a whole day both count alike."""
    if not dates:
        return True
    cells, count = _styled_cells(dates)
    found = cells.findall(xml)
    for attributes, inner in found:
        if not inner:
            continue  # NOTE: an empty cell (most of a date column the template styles)
        kind = _TYPE_OF.search(attributes)
        value = _VALUE.search(inner)
        if (kind is not None and kind.group(1) != b"n") or value is None:
            continue  # NOTE: text, a boolean or nothing in a date cell: read alike
        number = float(value.group(1))
        if not (number.is_integer() and _FIRST_SAFE_DAY <= number < _LAST_DAY):
            return False
    return len(found) == len(count.findall(xml))


def _styled_cells(styles: frozenset[int]) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """
    Two patterns for the cells of `styles`: the whole cell (its attributes and its content),
    and its opening alone, to count them (so that a cell the first misses is noticed).
    """
    which = b"|".join(str(style).encode() for style in sorted(styles))
    opening = rb"<c\s[^>]*?\bs=[\"'](?:" + which + rb")[\"']"
    whole = rb"<c\s([^>]*?\bs=[\"'](?:" + which + rb")[\"'][^>]*?)(?:/>|>(.*?)</c>)"
    return re.compile(whole, re.DOTALL), re.compile(opening)


def _read(checked: _Checked) -> dict[str, list[Row]]:
    if not checked.sheets:
        return {}
    from python_calamine import CalamineWorkbook

    out: dict[str, list[Row]] = {}
    with CalamineWorkbook.from_filelike(io.BytesIO(checked.package)) as book:
        for name, sheet in checked.sheets.items():
            grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            height = max([len(grid), *sheet.rows], default=0)
            out[name] = _plain(grid, height, sheet.percents)
    return out


def _plain(
    grid: Sequence[Sequence[object]], height: int, percents: frozenset[tuple[int, int]]
) -> list[Row]:
    """calamine's grid as the rows openpyxl gives: `height` rows, each `L.MAX_COLUMNS` wide."""
    blank = (EMPTY,) * L.MAX_COLUMNS
    rows: list[Row] = []
    for number in range(height):
        cells = grid[number] if number < len(grid) else ()
        values = tuple(map(_value, cells))
        if not any(value is not EMPTY for value in values):
            rows.append(blank)
            continue
        rows.append(values + blank[len(values) :])
    for row, column in percents:
        value = rows[row][column].value if row < len(rows) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            cells = rows[row]
            rows[row] = (*cells[:column], Value(value, True), *cells[column + 1 :])
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
