"""
Hostile evidence workbooks through `citcert audit`: each is refused with exit 2, one plain
message and no report written, or audited safely, quickly and in bounded memory.

The reader's own tests (tests/audit/test_workbook_files.py, test_workbook_errors.py) already
cover wrong kinds of file, a damaged zip, a zip whose directory claims 300 MB, a small entity
declaration in the workbook and one sheet, 51 sheets, too many rows with the limit lowered, and
text over 32,767 characters; tests/export/test_pdf_xlsx_from_workbook.py follows typed formulas
and markup into the PDF and XLSX. This module adds the rest of the corpus: a zip bomb that
really inflates (honest and lying about its size), 1,500 parts, 300 sheets, a billion-laughs
and an external-entity declaration in every part, sheets of a million rows (with text, empty,
or one cell at the bottom), formulas with and without cached values, an external link, and one
workbook holding every kind of hostile text (formulas typed as text, 32,767-character cells,
control characters, right-to-left scripts, emoji and a bidi override) followed into every output
of `audit` and `batch`. Every file is generated in tmp_path.
"""

from __future__ import annotations

import csv
import io
import json
import re
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from pypdf import PdfReader

from citcert.cli import cli
from citcert.export.wording import FORMULA_TRIGGERS
from citcert.workbook import layout as L
from tests.audit import workbook_filler as filler
from tests.conftest import data

MIB = 1024 * 1024
EVIDENCE = "xl/worksheets/sheet3.xml"
"""The Evidence sheet's part in a workbook saved by openpyxl (sheets are numbered in order)."""
NAME = "program.xlsx"


@contextmanager
def bounded(seconds: float, mib: float | None = None) -> Iterator[None]:
    """
    Fail unless the block uses at most `seconds` of CPU and, when `mib` is given, allocates at most
    `mib` MiB at its peak (traced allocations slow Python down, so time-only checks skip it).
    """
    if mib is not None:
        tracemalloc.start()
    start = time.process_time()  # CPU time: other jobs on the machine do not count
    try:
        yield
    finally:
        elapsed = time.process_time() - start
        peak = tracemalloc.get_traced_memory()[1] / MIB if mib is not None else 0.0
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.1f} s of CPU (bound {seconds} s)"
    assert mib is None or peak < mib, f"peaked at {peak:.0f} MiB (bound {mib} MiB)"


def audit(path: Path, out: Path, formats: str = "json") -> Result:
    """`citcert audit` of `path` against the mini standard, reports into `out`."""
    args = ["--standards-dir", str(data("standards")), "audit", str(path)]
    return CliRunner().invoke(cli, [*args, "-o", str(out), "--format", formats])


def refused(result: Result, out: Path, message: str) -> None:
    """Exit 2, the workbook's name then `message` on stderr, and no report folder."""
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: {NAME}"), result.stderr
    assert message in result.stderr, result.stderr
    assert not out.exists()


# --- building packages by hand ----------------------------------------------------------------


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The parts of a complete, valid workbook for the mini standard, by name."""
    path = filler.filled_path(tmp_path_factory.mktemp("base"))
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@dataclass(frozen=True)
class Raw:
    """A part given as a ready raw-deflate stream, with the sizes its headers will declare."""

    stream: bytes
    crc: int
    size: int


def write_zip(path: Path, parts: Mapping[str, bytes | Raw]) -> Path:
    """A zip written by hand, so a part's declared size can be anything (stored in 32 bits)."""
    body, directory = bytearray(), bytearray()
    for name, part in parts.items():
        raw = part if isinstance(part, Raw) else _deflate(part)
        encoded = name.encode()
        # version needed, flags, deflated, time, date (1980-01-01), crc, sizes, name length
        fields = (20, 0, 8, 0, 0x21, raw.crc, len(raw.stream), raw.size, len(encoded))
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, len(body)
        )
        directory += encoded
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + encoded + raw.stream
    count, size, offset = len(parts), len(directory), len(body)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, size, offset, 0)
    path.write_bytes(bytes(body + directory + end))
    return path


def _deflate(data: bytes) -> Raw:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Raw(packer.compress(data) + packer.flush(), zlib.crc32(data), len(data))


def padded_stream(head: bytes, filler_mib: int, tail: bytes) -> tuple[bytes, int, int]:
    """
    `head`, `filler_mib` MiB of spaces, then `tail`, as one raw-deflate stream, made fast.

    After a full flush the compressor forgets what came before, so one MiB of spaces compresses
    to the same bytes every time: it is compressed once and repeated.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b" " * MIB
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    once = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    assert once == again
    end = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(filler_mib):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return start + once * filler_mib + end, crc, len(head) + filler_mib * MIB + len(tail)


# --- the package: zip bombs, parts, sheets ---------------------------------------------------


class TestPackage:
    """Dangers in the zip package itself are refused before anything is inflated or parsed."""

    def test_a_real_zip_bomb_is_refused_from_its_sizes(
        self, tmp_path: Path, parts: dict[str, bytes]
    ) -> None:
        """A sheet that really inflates to 300 MB (from 300 KB) is refused, never unpacked."""
        head, tail = parts[EVIDENCE].split(b"</worksheet>")
        stream, crc, size = padded_stream(head, 300, b"</worksheet>" + tail)
        path = write_zip(tmp_path / NAME, {**parts, EVIDENCE: Raw(stream, crc, size)})

        with bounded(seconds=5, mib=20):
            result = audit(path, tmp_path / "out")

        refused(result, tmp_path / "out", "the file would unpack to 300 MB, more than the 200 MB")

    def test_a_zip_bomb_lying_about_its_size_stops_at_the_declared_size(
        self, tmp_path: Path, parts: dict[str, bytes]
    ) -> None:
        """A part declaring its true small size but inflating to 300 MB is read no further."""
        head, tail = parts[EVIDENCE].split(b"</worksheet>")
        stream, crc, _ = padded_stream(head, 300, b"</worksheet>" + tail)
        lie = Raw(stream, crc, len(parts[EVIDENCE]))
        path = write_zip(tmp_path / NAME, {**parts, EVIDENCE: lie})

        with bounded(seconds=5, mib=40):
            result = audit(path, tmp_path / "out")

        refused(result, tmp_path / "out", "the file is damaged or incomplete")

    def test_the_hand_written_zip_is_a_valid_workbook(
        self, tmp_path: Path, parts: dict[str, bytes]
    ) -> None:
        """The zip writer used above makes a workbook that audits: the refusals are real."""
        path = write_zip(tmp_path / NAME, parts)

        result = audit(path, tmp_path / "out")

        assert result.exit_code == 0, result.output

    def test_a_package_of_1500_parts_is_refused(
        self, tmp_path: Path, parts: dict[str, bytes]
    ) -> None:
        """Thousands of tiny parts are refused from the zip's directory alone."""
        junk = {f"xl/media/part{n}.bin": b"x" for n in range(1_500)}
        path = write_zip(tmp_path / NAME, {**parts, **junk})

        result = audit(path, tmp_path / "out")

        refused(result, tmp_path / "out", f"the file holds {1_500 + len(parts):,} parts")

    def test_a_workbook_of_300_sheets_is_refused_unread(
        self, tmp_path: Path, parts: dict[str, bytes]
    ) -> None:
        """300 sheets (all pointing at one part) are refused before any sheet is parsed."""
        rels, book = "xl/_rels/workbook.xml.rels", "xl/workbook.xml"
        kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
        links = "".join(
            f'<Relationship Type="{kind}" Target="/xl/worksheets/sheet1.xml" Id="rX{n}" />'
            for n in range(300)
        )
        sheets = "".join(
            f'<sheet name="S{n}" sheetId="{100 + n}" r:id="rX{n}" />' for n in range(300)
        )
        changed = {
            rels: parts[rels].replace(b"</Relationships>", f"{links}</Relationships>".encode()),
            book: parts[book].replace(b"</sheets>", f"{sheets}</sheets>".encode()),
        }
        path = write_zip(tmp_path / NAME, {**parts, **changed})

        with bounded(seconds=10, mib=60):
            result = audit(path, tmp_path / "out")

        refused(result, tmp_path / "out", "the workbook has 305 sheets; at most 50 are read")


# --- XML: entity expansion and external entities in every part ----------------------------------

_LAUGHS = (
    "<!DOCTYPE lolz [<!ENTITY l0 'lollollollollollollollollollol'>"
    + "".join(f"<!ENTITY l{n} '{f'&l{n - 1};' * 10}'>" for n in range(1, 10))
    + "]>"
)
_EXTERNAL = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
_PARSED = [
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "docProps/core.xml",
    "xl/worksheets/sheet1.xml",
    "xl/worksheets/sheet2.xml",
    "xl/worksheets/sheet3.xml",
    "xl/worksheets/sheet4.xml",
    "xl/worksheets/sheet5.xml",
]
_NEVER_READ = ["_rels/.rels", "docProps/app.xml", "xl/theme/theme1.xml"]


def _with_doctype(xml: bytes, doctype: str) -> bytes:
    """`xml` with a document type declaration (and a use of its entity) at the start."""
    text = xml.decode("utf-8")
    at = text.index("?>") + 2 if text.startswith("<?xml") else 0
    root_end = text.index(">", text.index("<", at + 1 if at else 0))
    text = text[:at] + doctype + text[at:]
    shift = len(doctype)
    use = "<!-- &l9; -->" if "l9" in doctype else ""
    return (text[: root_end + shift + 1] + use + text[root_end + shift + 1 :]).encode("utf-8")


class TestXmlEntities:
    """No part of a workbook can make citcert expand entities or fetch a file."""

    @pytest.mark.parametrize("doctype", [_LAUGHS, _EXTERNAL], ids=["billion-laughs", "external"])
    @pytest.mark.parametrize("part", _PARSED)
    def test_a_declaration_in_a_part_that_is_read_is_refused(
        self, tmp_path: Path, parts: dict[str, bytes], part: str, doctype: str
    ) -> None:
        """Every part openpyxl parses refuses a DTD: exit 2, the plain reason, no report."""
        path = write_zip(tmp_path / NAME, {**parts, part: _with_doctype(parts[part], doctype)})

        with bounded(seconds=5, mib=40):
            result = audit(path, tmp_path / "out")

        refused(result, tmp_path / "out", "the file contains XML that citcert refuses to read")

    @pytest.mark.parametrize("part", _NEVER_READ)
    def test_a_declaration_in_a_part_never_read_is_harmless(
        self, tmp_path: Path, parts: dict[str, bytes], part: str
    ) -> None:
        """Parts the reader never opens may hold a bomb: the audit runs, quickly and small."""
        path = write_zip(tmp_path / NAME, {**parts, part: _with_doctype(parts[part], _LAUGHS)})

        with bounded(seconds=10, mib=60):
            result = audit(path, tmp_path / "out")

        assert result.exit_code == 0, result.output
        assert "lollol" not in (tmp_path / "out" / "riverton-cit-program.json").read_text()


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "&#7;", "&#x1B;"])
def test_a_control_character_xml_cannot_hold_is_a_damaged_file(
    tmp_path: Path, parts: dict[str, bytes], char: str
) -> None:
    """A C0 control written into a sheet (raw or as a reference) is not XML: refused plainly."""
    xml = parts[EVIDENCE].replace(b"</t>", char.encode() + b"</t>", 1)
    path = write_zip(tmp_path / NAME, {**parts, EVIDENCE: xml})

    result = audit(path, tmp_path / "out")

    refused(result, tmp_path / "out", "the file is damaged or incomplete")


# --- a million rows -----------------------------------------------------------------------------


def _sheet_with(parts: dict[str, bytes], rows: bytes, count: int) -> Raw:
    """The Evidence sheet, then `rows` (one row's XML, without r=) `count` times (a multiple of
    1,000), as a raw-deflate stream built in milliseconds like `padded_stream`."""
    head, tail = parts[EVIDENCE].split(b"</sheetData>")
    block = rows * 1000
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    once = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    assert once == packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    end_xml = b"</sheetData>" + tail
    end = packer.compress(end_xml) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(count // 1000):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(end_xml, crc)
    size = len(head) + len(block) * (count // 1000) + len(end_xml)
    return Raw(start + once * (count // 1000) + end, crc, size)


def _bottom(parts: dict[str, bytes], row_xml: str) -> bytes:
    return parts[EVIDENCE].replace(b"</sheetData>", f"{row_xml}</sheetData>".encode())


_X = "<is><t>x</t></is>"
_TEXT_ROW = f'<row><c t="inlineStr">{_X}</c></row>'.encode()
_ROWS_REFUSED = "the Evidence sheet has more than 5,000 rows; citcert reads at most that many"


class TestMillionRows:
    """Rows far beyond the limit are refused in a fraction of a second, however they come."""

    @pytest.mark.parametrize(
        ("make", "mib"),
        [
            (lambda p: _sheet_with(p, _TEXT_ROW, 1_000_000), 60),
            (lambda p: _sheet_with(p, b"<row/>", 1_000_000), 60),
            (
                lambda p: _bottom(
                    p, f'<row r="1048576"><c r="A1048576" t="inlineStr">{_X}</c></row>'
                ),
                None,
            ),
            (lambda p: _bottom(p, '<row r="1048577" />'), None),
            (lambda p: _bottom(p, '<row r="99999999"><c r="A99999999"><v>1</v></c></row>'), None),
        ],
        ids=[
            "a-million-rows-of-text",
            "a-million-empty-rows",
            "one-cell-at-the-bottom",
            "a-row-below-excels-last",
            "a-row-a-hundred-times-further",
        ],
    )
    def test_refused_quickly(
        self, tmp_path: Path, parts: dict[str, bytes], make: Any, mib: float | None
    ) -> None:
        """Exit 2 naming the sheet and the limit, within seconds (and a few MiB of rows kept)."""
        path = write_zip(tmp_path / NAME, {**parts, EVIDENCE: make(parts)})

        with bounded(seconds=8, mib=mib):
            result = audit(path, tmp_path / "out")

        refused(result, tmp_path / "out", _ROWS_REFUSED)

    def test_an_empty_formatted_row_at_the_bottom_is_harmless(
        self, tmp_path: Path, parts: dict[str, bytes]
    ) -> None:
        """A formatted but empty last row (some programs write one) costs nothing: it audits."""
        row = '<row r="1048576" ht="15" customHeight="1"><c r="A1048576" s="1" /></row>'
        path = write_zip(tmp_path / NAME, {**parts, EVIDENCE: _bottom(parts, row)})

        with bounded(seconds=8):
            result = audit(path, tmp_path / "out")

        assert result.exit_code == 0, result.output


# --- hostile text, formulas and links, followed into every output --------------------------------

FORMULA_TEXTS = {
    "program_name": '=HYPERLINK("http://evil.example","Riverton") مركز שלום '
    "👮🏽‍♀️ \u202eCIT\u202c ../..",
    "jurisdiction": "-2+3 County",
    "coordinator": "@SUM(A1:A9)",
    "reviewer": "+Zoë O'Brien",
}
DDE = "=cmd|' /C calc'!A0"
LONG_WORD = "W" * 32_767
LONG_TEXT = ("Scenario-based training, documented weekly. " * 800)[:32_767]
CONTROLS = "del\x7f nel\x85 csi\x9b[31m red\u200b zero-width\u2028line end"
CACHED = "Met in January 2024 (minutes on file)."
LINKED = "Thirty of 120 patrol officers trained."
SECRET = "http://evil.example/steal"
"""Appears only inside formulas and the external link: it must never reach an output."""


def _typed(book: Any, sheet: str, item: str, header: str, text: str) -> str:
    """Type `text` as Excel stores it after a leading quote (a string); the cell's address."""
    cell = filler.cell_of(book[sheet], item, header)
    cell.value = text
    cell.data_type = "s"
    return str(cell.coordinate)


def _formula(xml: bytes, cell: str, formula: str, cached: str | None) -> bytes:
    """The sheet with `cell` replaced by a formula cell, with or without a cached value."""
    value = f"<v>{cached}</v>" if cached is not None else ""
    kind = ' t="str"' if cached is not None else ""
    new = f'<c r="{cell}"{kind}><f>{formula}</f>{value}</c>'
    text, count = re.subn(f'<c r="{cell}"[^>]*?(/>|>.*?</c>)', new, xml.decode("utf-8"))
    assert count == 1, cell
    return text.encode("utf-8")


def _external_link(parts: dict[str, bytes]) -> dict[str, bytes]:
    """An external workbook link part, wired into the package as Excel does."""
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Type="{kind}/externalLink" Target="externalLinks/externalLink1.xml" '
        'Id="rLink1" /></Relationships>'.encode(),
    )
    book = parts["xl/workbook.xml"].replace(
        b"</sheets>",
        b'</sheets><externalReferences><externalReference r:id="rLink1" /></externalReferences>',
    )
    types = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml" /></Types>',
    )
    link = (
        '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{kind}"><externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1" />'
        "</sheetNames></externalBook></externalLink>"
    )
    link_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Type="{kind}/externalLinkPath" Target="{SECRET}.xlsx" '
        'TargetMode="External" Id="rId1" /></Relationships>'
    )
    return {
        "xl/_rels/workbook.xml.rels": rels,
        "xl/workbook.xml": book,
        "[Content_Types].xml": types,
        "xl/externalLinks/externalLink1.xml": link.encode(),
        "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels.encode(),
    }


@dataclass(frozen=True)
class Outputs:
    """What `audit` (every format) and `batch` wrote for the hostile workbook."""

    terminal: str
    names: tuple[str, ...]
    """The names of the audit's report files."""
    files: dict[str, bytes]
    """Every report and roll-up file, by suffix (``.json`` …) or by roll-up name."""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    """A review workbook holding every kind of hostile text, audited and batched once."""
    folder = tmp_path_factory.mktemp("hostile")
    answers = {rid: dict(row) for rid, row in filler.ANSWERS.items()}
    for row in answers.values():
        row["Reviewer rating"] = row["Self rating"]
    answers["PART-01"]["Reviewer rating"] = "Not met"
    profile = {**filler.PROFILE, "assessment_type": "Review", "reviewer": "R"}
    book = filler.fill(filler.legacy_layout(filler.blank()), profile=profile, answers=answers)
    for key, text in FORMULA_TEXTS.items():
        _typed(book, L.PROGRAM_SHEET, key, "Value", text)
    sheet = L.EVIDENCE_SHEET
    _typed(book, sheet, "PART-01", "Evidence summary", DDE)
    _typed(book, sheet, "PART-01", "Reviewer comment", LONG_TEXT)
    _typed(book, sheet, "TRN-02", "Evidence summary", LONG_WORD)
    _typed(book, sheet, "TRN-03", "Evidence summary", CONTROLS)
    cached = filler.cell_of(book[sheet], "PART-02", "Evidence summary").coordinate
    linked = filler.cell_of(book[sheet], "TRN-01", "Evidence summary").coordinate
    blank = filler.cell_of(book[sheet], "TRN-01", "Reviewer comment").coordinate
    path = filler.save(book, folder / NAME)
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = _formula(parts[EVIDENCE], cached, f'HYPERLINK("{SECRET}","{CACHED}")', CACHED)
    xml = _formula(xml, linked, "[1]Sheet1!A1", LINKED)
    xml = _formula(xml, blank, DDE.removeprefix("=").replace("'", "&apos;"), None)
    write_zip(path, {**parts, **_external_link(parts), EVIDENCE: xml})
    result = audit(path, folder / "out", "terminal,json,md,pdf,xlsx,html")
    assert result.exit_code == 0, result.output
    args = ["--standards-dir", str(data("standards")), "batch", str(path), "-o", str(folder / "b")]
    # NOTE: only the roll-up files are read from the batch; the program's own are `out`'s
    batch = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert batch.exit_code == 0, batch.output
    files = {p.suffix: p.read_bytes() for p in (folder / "out").iterdir()}
    files |= {p.name: p.read_bytes() for p in (folder / "b").glob("summary.*")}
    names = tuple(p.name for p in (folder / "out").iterdir())
    return Outputs(result.stdout, names, files)


def _strings(value: object) -> Iterator[str]:
    """Every string inside decoded JSON."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _cells(data: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class TestHostileText:
    """Text is data: kept as typed, never evaluated, never a formula or a control in an output."""

    def test_typed_formulas_are_kept_as_text_in_the_json(self, hostile: Outputs) -> None:
        """The JSON holds each formula-like text exactly as typed, as a string."""
        strings = set(_strings(json.loads(hostile.files[".json"])))

        for text in [*FORMULA_TEXTS.values(), DDE, LONG_WORD, LONG_TEXT]:
            assert text in strings

    def test_formulas_are_never_evaluated_or_passed_on(self, hostile: Outputs) -> None:
        """A formula cell gives its cached value; its source and the link's target go nowhere."""
        for name, content in hostile.files.items():
            text = content.decode("utf-8", "replace")
            text += _pdf_text(content) if name == ".pdf" else ""
            assert SECRET not in text and "[1]Sheet1" not in text, name
        report = json.loads(hostile.files[".json"])

        assert CACHED in set(_strings(report))
        assert LINKED in set(_strings(report))

    def test_a_formula_without_a_cached_value_is_an_empty_cell(self, hostile: Outputs) -> None:
        """The DDE formula never computed by a spreadsheet leaves TRN-01's comment empty."""
        report = json.loads(hostile.files[".json"])
        comments = [r for r in _strings(report) if "calc" in r and "holds the formula" not in r]
        warned = [r for r in report["warnings"] if "holds the formula" in r]

        assert comments == [DDE]  # only the text typed in PART-01, never the formula
        assert len(warned) == 1  # which is named in a warning, as text

    @pytest.mark.parametrize("name", [".xlsx", "summary.xlsx"])
    def test_no_spreadsheet_cell_is_or_starts_a_formula(self, hostile: Outputs, name: str) -> None:
        """The tracker and the roll-up hold no formula, and formula-like text is quoted."""
        cells = _cells(hostile.files[name])
        texts = [c.value for c in cells if isinstance(c.value, str)]

        assert all(c.data_type != "f" for c in cells)
        assert not [t for t in texts if t[:1] in FORMULA_TRIGGERS]
        assert "'" + FORMULA_TEXTS["program_name"] in texts
        assert all(len(t) <= 32_767 for t in texts)

    def test_the_roll_up_csv_quotes_formula_like_text(self, hostile: Outputs) -> None:
        """No CSV field starts with a formula trigger; the program name is there, quoted."""
        rows = list(csv.reader(io.StringIO(hostile.files["summary.csv"].decode("utf-8-sig"))))
        fields = [field for row in rows for field in row]

        assert not [f for f in fields if f[:1] in FORMULA_TRIGGERS]
        assert "'" + FORMULA_TEXTS["program_name"] in fields

    def test_control_characters_reach_no_output(self, hostile: Outputs) -> None:
        """DEL and C1 controls (the 8-bit escape CSI among them) are gone from every report."""
        texts = {
            "json": hostile.files[".json"].decode("utf-8"),
            "terminal": hostile.terminal,
            "md": hostile.files[".md"].decode("utf-8"),
            "pdf": _pdf_text(hostile.files[".pdf"]),
            "xlsx": "\n".join(str(c.value) for c in _cells(hostile.files[".xlsx"])),
            "html": hostile.files[".html"].decode("utf-8"),
            "summary.html": hostile.files["summary.html"].decode("utf-8"),
        }

        for name, text in texts.items():
            assert not _UNSAFE.search(text), name
        assert "del nel csi[31m red" in texts["json"]  # the words stay

    def test_scripts_emoji_and_long_cells_survive_every_writer(self, hostile: Outputs) -> None:
        """Right-to-left text, emoji and 32,767-character cells come out whole where text fits."""
        name = FORMULA_TEXTS["program_name"]
        report = json.loads(hostile.files[".json"])

        assert name == report["profile"]["program_name"]
        assert "مركز שלום" in hostile.files[".md"].decode("utf-8")
        assert "مركز" in _pdf_text(hostile.files[".pdf"]) or "\ufffd" in _pdf_text(
            hostile.files[".pdf"]
        )
        assert LONG_WORD in set(_strings(report))

    def test_report_files_get_plain_ascii_names_in_the_output_folder(
        self, hostile: Outputs
    ) -> None:
        """A program name with a formula, scripts and ``../`` gives a safe name in the folder."""
        stems = {name.rsplit(".", 1)[0] for name in hostile.names}

        assert len(stems) == 1
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", stems.pop())
