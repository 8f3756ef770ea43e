"""
The Assessment: everything a report shows, computed once by the scorer.

This is the writers' contract. Writers only lay it out: every number, count, ordered list and
plain-language sentence a report needs is a field here (STYLE §13). It round-trips through JSON
(`Assessment.model_validate_json`), and `citcert schema assessment` publishes its JSON Schema.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from citcert.audit.compare_model import SCHEMA_VERSION, Comparison, SchemaVersion
from citcert.audit.review_model import ReviewFacts
from citcert.standards.model import DomainId, Effort, LevelId, Model, RequirementId, TailoringChange
from citcert.workbook.evidence import Mode, ProgramProfile

Percent = Annotated[float, Field(ge=0, le=100)]


class RatingSource(StrEnum):
    """Where a requirement's resolved rating came from."""

    REVIEWER = "reviewer"
    SELF = "self"
    METRIC = "metric"
    NONE = "none"


class Status(StrEnum):
    """The outcome of one requirement."""

    MET = "met"
    PARTIAL = "partial"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    UNANSWERED = "unanswered"


class FindingKind(StrEnum):
    """The kinds of finding the scorer raises."""

    UNSUPPORTED_CLAIM = "unsupported_claim"
    METRIC_BELOW_THRESHOLD = "metric_below_threshold"
    METRIC_CONTRADICTS_RATING = "metric_contradicts_rating"
    METRIC_MISSING = "metric_missing"
    STALE = "stale"
    NOT_APPLICABLE_WITHOUT_REASON = "not_applicable_without_reason"
    NOT_APPLICABLE_NOT_ALLOWED = "not_applicable_not_allowed"
    NOT_FOR_THIS_PROGRAM = "not_for_this_program"
    """The standard applies the requirement only to other kinds of program (``applies_to``)."""
    APPLICABILITY_UNKNOWN = "applicability_unknown"
    """The requirement applies only to some programs, and the program did not say which it is."""
    UNANSWERED = "unanswered"
    UNVERIFIED = "unverified"
    DEPENDENCY_NOT_MET = "dependency_not_met"
    REVIEWER_DISAGREES = "reviewer_disagrees"
    NUMBER_CONTRADICTS_RECORDS = "number_contradicts_records"
    EXCEPTION_EXPIRED = "exception_expired"


class Finding(Model):
    """One observation about a requirement, in a plain sentence."""

    kind: FindingKind
    requirement_id: RequirementId
    message: str


class MetricResult(Model):
    """A metric's value, shown with its arithmetic so the score is never a mystery."""

    label: str
    unit: str
    value: float | None
    display: str
    """The value with its working, e.g. ``18 of 120 patrol officers = 15.0%``."""
    threshold: str
    """The thresholds in words, e.g. ``at least 20% (met), at least 10% (partially met)``."""
    level: str | None
    """The level the value earns, or ``None`` when it cannot be computed."""


RecordInputs = dict[str, int | float | str | tuple[str, ...] | None]
"""What a computation over a record sheet counted, by name, e.g. ``{"rows": 180}``; never a row."""


class DerivedNumber(Model):
    """A program number computed from a record sheet, with its working and its inputs."""

    number_id: str
    label: str
    sheet: str
    """The record sheet's name, e.g. ``Officers``."""
    value: int | float | dt.date | None
    """``None`` when the rows give nothing to compute (the typed number is used then)."""
    working: str
    """In words, e.g. ``45 of 180 rows with Assignment Patrol have CIT course completed …``."""
    inputs: RecordInputs
    """What the computation counted, e.g. ``{"rows": 180, "matching": 45}``; never a row."""
    typed: int | float | dt.date | None = None
    """The number typed on the Program sheet, if any."""
    agrees: bool | None = None
    """Whether the typed number equals the computed one; ``None`` when either is missing."""


class QuarterOutcomes(Model):
    """One quarter of the Quarterly data sheet: its CIT calls and the shares of their outcomes."""

    quarter_end: dt.date
    cit_calls: float | None
    resolved: float | None
    """Percent of the quarter's CIT calls resolved on scene; ``None`` without calls."""
    treatment: float | None
    """Percent referred or taken to treatment."""
    arrested: float | None
    """Percent that ended in an arrest."""
    report_sent: dt.date | None
    on_time: bool | None
    """Whether the report reached the committee within the standard's days; ``None`` unknown."""


class RequirementResult(Model):
    """The outcome of one requirement, with what it rests on."""

    requirement_id: RequirementId
    domain_id: DomainId
    title: str
    statement: str
    core: bool
    weight: float
    status: Status
    level: str | None
    """The resolved level id, or ``None`` when not applicable or unanswered."""
    level_label: str
    """What to print for the rating, e.g. ``Partially met`` or ``Not answered``."""
    source: RatingSource
    credit: Annotated[float, Field(ge=0, le=1)]
    """The credit earned, after any finding that lowers it; 0 when unanswered."""
    applicable: bool
    self_level: str | None = None
    reviewer_level: str | None = None
    metric: MetricResult | None = None
    evidence_expected: tuple[str, ...] = ()
    evidence_summary: str = ""
    documents: tuple[str, ...] = ()
    reviewer_comment: str = ""
    not_applicable_reason: str = ""
    depends_on: tuple[RequirementId, ...] = ()
    findings: tuple[Finding, ...] = ()
    cell: str | None = None
    """Where the requirement's row is in the workbook, e.g. ``Evidence!F14``."""
    excepted: bool = False
    """True when an exception in force takes the requirement out of the score."""


class DomainScore(Model):
    """A domain's score and counts."""

    domain_id: DomainId
    title: str
    score: Percent | None
    """``None`` when every requirement in the domain is not applicable."""
    threshold: Percent | None
    """
    The minimum per domain the standard sets at the next-higher decision level or, when that
    level sets none, at the nearest level above it that does (the top level's own at the top).
    """
    requirements: int
    applicable: int
    met: int
    gaps: int
    core_gaps: int
    exact_score: Percent | None = None
    """The score before it is rounded, so that a change between audits is rounded only once."""


class ConditionResult(Model):
    """One condition of one decision level and whether it held, in words."""

    condition: str
    """e.g. ``overall score at least 80%``."""
    passed: bool
    detail: str
    """e.g. ``overall 71% is below 80%``."""


class LevelResult(Model):
    """How the assessment fared against one decision level."""

    level_id: LevelId
    label: str
    reached: bool
    conditions: tuple[ConditionResult, ...]


class Decision(Model):
    """The decision, why, and what stood between it and the level above."""

    level_id: LevelId
    label: str
    colour: str
    description: str
    sentence: str
    """
    One line, e.g. ``Not certified: core requirement DSP-01 is Not met; overall 71% is below
    80%``.
    """
    reasons: tuple[str, ...]
    """Each failed condition of the next level up (empty at the top level)."""
    next_level_id: LevelId | None
    next_level_label: str | None
    levels: tuple[LevelResult, ...]
    """Every level, best first, with each condition's result."""

    @model_validator(mode="after")
    def _one_of_its_levels(self) -> Decision:
        """A report read back (an edited JSON) decides one of the levels it lists."""
        ids = [level.level_id for level in self.levels]
        if self.levels and self.level_id not in ids:
            raise ValueError(f"{self.level_id} is not one of its levels ({', '.join(ids)})")
        return self


class CertificationDates(Model):
    """
    When the decision lapses and when the program is next looked at, counted from the as-of date
    by the decided level's validity in the standard.
    """

    level_id: LevelId
    """The decision level the dates belong to."""
    valid_until: dt.date | None
    """The last day the decision stands; ``None`` when the level awards nothing that lapses."""
    next_review_due: dt.date | None
    """When the next full review is due; ``None`` when the standard sets no review date."""
    interim_report_due: dt.date | None = None
    """When an interim progress report is due, if the standard asks for one."""
    sentence: str
    """The dates in one line, e.g. ``Valid until 2029-05-31; next review due 2027-06-01.``"""
    proposal: tuple[str, ...] = ()
    """Which of the terms are citcert's proposal rather than a published rule."""


class ExceptionResult(Model):
    """One exception the workbook records, and whether it was in force on the as-of date."""

    requirement_id: RequirementId
    title: str
    justification: str
    approved_by: str
    approved_on: dt.date
    expires_on: dt.date
    expired: bool
    """Past its expiry on the as-of date: a finding, and the requirement counts as not met."""
    cell: str | None = None
    """Where the exception's row is, e.g. ``Exceptions!A4``."""


class ExceptionsView(Model):
    """The exceptions, and the decision they make a difference to: with them and without."""

    items: tuple[ExceptionResult, ...]
    in_force: int
    expired: int
    overall_without: Percent
    """The overall score if no exception applied (each excepted requirement as rated)."""
    decision_without: Decision
    """The decision if no exception applied."""
    sentence: str
    """e.g. ``With its 1 exception: Certified (85%); without it: Conditionally certified (78%).``"""


class WithoutOverlay(Model):
    """
    The same evidence decided against the overlay's base standard alone, so a report can say
    when the overlay, not the program, made the decision better.
    """

    base_ref: str
    """The base standard's ``id@version``."""
    level_id: LevelId
    label: str
    overall_score: Percent
    better: bool
    """True when the overlay gives a better decision than the base alone does."""
    removed: int = 0
    """Base requirements the overlay removes: the workbook never answered them."""
    sentence: str
    """e.g. ``Under cit-best-practice@2019.1 without the overlay this program would be …``."""


class Severity(StrEnum):
    """How serious a gap is."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Gap(Model):
    """An applicable requirement not fully met (unanswered counts too)."""

    requirement_id: RequirementId
    domain_id: DomainId
    title: str
    core: bool
    severity: Severity
    shortfall: Annotated[float, Field(ge=0, le=1)]
    """1 − credit."""
    status: Status
    level_label: str
    asks: str
    """What the standard asks (the requirement's statement)."""
    found: str
    """What was found, in a sentence built from the rating, metric and findings."""
    evidence_missing: tuple[str, ...]
    reviewer_comment: str = ""
    findings: tuple[Finding, ...] = ()


class PlanStep(Model):
    """One remediation step: what to do for one gap, by whom, by when, and why it is here."""

    order: Annotated[int, Field(ge=1)]
    requirement_id: RequirementId
    title: str
    core: bool
    severity: Severity
    actions: tuple[str, ...]
    owner: str
    effort: Effort
    horizon_days: int
    target_date: dt.date
    prerequisites: tuple[RequirementId, ...]
    """Requirement ids of gaps that must be closed first."""
    score_gain: float
    """Overall points gained if this gap alone were fully met."""
    lifts_decision_to: str | None = None
    """The label of the level this step alone would reach, if it lifts the decision."""
    reason: str
    """Why the step is at this position, in plain words."""


class RemediationPlan(Model):
    """The ordered plan, and the single steps that would lift the decision."""

    steps: tuple[PlanStep, ...]
    decision_lifters: tuple[RequirementId, ...]
    """Requirement ids whose step alone would lift the decision to the next level."""
    summary: str


class Provenance(Model):
    """What produced this assessment, so a decision can be defended and reproduced."""

    tool: Literal["citcert"] = "citcert"
    tool_version: str
    standard_ref: str
    standard_title: str
    standard_sha256: str
    workbook_name: str
    workbook_sha256: str
    mode: Mode
    as_of: dt.date


class Counts(Model):
    """The counts reports print."""

    requirements: int
    applicable: int
    met: int
    partial: int
    not_met: int
    not_applicable: int
    unanswered: int
    gaps: int
    core_gaps: int
    other_gaps: int
    findings: int


class Assessment(Model):
    """The whole result of auditing one workbook against one standard."""

    schema_version: SchemaVersion = SCHEMA_VERSION
    provenance: Provenance
    profile: ProgramProfile
    overall_score: Percent
    """Rounded to one decimal: the number the decision judged and the reports print."""
    exact_overall_score: Percent | None = None
    """The overall score before it is rounded (missing in audits made before it was kept)."""
    points: float | None = None
    """The total of points, for a standard whose rating levels carry points (else none)."""
    max_points: float | None = None
    """The most points the counted requirements could earn, with the same rules."""
    domains: tuple[DomainScore, ...]
    results: tuple[RequirementResult, ...]
    decision: Decision
    gaps: tuple[Gap, ...]
    """Most severe first."""
    plan: RemediationPlan
    counts: Counts
    headline: str
    """The one-paragraph plain-language summary reports open with."""
    scoring_explanation: tuple[str, ...]
    """How scoring and the decision work for this standard, generated from its policy."""
    tailoring: tuple[TailoringChange, ...] = ()
    """The overlay's changes to its base, weakenings included, when the standard is an overlay."""
    warnings: tuple[str, ...] = ()
    """The workbook reader's warnings, carried through to the reports."""
    derived_numbers: tuple[DerivedNumber, ...] = ()
    """The program numbers computed from record sheets, in the standard's order."""
    quarters: tuple[QuarterOutcomes, ...] = ()
    """The Quarterly data sheet's quarters, oldest first: calls and outcome shares (counts only)."""
    review: ReviewFacts | None = None
    """What a review or consensus workbook adds; which part a report shows is its audience."""
    exceptions: ExceptionsView | None = None
    """The exceptions and the decision without them; ``None`` when the workbook has none."""
    dates: CertificationDates | None = None
    """Valid until and next review due (``None`` only in an assessment saved before them)."""
    since: Comparison | None = None
    """With ``audit --since``: what changed since the previous audit of the program."""
    without_overlay: WithoutOverlay | None = None
    """When the standard is an overlay: the decision its base alone gives the same evidence."""
