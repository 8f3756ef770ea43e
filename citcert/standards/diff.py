"""
What changed between two standards: pure `diff(old, new) -> StandardDiff`, and its text.

Requirements with the same id are compared field by field. When one standard supersedes the
other (``supersedes: id@version``), its ``replaces:`` lists map old ids to new ones; one old id
may map to several new ids and several old ids to one new id, and the mapping is reported both
ways. Old ids that nothing maps or keeps are removed; new ids with no old counterpart are added.
When the newer standard is an overlay on the older, the weakenings it declared are listed with
their reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from enum import Enum
from typing import Any

from pydantic import JsonValue

from citcert.standards.checks import STRICTER_WHEN
from citcert.standards.model import (
    ChangeKind,
    Direction,
    Model,
    Requirement,
    ScoringPolicy,
    Standard,
    TailoringChange,
)


class FieldChange(Model):
    """One field that differs, with both values and whether the change is stricter or looser."""

    field: str
    old: JsonValue
    new: JsonValue
    kind: ChangeKind


class RequirementSummary(Model):
    """A requirement named in a diff: id, title, domain and whether it is core."""

    id: str
    title: str
    domain: str
    core: bool


class RequirementChange(Model):
    """A requirement present in both standards (same id) whose fields differ."""

    id: str
    title: str
    changes: tuple[FieldChange, ...]


class IdMapping(Model):
    """One id and the ids it maps to on the other side (through `replaces:`)."""

    id: str
    title: str
    to: tuple[str, ...]


class StandardDiff(Model):
    """Everything that differs between an older and a newer standard."""

    old: str
    new: str
    mapped_by: str | None = None
    """The ``id@version`` whose ``replaces:`` lists map the ids, if one supersedes the other."""
    added: tuple[RequirementSummary, ...] = ()
    removed: tuple[RequirementSummary, ...] = ()
    old_to_new: tuple[IdMapping, ...] = ()
    new_to_old: tuple[IdMapping, ...] = ()
    unknown_replaces: tuple[str, ...] = ()
    """``replaces:`` entries naming ids the older standard does not have."""
    changed: tuple[RequirementChange, ...] = ()
    domains_added: tuple[str, ...] = ()
    domains_removed: tuple[str, ...] = ()
    program_numbers_added: tuple[str, ...] = ()
    program_numbers_removed: tuple[str, ...] = ()
    scoring: tuple[FieldChange, ...] = ()
    weakenings: tuple[TailoringChange, ...] = ()
    """Weakenings the newer standard (an overlay on the older) declared, with their reasons."""

    @property
    def is_empty(self) -> bool:
        """True when the two standards have the same requirements and scoring."""
        parts = (self.added, self.removed, self.old_to_new, self.changed, self.scoring)
        return not any(parts) and not self.domains_added and not self.domains_removed


def diff(old: Standard, new: Standard) -> StandardDiff:
    """Compare `old` with `new`; pure."""
    pairs, unknown, mapped_by = _replacements(old, new)
    old_reqs = {r.id: (d.id, r) for d, r in old.requirements()}
    new_reqs = {r.id: (d.id, r) for d, r in new.requirements()}
    mapped_old = {o for o, _ in pairs}
    mapped_new = {n for _, n in pairs}
    weakenings: tuple[TailoringChange, ...] = ()
    if new.tailoring is not None and new.tailoring.base == old.ref:
        weakenings = new.tailoring.weakenings
    return StandardDiff(
        old=old.ref,
        new=new.ref,
        mapped_by=mapped_by,
        added=tuple(
            _summary(*new_reqs[i]) for i in new_reqs if i not in old_reqs and i not in mapped_new
        ),
        removed=tuple(
            _summary(*old_reqs[i]) for i in old_reqs if i not in new_reqs and i not in mapped_old
        ),
        old_to_new=_mapping(pairs, old_reqs, forward=True),
        new_to_old=_mapping(pairs, new_reqs, forward=False),
        unknown_replaces=tuple(unknown),
        changed=tuple(_changed(old_reqs, new_reqs)),
        domains_added=_difference(new, old),
        domains_removed=_difference(old, new),
        program_numbers_added=_numbers(new, old),
        program_numbers_removed=_numbers(old, new),
        scoring=tuple(_scoring(old.scoring, new.scoring)),
        weakenings=weakenings,
    )


def _replacements(
    old: Standard, new: Standard
) -> tuple[list[tuple[str, str]], list[str], str | None]:
    """(old id, new id) pairs from whichever standard supersedes the other, and bad entries."""
    old_ids = {r.id for _, r in old.requirements()}
    new_ids = {r.id for _, r in new.requirements()}
    if new.supersedes == old.ref:
        raw = [(o, r.id) for _, r in new.requirements() for o in r.replaces]
        by, target, known = new.ref, old.ref, old_ids
    elif old.supersedes == new.ref:
        raw = [(r.id, n) for _, r in old.requirements() for n in r.replaces]
        by, target, known = old.ref, new.ref, new_ids
    else:
        return [], [], None
    pairs = [(o, n) for o, n in raw if o in old_ids and n in new_ids]
    side = 0 if by == new.ref else 1
    unknown = [
        f"{pair[1 - side]} replaces {pair[side]}, which {target} does not have"
        for pair in raw
        if pair[side] not in known
    ]
    return pairs, unknown, by


def _summary(domain: str, requirement: Requirement) -> RequirementSummary:
    return RequirementSummary(
        id=requirement.id, title=requirement.title, domain=domain, core=requirement.core
    )


def _mapping(
    pairs: list[tuple[str, str]],
    side: Mapping[str, tuple[str, Requirement]],
    *,
    forward: bool,
) -> tuple[IdMapping, ...]:
    targets: dict[str, list[str]] = {}
    for old_id, new_id in pairs:
        source, target = (old_id, new_id) if forward else (new_id, old_id)
        bucket = targets.setdefault(source, [])
        if target not in bucket:
            bucket.append(target)
    ordered = [i for i in side if i in targets]
    return tuple(IdMapping(id=i, title=side[i][1].title, to=tuple(targets[i])) for i in ordered)


def _difference(first: Standard, second: Standard) -> tuple[str, ...]:
    others = {d.id for d in second.domains}
    return tuple(f"{d.id} {d.title}" for d in first.domains if d.id not in others)


def _numbers(first: Standard, second: Standard) -> tuple[str, ...]:
    others = {n.id for n in second.program_numbers}
    return tuple(f"{n.id} ({n.label})" for n in first.program_numbers if n.id not in others)


def _changed(
    old: Mapping[str, tuple[str, Requirement]], new: Mapping[str, tuple[str, Requirement]]
) -> Iterator[RequirementChange]:
    for requirement_id, (new_domain, after) in new.items():
        if requirement_id not in old:
            continue
        old_domain, before = old[requirement_id]
        changes = list(requirement_changes(before, after))
        if old_domain != new_domain:
            changes.insert(
                0,
                FieldChange(
                    field="domain", old=old_domain, new=new_domain, kind=ChangeKind.CHANGED
                ),
            )
        if changes:
            yield RequirementChange(id=requirement_id, title=after.title, changes=tuple(changes))


def requirement_changes(old: Requirement, new: Requirement) -> Iterator[FieldChange]:
    """The differences between two versions of one requirement, field by field."""
    for name, compare in _REQUIREMENT_FIELDS.items():
        yield from compare(name, getattr(old, name), getattr(new, name))


def _plain(name: str, old: Any, new: Any) -> Iterator[FieldChange]:
    if old != new:
        yield FieldChange(field=name, old=_json(old), new=_json(new), kind=ChangeKind.CHANGED)


def _ordered(sign: int) -> Callable[[str, Any, Any], Iterator[FieldChange]]:
    """A comparison where a larger value is stricter (sign +1) or looser (sign -1)."""

    def compare(name: str, old: Any, new: Any) -> Iterator[FieldChange]:
        if old == new:
            return
        yield FieldChange(field=name, old=_json(old), new=_json(new), kind=_kind(old, new, sign))

    return compare


def _kind(old: Any, new: Any, sign: int) -> ChangeKind:
    """Tightened or weakened; adding a limit where there was none (None) always tightens."""
    if old is None:
        return ChangeKind.TIGHTENED
    if new is None:
        return ChangeKind.WEAKENED
    return ChangeKind.TIGHTENED if (float(new) - float(old)) * sign > 0 else ChangeKind.WEAKENED


def _metric(name: str, old: Any, new: Any) -> Iterator[FieldChange]:
    if old is None or new is None or old.direction != new.direction:
        yield from _plain(name, old, new)
        return
    sign = 1 if new.direction is Direction.AT_LEAST else -1
    yield from _ordered(sign)(f"{name}.met", old.met, new.met)
    if old.partial is not None and new.partial is not None:
        yield from _ordered(sign)(f"{name}.partial", old.partial, new.partial)
    elif old.partial != new.partial:
        # A partial band where there was none gives credit that was not given before.
        kind = ChangeKind.WEAKENED if old.partial is None else ChangeKind.TIGHTENED
        yield FieldChange(field=f"{name}.partial", old=old.partial, new=new.partial, kind=kind)
    for part in ("label", "unit", "compute", "inputs", "proposal"):
        yield from _plain(f"{name}.{part}", getattr(old, part), getattr(new, part))


def _anchors(name: str, old: dict[str, str], new: dict[str, str]) -> Iterator[FieldChange]:
    for level in [*old, *(k for k in new if k not in old)]:
        yield from _plain(f"{name}.{level}", old.get(level), new.get(level))


def _evidence(name: str, old: tuple[str, ...], new: tuple[str, ...]) -> Iterator[FieldChange]:
    if old == new:
        return
    kind = ChangeKind.TIGHTENED if set(new) > set(old) else ChangeKind.CHANGED
    yield FieldChange(field=name, old=list(old), new=list(new), kind=kind)


def _parts(name: str, old: Model, new: Model) -> Iterator[FieldChange]:
    """A model compared key by key, so a long value shows only what changed."""
    for part in type(old).model_fields:
        yield from _plain(f"{name}.{part}", getattr(old, part), getattr(new, part))


def _not_applicable(name: str, old: Any, new: Any) -> Iterator[FieldChange]:
    yield from _ordered(-1)(f"{name}.allowed", old.allowed, new.allowed)
    yield from _plain(f"{name}.when", old.when, new.when)


_REQUIREMENT_FIELDS: Mapping[str, Callable[[str, Any, Any], Iterator[FieldChange]]] = {
    "title": _plain,
    "statement": _plain,
    "core": _ordered(+1),
    "weight": _ordered(+1),
    "metric": _metric,
    "anchors": _anchors,
    "evidence": _evidence,
    "not_applicable": _not_applicable,
    "depends_on": _plain,
    "remediation": lambda name, old, new: _parts(name, old, new),
}


def _scoring(old: ScoringPolicy, new: ScoringPolicy) -> Iterator[FieldChange]:
    """Differences in the scoring policy: scale, methods, claims, ages, decision levels."""
    yield from _levels("scale", old.scale.levels, new.scale.levels, _scale_level)
    yield from _plain("overall", old.overall, new.overall)
    yield from _plain(
        "include_core_in_scores", old.include_core_in_scores, new.include_core_in_scores
    )
    old_claim = old.unsupported_claim.treat_as if old.unsupported_claim else None
    new_claim = new.unsupported_claim.treat_as if new.unsupported_claim else None
    yield from _plain("unsupported_claim.treat_as", old_claim, new_claim)
    yield from _ordered(-1)(
        "evidence_max_age_days", old.evidence_max_age_days, new.evidence_max_age_days
    )
    yield from _levels("decision_levels", old.decision_levels, new.decision_levels, _decision_level)


def _levels(
    name: str,
    old: tuple[Any, ...],
    new: tuple[Any, ...],
    compare: Callable[[str, Any, Any], Iterator[FieldChange]],
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


def _scale_level(name: str, old: Any, new: Any) -> Iterator[FieldChange]:
    yield from _ordered(-1)(f"{name}.credit", old.credit, new.credit)
    yield from _ordered(-1)(f"{name}.meets", old.meets, new.meets)
    yield from _plain(f"{name}.label", old.label, new.label)


def _decision_level(name: str, old: Any, new: Any) -> Iterator[FieldChange]:
    for condition, sign in STRICTER_WHEN.items():
        before = getattr(old.conditions, condition)
        after = getattr(new.conditions, condition)
        yield from _ordered(sign)(f"{name}.{condition}", before, after)
    yield from _plain(f"{name}.label", old.label, new.label)


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


# -- text -----------------------------------------------------------------------------------


def render_text(result: StandardDiff) -> str:
    """The diff as plain text for a terminal: one section per kind of change."""
    lines = [f"{result.old} → {result.new}"]
    if result.mapped_by:
        lines.append(f"Ids are mapped through the `replaces:` lists of {result.mapped_by}.")
    if result.is_empty and not result.weakenings:
        lines.append("No differences in requirements or scoring.")
    for title, body in _sections(result):
        if body:
            count = len([line for line in body if not line.startswith(" ")])
            lines += ["", f"{title} ({count}):", *(f"  {line}" for line in body)]
    return "\n".join(lines) + "\n"


def _sections(result: StandardDiff) -> Iterator[tuple[str, list[str]]]:
    yield "Mapped, old → new", [f"{m.id} {m.title} → {', '.join(m.to)}" for m in result.old_to_new]
    yield "Mapped, new ← old", [f"{m.id} {m.title} ← {', '.join(m.to)}" for m in result.new_to_old]
    yield "Problems in the mapping", list(result.unknown_replaces)
    yield "Added", [_line("+", r) for r in result.added]
    yield "Removed", [_line("-", r) for r in result.removed]
    yield "Changed", [line for change in result.changed for line in _change_lines(change)]
    yield "Domains added", list(result.domains_added)
    yield "Domains removed", list(result.domains_removed)
    yield "Program numbers added", list(result.program_numbers_added)
    yield "Program numbers removed", list(result.program_numbers_removed)
    yield "Scoring policy", [_field_line(change) for change in result.scoring]
    yield (
        "Weakenings declared by the overlay",
        [f"! {w.target}: {w.description} (reason: {w.reason})" for w in result.weakenings],
    )


def _line(sign: str, requirement: RequirementSummary) -> str:
    core = " [core]" if requirement.core else ""
    return f"{sign} {requirement.id} {requirement.title} ({requirement.domain}){core}"


def _change_lines(change: RequirementChange) -> list[str]:
    return [f"{change.id} {change.title}", *(f"  {_field_line(c)}" for c in change.changes)]


def _field_line(change: FieldChange) -> str:
    kind = "" if change.kind is ChangeKind.CHANGED else f" ({change.kind.value})"
    return f"{change.field}: {_short(change.old)} → {_short(change.new)}{kind}"


def _short(value: JsonValue) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + "; ".join(_short(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_short(v)}" for k, v in value.items()) + "}"
    text = str(value)
    return text if len(text) <= 70 else text[:67] + "…"
