"""
Remediation trackers for the progress reports' tests: a real one, written by ``citcert audit``
and kept up to date with openpyxl as a coordinator would, and a hostile one built in code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from citcert.audit.progress import Progress, progress
from citcert.cli import cli
from citcert.workbook.evidence import CellRef, StepStatus, TrackedStep, Tracker
from tests.export.assessment_fixture import (
    FORMULAS,
    LINES,
    LONG_WORD,
    MARKUP,
    PROGRAM_NAME,
    SCRIPTS,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AS_OF = dt.date(2026, 3, 1)
"""The day the real tracker's progress is counted on (its audit is of 2025-08-20)."""
NOTE = "Agreed with the <crisis line> & filed; see “minutes”."
OVERRIDE = "reversed \u202eby an override"


def kept_tracker(folder: Path) -> Path:
    """Brennan County's tracker, two steps done, one in progress, notes typed with markup."""
    from openpyxl import load_workbook

    out = folder / "reports"
    result = CliRunner().invoke(
        cli, ["audit", str(EXAMPLES / "brennan-county.xlsx"), "-o", str(out), "--format", "xlsx"]
    )
    assert result.exit_code == 0, result.output
    (path,) = out.iterdir()
    book = load_workbook(path)
    ws = book["Remediation plan"]
    header = {c.value: c.column for c in ws[1]}
    for row in range(2, ws.max_row + 1):
        rid = ws.cell(row, header["Requirement"]).value
        if rid in {"DSP-04", "PART-04"}:
            ws.cell(row, header["Status"]).value = "Done"
            ws.cell(row, header["Completed on"]).value = dt.datetime(2026, 1, 15)
            ws.cell(row, header["Notes"]).value = NOTE
        elif rid == "INS-02":
            ws.cell(row, header["Status"]).value = "in progress"
            ws.cell(row, header["Notes"]).value = f"{OVERRIDE}\nsecond line"
    book.save(path)
    return path


def hostile_progress() -> Progress:
    """A tracker's progress with hostile text wherever a tracker can supply text."""
    texts = (MARKUP, SCRIPTS, LINES, LONG_WORD, FORMULAS[6], OVERRIDE)
    statuses = (StepStatus.DONE, StepStatus.IN_PROGRESS, StepStatus.NOT_STARTED)
    steps = tuple(
        TrackedStep(
            order=i,
            requirement_id=f"TRN-0{i}",
            title=texts[i % len(texts)],
            owner=texts[(i + 1) % len(texts)],
            target_date=dt.date(2026, 1, i),
            score_gain=1.5,
            lifts_decision_to="<Conditionally> certified" if i == 3 else "",
            status=statuses[i % 3],
            notes=texts[(i + 2) % len(texts)],
            completed_on=dt.date(2026, 2, 1) if statuses[i % 3] is StepStatus.DONE else None,
            row=CellRef(sheet="Remediation plan", cell=f"A{i + 1}"),
        )
        for i in range(1, 8)
    )
    tracker = Tracker(
        file_name="ærø <tracker>.xlsx",
        program_name=PROGRAM_NAME,
        standard_ref="mini-standard@1.0",
        standard_sha256="a" * 64,
        workbook_sha256="b" * 64,
        as_of=dt.date(2025, 3, 14),
        decision_level="not_certified",
        steps=steps,
    )
    return progress(tracker, AS_OF)
