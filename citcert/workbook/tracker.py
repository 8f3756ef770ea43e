"""
The remediation tracker read back: the XLSX that `citcert audit` writes, after a person has
kept it up to date in Excel or Calc.

The tracker's hidden ``citcert`` sheet says which program, standard and audit it belongs to; a
file without it is not a tracker. The Remediation plan sheet is found by its headers, so sorted
or filtered rows, added columns and notes do no harm; a status is read in any case and with
the usual other words (``done``, ``Completed``, ``in progress``, ``WIP`` …); a completion date
may be a date cell or typed. Every problem is reported at its cell, all at once; the file is
only read. An Earlier steps sheet, which a re-audit adds for steps its plan no longer has, is
read the same way when there is one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from citcert.errors import WorkbookError
from citcert.standards.identity import RequirementId
from citcert.workbook import layout as L
from citcert.workbook.container import file_error, read_checked
from citcert.workbook.evidence import (
    EARLIER_SHEET,
    TRACKER_KIND,
    TRACKER_SHEET,
    CellRef,
    EarlierStep,
    StepStatus,
    TrackedStep,
    Tracker,
    TrackerMeta,
)
from citcert.workbook.ratings import Invalid, is_blank, parse_date, parse_number, parse_text
from citcert.workbook.sheets import Book, Findings, Table, find_table
from citcert.workbook.snapshot import snapshot

PLAN_SHEET = "Remediation plan"
META_SHEET = TRACKER_SHEET
PLAN_COLUMNS: tuple[L.Column, ...] = (
    L.Column("order", "Step", 6, required=True, subject="step"),
    L.Column("requirement_id", "Requirement", 12, required=True, subject="requirement"),
    L.Column("title", "Title", 36, subject="title"),
    L.Column("owner", "Owner", 24, subject="owner"),
    L.Column("target_date", "Target date", 12, required=True, subject="target date"),
    L.Column("score_gain", "Overall points gained", 10, subject="points gained"),
    L.Column("lifts", "Alone lifts decision to", 20, subject="lifts decision to"),
    L.Column("status", "Status", 14, editable=True, required=True, subject="status"),
    L.Column("notes", "Notes", 40, editable=True, subject="notes"),
    L.Column("completed_on", "Completed on", 14, editable=True, subject="completed on"),
)
"""The plan columns the reader uses, found by header wherever a person moved them."""
EARLIER_COLUMNS: tuple[L.Column, ...] = (
    L.Column("order", "Step", 6, subject="step"),
    L.Column("requirement_id", "Requirement", 12, required=True, subject="requirement"),
    L.Column("title", "Title", 36, subject="title"),
    L.Column("owner", "Owner", 24, subject="owner"),
    L.Column("target_date", "Target date", 12, subject="target date"),
    L.Column("status", "Status", 14, editable=True, required=True, subject="status"),
    L.Column("notes", "Notes", 40, editable=True, subject="notes"),
    L.Column("completed_on", "Completed on", 14, editable=True, subject="completed on"),
    L.Column("planned_on", "In the plan of the audit as of", 14, subject="planned on"),
)
"""The Earlier steps sheet's columns (the writer's headers), found by header as the plan's are;
a tracker written before Owner and Target date were kept there reads without them."""


_STATUS_WORDS = {
    "": StepStatus.NOT_STARTED,
    "not started": StepStatus.NOT_STARTED,
    "to do": StepStatus.NOT_STARTED,
    "todo": StepStatus.NOT_STARTED,
    "open": StepStatus.NOT_STARTED,
    "in progress": StepStatus.IN_PROGRESS,
    "started": StepStatus.IN_PROGRESS,
    "ongoing": StepStatus.IN_PROGRESS,
    "wip": StepStatus.IN_PROGRESS,
    "done": StepStatus.DONE,
    "complete": StepStatus.DONE,
    "completed": StepStatus.DONE,
    "finished": StepStatus.DONE,
}


def read_tracker(path: Path, *, today: dt.date) -> Tracker:
    """The tracker at `path`; `WorkbookError` with every problem at its cell otherwise."""
    data = read_checked(path)
    book = Book(
        name=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        sheets=snapshot(data, path.name, (PLAN_SHEET, META_SHEET, EARLIER_SHEET)),
    )
    meta, cells = _metadata(book)
    findings = Findings(book.name)
    table = find_table(book, PLAN_SHEET, PLAN_COLUMNS, findings)
    steps = _steps(table, today, findings) if table else []
    earlier: list[EarlierStep] = []
    if EARLIER_SHEET in book.sheets:
        kept = find_table(book, EARLIER_SHEET, EARLIER_COLUMNS, findings)
        earlier = _earlier_steps(kept, today, findings) if kept else []
    if findings.errors:
        raise WorkbookError(
            findings.errors,
            headline=f"{book.name} cannot be read as a tracker: "
            f"{len(findings.errors)} problem{'' if len(findings.errors) == 1 else 's'} to fix",
        )
    as_of = parse_date(meta.get(TrackerMeta.AS_OF, ""))
    if isinstance(as_of, Invalid):
        raise file_error(book.name, f"its {META_SHEET} sheet has no valid as_of date")
    return Tracker(
        file_name=book.name,
        program_name=meta.get(TrackerMeta.PROGRAM_NAME, ""),
        standard_ref=meta[TrackerMeta.STANDARD_REF],
        standard_sha256=meta.get(TrackerMeta.STANDARD_SHA256, ""),
        workbook_sha256=meta.get(TrackerMeta.WORKBOOK_SHA256, ""),
        as_of=as_of,
        decision_level=meta.get(TrackerMeta.DECISION, ""),
        steps=tuple(sorted(steps, key=lambda s: s.order)),
        earlier=tuple(earlier),
        meta_cells=cells,
    )


def _metadata(book: Book) -> tuple[dict[str, str], dict[str, CellRef]]:
    """The hidden sheet's values by key, and the cell of each value."""
    rows = book.sheets.get(META_SHEET)
    meta: dict[str, str] = {}
    cells: dict[str, CellRef] = {}
    for number, r in enumerate(rows or (), start=1):
        if len(r) > 1 and r[0].value is not None and r[1].value is not None:
            key = str(r[0].value).strip()
            meta[key] = str(r[1].value).strip()
            cells[key] = CellRef(sheet=META_SHEET, cell=f"B{number}")
    if meta.get(TrackerMeta.KIND) != TRACKER_KIND or not meta.get(TrackerMeta.STANDARD_REF):
        raise file_error(
            book.name,
            f"this is not a citcert remediation tracker: its hidden {META_SHEET} sheet, which "
            "records "
            "the program and the standard, is missing. Use the .xlsx that `citcert audit` wrote",
        )
    return meta, cells


@dataclass(frozen=True, slots=True)
class Owner:
    """Whose tracker it should be: a program and a standard, and that standard's requirements."""

    source: str
    """Where this was learnt, for messages: an audit report's or a workbook's file name."""
    program_name: str | None = None
    standard_ref: str | None = None
    requirement_ids: frozenset[RequirementId] | None = None


def check_owner(tracker: Tracker, owner: Owner) -> None:
    """
    Refuse a tracker of another program or standard, every problem at its cell: the hidden
    sheet's program and standard against `owner`'s, each step's requirement among the
    standard's. Names are compared as people read them (case and spacing aside).
    """
    findings = Findings(tracker.file_name)

    def where(key: str) -> tuple[str, str | None]:
        ref = tracker.meta_cells.get(key)
        return (ref.sheet, ref.cell) if ref else (META_SHEET, None)

    if owner.program_name is not None and not same_program(
        owner.program_name, tracker.program_name
    ):
        findings.error(
            *where(TrackerMeta.PROGRAM_NAME),
            f"this tracker is of {tracker.program_name!r}, but {owner.source} is of "
            f"{owner.program_name!r}: use that program's own tracker",
            "program",
        )
    if owner.standard_ref is not None and owner.standard_ref != tracker.standard_ref:
        findings.error(
            *where(TrackerMeta.STANDARD_REF),
            f"this tracker follows {tracker.standard_ref}, but {owner.source} was audited "
            f"against {owner.standard_ref}: audit again and use the tracker it writes",
            "standard",
        )
    known = owner.requirement_ids
    for step in tracker.steps:
        if known is not None and step.requirement_id not in known:
            cell = step.requirement_cell or step.row
            findings.error(
                cell.sheet,
                cell.cell,
                f"step {step.order} names {step.requirement_id}, which is not a requirement "
                f"of {tracker.standard_ref}: is this row from another standard's tracker?",
                "requirement",
            )
    _refuse(findings, f"{tracker.file_name} is not this program's tracker")


def check_plan(tracker: Tracker, source: str, gains: Mapping[RequirementId, float]) -> None:
    """
    Refuse a tracker that no longer holds the plan of the audit that wrote it, read from
    `source` (`gains`: each plan step's requirement and the points it gains): a step missing, a
    step the plan does not have, or points gained typed over. The caller makes sure `source`
    is that same audit.
    """
    findings = Findings(tracker.file_name)
    held = {step.requirement_id for step in tracker.steps}
    missing = [rid for rid in gains if rid not in held]
    if missing:
        findings.error(
            PLAN_SHEET,
            None,
            f"the plan of {source} has {len(missing)} step{'' if len(missing) == 1 else 's'} "
            f"this tracker does not: {', '.join(missing)}; restore their rows (from the "
            "tracker that audit wrote)",
            "plan",
        )
    for step in tracker.steps:
        expected = gains.get(step.requirement_id)
        if expected is None:
            cell = step.requirement_cell or step.row
            findings.error(
                cell.sheet,
                cell.cell,
                f"step {step.order} names {step.requirement_id}, which has no step in the plan "
                f"of {source}",
                "requirement",
            )
        elif abs(step.score_gain - expected) > 1e-6:
            cell = step.gain_cell or step.row
            findings.error(
                cell.sheet,
                cell.cell,
                f"step {step.order} ({step.requirement_id}) gains {expected:g} overall points "
                f"in {source}, not {step.score_gain:g}: the audit's figure counts",
                "points gained",
            )
    _refuse(findings, f"{tracker.file_name} does not hold the plan of {source}")


def _refuse(findings: Findings, headline: str) -> None:
    """Raise the problems found, if any, under `headline` and their count."""
    if findings.errors:
        count = len(findings.errors)
        raise WorkbookError(
            findings.errors, headline=f"{headline}: {count} problem{'' if count == 1 else 's'}"
        )


def same_program(one: str, other: str) -> bool:
    """True when two program names are the same as people read them (case and spacing aside)."""
    return " ".join(one.casefold().split()) == " ".join(other.casefold().split())


def _steps(table: Table, today: dt.date, findings: Findings) -> list[TrackedStep]:
    steps: list[TrackedStep] = []
    seen: dict[int, str] = {}
    for number, values in table.filled_rows():
        step = _step(table, number, values, today, findings)
        if step is None:
            continue
        if step.order in seen:
            findings.error(
                table.sheet,
                table.cell(number, "order"),
                f"step {step.order} is listed twice (also at {seen[step.order]})",
                "step",
            )
            continue
        seen[step.order] = f"{table.sheet}!{table.cell(number, 'order')}"
        steps.append(step)
    return steps


def _step(
    table: Table, number: int, values: dict[str, object], today: dt.date, findings: Findings
) -> TrackedStep | None:
    problems: list[tuple[str, str]] = []
    order = parse_number(values.get("order"))
    if isinstance(order, Invalid) or order != int(order) or order < 1:
        problems.append(("order", "the step number must be a whole number from 1"))
    texts = {
        k: parse_text(values.get(k)) for k in ("requirement_id", "title", "owner", "lifts", "notes")
    }
    problems += [(k, v.message) for k, v in texts.items() if isinstance(v, Invalid)]
    if texts["requirement_id"] == "":
        problems.append(("requirement_id", "a step needs its requirement id"))
    raw_target = values.get("target_date")
    target = (
        Invalid("a step needs its target date") if is_blank(raw_target) else parse_date(raw_target)
    )
    if isinstance(target, Invalid):
        problems.append(("target_date", target.message))
    status, completed = _typed_progress(values, today, problems)
    gain = _gain(values.get("score_gain"))
    if isinstance(gain, Invalid):
        problems.append(("score_gain", gain.message))
    for key, message in problems:
        findings.error(table.sheet, table.cell(number, key), message, key.replace("_", " "))
    if problems:
        return None
    assert not isinstance(order, Invalid) and isinstance(target, dt.date)
    assert not isinstance(gain, Invalid)
    assert isinstance(status, StepStatus) and not isinstance(completed, Invalid)
    return TrackedStep(
        order=int(order),
        requirement_id=RequirementId(str(texts["requirement_id"]).upper()),
        title=str(texts["title"]),
        owner=str(texts["owner"]),
        target_date=target,
        score_gain=gain,
        lifts_decision_to=str(texts["lifts"]),
        status=status,
        notes=str(texts["notes"]),
        completed_on=completed,
        row=CellRef(sheet=table.sheet, cell=table.cell(number, "order")),
        requirement_cell=CellRef(sheet=table.sheet, cell=table.cell(number, "requirement_id")),
        gain_cell=CellRef(sheet=table.sheet, cell=table.cell(number, "score_gain"))
        if "score_gain" in table.columns
        else None,
    )


def _typed_progress(
    values: Mapping[str, object], today: dt.date, problems: list[tuple[str, str]]
) -> tuple[StepStatus | Invalid, dt.date | Invalid | None]:
    """A row's Status and Completed on, read; each wrong one added to `problems`."""
    status = _status(values.get("status"))
    if isinstance(status, Invalid):
        problems.append(("status", status.message))
    completed = _completed(values.get("completed_on"), today)
    if isinstance(completed, Invalid):
        problems.append(("completed_on", completed.message))
    return status, completed


def _earlier_steps(table: Table, today: dt.date, findings: Findings) -> list[EarlierStep]:
    """The rows of the Earlier steps sheet, in sheet order; each problem at its cell."""
    steps: list[EarlierStep] = []
    for number, values in table.filled_rows():
        problems: list[tuple[str, str]] = []
        raw_order = values.get("order")
        order = None if is_blank(raw_order) else parse_number(raw_order)
        if order is not None and (isinstance(order, Invalid) or order != int(order) or order < 1):
            problems.append(("order", "the step number must be a whole number from 1, or blank"))
        keys = ("requirement_id", "title", "owner", "notes")
        texts = {k: parse_text(values.get(k)) for k in keys}
        problems += [(k, v.message) for k, v in texts.items() if isinstance(v, Invalid)]
        if texts["requirement_id"] == "":
            problems.append(("requirement_id", "a step needs its requirement id"))
        status, completed = _typed_progress(values, today, problems)
        dates = {k: values.get(k) for k in ("target_date", "planned_on")}
        parsed = {k: None if is_blank(v) else parse_date(v) for k, v in dates.items()}
        problems += [(k, v.message) for k, v in parsed.items() if isinstance(v, Invalid)]
        target, planned = parsed["target_date"], parsed["planned_on"]
        for key, message in problems:
            findings.error(table.sheet, table.cell(number, key), message, key.replace("_", " "))
        if problems:
            continue
        assert isinstance(status, StepStatus) and not isinstance(completed, Invalid)
        assert not isinstance(order, Invalid) and not isinstance(planned, Invalid)
        assert not isinstance(target, Invalid)
        steps.append(
            EarlierStep(
                order=None if order is None else int(order),
                requirement_id=RequirementId(str(texts["requirement_id"]).upper()),
                title=str(texts["title"]),
                owner=str(texts["owner"]),
                target_date=target,
                status=status,
                notes=str(texts["notes"]),
                completed_on=completed,
                planned_on=planned,
            )
        )
    return steps


def _gain(raw: object) -> float | Invalid:
    """The overall points a step alone gains, as the audit wrote them: 0 to 100 (blank is 0)."""
    if is_blank(raw):
        return 0.0
    gain = parse_number(raw)
    if isinstance(gain, float) and not 0 <= gain <= 100:
        return Invalid(f"{gain:g} is not a number of overall points from 0 to 100")
    return gain


def _completed(raw: object, today: dt.date) -> dt.date | Invalid | None:
    """The completion date a person typed, if any; none may lie after today."""
    if is_blank(raw):
        return None
    date = parse_date(raw)
    if isinstance(date, dt.date) and date > today:
        return Invalid(f"{date.isoformat()} is after today")
    return date


def _status(raw: object) -> StepStatus | Invalid:
    text = "" if is_blank(raw) else " ".join(str(raw).replace("-", " ").split()).casefold()
    status = _STATUS_WORDS.get(text)
    if status is None:
        return Invalid(f'"{raw}" is not a status; use Not started, In progress or Done')
    return status
