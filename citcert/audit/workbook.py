"""
Read a filled evidence workbook into a validated `Evidence`, reporting every problem at once.

The file is checked before openpyxl inflates anything: size, format (old .xls, encrypted,
.ods, CSV, not a zip, damaged zip), and the zip's declared unpacked size (zip bombs). openpyxl
then reads it read-only, with cached formula values, no macros kept and no external links; its
XML parsing goes through defusedxml, so entity and DTD tricks are refused. The input is never
written to. The sheets are copied into plain rows, and `citcert.audit.sheets` turns those into
the `Evidence` with each problem located as ``Sheet!Cell``.

The limits (file size, unpacked size, sheets, rows, columns) are in `citcert.audit.layout`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import operator
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from citcert.audit import layout as L
from citcert.audit.evidence import Evidence
from citcert.audit.sheets import EMPTY, Book, Value, read_evidence
from citcert.errors import Location, StandardMismatchError, WorkbookError
from citcert.standards.model import Standard, standard_sha256

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_MB = 1024 * 1024


def read_standard_ref(path: Path) -> str:
    """The ``id@version`` a workbook was made for, from its hidden metadata sheet."""
    book = open_book(Path(path), (L.METADATA_SHEET,))
    return read_metadata(book)[L.Meta.STANDARD_REF]


def read_workbook(path: Path, standard: Standard, *, today: dt.date) -> Evidence:
    """
    The workbook at `path` as `Evidence` for `standard`.

    Raises `StandardMismatchError` when it was made for another standard or version, and
    `WorkbookError` holding every problem found otherwise. `today` bounds the dates a workbook may
    hold (none may lie in the future); the command line passes the real date.
    """
    book = open_book(
        Path(path), (L.PROGRAM_SHEET, L.EVIDENCE_SHEET, L.DOCUMENTS_SHEET, L.METADATA_SHEET)
    )
    meta = read_metadata(book)
    _check_standard(book.name, meta, standard)
    extra = []
    if meta.get(L.Meta.STANDARD_SHA256) not in (None, standard_sha256(standard)):
        extra.append(
            f"{book.name}: the standard {standard.ref} has changed since this workbook was made; "
            "the requirements still match, so it can be audited"
        )
    return read_evidence(book, standard, today=today, meta=meta, warnings=extra)


def _fail(name: str, message: str) -> WorkbookError:
    return WorkbookError.single(message, Location(file=name))


def open_book(path: Path, sheets: Iterable[str]) -> Book:
    """Check the file, then copy the wanted sheets into plain rows (the file is only read)."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > L.MAX_FILE_BYTES:
            raise _fail(name, _too_big(size))
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(name, f"cannot be read: {exc.strerror or exc}") from exc
    _check_format(data, name, path.suffix.lower())
    sheets_rows = _snapshot(data, name, tuple(sheets))
    return Book(name=name, sha256=hashlib.sha256(data).hexdigest(), sheets=sheets_rows)


def _too_big(size: int) -> str:
    return (
        f"the file is {size / _MB:.1f} MB; citcert reads workbooks up to "
        f"{L.MAX_FILE_BYTES // _MB} MB. Keep documents outside the workbook and "
        "list them in the Documents sheet"
    )


_SAVE_AS = "Open it in Excel or LibreOffice Calc and save it as an Excel Workbook (.xlsx)"


def _check_format(data: bytes, name: str, suffix: str) -> None:
    """Refuse, with a plain reason, anything that is not an .xlsx or .xlsm zip package."""
    if not data:
        raise _fail(name, "the file is empty")
    if data.startswith(_OLE):
        if _ENCRYPTED in data:
            raise _fail(
                name,
                "the workbook is protected with a password (encrypted), which citcert cannot "
                "open. Open it in Excel, remove the password (File > Info > Protect Workbook) and "
                "save it again",
            )
        raise _fail(name, f"this is an old-style Excel 97-2003 file (.xls). {_SAVE_AS}")
    if not data.startswith(_ZIP):
        raise _fail(name, _not_a_zip(data, suffix))
    _check_zip(data, name)


def _not_a_zip(data: bytes, suffix: str) -> str:
    if suffix == ".xls":
        return f"this is an old-style or disguised .xls file, not an .xlsx workbook. {_SAVE_AS}"
    if suffix in (".csv", ".tsv", ".txt") or _looks_like_text(data):
        return (
            "this is a plain-text (CSV) file, which holds one sheet without the workbook's "
            "layout. Fill in the workbook made by `citcert template` instead and save it as .xlsx"
        )
    return f"this is not an Excel workbook (.xlsx). {_SAVE_AS}"


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in head


def _check_zip(data: bytes, name: str) -> None:
    """Look at the zip's directory (nothing is unpacked): damage, .ods, entries, unpacked size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            mimetype = archive.read("mimetype")[:80] if "mimetype" in archive.namelist() else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise _fail(name, _damaged()) from exc
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise _fail(
            name,
            "this is an OpenDocument spreadsheet (.ods). In LibreOffice Calc choose File > Save As "
            "and the type Excel 2007-365 (.xlsx)",
        )
    if len(entries) > L.MAX_ZIP_ENTRIES:
        raise _fail(name, f"the file holds {len(entries):,} parts; a workbook has far fewer")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > L.MAX_UNCOMPRESSED_BYTES:
        raise _fail(
            name,
            f"the file would unpack to {unpacked / _MB:,.0f} MB, more than the "
            f"{L.MAX_UNCOMPRESSED_BYTES // _MB} MB citcert allows; it is refused to protect "
            "your computer",
        )
    if not any(entry.filename == "[Content_Types].xml" for entry in entries):
        raise _fail(name, f"this is a zip file, not an Excel workbook. {_SAVE_AS}")


def _damaged() -> str:
    return (
        "the file is damaged or incomplete (perhaps cut off while copying or downloading) and "
        "cannot be read. Open it in Excel to repair it, or use a good copy"
    )


def _snapshot(
    data: bytes, name: str, wanted: tuple[str, ...]
) -> dict[str, list[tuple[Value, ...]]]:
    """The wanted sheets as rows of plain values; openpyxl is used here and nowhere after."""
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
                return _sheets(book, name, wanted)
            finally:
                book.close()
    except WorkbookError:
        raise
    except Exception as exc:  # NOTE: anything openpyxl raises on a broken package means "damaged"
        if _caused_by(exc, DefusedXmlException):
            raise _fail(
                name,
                "the file contains XML that citcert refuses to read (entity declarations or a "
                "document type, which can be used to attack a computer). Save it again from Excel",
            ) from exc
        raise _fail(name, _damaged()) from exc


def _caused_by(exc: BaseException | None, kind: type[BaseException]) -> bool:
    """True when `exc` or anything in its chain of causes is a `kind` (openpyxl re-wraps errors)."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, kind):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _sheets(book: Any, name: str, wanted: tuple[str, ...]) -> dict[str, list[tuple[Value, ...]]]:
    if len(book.sheetnames) > L.MAX_SHEETS:
        raise _fail(
            name, f"the workbook has {len(book.sheetnames)} sheets; at most {L.MAX_SHEETS} are read"
        )
    found = {sheet.casefold(): sheet for sheet in book.sheetnames}
    out: dict[str, list[tuple[Value, ...]]] = {}
    for sheet in wanted:
        actual = found.get(sheet.casefold())
        if actual is not None and hasattr(book[actual], "iter_rows"):
            out[sheet] = _rows(book[actual], name, sheet)
    return out


def _rows(ws: Any, name: str, sheet: str) -> list[tuple[Value, ...]]:
    from openpyxl.cell.read_only import EMPTY_CELL

    ws.reset_dimensions()  # NOTE: a wrong <dimension> in the file would silently cut rows off
    rows: list[tuple[Value, ...]] = []
    beyond = _Beyond(EMPTY_CELL)
    for number, cells in enumerate(ws.iter_rows(max_col=L.MAX_COLUMNS), start=1):
        if number <= L.MAX_ROWS:
            rows.append(tuple(EMPTY if cell is EMPTY_CELL else _value(cell) for cell in cells))
        elif not beyond.allows(number, cells):
            raise _fail(
                name,
                f"the {sheet} sheet has more than {L.MAX_ROWS:,} rows; citcert reads "
                "at most that many",
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


def read_metadata(book: Book) -> dict[str, str]:
    """The metadata sheet as key → text; refuses a workbook citcert did not make."""
    rows = book.sheets.get(L.METADATA_SHEET)
    meta = {
        str(r[0].value).strip(): str(r[1].value).strip()
        for r in rows or ()
        if len(r) > 1 and r[0].value
    }
    if not meta.get(L.Meta.STANDARD_REF):
        raise _fail(
            book.name,
            f"this is not a citcert evidence workbook: its hidden {L.METADATA_SHEET} sheet, which "
            "records the standard, is missing or empty. Make one with `citcert template` and copy "
            "your answers into it",
        )
    version = meta.get(L.Meta.LAYOUT_VERSION, "1")
    if not version.isdigit() or int(version) > L.LAYOUT_VERSION:
        raise _fail(
            book.name,
            "this workbook was made by a newer version of citcert; update citcert to read it",
        )
    return meta


def _check_standard(name: str, meta: dict[str, str], standard: Standard) -> None:
    made_for = meta[L.Meta.STANDARD_REF]
    if made_for == standard.ref:
        return
    raise StandardMismatchError.single(
        f"this workbook was made for {made_for}, not {standard.ref}. Check it against the "
        f"standard it was made for (--standard {made_for}), or carry its answers over with: "
        f"citcert migrate {name} --to {standard.ref} -o new.xlsx",
        Location(file=name),
    )
