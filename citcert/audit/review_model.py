"""
The review facts an `Assessment` of a review or consensus workbook carries.

Some are for everyone (comments for the program, strengths, corrections, the draft or final
status), some for the panel only (internal notes, each rater's rating, the agreement figures,
the calibration of the program's self ratings). The scorer fills them all; which of them a
report shows is the audience's view (`citcert.export.audience`), never a second scoring.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from citcert.standards.model import DomainId, Model, RequirementId


class Audience(StrEnum):
    """Who a report is for: the program (applicant) or the review panel."""

    APPLICANT = "applicant"
    PANEL = "panel"


class RaterView(Model):
    """One rater's rating of a requirement (panel only)."""

    rater: str
    label: str
    comment: str = ""


class ReviewedRequirement(Model):
    """What the review says of one requirement."""

    requirement_id: RequirementId
    domain_id: DomainId
    title: str
    self_label: str
    """The program's own rating, in words."""
    rating_label: str
    """The reviewers' (consensus) rating, in words."""
    comment: str = ""
    """For the program."""
    strength: str = ""
    note: str = ""
    """Panel only."""
    reason: str = ""
    """Panel only: why a consensus settled on this rating."""
    raters: tuple[RaterView, ...] = ()
    """Panel only."""
    difference: int | None = None
    """Panel only: levels the self rating is above (+) or below (-) the review's; None if either
    is not a level."""


class Strength(Model):
    """A commendation worth naming in the report."""

    requirement_id: RequirementId
    title: str
    text: str


class NumberCorrection(Model):
    """A program number the reviewer corrected: the reviewer's number was used."""

    number_id: str
    label: str
    program_value: str
    value: str
    reason: str
    sentence: str


class Disagreement(Model):
    """A requirement the raters rated differently before they agreed."""

    requirement_id: RequirementId
    title: str
    ratings: tuple[RaterView, ...]
    consensus_label: str
    reason: str


class AgreementFigures(Model):
    """How far the raters agreed before the consensus (panel only)."""

    raters: tuple[str, ...]
    items: int
    exact: float | None
    within_one: float | None
    statistic: str
    value: float | None
    sentence: str
    disagreements: tuple[Disagreement, ...] = ()


class DomainCalibration(Model):
    """Per domain: did the program rate itself higher or lower than the reviewers, how often."""

    domain_id: DomainId
    title: str
    compared: int
    higher: int
    lower: int
    same: int
    mean_difference: float | None
    """Mean levels the self rating is above (+) the review's, over the compared requirements."""
    sentence: str


class ReviewFacts(Model):
    """Everything the review adds to an assessment; `audience` says which view this is."""

    kind: str
    """``review`` (one reviewer) or ``consensus``."""
    audience: Audience = Audience.PANEL
    reviewers: tuple[str, ...]
    review_date: dt.date
    final: bool
    response_days: int
    decision_date: dt.date | None = None
    status: str
    """The banner: a draft and its response window, or the final's reviewers and date."""
    submission_name: str
    submission_sha256: str
    requirements: tuple[ReviewedRequirement, ...]
    strengths: tuple[Strength, ...] = ()
    corrections: tuple[NumberCorrection, ...] = ()
    agreement: AgreementFigures | None = None
    """Panel only (a consensus)."""
    calibration: tuple[DomainCalibration, ...] = ()
    """Panel only."""
