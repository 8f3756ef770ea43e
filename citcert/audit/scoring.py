"""
Scoring: the pure function from a standard and a workbook's evidence to an `Assessment`.

`assess` reads no file and no clock: the assessment date comes from the workbook (or the
caller), and everything a report shows is computed here, once (STYLE §13). The steps, each a
small function: resolve whose answer counts, rate it (from the program's numbers when the
requirement is measurable), raise findings, score domains and the whole, decide, list the gaps
and plan their remediation.

Decisions this module takes, and why (they are also stated in every report's scoring
explanation, generated from the policy by `explain`):

- **Whose rating counts.** In a review the reviewer's rating wins; a self rating with no
  reviewer rating is used but marked unverified. In a self-assessment the self rating counts
  and reviewer columns are ignored.
- **The numbers win.** A measurable requirement whose metric can be worked out is rated from
  the metric; a rating that disagrees is a finding, not a vote. The metric is the measurement.
- **A missing number** leaves the person's rating standing, with a finding; a rating at a
  meeting level is then scored like an unsupported claim (the number *is* the evidence).
- **An unsupported claim** (a meeting level with no evidence summary and no document; in a
  review the reviewer's comment counts as evidence for the reviewer's rating) is scored as the
  policy's ``unsupported_claim.treat_as`` level.
- **Not applicable** leaves a requirement out of every score where the standard allows it (a
  missing reason is a warning); where it does not, it counts as the lowest level.
- **Dependencies** are findings only: a requirement counted as met whose prerequisite is not
  met keeps its own credit, because the shortfall is already counted once, at the prerequisite,
  and the plan orders the prerequisite first. It also keeps "mark one requirement not
  applicable" from moving any other requirement's credit.
- **Stale evidence** (documents older than ``evidence_max_age_days``) is a finding; the
  document still counts as evidence. Dates measured in days (``days_since`` metrics) that are
  too long ago are rated by their thresholds and reported as stale.
- Scores and metric values are rounded to one decimal before they are compared with a
  threshold, so the number a report prints is the number that was judged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import assert_never

from citcert import __version__
from citcert.audit import plan as planner
from citcert.audit.assessment import (
    Assessment,
    Counts,
    Decision,
    DomainScore,
    Finding,
    FindingKind,
    Gap,
    MetricResult,
    Provenance,
    RatingSource,
    RemediationPlan,
    RequirementResult,
    Severity,
    Status,
)
from citcert.audit.decision import decide, describe, facts_of, is_gap, join_words, percent, plural
from citcert.audit.evidence import (
    Answer,
    Document,
    Evidence,
    Mode,
    NotApplicableAnswer,
    Rated,
    RequirementEvidence,
    Unanswered,
)
from citcert.standards.model import (
    Direction,
    Domain,
    Metric,
    MetricCompute,
    OverallMethod,
    RatingLevel,
    RatingScale,
    Requirement,
    ScoringPolicy,
    Standard,
    standard_sha256,
)

NOT_ANSWERED = "Not answered"
"""What reports print as the rating of an unanswered requirement."""


def assess(
    standard: Standard,
    evidence: Evidence,
    *,
    as_of: dt.date | None = None,
    mode: Mode | None = None,
) -> Assessment:
    """
    Audit one workbook's evidence against a standard: every field of the `Assessment`.

    ``as_of`` defaults to the workbook's assessment date and ``mode`` to its assessment type.
    Pure: the same inputs always give an equal result.
    """
    ctx = _Context.of(standard, evidence, as_of, mode)
    results = _with_dependencies(tuple(_result(ctx, d, r) for d, r in standard.requirements()))
    domains, overall, decision = _judge(ctx, results)
    gaps = _gaps(results)
    plan = planner.build_plan(
        standard, gaps, as_of=ctx.as_of, decision=decision, overall=overall,
        what_if=_what_if(ctx, results),
    )  # fmt: skip
    counts = _counts(results)
    return Assessment(
        provenance=_provenance(ctx),
        profile=evidence.profile,
        overall_score=overall,
        domains=_with_thresholds(standard.scoring, domains, decision),
        results=results,
        decision=decision,
        gaps=gaps,
        plan=plan,
        counts=counts,
        headline=_headline(ctx, overall, decision, counts, plan),
        scoring_explanation=explain(standard),
        tailoring=standard.tailoring.changes if standard.tailoring else (),
        warnings=evidence.warnings,
    )


@dataclass(frozen=True, slots=True)
class _Context:
    """What every step reads: the standard, the evidence, the date and the mode."""

    standard: Standard
    evidence: Evidence
    as_of: dt.date
    mode: Mode
    documents: dict[str, Document] = field(default_factory=dict)
    """The workbook's document index by case-folded name."""

    @classmethod
    def of(
        cls, standard: Standard, evidence: Evidence, as_of: dt.date | None, mode: Mode | None
    ) -> _Context:
        index: dict[str, Document] = {}
        for doc in evidence.documents:
            index.setdefault(_key(doc.name), doc)
        return cls(
            standard=standard,
            evidence=evidence,
            as_of=as_of or evidence.profile.assessment_date,
            mode=mode or evidence.profile.assessment_type,
            documents=index,
        )

    @property
    def scale(self) -> RatingScale:
        return self.standard.scoring.scale


# ── one requirement ────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class _Claim:
    """The answer that counts for a requirement, who gave it, and what that raised."""

    answer: Answer
    source: RatingSource
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class _Outcome:
    """A requirement's rating once the claim, the metric and the policy have had their say."""

    status: Status
    level: RatingLevel | None
    label: str
    source: RatingSource
    findings: tuple[Finding, ...] = ()

    @property
    def applicable(self) -> bool:
        return self.status is not Status.NOT_APPLICABLE

    @property
    def credit(self) -> float:
        return self.level.credit if self.level is not None and self.applicable else 0.0


def _result(ctx: _Context, domain: Domain, req: Requirement) -> RequirementResult:
    row = ctx.evidence.for_requirement(req.id)
    claim = _claim(ctx, req, row)
    outcome, metric = _rate(ctx, req, row, claim)
    findings = claim.findings + outcome.findings
    if outcome.applicable:
        findings += _stale_documents(ctx, req, row)
    answer = claim.answer
    return RequirementResult(
        requirement_id=req.id,
        domain_id=domain.id,
        title=req.title,
        statement=req.statement,
        core=req.core,
        weight=req.weight,
        status=outcome.status,
        level=outcome.level.id if outcome.level else None,
        level_label=outcome.label,
        source=outcome.source,
        credit=outcome.credit,
        applicable=outcome.applicable,
        self_level=_level_id(row.self_rating),
        reviewer_level=_level_id(row.reviewer_rating),
        metric=metric,
        evidence_expected=req.evidence,
        evidence_summary=row.evidence_summary,
        documents=row.documents,
        reviewer_comment=row.reviewer_comment,
        not_applicable_reason=answer.reason if isinstance(answer, NotApplicableAnswer) else "",
        depends_on=req.depends_on,
        findings=findings,
        cell=str(row.row) if row.row else None,
    )


def _claim(ctx: _Context, req: Requirement, row: RequirementEvidence) -> _Claim:
    """Whose answer counts: the program's in a self-assessment, the reviewer's in a review."""
    match ctx.mode:
        case Mode.SELF:
            return _Claim(row.self_rating, _source(row.self_rating, RatingSource.SELF))
        case Mode.REVIEW:
            if not isinstance(row.reviewer_rating, Unanswered):
                return _Claim(row.reviewer_rating, RatingSource.REVIEWER, _disagrees(ctx, req, row))
            if isinstance(row.self_rating, Unanswered):
                return _Claim(row.self_rating, RatingSource.NONE)
            label = _answer_label(ctx.scale, row.self_rating)
            text = (
                f"No reviewer rating: the program's own rating ({label}) is used "
                "but has not been verified."
            )
            return _Claim(row.self_rating, RatingSource.SELF, (_finding(req, "UNVERIFIED", text),))
        case _:
            assert_never(ctx.mode)


def _disagrees(ctx: _Context, req: Requirement, row: RequirementEvidence) -> tuple[Finding, ...]:
    mine, theirs = row.self_rating, row.reviewer_rating
    if isinstance(mine, Unanswered) or _answer_key(mine) == _answer_key(theirs):
        return ()
    text = (
        f"The reviewer rated this {_answer_label(ctx.scale, theirs)}; "
        f"the program's own rating was {_answer_label(ctx.scale, mine)}."
    )
    return (_finding(req, "REVIEWER_DISAGREES", text),)


def _rate(
    ctx: _Context, req: Requirement, row: RequirementEvidence, claim: _Claim
) -> tuple[_Outcome, MetricResult | None]:
    """Rate a requirement: not applicable where allowed, else the numbers, else the person."""
    if isinstance(claim.answer, NotApplicableAnswer) and req.not_applicable.allowed:
        return _not_applicable(req, claim, ctx.scale), None
    measured = _measure(ctx, req.metric, row) if req.metric else None
    if req.metric and measured and measured.level is not None:
        return _by_metric(ctx, req, req.metric, claim, measured), measured
    return _by_person(ctx, req, row, claim, measured), measured


def _not_applicable(req: Requirement, claim: _Claim, scale: RatingScale) -> _Outcome:
    findings: tuple[Finding, ...] = ()
    answer = claim.answer
    if isinstance(answer, NotApplicableAnswer) and not answer.reason.strip():
        when = req.not_applicable.when
        hint = f" The standard accepts it when: {when}" if when else ""
        text = f"Marked not applicable without a reason. Say why it does not apply.{hint}"
        findings = (_finding(req, "NOT_APPLICABLE_WITHOUT_REASON", text),)
    label = scale.not_applicable_label
    return _Outcome(Status.NOT_APPLICABLE, None, label, claim.source, findings)


def _by_metric(
    ctx: _Context, req: Requirement, metric: Metric, claim: _Claim, measured: MetricResult
) -> _Outcome:
    """The numbers rate the requirement; disagreeing ratings and shortfalls are findings."""
    level = ctx.scale.level(measured.level or "")
    findings: list[Finding] = []
    best = ctx.scale.best
    if level.id != best.id:
        kind = "STALE" if metric.compute is MetricCompute.DAYS_SINCE else "METRIC_BELOW_THRESHOLD"
        needs = _threshold(metric, metric.met)
        text = f"{metric.label}: {measured.display}; {best.label} needs {needs}."
        findings.append(_finding(req, kind, text))
    answer = claim.answer
    if isinstance(answer, Rated) and answer.level != level.id:
        said = _answer_label(ctx.scale, answer)
        text = f"Rated {said}, but the numbers give {level.label}; the numbers count."
        findings.append(_finding(req, "METRIC_CONTRADICTS_RATING", text))
    elif isinstance(answer, NotApplicableAnswer):
        text = (
            "Marked not applicable, which this standard does not allow here; "
            "rated from the numbers instead."
        )
        findings.append(_finding(req, "NOT_APPLICABLE_NOT_ALLOWED", text))
    return _Outcome(_status(level), level, level.label, RatingSource.METRIC, tuple(findings))


def _by_person(
    ctx: _Context,
    req: Requirement,
    row: RequirementEvidence,
    claim: _Claim,
    measured: MetricResult | None,
) -> _Outcome:
    """The person's rating counts (there is no metric, or it cannot be worked out)."""
    missing = () if measured is None else (_metric_missing(req, measured),)
    answer = claim.answer
    match answer:
        case Rated():
            return _rated(ctx, req, row, claim, ctx.scale.level(answer.level), missing)
        case NotApplicableAnswer():
            worst = ctx.scale.levels[-1]
            text = (
                "Marked not applicable, but this standard does not allow that here, "
                f"so it counts as {worst.label}."
            )
            found = (_finding(req, "NOT_APPLICABLE_NOT_ALLOWED", text), *missing)
            return _Outcome(Status.NOT_MET, worst, worst.label, claim.source, found)
        case Unanswered():
            text = "No rating was given, so it earns no credit and counts as a gap."
            found = (_finding(req, "UNANSWERED", text), *missing)
            return _Outcome(Status.UNANSWERED, None, NOT_ANSWERED, RatingSource.NONE, found)
        case _:
            assert_never(answer)


def _rated(
    ctx: _Context,
    req: Requirement,
    row: RequirementEvidence,
    claim: _Claim,
    level: RatingLevel,
    missing: tuple[Finding, ...],
) -> _Outcome:
    """A rating on the scale, lowered to the policy's level when a meeting claim is unbacked."""
    findings = list(missing)
    unbacked = level.meets and not _has_evidence(row, claim.source)
    policy = ctx.standard.scoring.unsupported_claim
    scored = level
    if policy is not None and level.meets and (missing or unbacked):
        cap = ctx.scale.level(policy.treat_as)
        scored = cap if cap.credit < level.credit else level
    if unbacked:
        then = f"it is scored as {scored.label}" if scored is not level else "it is flagged"
        text = (
            f"Rated {level.label}, but no evidence summary or document is given, so {then}. "
            "Describe the evidence or list the documents."
        )
        findings.append(_finding(req, "UNSUPPORTED_CLAIM", text))
    elif missing and scored is not level:
        text = f"Without the number, the rating {level.label} is scored as {scored.label}."
        findings.append(_finding(req, "METRIC_MISSING", text))
    return _Outcome(_status(scored), scored, scored.label, claim.source, tuple(findings))


def _has_evidence(row: RequirementEvidence, source: RatingSource) -> bool:
    if row.evidence_summary.strip() or any(d.strip() for d in row.documents):
        return True
    return source is RatingSource.REVIEWER and bool(row.reviewer_comment.strip())


def _stale_documents(
    ctx: _Context, req: Requirement, row: RequirementEvidence
) -> tuple[Finding, ...]:
    """A finding per cited document dated longer ago than the policy's evidence age."""
    limit = ctx.standard.scoring.evidence_max_age_days
    if limit is None:
        return ()
    found = []
    for name in row.documents:
        doc = ctx.documents.get(_key(name))
        if doc is None or doc.date is None:
            continue
        age = (ctx.as_of - doc.date).days
        if age > limit:
            text = (
                f"Document “{doc.name}” is dated {doc.date.isoformat()}, {age} days before "
                f"{ctx.as_of.isoformat()}; evidence older than {limit} days is stale. "
                "Provide a current one."
            )
            found.append(_finding(req, "STALE", text))
    return tuple(found)


def _with_dependencies(results: tuple[RequirementResult, ...]) -> tuple[RequirementResult, ...]:
    """Flag requirements counted as met whose prerequisite is not (no credit changes)."""
    by_id = {r.requirement_id: r for r in results}
    return tuple(_check_dependencies(r, by_id) for r in results)


def _check_dependencies(
    result: RequirementResult, by_id: dict[str, RequirementResult]
) -> RequirementResult:
    if result.status is not Status.MET:
        return result
    found = []
    for dep_id in result.depends_on:
        dep = by_id.get(dep_id)
        if dep is not None and is_gap(dep):
            text = (
                f"Counted as met, but its prerequisite {dep.requirement_id} ({dep.title}) is "
                f"{dep.level_label}; close that gap first."
            )
            found.append(
                Finding(
                    kind=FindingKind.DEPENDENCY_NOT_MET,
                    requirement_id=result.requirement_id,
                    message=text,
                )
            )
    if not found:
        return result
    return result.model_copy(update={"findings": (*result.findings, *found)})


# ── metrics ────────────────────────────────────────────────────────────────────────────────


def _measure(ctx: _Context, metric: Metric, row: RequirementEvidence) -> MetricResult:
    """A metric's value with its working, and the level it earns (``None`` if it cannot)."""
    value, display = _value(ctx, metric, row)
    level = None if value is None else _metric_level(ctx.scale, metric, value).id
    thresholds = [f"{_threshold(metric, metric.met)} for {ctx.scale.best.label}"]
    if metric.partial is not None:
        middle = _partial_level(ctx.scale)
        thresholds.append(f"{_threshold(metric, metric.partial)} for {middle.label}")
    return MetricResult(
        label=metric.label,
        unit=metric.unit,
        value=value,
        display=display,
        threshold=", ".join(thresholds),
        level=level,
    )


def _value(ctx: _Context, metric: Metric, row: RequirementEvidence) -> tuple[float | None, str]:
    match metric.compute:
        case MetricCompute.VALUE:
            return _plain_value(ctx, metric, row)
        case MetricCompute.RATIO:
            return _ratio(ctx, metric)
        case MetricCompute.DAYS_SINCE:
            return _days_since(ctx, metric)
        case _:
            assert_never(metric.compute)


def _plain_value(
    ctx: _Context, metric: Metric, row: RequirementEvidence
) -> tuple[float | None, str]:
    if metric.inputs:
        value, problem = _number(ctx, metric.inputs[0])
    elif row.metric_value is None:
        value, problem = None, "the value on the requirement's row is not given"
    else:
        value, problem = row.metric_value, ""
    if value is None:
        return None, f"cannot be worked out: {problem}"
    return value, f"{_num(value)}{_unit(metric.unit)}"


def _ratio(ctx: _Context, metric: Metric) -> tuple[float | None, str]:
    part, problem = _number(ctx, metric.inputs[0])
    whole, problem_whole = _number(ctx, metric.inputs[1])
    if part is None or whole is None:
        return None, f"cannot be worked out: {problem or problem_whole}"
    if whole == 0:
        return None, f"cannot be worked out: {_label(ctx, metric.inputs[1])} is 0"
    value = round(100 * part / whole, 1)
    named = (
        f"{_num(part)} {_lower_first(_label(ctx, metric.inputs[0]))} of "
        f"{_num(whole)} {_lower_first(_label(ctx, metric.inputs[1]))}"
    )
    return value, f"{named} = {_num(value)}{_unit(metric.unit)}"


def _days_since(ctx: _Context, metric: Metric) -> tuple[float | None, str]:
    when = ctx.evidence.numbers.get(metric.inputs[0])
    if not isinstance(when, dt.date):
        label = _label(ctx, metric.inputs[0])
        problem = f"{label} is not given" if when is None else f"{label} is not a date"
        return None, f"cannot be worked out: {problem}"
    days = (ctx.as_of - when).days
    return float(days), f"{days}{_unit(metric.unit)} since {when.isoformat()}"


def _number(ctx: _Context, number_id: str) -> tuple[float | None, str]:
    """A program number as a float, or ``None`` and why not."""
    value = ctx.evidence.numbers.get(number_id)
    label = _label(ctx, number_id)
    if value is None:
        return None, f"{label} is not given"
    if isinstance(value, dt.date):
        return None, f"{label} is a date, not a number"
    return float(value), ""


def _metric_level(scale: RatingScale, metric: Metric, value: float) -> RatingLevel:
    def reaches(threshold: float) -> bool:
        match metric.direction:
            case Direction.AT_LEAST:
                return value >= threshold
            case Direction.AT_MOST:
                return value <= threshold
            case _:
                assert_never(metric.direction)

    if reaches(metric.met):
        return scale.best
    if metric.partial is not None and reaches(metric.partial):
        return _partial_level(scale)
    return scale.levels[-1]


def _partial_level(scale: RatingScale) -> RatingLevel:
    """The level a metric between its two thresholds earns: the best one that does not meet."""
    return next((lv for lv in scale.levels if not lv.meets), scale.levels[-1])


def _metric_missing(req: Requirement, measured: MetricResult) -> Finding:
    text = f"{measured.label} {measured.display}. Enter the program's numbers in the workbook."
    return _finding(req, "METRIC_MISSING", text)


def _threshold(metric: Metric, threshold: float) -> str:
    word = "at least" if metric.direction is Direction.AT_LEAST else "at most"
    return f"{word} {_num(threshold)}{_unit(metric.unit)}"


# ── scores, decision, gaps ─────────────────────────────────────────────────────────────────


def _judge(
    ctx: _Context, results: Sequence[RequirementResult]
) -> tuple[tuple[DomainScore, ...], float, Decision]:
    """Domain scores, the overall score and the decision for a set of results."""
    policy = ctx.standard.scoring
    domains = tuple(_domain_score(d, results, policy) for d in ctx.standard.domains)
    overall = _overall(policy, results, domains)
    return domains, overall, decide(policy, facts_of(results, domains, overall))


def _weighted(results: Sequence[RequirementResult], include_core: bool) -> float | None:
    """The weighted mean credit of the scored requirements, as a percentage."""
    scored = [r for r in results if r.applicable and (include_core or not r.core)]
    total = sum(r.weight for r in scored)
    if total == 0:
        return None
    return round(100 * sum(r.weight * r.credit for r in scored) / total, 1)


def _domain_score(
    domain: Domain, results: Sequence[RequirementResult], policy: ScoringPolicy
) -> DomainScore:
    mine = [r for r in results if r.domain_id == domain.id]
    return DomainScore(
        domain_id=domain.id,
        title=domain.title,
        score=_weighted(mine, policy.include_core_in_scores),
        threshold=None,
        requirements=len(mine),
        applicable=sum(1 for r in mine if r.applicable),
        met=sum(1 for r in mine if r.status is Status.MET),
        gaps=sum(1 for r in mine if is_gap(r)),
        core_gaps=sum(1 for r in mine if r.core and is_gap(r)),
    )


def _overall(
    policy: ScoringPolicy, results: Sequence[RequirementResult], domains: Sequence[DomainScore]
) -> float:
    match policy.overall:
        case OverallMethod.REQUIREMENTS:
            score = _weighted(results, policy.include_core_in_scores)
        case OverallMethod.DOMAINS:
            scores = [d.score for d in domains if d.score is not None]
            score = round(sum(scores) / len(scores), 1) if scores else None
        case _:
            assert_never(policy.overall)
    return score if score is not None else 0.0


def _with_thresholds(
    policy: ScoringPolicy, domains: tuple[DomainScore, ...], decision: Decision
) -> tuple[DomainScore, ...]:
    """Give each domain the minimum the next level up asks (the top level's own at the top)."""
    wanted = decision.next_level_id or decision.level_id
    level = next(lv for lv in policy.decision_levels if lv.id == wanted)
    minimum = level.conditions.min_domain
    return tuple(d.model_copy(update={"threshold": minimum}) for d in domains)


def _what_if(ctx: _Context, results: tuple[RequirementResult, ...]) -> planner.WhatIf:
    """The overall score and decision if one requirement alone were fully met."""
    best = ctx.scale.best

    def lifted(requirement_id: str) -> tuple[float, Decision]:
        changed = tuple(
            r.model_copy(update={"status": Status.MET, "level": best.id, "credit": best.credit})
            if r.requirement_id == requirement_id
            else r
            for r in results
        )
        _, overall, decision = _judge(ctx, changed)
        return overall, decision

    return lifted


_SEVERITY_ORDER = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)


def _gaps(results: Sequence[RequirementResult]) -> tuple[Gap, ...]:
    """Every applicable requirement not fully met, most severe first, ties by id."""
    weights = [r.weight for r in results if r.applicable]
    mean_weight = sum(weights) / len(weights) if weights else 1.0
    ranked = []
    for r in results:
        if is_gap(r):
            impact = r.weight * (1 - r.credit) / mean_weight
            gap = _gap(r, _severity(r, impact))
            ranked.append(((_SEVERITY_ORDER.index(gap.severity), -impact, r.requirement_id), gap))
    return tuple(gap for _, gap in sorted(ranked, key=lambda pair: pair[0]))


def _severity(result: RequirementResult, impact: float) -> Severity:
    """
    Core gaps are critical (high when less than half short); others by their shortfall times
    their weight relative to the mean weight: high from 0.75, medium from 0.4, else low.
    """
    if result.core:
        return Severity.CRITICAL if 1 - result.credit >= 0.5 else Severity.HIGH
    if impact >= 0.75:
        return Severity.HIGH
    return Severity.MEDIUM if impact >= 0.4 else Severity.LOW


def _gap(result: RequirementResult, severity: Severity) -> Gap:
    return Gap(
        requirement_id=result.requirement_id,
        domain_id=result.domain_id,
        title=result.title,
        core=result.core,
        severity=severity,
        shortfall=round(1 - result.credit, 4),
        status=result.status,
        level_label=result.level_label,
        asks=result.statement,
        found=_found(result),
        evidence_missing=_evidence_missing(result),
        reviewer_comment=result.reviewer_comment,
        findings=result.findings,
    )


_SOURCE_WORDS = {
    RatingSource.REVIEWER: "rated by the reviewer",
    RatingSource.SELF: "the program's own rating",
    RatingSource.METRIC: "rated from the program's numbers",
    RatingSource.NONE: "no rating given",
}


def _found(result: RequirementResult) -> str:
    """What was found, in one sentence built from the rating, the metric and the claim."""
    if result.status is Status.UNANSWERED:
        return "No rating was given in the workbook."
    parts = [f"{result.level_label} ({_SOURCE_WORDS[result.source]})"]
    claimed = result.reviewer_level if result.source is RatingSource.REVIEWER else result.self_level
    if result.source is not RatingSource.METRIC and claimed and claimed != result.level:
        parts.append("lower than the rating given, see the findings")
    if result.metric is not None:
        sep = ":" if result.metric.value is not None else ""
        parts.append(f"{result.metric.label}{sep} {result.metric.display}")
    return "; ".join(parts) + "."


def _evidence_missing(result: RequirementResult) -> tuple[str, ...]:
    """The expected evidence that neither the summary nor a document name mentions."""
    given = _stems(" ".join((result.evidence_summary, *result.documents)))
    return tuple(item for item in result.evidence_expected if not _stems(item) <= given)


def _counts(results: Sequence[RequirementResult]) -> Counts:
    statuses = Counter(r.status for r in results)
    gaps = [r for r in results if is_gap(r)]
    core_gaps = sum(1 for r in gaps if r.core)
    return Counts(
        requirements=len(results),
        applicable=sum(1 for r in results if r.applicable),
        met=statuses[Status.MET],
        partial=statuses[Status.PARTIAL],
        not_met=statuses[Status.NOT_MET],
        not_applicable=statuses[Status.NOT_APPLICABLE],
        unanswered=statuses[Status.UNANSWERED],
        gaps=len(gaps),
        core_gaps=core_gaps,
        other_gaps=len(gaps) - core_gaps,
        findings=sum(len(r.findings) for r in results),
    )


# ── words ──────────────────────────────────────────────────────────────────────────────────


def _provenance(ctx: _Context) -> Provenance:
    return Provenance(
        tool_version=__version__,
        standard_ref=ctx.standard.ref,
        standard_title=ctx.standard.title,
        standard_sha256=standard_sha256(ctx.standard),
        workbook_name=ctx.evidence.file_name,
        workbook_sha256=ctx.evidence.workbook_sha256,
        mode=ctx.mode,
        as_of=ctx.as_of,
    )


def _headline(
    ctx: _Context, overall: float, decision: Decision, counts: Counts, plan: RemediationPlan
) -> str:
    """The one plain paragraph a report opens with."""
    profile = ctx.evidence.profile
    place = ", ".join(p.strip() for p in (profile.jurisdiction, profile.state) if p.strip())
    who = f"{profile.program_name} ({place})" if place else profile.program_name
    gaps = plural(counts.gaps, "gap")
    if counts.core_gaps:
        gaps += f", {counts.core_gaps} on core requirement{'s' if counts.core_gaps > 1 else ''}"
    sentences = [
        f"{who}: {decision.label}.",
        f"Assessed as {_how(ctx)} against {ctx.standard.title} ({ctx.standard.ref}) "
        f"as of {ctx.as_of.isoformat()}.",
        f"Overall score {percent(overall)}; {counts.met} of {counts.applicable} applicable "
        f"requirements met; {gaps}.",
    ]
    if decision.reasons:
        sentences.append(f"Not yet {decision.next_level_label}: {'; '.join(decision.reasons)}.")
    lifting = planner.lift_sentence(plan.steps)
    if lifting:
        sentences.append(lifting)
    return " ".join(sentences)


def _how(ctx: _Context) -> str:
    match ctx.mode:
        case Mode.SELF:
            return "a self-assessment"
        case Mode.REVIEW:
            reviewer = ctx.evidence.profile.reviewer.strip()
            return f"a review by {reviewer}" if reviewer else "a review"
        case _:
            assert_never(ctx.mode)


def explain(standard: Standard) -> tuple[str, ...]:
    """How scoring and the decision work for this standard, in sentences made from its policy."""
    policy = standard.scoring
    lines = [
        _scale_line(policy.scale),
        f"“{policy.scale.not_applicable_label}” leaves a requirement out of every score where "
        f"the standard allows it; where it does not, it counts as {policy.scale.levels[-1].label}.",
        "An unanswered requirement earns no credit and counts as a gap.",
        _claim_line(policy),
        _metric_line(policy),
        "In a review the reviewer's rating counts; where the reviewer gave none, the program's "
        "own rating is used and marked unverified.",
        "A requirement counted as met whose prerequisite is not met is flagged but keeps its "
        "credit: the shortfall is counted once, at the prerequisite.",
        _score_line(policy),
        "The decision is the highest level whose conditions all hold:",
        *(f"{lv.label}: {describe(lv.conditions)}." for lv in policy.decision_levels),
    ]
    if policy.evidence_max_age_days is not None:
        lines.insert(5, (
            f"Documents dated more than {policy.evidence_max_age_days} days before the "
            "assessment date are flagged as stale; they still count as evidence."
        ))  # fmt: skip
    if policy.proposal_note:
        lines.append(policy.proposal_note.strip())
    return tuple(lines)


def _scale_line(scale: RatingScale) -> str:
    parts = [
        f"{lv.label} {percent(100 * lv.credit)}" + (" (counts as met)" if lv.meets else "")
        for lv in scale.levels
    ]
    return f"Each rating earns a share of the requirement's weight: {join_words(parts)}."


def _claim_line(policy: ScoringPolicy) -> str:
    meeting = " or ".join(lv.label for lv in policy.scale.levels if lv.meets)
    start = (
        f"A rating of {meeting} with no evidence summary and no document is an unsupported claim"
    )
    if policy.unsupported_claim is None:
        return f"{start}; it is flagged, and this standard does not lower its credit."
    treat = policy.scale.level(policy.unsupported_claim.treat_as).label
    return (
        f"{start} and is scored as {treat} (in a review, the reviewer's comment counts as "
        "evidence for the reviewer's rating)."
    )


def _metric_line(policy: ScoringPolicy) -> str:
    text = (
        "Measurable requirements are rated from the program's numbers against their "
        "thresholds; when a rating disagrees with the numbers, the numbers count, and a date "
        "too long ago is flagged as stale. When a number is missing the rating stands"
    )
    if policy.unsupported_claim is None:
        return f"{text}, with a finding."
    treat = policy.scale.level(policy.unsupported_claim.treat_as).label
    return f"{text}, but a rating that counts as met is scored as {treat}."


def _score_line(policy: ScoringPolicy) -> str:
    domain = "A domain's score is the weighted mean of the credits of its applicable requirements"
    if not policy.include_core_in_scores:
        domain += ", leaving out core requirements (they count through the decision)"
    match policy.overall:
        case OverallMethod.REQUIREMENTS:
            overall = "the overall score is the same mean over every applicable requirement"
        case OverallMethod.DOMAINS:
            overall = "the overall score is the plain mean of the domain scores"
        case _:
            assert_never(policy.overall)
    return f"{domain}; {overall}."


# ── small helpers ──────────────────────────────────────────────────────────────────────────


def _finding(req: Requirement, kind: str, message: str) -> Finding:
    return Finding(kind=FindingKind[kind], requirement_id=req.id, message=message)


def _status(level: RatingLevel) -> Status:
    if level.meets:
        return Status.MET
    return Status.PARTIAL if level.credit > 0 else Status.NOT_MET


def _source(answer: Answer, who: RatingSource) -> RatingSource:
    return RatingSource.NONE if isinstance(answer, Unanswered) else who


def _level_id(answer: Answer) -> str | None:
    return answer.level if isinstance(answer, Rated) else None


def _answer_key(answer: Answer) -> str | None:
    match answer:
        case Rated():
            return answer.level
        case NotApplicableAnswer():
            return "not_applicable"
        case Unanswered():
            return None
        case _:
            assert_never(answer)


def _answer_label(scale: RatingScale, answer: Answer) -> str:
    match answer:
        case Rated():
            return scale.level(answer.level).label
        case NotApplicableAnswer():
            return scale.not_applicable_label
        case Unanswered():
            return NOT_ANSWERED
        case _:
            assert_never(answer)


def _label(ctx: _Context, number_id: str) -> str:
    try:
        return ctx.standard.number(number_id).label
    except KeyError:
        return number_id


def _num(value: float) -> str:
    """A number as people write it: ``120``, ``36.5``, ``15``."""
    if isinstance(value, int):
        return str(value)
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _unit(unit: str) -> str:
    return unit if unit == "%" else f" {unit}"


def _lower_first(label: str) -> str:
    """``Patrol officers`` → ``patrol officers``, but ``CIT-trained`` stays as written."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _key(name: str) -> str:
    return name.strip().casefold()


_STOP_WORDS = frozenset(
    {"and", "any", "are", "all", "but", "each", "for", "from", "its", "not", "per", "that"}
    | {"the", "their", "this", "with"}
)


def _stems(text: str) -> set[str]:
    """Crude stems (first five letters) of a text's meaningful words, to match evidence names."""
    words = re.findall(r"[a-z0-9]+", text.casefold())
    return {w[:5] for w in words if len(w) >= 3 and w not in _STOP_WORDS}
