"""
Findings: the checks that add a `Finding` to a requirement without deciding its rating.

Stale documents, prerequisites not met, numbers missing, and whether a claim is backed by
evidence. They are kept apart from the rating rules (`outcome`) because none of them changes a
requirement's credit: a dependency shortfall is counted once, at the prerequisite, and a stale
document still counts as evidence. The findings a rating rule raises itself (an unsupported
claim, a rating the numbers contradict) stay with that rule, since their words name the level
it chose. `finding` is the one way every module builds a finding.
"""

from __future__ import annotations

import datetime as dt

from citcert.audit.assessment import (
    Finding,
    FindingKind,
    MetricResult,
    RatingSource,
    RequirementResult,
    Status,
)
from citcert.audit.context import Context, document_key
from citcert.audit.decision import is_gap
from citcert.standards.model import Requirement, RequirementId
from citcert.workbook.evidence import RequirementEvidence


def finding(req: Requirement, kind: FindingKind, message: str) -> Finding:
    """A finding of `kind` on a requirement."""
    return Finding(kind=kind, requirement_id=req.id, message=message)


def has_evidence(row: RequirementEvidence, source: RatingSource) -> bool:
    """True when a claim is backed: a summary, a document, or (for a reviewer) a comment."""
    if row.evidence_summary.strip() or any(d.strip() for d in row.documents):
        return True
    return source is RatingSource.REVIEWER and bool(row.reviewer_comment.strip())


def metric_missing(req: Requirement, measured: MetricResult) -> Finding:
    """The finding for a metric that cannot be worked out, saying which number is missing."""
    text = f"{measured.label} {measured.display}. Enter the program's numbers in the workbook."
    return finding(req, FindingKind.METRIC_MISSING, text)


def records_contradict(ctx: Context, req: Requirement) -> tuple[Finding, ...]:
    """A finding per number of the requirement's metric typed differently from its records."""
    if req.metric is None:
        return ()
    found = []
    for number_id in req.metric.inputs:
        item = ctx.derived.get(number_id)
        if item is None or item.agrees is not False:
            continue
        text = (
            f"The Program sheet gives {shown(item.typed)} for {item.label}, but the "
            f"{item.sheet} sheet gives {shown(item.value)} ({item.working}); the records' "
            "figure is used. Correct the one that is wrong."
        )
        found.append(finding(req, FindingKind.NUMBER_CONTRADICTS_RECORDS, text))
    return tuple(found)


def shown(value: object) -> str:
    """A typed or computed program number as the findings show it: ``150``, ``33.3``, a date."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    return str(value)


def stale_documents(
    ctx: Context, req: Requirement, row: RequirementEvidence
) -> tuple[Finding, ...]:
    """A finding per cited document dated longer ago than the policy's evidence age."""
    limit = ctx.standard.scoring.evidence_max_age_days
    if limit is None:
        return ()
    found = []
    for name in row.documents:
        doc = ctx.documents.get(document_key(name))
        if doc is None or doc.date is None:
            continue
        age = (ctx.as_of - doc.date).days
        if age > limit:
            text = (
                f"Document “{doc.name}” is dated {doc.date.isoformat()}, {age} days before "
                f"{ctx.as_of.isoformat()}; evidence older than {limit} days is stale. "
                "Provide a current one."
            )
            found.append(finding(req, FindingKind.STALE, text))
    return tuple(found)


def with_dependencies(results: tuple[RequirementResult, ...]) -> tuple[RequirementResult, ...]:
    """Flag requirements counted as met whose prerequisite is not (no credit changes)."""
    by_id = {r.requirement_id: r for r in results}
    return tuple(_check_dependencies(r, by_id) for r in results)


def _check_dependencies(
    result: RequirementResult, by_id: dict[RequirementId, RequirementResult]
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
