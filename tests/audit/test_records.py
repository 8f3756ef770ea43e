"""
Program numbers computed from record sheets: rosters and logs counted, the working shown.

The three examples carry record sheets generated from their typed numbers, so their audits must
compute the same numbers; an edited roster must move the score and be named in the findings;
and no roster identifier may reach any report.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from citcert.audit.assessment import Assessment, FindingKind, Status
from citcert.audit.records import derive_numbers
from citcert.audit.scoring import assess
from citcert.errors import WorkbookError
from citcert.export import Format, render
from citcert.standards import find_standard
from citcert.standards.model import Standard
from citcert.standards.records import RECORD_SHEETS
from citcert.workbook import layout as L
from citcert.workbook.reader import open_book, read_workbook

EXAMPLES = Path(__file__).parents[2] / "examples"
_BEST_PRACTICE = find_standard("cit-best-practice@2019.1")
BRENNAN = EXAMPLES / "brennan-county.xlsx"
TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def standard() -> Standard:
    return find_standard("cit-best-practice@2019.1")


def _audit(path: Path, standard: Standard) -> Assessment:
    return assess(standard, read_workbook(open_book(path), standard))


def _edit(source: Path, target: Path, sheet: str, edit: object) -> Path:
    """A copy of `source` with `edit(worksheet)` applied, saved as a person's program would."""
    shutil.copy(source, target)
    book = load_workbook(target)
    edit(book[sheet])  # type: ignore[operator]
    book.save(target)
    return target


def _result(assessment: Assessment, requirement_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in assessment.results if r.requirement_id == requirement_id)


@pytest.mark.parametrize(
    "name", ["brennan-county.xlsx", "lakemont-metro.xlsx", "pine-hollow-rural.xlsx"]
)
def test_the_examples_records_give_the_numbers_they_type(name: str, standard: Standard) -> None:
    """Every number computed from the example's records equals the number it types."""
    assessment = _audit(EXAMPLES / name, standard)
    compared = [d for d in assessment.derived_numbers if d.typed is not None]
    assert len(compared) >= 8
    assert [d.number_id for d in compared if not d.agrees] == []
    assert not any(
        f.kind is FindingKind.NUMBER_CONTRADICTS_RECORDS
        for r in assessment.results
        for f in r.findings
    )


def test_a_shift_without_a_cit_officer_lowers_the_coverage_and_is_named(
    tmp_path: Path, standard: Standard
) -> None:
    """Untrain shift C's officers: 7 of 8 shifts covered, OFC-02 falls, shift C is named."""
    before = _result(_audit(BRENNAN, standard), "OFC-02")

    def untrain_shift_c(ws: object) -> None:
        columns = [c.id for c in RECORD_SHEETS["officers"].columns]
        shift, course = columns.index("shift") + 1, columns.index("course_date") + 1
        for row in range(L.FIRST_DATA_ROW, ws.max_row + 1):  # type: ignore[attr-defined]
            if ws.cell(row, shift).value == "C":  # type: ignore[attr-defined]
                ws.cell(row, course).value = None  # type: ignore[attr-defined]

    path = _edit(BRENNAN, tmp_path / "brennan.xlsx", "Officers", untrain_shift_c)
    after = _audit(path, standard)
    ofc02 = _result(after, "OFC-02")

    assert before.status is Status.MET
    assert ofc02.status is Status.PARTIAL
    assert ofc02.metric is not None and ofc02.metric.value == 87.5
    assert "“Shift” C has none" in ofc02.metric.display
    messages = [f.message for f in ofc02.findings]
    assert any("“Shift” C has none" in m for m in messages)
    (contradiction,) = [
        f for f in ofc02.findings if f.kind is FindingKind.NUMBER_CONTRADICTS_RECORDS
    ]
    assert "gives 8 for Patrol shifts with a CIT officer on duty" in contradiction.message
    assert "the Officers sheet gives 7" in contradiction.message
    derived = {d.number_id: d for d in after.derived_numbers}
    assert derived["shifts_with_cit"].inputs["missing"] == ("C",)


def test_an_empty_record_sheet_leaves_the_typed_number(tmp_path: Path, standard: Standard) -> None:
    def clear(ws: object) -> None:
        ws.delete_rows(L.FIRST_DATA_ROW, ws.max_row)  # type: ignore[attr-defined]

    path = _edit(BRENNAN, tmp_path / "no-roster.xlsx", "Officers", clear)
    assessment = _audit(path, standard)
    assert "officers" not in {d.sheet.casefold() for d in assessment.derived_numbers}
    ofc03 = _result(assessment, "OFC-03")
    assert ofc03.metric is not None and "from the records" not in ofc03.metric.display
    assert ofc03.metric.value == _result(_audit(BRENNAN, standard), "OFC-03").metric.value  # type: ignore[union-attr]


def test_an_optional_number_its_empty_sheet_computes_points_to_that_sheet(
    tmp_path: Path, standard: Standard
) -> None:
    """Its own guidance says "leave empty here": the warning says where the value comes from."""

    def clear(ws: object) -> None:
        ws.delete_rows(L.FIRST_DATA_ROW, ws.max_row)  # type: ignore[attr-defined]

    from click.testing import CliRunner

    from citcert.cli import cli

    path = _edit(BRENNAN, tmp_path / "no-meetings.xlsx", "Meetings", clear)
    result = CliRunner().invoke(cli, ["validate", str(path)])

    assert result.exit_code == 0, result.output
    assert (
        "(Longest wait between steering committee meetings): no value yet (optional): the "
        "Meetings sheet computes it once it has rows"
    ) in result.stdout


def test_validate_warns_of_a_typed_number_its_records_contradict(
    tmp_path: Path, standard: Standard
) -> None:
    """The audit silently used the roster's 214 for the typed 150; validate says so first."""

    def type_150(ws: object) -> None:
        for row in range(L.FIRST_DATA_ROW, ws.max_row + 1):  # type: ignore[attr-defined]
            if ws.cell(row, 1).value == "patrol_officers":  # type: ignore[attr-defined]
                ws.cell(row, 3).value = 150  # type: ignore[attr-defined]

    from click.testing import CliRunner

    from citcert.cli import cli

    path = _edit(BRENNAN, tmp_path / "typed.xlsx", "Program", type_150)
    result = CliRunner().invoke(cli, ["validate", str(path), "--format", "json"])

    assert result.exit_code == 0, result.output
    (warning,) = [
        w for w in json.loads(result.stdout)["files"][0]["problems"] if "typed here" in w["message"]
    ]
    assert (warning["sheet"], warning["subject"]) == ("Program", "Patrol officers")
    assert warning["message"].startswith("150 is typed here, but the Officers sheet gives 214 (")
    assert "the audit uses the records' figure" in warning["message"]


def test_a_roster_can_stand_in_for_an_empty_typed_number(
    tmp_path: Path, standard: Standard
) -> None:
    """A required number left empty is no error when its record sheet supplies it."""

    def clear_patrol(ws: object) -> None:
        for row in range(L.FIRST_DATA_ROW, ws.max_row + 1):  # type: ignore[attr-defined]
            if ws.cell(row, 1).value == "patrol_officers":  # type: ignore[attr-defined]
                ws.cell(row, 3).value = None  # type: ignore[attr-defined]

    path = _edit(BRENNAN, tmp_path / "untyped.xlsx", "Program", clear_patrol)
    derived = {d.number_id: d for d in _audit(path, standard).derived_numbers}
    assert derived["patrol_officers"].value == 214 and derived["patrol_officers"].typed is None


def test_record_problems_are_located_and_never_name_an_identifier(
    tmp_path: Path, standard: Standard
) -> None:
    def spoil(ws: object) -> None:
        ws.cell(L.FIRST_DATA_ROW + 2, 4).value = "last spring"  # type: ignore[attr-defined]
        ws.cell(L.FIRST_DATA_ROW + 5, 1).value = ws.cell(L.FIRST_DATA_ROW, 1).value  # type: ignore[attr-defined]
        ws.cell(L.FIRST_DATA_ROW + 6, 2).value = "Traffic"  # type: ignore[attr-defined]

    path = _edit(BRENNAN, tmp_path / "spoiled.xlsx", "Officers", spoil)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(open_book(path), standard)
    text = str(caught.value)
    assert 'Officers!D6 (CIT course completed): "last spring" is not a date' in text
    assert "Officers!A9 (Officer ID): the same Officer ID as row 4" in text
    assert 'Officers!B10 (Assignment): "Traffic" is not one of Patrol, Other' in text
    assert "B-1000" not in text


def test_names_in_a_roster_are_a_warning(tmp_path: Path, standard: Standard) -> None:
    names = ["Maria Lopez", "John Smith", "Ann Lee", "Omar Haddad"]

    def with_names(ws: object) -> None:
        for offset, name in enumerate(names):
            ws.cell(L.FIRST_DATA_ROW + offset, 1).value = name  # type: ignore[attr-defined]
        for row in range(L.FIRST_DATA_ROW + len(names), ws.max_row + 1):  # type: ignore[attr-defined]
            ws.cell(row, 1).value = None  # type: ignore[attr-defined]
            ws.cell(row, 2).value = None  # type: ignore[attr-defined]
            ws.cell(row, 3).value = None  # type: ignore[attr-defined]
            ws.cell(row, 4).value = None  # type: ignore[attr-defined]
            ws.cell(row, 5).value = None  # type: ignore[attr-defined]

    path = _edit(BRENNAN, tmp_path / "names.xlsx", "Officers", with_names)
    evidence = read_workbook(open_book(path), standard)
    assert any(
        "Officers!A3 (Officer ID): 4 of 4 entries look like people's names" in w
        for w in evidence.warnings
    )


def _report_bytes(assessment: Assessment) -> dict[Format, bytes]:
    """Every report, with the XLSX unzipped and the PDF's text extracted, so a search is fair."""
    out: dict[Format, bytes] = {}
    for fmt in Format:
        data = render(assessment, fmt)
        if fmt is Format.XLSX:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        elif fmt is Format.PDF:
            data = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).encode()
        out[fmt] = data
    return out


def test_no_roster_identifier_reaches_any_report(standard: Standard) -> None:
    book = load_workbook(BRENNAN, read_only=True)
    ids = [
        str(row[0])
        for sheet in ("Officers", "Dispatchers")
        for row in book[sheet].iter_rows(min_row=L.FIRST_DATA_ROW, values_only=True)
        if row and row[0]
    ]
    assert len(ids) > 300
    reports = _report_bytes(_audit(BRENNAN, standard))
    for fmt, data in reports.items():
        leaked = [i for i in ids if i.encode() in data]
        assert leaked == [], f"{fmt.value} report holds roster identifiers {leaked[:3]}"


def test_the_template_carries_the_record_sheets_with_checks(standard: Standard) -> None:
    from citcert.workbook.template import render_template

    book = load_workbook(io.BytesIO(render_template(standard)))
    for sheet_id in standard.records:
        sheet = RECORD_SHEETS[sheet_id]
        ws = book[sheet.title]
        headers = [ws.cell(L.HEADER_ROW, i + 1).value for i in range(len(sheet.columns))]
        assert headers == [c.header for c in sheet.columns]
        assert ws.data_validations.dataValidation, f"{sheet.title} has no checks"
        assert not ws.protection.sheet, "a roster must be pasteable"


def test_each_record_sheet_asks_for_identifiers_only_where_it_has_them(
    standard: Standard,
) -> None:
    """
    A roster with an identifier column asks for badge or staff numbers, never names; a log of
    classes or meetings has no such column, so it asks that no one be named at all.
    """
    from citcert.workbook.template import render_template

    book = load_workbook(io.BytesIO(render_template(standard)))
    guidance = {
        sheet_id: str(book[RECORD_SHEETS[sheet_id].title].cell(L.GUIDANCE_ROW, 1).value)
        for sheet_id in standard.records
    }

    assert "Identifiers only (badge or staff numbers), never names" in guidance["officers"]
    assert "Identifiers only (badge or staff numbers), never names" in guidance["dispatchers"]
    for log in ("classes", "meetings", "quarterly"):
        assert "Identifiers only" not in guidance[log], log
        assert "Name no one, nor anything that would identify a person" in guidance[log], log
    assert all("no report shows one" in text for text in guidance.values())


# ── the computations, on rows made here ────────────────────────────────────────────────────


def _officers(
    rows: list[dict[str, object]], standard: Standard, **numbers: object
) -> dict[str, object]:
    from tests.audit.builders import sample_evidence

    evidence = sample_evidence(standard)
    typed = {**evidence.numbers, **numbers}
    evidence = evidence.model_copy(update={"records": {"officers": tuple(rows)}, "numbers": typed})
    return {d.number_id: d for d in derive_numbers(standard, evidence, TODAY)}


def test_each_computation_by_hand(standard: Standard) -> None:
    rows: list[dict[str, object]] = [
        {
            "officer_id": "1",
            "assignment": "Patrol",
            "shift": "A",
            "course_date": dt.date(2024, 1, 1),
        },
        {"officer_id": "2", "assignment": "patrol", "shift": "A"},
        {"officer_id": "3", "assignment": "Patrol", "shift": "B"},
        {
            "officer_id": "4",
            "assignment": "Other",
            "shift": "C",
            "course_date": dt.date(2024, 5, 1),
        },
        {
            "officer_id": "5",
            "assignment": "Patrol",
            "shift": "B",
            "last_inservice": dt.date(2025, 6, 1),
        },
    ]
    derived = _officers(rows, standard)
    # 5 officers; 4 on patrol (the choice matches without regard to case): shifts A and B;
    # 1 trained on patrol, on shift A; shift B has none; the latest in-service is 2025-06-01.
    assert derived["sworn_officers"].value == 5
    assert derived["patrol_officers"].value == 4
    assert derived["cit_patrol_officers"].value == 1
    assert derived["shifts"].value == 2
    assert derived["shifts_with_cit"].value == 1
    assert derived["shifts_with_cit"].inputs == {"groups": 2, "covered": 1, "missing": ("B",)}
    assert derived["last_inservice"].value == dt.date(2025, 6, 1)


@settings(deadline=None, max_examples=60)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "officer_id": st.text(min_size=1, max_size=5),
                "assignment": st.sampled_from(["Patrol", "Other"]),
                "shift": st.sampled_from(["A", "B", "C", "", None]),
                "course_date": st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2025, 12, 31)),
            }
        ),
        max_size=40,
    )
)
def test_counts_never_exceed_their_rows(rows: list[dict[str, object]]) -> None:
    standard = _BEST_PRACTICE
    derived = _officers(rows, standard)
    if not rows:
        assert derived == {}
        return
    patrol = derived["patrol_officers"].value
    assert isinstance(patrol, int)
    assert derived["cit_patrol_officers"].value <= patrol <= len(rows)  # type: ignore[operator]
    assert derived["shifts_with_cit"].value <= derived["shifts"].value <= 3  # type: ignore[operator]


_CURRENT = find_standard("cit-best-practice@2019.3")
_DATES = st.none() | st.dates(dt.date(2019, 1, 1), dt.date(2026, 6, 30))


@settings(deadline=None, max_examples=80)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "officer_id": st.text(min_size=1, max_size=5),
                "assignment": st.sampled_from(["Patrol", "Other"]),
                "course_date": _DATES,
                "last_inservice": _DATES,
            }
        ),
        max_size=30,
    )
)
def test_the_share_of_officers_within_two_years_is_the_count_by_hand(
    rows: list[dict[str, object]],
) -> None:
    """
    share_recent (2019.3's INS-01): of the officers with a course date, those whose course or
    last in-service falls in the 730 days up to the as-of date; none to count gives no share.
    """
    derived = _officers(rows, _CURRENT)
    if not rows:
        assert derived == {}
        return
    trained = [r for r in rows if r["course_date"] is not None]
    current = [
        r
        for r in trained
        if any(
            isinstance(d, dt.date) and 0 <= (TODAY - d).days <= 730
            for d in (r["course_date"], r["last_inservice"])
        )
    ]
    item = derived["cit_officers_inservice_current"]
    expected = round(100 * len(current) / len(trained), 1) if trained else None
    assert item.value == expected  # type: ignore[attr-defined]
    assert item.inputs == {"rows": len(trained), "within": len(current)}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "compute: latest, column: last_inservice}",
            "compute: latest, column: last_inservice, also: course_date}",
            "latest takes no `also` (only share_recent does)",
        ),
        ("      also: course_date\n", "      also: assignment\n", "`assignment` holds no dates"),
        ("      also: course_date\n", "      also: officer_id\n", "`officer_id` is an identifier"),
        ("      days: 730\n      where: {course_date", "      where: {course_date", "needs `days`"),
    ],
)
def test_a_wrong_share_recent_is_refused_at_its_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    from citcert.standards.loader import StandardFileError, load_file

    text = (_CURRENT_FILE).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "cit-best-practice-2019.9.yaml"
    path.write_text(text.replace(old, new).replace('"2019.3"', '"2019.9"'), encoding="utf-8")

    with pytest.raises(StandardFileError) as caught:
        load_file(path)
    assert "cit-best-practice-2019.9.yaml:" in str(caught.value)
    assert message in str(caught.value)


_CURRENT_FILE = Path(__file__).parents[2] / "standards" / "cit-best-practice-2019.3.yaml"


# ── the quarterly trend ────────────────────────────────────────────────────────────────────


def test_the_quarterly_trend_is_computed_oldest_first_and_charted_in_pdf_and_html(
    tmp_path: Path, standard: Standard
) -> None:
    """Brennan's Quarterly data sheet: 2 quarters, each share worked out by hand, both on time."""
    assessment = _audit(BRENNAN, standard)
    first, second = assessment.quarters
    assert first.quarter_end < second.quarter_end
    # 47 calls: 28 resolved (59.6%), 14 to treatment (29.8%), 2 arrested (4.3%); sent 20 days on
    assert (first.cit_calls, first.resolved, first.treatment, first.arrested) == (
        47,
        59.6,
        29.8,
        4.3,
    )
    assert first.on_time is True and second.on_time is True

    pdf = render(assessment, Format.PDF)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Outcomes by quarter" in text
    assert "CIT calls resolved on scene, by quarter" in text
    assert "2 quarters reported, 2 of 2 on time" in text
    page = render(assessment, Format.HTML).decode()
    assert '<h2 id="quarters">Outcomes by quarter</h2>' in page
    assert "2025-03-31: 59.6%" in page  # the chart's text alternative


def test_a_quarters_calls_print_as_a_whole_number_in_pdf_and_html(standard: Standard) -> None:
    """1,234,567 calls were printed "1.23457e+06" by the PDF's and the page's ``%g``."""
    assessment = _audit(BRENNAN, standard)
    first, second = assessment.quarters
    many = assessment.model_copy(
        update={"quarters": (first.model_copy(update={"cit_calls": 1234567.0}), second)}
    )

    pdf = render(many, Format.PDF)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    page = render(many, Format.HTML).decode()

    for shown in (text, page):
        assert "1234567" in shown
        assert "e+06" not in shown


def test_a_late_report_and_a_quarter_without_calls(tmp_path: Path, standard: Standard) -> None:
    def late(ws: object) -> None:
        columns = [c.id for c in RECORD_SHEETS["quarterly"].columns]
        sent, calls = columns.index("report_sent") + 1, columns.index("cit_calls") + 1
        ws.cell(L.FIRST_DATA_ROW, sent).value = dt.date(2025, 8, 19)  # type: ignore[attr-defined]
        ws.cell(L.FIRST_DATA_ROW + 1, calls).value = None  # type: ignore[attr-defined]

    path = _edit(BRENNAN, tmp_path / "late.xlsx", "Quarterly data", late)
    by_end = {q.quarter_end: q for q in _audit(path, standard).quarters}
    newest, oldest = sorted(by_end)[-1], sorted(by_end)[0]
    assert [by_end[d].on_time for d in (oldest, newest)].count(False) == 1
    assert any(q.resolved is None for q in by_end.values())
