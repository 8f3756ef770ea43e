"""
Who a report is for, as a view of the assessment: the one hook every writer goes through.

An assessment of a review holds everything the review says, panel-only facts included. A
report for the applicant is written from `view(assessment, Audience.APPLICANT)`, which leaves
out every internal note, each rater's own rating, the reasons of the consensus, the agreement
figures and the calibration, so no writer (today's or a new one, such as HTML) can print them.
The panel's view is the assessment as it is. Nothing is scored again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, assert_never

from citcert.audit.review_model import Audience

if TYPE_CHECKING:
    from citcert.audit.assessment import Assessment

__all__ = ["Audience", "view"]


def view(assessment: Assessment, audience: Audience) -> Assessment:
    """The assessment as `audience` may see it (unchanged when it is not of a review)."""
    facts = assessment.review
    if facts is None:
        return assessment
    match audience:
        case Audience.PANEL:
            return assessment.model_copy(
                update={"review": facts.model_copy(update={"audience": audience})}
            )
        case Audience.APPLICANT:
            rows = tuple(
                r.model_copy(update={"note": "", "reason": "", "raters": (), "difference": None})
                for r in facts.requirements
            )
            applicant = facts.model_copy(
                update={
                    "audience": audience,
                    "requirements": rows,
                    "agreement": None,
                    "calibration": (),
                }
            )
            return assessment.model_copy(update={"review": applicant})
        case _:
            assert_never(audience)
