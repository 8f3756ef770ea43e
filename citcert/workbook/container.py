"""
The workbook file checked before openpyxl inflates anything.

Size, format (old .xls, encrypted, .ods, CSV, not a zip, damaged zip) and the zip's declared
unpacked size (zip bombs) are checked from the bytes and the zip's directory alone, so a file
that is not an .xlsx workbook is refused with a plain reason and a way to fix it, and nothing
hostile is ever unpacked. The limits are in `citcert.workbook.layout`.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import BinaryIO

from citcert.errors import Location, WorkbookError
from citcert.workbook import layout as L

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_MB = 1024 * 1024
_SAVE_AS = "Open it in Excel or LibreOffice Calc and save it as an Excel Workbook (.xlsx)"

DAMAGED = (
    "the file is damaged or incomplete (perhaps cut off while copying or downloading) and "
    "cannot be read. Open it in Excel to repair it, or use a good copy"
)
"""What is said of a file that looks like a workbook but cannot be unpacked or parsed."""


def file_error(name: str, message: str) -> WorkbookError:
    """A problem with the workbook file as a whole (located at the file, not at a cell)."""
    return WorkbookError.single(message, Location(file=name))


def read_checked(path: Path) -> bytes:
    """The bytes of the file at `path`, once they are known to be an .xlsx or .xlsm package."""
    from citcert._files import read_regular

    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise file_error(name, f"cannot be read: {exc.strerror or exc}") from exc
    if path.is_file() and size > L.MAX_FILE_BYTES:
        raise file_error(name, _too_big(size))
    data = read_regular(path, L.MAX_FILE_BYTES, error=WorkbookError, what="workbook")
    _check_format(data, name, path.suffix.lower())
    return data


STDIN_NAME = "standard input"
"""How messages name a workbook read from a pipe (``citcert audit - < program.xlsx``)."""


def read_stream_checked(stream: BinaryIO, name: str = STDIN_NAME) -> bytes:
    """
    The bytes of a workbook arriving through a pipe, read bounded, once known to be an .xlsx.

    At most one byte more than the size limit is ever read, so an endless stream is refused.
    """
    try:
        data = stream.read(L.MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise file_error(name, f"cannot be read: {exc.strerror or exc}") from exc
    if len(data) > L.MAX_FILE_BYTES:
        raise file_error(
            name,
            f"more than {L.MAX_FILE_BYTES // _MB} MB arrived, more than citcert reads in a "
            "workbook. Keep documents outside the workbook and list them in the Documents sheet",
        )
    _check_format(data, name, "")
    return data


def _too_big(size: int) -> str:
    return (
        f"the file is {size / _MB:.1f} MB; citcert reads workbooks up to "
        f"{L.MAX_FILE_BYTES // _MB} MB. Keep documents outside the workbook and "
        "list them in the Documents sheet"
    )


def _check_format(data: bytes, name: str, suffix: str) -> None:
    """Refuse, with a plain reason, anything that is not an .xlsx or .xlsm zip package."""
    if not data:
        raise file_error(name, "the file is empty")
    if data.startswith(_OLE):
        if _ENCRYPTED in data:
            raise file_error(
                name,
                "the workbook is protected with a password (encrypted), which citcert cannot "
                "open. Open it in Excel, remove the password (File > Info > Protect Workbook) and "
                "save it again",
            )
        raise file_error(name, f"this is an old-style Excel 97-2003 file (.xls). {_SAVE_AS}")
    if not data.startswith(_ZIP):
        raise file_error(name, _not_a_zip(data, suffix))
    _check_zip(data, name)


def _not_a_zip(data: bytes, suffix: str) -> str:
    if suffix == ".xls":
        return f"this is an old-style or disguised .xls file, not an .xlsx workbook. {_SAVE_AS}"
    if suffix in (".csv", ".tsv", ".txt") or _looks_like_text(data):
        return _text_file(data[:512].lstrip().lower(), suffix)
    return f"this is not an Excel workbook (.xlsx). {_SAVE_AS}"


def _text_file(head: bytes, suffix: str) -> str:
    """What a text file given as a workbook most likely is, and what to do instead."""
    if head.startswith((b"<!doctype html", b"<html", b"<table")):
        # NOTE: many systems "export to Excel" as a web page with a workbook's name.
        return f"this is a web page (HTML) saved under a workbook's name. {_SAVE_AS}"
    if head.startswith(b"<?xml"):
        return f"this is an XML file (perhaps an Excel 2003 XML spreadsheet). {_SAVE_AS}"
    if suffix == ".json" or head.startswith((b"{", b"[")):
        return (
            "this is a JSON file (perhaps an audit report from `citcert audit --format json`), "
            "not an Excel workbook. Give the filled-in .xlsx workbook instead"
        )
    if suffix in (".md", ".markdown") or head.startswith(b"#"):
        return (
            "this is a Markdown text file (perhaps a README or a report), not an Excel workbook. "
            "Give the filled-in .xlsx workbook instead"
        )
    if suffix in (".csv", ".tsv") or _delimited(head):
        return (
            "this is a plain-text (CSV) file, which holds one sheet without the workbook's "
            "layout. Fill in the workbook made by `citcert template` instead and save it as .xlsx"
        )
    return (
        "this is a text file, not an Excel workbook. Fill in the workbook made by "
        "`citcert template` and save it as .xlsx"
    )


def _delimited(head: bytes) -> bool:
    """True when the first lines look like a table: each splits into the same number of fields."""
    lines = [line for line in head.splitlines()[:5] if line.strip()]
    for mark in (b",", b";", b"\t"):
        counts = {line.count(mark) for line in lines[:-1] or lines}
        if len(counts) == 1 and counts != {0}:
            return True
    return False


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
        raise file_error(name, DAMAGED) from exc
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise file_error(
            name,
            "this is an OpenDocument spreadsheet (.ods). In LibreOffice Calc choose File > Save As "
            "and the type Excel 2007-365 (.xlsx)",
        )
    if len(entries) > L.MAX_ZIP_ENTRIES:
        raise file_error(name, f"the file holds {len(entries):,} parts; a workbook has far fewer")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > L.MAX_UNCOMPRESSED_BYTES:
        raise file_error(
            name,
            f"the file would unpack to {unpacked / _MB:,.0f} MB, more than the "
            f"{L.MAX_UNCOMPRESSED_BYTES // _MB} MB citcert allows; it is refused to protect "
            "your computer",
        )
    seen: set[str] = set()
    for entry in entries:
        key = entry.filename.replace("\\", "/").lstrip("/").casefold()
        if key in seen:
            raise file_error(
                name,
                f"the file holds the part {entry.filename} twice, so two programs could read two "
                "different workbooks from it; it was not saved by a spreadsheet program. Save it "
                "again from Excel or LibreOffice Calc",
            )
        seen.add(key)
    if not any(entry.filename == "[Content_Types].xml" for entry in entries):
        raise file_error(name, f"this is a zip file, not an Excel workbook. {_SAVE_AS}")
