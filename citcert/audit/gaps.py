"""
Gaps: every applicable requirement not fully met, ranked by severity, each saying what was found.

Separate from scoring because a gap is a reading of the scored results, not a score: it ranks
shortfalls by severity (core gaps critical or high, others by shortfall times relative
weight), then impact and id, words what was found in one
sentence, and lists the expected evidence that neither the summary nor a document name
mentions, so a program sees what to bring next time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from citcert._words import percent
from citcert.audit.assessment import (
    FindingKind,
    Gap,
    RatingSource,
    RequirementResult,
    Severity,
    Status,
)
from citcert.audit.context import document_key
from citcert.audit.decision import is_gap

_SEVERITY_ORDER = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)


def gaps_of(
    results: Sequence[RequirementResult], descriptions: Mapping[str, str] | None = None
) -> tuple[Gap, ...]:
    """
    Every applicable requirement not fully met, most severe first, ties by id.

    `descriptions` are the Documents sheet's descriptions by `document_key`, so that a cited
    document is matched by what it is, not only by its name.
    """
    described = descriptions or {}
    weights = [r.weight for r in results if r.applicable]
    mean_weight = sum(weights) / len(weights) if weights else 1.0
    ranked = []
    for r in results:
        if is_gap(r):
            impact = r.weight * (1 - r.credit) / mean_weight
            gap = _gap(r, _severity(r, impact), described)
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


def _gap(result: RequirementResult, severity: Severity, described: Mapping[str, str]) -> Gap:
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
        evidence_missing=_evidence_missing(result, described),
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
    metric = result.metric
    shown = _short(metric.value, metric.unit) if metric and metric.value is not None else None
    if metric and shown and shown != metric.display and _worked_in_findings(result):
        parts.append(f"{metric.label}: {shown} (the findings show how it was worked out)")
    elif metric is not None:
        sep = ":" if metric.value is not None else ""
        parts.append(f"{metric.label}{sep} {metric.display}")
    return "; ".join(parts) + "."


def _worked_in_findings(result: RequirementResult) -> bool:
    """Whether a finding already gives the metric's working (with what the top level needs)."""
    kinds = {FindingKind.METRIC_BELOW_THRESHOLD, FindingKind.STALE}
    label = result.metric.label if result.metric else ""
    return any(f.kind in kinds and f.message.startswith(f"{label}: ") for f in result.findings)


def _short(value: float, unit: str) -> str:
    """A metric's value alone, for a sentence pointing to its working: ``44.7%``, ``1021 days``."""
    return percent(value) if unit == "%" else f"{value:g} {unit}"


def _evidence_missing(result: RequirementResult, described: Mapping[str, str]) -> tuple[str, ...]:
    """
    The expected evidence the program has not shown: each item that neither the summary and
    the documents together mention in full, nor a cited document stands for.

    A cited document stands for the expected item it shares the most words with (its name and
    its description in the Documents sheet; the first such item on a tie; none when it shares
    no word with any), so an item the program cited a document for is never listed as missing.
    Words in brackets (examples, alternatives) do not have to be matched.
    """
    documents = [f"{name} {described.get(document_key(name), '')}" for name in result.documents]
    given = _stems(" ".join((result.evidence_summary, *documents)))
    items = result.evidence_expected
    wanted = [_stems(_BRACKETS.sub(" ", item)) or _stems(item) for item in items]
    shown = {i for i, stems in enumerate(wanted) if stems <= given}
    for document in documents:
        stems = _stems(document)
        overlaps = [len(stems & item_stems) for item_stems in wanted]
        if overlaps and max(overlaps) > 0:
            shown.add(overlaps.index(max(overlaps)))
    return tuple(item for i, item in enumerate(items) if i not in shown)


_BRACKETS = re.compile(r"\([^)]*\)")
_STOP_WORDS = frozenset(
    {"and", "any", "are", "all", "but", "each", "for", "from", "its", "not", "per", "that"}
    | {"the", "their", "this", "with"}
)


def _stems(text: str) -> set[str]:
    """Crude stems (first five letters) of a text's meaningful words, to match evidence names."""
    words = re.findall(r"[a-z0-9]+", text.casefold())
    return {w[:5] for w in words if len(w) >= 3 and w not in _STOP_WORDS}
