"""
Which requirement of one standard continues which of another: the one rule `citcert compare`,
`citcert migrate` and `citcert standards diff` share.

A standard that supersedes another (``supersedes: id@version``) names, in each requirement's
``replaces:``, the ids of the older standard it continues. An overlay keeps its base's ids, and
keeps its base's ``supersedes:`` and ``replaces:`` with them: they still name the ids of the
standard the base superseded, never the base's own. So:

- the newer standard's ``replaces:`` lists apply only when it supersedes the older one: when its
  ``supersedes`` names the older standard, or the standard the older one is an overlay of (an
  overlay of 2019.2 supersedes 2019.1, and an overlay of 2019.1);
- otherwise (one standard, a standard and its own overlay, two overlays of one base, or two
  standards neither of which supersedes the other) a requirement continues the one with its
  own id;
- where ``replaces:`` apply, a requirement with none continues the old one of its own id only if
  no other requirement carries that id forward (else it is a new requirement reusing the id).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from citcert.standards.identity import RequirementId

if TYPE_CHECKING:
    from citcert.standards.model import Standard


def supersedes(newer: Standard, older: Standard) -> bool:
    """True when `newer`'s ``replaces:`` lists name the ids of `older` (see the module)."""
    if newer.supersedes is None:
        return False
    base = older.tailoring.base if older.tailoring is not None else None
    return newer.supersedes in (older.ref, base)


def successor(a: Standard, b: Standard) -> Standard | None:
    """Whichever of `a` and `b` supersedes the other, or None when neither does."""
    if supersedes(a, b):
        return a
    if supersedes(b, a):
        return b
    return None


def predecessors(
    old: Standard,
    new: Standard,
    *,
    old_ids: Collection[RequirementId] | None = None,
    new_ids: Collection[RequirementId] | None = None,
) -> dict[RequirementId, tuple[RequirementId, ...]]:
    """
    Each requirement id of `new` → the ids of `old` it continues (empty for a new requirement).

    `old_ids` and `new_ids` default to the standards' requirements; an audit passes the ids its
    results hold.
    """
    olds = set(old_ids if old_ids is not None else (r.id for _, r in old.requirements()))
    news = list(new_ids if new_ids is not None else (r.id for _, r in new.requirements()))
    if not supersedes(new, old):
        return {i: (i,) if i in olds else () for i in news}
    replaces = {r.id: r.replaces for _, r in new.requirements() if r.replaces}
    claimed = {i for ids in replaces.values() for i in ids}
    result: dict[RequirementId, tuple[RequirementId, ...]] = {}
    for i in news:
        named = tuple(o for o in replaces.get(i, ()) if o in olds)
        same = (i,) if i in olds and i not in claimed else ()
        result[i] = named or same
    return result
