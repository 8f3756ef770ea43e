"""
The gap report's appendix: how scoring and the decision work, tailoring, warnings, provenance.

It ends by saying plainly where the PDF could not show typed text exactly (characters the font
lacks, right-to-left text), which `Ink` has noted while the earlier pages were laid out, so it
must be built last.
"""

from __future__ import annotations

from typing import Any

from citcert.audit.assessment import Assessment, ConditionResult
from citcert.export.pdf import kit
from citcert.export.pdf.kit import AMBER, BAD, INCH, WIDTH, Ink
from citcert.export.wording import (
    REPLACEMENT,
    level_standing,
    mode_words,
    plural,
    tailoring_summary,
)
from citcert.standards.model import ChangeKind


def appendix(a: Assessment, ink: Ink) -> list[Any]:
    """How scoring works, the decision levels, tailoring, warnings, provenance, rendering notes."""
    flow: list[Any] = [
        ink.own("Appendix", "h1"),
        ink.own("How scoring and the decision work", "h2"),
    ]
    flow += ink.bullets(a.scoring_explanation)
    flow.append(ink.own("Decision levels", "h2"))
    for level in a.decision.levels:
        standing = level_standing(level, a.decision.level_id)
        flow.append(ink.own(f"<b>{ink.markup(level.label)}</b> ({standing})"))
        flow += ink.bullets(_condition_words(c) for c in level.conditions)
    flow += _tailoring(a, ink)
    flow.append(ink.own("Warnings from the workbook", "h2"))
    flow += ink.bullets(a.warnings) or [ink.own("None.")]
    flow += _provenance(a, ink)
    return flow + _rendering_notes(ink)


def _condition_words(condition: ConditionResult) -> str:
    """A decision condition with a tick or a cross, and its detail."""
    mark = "✓" if condition.passed else "✗"
    return f"{mark} {condition.condition}: {condition.detail}"


def _tailoring(a: Assessment, ink: Ink) -> list[Any]:
    """
    The overlay's changes to its base, weakenings in red and changes to the scoring in amber,
    with their reasons, and how many of each there are.
    """
    flow: list[Any] = [ink.own("Tailoring", "h2")]
    if not a.tailoring:
        return [*flow, ink.own("The standard is used as published, with no overlay.")]
    rows: list[list[Any]] = [[ink.own(h, "th") for h in ("Change", "Target", "What", "Reason")]]
    tints = {ChangeKind.WEAKENED: BAD, ChangeKind.RESCORED: AMBER}
    for change in a.tailoring:
        tint = tints.get(change.kind, kit.INK)
        kind = f'<font color="{tint}"><b>{change.kind.value.capitalize()}</b></font>'
        rows.append(
            [
                ink.own(kind, "small"),
                ink.para(change.target, "small"),
                ink.para(change.description, "small"),
                ink.para(change.reason or "—", "small"),
            ]
        )
    widths = [0.9 * INCH, 0.9 * INCH, 2.6 * INCH]
    return [*flow, kit.table(rows, [*widths, WIDTH - sum(widths)]), *_tailoring_counts(a, ink)]


def _tailoring_counts(a: Assessment, ink: Ink) -> list[Any]:
    """How many of the overlay's changes loosen the base, and how many change the scoring."""
    return [ink.own(f"<b>{line}</b>") for line in tailoring_summary(a.tailoring)]


def _provenance(a: Assessment, ink: Ink) -> list[Any]:
    """What produced this report, so that the decision can be defended and reproduced."""
    p = a.provenance
    facts = [
        ("Tool", f"{p.tool} {p.tool_version}"),
        ("Standard", f"{p.standard_ref} — {p.standard_title}"),
        ("Standard SHA-256", p.standard_sha256),
        ("Workbook", p.workbook_name),
        ("Workbook SHA-256", p.workbook_sha256),
        ("Assessment", mode_words(p.mode)),
        ("As of", p.as_of.isoformat()),
    ]
    rows = [[ink.own(k, "small_bold"), ink.para(v, "small")] for k, v in facts]
    table = kit.table(rows, [1.4 * INCH, WIDTH - 1.4 * INCH], header=False)
    return [ink.own("Provenance", "h2"), table]


def _rendering_notes(ink: Ink) -> list[Any]:
    """Say plainly where this PDF could not show text exactly as it was typed."""
    flow: list[Any] = [
        ink.own("About this document", "h2"),
        ink.own(
            "Text typed in the workbook is shown as typed; nothing in it is read as formatting."
        ),
    ]
    if ink.missing:
        points = sorted(ink.missing)
        sample = ", ".join(f"U+{ord(c):04X}" for c in points[:12])
        more = ", …" if len(points) > 12 else ""
        flow.append(
            ink.own(
                f"{plural(len(points), 'character')} ({sample}{more}) cannot be drawn in this "
                f"report's font and appear as {REPLACEMENT}. The XLSX and JSON reports keep them."
            )
        )
    if ink.right_to_left:
        flow.append(
            ink.own(
                "Right-to-left text (such as Arabic or Hebrew) is shown in the order it was "
                "typed, with its letters unjoined."
            )
        )
    return flow
