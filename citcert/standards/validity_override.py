"""
An overlay's changes to a decision level's validity, judged by their effect.

A state may recognise a program for longer or shorter than the base, review it more or less
often, or ask for interim reports. Asking sooner is tightening and free: a shorter term, a term
set where the base had none (a decision that now lapses, an interim report now asked for).
Asking later is weakening and needs the overlay's ``reason:`` like any other weakening: a
longer term, or one dropped with ``null``. Each term is judged by `strictness.term` (the review
interval by `strictness.review_interval`, by when the review falls due), as the diff of two
standards judges it. A term the overlay names is its own rule: it is no longer marked as
citcert's proposal, and the overlay's ``basis`` says where the terms come from. Pure.
"""

from __future__ import annotations

from citcert.standards import strictness
from citcert.standards.checks import Loc
from citcert.standards.model import ChangeKind, Days, DecisionLevel, Model, Text, Validity
from citcert.standards.overrides import Change

TERMS = ("valid_for_days", "review_every_days", "interim_report_every_days")
"""The terms of a `Validity` an overlay may change, in the order they are judged."""

_WORDS = {
    "valid_for_days": "how long the decision lasts",
    "review_every_days": "the days until the next review",
    "interim_report_every_days": "the days between interim reports",
}


class ValidityOverride(Model):
    """
    New terms of a decision level's validity: an omitted one keeps the base's, ``null`` drops
    it. `basis` says where the overlay's terms come from (a term it names is its own rule).
    """

    valid_for_days: Days | None = None
    review_every_days: Days | None = None
    interim_report_every_days: Days | None = None
    basis: Text | None = None


def override_validity(
    level: DecisionLevel, given: ValidityOverride, loc: Loc
) -> tuple[Validity | None, list[Change]]:
    """The level's validity with `given` applied, and each term's change."""
    old = level.validity or Validity()
    named = given.model_fields_set
    update: dict[str, object] = {name: getattr(given, name) for name in TERMS if name in named}
    if not update and "basis" not in named:
        return level.validity, []
    update["proposal"] = tuple(term for term in old.proposal if term not in named)
    update["basis"] = given.basis
    new = old.model_copy(update=update)
    changes: list[Change] = []
    for name in TERMS:
        before, after = getattr(old, name), getattr(new, name)
        if name == "review_every_days":
            kind = strictness.review_interval(old, new) if before != after else None
            kind = kind or (ChangeKind.CHANGED if before != after else None)
        else:
            kind = strictness.term(before, after)
        if kind is None:
            continue
        verb = {ChangeKind.WEAKENED: "loosens", ChangeKind.TIGHTENED: "tightens"}.get(
            kind, "changes"
        )
        text = (
            f"{verb} {_WORDS[name]} at decision level {level.id} from {_days(before)} "
            f"to {_days(after)}"
        )
        changes.append(Change((*loc, name), kind, "scoring", text))
    return new, changes


def _days(value: int | None) -> str:
    return "none" if value is None else f"{value} days"
