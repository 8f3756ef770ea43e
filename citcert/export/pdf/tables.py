"""
The gap report's detail pages: every requirement, the gaps most severe first, and the plan.

Each is laid out as house-style tables (`kit.table`) that may split across pages, coloured
by rating or severity; typed text goes through `Ink`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from citcert.audit.assessment import (
    Assessment,
    Finding,
    Gap,
    MetricResult,
    PlanStep,
    RequirementResult,
    Severity,
    Status,
)
from citcert.export.pdf import kit
from citcert.export.pdf.kit import BAD, INCH, WIDTH, Ink
from citcert.export.wording import beside_metric, plural, source_words
from citcert.standards.model import RequirementId
from citcert.workbook.evidence import Mode

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


def requirements(a: Assessment, ink: Ink) -> list[Any]:
    """Every requirement by domain: id (core marked), title, rating, its source, findings."""
    from reportlab.platypus import PageBreak

    head = ["ID", "Requirement", "Rating", "Source", "Evidence given, and findings"]
    rows: list[list[Any]] = [[ink.own(h, "th") for h in head]]
    extra: list[tuple[Any, ...]] = []
    titles = {d.domain_id: d.title for d in a.domains}
    domain = None
    headings: set[int] = set()
    for result in a.results:
        if result.domain_id != domain:
            domain, r = result.domain_id, len(rows)
            headings.add(r)
            rows.append([ink.para(f"{domain} · {titles.get(domain, '')}", "small_bold")])
            extra += [
                ("SPAN", (0, r), (-1, r)),
                ("BACKGROUND", (0, r), (-1, r), kit.colour(kit.BAND)),
            ]
        fg, bg = _STATUS_COLOURS[result.status]
        extra.append(("BACKGROUND", (2, len(rows)), (2, len(rows)), kit.colour(bg)))
        rating = f'<font color="{fg}"><b>{ink.markup(result.level_label)}</b></font>'
        rows.append(
            [
                ink.own(_id_markup(result.requirement_id, result.core, ink), "small"),
                ink.para(result.title, "small"),
                ink.own(rating, "small"),
                ink.own(source_words(result.source), "small"),
                _evidence_cell(result, ink),
            ]
        )
    widths = [_id_width(a), 1.95 * INCH, 0.95 * INCH, 0.8 * INCH]
    rows = [row + [""] * (len(head) - len(row)) for row in rows]
    intro = f"{plural(a.counts.requirements, 'requirement')}; <b>CORE</b> marks a mandatory one."
    return [
        ink.own("All requirements", "h1"),
        ink.own(intro, "muted"),
        kit.table(rows, [*widths, WIDTH - sum(widths)], extra=extra, headings=headings),
        PageBreak(),
    ]


def _id_markup(requirement_id: RequirementId, core: bool, ink: Ink) -> str:
    """A requirement id in bold, with a red ``CORE`` tag under it when it is mandatory."""
    tag = f'<br/><font color="{BAD}" size="6.5"><b>CORE</b></font>' if core else ""
    return f"<b>{ink.markup(requirement_id)}</b>{tag}"


def _id_width(a: Assessment) -> float:
    """The id column, wide enough that no id breaks at its hyphen ("COORD-" / "01")."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widest = max((stringWidth(r.requirement_id, kit.FONT_BOLD, 8) for r in a.results), default=0)
    return max(0.72 * INCH, widest + 2 * 6 + 2)


def _evidence_cell(result: RequirementResult, ink: Ink) -> list[Any]:
    """What the program gave (summary, documents), its metric's working, then the findings."""
    cell = []
    if result.evidence_summary.strip():
        cell.append(ink.para(result.evidence_summary, "small", label="Evidence:"))
    if result.documents:
        cell.append(ink.para("; ".join(result.documents), "small", label="Documents:"))
    findings = _findings_cell(result.findings, result.metric, ink)
    return cell + findings if (result.findings or result.metric) else cell or findings


def _findings_cell(findings: Sequence[Finding], metric: MetricResult | None, ink: Ink) -> list[Any]:
    """The findings of one requirement as small bullets, after its metric's working if any."""
    cell = [ink.para(metric.display, "small", label="Metric:")] if metric else []
    cell += ink.bullets((beside_metric(f, metric) for f in findings), "small_bullet")
    return cell or [ink.own("—", "small")]


def gap_report(a: Assessment, ink: Ink) -> list[Any]:
    """One entry per gap, most severe first: asks, found, evidence missing, reviewer comment."""
    from reportlab.platypus import KeepTogether, PageBreak, Spacer

    c = a.counts
    intro = (
        f"{plural(c.gaps, 'gap')}: {c.core_gaps} core and {c.other_gaps} other, most severe first."
    )
    flow: list[Any] = [ink.own("Gap report", "h1"), ink.own(intro, "muted")]
    if not a.gaps:
        flow.append(ink.own("No gaps: every applicable requirement is met."))
    results = {r.requirement_id: r for r in a.results}
    for gap in a.gaps:
        # KeepTogether moves a short entry to the next page whole; a long one still flows on.
        entry = _gap_entry(gap, results.get(gap.requirement_id), a.provenance.mode, ink)
        flow += [KeepTogether([entry]), Spacer(1, 10)]
    return [*flow, PageBreak()]


def _gap_entry(gap: Gap, result: RequirementResult | None, mode: Mode, ink: Ink) -> Any:
    """
    One gap as a two-column table under a bar in its severity's colour: what the standard
    asks, what was found, the evidence the program gave, what is still to show, the comment.
    """
    core = " · core requirement" if gap.core else ""
    head = (
        f'<font color="#FFFFFF"><b>{gap.severity.value.upper()} · '
        f"{ink.markup(gap.requirement_id)}</b> {ink.markup(gap.title)} · "
        f"{ink.markup(gap.level_label)}{core}</font>"
    )
    summary = result.evidence_summary.strip() if result else ""
    documents = result.documents if result else ()
    missing = ink.bullets(gap.evidence_missing, "small_bullet") or [ink.own("—", "small")]
    body = [
        ("What the standard asks", [ink.para(gap.asks, "small")]),
        ("What was found", [ink.para(gap.found, "small")]),
        ("Evidence given", [ink.para(summary or "None described.", "small")]),
        ("Documents cited", ink.bullets(documents, "small_bullet") or [ink.own("None.", "small")]),
        ("Evidence still to show", missing),
    ]
    if gap.reviewer_comment.strip() or mode is Mode.REVIEW:
        body.append(("Reviewer's comment", [ink.para(gap.reviewer_comment or "—", "small")]))
    if gap.findings:  # whole: what was found gives a metric's value and leaves its working here
        texts = (f.message for f in gap.findings)
        body.append(("Findings", ink.bullets(texts, "small_bullet")))
    rows = [[ink.own(head, "small"), ""]] + [[ink.own(k, "small_bold"), v] for k, v in body]
    extra = [
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), kit.colour(_SEVERITY_COLOURS[gap.severity])),
    ]
    return kit.table(rows, [1.45 * INCH, WIDTH - 1.45 * INCH], header=False, repeat=1, extra=extra)


def plan(a: Assessment, ink: Ink) -> list[Any]:
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
