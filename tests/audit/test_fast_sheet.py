"""
Record sheets read with python-calamine give exactly what openpyxl's reading gives.

`citcert.workbook.fast_sheet` only speeds reading up: every sheet it cannot vouch for is read by
openpyxl. So each test compares the rows `snapshot` returns with the rows of openpyxl's reading
alone (the fast path switched off), over generated sheets and over every case the fast path must
hand back, and checks that the fast path really was taken where it should be.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from citcert.audit.scoring import assess
from citcert.errors import WorkbookError
from citcert.export import Format, render
from citcert.standards import find_standard
from citcert.standards.records import RECORD_SHEETS
from citcert.workbook import fast_sheet, snapshot
from citcert.workbook import layout as L
from citcert.workbook.reader import SHEETS, open_book, read_workbook
from citcert.workbook.sheets import Row
from tests.audit.workbook_filler import saved_by_libreoffice

EXAMPLES = Path(__file__).parents[2] / "examples"
OFFICERS = "Officers"
"""A record sheet's title (the roster), so that the fast path applies to it."""


def _workbook(fill: Callable[..., None], title: str = OFFICERS) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    fill(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _both(data: bytes) -> tuple[dict[str, list[Row]], dict[str, list[Row]]]:
    """The rows as read (fast paths allowed), and as openpyxl alone reads them."""
    read = snapshot.snapshot(data, "roster.xlsx", SHEETS)
    with _openpyxl_only():
        alone = snapshot.snapshot(data, "roster.xlsx", SHEETS)
    return read, alone


@contextlib.contextmanager
def _openpyxl_only() -> Iterator[None]:
    """Both fast paths switched off, as before python-calamine."""
    book, sheets = snapshot.fast_book, snapshot.fast_sheets
    snapshot.fast_book = lambda data, wanted: None  # type: ignore[assignment]
    snapshot.fast_sheets = lambda data, sheets: {}  # type: ignore[assignment]
    try:
        yield
    finally:
        snapshot.fast_book, snapshot.fast_sheets = book, sheets


def _exact(rows: dict[str, list[Row]]) -> dict[str, list[tuple[object, ...]]]:
    """Rows with each value's type beside it (ints and whole floats as one kind: `_value`)."""
    return {
        sheet: [tuple((_kind(v.value), v.value, v.percent) for v in row) for row in sheet_rows]
        for sheet, sheet_rows in rows.items()
    }


def _kind(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "number"
    return type(value).__name__


def _fast(data: bytes, sheet: str = OFFICERS) -> bool:
    """True when `sheet` of `data` is read without openpyxl, alone or with the whole book."""
    whole = fast_sheet.fast_book(data, SHEETS)
    alone = fast_sheet.fast_sheets(data, [sheet])
    assert (whole is not None) <= (sheet in alone), "what the book reads fast, the sheet does"
    return sheet in alone


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")),
    max_size=12,
)
_VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    _TEXT,
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.times(),
)
_FORMATS = st.sampled_from(
    ["General", "yyyy-mm-dd", "dd/mm/yyyy", "0.00", "#,##0", "h:mm", "mm:ss", "0%", "@", "d mmm"]
)
_CELLS = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=40),
        st.integers(min_value=1, max_value=12),
        _VALUES,
        _FORMATS,
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_CELLS)
def test_generated_record_sheets_read_as_openpyxl_reads_them(cells: list[tuple]) -> None:  # type: ignore[type-arg]
    def fill(sheet: object) -> None:
        for row, column, value, number_format in cells:
            if isinstance(value, str) and value.startswith("="):
                value = " " + value  # NOTE: openpyxl would write a formula
            cell = sheet.cell(row, column, value)  # type: ignore[attr-defined]
            cell.number_format = number_format

    read, alone = _both(_workbook(fill))
    assert _exact(read) == _exact(alone)


_PLAIN_CELLS = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=40),
        st.integers(min_value=1, max_value=12),
        st.one_of(
            st.tuples(
                st.one_of(st.integers(-(10**12), 10**12), st.floats(-1e12, 1e12), _TEXT),
                st.sampled_from(["General", "0.00", "#,##0", "@", "0%", "0.0%"]),
            ),
            st.tuples(
                st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
                st.sampled_from(["yyyy-mm-dd", "dd/mm/yyyy", "d mmm yyyy", "yyyy\\-mm\\-dd"]),
            ),
        ),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PLAIN_CELLS)
def test_generated_plain_sheets_take_the_fast_path_and_read_alike(cells: list[tuple]) -> None:  # type: ignore[type-arg]
    def fill(sheet: object) -> None:
        for row, column, (value, number_format) in cells:
            if isinstance(value, str) and value.startswith(("=", "#")):
                value = " " + value
            sheet.cell(row, column, value).number_format = number_format  # type: ignore[attr-defined]

    data = _workbook(fill)
    assert _fast(data)
    read, alone = _both(data)
    assert _exact(read) == _exact(alone)


def _plain_roster(sheet: object) -> None:
    sheet.append(["Officer ID", "Assignment", "Shift", "CIT course date", "Hours"])  # type: ignore[attr-defined]
    for number in range(1, 200):
        sheet.append(
            [
                f"B-{number:04}",
                "Patrol",
                "ABC"[number % 3],
                dt.date(2024, 1, 1 + number % 28),
                number % 9,
            ]
        )  # type: ignore[attr-defined]
        sheet.cell(number + 1, 4).number_format = "yyyy-mm-dd"  # type: ignore[attr-defined]


def test_a_plain_roster_is_read_by_the_fast_path_exactly() -> None:
    data = _workbook(_plain_roster)
    assert _fast(data)
    read, alone = _both(data)
    assert _exact(read) == _exact(alone)
    assert read[OFFICERS][1][3].value == dt.datetime(2024, 1, 2)


def test_record_sheets_read_fast_when_another_sheet_must_go_to_openpyxl() -> None:
    def fill(sheet: object) -> None:
        _plain_roster(sheet)
        documents = sheet.parent.create_sheet(L.DOCUMENTS_SHEET)  # type: ignore[attr-defined]
        documents["A1"] = "#N/A"  # NOTE: openpyxl writes an error value, which calamine blanks

    data = _workbook(fill)
    assert fast_sheet.fast_book(data, SHEETS) is None
    assert set(fast_sheet.fast_sheets(data, [OFFICERS, L.DOCUMENTS_SHEET])) == {OFFICERS}
    read, alone = _both(data)
    assert _exact(read) == _exact(alone)
    assert read[L.DOCUMENTS_SHEET][0][0].value == "#N/A"


def test_a_whole_workbook_of_the_examples_is_read_without_openpyxl() -> None:
    for example in ("brennan-county.xlsx", "lakemont-metro.xlsx", "pine-hollow-rural.xlsx"):
        data = (EXAMPLES / example).read_bytes()
        whole = fast_sheet.fast_book(data, SHEETS)
        assert whole is not None, example
        with _openpyxl_only():
            alone = snapshot.snapshot(data, example, SHEETS)
        assert _exact(whole) == _exact(alone)


def test_a_number_shown_as_a_percentage_says_so_as_openpyxl_does() -> None:
    def fill(sheet: object) -> None:
        for row, (value, number_format) in enumerate(
            [(0.85, "0%"), (0.5, "0.0%"), (85, "General"), ("85%", "@"), (True, "0%")], start=1
        ):
            sheet.cell(row, 2, value).number_format = number_format  # type: ignore[attr-defined]

    data = _workbook(fill, title=L.PROGRAM_SHEET)
    whole = fast_sheet.fast_book(data, SHEETS)
    assert whole is not None
    assert [row[1].percent for row in whole[L.PROGRAM_SHEET]] == [True, True, False, False, False]
    read, alone = _both(data)
    assert _exact(read) == _exact(alone)


def _rewrite(data: bytes, part: str, edit: Callable[[bytes], bytes]) -> bytes:
    """`data` with one zip part's bytes edited (the rest copied as they are)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info, edit(body) if info.filename == part else body)
    return out.getvalue()


_SHEET_PART = "xl/worksheets/sheet1.xml"


def _without_first_ref(xml: bytes) -> bytes:
    return re.sub(rb'(<c) r="A2"', rb"\1", xml, count=1)


def _far_cell(column: str, row: int) -> Callable[[bytes], bytes]:
    def edit(xml: bytes) -> bytes:
        cell = f'<row r="{row}"><c r="{column}{row}" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace(b"</sheetData>", cell.encode() + b"</sheetData>")

    return edit


def _number_spelt(spelt: bytes) -> Callable[[bytes], bytes]:
    """
    A number openpyxl reads as a float because of its spelling ("2.0", "2E0") or exactly as a
    long integer, where calamine reads a float of the same value.
    """

    def edit(xml: bytes) -> bytes:
        return xml.replace(
            b'<c r="E3" t="n"><v>2</v></c>', b'<c r="E3" t="n"><v>' + spelt + b"</v></c>", 1
        )

    return edit


HANDED_BACK = {
    "a cell that does not name its place": _without_first_ref,
    "a row that does not name its number": lambda xml: xml.replace(b'<row r="3"', b"<row", 1),
    "a cell tag broken by a newline": lambda xml: xml.replace(b'<c r="A2"', b'<c\nr="A2"', 1),
    "a row tag broken by a tab": lambda xml: xml.replace(b'<row r="3"', b'<row\tr="3"', 1),
    "a cell past the last column read": _far_cell("XFD", 250),
    "a cell past the row limit": _far_cell("A", L.MAX_RECORD_ROWS + 1),
    "a cell at Excel's last row": _far_cell("B", 1_048_576),
    "a cell in a row within the limit naming a row past it": lambda xml: xml.replace(
        b'<c r="A2"', f'<c r="A{L.MAX_RECORD_ROWS + 1}"'.encode(), 1
    ),
    "a character reference": lambda xml: xml.replace(b"<t>Patrol</t>", b"<t>Pat&#114;ol</t>", 1),
    "an error value": lambda xml: xml.replace(
        b'<c r="E3" t="n"><v>2</v></c>', b'<c r="E3" t="e"><v>#N/A</v></c>', 1
    ),
    "an ISO date": lambda xml: xml.replace(
        b'<c r="E3" t="n"><v>2</v></c>', b'<c r="E3" t="d"><v>2024-01-02</v></c>', 1
    ),
    "an error value, its type in single quotes": lambda xml: xml.replace(
        b'<c r="E3" t="n"><v>2</v></c>', b"<c r=\"E3\"\nt='e'><v>#N/A</v></c>", 1
    ),
    "a control character XML forbids": lambda xml: xml.replace(
        b"<t>Patrol</t>", b"<t>Pat\x0brol</t>", 1
    ),
    **{
        f"a whole number spelt {spelt.decode()}": _number_spelt(spelt)
        for spelt in (b"2.0", b"2.", b"2E0", b"0.2e1", b"-3.000", b"12345678901234567", b"1e+20")
    },
}


@pytest.mark.parametrize("edit", HANDED_BACK.values(), ids=HANDED_BACK.keys())
def test_what_the_fast_path_cannot_vouch_for_is_read_by_openpyxl(
    edit: Callable[[bytes], bytes],
) -> None:
    data = _workbook(lambda s: _plain_roster(s) or s.cell(3, 2, "Patrol"))  # type: ignore[func-returns-value]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        original = archive.read(_SHEET_PART)
    edited = _rewrite(data, _SHEET_PART, edit)
    with zipfile.ZipFile(io.BytesIO(edited)) as archive:
        assert archive.read(_SHEET_PART) != original, "the edit must change the sheet"
    assert not _fast(edited)
    try:
        read, alone = _both(edited)
    except Exception as exc:
        with pytest.raises(type(exc)):
            snapshot.snapshot(edited, "roster.xlsx", SHEETS)
        return
    assert _exact(read) == _exact(alone)


@pytest.mark.parametrize(
    "number_format",
    [
        '"Day "0',
        "[$-409]mmmm d, yyyy;@",
        "[h]:mm",
        "mm/dd/yyyy\\ hh:mm",
        '0.0" hrs"',
        "0.0%;[Red]-0.0%",
    ],
)
def test_a_number_format_the_libraries_may_read_differently_is_left_to_openpyxl(
    number_format: str,
) -> None:
    def fill(sheet: object) -> None:
        _plain_roster(sheet)
        sheet.cell(5, 5).number_format = number_format  # type: ignore[attr-defined]

    data = _workbook(fill)
    assert not _fast(data)
    read, alone = _both(data)
    assert _exact(read) == _exact(alone)


def test_a_declaration_in_any_part_is_left_to_openpyxl_which_refuses_it() -> None:
    data = _rewrite(
        _workbook(_plain_roster),
        "xl/styles.xml",
        lambda xml: xml.replace(b"<styleSheet", b'<!DOCTYPE x [<!ENTITY a "b">]><styleSheet', 1),
    )
    assert not _fast(data)
    with pytest.raises(WorkbookError, match="refuses to read"):
        snapshot.snapshot(data, "roster.xlsx", SHEETS)


class _Panic(BaseException):
    """What a Rust panic looks like from Python: not an `Exception`."""


def test_anything_calamine_raises_hands_the_sheet_to_openpyxl(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import python_calamine

    def panic(*args: object, **kwargs: object) -> None:
        raise _Panic("called `Option::unwrap()` on a `None` value")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", panic)
    data = _workbook(_plain_roster)
    assert not _fast(data)
    read, alone = _both(data)
    assert _exact(read) == _exact(alone)
    assert len(read[OFFICERS]) == 200


def test_calamine_sees_only_stored_xml_parts_and_not_the_other_sheets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import python_calamine

    seen: list[bytes] = []
    real = python_calamine.CalamineWorkbook.from_filelike

    def spy(stream: io.BytesIO) -> object:
        seen.append(stream.getvalue())
        return real(stream)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", spy)

    def fill(sheet: object) -> None:
        _plain_roster(sheet)
        other = sheet.parent.create_sheet("Instructions")  # type: ignore[attr-defined]
        other["A1"] = "a sheet citcert does not read"

    data = _workbook(fill)
    assert _fast(data)
    assert seen
    for package in seen:
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            infos = archive.infolist()
        assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}
        assert all(i.filename.endswith((".xml", ".rels")) for i in infos)
        assert "xl/worksheets/sheet1.xml" in {i.filename for i in infos}
        assert "xl/worksheets/sheet2.xml" not in {i.filename for i in infos}


@pytest.mark.parametrize(
    "example", ["brennan-county.xlsx", "lakemont-metro.xlsx", "pine-hollow-rural.xlsx"]
)
def test_an_examples_reports_are_the_same_bytes_either_way(example: str) -> None:
    path = EXAMPLES / example
    standard = find_standard("cit-best-practice@2019.1")

    def report() -> bytes:
        assessment = assess(standard, read_workbook(open_book(path), standard))
        return render(assessment, Format.JSON)

    fast = report()
    with _openpyxl_only():
        alone = report()
    assert fast == alone
    titles = [sheet.title for sheet in RECORD_SHEETS.values()]
    assert fast_sheet.fast_sheets(path.read_bytes(), titles), "the examples' records read fast"
    assert json.loads(fast)["derived_numbers"]


@pytest.mark.office
@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed; make test-office installs it",
)
def test_record_sheets_saved_by_libreoffice_read_alike_and_fast(tmp_path: Path) -> None:
    """LibreOffice writes its own styles and number formats; the records still read fast."""
    source = tmp_path / "in" / "brennan-county.xlsx"
    source.parent.mkdir()
    shutil.copy(EXAMPLES / "brennan-county.xlsx", source)
    data = saved_by_libreoffice(source, tmp_path).read_bytes()
    titles = [sheet.title for sheet in RECORD_SHEETS.values()]
    read, alone = _both(data)
    assert _exact(read) == _exact(alone)
    assert set(fast_sheet.fast_sheets(data, titles)) == set(titles) & set(read)


def _shared_strings(items: list[bytes]) -> bytes:
    """A roster whose column A holds `items` as shared strings, as Excel and LibreOffice write
    text (openpyxl here writes inline strings, so the part is added by hand)."""
    data = _workbook(lambda s: [s.cell(n + 1, 1, f"S{n}") for n in range(len(items))])  # type: ignore[attr-defined]
    table = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main">' + b"".join(items) + b"</sst>"
    )
    relation = (
        b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats'
        b'-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == _SHEET_PART:
                body = re.sub(
                    rb'<c r="(A\d+)" t="inlineStr"><is><t>S(\d+)</t></is></c>',
                    rb'<c r="\1" t="s"><v>\2</v></c>',
                    body,
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", relation)
            elif info.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", override)
            target.writestr(info, body)
        target.writestr("xl/sharedStrings.xml", table)
    return out.getvalue()


SHARED = {
    "plain text": (b"<si><t>Patrol</t></si>", True),
    "rich text with a phonetic reading": (
        b"<si><r><t>To</t></r><r><rPr><b/></rPr><t>kyo</t></r>"
        b'<rPh sb="0" eb="2"><t>TOUKYOU</t></rPh><phoneticPr fontId="1"/></si>',
        True,
    ),
    "spaces kept": (b'<si><t xml:space="preserve">  B-0001  </t></si>', True),
    "a line break": (b"<si><t>line one\nline two</t></si>", True),
    "an escaped carriage return": (b"<si><t>one_x000D_two</t></si>", False),
    "an escaped underscore": (b"<si><t>_x005F_x0041_</t></si>", False),
    "an empty text": (b"<si><t></t></si>", False),
    "an empty text, closed at once": (b"<si><t/></si>", False),
}


@pytest.mark.parametrize(("item", "fast"), SHARED.values(), ids=SHARED.keys())
def test_shared_strings_read_alike_or_go_to_openpyxl(item: bytes, fast: bool) -> None:
    data = _shared_strings([b"<si><t>Officer ID</t></si>", item])
    assert _fast(data) is fast
    read, alone = _both(data)
    assert _exact(read) == _exact(alone)
    assert read[OFFICERS][0][0].value == "Officer ID"


_CONTROL_CLASS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""The control characters XML 1.0 forbids, as a pattern: what `fast_sheet._has_control` means."""
_ERROR_OR_DATE_TYPE = re.compile(rb"\st=[\"'][ed][\"']")
"""A cell typed as an error or an ISO date: what `fast_sheet._error_or_date` means."""
_NEAR_A_TYPE = st.lists(
    st.sampled_from(
        [b"t=", b'"', b"'", b"e", b"d", b"s", b" ", b"\t", b"\n", b"<c", b"x", b"\x0b"]
    ),
    max_size=12,
).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=40), _NEAR_A_TYPE))
def test_the_quick_checks_refuse_exactly_what_their_patterns_refuse(xml: bytes) -> None:
    """
    The reader looks for a forbidden control character by deleting them, and for a cell typed
    as an error or an ISO date by a plain search before the pattern: both only faster ways of
    asking what the patterns ask.
    """
    assert fast_sheet._has_control(xml) == (_CONTROL_CLASS.search(xml) is not None)
    assert fast_sheet._error_or_date(xml) == (_ERROR_OR_DATE_TYPE.search(xml) is not None)
