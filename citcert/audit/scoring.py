"""
Scoring: the pure function from a standard and a workbook's evidence to an `Assessment`.

`assess` reads no file and no clock: the assessment date comes from the workbook (or the
caller), and everything a report shows is computed here, once (STYLE §13). The steps, each a
small function in the module named for it: resolve whose answer counts and rate it, from the
program's numbers when the requirement is measurable (`outcome`, `metrics`), raise findings
(`findings`), score domains and the whole and decide (here, with `decision`), list the gaps
(`gaps`), plan their remediation (`plan`) and put it in words (`explanation`). This module
only orchestrates them and forms the scores, so it stays small enough to read in one go.

Decisions the scorer takes, and why (they are also stated in every report's scoring
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
from collections import Counter
from collections.abc import Sequence
from typing import assert_never

from citcert import __version__
from citcert.audit import plan as planner
from citcert.audit.assessment import (
    Assessment,
    Counts,
    Decision,
    DomainScore,
    ExceptionsView,
    Provenance,
    RequirementResult,
    Status,
)
from citcert.audit.context import Context
from citcert.audit.decision import decide, facts_of, is_gap
from citcert.audit.exceptions import apply_exceptions, exceptions_view
from citcert.audit.explanation import explain, headline
from citcert.audit.findings import with_dependencies
from citcert.audit.gaps import gaps_of
from citcert.audit.outcome import requirement_result
from citcert.audit.records import quarterly_outcomes
from citcert.audit.validity import certification_dates
from citcert.standards.model import (
    Domain,
    OverallMethod,
    RequirementId,
    ScoringPolicy,
    Standard,
    standard_sha256,
)
from citcert.workbook.evidence import Evidence, Mode


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
    ctx = Context.of(standard, evidence, as_of, mode)
    as_rated = with_dependencies(
        tuple(requirement_result(ctx, d, r) for d, r in standard.requirements())
    )
    results = apply_exceptions(standard, evidence.exceptions, as_rated, ctx.as_of)
    domains, overall, decision = _judge(ctx, results)
    points, most = _points(standard.scoring, results)
    exact_overall = _overall(ctx.standard.scoring, results, domains)
    gaps = gaps_of(results, {key: doc.description for key, doc in ctx.documents.items()})
    plan = planner.build_plan(
        standard, gaps, as_of=ctx.as_of, decision=decision, overall=overall,
        what_if=_what_if(ctx, results),
    )  # fmt: skip
    counts = _counts(results)
    return Assessment(
        provenance=_provenance(ctx),
        profile=evidence.profile,
        overall_score=overall,
        points=points,
        max_points=most,
        exact_overall_score=exact_overall,
        domains=_with_thresholds(standard.scoring, domains, decision),
        results=results,
        decision=decision,
        gaps=gaps,
        plan=plan,
        counts=counts,
        headline=headline(ctx, overall, decision, counts, plan, (points, most)),
        scoring_explanation=explain(standard),
        tailoring=standard.tailoring.changes if standard.tailoring else (),
        warnings=evidence.warnings,
        derived_numbers=tuple(ctx.derived.values()),
        quarters=quarterly_outcomes(standard, evidence),
        exceptions=_exceptions(ctx, as_rated, (overall, decision)),
        dates=certification_dates(standard.scoring, decision.level_id, ctx.as_of),
    )


def _exceptions(
    ctx: Context, as_rated: tuple[RequirementResult, ...], with_: tuple[float, Decision]
) -> ExceptionsView | None:
    """The exceptions and the decision without them (the results as rated)."""
    if not ctx.evidence.exceptions:
        return None
    _, overall, decision = _judge(ctx, as_rated)
    return exceptions_view(
        ctx.standard, ctx.evidence.exceptions, ctx.as_of, with_=with_, without=(overall, decision)
    )


def _judge(
    ctx: Context, results: Sequence[RequirementResult]
) -> tuple[tuple[DomainScore, ...], float, Decision]:
    """Domain scores, the overall score and the decision for a set of results."""
    policy = ctx.standard.scoring
    domains = tuple(_domain_score(d, results, policy) for d in ctx.standard.domains)
    return _judged(ctx, results, domains)


def _judged(
    ctx: Context, results: Sequence[RequirementResult], domains: tuple[DomainScore, ...]
) -> tuple[tuple[DomainScore, ...], float, Decision]:
    """`_judge` with the domain scores of `results` already computed."""
    policy = ctx.standard.scoring
    overall = round(_overall(policy, results, domains), 1)
    points, _ = _points(policy, results)
    return domains, overall, decide(policy, facts_of(results, domains, overall, points))


def _points(
    policy: ScoringPolicy, results: Sequence[RequirementResult]
) -> tuple[float | None, float | None]:
    """
    The total of points and the most that could be earned, or ``(None, None)`` without points.

    The requirements counted are those the scores count (applicable; core ones only with
    ``include_core_in_scores``); each earns its level's points times its weight, an unanswered
    one none.
    """
    scale = policy.scale
    if not scale.has_points:
        return None, None
    counted = [r for r in results if r.applicable and (policy.include_core_in_scores or not r.core)]
    top = scale.best.points or 0.0
    earned = sum(r.weight * (scale.level(r.level).points or 0.0) for r in counted if r.level)
    return round(earned, 1), round(sum(r.weight * top for r in counted), 1)


def _weighted(results: Sequence[RequirementResult], include_core: bool) -> float | None:
    """The weighted mean credit of the scored requirements, as a percentage, not rounded."""
    scored = [r for r in results if r.applicable and (include_core or not r.core)]
    total = sum(r.weight for r in scored)
    if total == 0:
        return None
    return 100 * sum(r.weight * r.credit for r in scored) / total


def _domain_score(
    domain: Domain, results: Sequence[RequirementResult], policy: ScoringPolicy
) -> DomainScore:
    mine = [r for r in results if r.domain_id == domain.id]
    exact = _weighted(mine, policy.include_core_in_scores)
    return DomainScore(
        domain_id=domain.id,
        title=domain.title,
        score=None if exact is None else round(exact, 1),
        exact_score=exact,
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
            scores = [d.exact_score for d in domains if d.exact_score is not None]
            score = sum(scores) / len(scores) if scores else None
        case _:
            assert_never(policy.overall)
    return score if score is not None else 0.0


def _with_thresholds(
    policy: ScoringPolicy, domains: tuple[DomainScore, ...], decision: Decision
) -> tuple[DomainScore, ...]:
    """
    Give each domain the per-domain minimum the standard sets for the next level up, or for the
    nearest level above that when the next one sets none (the top level's own at the top), so
    that a bar is judged by a real line of the standard and never shown as passing for want
    of one.
    """
    wanted = decision.next_level_id or decision.level_id
    ids = [lv.id for lv in policy.decision_levels]
    upward = reversed(policy.decision_levels[: ids.index(wanted) + 1])
    minimum = next((lv.conditions.min_domain for lv in upward if lv.conditions.min_domain), None)
    return tuple(d.model_copy(update={"threshold": minimum}) for d in domains)


def _what_if(ctx: Context, results: tuple[RequirementResult, ...]) -> planner.WhatIf:
    """The overall score and decision if one requirement alone were fully met."""
    best = ctx.scale.best
    policy = ctx.standard.scoring
    as_is = {d.id: _domain_score(d, results, policy) for d in ctx.standard.domains}

    def lifted(requirement_id: RequirementId) -> tuple[float, Decision]:
        changed = tuple(
            r.model_copy(update={"status": Status.MET, "level": best.id, "credit": best.credit})
            if r.requirement_id == requirement_id
            else r
            for r in results
        )
        # NOTE: only the lifted requirement's domain can score differently (a plan asks this
        # of every gap, so rescoring every domain each time made planning quadratic)
        domain_ids = {r.domain_id for r in results if r.requirement_id == requirement_id}
        domains = tuple(
            _domain_score(d, changed, policy) if d.id in domain_ids else as_is[d.id]
            for d in ctx.standard.domains
        )
        _, overall, decision = _judged(ctx, changed, domains)
        return overall, decision

    return lifted


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


def _provenance(ctx: Context) -> Provenance:
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
