"""
What changed between two standards: pure `diff(old, new) -> StandardDiff`, and its text.

Requirements with the same id are compared field by field (`requirement_changes`), and so are
the scoring policies (`scoring_changes`). When one standard supersedes the
other (``supersedes: id@version``), its ``replaces:`` lists map old ids to new ones; one old id
may map to several new ids and several old ids to one new id, and the mapping is reported both
ways. When it supersedes the other through versions between (2019.3 → 2019.2 → 2019.1), the ids
are mapped step by step along that line, as migrate and compare map them (`succession.line`).
Old ids that nothing maps or keeps are removed; new ids with no old counterpart are added. When
the newer standard is an overlay on the older, each removed requirement carries the reason
its ``remove:`` entry gives, and the weakenings it declared are listed with their reasons, and
so are its changes to the scoring (added requirements, changed weights).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from pydantic import Field, JsonValue

from citcert._text import one_line
from citcert._words import join_words
from citcert.standards.identity import DomainId, RequirementId
from citcert.standards.model import ChangeKind, Model, Requirement, Standard, TailoringChange
from citcert.standards.requirement_changes import FieldChange, requirement_changes
from citcert.standards.scoring_changes import scoring_changes
from citcert.standards.succession import line, supersedes


class RequirementSummary(Model):
    """A requirement named in a diff: id, title, domain and whether it is core."""

    id: RequirementId
    title: str
    domain: DomainId
    core: bool
    applies_to: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    """Which programs it applies to (``applies_to``), when not to every program."""


class RemovedRequirement(RequirementSummary):
    """A requirement of the older standard that the newer one no longer has."""

    reason: str | None = None
    """Why it was removed, when the newer standard is an overlay on the older (``remove:``)."""


class RequirementChange(Model):
    """A requirement present in both standards (same id) whose fields differ."""

    id: RequirementId
    title: str
    changes: tuple[FieldChange, ...]


class IdMapping(Model):
    """One id and the ids it maps to on the other side (through `replaces:`)."""

    id: RequirementId
    title: str
    to: tuple[RequirementId, ...]


class StandardDiff(Model):
    """Everything that differs between an older and a newer standard."""

    old: str
    new: str
    mapped_by: str | None = None
    """
    The ``id@version`` whose ``replaces:`` lists map the ids, if one supersedes the other;
    through versions between, each of them and the newer one, oldest first, in words.
    """
    added: tuple[RequirementSummary, ...] = ()
    removed: tuple[RemovedRequirement, ...] = ()
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
    rescorings: tuple[TailoringChange, ...] = ()
    """
    Changes to how scores are formed that the newer standard (an overlay on the older)
    declared: added requirements and changed weights, with any reasons.
    """

    @property
    def is_empty(self) -> bool:
        """True when the two standards have the same requirements and scoring."""
        parts = (self.added, self.removed, self.old_to_new, self.changed, self.scoring)
        return not any(parts) and not self.domains_added and not self.domains_removed


def diff(
    old: Standard, new: Standard, named: Callable[[str], Standard] | None = None
) -> StandardDiff:
    """
    Compare `old` with `new`; pure. `named` finds a standard by ``id@version``, to follow a
    line of succession through the versions between them (without it, only a direct one).
    """
    pairs, unknown, mapped_by = _replacements(old, new)
    if mapped_by is None and named is not None:
        pairs, mapped_by = _along_line(old, new, named)
    old_reqs = {r.id: (d.id, r) for d, r in old.requirements()}
    new_reqs = {r.id: (d.id, r) for d, r in new.requirements()}
    mapped_old = {o for o, _ in pairs}
    mapped_new = {n for _, n in pairs}
    weakenings: tuple[TailoringChange, ...] = ()
    rescorings: tuple[TailoringChange, ...] = ()
    reasons: dict[str, str | None] = {}
    if new.tailoring is not None and new.tailoring.base == old.ref:
        weakenings = new.tailoring.weakenings
        rescorings = new.tailoring.rescorings
        reasons = _removal_reasons(new.tailoring.changes)
    core_scored = old.scoring.include_core_in_scores and new.scoring.include_core_in_scores
    return StandardDiff(
        old=old.ref,
        new=new.ref,
        mapped_by=mapped_by,
        added=tuple(
            _summary(*new_reqs[i]) for i in new_reqs if i not in old_reqs and i not in mapped_new
        ),
        removed=tuple(
            _removed(*old_reqs[i], reason=reasons.get(i))
            for i in old_reqs
            if i not in new_reqs and i not in mapped_old
        ),
        old_to_new=_mapping(pairs, old_reqs, forward=True),
        new_to_old=_mapping(pairs, new_reqs, forward=False),
        unknown_replaces=tuple(unknown),
        changed=tuple(_changed(old_reqs, new_reqs, core_scored=core_scored)),
        domains_added=_difference(new, old),
        domains_removed=_difference(old, new),
        program_numbers_added=_numbers(new, old),
        program_numbers_removed=_numbers(old, new),
        scoring=tuple(scoring_changes(old.scoring, new.scoring)),
        weakenings=weakenings,
        rescorings=rescorings,
    )


def _replacements(
    old: Standard, new: Standard
) -> tuple[list[tuple[RequirementId, RequirementId]], list[str], str | None]:
    """(old id, new id) pairs from whichever standard supersedes the other, and bad entries."""
    old_ids = {r.id for _, r in old.requirements()}
    new_ids = {r.id for _, r in new.requirements()}
    if supersedes(new, old):
        raw = [(o, r.id) for _, r in new.requirements() for o in r.replaces]
        by, target, known = new.ref, old.ref, old_ids
    elif supersedes(old, new):
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


def _along_line(
    old: Standard, new: Standard, named: Callable[[str], Standard]
) -> tuple[list[tuple[RequirementId, RequirementId]], str | None]:
    """
    (old id, new id) pairs where one standard supersedes the other through versions between,
    id by id along the line; a requirement that keeps its id is no pair (it is compared as the
    same requirement). No line: no pairs.
    """
    found = line(old, new, named)
    if found is None or not found.between:
        return [], None
    continues = found.predecessors()
    if found.newer is new:
        pairs = [(o, n) for n, olds in continues.items() for o in olds if o != n]
    else:
        pairs = [(o, n) for o, news in continues.items() for n in news if o != n]
    by = join_words([s.ref for s in (*found.between, found.newer)])
    return pairs, by


def _removal_reasons(changes: tuple[TailoringChange, ...]) -> dict[str, str | None]:
    """
    The reason of each removal an overlay on the older standard made, by requirement id.

    A requirement the overlay removes can be the target of no other change of its own (an
    override of it is refused), and changes inherited from the older standard come first, so
    the last removal or weakening aimed at an id is its removal.
    """
    kinds = (ChangeKind.REMOVED, ChangeKind.WEAKENED)
    return {change.target: change.reason for change in changes if change.kind in kinds}


def _summary(domain: DomainId, requirement: Requirement) -> RequirementSummary:
    return RequirementSummary(
        id=requirement.id,
        title=requirement.title,
        domain=domain,
        core=requirement.core,
        applies_to=requirement.applies_to,
    )


def _removed(domain: DomainId, requirement: Requirement, reason: str | None) -> RemovedRequirement:
    return RemovedRequirement(**_summary(domain, requirement).model_dump(), reason=reason)


def _mapping(
    pairs: list[tuple[RequirementId, RequirementId]],
    side: Mapping[RequirementId, tuple[DomainId, Requirement]],
    *,
    forward: bool,
) -> tuple[IdMapping, ...]:
    targets: dict[RequirementId, list[RequirementId]] = {}
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
    old: Mapping[RequirementId, tuple[DomainId, Requirement]],
    new: Mapping[RequirementId, tuple[DomainId, Requirement]],
    *,
    core_scored: bool,
) -> Iterator[RequirementChange]:
    for requirement_id, (new_domain, after) in new.items():
        if requirement_id not in old:
            continue
        old_domain, before = old[requirement_id]
        changes = list(requirement_changes(before, after, core_scored=core_scored))
        if old_domain != new_domain:
            changes.insert(
                0,
                FieldChange(
                    field="domain", old=old_domain, new=new_domain, kind=ChangeKind.CHANGED
                ),
            )
        if changes:
            yield RequirementChange(id=requirement_id, title=after.title, changes=tuple(changes))


# -- text -----------------------------------------------------------------------------------


def render_text(result: StandardDiff) -> str:
    """The diff as plain text for a terminal: one section per kind of change."""
    lines = [f"{result.old} → {result.new}"]
    if result.mapped_by:
        lines.append(f"Ids are mapped through the `replaces:` lists of {result.mapped_by}.")
    if result.is_empty and not result.weakenings and not result.rescorings:
        lines.append("No differences in requirements or scoring.")
    for title, body in _sections(result):
        if body:
            count = len([line for line in body if not line.startswith(" ")])
            lines += ["", f"{title} ({count}):", *(f"  {line}" for line in body)]
    return "\n".join(map(one_line, lines)) + "\n"


def _sections(result: StandardDiff) -> Iterator[tuple[str, list[str]]]:
    yield "Mapped, old → new", [f"{m.id} {m.title} → {', '.join(m.to)}" for m in result.old_to_new]
    yield "Mapped, new ← old", [f"{m.id} {m.title} ← {', '.join(m.to)}" for m in result.new_to_old]
    yield "Problems in the mapping", list(result.unknown_replaces)
    yield "Added", [_line("+", r) for r in result.added]
    yield "Removed", [_line("-", r) + _reason(r.reason) for r in result.removed]
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
    yield (
        "Changes to the scoring declared by the overlay",
        [f"~ {r.target}: {r.description}{_reason(r.reason)}" for r in result.rescorings],
    )


def _line(sign: str, requirement: RequirementSummary) -> str:
    core = " [core]" if requirement.core else ""
    only = "".join(
        f" [only where {key} is {' or '.join(values)}]"
        for key, values in requirement.applies_to.items()
    )
    return f"{sign} {requirement.id} {requirement.title} ({requirement.domain}){core}{only}"


def _reason(reason: str | None) -> str:
    return f" (reason: {reason})" if reason else ""


def _change_lines(change: RequirementChange) -> list[str]:
    return [f"{change.id} {change.title}", *(f"  {_field_line(c)}" for c in change.changes)]


def _field_line(change: FieldChange) -> str:
    kind = "" if change.kind is ChangeKind.CHANGED else f" ({change.kind.value})"
    old, new = change.old, change.new
    if isinstance(old, str) and isinstance(new, str):
        # Two long texts: show each from a little before where they part, or both would
        # print the same opening and hide the change.
        start = _parting(old, new)
        old, new = _from(old, start), _from(new, start)
    return f"{change.field}: {_short(old)} → {_short(new)}{kind}"


def _parting(old: str, new: str) -> int:
    """Where to start showing two texts: the word start a few words before they differ."""
    same = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), None)
    if same is None:
        same = min(len(old), len(new))
    if same < 40:
        return 0
    cut = old.rfind(" ", 0, same - 25)
    return cut + 1 if cut > 0 else 0


def _from(text: str, start: int) -> str:
    return text if start == 0 else "…" + text[start:]


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
