"""
Whether a change to a standard tightens it, weakens it, rescores it or only changes it: one
classifier.

A tightening is sound: no program gets a better score or decision for it
(`tests/test_overlay_soundness.py` tries to break that with generated overlays and
programs). Whatever can lift some program is a weakening (looser) or a rescoring (the weights
of the mean change: a weight, an added requirement), never a tightening.

An overlay's overrides (`citcert.standards.overrides` and `exception_override`, which refuse
an unjustified weakening) and the diff of two standards (`citcert.standards.requirement_changes`
and `scoring_changes`) both ask; both answer here, so an overlay and the diff of that overlay
against its base always agree.
"""

from __future__ import annotations

from collections.abc import Collection

from citcert.standards.model import ChangeKind, RatingLevel, Validity


def direction(delta: float) -> ChangeKind | None:
    """A signed change in strictness: positive tightens, negative weakens, zero is no change."""
    if delta > 0:
        return ChangeKind.TIGHTENED
    if delta < 0:
        return ChangeKind.WEAKENED
    return None


def ordered(old: float | None, new: float | None, sign: int) -> ChangeKind | None:
    """
    A value where larger is stricter (`sign` +1) or looser (-1): a weight, core, a threshold.

    Adding a limit where there was none (None) tightens; dropping one weakens.
    """
    if old is None or new is None or old == new:
        return _limit(old, new)
    return direction((float(new) - float(old)) * sign)


def _limit(old: object, new: object) -> ChangeKind | None:
    """A rule or limit on one side only (else the same): adding it tightens, dropping weakens."""
    if old == new:
        return None
    return ChangeKind.TIGHTENED if old is None else ChangeKind.WEAKENED


def partial_band(old: float | None, new: float | None) -> ChangeKind | None:
    """
    A metric's partial-credit threshold, when one side has none: adding a band gives credit
    that was not given before (weakens); removing it tightens. None when both have one.
    """
    if old is None and new is not None:
        return ChangeKind.WEAKENED
    if new is None and old is not None:
        return ChangeKind.TIGHTENED
    return None


def evidence(old: Collection[str], new: Collection[str]) -> ChangeKind | None:
    """The evidence asked for: more items tighten; any other difference only changes it."""
    if list(new) == list(old):
        return None
    return ChangeKind.TIGHTENED if set(new) > set(old) else ChangeKind.CHANGED


def weight(old: float, new: float) -> ChangeKind | None:
    """
    A requirement's weight: any change rescores, neither way a tightening.

    A score is a weighted mean, so more weight on a requirement a program meets lifts its score
    as surely as less weight on one it misses: raising one weight dilutes the rest of its
    domain (and of the whole), lowering it concentrates them.
    """
    return None if old == new else ChangeKind.RESCORED


def core(old: bool, new: bool, *, scored: bool) -> ChangeKind | None:
    """
    A requirement's core flag. Making it core adds a gate (tightens) where core requirements
    count in the scores; where they are left out (``include_core_in_scores: false``) it also
    takes the requirement out of every score, which may lift one: a rescoring. Making a core
    requirement no longer core always drops a gate (weakens).
    """
    if old == new:
        return None
    if not new:
        return ChangeKind.WEAKENED
    return ChangeKind.TIGHTENED if scored else ChangeKind.RESCORED


EXCEPTION_TERMS = ("allowed", "core_allowed", "max_exceptions", "max_days")
"""The terms of an exception policy (`ExceptionPolicy`), in the order they are compared."""


def exception_term(old: float | None, new: float | None) -> ChangeKind | None:
    """
    A term of the exception policy: allowing exceptions, allowing them on core requirements,
    more of them or longer ones loosens; less tightens. A limit set where there was none
    (``max_exceptions``, ``max_days``) tightens; dropping one loosens.
    """
    return ordered(old, new, -1)


def unsupported_claim(old: RatingLevel | None, new: RatingLevel | None) -> ChangeKind | None:
    """
    The level an unsupported claim (a meeting rating with no evidence) is scored as, on each
    side's own scale; None when the standard does not lower such a claim.

    An unbacked claim scores as that level or its own, whichever earns less, so a level with
    more credit or points, or one that counts as met where the old did not, can lift a program:
    a weakening, even when another part of it is lower. A level lower in every part tightens.
    Lowering claims where they were not lowered tightens; no longer lowering them weakens.
    """
    if old is None or new is None or old == new:
        return _limit(old, new)
    deltas = [old.credit - new.credit, int(old.meets) - int(new.meets)]
    if old.points is not None and new.points is not None:
        deltas.append(old.points - new.points)
    if any(delta < 0 for delta in deltas):
        return ChangeKind.WEAKENED
    if any(delta > 0 for delta in deltas):
        return ChangeKind.TIGHTENED
    return None


def term(old: int | None, new: int | None) -> ChangeKind | None:
    """
    A decision level's term in days (`Validity`): how long the decision stands, or how long
    until an interim report. Longer loosens, shorter tightens; a term set where there was none
    (a decision that did not lapse, no report asked for) tightens, dropping one loosens.
    """
    return ordered(old, new, -1)


def review_interval(old: Validity, new: Validity) -> ChangeKind | None:
    """
    The days until a decision level's next review, judged as a `term` by when the review
    falls due: after ``review_every_days``, or when the decision lapses if that is not set.
    """
    return term(_review_days(old), _review_days(new))


def _review_days(validity: Validity) -> int | None:
    if validity.review_every_days is not None:
        return validity.review_every_days
    return validity.valid_for_days
