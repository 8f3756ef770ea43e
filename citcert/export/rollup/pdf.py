"""
The roll-up as a landscape PDF: the summary, the programs, their domain scores, the workbooks
that could not be audited, and the requirements with the most common gaps first.

Every cell, numbers included, is a paragraph made by `kit.Ink`, so workbook text is escaped
before it becomes markup. reportlab's invariant mode makes the same roll-up give the same bytes;
reportlab is imported inside the functions.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from citcert.audit.rollup import Rollup

_MARGIN = 36.0
_TITLE = "CIT programs: state roll-up"

_DOMAINS_PER_TABLE = 12
"""Domain-score columns per table, so a standard with many domains stays legible."""


def render_pdf(rollup: Rollup) -> bytes:
    """The roll-up as a landscape PDF: summary, programs, failures, requirements (gaps first)."""
    from reportlab.lib.pagesizes import landscape, letter

    from citcert.export.pdf.kit import Ink, font_coverage
    from citcert.export.pdf.outline import outlined_template

    ink = Ink(font_coverage())
    width, height = landscape(letter)
    out = io.BytesIO()
    doc = outlined_template(
        out,
        pagesize=(width, height),
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=_TITLE,
        subject=", ".join(rollup.standards),
        author="citcert",
        creator="citcert",
        invariant=1,
    )
    doc.build(
        _story(rollup, ink, width - 2 * _MARGIN),
        onFirstPage=_page_number,
        onLaterPages=_page_number,
    )
    return out.getvalue()


def _page_number(canvas: Any, doc: Any) -> None:
    """Stamp the page number at the foot of each page."""
    from citcert.export.pdf.kit import FONT

    canvas.saveState()
    canvas.setFont(FONT, 7)
    canvas.drawRightString(doc.pagesize[0] - _MARGIN, _MARGIN / 2, f"{_TITLE} · page {doc.page}")
    canvas.restoreState()


def _story(rollup: Rollup, ink: Any, width: float) -> list[Any]:
    """Every flowable of the roll-up PDF, in order; workbook text goes through `ink`."""
    story = [ink.para(_TITLE, "h1"), ink.para(rollup.summary)]
    story.append(ink.para(", ".join(rollup.standards) or "none", label="Standards:"))
    story += [ink.para("Programs", "h2"), _table(ink, *_programs_table(rollup, width))]
    story += _domain_tables(rollup, ink, width)
    failed = [row for row in rollup.rows if not row.audited]
    if failed:
        rows = [
            ["File", "Why it could not be audited"],
            *([r.file, "\n".join(r.messages)] for r in failed),
        ]
        story += [ink.para("Workbooks that could not be audited", "h2")]
        story.append(_table(ink, rows, [0.3 * width, 0.7 * width]))
    story.append(ink.para("Requirements, the most common gaps first", "h2"))
    story.append(_table(ink, *_requirements_table(rollup, width)))
    return story


def _programs_table(rollup: Rollup, width: float) -> tuple[list[list[object]], list[float]]:
    head = ["File", "Program", "Jurisdiction", "Decision", "Overall", "Core gaps", "Other gaps"]
    rows: list[list[object]] = [list(head)]
    for r in rollup.rows:
        decision = r.decision or "could not be audited"
        row = [r.file, r.program, r.jurisdiction, decision, r.overall_score, r.core_gaps]
        rows.append([*row, r.other_gaps])
    return rows, [0.2 * width, 0.22 * width, 0.18 * width, 0.16 * width] + [0.08 * width] * 3


def _domain_tables(rollup: Rollup, ink: Any, width: float) -> list[Any]:
    """Each audited program's domain scores, at most `_DOMAINS_PER_TABLE` domains a table."""
    from reportlab.platypus import Spacer

    audited = [r for r in rollup.rows if r.audited]
    if not rollup.domains or not audited:
        return []
    legend = "; ".join(f"{d.domain_id}: {d.title}" for d in rollup.domains)
    story = [ink.para("Domain scores (%)", "h2"), ink.para(legend, "small")]
    domains = [d.domain_id for d in rollup.domains]
    for start in range(0, len(domains), _DOMAINS_PER_TABLE):
        chunk = domains[start : start + _DOMAINS_PER_TABLE]
        rows: list[list[object]] = [["Program", *chunk]]
        rows += [[r.program, *(r.domain_scores.get(d) for d in chunk)] for r in audited]
        each = 0.75 * width / _DOMAINS_PER_TABLE
        story.append(_table(ink, rows, [0.25 * width] + [each] * len(chunk)))
        story.append(Spacer(1, 8))
    return story


def _requirements_table(rollup: Rollup, width: float) -> tuple[list[list[object]], list[float]]:
    head: list[object] = [
        "Requirement",
        "Title",
        "Core",
        "Applies to",
        "Met",
        "Partly met",
        "Not met",
        "No answer",
        "Gaps",
        "Share met",
    ]
    rows: list[list[object]] = [head]
    for t in rollup.requirements:
        share = "" if t.share_met is None else f"{t.share_met:.1f}%"
        core = "core" if t.core else ""
        rows.append(
            [
                t.requirement_id,
                t.title,
                core,
                t.applicable,
                t.met,
                t.partial,
                t.not_met,
                t.unanswered,
                t.gaps,
                share,
            ]
        )
    narrow = 0.075 * width
    return rows, [0.1 * width, width - 0.1 * width - 8 * narrow, *([narrow] * 8)]


def _table(ink: Any, rows: Sequence[Sequence[object]], widths: Sequence[float]) -> Any:
    """A house-style table; every cell (numbers included) is a safe paragraph."""
    from citcert.export.pdf.kit import table

    head = [ink.para(_cell_text(cell), "th") for cell in rows[0]]
    body = [[ink.para(_cell_text(cell), "small") for cell in row] for row in rows[1:]]
    return table([head, *body], widths)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    return f"{value:.1f}" if isinstance(value, float) else str(value)
