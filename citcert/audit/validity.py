"""
Validity: how long a decision stands and when the program is looked at again.

Pure date arithmetic from the decided level's `Validity` in the standard and the assessment's
as-of date (never the clock): valid until is the as-of date plus ``valid_for_days``, the next
review is due ``review_every_days`` after the as-of date, or when the decision lapses if the
standard sets no review interval, and an interim report ``interim_report_every_days`` after.
The sentence every report prints says which terms are citcert's proposal.
"""

from __future__ import annotations

import datetime as dt

from citcert.audit.assessment import CertificationDates
from citcert.standards.model import DecisionLevel, LevelId, ScoringPolicy, Validity


def certification_dates(
    policy: ScoringPolicy, level_id: LevelId, as_of: dt.date
) -> CertificationDates:
    """The dates of the decision `level_id` reached on `as_of`, with their sentence."""
    level = next(lv for lv in policy.decision_levels if lv.id == level_id)
    validity = level.validity or Validity()
    valid_until = _after(as_of, validity.valid_for_days)
    review = _after(as_of, validity.review_every_days) or valid_until
    interim = _after(as_of, validity.interim_report_every_days)
    return CertificationDates(
        level_id=level.id,
        valid_until=valid_until,
        next_review_due=review,
        interim_report_due=interim,
        sentence=_sentence(level, valid_until, review, interim),
        proposal=validity.proposal,
    )


def _after(as_of: dt.date, days: int | None) -> dt.date | None:
    """The last day of a term of `days` days that starts on `as_of` (``None`` for no term)."""
    return None if days is None else as_of + dt.timedelta(days=days)


def _sentence(
    level: DecisionLevel,
    valid_until: dt.date | None,
    review: dt.date | None,
    interim: dt.date | None,
) -> str:
    if valid_until is not None:
        parts = [f"{level.label} is valid until {valid_until.isoformat()}"]
    else:
        parts = [f"{level.label} has no term in the standard, so there is no date it lapses"]
    if review is not None:
        parts.append(f"the next review is due by {review.isoformat()}")
    else:
        parts.append("the standard sets no date for the next review")
    if interim is not None and (review is None or interim < review):
        parts.append(f"an interim progress report is due by {interim.isoformat()}")
    return "; ".join(parts) + "."


def validity_lines(policy: ScoringPolicy) -> tuple[str, ...]:
    """How long each decision level lasts, in words, for the scoring explanation."""
    terms = policy.validity_terms()
    return ("Dates are counted from the assessment's as-of date:", *terms) if terms else ()
