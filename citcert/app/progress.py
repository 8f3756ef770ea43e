"""
`citcert progress`: a remediation tracker read back and its plan's progress as of a day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from citcert.app.workbook import StandardChoice
from citcert.audit.progress import Progress, progress
from citcert.errors import StandardNotFoundError
from citcert.workbook.evidence import Tracker
from citcert.workbook.tracker import Owner, check_owner, check_plan, read_tracker


def tracker_progress(
    path: Path,
    *,
    as_of: dt.date | None,
    today: dt.date,
    choice: StandardChoice | None = None,
    audit: Path | None = None,
) -> Progress:
    """
    The progress of the tracker at `path` on `as_of` (default: today).

    The tracker must be of the program and standard of `audit` (an audit JSON report or the
    program's workbook) when one is given; each step's requirement must be one of the standard
    the tracker names, when `choice`'s store has it. A mismatch is a located error.
    """
    from citcert.app.workbook import check_as_of

    check_as_of(as_of)
    tracker = read_tracker(path, today=today)
    choice = choice or StandardChoice()
    if audit is None:
        check_owner(tracker, _standard_owner(tracker, choice))
    else:
        _check_audit(tracker, audit, choice)
    return progress(tracker, as_of or today)


def _check_audit(tracker: Tracker, audit: Path, choice: StandardChoice) -> None:
    """The tracker is of `audit`'s program and standard; of that very audit, it holds its plan."""
    from citcert.app.reports import load_audit

    assessment, _ = load_audit(audit, choice.named)
    standard_ref = assessment.provenance.standard_ref
    # A step is checked against the tracker's own standard: against another, every
    # requirement that standard lacks would be named as if the tracker's rows were wrong.
    ids = (
        frozenset(r.requirement_id for r in assessment.results)
        if standard_ref == tracker.standard_ref
        else _standard_owner(tracker, choice).requirement_ids
    )
    check_owner(
        tracker,
        Owner(
            source=audit.name,
            program_name=assessment.profile.program_name,
            standard_ref=standard_ref,
            requirement_ids=ids,
        ),
    )
    same = (assessment.provenance.workbook_sha256, assessment.provenance.as_of) == (
        tracker.workbook_sha256,
        tracker.as_of,
    )
    if same:
        gains = {s.requirement_id: s.score_gain for s in assessment.plan.steps}
        check_plan(tracker, audit.name, gains)


def _standard_owner(tracker: Tracker, choice: StandardChoice) -> Owner:
    try:
        standard = choice.named(tracker.standard_ref)
    except StandardNotFoundError:
        return Owner(source=tracker.standard_ref)
    ids = frozenset(req.id for _, req in standard.requirements())
    return Owner(source=tracker.standard_ref, requirement_ids=ids)
