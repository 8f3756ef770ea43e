"""
The gap report's opening pages: the cover with the decision, and the executive summary.

The cover names the program, the standard and the decision in its colour; the summary says
why, shows the key figures and a chart of the domain scores, and lists the most important next
steps. Both only lay out fields of the `Assessment`; typed text goes through `Ink`.
"""

from __future__ import annotations

from typing import Any

from citcert.audit.assessment import Assessment
from citcert.audit.explanation import standing
from citcert.audit.review_model import Audience
from citcert.export.pdf import kit
from citcert.export.pdf.kit import INCH, WIDTH, Ink
from citcert.export.validity import (
    EXCEPTION_HEADER,
    date_rows,
    exception_rows,
    with_without_rows,
)
from citcert.export.wording import DOMAIN_MINIMUM, mode_words, overlay_effect, plural

_TOP_STEPS = 5
"""How many plan steps the summary lists as the most important next steps."""


def cover(a: Assessment, ink: Ink) -> list[Any]:
    """Program, standard, mode, date, reviewer, and the decision in large type in its colour."""
    from reportlab.platypus import PageBreak, Spacer

    profile, prov = a.profile, a.provenance
    facts = [
        ("Jurisdiction", f"{profile.jurisdiction}, {profile.state}"),
        ("Agencies", profile.agencies),
        ("Standard", f"{prov.standard_ref} — {prov.standard_title}"),
        ("Assessment", mode_words(prov.mode)),
        ("As of", prov.as_of.isoformat()),
        *date_rows(a),
        ("Reviewer", profile.reviewer or "none named"),
        ("Coordinator", profile.coordinator),
    ]
    rows = [[ink.own(label, "small_bold"), ink.para(value, "small")] for label, value in facts]
    # NOTE: the cover is what a panel sees first: a decision the overlay made says so here too
    effect = overlay_effect(a)
    return [
        Spacer(1, 0.6 * INCH),
        ink.own(_kicker(a), "kicker"),
        ink.para(profile.program_name, "title"),
        ink.own("Gap report and remediation plan", "subtitle"),
        kit.table(rows, [1.3 * INCH, WIDTH - 1.3 * INCH], header=False),
        Spacer(1, 0.45 * INCH),
        _decision_box(a, ink),
        Spacer(1, 0.12 * INCH),
        *([] if effect is None else [ink.own(f"<b>{ink.markup(effect)}</b>", "small")]),
        ink.para(standing(prov.standard_ref), "small"),
        PageBreak(),
    ]


def _kicker(a: Assessment) -> str:
    """The line above the program's name; a panel's report says it is not the applicant's."""
    panel = a.review is not None and a.review.audience is Audience.PANEL
    return "CIT PROGRAM AUDIT REPORT" + (" · FOR THE REVIEW PANEL ONLY" if panel else "")


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


def summary(a: Assessment, ink: Ink) -> list[Any]:
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
    if (effect := overlay_effect(a)) is not None:
        flow.append(ink.own(f"<b>{ink.markup(effect)}</b>"))
    if a.dates is not None:
        flow.append(ink.para(a.dates.sentence))
    if decision.reasons and decision.next_level_label:
        flow.append(ink.own(f"<b>To reach {ink.markup(decision.next_level_label)}:</b>"))
        flow += ink.bullets(decision.reasons)
    flow += _exceptions(a, ink)
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


def _exceptions(a: Assessment, ink: Ink) -> list[Any]:
    """The decision with and without the exceptions, and each exception with its state."""
    if a.exceptions is None:
        return []
    flow: list[Any] = [ink.own("Exceptions", "h2"), ink.para(a.exceptions.sentence)]
    pairs = [[ink.own(k, "small_bold"), ink.para(v, "small")] for k, v in with_without_rows(a)]
    flow.append(kit.table(pairs, [1.6 * INCH, WIDTH - 1.6 * INCH], header=False))
    rows: list[list[Any]] = [[ink.own(h, "th") for h in EXCEPTION_HEADER]]
    rows += [[ink.para(cell, "small") for cell in row] for row in exception_rows(a)]
    widths = [1.3 * INCH, 1.0 * INCH, 0.85 * INCH, 0.85 * INCH, 0.9 * INCH]
    flow.append(kit.table(rows, [1.4 * INCH, WIDTH - 1.4 * INCH - sum(widths[1:]), *widths[1:]]))
    return flow


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
    note = f"The dark mark on each bar is {DOMAIN_MINIMUM}; red bars fall short of it."
    return [ink.own(note, "muted"), table]
