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
  no other requirement carries that id forward (else it is a new requirement reusing the id);
- a standard may supersede another through standards between them (2019.3 supersedes 2019.2,
  which supersedes 2019.1, which supersedes cit-core-elements@2007.1): a `Line` holds them, and
  a requirement continues what its predecessor in each step continued, step after step, so a
  Core Elements answer reaches 2019.3 by 2019.1's ``replaces:`` and not by an id that 2019.3
  happens to share with it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from citcert.errors import StandardNotFoundError
from citcert.standards.identity import RequirementId

if TYPE_CHECKING:
    from citcert.standards.model import Standard


def supersedes(newer: Standard, older: Standard) -> bool:
    """True when `newer`'s ``replaces:`` lists name the ids of `older` (see the module)."""
    if newer.supersedes is None:
        return False
    base = older.tailoring.base if older.tailoring is not None else None
    return newer.supersedes in (older.ref, base)


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


MOST_STEPS = 50
"""A line of succession longer than this is not followed (a loop of standards, or a mistake)."""


@dataclass(frozen=True, slots=True)
class Line:
    """`newer` continues `older` through the standards `between` (oldest first; often none)."""

    older: Standard
    between: tuple[Standard, ...]
    newer: Standard

    def predecessors(
        self,
        *,
        old_ids: Collection[RequirementId] | None = None,
        new_ids: Collection[RequirementId] | None = None,
    ) -> dict[RequirementId, tuple[RequirementId, ...]]:
        """Each requirement id of `newer` → the ids of `older` it continues, step by step."""
        steps = (self.older, *self.between, self.newer)
        last = len(steps) - 1
        mapping: dict[RequirementId, tuple[RequirementId, ...]] = {}
        for index in range(1, len(steps)):
            step = predecessors(
                steps[index - 1],
                steps[index],
                old_ids=old_ids if index == 1 else None,
                new_ids=new_ids if index == last else None,
            )
            mapping = (
                step
                if index == 1
                else {
                    i: tuple(dict.fromkeys(o for p in ids for o in mapping.get(p, ())))
                    for i, ids in step.items()
                }
            )
        return self._over_gaps(mapping, old_ids)

    def _over_gaps(
        self,
        mapping: dict[RequirementId, tuple[RequirementId, ...]],
        old_ids: Collection[RequirementId] | None,
    ) -> dict[RequirementId, tuple[RequirementId, ...]]:
        """
        A requirement of `older` and `newer` that a standard between them lacks continues
        under its id: an overlay's own requirement (northfield-cit@2024.1 on 2019.1, @2026.1 on
        2019.3) is in neither plain version between, and no ``replaces:`` speaks of it.
        """
        if not self.between:
            return mapping
        olds = set(old_ids if old_ids is not None else (r.id for _, r in self.older.requirements()))
        steps = (*self.between, self.newer)
        claimed = {o for s in steps for _, r in s.requirements() for o in r.replaces}
        between = [{r.id for _, r in s.requirements()} for s in self.between]
        return {
            i: (i,)
            if not ids and i in olds and i not in claimed and any(i not in b for b in between)
            else ids
            for i, ids in mapping.items()
        }


def line(a: Standard, b: Standard, named: Callable[[str], Standard] | None = None) -> Line | None:
    """
    How one of `a` and `b` continues the other, whichever is newer; None when neither does.

    Directly (one's ``supersedes`` names the other, see `supersedes`), or with `named` (which
    finds a standard by ``id@version``) through the standards one's ``supersedes`` leads back
    to. A standard `named` does not find ends that line; one it cannot read is its error.
    """
    for newer, older in ((a, b), (b, a)):
        between = _back_to(newer, older, named)
        if between is not None:
            return Line(older, between, newer)
    return None


def _back_to(
    newer: Standard, older: Standard, named: Callable[[str], Standard] | None
) -> tuple[Standard, ...] | None:
    """The standards between `newer` and `older` (oldest first), or None when no line joins them."""
    found: list[Standard] = []
    current = newer
    while not supersedes(current, older):
        if named is None or current.supersedes is None or len(found) >= MOST_STEPS:
            return None
        try:
            current = named(current.supersedes)
        except StandardNotFoundError:
            return None
        if current.ref in (newer.ref, older.ref) or any(s.ref == current.ref for s in found):
            return None
        found.append(current)
    return tuple(reversed(found))
