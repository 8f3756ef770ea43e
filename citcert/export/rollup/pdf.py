"""
The roll-up as a landscape PDF: the summary, the programs, their domain scores, the workbooks
that could not be audited, and the requirements with the most common gaps first.

Every cell of text is a paragraph made by `kit.Ink`, so workbook text is escaped before it
becomes markup; a figure citcert wrote (a score, a count) is plain text (`_figures`).
reportlab's invariant mode makes the same roll-up give the same bytes; reportlab is imported
inside the functions.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from citcert.standards.model import DomainId

if TYPE_CHECKING:
    from citcert.audit.rollup import DomainColumn, Rollup

_MARGIN = 36.0
_TITLE = "CIT programs: state roll-up"

_TOP_GAPS = 10
"""The requirements the gap chart shows: the most common gaps."""
_LABEL_SHARE = 0.24
"""The share of the width taken by the program column of the domain-score tables."""
_PAD = 3.0
"""The padding either side of a domain-score cell."""
_MIN_COLUMN = 2 * _PAD + 24.0
"""The narrowest domain-score column: "100.0" in small type, with its padding."""


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
    from reportlab.platypus import KeepTogether, PageBreak

    story = [ink.para(_TITLE, "h1"), ink.para(rollup.summary)]
    story.append(ink.para(", ".join(rollup.standards) or "none", label="Standards:"))
    story += _charts(rollup, ink, width)
    story.append(PageBreak())
    story += [ink.para("Programs", "h2"), _table(ink, *_programs_table(rollup, width))]
    story += [ink.para(f"{r.file}: {r.not_counted}", "muted") for r in rollup.rows if r.not_counted]
    story += _sections(rollup, ink, width)
    story += _domain_tables(rollup, ink, width)
    failed = [row for row in rollup.rows if not row.audited]
    if failed:
        rows = [
            ["File", "Why it could not be audited"],
            *([r.file, "\n".join(r.messages)] for r in failed),
        ]
        heading = ink.para("Workbooks that could not be audited", "h2")
        story.append(KeepTogether([heading, _table(ink, rows, [0.3 * width, 0.7 * width])]))
    heading = ink.para("Requirements, the most common gaps first", "h2")
    story.append(KeepTogether([heading, _table(ink, *_requirements_table(rollup, width))]))
    return story


def _sections(rollup: Rollup, ink: Any, width: float) -> list[Any]:
    """The calendar of reviews due and the change since the previous roll-up, when there."""
    from citcert.export.rollup.sections import rollup_sections

    flow: list[Any] = []
    for section in rollup_sections(rollup):
        flow.append(ink.para(section.title, "h2"))
        flow += [ink.para(line) for line in section.lines if line]
        if section.rows:
            total = sum(section.weights)
            widths = [width * w / total for w in section.weights]
            flow.append(_table(ink, [section.head, *section.rows], widths))
    return flow


def _charts(rollup: Rollup, ink: Any, width: float) -> list[Any]:
    """Side by side: programs per decision level, and the most common gaps."""
    from reportlab.platypus import Table, TableStyle

    from citcert.export.rollup.charts import Count, count_chart

    half = (width - 24) / 2
    mixed = rollup.mixed
    decisions = [
        Count(ink.line(d.label), d.programs, ink.line(d.standard_id) if mixed else "")
        for d in rollup.decisions
    ]
    if rollup.failed:
        decisions.append(Count("Could not be audited", rollup.failed))
    gaps = [
        Count(
            ink.line(f"{t.requirement_id} · {t.title}"),
            t.gaps,
            ink.line(t.standard_id) if mixed else "",
        )
        for t in rollup.requirements[:_TOP_GAPS]
        if t.gaps
    ]
    label = 0.55 if mixed else 0.42  # two standards' levels: some labels are long
    left = [
        ink.para("Programs by decision", "h2"),
        count_chart(decisions, rollup.programs + rollup.failed, half, label * half),
    ]
    right = [ink.para(f"The {_TOP_GAPS} most common gaps", "h2")]
    if gaps:
        right.append(ink.para("Programs for which the requirement is a gap.", "muted"))
        right.append(count_chart(gaps, rollup.programs, half, 0.55 * half))
    else:
        right.append(ink.para("No program has a gap.", "body"))
    box = Table([[left, right]], colWidths=[half + 24, half], hAlign="LEFT")
    box.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return [box]


def _programs_table(rollup: Rollup, width: float) -> tuple[list[list[object]], list[float]]:
    head = ["File", "Program", "Jurisdiction", "Decision", "Overall", "Core gaps", "Other gaps"]
    rows: list[list[object]] = [list(head)]
    for r in rollup.rows:
        kind = [r.mode.noun] if r.mode else []
        kind += [] if r.counted is not False else ["not counted"]
        decision = f"{r.decision} ({'; '.join(kind)})" if r.decision and kind else r.decision
        decision = decision or "could not be audited"
        row = [r.file, r.program, r.jurisdiction, decision, r.overall_score, r.core_gaps]
        rows.append([*row, r.other_gaps])
    return rows, [0.2 * width, 0.22 * width, 0.18 * width, 0.16 * width] + [0.08 * width] * 3


def domain_chunks(ids: Sequence[DomainId], width: float) -> list[list[DomainId]]:
    """
    The domain ids split into tables of nearly equal size that each fit `width`.

    Each column is as wide as the widest id in the header's bold type; when not all fit beside
    the program column, the domains are shared evenly between as few tables as fit, so no table
    is left with a single column.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from citcert.export.pdf.kit import FONT_BOLD, font_coverage

    font_coverage()  # registers the fonts measured here
    if not ids:
        return []
    column = max(_MIN_COLUMN, *(stringWidth(i, FONT_BOLD, 8) + 2 * _PAD + 1 for i in ids))
    fit = max(1, int((1 - _LABEL_SHARE) * width // column))
    tables = -(-len(ids) // fit)
    size, larger = divmod(len(ids), tables)
    chunks, start = [], 0
    for index in range(tables):
        end = start + size + (index < larger)
        chunks.append(list(ids[start:end]))
        start = end
    return chunks


def _domain_tables(rollup: Rollup, ink: Any, width: float) -> list[Any]:
    """
    Each audited program's domain scores under the domains' ids, with a key of the ids; in a
    roll-up of more than one standard, one such part per standard, of its programs alone.
    """
    audited = [r for r in rollup.rows if r.audited]
    if not rollup.domains or not audited:
        return []
    if not rollup.mixed:
        return _domain_part(rollup.domains, audited, ink, width, "Domain scores (%)")
    groups: dict[str, list[DomainColumn]] = {}
    for column in rollup.domains:
        groups.setdefault(column.standard_id, []).append(column)
    story: list[Any] = []
    for standard, columns in groups.items():
        rows = [r for r in audited if r.standard_id == standard]
        story += _domain_part(columns, rows, ink, width, f"Domain scores (%): {standard}")
    return story


def _domain_part(
    columns: Sequence[DomainColumn], audited: Sequence[Any], ink: Any, width: float, heading: str
) -> list[Any]:
    """The domain-score tables of `columns` (domains of one standard) for the rows `audited`."""
    from reportlab.platypus import KeepTogether, PageBreak, Spacer

    from citcert.export.pdf.kit import table

    pairs = [(d.domain_id, d.title) for d in columns]
    across = 3
    key_rows: list[list[Any]] = []
    for start in range(0, len(pairs), across):
        cells: list[Any] = []
        for domain_id, title in pairs[start : start + across]:
            cells += [ink.para(domain_id, "small_bold"), ink.para(title, "small")]
        key_rows.append(cells + [""] * (2 * across - len(cells)))
    each = width / across
    key = table(key_rows, [0.22 * each, 0.78 * each] * across, header=False)
    story: list[Any] = [
        PageBreak(),
        KeepTogether(
            [
                ink.para(heading, "h2"),
                ink.para("Each column is a domain, named by its id in this key.", "muted"),
                key,
            ]
        ),
    ]
    label = _LABEL_SHARE * width
    by_id = {d.domain_id: d for d in columns}
    for chunk in domain_chunks([d.domain_id for d in columns], width):
        rows: list[list[Any]] = [[ink.para(h, "th") for h in ("Program", *chunk)]]
        for r in audited:
            who = [ink.para(r.program, "small_bold"), ink.para(_place(r), "small")]
            rows.append([who, *(_cell_text(by_id[d].score_of(r)) for d in chunk)])
        column = (width - label) / len(chunk)
        pad = [("LEFTPADDING", (1, 0), (-1, -1), _PAD), ("RIGHTPADDING", (1, 0), (-1, -1), _PAD)]
        widths = [label] + [column] * len(chunk)
        extra = [*pad, *_figures(ink)]
        story += [Spacer(1, 8), table(rows, widths, extra=extra, whole_rows=True)]
    return story


def _figures(ink: Any) -> list[tuple[Any, ...]]:
    """
    A table's style for the cells that hold a figure citcert wrote (a score, a count): plain
    text in the small style, not a paragraph.

    A figure is one short line of digits, never typed text, so nothing in it needs escaping,
    replacing or wrapping; drawn as plain text it takes reportlab a fraction of the work of a
    paragraph, in a row of the same height (the style's leading), so pages break alike.
    """
    small = ink.styles["small"]
    every = ((0, 0), (-1, -1))
    return [
        ("FONTNAME", *every, small.fontName),
        ("FONTSIZE", *every, small.fontSize),
        ("LEADING", *every, small.leading),
        ("TEXTCOLOR", *every, small.textColor),
    ]


def _place(row: Any) -> str:
    """
    Where a program is and which file it came from, so programs of one name differ; "not
    counted" for a workbook whose program is counted by another.
    """
    parts = (row.jurisdiction, row.file, "not counted" if row.counted is False else "")
    return " · ".join(part for part in parts if part)


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
    mixed = rollup.mixed
    rows: list[list[object]] = [["Standard", *head] if mixed else head]
    for t in rollup.requirements:
        share = "" if t.share_met is None else f"{t.share_met:.1f}%"
        core = "core" if t.core else ""
        rows.append(
            [
                *([t.standard_id] if mixed else []),
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
    if mixed:  # the standard's column takes its room from the title's
        return rows, [0.13 * width, 0.1 * width, width - 0.23 * width - 8 * narrow, *([narrow] * 8)]
    return rows, [0.1 * width, width - 0.1 * width - 8 * narrow, *([narrow] * 8)]


def _table(ink: Any, rows: Sequence[Sequence[object]], widths: Sequence[float]) -> Any:
    """A house-style table: each text a safe paragraph, each figure plain text (`_cell`)."""
    from citcert.export.pdf.kit import table

    head = [ink.para(_cell_text(cell), "th") for cell in rows[0]]
    body = [[_cell(ink, cell) for cell in row] for row in rows[1:]]
    return table([head, *body], widths, extra=_figures(ink))


def _cell(ink: Any, value: object) -> Any:
    """A body cell: a figure as plain text (`_figures`), anything else as a safe paragraph."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return _cell_text(value)
    return ink.para(_cell_text(value), "small")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    return f"{value:.1f}" if isinstance(value, float) else str(value)
