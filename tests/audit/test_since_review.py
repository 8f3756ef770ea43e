"""
A program through two review dates: audit, the tracker kept up to date, `progress`, the next
workbook, and `audit --since` showing what was closed and completed, in every format.

Round one is the Brennan County example as of 2025-08-20; its next review is due 2026-02-18.
Between the reviews the coordinator marks two plan steps done in the tracker (with openpyxl, as
in Excel) and, in the next workbook, rates those two requirements Met with their evidence,
dated 2026-02-16. Everything the round-two report must say is worked out here from round
one's own files.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from pypdf import PdfReader

from citcert.cli import cli
from tests.audit import workbook_filler as filler

EXAMPLES = Path(__file__).parent.parent.parent / "examples"
FIXED = ("COORD-02", "DSP-04")
"""The two gaps the program closes between the reviews."""
NEXT_DATE = dt.datetime(2026, 2, 16)


def invoke(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@dataclass(frozen=True)
class Rounds:
    first: dict[str, Any]
    """Round one's JSON report."""
    tracker: Path
    first_workbook: Path
    second_workbook: Path
    reports: dict[str, Path]
    """Round two's reports by suffix, made with ``--since`` round one's JSON."""
    terminal: str
    progress: dict[str, Any]


def _update_tracker(path: Path) -> None:
    """Mark the steps of `FIXED` done, sort the rows and add a note, as a person would."""
    book = load_workbook(path)
    ws = book["Remediation plan"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) for name in header}
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    rows.sort(key=lambda r: str(r[col["Owner"]]))
    for row in rows:
        if row[col["Requirement"]] in FIXED:
            row[col["Status"]] = "Done"
            row[col["Completed on"]] = dt.datetime(2026, 2, 10)
            row[col["Notes"]] = "Signed by both partners; filed with the minutes."
    for offset, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            ws.cell(offset, index).value = value
    book.save(path)


def _next_workbook(first: Path, target: Path) -> Path:
    """
    The same program at its next review: the fixed requirements rated Met with their evidence,
    and the steering committee's two meetings since then added to the Meetings sheet.
    """
    shutil.copyfile(first, target)
    book = load_workbook(target)
    filler.set_program(book, "assessment_date", NEXT_DATE)
    meetings = book["Meetings"]
    for day in (dt.datetime(2025, 10, 14), dt.datetime(2026, 1, 20)):
        meetings.insert_rows(4)
        for column, value in enumerate((day, "Yes", "Yes", "Yes", "Yes", None, "Yes"), start=1):
            meetings.cell(4, column).value = value
    for rid in FIXED:
        filler.set_answer(book, rid, "Self rating", "Met")
        filler.set_answer(
            book, rid, "Evidence summary", f"{rid}: agreement signed in February 2026."
        )
    book.save(target)
    return target


@pytest.fixture(scope="module")
def rounds(tmp_path_factory: pytest.TempPathFactory) -> Rounds:
    folder = tmp_path_factory.mktemp("rounds")
    first_workbook = shutil.copyfile(EXAMPLES / "brennan-county.xlsx", folder / "brennan.xlsx")
    result = invoke("audit", first_workbook, "-o", folder / "2025", "--format", "json,xlsx")
    assert result.exit_code == 0, result.output
    first_json = next((folder / "2025").glob("*.json"))
    tracker = next((folder / "2025").glob("*.xlsx"))
    _update_tracker(tracker)
    progress = invoke("progress", tracker, "--as-of", "2026-02-16", "--format", "json")
    assert progress.exit_code == 0, progress.output
    second = _next_workbook(first_workbook, folder / "brennan-2026.xlsx")
    out = folder / "2026"
    result = invoke("audit", second, "--since", first_json, "-o", out)
    assert result.exit_code == 0, result.output
    terminal = invoke("audit", second, "--since", first_json).output
    return Rounds(
        first=json.loads(first_json.read_text(encoding="utf-8")),
        tracker=tracker,
        first_workbook=first_workbook,
        second_workbook=second,
        reports={p.suffix: p for p in out.iterdir()},
        terminal=terminal,
        progress=json.loads(progress.output),
    )


def _pdf_text(path: Path) -> str:
    pages = PdfReader(path).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


def _sheet_text(path: Path, sheet: str) -> str:
    rows = load_workbook(path)[sheet].iter_rows(values_only=True)
    return " ".join(str(v) for row in rows for v in row if v is not None)


def _first_steps(rounds: Rounds) -> dict[str, int]:
    """Round one's plan: the step number of each requirement."""
    return {s["requirement_id"]: s["order"] for s in rounds.first["plan"]["steps"]}


def test_progress_counts_the_steps_marked_done_in_the_tracker(rounds: Rounds) -> None:
    done = [s["requirement_id"] for s in rounds.progress["steps"] if s["status"] == "done"]
    assert sorted(done) == sorted(FIXED)
    assert rounds.progress["done"] == 2


def test_the_json_report_holds_the_comparison_with_round_one(rounds: Rounds) -> None:
    report = json.loads(rounds.reports[".json"].read_text(encoding="utf-8"))
    since = report["since"]
    assert since["old_date"] == "2025-08-20"
    assert since["new_date"] == "2026-02-16"
    assert sorted(g["requirement_id"] for g in since["gaps_closed"]) == sorted(FIXED)
    assert since["gaps_opened"] == []
    steps = _first_steps(rounds)
    assert sorted((s["requirement_id"], s["order"]) for s in since["steps_completed"]) == sorted(
        (rid, steps[rid]) for rid in FIXED
    )
    first_gaps = len(rounds.first["gaps"])
    assert since["gaps_remaining"] == first_gaps - len(FIXED) == len(report["gaps"])
    assert since["overall"]["old"] == rounds.first["overall_score"]
    assert since["overall"]["new"] == report["overall_score"]
    assert since["overall"]["change"] > 0


@pytest.mark.parametrize("suffix", [".md", ".html", ".pdf", ".xlsx", "terminal"])
def test_every_format_shows_the_closed_gaps_and_the_completed_steps(
    rounds: Rounds, suffix: str
) -> None:
    if suffix == "terminal":
        text = rounds.terminal
    elif suffix == ".pdf":
        text = _pdf_text(rounds.reports[suffix])
    elif suffix == ".xlsx":
        text = " ".join(
            _sheet_text(rounds.reports[suffix], s)
            for s in ("Since last review", "Gaps closed", "Steps completed")
        )
    else:
        text = rounds.reports[suffix].read_text(encoding="utf-8")
    assert "Progress since the last review" in text or suffix == ".xlsx"
    assert "2 gaps closed, 0 opened" in text
    assert "2 plan steps completed" in text
    for rid in FIXED:
        assert rid in text
    assert "2025-08-20" in text


def test_the_sections_are_listed_in_order_in_markdown(rounds: Rounds) -> None:
    text = rounds.reports[".md"].read_text(encoding="utf-8")
    order = [
        "## Progress since the last review",
        "## Gaps closed since the last review (2)",
        "## Plan steps completed since the last review (2)",
    ]
    places = [text.index(heading) for heading in order]
    assert places == sorted(places)
    assert "## Gaps opened" not in text


def test_the_previous_workbook_gives_the_same_comparison_as_its_json(rounds: Rounds) -> None:
    result = invoke("audit", rounds.second_workbook, "--since", rounds.first_workbook, "-o", "-")
    assert result.exit_code == 0, result.output
    by_workbook = json.loads(result.stdout)["since"]
    by_json = json.loads(rounds.reports[".json"].read_text(encoding="utf-8"))["since"]
    assert by_workbook == by_json


def test_an_audit_without_since_has_no_such_section(rounds: Rounds) -> None:
    result = invoke("audit", rounds.second_workbook, "-o", "-", "--format", "md")
    assert result.exit_code == 0, result.output
    assert "since the last review" not in result.stdout
    plain = invoke("audit", rounds.second_workbook, "-o", "-")
    assert json.loads(plain.stdout)["since"] is None


def test_another_programs_report_as_since_is_told_on_stderr(
    rounds: Rounds, tmp_path: Path
) -> None:
    """
    A script writing files reads no terminal view: taking another program's report (dated
    after this audit) for the last review is said on standard error, not only in the reports.
    """
    other = tmp_path / "lakemont"
    made = invoke("audit", EXAMPLES / "lakemont-metro.xlsx", "-o", other, "--format", "json")
    assert made.exit_code == 0
    since = next(other.glob("*.json"))

    result = invoke("audit", rounds.first_workbook, "--since", since, "-o", tmp_path / "out")

    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert f"Warning (--since {since.name}): These audits are of differently named programs" in (
        lines[0]
    )
    assert lines[1] == (
        f"Warning (--since {since.name}): The previous audit (as of 2025-09-15) is dated after "
        "the current one (as of 2025-08-20); were the two swapped?"
    )
    terminal = invoke("audit", rounds.first_workbook, "--since", since)
    assert "Warning (--since" not in terminal.stderr  # its view shows them itself
    assert "differently named programs" in terminal.stdout


def test_a_since_file_that_is_not_an_audit_is_a_located_error(
    rounds: Rounds, tmp_path: Path
) -> None:
    bad = tmp_path / "old.json"
    bad.write_text('{"not": "an audit"}', encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("audit", rounds.second_workbook, "--since", bad, "-o", out)
    assert result.exit_code == 2
    assert "old.json" in result.output
    assert "not an audit report" in result.output
    assert not out.exists()


def test_the_since_file_cannot_be_overwritten_by_the_reports(
    rounds: Rounds, tmp_path: Path
) -> None:
    """The JSON report of round two would have round one's name: refused, nothing written."""
    folder = tmp_path / "reports"
    folder.mkdir()
    old = folder / rounds.reports[".json"].name
    old.write_bytes(json.dumps(rounds.first).encode())
    before = old.read_bytes()
    result = invoke("audit", rounds.second_workbook, "--since", old, "-o", folder)
    assert result.exit_code == 2
    assert old.read_bytes() == before
    assert sorted(folder.iterdir()) == [old]
