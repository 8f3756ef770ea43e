"""
How two versions of one requirement differ, field by field.

Each field has its own comparison: a plain one for wording, an ordered one where a larger value
is stricter or looser (thresholds), one that rescores (weight; core where core requirements are
not scored), and ones that look inside a metric, the rating
anchors or the remediation guidance so a long value shows only what changed. The single-value
comparisons (`plain`, `ordered`, `judged`) are shared with the scoring policy's comparison.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from enum import Enum
from typing import Any

from pydantic import JsonValue

from citcert.standards import strictness
from citcert.standards.model import ChangeKind, Direction, Model, Requirement, Source


class FieldChange(Model):
    """One field that differs, with both values and whether the change is stricter or looser."""

    field: str
    old: JsonValue
    new: JsonValue
    kind: ChangeKind


Comparison = Callable[[str, Any, Any], Iterator[FieldChange]]
"""Compares the old and new value of the field named by its first argument."""


def requirement_changes(
    old: Requirement, new: Requirement, *, core_scored: bool = True
) -> Iterator[FieldChange]:
    """
    The differences between two versions of one requirement, field by field.

    `core_scored` says whether core requirements count in the scores on both sides
    (``include_core_in_scores``); where they do not, making one core rescores
    (`strictness.core`).
    """
    fields = {**_REQUIREMENT_FIELDS, "core": _core(core_scored)}
    for name, compare in fields.items():
        yield from compare(name, getattr(old, name), getattr(new, name))


def plain(name: str, old: Any, new: Any) -> Iterator[FieldChange]:
    """A change of value that is neither stricter nor looser."""
    if old != new:
        yield FieldChange(field=name, old=_json(old), new=_json(new), kind=ChangeKind.CHANGED)


def judged(classify: Callable[[Any, Any], ChangeKind | None]) -> Comparison:
    """
    A comparison whose kind one of `strictness`'s classifiers gives (`classify(old, new)`);
    a difference it does not call stricter or looser is a plain change.
    """

    def compare(name: str, old: Any, new: Any) -> Iterator[FieldChange]:
        if old == new:
            return
        kind = classify(old, new) or ChangeKind.CHANGED
        yield FieldChange(field=name, old=_json(old), new=_json(new), kind=kind)

    return compare


def ordered(sign: int) -> Comparison:
    """A comparison where a larger value is stricter (sign +1) or looser (sign -1)."""
    return judged(lambda old, new: strictness.ordered(old, new, sign))


def _weight(name: str, old: float, new: float) -> Iterator[FieldChange]:
    """A weight: any change rescores (`strictness.weight`)."""
    kind = strictness.weight(old, new)
    if kind is not None:
        yield FieldChange(field=name, old=old, new=new, kind=kind)


def _core(scored: bool) -> Comparison:
    """The core flag, judged by whether core requirements are scored (`strictness.core`)."""

    def compare(name: str, old: bool, new: bool) -> Iterator[FieldChange]:
        kind = strictness.core(old, new, scored=scored)
        if kind is not None:
            yield FieldChange(field=name, old=old, new=new, kind=kind)

    return compare


def _metric(name: str, old: Any, new: Any) -> Iterator[FieldChange]:
    if old is None or new is None or old.direction != new.direction:
        yield from plain(name, old, new)
        return
    sign = 1 if new.direction is Direction.AT_LEAST else -1
    yield from ordered(sign)(f"{name}.met", old.met, new.met)
    if old.partial is not None and new.partial is not None:
        yield from ordered(sign)(f"{name}.partial", old.partial, new.partial)
    elif (kind := strictness.partial_band(old.partial, new.partial)) is not None:
        yield FieldChange(field=f"{name}.partial", old=old.partial, new=new.partial, kind=kind)
    for part in ("label", "unit", "compute", "inputs", "proposal", "origin"):
        yield from plain(f"{name}.{part}", getattr(old, part), getattr(new, part))


def _anchors(name: str, old: dict[str, str], new: dict[str, str]) -> Iterator[FieldChange]:
    for level in [*old, *(k for k in new if k not in old)]:
        yield from plain(f"{name}.{level}", old.get(level), new.get(level))


def _evidence(name: str, old: tuple[str, ...], new: tuple[str, ...]) -> Iterator[FieldChange]:
    kind = strictness.evidence(old, new)
    if kind is not None:
        yield FieldChange(field=name, old=list(old), new=list(new), kind=kind)


def _parts(name: str, old: Model, new: Model) -> Iterator[FieldChange]:
    """A model compared key by key, so a long value shows only what changed."""
    for part in type(old).model_fields:
        yield from plain(f"{name}.{part}", getattr(old, part), getattr(new, part))


def _sources(name: str, old: tuple[Source, ...], new: tuple[Source, ...]) -> Iterator[FieldChange]:
    """Sources by address: one added, one dropped, or one whose verification changed."""
    before = {s.url: s.verification.value for s in old}
    after = {s.url: s.verification.value for s in new}
    for url in [*before, *(u for u in after if u not in before)]:
        yield from plain(f"source {url}", before.get(url), after.get(url))


def _not_applicable(name: str, old: Any, new: Any) -> Iterator[FieldChange]:
    yield from ordered(-1)(f"{name}.allowed", old.allowed, new.allowed)
    yield from plain(f"{name}.when", old.when, new.when)


_REQUIREMENT_FIELDS: Mapping[str, Comparison] = {
    "title": plain,
    "statement": plain,
    "core": _core(True),
    "core_reason": plain,
    "weight": _weight,
    "metric": _metric,
    "anchors": _anchors,
    "evidence": _evidence,
    "not_applicable": _not_applicable,
    "depends_on": plain,
    "applies_to": plain,
    "remediation": lambda name, old, new: _parts(name, old, new),
    "sources": _sources,
}


def _json(value: Any) -> JsonValue:
    """A value as JSON-ready data (models dumped, enums as their values, tuples as lists)."""
    if isinstance(value, Model):
        dumped: JsonValue = value.model_dump(mode="json")
        return dumped
    if isinstance(value, Enum):
        return _json(value.value)
    if isinstance(value, tuple | list):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
