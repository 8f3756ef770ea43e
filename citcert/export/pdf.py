"""
The certification gap report: `Assessment` -> PDF bytes, with reportlab.

The document a reviewer sends to an applicant: a cover with the decision, a plain-language
summary with a chart of the domain scores, every requirement, the gaps most severe first, the
remediation plan, and an appendix on scoring, tailoring and provenance. It only lays out the
assessment: every number and sentence is a field of it. Workbook text goes through
`_pdfkit.Ink` (cleaned, escaped, drawn in the bundled DejaVu Sans; characters the font lacks
appear as U+FFFD and the appendix says so). reportlab is imported inside the functions, and its
invariant mode makes the same assessment give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from citcert.audit.assessment import (
    Assessment,
    ConditionResult,
    Finding,
    Gap,
    PlanStep,
    Severity,
    Status,
)
from citcert.export import _pdfkit as kit
from citcert.export._pdfkit import BAD, INCH, WIDTH, Ink
from citcert.export._text import REPLACEMENT, clean, mode_words, plural, source_words

_STATUS_COLOURS = {
    Status.MET: (kit.GOOD, "#E3F1E7"),
    Status.PARTIAL: (kit.AMBER, "#FFF3D6"),
    Status.NOT_MET: (BAD, "#FBE3E1"),
    Status.NOT_APPLICABLE: (kit.MUTED, "#EEF0F3"),
    Status.UNANSWERED: (kit.MUTED, "#EEF0F3"),
}
_SEVERITY_COLOURS = {
    Severity.CRITICAL: "#8E1B14",
    Severity.HIGH: BAD,
    Severity.MEDIUM: "#A36F00",
    Severity.LOW: "#4A6FA5",
}
_TOP_STEPS = 5
"""How many plan steps the summary lists as the most important next steps."""


def render(assessment: Assessment) -> bytes:
    """The whole gap report as PDF bytes; identical assessments give identical bytes."""
    from reportlab.platypus import SimpleDocTemplate

    a = assessment
    ink = Ink(kit.font_coverage())
    header = ink.line(f"{a.profile.program_name} · {a.provenance.standard_ref}")
    footer = f"CIT certification report · as of {a.provenance.as_of.isoformat()}"
    story = [
        *_cover(a, ink),
        *_summary(a, ink),
        *_requirements(a, ink),
        *_gap_report(a, ink),
        *_plan(a, ink),
        *_appendix(a, ink),
    ]
    margin = kit.MARGIN - kit.FRAME_PADDING
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=(kit.PAGE_W, kit.PAGE_H),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin + 10,
        bottomMargin=margin + 4,
        title=f"CIT certification report: {clean(a.profile.program_name)}",
        subject=f"{a.provenance.standard_ref}: {a.decision.label}",
        author="citcert",
        creator=f"citcert {a.provenance.tool_version}",
        invariant=1,
    )
    doc.build(story, canvasmaker=kit.numbered_canvas(header, footer, a.provenance.as_of))
    return out.getvalue()


def _cover(a: Assessment, ink: Ink) -> list[Any]:
    """Program, standard, mode, date, reviewer, and the decision in large type in its colour."""
    from reportlab.platypus import PageBreak, Spacer

    profile, prov = a.profile, a.provenance
    facts = [
        ("Jurisdiction", f"{profile.jurisdiction}, {profile.state}"),
        ("Agencies", profile.agencies),
        ("Standard", f"{prov.standard_ref} — {prov.standard_title}"),
        ("Assessment", mode_words(prov.mode)),
        ("As of", prov.as_of.isoformat()),
        ("Reviewer", profile.reviewer or "none named"),
        ("Coordinator", profile.coordinator),
    ]
    rows = [[ink.own(label, "small_bold"), ink.para(value, "small")] for label, value in facts]
    return [
        Spacer(1, 0.6 * INCH),
        ink.own("CIT PROGRAM CERTIFICATION REPORT", "kicker"),
        ink.para(profile.program_name, "title"),
        ink.own("Gap report and remediation plan", "subtitle"),
        kit.table(rows, [1.3 * INCH, WIDTH - 1.3 * INCH], header=False),
        Spacer(1, 0.45 * INCH),
        _decision_box(a, ink),
        PageBreak(),
    ]


def _decision_box(a: Assessment, ink: Ink) -> Any:
    """The decision label in large white type on the decision's colour."""
    from reportlab.platypus import Table, TableStyle

    rows = [
        [ink.para(a.decision.label, "decision")],
        [ink.para(a.decision.sentence, "decision_note")],
    ]
    box = Table(rows, colWidths=[WIDTH])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), kit.colour(a.decision.colour)),
                ("TOPPADDING", (0, 0), (-1, 0), 16),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 16),
                ("LEFTPADDING", (0, 0), (-1, -1), 18),
                ("RIGHTPADDING", (0, 0), (-1, -1), 18),
            ]
        )
    )
    return box


def _summary(a: Assessment, ink: Ink) -> list[Any]:
    """The executive summary: headline, decision and why, key figures, chart, next steps."""
    from reportlab.platypus import KeepTogether, PageBreak, Spacer

    decision = a.decision
    flow: list[Any] = [
        ink.own("Summary", "h1"),
        ink.para(a.headline),
        ink.own(
            f'<font color="{kit.hex_colour(decision.colour)}"><b>Decision: '
            f"{ink.markup(decision.label)}.</b></font> {ink.markup(decision.description)}"
        ),
    ]
    if decision.reasons and decision.next_level_label:
        flow.append(ink.own(f"<b>To reach {ink.markup(decision.next_level_label)}:</b>"))
        flow += ink.bullets(decision.reasons)
    flow += [Spacer(1, 8), _key_figures(a, ink)]
    bars = [
        kit.Bar(ink.line(f"{d.domain_id} · {d.title}"), d.score, d.threshold) for d in a.domains
    ]
    # The heading travels with its chart, so it is never left alone at the foot of a page.
    flow += [KeepTogether([ink.own("Scores by domain", "h2"), kit.bar_chart(bars)])]
    flow += _domain_table(a, ink)
    steps = [ink.own("Most important next steps", "h2"), ink.para(a.plan.summary)]
    for step in a.plan.steps[:_TOP_STEPS]:
        text = f"{step.title} — {step.owner}, by {step.target_date.isoformat()}"
        steps.append(
            ink.own(
                f"<b>{ink.markup(step.requirement_id)}</b> {ink.markup(text)}",
                "step",
                f"{step.order}.",
            )
        )
    return [*flow, KeepTogether(steps), PageBreak()]


def _key_figures(a: Assessment, ink: Ink) -> Any:
    """Four figure tiles: overall score, requirements met, core gaps, other gaps."""
    from reportlab.platypus import Table, TableStyle

    c = a.counts
    figures = [
        (f"{a.overall_score:.1f}%", "overall score"),
        (f"{c.met} of {c.applicable}", "applicable requirements met"),
        (str(c.core_gaps), plural(c.core_gaps, "core gap").partition(" ")[2]),
        (str(c.other_gaps), plural(c.other_gaps, "other gap").partition(" ")[2]),
    ]
    cells = [[ink.own(value, "figure"), ink.own(label, "figure_label")] for value, label in figures]
    tiles = Table([cells], colWidths=[WIDTH / 4] * 4)
    tiles.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), kit.colour(kit.ZEBRA)),
                ("LINEAFTER", (0, 0), (-2, -1), 3, kit.colour("#FFFFFF")),
                ("TOPPADDING", (0, 0), (-1, -1), 9),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
            ]
        )
    )
    return tiles


def _domain_table(a: Assessment, ink: Ink) -> list[Any]:
    """A note on the chart, then each domain's score against its threshold, with its counts."""
    head = ["Domain", "Score", "Needed", "Met", "Gaps", "Core gaps"]
    rows: list[list[Any]] = [[ink.own(h, "th") for h in head]]
    for d in a.domains:
        score = "not applicable" if d.score is None else f"{d.score:.1f}%"
        needed = "—" if d.threshold is None else f"{d.threshold:.0f}%"
        cells = [score, needed, f"{d.met} of {d.applicable}", str(d.gaps), str(d.core_gaps)]
        name = ink.para(f"{d.domain_id} · {d.title}", "small")
        rows.append([name, *(ink.own(c, "small") for c in cells)])
    widths = [1.0 * INCH, 0.8 * INCH, 0.8 * INCH, 0.7 * INCH, 0.8 * INCH]
    table = kit.table(rows, [WIDTH - sum(widths), *widths])
    if all(d.threshold is None for d in a.domains):
        return [table]
    note = "The dark mark on each bar is the score the next decision level needs; red bars miss it."
    return [ink.own(note, "muted"), table]


def _requirements(a: Assessment, ink: Ink) -> list[Any]:
    """Every requirement by domain: id (core marked), title, rating, its source, findings."""
    from reportlab.platypus import PageBreak

    head = ["ID", "Requirement", "Rating", "Source", "Findings"]
    rows: list[list[Any]] = [[ink.own(h, "th") for h in head]]
    extra: list[tuple[Any, ...]] = []
    titles = {d.domain_id: d.title for d in a.domains}
    domain = None
    for result in a.results:
        if result.domain_id != domain:
            domain, r = result.domain_id, len(rows)
            rows.append([ink.para(f"{domain} · {titles.get(domain, '')}", "small_bold")])
            extra += [
                ("SPAN", (0, r), (-1, r)),
                ("BACKGROUND", (0, r), (-1, r), kit.colour(kit.BAND)),
            ]
        fg, bg = _STATUS_COLOURS[result.status]
        extra.append(("BACKGROUND", (2, len(rows)), (2, len(rows)), kit.colour(bg)))
        rating = f'<font color="{fg}"><b>{ink.markup(result.level_label)}</b></font>'
        metric = result.metric.display if result.metric else None
        rows.append(
            [
                ink.own(_id_markup(result.requirement_id, result.core, ink), "small"),
                ink.para(result.title, "small"),
                ink.own(rating, "small"),
                ink.own(source_words(result.source), "small"),
                _findings_cell(result.findings, metric, ink),
            ]
        )
    widths = [0.72 * INCH, 1.95 * INCH, 0.95 * INCH, 0.8 * INCH]
    rows = [row + [""] * (len(head) - len(row)) for row in rows]
    intro = f"{plural(a.counts.requirements, 'requirement')}; <b>CORE</b> marks a mandatory one."
    return [
        ink.own("All requirements", "h1"),
        ink.own(intro, "muted"),
        kit.table(rows, [*widths, WIDTH - sum(widths)], extra=extra),
        PageBreak(),
    ]


def _id_markup(requirement_id: str, core: bool, ink: Ink) -> str:
    """A requirement id in bold, with a red ``CORE`` tag under it when it is mandatory."""
    tag = f'<br/><font color="{BAD}" size="6.5"><b>CORE</b></font>' if core else ""
    return f"<b>{ink.markup(requirement_id)}</b>{tag}"


def _findings_cell(findings: Sequence[Finding], metric: str | None, ink: Ink) -> list[Any]:
    """The findings of one requirement as small bullets, after its metric's working if any."""
    cell = [ink.para(metric, "small", label="Metric:")] if metric else []
    cell += ink.bullets((f.message for f in findings), "small_bullet")
    return cell or [ink.own("—", "small")]


def _gap_report(a: Assessment, ink: Ink) -> list[Any]:
    """One entry per gap, most severe first: asks, found, evidence missing, reviewer comment."""
    from reportlab.platypus import KeepTogether, PageBreak, Spacer

    c = a.counts
    intro = (
        f"{plural(c.gaps, 'gap')}: {c.core_gaps} core and {c.other_gaps} other, most severe first."
    )
    flow: list[Any] = [ink.own("Gap report", "h1"), ink.own(intro, "muted")]
    if not a.gaps:
        flow.append(ink.own("No gaps: every applicable requirement is met."))
    for gap in a.gaps:
        # KeepTogether moves a short entry to the next page whole; a long one still flows on.
        flow += [KeepTogether([_gap_entry(gap, ink)]), Spacer(1, 10)]
    return [*flow, PageBreak()]


def _gap_entry(gap: Gap, ink: Ink) -> Any:
    """One gap as a two-column table under a bar in its severity's colour."""
    core = " · core requirement" if gap.core else ""
    head = (
        f'<font color="#FFFFFF"><b>{gap.severity.value.upper()} · '
        f"{ink.markup(gap.requirement_id)}</b> {ink.markup(gap.title)} · "
        f"{ink.markup(gap.level_label)}{core}</font>"
    )
    missing = ink.bullets(gap.evidence_missing, "small_bullet") or [ink.own("—", "small")]
    body = [
        ("What the standard asks", [ink.para(gap.asks, "small")]),
        ("What was found", [ink.para(gap.found, "small")]),
        ("Evidence missing", missing),
        ("Reviewer's comment", [ink.para(gap.reviewer_comment or "—", "small")]),
    ]
    if gap.findings:
        body.append(("Findings", ink.bullets((f.message for f in gap.findings), "small_bullet")))
    rows = [[ink.own(head, "small"), ""]] + [[ink.own(k, "small_bold"), v] for k, v in body]
    extra = [
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), kit.colour(_SEVERITY_COLOURS[gap.severity])),
    ]
    return kit.table(rows, [1.45 * INCH, WIDTH - 1.45 * INCH], header=False, repeat=1, extra=extra)


def _plan(a: Assessment, ink: Ink) -> list[Any]:
    """The remediation plan: ordered steps with owner, effort, target date and prerequisites."""
    from reportlab.platypus import PageBreak

    head = ["#", "What to do, and why it is here", "Owner", "Effort", "Target", "After"]
    rows: list[list[Any]] = [[ink.own(h, "th") for h in head]]
    for step in a.plan.steps:
        after = ", ".join(step.prerequisites) or "—"
        rows.append(
            [
                ink.own(f"<b>{step.order}</b>", "small"),
                _step_cell(step, ink),
                ink.para(step.owner, "small"),
                ink.own(step.effort.value.capitalize(), "small"),
                ink.own(step.target_date.isoformat(), "small"),
                ink.para(after, "small"),
            ]
        )
    widths = [0.35 * INCH, 0.0, 1.2 * INCH, 0.65 * INCH, 0.9 * INCH, 0.75 * INCH]
    widths[1] = WIDTH - sum(widths)
    flow = [ink.own("Remediation plan", "h1"), ink.para(a.plan.summary)]
    if a.plan.steps:
        flow.append(kit.table(rows, widths))
    return [*flow, PageBreak()]


def _step_cell(step: PlanStep, ink: Ink) -> list[Any]:
    """A step's requirement, actions, the level it would lift the decision to, and its reason."""
    core = f' <font color="{BAD}" size="6.5"><b>CORE</b></font>' if step.core else ""
    title = f"<b>{ink.markup(step.requirement_id)}</b> {ink.markup(step.title)}{core}"
    cell = [ink.own(title, "small"), *ink.bullets(step.actions, "small_bullet")]
    if step.lifts_decision_to:
        lead = "Closing this gap alone lifts the decision to"
        cell.append(ink.para(step.lifts_decision_to, "small_bold", label=lead))
    return [*cell, ink.para(step.reason, "muted")]


def _appendix(a: Assessment, ink: Ink) -> list[Any]:
    """How scoring works, the decision levels, tailoring, warnings, provenance, rendering notes."""
    flow: list[Any] = [
        ink.own("Appendix", "h1"),
        ink.own("How scoring and the decision work", "h2"),
    ]
    flow += ink.bullets(a.scoring_explanation)
    flow.append(ink.own("Decision levels", "h2"))
    for level in a.decision.levels:
        reached = "reached" if level.reached else "not reached"
        flow.append(ink.own(f"<b>{ink.markup(level.label)}</b> ({reached})"))
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
    """The overlay's changes to its base, weakenings in red with their reasons."""
    flow: list[Any] = [ink.own("Tailoring", "h2")]
    if not a.tailoring:
        return [*flow, ink.own("The standard is used as published, with no overlay.")]
    rows: list[list[Any]] = [[ink.own(h, "th") for h in ("Change", "Target", "What", "Reason")]]
    for change in a.tailoring:
        tint = BAD if change.kind.value == "weakened" else kit.INK
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
    return [*flow, kit.table(rows, [*widths, WIDTH - sum(widths)])]


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
