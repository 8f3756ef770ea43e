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
from citcert.workbook.tracker import Owner, check_owner, read_tracker


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
    tracker = read_tracker(path, today=today)
    choice = choice or StandardChoice()
    check_owner(tracker, _owner(tracker, choice, audit))
    return progress(tracker, as_of or today)


def _owner(tracker: Tracker, choice: StandardChoice, audit: Path | None) -> Owner:
    if audit is not None:
        from citcert.app.reports import load_audit

        assessment, _ = load_audit(audit, choice.named)
        return Owner(
            source=audit.name,
            program_name=assessment.profile.program_name,
            standard_ref=assessment.provenance.standard_ref,
            requirement_ids=frozenset(r.requirement_id for r in assessment.results),
        )
    try:
        standard = choice.named(tracker.standard_ref)
    except StandardNotFoundError:
        return Owner(source=tracker.standard_ref)
    ids = frozenset(req.id for _, req in standard.requirements())
    return Owner(source=tracker.standard_ref, requirement_ids=ids)
