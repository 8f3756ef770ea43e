"""
Which requirements of two audits are the same requirement, across versions of a standard.

Pure, and used by `citcert.audit.compare`. When the two audits used the same standard, ids are
matched as they are. When they used different versions, a requirement of the newer standard is
matched with the ids its ``replaces:`` list names, or with its own id when it has none and no
other requirement carries that id forward (then it is a new requirement reusing an old id).
Without the standards at hand ids are matched as they are, with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from citcert.audit.assessment import Assessment
from citcert.audit.words import plural
from citcert.standards.model import Standard


@dataclass(frozen=True, slots=True)
class Pair:
    """Requirements of OLD and of NEW that are the same requirement (either side may be empty)."""

    old: tuple[str, ...]
    new: tuple[str, ...]


def is_renamed(pair: Pair) -> bool:
    """True when the requirement is on both sides under different ids (renamed, merged, split)."""
    return bool(pair.old and pair.new) and pair.old != pair.new


def match_requirements(
    old: Assessment, new: Assessment, old_std: Standard | None, new_std: Standard | None
) -> tuple[list[Pair], str, list[str]]:
    """Which requirements of OLD and NEW are the same, and how they were matched (in words)."""
    old_ids = [r.requirement_id for r in old.results]
    new_ids = [r.requirement_id for r in new.results]
    old_ref, new_ref = old.provenance.standard_ref, new.provenance.standard_ref
    if old_ref == new_ref:
        return _by_same_id(old_ids, new_ids), "", []
    newer = _newer(old_std, new_std)
    if newer is None:
        warning = (
            f"OLD was audited against {old_ref} and NEW against {new_ref}, and the standards "
            "could not be loaded to match renamed requirements; requirements were matched by id."
        )
        return _by_same_id(old_ids, new_ids), warning, [warning]
    replaces = {req.id: req.replaces for _, req in newer.requirements() if req.replaces}
    if newer.ref == new_ref:
        pairs = _through(replaces, newer_ids=new_ids, older_ids=old_ids)
    else:
        pairs = [
            Pair(p.new, p.old) for p in _through(replaces, newer_ids=old_ids, older_ids=new_ids)
        ]
    renamed = sum(is_renamed(p) for p in pairs)
    note = (
        f"OLD was audited against {old_ref} and NEW against {new_ref}; requirements were matched "
        f"through the `replaces` lists of {newer.ref} ({plural(renamed, 'renamed or merged id')})."
    )
    return pairs, note, []


def _by_same_id(old_ids: Sequence[str], new_ids: Sequence[str]) -> list[Pair]:
    olds = set(old_ids)
    pairs = [Pair((i,) if i in olds else (), (i,)) for i in new_ids]
    news = set(new_ids)
    return pairs + [Pair((i,), ()) for i in old_ids if i not in news]


def _through(
    replaces: Mapping[str, tuple[str, ...]], *, newer_ids: Sequence[str], older_ids: Sequence[str]
) -> list[Pair]:
    """Pairs as (older, newer): each newer requirement with the older ones it replaces."""
    olders = set(older_ids)
    claimed = {i for ids in replaces.values() for i in ids}
    pairs = []
    for newer_id in newer_ids:
        named = [i for i in replaces.get(newer_id, ()) if i in olders]
        # NOTE: an id kept without `replaces` is the same requirement only if no other
        # requirement carries that old id forward (else it is a new one reusing the id).
        same = [newer_id] if newer_id in olders and newer_id not in claimed else []
        pairs.append(Pair(tuple(named or same), (newer_id,)))
    covered = {i for p in pairs for i in p.old}
    return pairs + [Pair((i,), ()) for i in older_ids if i not in covered]


def _newer(a: Standard | None, b: Standard | None) -> Standard | None:
    """The newer of two standards: the one that supersedes the other, else the later one."""
    if a is None or b is None:
        return None
    if a.supersedes == b.ref:
        return a
    if b.supersedes == a.ref:
        return b
    return a if a.effective > b.effective else b
