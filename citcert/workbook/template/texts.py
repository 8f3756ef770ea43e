"""
What the evidence template says: the instructions, and the text of each requirement's row.

Everything here is plain text made from a `Standard`, with no spreadsheet in sight, so the
wording can be read (and tested) on its own; `citcert.workbook.template.sheets` puts it in cells.
"""

from __future__ import annotations

from collections.abc import Sequence

from citcert.standards.model import Metric, MetricCompute, Requirement, Standard

_STEPS = (
    "1. Program sheet: fill in every Value marked Required, and the program numbers the "
    "standard asks for.",
    "2. Evidence sheet: for each requirement, read What the standard asks and How to rate, "
    "then choose a Self rating from the drop-down list.",
    "3. Evidence summary: say in a few sentences what is in place and how you know. Rows "
    "marked CORE must be met for the standard's top decision level.",
    "4. Document references: list the documents that prove it, one per line (use the names "
    "you give them in the Documents sheet).",
    "5. Metric value: fill it in where the Metric column asks for a value; other metrics are "
    "worked out from the Program sheet.",
    "6. Check the workbook with: citcert validate <this file>. It lists every cell that "
    "needs fixing.",
)
_NAMING = (
    "Give each document a short name that starts with the requirement it supports and a "
    'date, e.g. "PART-01 Steering committee charter 2024-01". List each document once in '
    "the Documents sheet, with its date and where a reviewer can find it."
)
_REVIEWERS = (
    "A reviewer reads your evidence summary and checks the documents you name. A rating "
    "that meets the requirement but names no evidence is treated as a claim, not a fact. "
    "Old documents may count as stale. Reviewers rate in a workbook of their own, made from "
    "this one once you submit it; their rating, where given, takes precedence over yours."
)
_ABOUT = (
    "The sheets are protected against accidental changes, without a password (Review > "
    "Unprotect sheet). You may sort rows, add columns and leave rows blank; keep the ID "
    "column and the column headers as they are. Do not edit the hidden citcert sheet: it "
    "records which standard this workbook is for."
)


def instruction_lines(standard: Standard, notes: Sequence[str] = ()) -> list[tuple[str, bool]]:
    """The Instructions sheet, one (text, is-heading) pair per row."""
    scale = standard.scoring.scale
    lines: list[tuple[str, bool]] = [
        (f"Evidence workbook: {standard.title}", True),
        (
            f"Standard {standard.ref}, published by {standard.publisher}, "
            f"effective {standard.effective}.",
            False,
        ),
        (standard.summary, False),
    ]
    if notes:
        lines += [("Migrated answers", True), *((note, False) for note in notes)]
    lines += [("How to fill in this workbook", True), *((step, False) for step in _STEPS)]
    lines.append(("What each rating means", True))
    lines += [(f"{level.label}: {level.description}", False) for level in scale.levels]
    lines.append(
        (
            f"{scale.not_applicable_label}: only where the requirement allows it (see How "
            "to rate); write the reason in Evidence summary.",
            False,
        )
    )
    lines += [("Naming your evidence", True), (_NAMING, False)]
    lines += [("What reviewers look at", True), (_REVIEWERS, False)]
    lines += [("About this file", True), (_ABOUT, False)]
    return lines


def required_prefix(required: bool) -> str:
    """How a Program row's guidance starts: whether the value must be given."""
    return "Required. " if required else "Optional. "


def number_guidance(standard: Standard, number_id: str) -> str:
    """The Guidance cell of a program number: required or not, its help, and its upper bound."""
    number = standard.number(number_id)
    text = required_prefix(number.required) + (number.help or "")
    if number.not_more_than:
        text += f" Not more than {standard.number(number.not_more_than).label}."
    if number.choices:
        text += " Choose one: " + ", ".join(choice.label for choice in number.choices) + "."
    return text.strip()


def applies_text(standard: Standard, requirement: Requirement) -> str:
    """Which programs a requirement applies to (``""`` when it applies to every program)."""
    parts = []
    for key, wanted in requirement.applies_to.items():
        number = standard.number(key)
        labels = " or ".join(number.choice(choice).label for choice in wanted)
        parts.append(f"{number.label}: {labels}")
    if not parts:
        return ""
    return f"Applies only where {'; '.join(parts)}; otherwise it is not applicable."


def requirement_texts(standard: Standard, domain: str, requirement: Requirement) -> dict[str, str]:
    """The read-only cells of a requirement's Evidence row, by column key."""
    return {
        "id": requirement.id,
        "core": "CORE" if requirement.core else "",
        "domain": domain,
        "title": requirement.title,
        "statement": " ".join(
            t for t in (requirement.statement, applies_text(standard, requirement)) if t
        ),
        "evidence_expected": "\n".join(f"• {item}" for item in requirement.evidence),
        "anchors": rating_guide(standard, requirement),
        "metric": metric_text(standard, requirement.metric),
    }


def rating_guide(standard: Standard, requirement: Requirement) -> str:
    """What each rating level means for this requirement, and whether not applicable is allowed."""
    scale = standard.scoring.scale
    lines = [
        f"{level.label}: {requirement.anchors[level.id]}"
        for level in scale.levels
        if level.id in requirement.anchors
    ]
    allowed = requirement.not_applicable
    if allowed.allowed:
        lines.append(
            f"{scale.not_applicable_label}: "
            f"{allowed.when or 'allowed; say why in Evidence summary.'}"
        )
    else:
        lines.append(f"{scale.not_applicable_label}: not allowed for this requirement.")
    return "\n".join(lines)


def metric_takes_value(metric: Metric | None) -> bool:
    """True when the program types the metric's value itself (it is not worked out)."""
    return metric is not None and metric.compute is MetricCompute.VALUE and not metric.inputs


def metric_text(standard: Standard, metric: Metric | None) -> str:
    """What the Metric column says: what to type, or which Program numbers the metric comes from."""
    if metric is None:
        return ""
    labels = [standard.number(number_id).label for number_id in metric.inputs]
    match metric.compute:
        case MetricCompute.VALUE:
            if not labels:
                return f"Enter: {metric.label} ({metric.unit})"
            return f"{metric.label}: from the Program sheet ({labels[0]})"
        case MetricCompute.RATIO:
            return f"{metric.label}: worked out from the Program sheet ({labels[0]} ÷ {labels[1]})"
        case MetricCompute.DAYS_SINCE:
            return f"{metric.label}: worked out from the Program sheet (days since {labels[0]})"
