"""
The record sheets' number cells: counts are whole, an outcome is at most its quarter's calls.

Workbooks are the mini standard's template with the Quarterly data and Classes sheets added,
filled with openpyxl the way a person would. A count (calls, outcomes, injuries, people
trained) that is not a whole number of 0 or more, and an outcome of a quarter's CIT calls larger
than its calls, are refused at their cell by `validate` and `audit` (exit 2, nothing written);
hours may be fractional. Whatever number passes, every report is written and every share of
calls lies within 0 to 100%.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import math
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from citcert.audit.scoring import assess
from citcert.cli import cli
from citcert.errors import WorkbookError
from citcert.export import Format, render
from citcert.standards.model import Standard
from citcert.standards.records import RECORD_SHEETS, ColumnKind, RecordColumn, RecordSheet
from citcert.workbook import layout as L
from citcert.workbook.ratings import MAX_NUMBER
from citcert.workbook.reader import open_book, read_workbook
from citcert.workbook.template import render_template
from tests.audit.workbook_filler import MINI, dump_yaml, fill, load_yaml

EXAMPLES = Path(__file__).parents[2] / "examples"
QUARTERLY, CLASSES = RECORD_SHEETS["quarterly"], RECORD_SHEETS["classes"]
ROW = L.FIRST_DATA_ROW
ALL = ",".join(f.value for f in Format if f is not Format.TERMINAL)
QUARTER: dict[str, object] = {
    "quarter_end": dt.datetime(2024, 3, 31),
    "cit_calls": 40,
    "resolved": 24,
    "treatment": 12,
    "arrested": 2,
    "person_injuries": 1,
    "officer_injuries": 0,
    "use_of_force": 1,
    "report_sent": dt.datetime(2024, 4, 15),
}
CLASS: dict[str, object] = {  # NOTE: hours may be fractional; every refusal below has 7.5
    "start_date": dt.datetime(2024, 2, 5),
    "end_date": dt.datetime(2024, 2, 9),
    "course": "Basic",
    "hours": 7.5,
    "trained": 18,
}


def _raw() -> dict[str, Any]:
    """The mini standard as ``mini-records@1.0``, its workbook carrying two record sheets."""
    raw = copy.deepcopy(load_yaml(MINI))
    raw["id"] = "mini-records"
    raw["records"] = ["quarterly", "classes"]
    return raw


@functools.cache
def _standard() -> Standard:
    return Standard.model_validate(_raw())


@functools.cache
def _template() -> bytes:
    return render_template(_standard())


def _letter(sheet_id: str, column_id: str) -> str:
    columns = [c.id for c in RECORD_SHEETS[sheet_id].columns]
    return L.cell_name(columns.index(column_id) + 1, 1)[:-1]


def _book(quarter: dict[str, object], classes: dict[str, object] = CLASS) -> Any:
    """A complete workbook with one quarter and one class typed in (a value None: left empty)."""
    book = fill(load_workbook(io.BytesIO(_template())))
    for sheet, values in ((QUARTERLY, quarter), (CLASSES, classes)):
        ws = book[sheet.title]
        for index, column in enumerate(sheet.columns, start=1):
            ws.cell(ROW, index).value = values.get(column.id)
    return book


def _save(tmp_path: Path, quarter: dict[str, object], classes: dict[str, object] = CLASS) -> Path:
    path = tmp_path / "program.xlsx"
    _book(quarter, classes).save(path)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "standards").mkdir()
    dump_yaml(_raw(), tmp_path / "standards" / "mini-records.yaml")
    return tmp_path / "standards"


REFUSED = [
    ("quarterly", "cit_calls", 1e-300, '"1e-300" is not a whole number'),
    ("quarterly", "cit_calls", 0.001, '"0.001" is not a whole number'),
    ("quarterly", "cit_calls", 40.5, '"40.5" is not a whole number'),
    ("quarterly", "cit_calls", "40.5", '"40.5" is not a whole number'),
    ("quarterly", "resolved", 500, "500 is more than this row's CIT calls (40); check both"),
    ("quarterly", "treatment", 41, "41 is more than this row's CIT calls (40); check both"),
    ("quarterly", "arrested", 2.5, '"2.5" is not a whole number'),
    ("quarterly", "arrested", 41, "41 is more than this row's CIT calls (40); check both"),
    ("quarterly", "person_injuries", 0.5, '"0.5" is not a whole number'),
    ("quarterly", "officer_injuries", 1.25, '"1.25" is not a whole number'),
    ("quarterly", "use_of_force", 3.5, '"3.5" is not a whole number'),
    ("classes", "trained", 12.5, '"12.5" is not a whole number'),
]


@pytest.mark.parametrize(("sheet_id", "column_id", "value", "message"), REFUSED)
@pytest.mark.parametrize("command", ["validate", "audit"])
def test_each_refusal_is_at_its_cell_exit_2_and_nothing_written(
    tmp_path: Path,
    folder: Path,
    command: str,
    sheet_id: str,
    column_id: str,
    value: object,
    message: str,
) -> None:
    values = {"quarterly": dict(QUARTER), "classes": dict(CLASS)}
    values[sheet_id][column_id] = value
    path = _save(tmp_path, values["quarterly"], values["classes"])
    out = tmp_path / "out"
    args = [str(path)] if command == "validate" else [str(path), "-o", str(out), "--format", ALL]
    result = CliRunner().invoke(cli, ["--standards-dir", str(folder), command, *args])

    sheet = RECORD_SHEETS[sheet_id]
    where = f"{sheet.title}!{_letter(sheet_id, column_id)}{ROW}"
    header = sheet.column(column_id).header
    assert result.exit_code == 2, result.output
    assert f"program.xlsx: {where} ({header}): {message}" in result.stderr
    assert "1 problem to fix" in result.stderr
    assert not out.exists()


def test_the_testers_tiny_call_count_no_longer_crashes_the_pdf(tmp_path: Path) -> None:
    """brennan-county.xlsx with Quarterly data!B4 set to 1e-300: exit 2 at the cell, not 70."""
    path = tmp_path / "brennan.xlsx"
    shutil.copy(EXAMPLES / "brennan-county.xlsx", path)
    book = load_workbook(path)
    book["Quarterly data"]["B4"] = 1e-300
    book.save(path)

    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["audit", str(path), "-o", str(out), "--format", "pdf"])
    assert result.exit_code == 2, result.output
    assert 'brennan.xlsx: Quarterly data!B4 (CIT calls): "1e-300" is not a whole number' in (
        result.stderr
    )
    assert not out.exists()


def test_the_template_checks_counts_as_whole_numbers_and_names_the_calls() -> None:
    """Excel refuses 40.5 calls while typing; an outcome's prompt says it is at most the calls."""
    book = load_workbook(io.BytesIO(_template()))
    for sheet in (QUARTERLY, CLASSES):
        checks = book[sheet.title].data_validations.dataValidation
        for column in sheet.columns:
            if column.kind is not ColumnKind.NUMBER:
                continue
            cell = f"{_letter(sheet.id, column.id)}{ROW}"
            (check,) = [c for c in checks if cell in c.sqref]
            assert check.type == ("whole" if column.whole else "decimal"), column.id
            assert check.operator == "greaterThanOrEqual" and check.formula1 == "0"
            if column.not_more_than:
                assert "at most this row's CIT calls" in (check.prompt or ""), column.id
    assert [c.id for c in QUARTERLY.columns if c.not_more_than == "cit_calls"] == [
        "resolved",
        "treatment",
        "arrested",
    ]
    assert not CLASSES.column("hours").whole


# ── any number typed into any record number cell ─────────────────────────────────────────


_NUMBER_COLUMNS = [
    (sheet.id, column.id)
    for sheet in (QUARTERLY, CLASSES)
    for column in sheet.columns
    if column.kind is ColumnKind.NUMBER
]
_NUMBERS = (
    st.none()
    | st.integers(-5, 60)
    | st.integers(-(10**13), 10**13)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.floats(0, 60).map(lambda x: round(x, 1))
    | st.sampled_from([1e-300, 5e-324, 0.001, -0.0, 1e12, 1e12 + 1, 40.0])
)


def _refused_alone(sheet_id: str, column_id: str, value: object) -> bool:
    """The oracle: whether a value is refused by itself (not whole, negative, too large)."""
    if value is None:
        return False
    assert isinstance(value, int | float)
    if abs(value) > MAX_NUMBER or value < 0:
        return True
    return RECORD_SHEETS[sheet_id].column(column_id).whole and not float(value).is_integer()


def _expected_cells(values: dict[tuple[str, str], object]) -> set[str]:
    refused = {key for key, value in values.items() if _refused_alone(*key, value)}
    calls = values[("quarterly", "cit_calls")]
    for key, value in values.items():
        part_of = RECORD_SHEETS[key[0]].column(key[1]).not_more_than
        if part_of is None or key in refused or value is None:
            continue
        whole = ("quarterly", part_of)
        if whole not in refused and calls is not None and value > calls:  # type: ignore[operator]
            refused.add(key)
    return {f"{RECORD_SHEETS[s].title}!{_letter(s, c)}{ROW}" for s, c in refused}


@settings(
    deadline=None,
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.fixed_dictionaries(dict.fromkeys(_NUMBER_COLUMNS, _NUMBERS)))
def test_any_number_is_refused_at_its_cell_or_every_report_holds_shares_within_0_to_100(
    tmp_path: Path, values: dict[tuple[str, str], object]
) -> None:
    quarter = {**QUARTER, **{c: v for (s, c), v in values.items() if s == "quarterly"}}
    classes = {**CLASS, **{c: v for (s, c), v in values.items() if s == "classes"}}
    buffer = io.BytesIO()
    _book(quarter, classes).save(buffer)
    path = tmp_path / "typed.xlsx"
    path.write_bytes(buffer.getvalue())
    expected = _expected_cells(values)

    try:
        evidence = read_workbook(open_book(path), _standard())
    except WorkbookError as refused:
        cells = {f"{p.location.sheet}!{p.location.cell}" for p in refused.problems}
        assert cells == expected
        return
    assert expected == set()
    assessment = assess(_standard(), evidence)
    (q,) = assessment.quarters
    for share in (q.resolved, q.treatment, q.arrested):
        assert share is None or 0 <= share <= 100
        assert share is None or math.isfinite(share)
    for fmt in Format:
        assert render(assessment, fmt)


def test_a_part_must_name_another_number_column_of_its_sheet() -> None:
    """The rule is declared on the columns, so a misdeclared one fails where it is declared."""
    calls = RecordColumn("calls", "Calls", ColumnKind.NUMBER, "Calls.", whole=True)
    for bad in (
        RecordColumn("x", "X", ColumnKind.NUMBER, "X.", not_more_than="missing"),
        RecordColumn("x", "X", ColumnKind.NUMBER, "X.", not_more_than="x"),
        RecordColumn("x", "X", ColumnKind.TEXT, "X.", whole=True),
    ):
        with pytest.raises(ValueError, match=r"^s\.x: "):
            RecordSheet("s", "S", "A sheet.", (calls, bad))
    part = RecordColumn("x", "X", ColumnKind.NUMBER, "X.", whole=True, not_more_than="calls")
    assert RecordSheet("s", "S", "A sheet.", (calls, part)).column("x").not_more_than == "calls"
