"""
Files that are not a usable workbook are refused with a plain reason, before anything is
inflated; the input is never written to; a workbook saved by LibreOffice Calc still reads.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from citcert.cli import cli
from citcert.workbook import layout as L
from citcert.workbook.reader import open_book, read_workbook
from tests.audit.workbook_filler import (
    MINI,
    blank,
    fill,
    filled_path,
    rewrite_part,
    save,
    saved_by_libreoffice,
    standard,
)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture(scope="module")
def standards_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A standards folder holding the mini standard."""
    folder = tmp_path_factory.mktemp("standards")
    (folder / "mini.yaml").write_bytes(MINI.read_bytes())
    return folder


def _validate(runner: CliRunner, folder: Path, path: Path) -> Any:
    args = ["--standards-dir", str(folder), "validate", str(path), "--standard", "mini-standard"]
    return runner.invoke(cli, args)


def _ods() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


FILES: list[tuple[str, str, bytes, str]] = [
    ("empty", "program.xlsx", b"", "the file is empty"),
    (
        "old xls",
        "program.xls",
        _OLE + b"\x00" * 504 + b"Workbook".ljust(64, b"\x00"),
        "this is an old-style Excel 97-2003 file (.xls). Open it in Excel or LibreOffice Calc "
        "and save it as an Excel Workbook (.xlsx)",
    ),
    (
        "encrypted",
        "program.xlsx",
        _OLE + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 100,
        "the workbook is protected with a password (encrypted), which citcert cannot open",
    ),
    (
        "ods",
        "program.ods",
        _ods(),
        "this is an OpenDocument spreadsheet (.ods). In LibreOffice Calc choose File > Save As",
    ),
    (
        "csv",
        "program.csv",
        b"ID,Self rating\nPART-01,Met\n",
        "this is a plain-text (CSV) file, which holds one sheet without the workbook's layout",
    ),
    (
        "csv renamed to xlsx",
        "program.xlsx",
        b"ID,Self rating\nPART-01,Met\n",
        "this is a plain-text (CSV) file",
    ),
    (
        "web page saved as xlsx",
        "program.xlsx",
        b"<!DOCTYPE html>\n<html><body><table><tr><td>PART-01</td></tr></table></body></html>",
        "this is a web page (HTML) saved under a workbook's name. Open it in Excel or LibreOffice",
    ),
    (
        "xml spreadsheet",
        "program.xlsx",
        b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
        "this is an XML file (perhaps an Excel 2003 XML spreadsheet). Open it in Excel",
    ),
    (
        "text that is not csv",
        "program.xlsx",
        b"junk",
        "this is a text file, not an Excel workbook. Fill in the workbook made by `citcert",
    ),
    (
        "not a zip",
        "program.xlsx",
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "this is not an Excel workbook (.xlsx). Open it in Excel or LibreOffice Calc",
    ),
    (
        "zip but not a workbook",
        "program.xlsx",
        _plain_zip(),
        "this is a zip file, not an Excel workbook",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "line"), [f[1:] for f in FILES], ids=[f[0] for f in FILES]
)
def test_wrong_kinds_of_file_are_refused_plainly(
    tmp_path: Path, runner: CliRunner, standards_dir: Path, name: str, content: bytes, line: str
) -> None:
    """Each wrong kind of file gets its own plain reason and exit 2."""
    path = tmp_path / name
    path.write_bytes(content)

    result = _validate(runner, standards_dir, path)

    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {name}: {line}"), result.stderr


def test_a_truncated_workbook_is_called_damaged(
    tmp_path: Path, runner: CliRunner, standards_dir: Path
) -> None:
    """A file cut off while copying is damaged or incomplete, not a crash."""
    data = filled_path(tmp_path).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])

    result = _validate(runner, standards_dir, path)

    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cut.xlsx: the file is damaged or incomplete")


def test_a_corrupt_part_is_called_damaged(
    tmp_path: Path, runner: CliRunner, standards_dir: Path
) -> None:
    """A workbook whose sheet XML is broken is damaged, not a traceback."""
    path = rewrite_part(filled_path(tmp_path), "xl/worksheets/sheet3.xml", "</sheetData>", "")

    result = _validate(runner, standards_dir, path)

    assert result.exit_code == 2
    assert result.stderr == (
        "Error: program.xlsx: the file is damaged or incomplete (perhaps cut off while copying "
        "or downloading) and cannot be read. Open it in Excel to repair it, or use a good copy\n"
    )


def test_a_file_above_the_size_limit_is_refused_unread(
    tmp_path: Path, runner: CliRunner, standards_dir: Path
) -> None:
    """A file larger than the documented limit is refused before it is read."""
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as handle:
        handle.truncate(L.MAX_FILE_BYTES + 1)

    result = _validate(runner, standards_dir, path)

    assert result.exit_code == 2
    assert "huge.xlsx: the file is 20.0 MB; citcert reads workbooks up to 20 MB" in result.stderr


def test_a_zip_bomb_is_refused_from_its_declared_sizes(
    tmp_path: Path, runner: CliRunner, standards_dir: Path
) -> None:
    """A zip declaring more unpacked bytes than allowed is refused before anything is inflated."""
    data = bytearray(filled_path(tmp_path).read_bytes())
    start = data.index(b"PK\x01\x02")  # first central directory entry
    struct.pack_into("<I", data, start + 24, 300 * 1024 * 1024)  # its uncompressed size
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bytes(data))

    result = _validate(runner, standards_dir, path)

    assert result.exit_code == 2
    assert "bomb.xlsx: the file would unpack to 300 MB, more than the 200 MB" in result.stderr


@pytest.mark.parametrize(
    "part", ["xl/workbook.xml", "xl/worksheets/sheet3.xml"], ids=["workbook", "sheet"]
)
def test_xml_entity_attacks_are_refused(
    tmp_path: Path, runner: CliRunner, standards_dir: Path, part: str
) -> None:
    """An entity declaration (billion laughs, external entity) in any part is refused."""
    doctype = (
        '<!DOCTYPE bomb [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    path = rewrite_part(filled_path(tmp_path), part, r"\A", doctype)

    result = _validate(runner, standards_dir, path)

    assert result.exit_code == 2
    assert "the file contains XML that citcert refuses to read" in result.stderr


def test_openpyxl_parses_through_defusedxml() -> None:
    """openpyxl's XML parsing is the hardened one (defusedxml is installed and used)."""
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


def test_too_many_sheets_are_refused(
    tmp_path: Path, runner: CliRunner, standards_dir: Path
) -> None:
    """A workbook with more sheets than the limit is refused."""
    book = fill(blank())
    for number in range(L.MAX_SHEETS):
        book.create_sheet(f"Extra {number}")
    path = save(book, tmp_path / "sheets.xlsx")

    result = _validate(runner, standards_dir, path)

    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: sheets.xlsx: the workbook has {L.MAX_SHEETS + 5} sheets; at most "
        f"{L.MAX_SHEETS} are read\n"
    )


def test_too_many_rows_are_refused(
    tmp_path: Path, runner: CliRunner, standards_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows with content beyond the row limit are refused (the limit is lowered for speed)."""
    monkeypatch.setattr(L, "MAX_ROWS", 12)
    path = filled_path(tmp_path)

    result = _validate(runner, standards_dir, path)

    assert result.exit_code == 2
    assert result.stderr == (
        "Error: program.xlsx: the Program sheet has more than 12 rows; citcert reads at most "
        "that many\n"
    )


def test_the_input_is_never_written_to(
    tmp_path: Path, runner: CliRunner, standards_dir: Path
) -> None:
    """Validating leaves the workbook's bytes and modification time untouched."""
    path = filled_path(tmp_path)
    before = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)

    result = _validate(runner, standards_dir, path)

    assert result.exit_code == 0, result.stderr
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["program.xlsx"]


@pytest.mark.office
@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed; make test-office installs it",
)
def test_a_workbook_saved_by_libreoffice_still_reads(tmp_path: Path) -> None:
    """A filled workbook converted by LibreOffice Calc reads to the same evidence."""
    (tmp_path / "in").mkdir()
    source = filled_path(tmp_path / "in")
    converted_path = saved_by_libreoffice(source, tmp_path)

    original = read_workbook(open_book(source), standard())
    converted = read_workbook(open_book(converted_path), standard())

    assert converted.profile == original.profile
    assert converted.numbers == original.numbers
    assert converted.requirements == original.requirements
    assert converted.documents == original.documents
    assert converted.standard_ref == original.standard_ref
