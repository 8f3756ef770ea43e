"""
What a review or consensus workbook says, as validated, frozen models (no openpyxl after this).
"""

from __future__ import annotations

import datetime as dt

from citcert.standards.model import Model, RequirementId
from citcert.workbook.evidence import Answer, CellRef, NumberValue, Unanswered, row_for
from citcert.workbook.review.layout import Kind


class RaterRating(Model):
    """One rater's rating of one requirement, as a consensus workbook carries it."""

    rater: str
    rating: Answer = Unanswered()


class RequirementReview(Model):
    """Everything a review says about one requirement."""

    requirement_id: RequirementId
    rating: Answer = Unanswered()
    comment: str = ""
    """For the program: it goes into the applicant's report."""
    note: str = ""
    """For the panel only: never in an applicant's report."""
    strength: str = ""
    reason: str = ""
    """A consensus: why the raters settled on this rating."""
    raters: tuple[RaterRating, ...] = ()
    cell: CellRef | None = None
    """The rating cell."""


class Correction(Model):
    """A program number the reviewer corrected, and why: the reviewer's number wins."""

    number_id: str
    label: str
    program_value: str
    value: NumberValue
    reason: str
    cell: CellRef


class Review(Model):
    """A whole review (or consensus) workbook, read and checked."""

    kind: Kind
    file_name: str
    workbook_sha256: str
    submission_name: str
    submission_sha256: str
    reviewers: tuple[str, ...]
    review_date: dt.date
    final: bool
    response_days: int
    decision_date: dt.date | None = None
    requirements: tuple[RequirementReview, ...]
    corrections: tuple[Correction, ...] = ()

    def for_requirement(self, requirement_id: RequirementId) -> RequirementReview:
        """The review of one requirement (an empty one when the workbook has none)."""
        return row_for(requirement_id, self.requirements, RequirementReview)
