"""
`citcert progress`: the tracker `audit` wrote, updated with openpyxl as a coordinator would in
Excel (rows sorted, statuses typed in other cases, notes and completion dates added), read back.

The Brennan County example (audited as of 2025-08-20) has 25 plan steps; counts and overdue
steps are worked out here from the target dates the tracker itself holds.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from citcert.cli import cli

EXAMPLES = Path(__file__).parent.parent.parent / "examples"
AS_OF = dt.date(2026, 3, 1)


def _tracker(tmp_path: Path) -> Path:
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        cli, ["audit", str(EXAMPLES / "brennan-county.xlsx"), "-o", str(out), "--format", "xlsx"]
    )
    assert result.exit_code == 0, result.output
    (path,) = out.iterdir()
    return path


def _edit(path: Path) -> dict[str, Any]:
    """Sort the plan by requirement id, set statuses, notes and dates; return what was set."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    ws = book["Remediation plan"]
    header = [c.value for c in ws[1]]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    rows.sort(key=lambda r: str(r[header.index("Requirement")]), reverse=True)
    col = {name: header.index(name) for name in header}
    done, in_progress = {"DSP-04", "PART-04"}, {"INS-02"}
    for row in rows:
        rid = row[col["Requirement"]]
        if rid in done:
            row[col["Status"]] = "done" if rid == "DSP-04" else "COMPLETED"
            row[col["Completed on"]] = dt.datetime(2026, 1, 15)
            row[col["Notes"]] = "Agreed with the crisis line; minutes filed."
        elif rid in in_progress:
            row[col["Status"]] = "in progress"
    for offset, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            ws.cell(offset, index).value = value
    book.save(path)
    targets = {r[col["Requirement"]]: r[col["Target date"]].date() for r in rows}
    return {"done": done, "in_progress": in_progress, "targets": targets}


def test_progress_reads_a_tracker_a_person_updated(tmp_path: Path) -> None:
    path = _tracker(tmp_path)
    edits = _edit(path)
    result = CliRunner().invoke(
        cli, ["progress", str(path), "--as-of", AS_OF.isoformat(), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["done"], report["in_progress"], report["not_started"]) == (2, 1, 22)
    overdue = {
        rid for rid, target in edits["targets"].items()
        if rid not in edits["done"] and target < AS_OF
    }  # fmt: skip
    assert report["overdue"] == len(overdue)
    steps = {s["requirement_id"]: s for s in report["steps"]}
    assert {r for r, s in steps.items() if s["overdue"]} == overdue
    assert [s["order"] for s in report["steps"]] == sorted(s["order"] for s in report["steps"])
    assert steps["DSP-04"]["completed_on"] == "2026-01-15"
    assert steps["PART-04"]["status"] == "done"
    assert report["points_once_evidenced"] > 0
    assert report["sentence"].startswith("As of 2026-03-01: 2 of 25 steps done, 1 in progress")

    md = CliRunner().invoke(cli, ["progress", str(path), "--as-of", "2026-03-01", "--format", "md"])
    assert (
        "| Done, completed 2026-01-15 | Agreed with the crisis line; minutes filed. |" in md.stdout
    )
    terminal = CliRunner().invoke(cli, ["progress", str(path), "--as-of", "2026-03-01"])
    assert "DSP-04" in terminal.stdout and "Done, completed 2026-01-15" in terminal.stdout


def test_a_step_completed_after_the_as_of_date_was_not_done_on_it(tmp_path: Path) -> None:
    """On 2026-01-10 the two steps completed on 2026-01-15 were still in progress."""
    path = _tracker(tmp_path)
    edits = _edit(path)
    day = dt.date(2026, 1, 10)
    result = CliRunner().invoke(
        cli, ["progress", str(path), "--as-of", day.isoformat(), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["done"], report["in_progress"], report["not_started"]) == (0, 3, 22)
    assert report["points_once_evidenced"] == 0
    assert report["lifts_to"] == []
    steps = {s["requirement_id"]: s for s in report["steps"]}
    assert {steps[rid]["status"] for rid in edits["done"]} == {"in_progress"}
    assert report["overdue"] == sum(1 for target in edits["targets"].values() if target < day)
    assert report["sentence"] == (
        "As of 2026-01-10: 0 of 25 steps done, 3 in progress, 22 not started; "
        f"{report['overdue']} steps overdue. 2 steps completed after that day count as in progress."
    )


def test_a_status_that_is_not_one_is_refused_at_its_cell(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = _tracker(tmp_path)
    book = load_workbook(path)
    ws = book["Remediation plan"]
    ws["N3"] = "Nearly"
    book.save(path)
    result = CliRunner().invoke(cli, ["progress", str(path)])
    assert result.exit_code == 2
    assert (
        'Remediation plan!N3 (status): "Nearly" is not a status; use Not started, In progress or '
        "Done"
    ) in result.stderr


@pytest.mark.parametrize(
    ("header", "typed", "message"),
    [
        ("Overall points gained", "lots", '"lots" is not a number'),
        ("Overall points gained", 250, "250 is not a number of overall points from 0 to 100"),
        ("Overall points gained", -3, "-3 is not a number of overall points from 0 to 100"),
        ("Target date", None, "a step needs its target date"),
    ],
)
def test_a_step_cell_a_person_can_break_is_refused_at_it(
    tmp_path: Path, header: str, typed: object, message: str
) -> None:
    """The points a step gains and its target date are read, not assumed."""
    from openpyxl import load_workbook

    path = _tracker(tmp_path)
    book = load_workbook(path)
    ws = book["Remediation plan"]
    column = next(c.column_letter for c in ws[1] if c.value == header)
    ws[f"{column}3"] = typed
    book.save(path)

    result = CliRunner().invoke(cli, ["progress", str(path)])

    assert result.exit_code == 2
    assert f"Remediation plan!{column}3 " in result.stderr
    assert f"): {message}" in result.stderr


@pytest.mark.parametrize("other", ["brennan-county.xlsx"])
def test_a_workbook_that_is_not_a_tracker_is_a_located_error(other: str) -> None:
    result = CliRunner().invoke(cli, ["progress", str(EXAMPLES / other)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {other}: this is not a citcert remediation tracker")


def test_an_evidence_command_given_a_tracker_still_says_it_is_no_evidence_workbook(
    tmp_path: Path,
) -> None:
    """
    The tracker's metadata sheet is its own, so validate does not take it for a workbook; the
    message says it is a tracker (not "make one with citcert template", which sent a
    coordinator copying their plan into a blank workbook), and batch says the same in its row.
    """
    path = _tracker(tmp_path)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert (
        "this is not a citcert evidence workbook but a remediation tracker that `citcert audit` "
        "wrote: give the program's own workbook (`citcert progress` reads a tracker)"
    ) in " ".join(result.stderr.split())
    assert "citcert template" not in result.stderr
    result = CliRunner().invoke(cli, ["batch", str(path.parent), "-o", str(tmp_path / "state")])
    assert result.exit_code == 2
    assert "but a remediation tracker" in result.stderr


def _meta_cell(path: Path, key: str) -> str:
    from openpyxl import load_workbook

    ws = load_workbook(path)["citcert tracker"]
    (row,) = [r[0].row for r in ws.iter_rows() if r[0].value == key]
    return f"B{row}"


def _audit_json(tmp_path: Path, example: str) -> Path:
    out = tmp_path / f"json-{example}"
    result = CliRunner().invoke(
        cli, ["audit", str(EXAMPLES / example), "-o", str(out), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    (path,) = out.glob("*.json")
    return path


@pytest.mark.parametrize("given", ["json", "workbook"])
def test_a_tracker_checked_against_its_own_audit_reads(tmp_path: Path, given: str) -> None:
    path = _tracker(tmp_path)
    audit = (
        _audit_json(tmp_path, "brennan-county.xlsx")
        if given == "json"
        else EXAMPLES / "brennan-county.xlsx"
    )
    result = CliRunner().invoke(cli, ["progress", str(path), "--audit", str(audit)])
    assert result.exit_code == 0, result.output
    assert "Brennan County Crisis Intervention Team" in result.stdout


def _rows_changed(path: Path, change: str) -> dict[str, str]:
    """Change the plan as a person might (rows deleted, a requirement or points typed over);
    return the cells by requirement id of the rows changed."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    ws = book["Remediation plan"]
    col = {c.value: c.column_letter for c in ws[1]}
    rows = {ws[f"{col['Requirement']}{r}"].value: r for r in range(2, ws.max_row + 1)}
    first, second = list(rows)[:2]
    if change == "deleted":
        ws.delete_rows(rows[second])
    elif change == "requirement":
        ws[f"{col['Requirement']}{rows[second]}"] = first
    else:
        ws[f"{col['Overall points gained']}{rows[first]}"] = 50
    book.save(path)
    return {"first": first, "second": second, "points": f"{col['Overall points gained']}"
            f"{rows[first]}", "requirement": f"{col['Requirement']}{rows[second]}"}  # fmt: skip


@pytest.mark.parametrize("given", ["json", "workbook"])
@pytest.mark.parametrize("change", ["deleted", "requirement", "points"])
def test_a_tracker_that_lost_its_audits_plan_is_refused(
    tmp_path: Path, given: str, change: str
) -> None:
    """Given the very audit that wrote it, the tracker must still hold that audit's plan."""
    path = _tracker(tmp_path)
    audit = (
        _audit_json(tmp_path, "brennan-county.xlsx")
        if given == "json"
        else EXAMPLES / "brennan-county.xlsx"
    )
    cells = _rows_changed(path, change)

    result = CliRunner().invoke(cli, ["progress", str(path), "--audit", str(audit)])

    assert result.exit_code == 2
    name = path.name
    assert result.stderr.startswith(f"Error: {name} does not hold the plan of {audit.name}: ")
    if change in ("deleted", "requirement"):
        assert (
            f"{name}: Remediation plan (plan): the plan of {audit.name} has 1 step this tracker "
            f"does not: {cells['second']}; restore their rows"
        ) in result.stderr
    if change == "points":
        assert (
            f"{name}: Remediation plan!{cells['points']} (points gained): step 1 "
            f"({cells['first']}) gains "
        ) in result.stderr
        assert "overall points in" in result.stderr and "not 50: the audit's figure counts" in (
            result.stderr
        )


@pytest.mark.parametrize("given", ["json", "workbook"])
def test_a_tracker_of_another_program_is_refused_at_its_cell(tmp_path: Path, given: str) -> None:
    path = _tracker(tmp_path)
    other = "pine-hollow-rural.xlsx"
    audit = _audit_json(tmp_path, other) if given == "json" else EXAMPLES / other
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["progress", str(path), "--audit", str(audit)])
    assert result.exit_code == 2
    cell = _meta_cell(path, "program_name")
    assert f"citcert tracker!{cell} (program): this tracker is of 'Brennan County" in result.stderr
    assert audit.name in result.stderr
    assert result.stdout == ""
    assert path.read_bytes() == before


def _migrated(tmp_path: Path, version: str) -> Path:
    """Brennan County carried to cit-best-practice@`version`, its new number filled in."""
    from openpyxl import load_workbook

    from tests.audit import workbook_filler as filler

    newer = tmp_path / f"brennan-{version}.xlsx"
    result = CliRunner().invoke(
        cli,
        ["migrate", str(EXAMPLES / "brennan-county.xlsx"), "--to",
         f"cit-best-practice@{version}", "-o", str(newer)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    book = load_workbook(newer)
    filler.set_program(book, "program_structure", "Regional program")
    book.save(newer)
    return newer


def test_a_tracker_of_another_standard_version_is_refused_at_its_cell(tmp_path: Path) -> None:
    """The tracker was written against 2019.1; the audit given was made against 2019.2."""
    path = _tracker(tmp_path)
    newer = _migrated(tmp_path, "2019.2")
    audit = _audit_json(tmp_path, str(newer))
    result = CliRunner().invoke(cli, ["progress", str(path), "--audit", str(audit)])
    assert result.exit_code == 2
    cell = _meta_cell(path, "standard_ref")
    assert f"citcert tracker!{cell} (standard): this tracker follows cit-best-practice@2019.1" in (
        result.stderr
    )


def test_a_tracker_of_a_newer_version_is_refused_for_its_standard_alone(tmp_path: Path) -> None:
    """
    A 2019.3 tracker checked against a 2019.1 audit: its steps on requirements new in 2019.3
    (CRS-04) are requirements of the tracker's own standard, so the one problem is the
    standard, not "CRS-04 is not a requirement of cit-best-practice@2019.3".
    """
    newer = _migrated(tmp_path, "2019.3")
    out = tmp_path / "reports"
    result = CliRunner().invoke(cli, ["audit", str(newer), "-o", str(out), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    (path,) = out.iterdir()
    audit = _audit_json(tmp_path, "brennan-county.xlsx")

    result = CliRunner().invoke(cli, ["progress", str(path), "--audit", str(audit)])

    assert result.exit_code == 2
    assert "(standard): this tracker follows cit-best-practice@2019.3" in result.stderr
    assert "CRS-04" not in result.stderr
    assert "(requirement)" not in result.stderr


@pytest.mark.parametrize("planted", ["XYZ-09", "TRN-99", "PART-04X"])
def test_a_step_naming_no_requirement_of_the_standard_is_a_located_error(
    tmp_path: Path, planted: str
) -> None:
    """Rows pasted from another standard's tracker name requirements this standard lacks."""
    from openpyxl import load_workbook

    path = _tracker(tmp_path)
    book = load_workbook(path)
    ws = book["Remediation plan"]
    header = [c.value for c in ws[1]]
    column = header.index("Requirement") + 1
    ws.cell(4, column).value = planted
    book.save(path)
    result = CliRunner().invoke(cli, ["progress", str(path)])
    assert result.exit_code == 2
    letter = "ABCDEFGHIJKLMNOP"[column - 1]
    assert f"Remediation plan!{letter}4 (requirement): step 3 names {planted}" in result.stderr
    assert "not a requirement of cit-best-practice@2019.1" in result.stderr
