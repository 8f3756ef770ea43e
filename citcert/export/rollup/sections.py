"""
The roll-up's calendar of reviews due and its change since the previous roll-up, laid out once
as `Section`s for the XLSX, PDF and HTML roll-ups (the JSON holds the same fields as data).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from citcert.export.review import Section, SheetCell, change, count, date, score, signed
from citcert.export.validity import NO_TERM
from citcert.export.wording import of_standard

if TYPE_CHECKING:
    from citcert.audit.rollup import DueReview, ProgramChange, Rollup

SHEET_NAMES = {
    "calendar": "Reviews due",
    "trend": "Decisions then and now",
    "changes": "Change per program",
}
"""Each section's sheet name in summary.xlsx."""

_DIRECTION = {
    "up": "up a level",
    "down": "down a level",
    "same": "same level",
    "new": "new in this batch",
    "gone": "no longer in the batch",
    "changed": "level of another standard or version",
}


def rollup_sections(r: Rollup) -> list[Section]:
    """The calendar (when the roll-up has an as-of day), then the change since the previous."""
    sections = []
    if r.as_of is not None:
        due = tuple(_due_row(d) for d in r.calendar)
        sections.append(
            Section(
                "calendar",
                "Reviews due",
                (r.calendar_sentence,),
                ("Program", "Next review due", "When", "Valid until", "File"),
                due,
                (3, 1.4, 1.6, 1.4, 2.4),
            )
        )
    if r.since is not None:
        s = r.since
        then = s.previous_latest_assessment
        lines = (s.sentence, f"The previous roll-up's newest assessment: {then or 'none'}.")
        mixed = r.mixed or len({t.standard_id for t in s.decisions if t.standard_id}) > 1
        trend = tuple(
            (
                of_standard(t.label, t.standard_id, mixed=mixed and bool(t.standard_id)),
                count(t.then),
                count(t.now),
                signed(t.now - t.then),
            )
            for t in s.decisions
        )
        changes = tuple(_change_row(c) for c in s.programs)
        sections.append(
            Section(
                "trend",
                "Decisions then and now",
                lines,
                ("Decision", "Programs then", "Programs now", "Change"),
                trend,
                (3, 1.2, 1.2, 1),
            )
        )
        sections.append(
            Section(
                "changes",
                "Change per program since the previous roll-up",
                (),
                (
                    "Program",
                    "Decision then",
                    "Decision now",
                    "Overall then",
                    "Overall now",
                    "Change",
                    "Direction",
                ),
                changes,
                (2.6, 1.8, 1.8, 1, 1, 1.1, 1.4),
            )
        )
    return sections


def _due_row(d: DueReview) -> tuple[SheetCell, ...]:
    if d.overdue and d.days < 0:
        when = f"overdue by {-d.days} days"
    elif d.overdue:
        when = "overdue: validity ended"
    else:
        when = "today" if d.days == 0 else f"in {d.days} days"
    valid = date(d.valid_until, NO_TERM)
    return (d.program, date(d.next_review_due), when, valid, d.file)


def _change_row(c: ProgramChange) -> tuple[SheetCell, ...]:
    return (
        f"{c.program} · {c.file}",
        c.old_decision or "—",
        c.new_decision or "—",
        score(c.old_score),
        score(c.new_score),
        change(c.change),
        _DIRECTION[c.direction],
    )
