"""
One requirement's outcome: whose answer counts, the rating it earns, and the result recording it.

The rating rules in the order they apply (the decisions listed in `scoring`): in a review the
reviewer's answer counts; not applicable where the standard allows it; else the numbers
(`metrics`) when they can be worked out; else the person's rating, lowered to the policy's
level when a meeting claim is unbacked or its number is missing. Each rule raises the
findings whose wording depends on the level it chose; the rest come from `findings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from citcert.audit.assessment import (
    Finding,
    FindingKind,
    MetricResult,
    RatingSource,
    RequirementResult,
    Status,
)
from citcert.audit.context import Context
from citcert.audit.findings import (
    finding,
    has_evidence,
    metric_missing,
    records_contradict,
    stale_documents,
)
from citcert.audit.metrics import measure
from citcert.standards.model import (
    Domain,
    Metric,
    MetricCompute,
    RatingLevel,
    RatingScale,
    Requirement,
)
from citcert.workbook.evidence import (
    Answer,
    Mode,
    NotApplicableAnswer,
    Rated,
    RequirementEvidence,
    Unanswered,
    answer_label,
)

NOT_ANSWERED = "Not answered"
"""What reports print as the rating of an unanswered requirement."""


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
    excluded: str = ""
    """Why the standard itself leaves the requirement out for this program (``applies_to``)."""

    @property
    def applicable(self) -> bool:
        return self.status is not Status.NOT_APPLICABLE

    @property
    def credit(self) -> float:
        return self.level.credit if self.level is not None and self.applicable else 0.0


def requirement_result(ctx: Context, domain: Domain, req: Requirement) -> RequirementResult:
    """One requirement rated, with its findings, metric and the evidence it was rated on."""
    row = ctx.evidence.for_requirement(req.id)
    claim = _claim(ctx, req, row)
    outcome, metric = _rate(ctx, req, row, claim)
    findings = claim.findings + outcome.findings
    if outcome.applicable:
        findings += stale_documents(ctx, req, row) + records_contradict(ctx, req)
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
        not_applicable_reason=outcome.excluded
        or (answer.reason if isinstance(answer, NotApplicableAnswer) else ""),
        depends_on=req.depends_on,
        findings=findings,
        cell=str(row.row) if row.row else None,
    )


def _claim(ctx: Context, req: Requirement, row: RequirementEvidence) -> _Claim:
    """Whose answer counts: the program's in a self-assessment, the reviewer's in a review."""
    match ctx.mode:
        case Mode.SELF:
            return _Claim(row.self_rating, _source(row.self_rating, RatingSource.SELF))
        case Mode.REVIEW:
            if not isinstance(row.reviewer_rating, Unanswered):
                return _Claim(row.reviewer_rating, RatingSource.REVIEWER, _disagrees(ctx, req, row))
            if isinstance(row.self_rating, Unanswered):
                return _Claim(row.self_rating, RatingSource.NONE)
            label = answer_label(ctx.scale, row.self_rating, NOT_ANSWERED)
            text = (
                f"No reviewer rating: the program's own rating ({label}) is used "
                "but has not been verified."
            )
            return _Claim(
                row.self_rating, RatingSource.SELF, (finding(req, FindingKind.UNVERIFIED, text),)
            )
        case _:
            assert_never(ctx.mode)


def _disagrees(ctx: Context, req: Requirement, row: RequirementEvidence) -> tuple[Finding, ...]:
    mine, theirs = row.self_rating, row.reviewer_rating
    if isinstance(mine, Unanswered) or _answer_key(mine) == _answer_key(theirs):
        return ()
    text = (
        f"The reviewer rated this {answer_label(ctx.scale, theirs, NOT_ANSWERED)}; "
        f"the program's own rating was {answer_label(ctx.scale, mine, NOT_ANSWERED)}."
    )
    return (finding(req, FindingKind.REVIEWER_DISAGREES, text),)


def _rate(
    ctx: Context, req: Requirement, row: RequirementEvidence, claim: _Claim
) -> tuple[_Outcome, MetricResult | None]:
    """Rate a requirement: not applicable where allowed, else the numbers, else the person."""
    excluded, unknown = _applicability(ctx, req)
    if excluded is not None:
        found = (finding(req, FindingKind.NOT_FOR_THIS_PROGRAM, excluded),)
        label = ctx.scale.not_applicable_label
        outcome = _Outcome(Status.NOT_APPLICABLE, None, label, RatingSource.NONE, found, excluded)
        return outcome, None
    if unknown is not None:
        claim = _Claim(claim.answer, claim.source, (*claim.findings, unknown))
    if isinstance(claim.answer, NotApplicableAnswer) and req.not_applicable.allowed:
        return _not_applicable(req, claim, ctx.scale), None
    measured = measure(ctx, req.metric, row) if req.metric else None
    if req.metric and measured and measured.level is not None:
        return _by_metric(ctx, req, req.metric, claim, measured), measured
    return _by_person(ctx, req, row, claim, measured), measured


def _applicability(ctx: Context, req: Requirement) -> tuple[str | None, Finding | None]:
    """
    Why the standard leaves `req` out for this program (``applies_to``), if it does.

    The second value is the finding for a program that left the deciding value empty: the
    requirement is then scored, since leaving a field empty must not excuse a requirement.
    """
    for key, wanted in req.applies_to.items():
        number = ctx.standard.number(key)
        allowed = " or ".join(number.choice(c).label for c in wanted)
        value = ctx.evidence.numbers.get(key)
        if not isinstance(value, str) or value not in {c.id for c in number.choices}:
            text = (
                f"This applies only where {number.label} is {allowed}, and the Program sheet "
                "does not say; it is scored. Fill in the value."
            )
            return None, finding(req, FindingKind.APPLICABILITY_UNKNOWN, text)
        if value not in wanted:
            mine = number.choice(value).label
            return (
                f"Not applicable to this program: it applies only where {number.label} is "
                f"{allowed}, and this program's is {mine}."
            ), None
    return None, None


def _not_applicable(req: Requirement, claim: _Claim, scale: RatingScale) -> _Outcome:
    findings: tuple[Finding, ...] = ()
    answer = claim.answer
    if isinstance(answer, NotApplicableAnswer) and not answer.reason.strip():
        when = req.not_applicable.when
        hint = f" The standard accepts it when: {when}" if when else ""
        text = f"Marked not applicable without a reason. Say why it does not apply.{hint}"
        findings = (finding(req, FindingKind.NOT_APPLICABLE_WITHOUT_REASON, text),)
    label = scale.not_applicable_label
    return _Outcome(Status.NOT_APPLICABLE, None, label, claim.source, findings)


def _by_metric(
    ctx: Context, req: Requirement, metric: Metric, claim: _Claim, measured: MetricResult
) -> _Outcome:
    """The numbers rate the requirement; disagreeing ratings and shortfalls are findings."""
    level = ctx.scale.level(measured.level or "")
    findings: list[Finding] = []
    best = ctx.scale.best
    if level.id != best.id:
        kind = (
            FindingKind.STALE
            if metric.compute is MetricCompute.DAYS_SINCE
            else FindingKind.METRIC_BELOW_THRESHOLD
        )
        needs = metric.threshold_text(metric.met)
        text = f"{metric.label}: {measured.display}; {best.label} needs {needs}."
        findings.append(finding(req, kind, text))
    answer = claim.answer
    if isinstance(answer, Rated) and answer.level != level.id:
        said = answer_label(ctx.scale, answer, NOT_ANSWERED)
        text = f"Rated {said}, but the numbers give {level.label}; the numbers count."
        findings.append(finding(req, FindingKind.METRIC_CONTRADICTS_RATING, text))
    elif isinstance(answer, NotApplicableAnswer):
        text = (
            "Marked not applicable, which this standard does not allow here; "
            "rated from the numbers instead."
        )
        findings.append(finding(req, FindingKind.NOT_APPLICABLE_NOT_ALLOWED, text))
    return _Outcome(_status(level), level, level.label, RatingSource.METRIC, tuple(findings))


def _by_person(
    ctx: Context,
    req: Requirement,
    row: RequirementEvidence,
    claim: _Claim,
    measured: MetricResult | None,
) -> _Outcome:
    """The person's rating counts (there is no metric, or it cannot be worked out)."""
    missing = () if measured is None else (metric_missing(req, measured),)
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
            found = (finding(req, FindingKind.NOT_APPLICABLE_NOT_ALLOWED, text), *missing)
            return _Outcome(Status.NOT_MET, worst, worst.label, claim.source, found)
        case Unanswered():
            text = "No rating was given, so it earns no credit and counts as a gap."
            found = (finding(req, FindingKind.UNANSWERED, text), *missing)
            return _Outcome(Status.UNANSWERED, None, NOT_ANSWERED, RatingSource.NONE, found)
        case _:
            assert_never(answer)


def _rated(
    ctx: Context,
    req: Requirement,
    row: RequirementEvidence,
    claim: _Claim,
    level: RatingLevel,
    missing: tuple[Finding, ...],
) -> _Outcome:
    """A rating on the scale, lowered to the policy's level when a meeting claim is unbacked."""
    findings = list(missing)
    unbacked = level.meets and not has_evidence(row, claim.source)
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
        findings.append(finding(req, FindingKind.UNSUPPORTED_CLAIM, text))
    elif missing and scored is not level:
        text = f"Without the number, the rating {level.label} is scored as {scored.label}."
        findings.append(finding(req, FindingKind.METRIC_MISSING, text))
    return _Outcome(_status(scored), scored, scored.label, claim.source, tuple(findings))


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
