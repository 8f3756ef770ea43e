"""
Standards as text for people, and as JSON or YAML for programs.

`outline` is the readable summary of one standard (``citcert standards show``): its domains and
requirements with core ones marked, metrics and thresholds, decision rules, sources with how
well each is verified, and an overlay's changes with the reasons for any weakening.
"""

from __future__ import annotations

import io
import json
import textwrap
from collections.abc import Iterator

from citcert._text import one_line
from citcert._words import plural, span
from citcert.standards.model import (
    Conditions,
    Direction,
    Metric,
    Requirement,
    Standard,
    Verification,
)

VERIFICATION_WORDS = {
    Verification.SOURCE: "read at the source",
    Verification.ALLIED: "read at an allied source",
    Verification.UNVERIFIED: "unverified: to be checked against the published guide",
}
"""How each verification level reads in an outline."""

_WIDTH = 96


def as_json(standard: Standard) -> str:
    """The whole resolved standard as JSON (sorted keys)."""
    data = standard.model_dump(mode="json")
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def as_yaml(standard: Standard) -> str:
    """The whole resolved standard as YAML in the standard file format (loadable again)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]  # keep field order
    yaml.allow_unicode = True
    yaml.width = _WIDTH
    stream = io.StringIO()
    yaml.dump(standard.model_dump(mode="json", exclude_none=True), stream)
    return stream.getvalue()


def outline(standard: Standard) -> str:
    """
    A readable outline of a standard, for ``citcert standards show``: one line per line, whatever
    the standard's text holds (`citcert._text.one_line`).
    """
    lines = [*_heading(standard), *_scoring(standard), *_domains(standard), *_tailoring(standard)]
    return "\n".join(map(one_line, lines)).rstrip() + "\n"


def _heading(standard: Standard) -> Iterator[str]:
    yield f"{standard.ref}: {standard.title}"
    yield f"Status: {standard.status.value}, effective {standard.effective.isoformat()}."
    yield f"Publisher: {standard.publisher}"
    if standard.supersedes:
        yield f"Supersedes: {standard.supersedes}"
    yield from _wrap(standard.summary, "")
    yield "Built on:"
    for cite in standard.citation:
        url = f" {cite.url}" if cite.url else ""
        yield f"  - {cite.title}. {cite.publisher}, {cite.year}.{url}"
    if standard.program_numbers:
        yield ""
        yield "Program numbers a program reports:"
        for number in standard.program_numbers:
            limit = f"; at most {number.not_more_than}" if number.not_more_than else ""
            optional = "" if number.required else "; optional"
            yield f"  {number.id}: {number.label} ({number.unit}{limit}{optional})"


def _scoring(standard: Standard) -> Iterator[str]:
    policy = standard.scoring
    yield ""
    yield "Rating scale (best first):"
    for rating in policy.scale.levels:
        meets = ", counts as met" if rating.meets else ""
        points = f", {rating.points:g} points" if rating.points is not None else ""
        yield f"  {rating.label} [{rating.id}]: credit {rating.credit:g}{points}{meets}"
    yield f"  {policy.scale.not_applicable_label}: left out of the scores"
    if policy.unsupported_claim is not None:
        level_id = policy.unsupported_claim.treat_as
        yield f"A rating that counts as met but cites no evidence is scored as {level_id}."
    if policy.evidence_max_age_days is not None:
        yield f"Documents older than {span(policy.evidence_max_age_days)} are stale."
    yield ""
    yield "Decision rules (the first level whose conditions all hold applies):"
    for number, level in enumerate(policy.decision_levels, start=1):
        yield f"  {number}. {level.label} [{level.id}]: {_conditions(level.conditions)}"
    terms = policy.validity_terms()
    yield ""
    if terms:
        yield "How long a decision stands (counted from the assessment's as-of date):"
        for text in terms:
            yield from _wrap(text, "  ")
    else:
        yield "This standard sets no term for any decision: none of them lapses."
    yield from _wrap(policy.exceptions.describe(), "")
    if policy.proposal_note:
        yield from _wrap(f"Note: {policy.proposal_note}", "  ")


def _conditions(conditions: Conditions) -> str:
    parts = [rule.describe(value) for _, rule, value in conditions.set_rules()]
    return "; ".join(parts) if parts else "always (when no level above applies)"


def _domains(standard: Standard) -> Iterator[str]:
    yield ""
    yield "Domains and requirements (* = core, must be met):"
    for domain in standard.domains:
        core = sum(req.core for req in domain.requirements)
        yield ""
        count = plural(len(domain.requirements), "requirement")
        yield f"{domain.id}  {domain.title} ({count}, {core} core)"
        for requirement in domain.requirements:
            yield from _requirement(requirement)


def _requirement(req: Requirement) -> Iterator[str]:
    mark = "*" if req.core else " "
    weight = "" if req.weight == 1 else f"  [weight {req.weight:g}]"
    yield f"  {mark} {req.id}  {req.title}{weight}"
    yield from _wrap(req.statement, "        ")
    if req.metric is not None:
        yield f"        Metric: {_metric(req.metric)}"
    if req.depends_on:
        yield f"        Depends on: {', '.join(req.depends_on)}"
    if req.not_applicable.allowed:
        when = f": {req.not_applicable.when}" if req.not_applicable.when else ""
        yield f"        May be rated not applicable{when}"
    if req.replaces:
        yield f"        Replaces: {', '.join(req.replaces)}"
    for source in req.sources:
        note = f" ({source.note})" if source.note else ""
        yield f"        Source: {source.url}{note}, {VERIFICATION_WORDS[source.verification]}"


def _metric(metric: Metric) -> str:
    sign = "≥" if metric.direction is Direction.AT_LEAST else "≤"
    unit = metric.unit if metric.unit == "%" else f" {metric.unit}"
    text = f"{metric.label}: met {sign} {metric.met:g}{unit}"
    if metric.partial is not None:
        text += f", partly met {sign} {metric.partial:g}{unit}"
    if metric.proposal:
        text += " (citcert's proposed threshold, not a published rule)"
    return text


def _tailoring(standard: Standard) -> Iterator[str]:
    tailoring = standard.tailoring
    if tailoring is None:
        return
    yield ""
    yield f"Tailored from {tailoring.base} (SHA-256 {tailoring.base_sha256[:12]}…):"
    for change in tailoring.changes:
        reason = f" Reason: {change.reason}" if change.reason else ""
        yield f"  {change.kind.value.upper()}: {change.description}.{reason}"
    if tailoring.weakenings:
        yield f"This overlay weakens {tailoring.base} in {len(tailoring.weakenings)} place(s)."
    if tailoring.rescorings:
        yield (
            f"This overlay changes how {tailoring.base} forms its scores in "
            f"{len(tailoring.rescorings)} place(s) (added requirements, changed weights), so a "
            "program may score higher or lower under it."
        )


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, _WIDTH, initial_indent=indent, subsequent_indent=indent) or [""]
