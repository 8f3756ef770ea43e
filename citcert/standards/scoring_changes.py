"""
How two scoring policies differ: the rating scale, the scoring methods, how unsupported claims
and old evidence are treated, the exception policy, the decision levels with their conditions,
and the note on citcert's proposals: every field of the policy (a test holds this list to the
model, so a field added to the format is compared too).

Levels of the scale and decision levels are matched by id; a change in their order is reported
once, then each level present on both sides is compared part by part. More credit for a level,
an unsupported claim scored as a level that earns more (`strictness.unsupported_claim`) or
older evidence accepted loosens; so does allowing more exceptions, or longer ones
(`strictness.exception_term`, as an overlay's exception terms are judged); a decision condition
tightens in the direction `STRICTER_WHEN` gives it, more points for a scale level loosens as more
credit does, and a decision level's validity or the time
to its next review or interim report loosens when it is longer (`strictness.term`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from citcert.standards import strictness
from citcert.standards.checks import STRICTER_WHEN
from citcert.standards.model import ChangeKind, ExceptionPolicy, ScoringPolicy, Validity
from citcert.standards.requirement_changes import (
    Comparison,
    FieldChange,
    judged,
    ordered,
    plain,
)


def scoring_changes(old: ScoringPolicy, new: ScoringPolicy) -> Iterator[FieldChange]:
    """Differences in the scoring policy: scale, methods, claims, ages, exceptions, levels."""
    yield from _levels("scale", old.scale.levels, new.scale.levels, _scale_level)
    yield from plain(
        "scale.not_applicable_label", old.scale.not_applicable_label, new.scale.not_applicable_label
    )
    yield from plain(
        "scale.not_applicable_aliases",
        old.scale.not_applicable_aliases,
        new.scale.not_applicable_aliases,
    )
    yield from plain("overall", old.overall, new.overall)
    yield from plain(
        "include_core_in_scores", old.include_core_in_scores, new.include_core_in_scores
    )
    yield from _claim(old, new)
    yield from ordered(-1)(
        "evidence_max_age_days", old.evidence_max_age_days, new.evidence_max_age_days
    )
    yield from _exceptions("exceptions", old.exceptions, new.exceptions)
    yield from _levels("decision_levels", old.decision_levels, new.decision_levels, _decision_level)
    yield from plain("proposal_note", old.proposal_note, new.proposal_note)


def _levels(
    name: str,
    old: tuple[Any, ...],
    new: tuple[Any, ...],
    compare: Comparison,
) -> Iterator[FieldChange]:
    before = {level.id: level for level in old}
    after = {level.id: level for level in new}
    if list(before) != list(after):
        yield FieldChange(
            field=f"{name}.order", old=list(before), new=list(after), kind=ChangeKind.CHANGED
        )
    for level_id in after:
        if level_id in before:
            yield from compare(f"{name}.{level_id}", before[level_id], after[level_id])


def _claim(old: ScoringPolicy, new: ScoringPolicy) -> Iterator[FieldChange]:
    """The level an unsupported claim is scored as, judged by that level on each side's scale."""
    old_claim = old.unsupported_claim.treat_as if old.unsupported_claim else None
    new_claim = new.unsupported_claim.treat_as if new.unsupported_claim else None
    if old_claim == new_claim:
        return
    old_level = old.scale.level(old_claim) if old_claim else None
    new_level = new.scale.level(new_claim) if new_claim else None
    kind = strictness.unsupported_claim(old_level, new_level) or ChangeKind.CHANGED
    yield FieldChange(field="unsupported_claim.treat_as", old=old_claim, new=new_claim, kind=kind)


def _exceptions(name: str, old: ExceptionPolicy, new: ExceptionPolicy) -> Iterator[FieldChange]:
    compare = judged(strictness.exception_term)
    for term in strictness.EXCEPTION_TERMS:
        yield from compare(f"{name}.{term}", getattr(old, term), getattr(new, term))
    yield from plain(f"{name}.proposal", old.proposal, new.proposal)


def _scale_level(name: str, old: Any, new: Any) -> Iterator[FieldChange]:
    yield from ordered(-1)(f"{name}.credit", old.credit, new.credit)
    points = ordered(-1) if None not in (old.points, new.points) else plain  # a points scale
    yield from points(f"{name}.points", old.points, new.points)  # begun or ended: a change
    yield from ordered(-1)(f"{name}.meets", old.meets, new.meets)
    yield from plain(f"{name}.label", old.label, new.label)
    yield from plain(f"{name}.description", old.description, new.description)
    yield from plain(f"{name}.aliases", old.aliases, new.aliases)


def _decision_level(name: str, old: Any, new: Any) -> Iterator[FieldChange]:
    for condition, sign in STRICTER_WHEN.items():
        before = getattr(old.conditions, condition)
        after = getattr(new.conditions, condition)
        yield from ordered(sign)(f"{name}.{condition}", before, after)
    yield from plain(f"{name}.label", old.label, new.label)
    yield from plain(f"{name}.description", old.description, new.description)
    yield from plain(f"{name}.colour", old.colour, new.colour)
    yield from _validity(f"{name}.validity", old.validity or Validity(), new.validity or Validity())


def _validity(name: str, old: Validity, new: Validity) -> Iterator[FieldChange]:
    """A level's terms: longer loosens, shorter tightens (`strictness.term`)."""
    yield from judged(strictness.term)(
        f"{name}.valid_for_days", old.valid_for_days, new.valid_for_days
    )
    if old.review_every_days != new.review_every_days:
        kind = strictness.review_interval(old, new) or ChangeKind.CHANGED
        yield FieldChange(
            field=f"{name}.review_every_days",
            old=old.review_every_days,
            new=new.review_every_days,
            kind=kind,
        )
    yield from judged(strictness.term)(
        f"{name}.interim_report_every_days",
        old.interim_report_every_days,
        new.interim_report_every_days,
    )
    yield from plain(f"{name}.proposal", old.proposal, new.proposal)
    yield from plain(f"{name}.basis", old.basis, new.basis)
