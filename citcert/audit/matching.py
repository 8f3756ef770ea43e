"""
Which requirements of two audits are the same requirement, across versions of a standard.

Pure, and used by `citcert.audit.compare`. The rule is the one `citcert migrate` carries answers
by (`citcert.standards.succession`): through the ``replaces:`` lists of whichever standard
supersedes the other, else by id (one standard, a standard and its own overlay, two overlays of
one base). Without the standards at hand ids are matched as they are, with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from citcert._words import join_words, plural
from citcert.audit.assessment import Assessment
from citcert.standards.model import RequirementId, Standard
from citcert.standards.succession import Line, line


@dataclass(frozen=True, slots=True)
class Pair:
    """Requirements of OLD and of NEW that are the same requirement (either side may be empty)."""

    old: tuple[RequirementId, ...]
    new: tuple[RequirementId, ...]


def is_renamed(pair: Pair) -> bool:
    """True when the requirement is on both sides under different ids (renamed, merged, split)."""
    return bool(pair.old and pair.new) and pair.old != pair.new


def match_requirements(
    old: Assessment,
    new: Assessment,
    old_std: Standard | None,
    new_std: Standard | None,
    found: Line | None = None,
) -> tuple[list[Pair], str, list[str]]:
    """
    Which requirements of OLD and NEW are the same, and how they were matched (in words).
    `found` is how one standard continues the other when the caller traced it through the
    standards between them; without it, only one superseding the other directly counts.
    """
    old_ids = [r.requirement_id for r in old.results]
    new_ids = [r.requirement_id for r in new.results]
    old_ref, new_ref = old.provenance.standard_ref, new.provenance.standard_ref
    if old_ref == new_ref:
        return _by_same_id(old_ids, new_ids), "", []
    if old_std is None or new_std is None:
        warning = (
            f"OLD was audited against {old_ref} and NEW against {new_ref}, and the standards "
            "could not be loaded to match renamed requirements; requirements were matched by id."
        )
        return _by_same_id(old_ids, new_ids), warning, [warning]
    found = found or line(old_std, new_std)
    if found is None:
        note = (
            f"OLD was audited against {old_ref} and NEW against {new_ref}; neither supersedes "
            "the other, so requirements were matched by id."
        )
        return _by_same_id(old_ids, new_ids), note, []
    if found.newer is new_std:
        pairs = _through(found.predecessors(old_ids=old_ids, new_ids=new_ids), old_ids)
    else:
        mapping = found.predecessors(old_ids=new_ids, new_ids=old_ids)
        pairs = [Pair(p.new, p.old) for p in _through(mapping, new_ids)]
    renamed = sum(is_renamed(p) for p in pairs)
    lists = join_words([s.ref for s in (*found.between, found.newer)])
    note = (
        f"OLD was audited against {old_ref} and NEW against {new_ref}; requirements were matched "
        f"through the `replaces` lists of {lists} ({plural(renamed, 'renamed or merged id')})."
    )
    return pairs, note, []


def _by_same_id(old_ids: Sequence[RequirementId], new_ids: Sequence[RequirementId]) -> list[Pair]:
    olds = set(old_ids)
    pairs = [Pair((i,) if i in olds else (), (i,)) for i in new_ids]
    news = set(new_ids)
    return pairs + [Pair((i,), ()) for i in old_ids if i not in news]


def _through(
    mapping: Mapping[RequirementId, tuple[RequirementId, ...]], older_ids: Sequence[RequirementId]
) -> list[Pair]:
    """Pairs as (older, newer): each newer requirement with the older ones it continues."""
    pairs = [Pair(olds, (newer_id,)) for newer_id, olds in mapping.items()]
    covered = {i for p in pairs for i in p.old}
    return pairs + [Pair((i,), ()) for i in older_ids if i not in covered]
