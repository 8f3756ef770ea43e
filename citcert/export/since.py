"""
"Progress since the last review", laid out once for every writer: the sections a report adds
when it was made with ``citcert audit NEW --since OLD``.

The facts are the assessment's `since` (a `Comparison` worked out by `citcert.audit.compare`,
the same one ``citcert compare`` shows); here they become `Section`s, the unit the terminal,
Markdown, PDF, XLSX and HTML writers already lay out for a review, so every format says the
same things in the same order: the decision and scores then and now with the trend per domain,
the gaps closed, the gaps opened, the plan steps completed, and, across standard versions, the
requirement ids matched through the newer standard's ``replaces:`` lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from citcert.export.review import Section, SheetCell, change, count, score
from citcert.export.wording import plural

if TYPE_CHECKING:
    from citcert.audit.assessment import Assessment
    from citcert.audit.compare_model import Comparison, RequirementChange, ScoreChange

TITLE = "Progress since the last review"
"""The heading of the first section, and what the other sections' titles continue."""

_DIRECTION = {"up": "better", "down": "worse", "same": "unchanged"}

SHEET_NAMES = {
    "since": "Since last review",
    "since_closed": "Gaps closed",
    "since_opened": "Gaps opened",
    "since_steps": "Steps completed",
    "since_ids": "Ids matched",
}
"""Each section's sheet name in the XLSX tracker (at most 31 characters)."""


def since_sections(a: Assessment) -> list[Section]:
    """The sections of ``--since``, or none when the audit was made without it."""
    c = a.since
    if c is None:
        return []
    sections = [_overview(c)]
    if c.gaps_closed:
        sections.append(
            _changes("since_closed", "Gaps closed since the last review", c.gaps_closed)
        )
    if c.gaps_opened:
        sections.append(
            _changes("since_opened", "Gaps opened since the last review", c.gaps_opened)
        )
    if c.steps_completed:
        steps = tuple(
            (count(s.order), f"{s.requirement_id} {s.title}", " ".join(s.actions), s.owner)
            for s in c.steps_completed
        )
        sections.append(
            Section(
                "since_steps",
                f"Plan steps completed since the last review ({len(c.steps_completed)})",
                ("Steps of the previous plan whose gap is now closed:",),
                ("Step", "Requirement", "Actions", "Owner"),
                steps,
                (0.6, 2.4, 3.6, 1.6),
            )
        )
    if c.id_changes or c.removed_requirements:
        sections.append(_ids(c))
    return sections


def _overview(c: Comparison) -> Section:
    """The headline, the decision then and now, the counts, and the scores with their trend."""
    remain = "remains" if c.gaps_remaining == 1 else "remain"
    lines = [
        f"The previous audit (OLD) was as of {c.old_date.isoformat()} against {c.old_standard}; "
        f"this one (NEW) is as of {c.new_date.isoformat()} against {c.new_standard}.",
        c.headline,
        f"Decision {_DIRECTION[c.decision_change]}; {plural(c.gaps_remaining, 'gap')} {remain}.",
        *(f"Warning: {w}" for w in c.warnings),
    ]
    if c.standards_note and c.standards_note not in c.warnings:
        lines.append(c.standards_note)
    cells = tuple(_score_row(s) for s in (c.overall, *c.domains))
    return Section(
        "since",
        TITLE,
        tuple(lines),
        ("Score", "Then", "Now", "Change", "Trend"),
        cells,
        (3.2, 1, 1, 1.4, 1.4),
    )


def _score_row(s: ScoreChange) -> tuple[SheetCell, ...]:
    return (s.title, score(s.old), score(s.new), change(s.change), _trend(s))


def _trend(s: ScoreChange) -> str:
    """The direction of a score in words (not by colour or arrow alone)."""
    if s.old is None and s.new is None:
        return "not scored"
    if s.old is None:
        return "new"
    if s.new is None:
        return "no longer scored"
    if s.change is None or not s.change:
        return "unchanged"
    return "improved" if s.change > 0 else "declined"


def _changes(key: str, title: str, changes: tuple[RequirementChange, ...]) -> Section:
    return Section(
        key,
        f"{title} ({len(changes)})",
        (),
        ("ID", "Requirement", "Then", "Now"),
        tuple(
            (_id(r), f"{r.title} (core)" if r.core else r.title, r.old_label, r.new_label)
            for r in changes
        ),
        (1.2, 3.2, 1.6, 1.6),
    )


def _id(r: RequirementChange) -> str:
    """The id in NEW's standard, with its id(s) in OLD's when they differ."""
    if r.old_ids and r.old_ids != (r.requirement_id,):
        return f"{r.requirement_id} (was {', '.join(r.old_ids)})"
    return r.requirement_id


def _ids(c: Comparison) -> Section:
    lines = (
        (f"No longer in the standard: {', '.join(c.removed_requirements)}.",)
        if c.removed_requirements
        else ()
    )
    return Section(
        "since_ids",
        "Requirement ids matched across standard versions",
        lines,
        ("Then", "Now") if c.id_changes else (),
        tuple((", ".join(i.old_ids), ", ".join(i.new_ids)) for i in c.id_changes),
    )
