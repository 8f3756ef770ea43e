"""
The state's calendar of reviews, and what changed since the previous roll-up. Pure.

Decisions taken here, and why:

- **Due and overdue** are counted from one day, the roll-up's as-of day (``batch --as-of``,
  else the day of the run, which the caller passes in: no clock here). A review is overdue when
  its date is before that day, or when the decision's validity has already ended; it is due
  when its date falls within `DUE_WITHIN_DAYS` from that day, that day included. A program whose
  standard sets no next review is not on the calendar.
- **Programs are matched across roll-ups by their name** as people read it (case and spacing
  aside), because a state's workbooks are usually renamed each round (``county-2025.xlsx`` →
  ``county-2026.xlsx``); two workbooks of one name are told apart by their file.
- **A change of decision is up or down by the level's rank** in this roll-up's levels (best
  first); a level this roll-up does not know makes the change ``changed``, not a guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from citcert._words import plain_name, plural
from citcert.audit.counting import Latest, program_key, recency
from citcert.audit.rollup import (
    AuditedRow,
    DecisionCount,
    DecisionTrend,
    DueReview,
    ProgramChange,
    RollupChange,
    standard_id,
)
from citcert.standards.model import LevelId
from citcert.workbook.evidence import Mode

DUE_WITHIN_DAYS = 90
"""A review due within this many days of the as-of day is listed as due."""


def due_reviews(
    rows: Iterable[AuditedRow], as_of: dt.date, within: int = DUE_WITHIN_DAYS
) -> tuple[DueReview, ...]:
    """The programs whose review is overdue or due within `within` days, soonest first."""
    horizon = as_of + dt.timedelta(days=within)
    due = []
    for row in rows:
        when = row.next_review_due
        if when is None:
            continue
        expired = row.valid_until is not None and row.valid_until < as_of
        overdue = when < as_of or expired
        if overdue or when <= horizon:
            due.append(
                DueReview(
                    file=row.file,
                    program=row.program,
                    next_review_due=when,
                    valid_until=row.valid_until,
                    overdue=overdue,
                    days=(when - as_of).days,
                    reports=row.reports,
                )
            )
    return tuple(sorted(due, key=lambda d: (d.next_review_due, d.program, d.file)))


def calendar_sentence(due: Sequence[DueReview], as_of: dt.date, within: int) -> str:
    """``As of 2026-12-01: 2 reviews overdue; 3 due within 90 days.``"""
    overdue = sum(d.overdue for d in due)
    return (
        f"As of {as_of.isoformat()}: {plural(overdue, 'review', none=True)} overdue; "
        f"{len(due) - overdue} due within {within} days."
    )


@dataclass(frozen=True, slots=True)
class PreviousRow:
    """An assessment the previous roll-up counted (only what the change needs)."""

    file: str
    program: str
    decision_id: LevelId
    decision: str
    overall_score: float | None
    jurisdiction: str = ""
    assessment_date: dt.date | None = None
    mode: Mode | None = None
    standard: str = ""
    """The ``id@version`` it was audited against ('' when the roll-up did not say)."""


@dataclass(frozen=True, slots=True)
class PreviousRollup:
    """The previous roll-up, as far as the change needs it: its audited rows and levels."""

    rows: tuple[PreviousRow, ...]
    """The rows it counted, in its order. A roll-up written before a program was counted once
    (schema 2.0, 2.1) counted every row: `counted_before` counts its programs again."""
    levels: tuple[tuple[str, LevelId, str], ...]
    """(standard id, level id, label) of each decision level it counted programs in, in its
    order; the standard id is '' in a roll-up written before standards were tallied apart."""
    latest_assessment: dt.date | None


def rollup_change(
    previous: PreviousRollup, rows: Sequence[AuditedRow], decisions: Sequence[DecisionCount]
) -> RollupChange:
    """
    Each program's change since `previous`, and the programs per decision level then and now;
    `rows` are the rows this roll-up counts.
    """
    before = counted_before(previous, {row.file for row in rows})
    ranks = {(d.standard_id, d.decision_id): i for i, d in enumerate(decisions)}
    matched = _match(before, rows)
    changes = [_change(matched.get(i), row, ranks) for i, row in enumerate(rows)]
    taken = {id(old) for old in matched.values()}
    changes += [_gone(old) for old in before if id(old) not in taken]
    return RollupChange(
        previous_latest_assessment=previous.latest_assessment,
        programs=tuple(changes),
        decisions=_trend(previous.levels, before, decisions),
        sentence=_sentence(changes),
    )


def counted_before(previous: PreviousRollup, files_now: Iterable[str]) -> list[PreviousRow]:
    """
    The previous roll-up's rows, one per program (`citcert.audit.counting`), in its order.

    Its rows are one per program already when it counted so; an older roll-up's may hold a
    program twice, and of a self-assessment and a review of one day that did not record which
    was which, the one whose file this roll-up counts (`files_now`) is kept before the one later
    in the file: the comparison is then of the same workbook, round after round.
    """
    now = set(files_now)
    latest: Latest[PreviousRow] = Latest()
    for order, old in enumerate(previous.rows):
        rank = recency(old.assessment_date, old.mode, order, preferred=old.file in now)
        latest.offer(program_key(old.program, old.jurisdiction), rank, old)
    kept = {id(old) for old in latest}
    return [old for old in previous.rows if id(old) in kept]


def _match(before: Sequence[PreviousRow], rows: Sequence[AuditedRow]) -> dict[int, PreviousRow]:
    """
    Each row's previous row, by the index of the row: the same program name (as people read it)
    and file first; then the same name where one row of it is left on each side (a renamed file).
    """
    found: dict[int, PreviousRow] = {}
    exact = {(plain_name(old.program), old.file): old for old in before}
    for i, row in enumerate(rows):
        old = exact.get((plain_name(row.program), row.file))
        if old is not None:
            found[i] = old
    taken = {id(old) for old in found.values()}
    left_old: dict[str, list[PreviousRow]] = {}
    for old in before:
        if id(old) not in taken:
            left_old.setdefault(plain_name(old.program), []).append(old)
    left_new: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if i not in found:
            left_new.setdefault(plain_name(row.program), []).append(i)
    for name, indexes in left_new.items():
        olds = left_old.get(name, [])
        if len(indexes) == 1 and len(olds) == 1:
            found[indexes[0]] = olds[0]
    return found


def _change(
    old: PreviousRow | None, new: AuditedRow, ranks: dict[tuple[str, LevelId], int]
) -> ProgramChange:
    """
    The program's change. Up or down is by the levels' rank in their standard; a decision of
    another standard than last time (a program that moved from one to another) is ``changed``:
    the two standards' levels have no order between them, and their scores no difference
    worth a number (none is given).
    """
    direction: Literal["up", "down", "same", "new", "changed"]
    new_key = (new.standard_id, new.decision_id)
    moved = old is not None and _level_of(old, new)[0] != new_key[0]
    if old is None:
        direction = "new"
    elif moved:
        direction = "changed"
    elif (old_key := _level_of(old, new)) not in ranks or new_key not in ranks:
        direction = "same" if old.decision == new.decision else "changed"
    else:
        rank_old, rank_new = ranks[old_key], ranks[new_key]
        direction = "same" if rank_old == rank_new else "up" if rank_new < rank_old else "down"
    old_score = old.overall_score if old else None
    change = None
    if old_score is not None and new.overall_score is not None and not moved:
        change = round(new.overall_score - old_score, 1)
    return ProgramChange(
        program=new.program,
        file=new.file,
        old_decision=old.decision if old else None,
        new_decision=new.decision,
        old_score=old_score,
        new_score=new.overall_score,
        change=change,
        direction=direction,
    )


def _level_of(old: PreviousRow, new: AuditedRow) -> tuple[str, LevelId]:
    """(standard id, level id) of the old decision; of `new`'s standard when it was not said."""
    return (standard_id(old.standard) if old.standard else new.standard_id), old.decision_id


def _gone(old: PreviousRow) -> ProgramChange:
    return ProgramChange(
        program=old.program,
        file=old.file,
        old_decision=old.decision,
        new_decision=None,
        old_score=old.overall_score,
        new_score=None,
        change=None,
        direction="gone",
    )


def _trend(
    levels: Sequence[tuple[str, LevelId, str]],
    before: Sequence[PreviousRow],
    decisions: Sequence[DecisionCount],
) -> tuple[DecisionTrend, ...]:
    """
    Every level of this roll-up with its counts then and now, then the levels only the previous
    one had. A level then is the same level by its standard, id and label, else (a label
    reworded between versions of a standard) by its standard and id; a level then that is
    neither stays listed. Each standard's levels are its own: two standards' levels of one id
    and label are two levels.
    """
    then = _then(levels, before)
    now = {(d.standard_id, d.decision_id, d.label) for d in decisions}
    used: set[_Level] = set()
    trend = []
    for d in decisions:
        key = (d.standard_id, d.decision_id, d.label)
        same = [key] if key in then else [
            level
            for level in then
            if level[0] in (d.standard_id, "") and level[1] == d.decision_id
            and level not in now | used
        ]  # fmt: skip
        used.update(same)
        trend.append(
            DecisionTrend(
                standard_id=d.standard_id,
                decision_id=d.decision_id,
                label=d.label,
                then=sum(then[level] for level in same),
                now=d.programs,
            )
        )
    trend += [
        DecisionTrend(standard_id=level[0], decision_id=level[1], label=level[2], then=n, now=0)
        for level, n in then.items()
        if level not in now | used
    ]
    return tuple(trend)


_Level = tuple[str, LevelId, str]
"""A decision level: its standard's id, its own id and its label."""


def _then(levels: Sequence[_Level], before: Sequence[PreviousRow]) -> dict[_Level, int]:
    """
    The programs of each previous level, counted from its rows. A level of a roll-up that did
    not say its standard ('') takes the standard of the rows that reached it.
    """
    keys = [(standard_id(old.standard) if old.standard else "", old.decision_id, old.decision)
            for old in before]  # fmt: skip
    then: dict[_Level, int] = {}
    for level in levels:
        sids = {k[0] for k in keys if k[1:] == level[1:]} if level[0] == "" else set()
        for sid in sorted(sids) or [level[0]]:
            then.setdefault((sid, level[1], level[2]), 0)
    for key in keys:
        if key not in then and ("", *key[1:]) in then:
            key = ("", key[1], key[2])
        then[key] = then.get(key, 0) + 1
    return then


def _sentence(changes: Sequence[ProgramChange]) -> str:
    """``Since the previous roll-up: 4 programs up, 1 down, 20 the same; 2 new, 1 gone.``"""
    count = {k: sum(c.direction == k for c in changes) for k in ("up", "down", "same")}
    new = sum(c.direction == "new" for c in changes)
    gone = sum(c.direction == "gone" for c in changes)
    changed = sum(c.direction == "changed" for c in changes)
    text = (
        f"Since the previous roll-up: {plural(count['up'], 'program')} moved up a decision "
        f"level, {count['down']} down, {count['same']} the same"
    )
    text += f", {changed} changed to a level of another standard or version" if changed else ""
    return f"{text}; {new} new, {gone} no longer in the batch."
