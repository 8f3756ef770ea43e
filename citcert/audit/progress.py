"""
Progress on a remediation plan, as of a day: pure computation over a tracker read back.

A step is done, in progress or not started as the program's Status says, except that a step
completed after the as-of date was not done yet on that day: it counts as in progress then. A
step not done whose target date is before the as-of date is overdue (due on its target day).
What the done steps should lift once evidenced is the sum of the points each step alone gains,
which the audit that wrote the tracker computed; it is an estimate, because gains overlap, and
the next audit is what counts. No file, no clock: the as-of date is the caller's.

When a re-audit replaces a tracker, `keep_progress` says what of the progress typed in it goes
into the new one: each plan step's status, notes and completion date by its requirement, its
owner and target date where the program typed over what the audit wrote, and the steps the new
plan no longer has (typically their gap closed) as earlier steps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from citcert._words import plural
from citcert.standards.model import Model, RequirementId
from citcert.workbook.evidence import EarlierStep, StepStatus, TrackedStep, Tracker

if TYPE_CHECKING:
    from citcert.audit.assessment import PlanStep, RemediationPlan
    from citcert.standards.model import Standard


class ProgressStep(Model):
    """One plan step and where it stands on the as-of date."""

    order: int
    requirement_id: RequirementId
    title: str
    owner: str
    target_date: dt.date
    status: StepStatus
    overdue: bool
    days_overdue: int
    """Days past the target date (0 when not overdue)."""
    completed_on: dt.date | None
    notes: str
    cell: str


class Progress(Model):
    """A tracker's state as of a day: counts, each step, and what the done steps should lift."""

    program_name: str
    standard_ref: str
    tracker_file: str
    audited_on: dt.date
    """The as-of date of the audit that wrote the tracker."""
    as_of: dt.date
    steps: tuple[ProgressStep, ...]
    done: int
    in_progress: int
    not_started: int
    overdue: int
    points_once_evidenced: float
    """Overall points the done steps should add once the next audit sees their evidence."""
    lifts_to: tuple[str, ...]
    """Decision levels that a done step alone would reach, once evidenced."""
    sentence: str


def progress(tracker: Tracker, as_of: dt.date) -> Progress:
    """Where the tracker's plan stands on `as_of`."""
    steps = tuple(_step(s, as_of) for s in tracker.steps)
    done = [s for s in tracker.steps if _status(s, as_of) is StepStatus.DONE]
    later = sum(1 for s in tracker.steps if _status(s, as_of) is not s.status)
    counts = {status: sum(1 for s in steps if s.status is status) for status in StepStatus}
    overdue = sum(1 for s in steps if s.overdue)
    points = round(sum(s.score_gain for s in done), 1)
    lifts = tuple(dict.fromkeys(s.lifts_decision_to for s in done if s.lifts_decision_to))
    return Progress(
        program_name=tracker.program_name,
        standard_ref=tracker.standard_ref,
        tracker_file=tracker.file_name,
        audited_on=tracker.as_of,
        as_of=as_of,
        steps=steps,
        done=counts[StepStatus.DONE],
        in_progress=counts[StepStatus.IN_PROGRESS],
        not_started=counts[StepStatus.NOT_STARTED],
        overdue=overdue,
        points_once_evidenced=points,
        lifts_to=lifts,
        sentence=_sentence(len(steps), counts, overdue, points, lifts, as_of, later),
    )


def _status(s: TrackedStep, as_of: dt.date) -> StepStatus:
    """The step's status on `as_of`: a step completed after that day was still in progress."""
    if s.status is StepStatus.DONE and s.completed_on is not None and s.completed_on > as_of:
        return StepStatus.IN_PROGRESS
    return s.status


def _step(s: TrackedStep, as_of: dt.date) -> ProgressStep:
    status = _status(s, as_of)
    late = status is not StepStatus.DONE and s.target_date < as_of
    return ProgressStep(
        order=s.order,
        requirement_id=s.requirement_id,
        title=s.title,
        owner=s.owner,
        target_date=s.target_date,
        status=status,
        overdue=late,
        days_overdue=(as_of - s.target_date).days if late else 0,
        completed_on=s.completed_on,
        notes=s.notes,
        cell=str(s.row),
    )


def _sentence(
    total: int,
    counts: dict[StepStatus, int],
    overdue: int,
    points: float,
    lifts: tuple[str, ...],
    as_of: dt.date,
    later: int,
) -> str:
    text = (
        f"As of {as_of.isoformat()}: {counts[StepStatus.DONE]} of {plural(total, 'step')} done, "
        f"{counts[StepStatus.IN_PROGRESS]} in progress, {counts[StepStatus.NOT_STARTED]} not "
        f"started; {plural(overdue, 'step', none=True)} overdue."
    )
    if later:
        text += (
            f" {plural(later, 'step')} completed after that day "
            f"{'counts' if later == 1 else 'count'} as in progress."
        )
    if counts[StepStatus.DONE]:
        text += f" Once evidenced, the done steps should add about {points:g} overall points"
        text += f" and could lift the decision to {lifts[0]}." if lifts else "."
    return text


class TypedProgress(Model):
    """
    What the program typed on one plan step: its status, notes and completion date, and the
    owner and target date when it typed over the ones the audit wrote (None: the new audit's).
    """

    status: StepStatus
    notes: str = ""
    completed_on: dt.date | None = None
    owner: str | None = None
    target_date: dt.date | None = None

    @property
    def retyped(self) -> bool:
        """True when the owner or the target date is the program's own."""
        return self.owner is not None or self.target_date is not None


class KeptProgress(Model):
    """
    The progress typed in the tracker a re-audit replaces, as the new tracker is to hold it.

    The columns the program keeps up to date are carried (Status, Notes, Completed on), and the
    Owner and Target date where it typed over what the audit wrote (a named officer, a date
    agreed with the reviewers); the rest of each step (actions, points, reasons) is the new
    audit's.
    """

    source: str
    """The earlier tracker's file name, for messages."""
    steps: dict[RequirementId, TypedProgress]
    """The new plan's steps the program had typed progress on, by requirement."""
    earlier: tuple[EarlierStep, ...]
    """Steps the new plan does not have: the earlier tracker's own, then those it leaves now."""
    left_now: int
    """How many of `earlier` leave the plan with this audit (the others left before)."""
    unmatched: int = 0
    """Of those, how many are of a requirement of the tracker's standard that no one
    requirement of the new one continues (merged, split or dropped between versions)."""
    standard_ref: str = ""
    """The standard the earlier tracker followed, when it is another than the new one's."""
    owners_judged: bool = True
    """False when the standard the tracker was written from could not be had as it was, so
    which owners and target dates were typed over cannot be told (the new audit's are used)."""
    noted: tuple[RequirementId, ...] = ()
    """When not `owners_judged`: the new plan's steps whose Notes now hold the earlier
    tracker's owner or target date, as they differ from this audit's standard's, in id order."""

    @property
    def retyped(self) -> tuple[RequirementId, ...]:
        """The new plan's steps whose owner or target date is the program's own, in id order."""
        return tuple(sorted(rid for rid, typed in self.steps.items() if typed.retyped))


def typed(step: TrackedStep | EarlierStep) -> bool:
    """True when the program typed anything on the step: a status, a note, a completion date."""
    return bool(
        step.status is not StepStatus.NOT_STARTED or step.notes.strip() or step.completed_on
    )


def has_progress(tracker: Tracker, written_by: Standard | None = None) -> bool:
    """
    True when anything typed in `tracker` would be lost with it: progress, an earlier step, or
    (when `written_by`, the standard it was written from, is known) an owner or target date
    typed over.
    """
    if any(typed(s) for s in tracker.steps) or tracker.earlier:
        return True
    if written_by is None:
        return False
    return any(retyped(s, tracker.as_of, written_by) != (None, None) for s in tracker.steps)


def keep_progress(
    tracker: Tracker,
    plan: RemediationPlan,
    continues: Mapping[RequirementId, RequirementId] | None = None,
    written_by: Standard | None = None,
) -> KeptProgress:
    """
    The progress typed in `tracker` for the tracker of `plan`, losing none of it.

    A step is matched by its requirement (the plan has one step per requirement's gap); when
    the tracker followed another version of the standard, through `continues` (each old
    requirement id that one new requirement continues alone: a merged or split requirement's
    progress has no one step to go to). A typed step whose requirement the plan no longer has
    becomes an earlier step, as does a second typed row of one requirement; the earlier
    tracker's own earlier steps stay, first and as they were, also when their requirement is
    back in the plan (a gap opened again starts afresh: what was typed then is kept beside
    it, not made its status).

    `written_by` is the standard the tracker was written from: a step's owner or target date
    that is not what its remediation gave (the owner; the tracker's as-of date plus the
    horizon) was typed over, and is kept on the new step. Without it (the standard cannot be
    had), owners and target dates are the new audit's.
    """
    planned = {s.requirement_id: s for s in plan.steps}
    steps: dict[RequirementId, TypedProgress] = {}
    leaving: list[EarlierStep] = []
    unmatched = 0
    noted: tuple[RequirementId, ...] = ()
    for step in tracker.steps:
        now = step.requirement_id if continues is None else continues.get(step.requirement_id)
        if now is not None and now in planned and now not in steps:
            owner, target = _retyped(step, tracker.as_of, planned[now], written_by)
            notes = step.notes
            if written_by is None:
                notes = _with_earlier_terms(step, tracker.as_of, planned[now])
            if typed(step) or owner is not None or target is not None or notes != step.notes:
                steps[now] = TypedProgress(
                    status=step.status,
                    notes=notes,
                    completed_on=step.completed_on,
                    owner=owner,
                    target_date=target,
                )
                noted += (now,) if notes != step.notes else ()
            continue
        if not typed(step):
            continue
        unmatched += now is None
        leaving.append(
            EarlierStep(
                order=step.order,
                requirement_id=step.requirement_id,
                title=step.title,
                owner=step.owner,
                target_date=step.target_date,
                status=step.status,
                notes=step.notes,
                completed_on=step.completed_on,
                planned_on=tracker.as_of,
            )
        )
    return KeptProgress(
        source=tracker.file_name,
        steps=steps,
        earlier=(*tracker.earlier, *leaving),
        left_now=len(leaving),
        unmatched=unmatched,
        standard_ref=tracker.standard_ref if continues is not None else "",
        owners_judged=written_by is not None,
        noted=tuple(sorted(noted)),
    )


def retyped(
    step: TrackedStep, as_of: dt.date, written_by: Standard
) -> tuple[str | None, dt.date | None]:
    """
    The owner and the target date of `step` where the program typed over what the audit as of
    `as_of` wrote from `written_by` (its remediation's owner; `as_of` plus its horizon), each
    None where it did not (or the standard has no such requirement, so it cannot be told).
    """
    try:
        remediation = written_by.requirement(step.requirement_id).remediation
    except KeyError:
        return None, None
    owner = step.owner.strip()
    written = as_of + dt.timedelta(days=remediation.horizon_days)
    return (
        owner if owner and owner != remediation.owner.strip() else None,
        step.target_date if step.target_date != written else None,
    )


def _with_earlier_terms(step: TrackedStep, as_of: dt.date, now: PlanStep) -> str:
    """
    The step's notes, with the earlier tracker's owner and target date added where they are not
    what this audit's standard would have written on its day (``Earlier tracker (as of
    2025-06-01): owner Lt. Okafor; target date 2026-01-15.``): when the standard the tracker was
    written from cannot be had, whether they were typed over cannot be told, so the new step has
    the new audit's, and what the program may have typed stays in sight rather than lost.
    """
    terms = []
    if step.owner.strip() and step.owner.strip() != now.owner.strip():
        terms.append(f"owner {step.owner.strip()}")
    if step.target_date != as_of + dt.timedelta(days=now.horizon_days):
        terms.append(f"target date {step.target_date.isoformat()}")
    if not terms:
        return step.notes
    said = f"Earlier tracker (as of {as_of.isoformat()}): {'; '.join(terms)}."
    if said in step.notes:
        return step.notes
    return f"{step.notes.rstrip()} {said}".lstrip()


def _retyped(
    step: TrackedStep, as_of: dt.date, now: PlanStep, written_by: Standard | None
) -> tuple[str | None, dt.date | None]:
    """`retyped`, less what the new step `now` already holds (nothing to keep there)."""
    if written_by is None:
        return None, None
    owner, target = retyped(step, as_of, written_by)
    return (
        owner if owner != now.owner.strip() else None,
        target if target != now.target_date else None,
    )
