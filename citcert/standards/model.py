"""
The vocabulary of a standard: pydantic models for everything a standard YAML holds.

The YAML is data and so is the scoring policy: rating credits and decision conditions are
structured fields that `citcert.audit` interprets, never expressions to evaluate. Models are
frozen and forbid unknown keys; cross-checks a schema cannot express (unique ids, dependency
cycles, ordered thresholds, ordered decision levels …) live in `citcert.standards.checks`,
which reports every problem at once, each with its path so the loader can point at a line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from citcert._words import join_words, plural, quantity, span
from citcert.standards.docstrings import describe_fields
from citcert.standards.identity import DomainId as DomainId
from citcert.standards.identity import LevelId as LevelId
from citcert.standards.identity import RequirementId as RequirementId
from citcert.standards.identity import StandardStatus

# The id types live in `citcert.standards.identity` (no pydantic) and are re-exported here, for the
# layers that may import this module and not that one.

_SLUG = r"^[a-z][a-z0-9_]*$"

RequirementIdField = Annotated[
    RequirementId, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,7}-[0-9]{2}[a-z]?$")
]
"""A stable requirement id such as ``TRN-01``: upper-case prefix, dash, two digits."""

DomainIdField = Annotated[DomainId, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,7}$")]
"""A domain id such as ``TRN``: the prefix of its requirements' ids."""

LevelIdField = Annotated[LevelId, StringConstraints(pattern=_SLUG, max_length=64)]
"""A decision level's id, a slug such as ``certified``."""

Slug = Annotated[str, StringConstraints(pattern=_SLUG, max_length=64)]
"""A lower-case identifier for rating levels, program numbers and record sheets."""

STANDARD_ID = r"[a-z0-9][a-z0-9-]*[a-z0-9]"
"""How a standard's id is spelt, e.g. ``cit-best-practice``."""
VERSION = r"[0-9A-Za-z][0-9A-Za-z.\-]*"
"""How a standard's version is spelt, e.g. ``2019.2``."""
StandardId = Annotated[str, StringConstraints(pattern=f"^{STANDARD_ID}$", max_length=80)]
Version = Annotated[str, StringConstraints(pattern=f"^{VERSION}$", max_length=40)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Percent = Annotated[float, Field(ge=0, le=100)]


class Model(
    BaseModel,
    frozen=True,
    extra="forbid",
    allow_inf_nan=False,
    json_schema_extra=describe_fields,
    defer_build=True,
):
    """
    Base of every citcert model: immutable, unknown keys are errors, and every number is an
    ordinary one (``.nan`` or ``.inf`` in a standard, ``NaN`` in a JSON report, is refused: no
    threshold, credit or score can be compared with them).

    The docstring under each field becomes its description in the JSON Schemas (see
    `citcert.standards.docstrings` for why pydantic's own ``use_attribute_docstrings`` is not
    used).

    A model builds its validator when it is first used, not when it is imported: a command
    builds only the models it reads or writes (an audit to JSON, 25 of about 70).
    """


class Verification(StrEnum):
    """How well a fact behind a requirement is verified (from the research's provenance tags)."""

    SOURCE = "source"
    """Read at the cited source itself."""
    ALLIED = "allied"
    """Read at an allied source (a companion to the guide, not the guide's own text)."""
    UNVERIFIED = "unverified"
    """Not read here; to be checked against the published guide."""


class Effort(StrEnum):
    """Rough effort of a remediation, used to order the plan."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Source(Model):
    """One source behind a requirement or a standard."""

    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
    verification: Verification
    note: str | None = None
    """What the source supports, e.g. the research item ``G-B1`` or a page."""


class Citation(Model):
    """The publication(s) a standard is built on."""

    title: Text
    publisher: Text
    year: Annotated[int, Field(ge=1980, le=2100)]
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    note: str | None = None


class RatingLevel(Model):
    """One level of the rating scale, with its credit and whether it counts as met."""

    id: Slug
    label: Text
    credit: Annotated[float, Field(ge=0, le=1)]
    meets: bool
    description: Text
    aliases: tuple[str, ...] = ()
    """Other spellings a person may type (matched case- and space-insensitively)."""
    points: Annotated[float, Field(ge=0)] | None = None
    """
    Points the level earns (times the requirement's weight), for rubrics that total points,
    e.g. 0-5 per item; give every level points or none.
    """


class RatingScale(Model):
    """The rating levels, best first; credits must not rise down the list."""

    levels: Annotated[tuple[RatingLevel, ...], Field(min_length=2)]
    not_applicable_label: Text = "Not applicable"
    not_applicable_aliases: tuple[str, ...] = ("N/A", "NA", "n.a.")

    def level(self, level_id: str) -> RatingLevel:
        """The level with this id (the id must exist)."""
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)

    @property
    def has_points(self) -> bool:
        """True when the levels carry points, so assessments total them."""
        return any(level.points is not None for level in self.levels)

    @property
    def best(self) -> RatingLevel:
        """The top level (full credit)."""
        return self.levels[0]

    @property
    def partial(self) -> RatingLevel:
        """The level a metric between its two thresholds earns: the best one that does not meet."""
        return next((lv for lv in self.levels if not lv.meets), self.levels[-1])

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label a workbook may hold, in scale order, ending with not-applicable."""
        return (*(lv.label for lv in self.levels), self.not_applicable_label)


class MetricCompute(StrEnum):
    """How a metric's value is formed from the program's numbers."""

    VALUE = "value"
    """The value itself: one program number, or (with no inputs) the metric cell of the row."""
    RATIO = "ratio"
    """100 × first input ÷ second input, a percentage."""
    DAYS_SINCE = "days_since"
    """Days from the date in the one input to the as-of date."""


class Direction(StrEnum):
    """Whether a metric should be high (at least the threshold) or low (at most)."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class Metric(Model):
    """A measurable part of a requirement, rated from the program's numbers by thresholds."""

    label: Text
    unit: Text
    compute: MetricCompute = MetricCompute.VALUE
    inputs: tuple[Slug, ...] = ()
    """Program-number ids: none or one for value, two for ratio, one (a date) for days_since."""
    direction: Direction = Direction.AT_LEAST
    met: float
    """Threshold to be rated at the top level."""
    partial: float | None = None
    """Threshold to be rated at the middle level; below it the requirement is not met."""
    proposal: bool = False
    """True when the threshold is citcert's proposal rather than a published rule."""
    origin: str | None = None
    """Where the thresholds come from (a source, a state's rule, or citcert's proposal)."""

    @model_validator(mode="after")
    def _inputs_fit_compute(self) -> Metric:
        wanted = {
            MetricCompute.VALUE: (0, 1),
            MetricCompute.RATIO: (2,),
            MetricCompute.DAYS_SINCE: (1,),
        }
        if len(self.inputs) not in wanted[self.compute]:
            counts = " or ".join(str(n) for n in wanted[self.compute])
            raise PydanticCustomError(
                "metric_inputs",
                "a {compute} metric takes {counts} input(s), not {got}",
                {"compute": self.compute.value, "counts": counts, "got": len(self.inputs)},
            )
        return self

    def threshold_text(self, threshold: float) -> str:
        """A threshold in words: ``at least 80%``, ``at most 365 days``."""
        word = "at least" if self.direction is Direction.AT_LEAST else "at most"
        return f"{word} {quantity(threshold, self.unit)}"

    def thresholds_text(self, scale: RatingScale) -> str:
        """Its thresholds in words: ``at least 90% for Met, at least 60% for Partially met``."""
        text = f"{self.threshold_text(self.met)} for {scale.best.label}"
        if self.partial is not None:
            text += f", {self.threshold_text(self.partial)} for {scale.partial.label}"
        return text


class NotApplicable(Model):
    """Whether a requirement may be rated not applicable, and when."""

    allowed: bool = False
    when: str | None = None
    """The circumstances in which not applicable is acceptable, in plain words."""


class Remediation(Model):
    """What a program should do when it falls short of a requirement."""

    actions: Annotated[tuple[Text, ...], Field(min_length=1)]
    owner: Text
    """The role that owns the work, e.g. ``Law enforcement CIT coordinator``."""
    effort: Effort
    horizon_days: Annotated[int, Field(gt=0, le=3650)]


class Requirement(Model):
    """One auditable requirement."""

    id: RequirementIdField
    title: Text
    statement: Text
    core: bool = False
    """A core (gate) requirement must be met for the top decision levels."""
    core_reason: str | None = None
    """Why the requirement is core, e.g. the Core Element it stands for."""
    weight: Annotated[float, Field(gt=0, le=100)] = 1.0
    anchors: dict[Slug, Text]
    """What each rating level means for this requirement, keyed by level id."""
    evidence: Annotated[tuple[Text, ...], Field(min_length=1)]
    metric: Metric | None = None
    not_applicable: NotApplicable = NotApplicable()
    depends_on: tuple[RequirementIdField, ...] = ()
    remediation: Remediation
    sources: Annotated[tuple[Source, ...], Field(min_length=1)]
    reference: str | None = None
    """Where in the source material the requirement comes from (chapter, page, research item)."""
    replaces: tuple[RequirementIdField, ...] = ()
    """Ids in the superseded standard that this requirement carries forward."""
    applies_to: dict[Slug, tuple[Slug, ...]] = {}
    """
    Which programs the requirement applies to, by the value of a ``choice`` program number,
    e.g. ``{program_structure: [regional, state]}``. A program whose value is another choice
    has the requirement marked not applicable automatically; an empty value applies it.
    """


class Domain(Model):
    """A group of requirements, scored together."""

    id: DomainIdField
    title: Text
    description: Text
    requirements: Annotated[tuple[Requirement, ...], Field(min_length=1)]


class NumberKind(StrEnum):
    """The type of a program number."""

    INTEGER = "integer"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"
    """One of the number's ``choices`` (e.g. the program's structure), chosen from a list."""


class Choice(Model):
    """One value a ``choice`` program number may take."""

    id: Slug
    label: Text
    """What the workbook's drop-down shows and reports print."""


class RecordCompute(StrEnum):
    """How a program number is computed from the rows of a record sheet."""

    COUNT = "count"
    """The rows that match `where`."""
    SHARE = "share"
    """100 × rows matching `where` and `match` ÷ rows matching `where`, a percentage."""
    DISTINCT = "distinct"
    """The different values of `column` among the rows matching `where`."""
    COVERED = "covered"
    """The values of `column` (a group, e.g. a shift) with at least `at_least` rows matching."""
    LATEST = "latest"
    """The latest date in `column` among the rows matching `where`."""
    LONGEST_GAP_DAYS = "longest_gap_days"
    """The most days between two consecutive dates in `column`, and from the last to the as-of."""
    COUNT_WITHIN_DAYS = "count_within_days"
    """The rows whose date in `column` is at most `days` days before the as-of date."""
    SHARE_WITHIN_DAYS = "share_within_days"
    """100 × rows whose `column` date is at most `days` days after their `after` date ÷ rows."""
    SHARE_RECENT = "share_recent"
    """100 × rows matching `where` with a date in `column` (or `also`) at most `days` days
    before the as-of date ÷ rows matching `where`: e.g. the CIT officers whose last in-service,
    or their course, is within two years."""


class FromRecords(Model):
    """
    A program number computed from a record sheet rather than typed (when the sheet has rows).

    Conditions name a column and what it must hold: a choice (``Patrol``), ``Yes`` or ``No``,
    or ``given`` / ``blank`` for any column.
    """

    sheet: Slug
    """A record sheet the standard asks for (``records:``), e.g. ``officers``."""
    compute: RecordCompute
    column: Slug | None = None
    """The column grouped or dated on (distinct, covered, latest, longest gap, within days)."""
    where: dict[Slug, Text] = Field(default_factory=dict)
    """Which rows count at all, e.g. ``{assignment: Patrol}``."""
    match: dict[Slug, Text] = Field(default_factory=dict)
    """Of those, which rows are matching (share, covered), e.g. ``{course_date: given}``."""
    at_least: Annotated[int, Field(ge=1, le=1000)] = 1
    """Covered: rows a group needs to count as covered."""
    days: Annotated[int, Field(ge=1, le=36500)] | None = None
    """Within days: how many days."""
    after: Slug | None = None
    """Share within days: the column holding the date each row's date is counted from."""
    also: Slug | None = None
    """Share recent: a second date column that counts as recent too (the course, for an officer
    trained since an in-service was last due)."""


class ProgramNumber(Model):
    """A number (or date) the standard asks every program to report."""

    id: Slug
    label: Text
    unit: Text
    kind: NumberKind = NumberKind.INTEGER
    required: bool = True
    help: str | None = None
    not_more_than: Slug | None = None
    """Another number this one may not exceed (e.g. trained officers ≤ patrol officers)."""
    from_records: FromRecords | None = None
    """Computed from a record sheet when the program fills it; typed otherwise."""
    choices: tuple[Choice, ...] = ()
    """The values a ``choice`` number may take (at least two); only for that kind."""

    def choice(self, choice_id: str) -> Choice:
        """The choice with this id (it must exist)."""
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        raise KeyError(choice_id)


class UnsupportedClaim(Model):
    """What happens to a rating at a meeting level that cites no evidence at all."""

    treat_as: Slug
    """The level the claim is scored as (e.g. ``partially_met``)."""


class Test(StrEnum):
    """How a decision condition compares its value with the assessment's facts."""

    FLAG = "flag"
    """A yes/no condition (the fact must be none, e.g. no core requirement short)."""
    AT_LEAST = "at_least"
    """The fact must be at least the value (overall score, total points)."""
    EACH_AT_LEAST = "each_at_least"
    """Every one of several facts must be at least the value (each domain's score)."""
    AT_MOST = "at_most"
    """A count must be at most the value (gaps, core gaps, unanswered requirements)."""


@dataclass(frozen=True, slots=True)
class Rule:
    """
    What a decision condition means, declared once, on its field of `Conditions`.

    Everything that lists the conditions reads these: the decision (which fact, which test),
    the cross-checks, diffs and overlays (whether a larger value is stricter) and every text
    that names a condition (its words). A new condition is one new field with its rule.
    """

    test: Test
    fact: str
    """The attribute of the decision's facts it looks at (``overall``, ``core_gaps``…)."""
    words: str
    """The condition in words, ``{}`` standing for its value, e.g. ``overall score at least {}``."""
    unit: str = ""
    """Printed after the value: ``%`` for scores, ``""`` for counts and points."""
    noun: str = ""
    """For counts, what is counted (``core gap``), for the detail sentence."""

    @property
    def sign(self) -> int:
        """+1 when a larger value is stricter, -1 when a smaller one is."""
        return -1 if self.test is Test.AT_MOST else +1

    def shown(self, value: float) -> str:
        """A value of this condition as reports print it: ``80%``, ``79.5%``, ``80``."""
        if self.unit == "%":
            return f"{value:.1f}".removesuffix(".0") + "%"
        return f"{value:g}{self.unit}"

    def describe(self, value: float | bool) -> str:
        """The condition in words: ``overall score at least 80%``, ``at most 2 core gaps``."""
        if self.test is Test.FLAG:
            return self.words
        if self.test is Test.AT_MOST:
            count = int(value)
            if count == 0:
                return f"no {self.noun}s"
            return f"at most {count} {self.noun}{'' if count == 1 else 's'}"
        return self.words.format(self.shown(float(value)))


Count = Annotated[int, Field(ge=0)]


class Conditions(Model):
    """
    The structured conditions of a decision level; every condition that is set must hold.

    No condition set means the level always applies (the lowest level must be like that). Each
    field carries its `Rule`; `condition_rules` lists them in this order.
    """

    all_core_met: Annotated[bool, Rule(Test.FLAG, "core_gaps", "every core requirement met")] = (
        False
    )
    min_overall: Annotated[
        Percent | None, Rule(Test.AT_LEAST, "overall", "overall score at least {}", "%")
    ] = None
    min_domain: Annotated[
        Percent | None, Rule(Test.EACH_AT_LEAST, "domains", "every domain at least {}", "%")
    ] = None
    min_points: Annotated[
        Annotated[float, Field(ge=0)] | None,
        Rule(Test.AT_LEAST, "points", "total points at least {}"),
    ] = None
    """For a scale whose levels carry points: the least total of points (e.g. 80 for Gold)."""
    max_core_gaps: Annotated[
        Count | None, Rule(Test.AT_MOST, "core_gaps", "at most {}", noun="core gap")
    ] = None
    max_gaps: Annotated[Count | None, Rule(Test.AT_MOST, "gaps", "at most {}", noun="gap")] = None
    max_unanswered: Annotated[
        Count | None,
        Rule(Test.AT_MOST, "unanswered", "at most {}", noun="unanswered requirement"),
    ] = None

    def is_unconditional(self) -> bool:
        """True when no condition is set."""
        return self == Conditions()

    def set_rules(self) -> Iterator[tuple[str, Rule, float | bool]]:
        """The conditions that are set, in declaration order, each with its rule and value."""
        for name, rule in condition_rules().items():
            value = getattr(self, name)
            if value is not None and value is not False:
                yield name, rule, value


def condition_rules() -> dict[str, Rule]:
    """Every decision condition's `Rule`, by field name, in declaration order."""
    return {
        name: next(m for m in info.metadata if isinstance(m, Rule))
        for name, info in Conditions.model_fields.items()
    }


def check_proposal(model: BaseModel, proposal: tuple[str, ...], what: str) -> None:
    """
    A `proposal` list names each of `model`'s fields once, and only fields it sets: marking an
    unset term or limit as citcert's would describe a rule that is not there.
    """
    twice = sorted({name for name in proposal if proposal.count(name) > 1})
    if twice:
        raise PydanticCustomError(
            "proposal_twice",
            "proposal names {names} twice; name each once",
            {"names": ", ".join(twice)},
        )
    unset = [name for name in proposal if getattr(model, name) is None]
    if unset:
        raise PydanticCustomError(
            "proposal_unset",
            "proposal names {names}, which this {what} does not set",
            {"names": ", ".join(unset), "what": what},
        )


ValidityTerm = Literal["valid_for_days", "review_every_days", "interim_report_every_days"]
"""The names of the terms of a `Validity`, as `Validity.proposal` lists them."""

_TERM_WORDS: dict[ValidityTerm, str] = {
    "valid_for_days": "the validity",
    "review_every_days": "the review interval",
    "interim_report_every_days": "the interim report interval",
}
"""How each term is named where the scoring explanation says it is citcert's proposal."""

Days = Annotated[int, Field(gt=0, le=3650)]


class Validity(Model):
    """
    How long a decision stands and when the program is looked at again, counted from the
    assessment's as-of date.

    A term left out is not set: with no ``valid_for_days`` the level awards nothing that can
    lapse (e.g. not certified), and with no ``review_every_days`` the next review falls due
    when the decision lapses.
    """

    valid_for_days: Days | None = None
    """How long the decision lasts, e.g. 1095 (CIT International's three years)."""
    review_every_days: Days | None = None
    """When the next full review is due, e.g. 182 (IPS: twice a year until fidelity is good)."""
    interim_report_every_days: Days | None = None
    """When an interim progress report is due between reviews (CALEA's yearly report)."""
    proposal: tuple[ValidityTerm, ...] = ()
    """The terms that are citcert's proposal; every other term set is a published rule."""
    basis: str | None = None
    """Where the terms come from, in words, for the scoring explanation."""

    def describe(self, label: str) -> str | None:
        """
        The terms of the level called `label` in words, saying which are citcert's proposal
        and where they come from: ``Meets the standard lasts 1,095 days (3 years) and asks an
        interim report every 365 days (1 year); the interim report interval is proposed by
        citcert, not a published rule; <basis>.``; None when no term is set.
        """
        terms = []
        if self.valid_for_days is not None:
            terms.append(f"lasts {span(self.valid_for_days)}")
        if self.review_every_days is not None:
            terms.append(f"is reviewed again after {span(self.review_every_days)}")
        if self.interim_report_every_days is not None:
            terms.append(f"asks an interim report every {span(self.interim_report_every_days)}")
        if not terms:
            return None
        text = f"{label} {join_words(terms)}"
        if self.proposal:
            named = join_words([_TERM_WORDS[t] for t in self.proposal])
            verb = "is" if len(self.proposal) == 1 else "are"
            text += f"; {named} {verb} proposed by citcert, not a published rule"
        return text + (f"; {self.basis.strip()}" if self.basis else "") + "."

    @model_validator(mode="after")
    def _proposals_are_set(self) -> Validity:
        check_proposal(self, self.proposal, "validity")
        return self


class DecisionLevel(Model):
    """One possible decision, e.g. certified, with its conditions."""

    id: LevelIdField
    label: Text
    description: Text
    colour: Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
    conditions: Conditions = Conditions()
    validity: Validity | None = None
    """How long this decision lasts and when the next review or interim report is due."""


ExceptionLimit = Literal["max_exceptions", "max_days"]
"""The names of the limits of an `ExceptionPolicy`, as `ExceptionPolicy.proposal` lists them."""

_LIMIT_WORDS: dict[ExceptionLimit, str] = {
    "max_exceptions": "the limit on how many",
    "max_days": "the limit on how long",
}


class ExceptionPolicy(Model):
    """
    What a program may have excepted (waived): an approved, dated exception takes a requirement
    out of the score like not applicable, until it expires.
    """

    allowed: bool = False
    """Whether this standard accepts exceptions at all."""
    core_allowed: bool = False
    """Whether a core requirement may be excepted (never, unless this says so)."""
    max_exceptions: Annotated[int, Field(ge=0)] | None = None
    """At most this many exceptions in one workbook."""
    max_days: Days | None = None
    """An exception may run at most this many days from its approval to its expiry."""
    proposal: tuple[ExceptionLimit, ...] = ()
    """The limits that are citcert's proposal; every other limit set is a published rule."""

    def describe(self) -> str:
        """What this policy allows, in words, for ``citcert standards show``."""
        if not self.allowed or self.max_exceptions == 0:
            return "This standard accepts no exceptions: every requirement is rated."
        core = "any requirement, core ones included"
        which = core if self.core_allowed else "requirements that are not core"
        limits = []
        if self.max_exceptions is not None:
            limits.append(f"at most {plural(self.max_exceptions, 'exception')} in one workbook")
        if self.max_days is not None:
            limits.append(f"each running at most {span(self.max_days)} from approval to expiry")
        rest = f" ({join_words(limits)})" if limits else ""
        if self.proposal:
            rest += f"; {self.proposal_words()}"
        return (
            f"Exceptions: an approver may except {which}{rest}. An excepted requirement is left "
            "out of the scores until its exception expires; after that it counts as not met."
        )

    def proposal_words(self) -> str:
        """``these limits are proposed by citcert, not a published rule`` ('' for none)."""
        if not self.proposal:
            return ""
        named = "these limits" if len(self.proposal) > 1 else _LIMIT_WORDS[self.proposal[0]]
        verb = "are" if len(self.proposal) > 1 else "is"
        return f"{named} {verb} proposed by citcert, not a published rule"

    @model_validator(mode="after")
    def _proposals_are_set(self) -> ExceptionPolicy:
        check_proposal(self, self.proposal, "policy")
        return self


class OverallMethod(StrEnum):
    """How the overall score is formed."""

    REQUIREMENTS = "requirements"
    """Weighted mean over every applicable requirement."""
    DOMAINS = "domains"
    """Plain mean of the domain scores."""


class ScoringPolicy(Model):
    """How ratings become credits, scores and a decision."""

    scale: RatingScale
    overall: OverallMethod = OverallMethod.REQUIREMENTS
    include_core_in_scores: bool = True
    unsupported_claim: UnsupportedClaim | None = None
    evidence_max_age_days: Annotated[int, Field(gt=0)] | None = None
    """Documents dated longer ago than this (before the as-of date) are stale."""
    decision_levels: Annotated[tuple[DecisionLevel, ...], Field(min_length=1)]
    """Best first; the last must be unconditional."""
    proposal_note: str | None = None
    """Which thresholds are citcert's proposal rather than a published rule."""
    exceptions: ExceptionPolicy = ExceptionPolicy()
    """What may be excepted; by default nothing."""

    def validity_terms(self) -> tuple[str, ...]:
        """Each decision level's terms in words (`Validity.describe`), for levels that set any."""
        return tuple(
            text
            for level in self.decision_levels
            if level.validity is not None and (text := level.validity.describe(level.label))
        )


class ChangeKind(StrEnum):
    """What an overlay did to one part of its base."""

    ADDED = "added"
    """Something new that no score counts (a program number)."""
    REMOVED = "removed"
    """A requirement dropped (always with a reason)."""
    TIGHTENED = "tightened"
    """Stricter: no program can end up with a better score or decision for it."""
    WEAKENED = "weakened"
    """Looser: some program may end up with a better score or decision (needs a reason)."""
    RESCORED = "rescored"
    """
    Changes how scores are formed, so a program may score higher or lower: an added
    requirement or domain (more weight in the mean), a requirement's weight raised or lowered
    (which dilutes or concentrates the rest of its domain), a requirement made core or not
    where core requirements are left out of the scores.
    """
    CHANGED = "changed"
    """Neither stricter nor looser, and no score moves: wording, guidance, a dependency."""


class TailoringChange(Model):
    """One change an overlay made, kept in the resolved standard so reports can name it."""

    kind: ChangeKind
    target: str
    """A requirement id, or ``scoring`` for the policy."""
    description: Text
    reason: str | None = None


class Tailoring(Model):
    """Where a resolved standard came from when it is an overlay on a base."""

    base: str
    """The base's ``id@version``."""
    base_sha256: str
    changes: tuple[TailoringChange, ...] = ()

    @property
    def weakenings(self) -> tuple[TailoringChange, ...]:
        """The changes that loosen the base, each with its stated reason."""
        return tuple(c for c in self.changes if c.kind is ChangeKind.WEAKENED)

    @property
    def rescorings(self) -> tuple[TailoringChange, ...]:
        """The changes to how scores are formed (added requirements, weights), in order."""
        return tuple(c for c in self.changes if c.kind is ChangeKind.RESCORED)


class Identity(Model):
    """What names a standard or an overlay file and says where it stands: both formats' top."""

    id: StandardId
    version: Version
    title: Text
    publisher: Text
    effective: dt.date
    status: StandardStatus
    summary: Text


class Standard(Identity):
    """A complete, resolved standard: what every command after loading works on."""

    citation: Annotated[tuple[Citation, ...], Field(min_length=1)]
    supersedes: str | None = None
    """The ``id@version`` whose requirement ids the ``replaces`` lists refer to."""
    program_numbers: tuple[ProgramNumber, ...] = ()
    records: tuple[Slug, ...] = ()
    """The record sheets (`citcert.standards.records`) its evidence workbook carries."""
    scoring: ScoringPolicy
    domains: Annotated[tuple[Domain, ...], Field(min_length=1)]
    tailoring: Tailoring | None = None

    @property
    def ref(self) -> str:
        """The ``id@version`` that names this standard."""
        return f"{self.id}@{self.version}"

    def requirements(self) -> Iterator[tuple[Domain, Requirement]]:
        """Every requirement with its domain, in document order."""
        for domain in self.domains:
            for requirement in domain.requirements:
                yield domain, requirement

    def requirement(self, requirement_id: RequirementId) -> Requirement:
        """The requirement with this id (it must exist)."""
        for _, requirement in self.requirements():
            if requirement.id == requirement_id:
                return requirement
        raise KeyError(requirement_id)

    def number(self, number_id: str) -> ProgramNumber:
        """The program number with this id (it must exist)."""
        for number in self.program_numbers:
            if number.id == number_id:
                return number
        raise KeyError(number_id)

    @cached_property
    def _sha256(self) -> str:
        """`standard_sha256`, worked out once: a batch worker asks it twice per workbook."""
        dumped = self.model_dump(mode="json", exclude_defaults=True, exclude={"status"})
        payload = json.dumps(dumped, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """pydantic's copy, without the digest of the original (the copy's content may differ)."""
        copy = super().model_copy(update=update, deep=deep)
        copy.__dict__.pop("_sha256", None)
        return copy


def standard_sha256(standard: Standard) -> str:
    """
    The SHA-256 of a resolved standard's canonical JSON.

    It identifies the content, not the file: the same standard loaded from reformatted YAML, or
    an overlay resolved twice, gives the same digest. Values left at their defaults are not in
    it, so a citcert that adds a field (with a default) to the format does not change the digest
    of a standard that does not use it, and its workbooks do not warn that the standard changed.
    Nor is its `status`: a version superseded by the next one says what it said before. (A test
    holds the format's defaults, so changing one, which would change what such standards mean
    with their digests unchanged, is a decision taken on purpose.) A standard is immutable, so
    it is worked out once for each.
    """
    return standard._sha256
