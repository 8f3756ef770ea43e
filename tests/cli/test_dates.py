"""
Dates are judged as of the assessment date (or --as-of), by `validate` and `audit` alike.

Never the computer's clock: a workbook that validates today validates on any day, and a date
after the day the ratings describe is an error at its cell, not a negative age.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from citcert.cli import cli
from tests.audit.workbook_filler import MINI, PROFILE, blank, fill, save, set_program

F = "program.xlsx"
AFTER = (
    f"{F}: Program!C17 (Date of the last steering committee meeting): 2024-05-02 is after "
    "the assessment date (2024-05-01); check the date"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "standards").mkdir()
    (tmp_path / "standards" / "mini.yaml").write_bytes(MINI.read_bytes())
    return tmp_path / "standards"


def _run(folder: Path, *args: str) -> object:
    return CliRunner().invoke(cli, ["--standards-dir", str(folder), *args])


@pytest.mark.parametrize("command", ["validate", "audit"])
def test_a_date_after_the_assessment_date_is_an_error_at_its_cell(
    tmp_path: Path, folder: Path, command: str
) -> None:
    book = fill(blank())
    set_program(book, "last_committee_meeting", dt.datetime(2024, 5, 2))
    path = save(book, tmp_path / F)

    result = _run(folder, command, str(path))

    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert AFTER in result.stderr.splitlines()  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", ["validate", "audit"])
def test_as_of_sets_the_day_dates_are_judged_by(tmp_path: Path, folder: Path, command: str) -> None:
    """With --as-of before a document's date, that date is refused and named as such."""
    path = save(fill(blank()), tmp_path / F)

    result = _run(folder, command, str(path), "--as-of", "2023-01-01")

    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert (
        f"{F}: Documents!B4 (document): 2023-02-14 is after the as-of date (2023-01-01); "
        "check the date"
    ) in result.stderr.splitlines()  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", ["validate", "audit"])
def test_an_assessment_dated_after_today_is_judged_by_its_own_date(
    tmp_path: Path, folder: Path, command: str
) -> None:
    """Not the clock: an assessment in years to come, with dates before it, is fine."""
    far = dt.date.today() + dt.timedelta(days=3 * 365)
    book = fill(blank(), profile={**PROFILE, "assessment_date": dt.datetime(far.year, 1, 1)})
    set_program(book, "last_committee_meeting", dt.datetime(far.year - 1, 12, 1))
    path = save(book, tmp_path / F)

    result = _run(folder, command, str(path))

    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2025-02-29", "2025-02-29 is not a day of the calendar; check the month and the day"),
        ("March 1", '"March 1" is not a day written YYYY-MM-DD, e.g. 2025-03-31'),
        ("2025-3-1", '"2025-3-1" is not a day written YYYY-MM-DD, e.g. 2025-03-31'),
    ],
)
@pytest.mark.parametrize(
    ("command", "option"),
    [
        (["validate", "x.xlsx"], "--as-of"),
        (["audit", "x.xlsx"], "--as-of"),
        (["batch", "x.xlsx", "-o", "out"], "--as-of"),
        (["progress", "x.xlsx"], "--as-of"),
        (["review", "start", "x.xlsx", "--reviewer", "A", "-o", "r.xlsx"], "--date"),
    ],
)
def test_a_day_is_refused_in_plain_words(
    tmp_path: Path, command: list[str], option: str, typed: str, message: str
) -> None:
    """Not click's "does not match the format '%Y-%m-%d'": every day option says it alike."""
    (tmp_path / "x.xlsx").write_bytes(b"never read")
    args = [str(tmp_path / a) if a.endswith(("xlsx", "out")) else a for a in command]
    result = CliRunner().invoke(cli, [*args, option, typed], catch_exceptions=False)

    assert result.exit_code == 2
    assert f"Error: Invalid value for '{option}': {message}" in result.stderr
