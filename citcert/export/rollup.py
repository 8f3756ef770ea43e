"""
The state-wide roll-up of a batch run: its model, and its CSV, JSON, XLSX and PDF writers.

`Rollup` is to the roll-up what `Assessment` is to one program's report: every number and
sentence a roll-up file shows is a field of it, built once by `citcert.audit.batch`; the writers
only lay it out. It holds one row per workbook (audited or not) and, per requirement, how many
programs meet it, the state's most common gaps first. Text that came from a workbook is
neutralised before it goes into a CSV or XLSX cell and escaped before it goes into the PDF.
Every writer returns the same bytes for the same roll-up (no clock: the XLSX is dated by the
newest assessment and saved with the template writer's fixed-time zip; the PDF uses
reportlab's invariant mode).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal

from pydantic import Field

from citcert.export import json as json_writer
from citcert.export._text import neutralise_formula
from citcert.standards.model import Model

SCHEMA_VERSION: Literal["1.0"] = "1.0"
EPOCH = dt.datetime(2000, 1, 1)
"""The document date of a roll-up with no audited workbook (any fixed date would do)."""


class RollupRow(Model):
    """One workbook of the batch: its program's results, or why it could not be audited."""

    file: str
    """The workbook's path relative to the folder all the batch's workbooks share."""
    program: str = ""
    jurisdiction: str = ""
    standard: str = ""
    """The ``id@version`` it was audited against."""
    assessment_date: dt.date | None = None
    decision_id: str = ""
    decision: str = ""
    """The decision's label, e.g. ``Conditionally certified``."""
    overall_score: float | None = None
    domain_scores: dict[str, float | None] = Field(default_factory=dict)
    """By domain id; ``None`` where every requirement of the domain was not applicable."""
    core_gaps: int | None = None
    other_gaps: int | None = None
    reports: str = ""
    """The folder (under the output folder) holding the program's reports."""
    errors: tuple[str, ...] = ()
    """Why it could not be audited, one located message each; empty when it was audited."""

    @property
    def audited(self) -> bool:
        """True when the workbook was audited (it has no errors)."""
        return not self.errors


class RequirementTally(Model):
    """How the programs of the batch fared on one requirement."""

    requirement_id: str
    title: str
    domain_id: str
    core: bool
    programs: int
    """Audited programs whose standard has this requirement."""
    applicable: int
    met: int
    partial: int
    not_met: int
    unanswered: int
    not_applicable: int
    gaps: int
    """Programs for which it is a gap (applicable and not fully met)."""
    share_met: float | None
    """Percent of the programs it applies to that meet it, one decimal; ``None`` if none."""


class DecisionCount(Model):
    """How many programs reached one decision level."""

    decision_id: str
    label: str
    programs: int


class DomainColumn(Model):
    """A domain that has a score column in the roll-up."""

    domain_id: str
    title: str


class Rollup(Model):
    """The state-wide picture of one batch run."""

    schema_version: Literal["1.0"] = SCHEMA_VERSION
    standards: tuple[str, ...]
    """Every ``id@version`` a workbook was audited against, sorted."""
    workbooks: int
    audited: int
    failed: int
    latest_assessment: dt.date | None
    """The newest assessment date among the audited workbooks."""
    decisions: tuple[DecisionCount, ...]
    """Best decision first, zero counts included."""
    domains: tuple[DomainColumn, ...]
    rows: tuple[RollupRow, ...]
    """In the batch's stable order (by file path)."""
    requirements: tuple[RequirementTally, ...]
    """Most common gaps first; core before other requirements at equal counts; then by id."""
    summary: str
    """One plain sentence, e.g. ``31 workbooks: 28 audited (10 Certified, …); 3 could not be …``."""


RollupWriter = Callable[[Rollup], bytes]
"""A roll-up writer: the whole roll-up as the bytes of one file."""


def render_json(rollup: Rollup) -> bytes:
    """The roll-up as canonical JSON (sorted keys), with its ``schema_version``."""
    return json_writer.dumps(rollup.model_dump(mode="json"))


def _row_cells(rollup: Rollup, row: RollupRow) -> list[object]:
    """The cells of one programs-table row: text neutralised, numbers as numbers, blanks empty."""
    text = [row.file, row.program, row.jurisdiction, row.standard]
    cells: list[object] = [neutralise_formula(value) for value in text]
    cells += [row.assessment_date, neutralise_formula(row.decision), row.overall_score]
    cells += [row.domain_scores.get(d.domain_id) for d in rollup.domains]
    cells += [row.core_gaps, row.other_gaps, neutralise_formula(row.reports)]
    cells.append(neutralise_formula("\n".join(row.errors)))
    return cells


def _row_headers(rollup: Rollup) -> list[str]:
    domains = [f"{d.title} ({d.domain_id})" for d in rollup.domains]
    return [
        "File",
        "Program",
        "Jurisdiction",
        "Standard",
        "Assessment date",
        "Decision",
        "Overall score",
        *domains,
        "Core gaps",
        "Other gaps",
        "Reports folder",
        "Error",
    ]


_TALLY_HEADERS = (
    "Requirement",
    "Title",
    "Domain",
    "Core",
    "Programs",
    "Applies to",
    "Met",
    "Partially met",
    "Not met",
    "Not answered",
    "Not applicable",
    "Gaps",
    "Share met (%)",
)


def _tally_cells(tally: RequirementTally) -> list[object]:
    return [
        tally.requirement_id,
        neutralise_formula(tally.title),
        tally.domain_id,
        "yes" if tally.core else "no",
        tally.programs,
        tally.applicable,
        tally.met,
        tally.partial,
        tally.not_met,
        tally.unanswered,
        tally.not_applicable,
        tally.gaps,
        tally.share_met,
    ]


def render_csv(rollup: Rollup) -> bytes:
    """
    The programs table as CSV: one row per workbook (the requirement table is in the others).

    UTF-8 with a byte-order mark so that Excel shows accented names correctly; cells that a
    spreadsheet could read as a formula start with a single quote.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_row_headers(rollup))
    for row in rollup.rows:
        writer.writerow(
            ["" if cell is None else _csv_text(cell) for cell in _row_cells(rollup, row)]
        )
    return out.getvalue().encode("utf-8-sig")


def _csv_text(cell: object) -> str:
    if isinstance(cell, float):
        return f"{cell:.1f}"
    return str(cell)


def render_xlsx(rollup: Rollup) -> bytes:
    """The roll-up as a workbook: a Programs sheet and a Requirements sheet (gaps first)."""
    from openpyxl import Workbook

    book = Workbook()
    programs = book.active
    programs.title = "Programs"
    _fill_sheet(programs, _row_headers(rollup), [_row_cells(rollup, r) for r in rollup.rows])
    requirements = book.create_sheet("Requirements")
    _fill_sheet(requirements, list(_TALLY_HEADERS), [_tally_cells(t) for t in rollup.requirements])
    from citcert.export.template import workbook_bytes

    day = rollup.latest_assessment
    book.properties.title = "CIT programs: state roll-up"
    return workbook_bytes(book, dt.datetime.combine(day, dt.time()) if day else EPOCH)


def _fill_sheet(sheet: Any, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Write a header row (bold, frozen, filtered) and the rows; widen columns to fit."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, header in enumerate(headers, start=1):
        values = [header, *(str(r[index - 1] or "") for r in rows)]
        width = max(len(line) for value in values for line in value.splitlines() or [""])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[get_column_letter(len(headers))][1:]:
        cell.alignment = wrap


def render_pdf(rollup: Rollup) -> bytes:
    """The roll-up as a landscape PDF: summary, programs, failures, requirements (gaps first)."""
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.platypus import SimpleDocTemplate

    from citcert.export._pdfkit import Ink, font_coverage

    ink = Ink(font_coverage())
    width, height = landscape(letter)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=(width, height),
        leftMargin=_PDF_MARGIN,
        rightMargin=_PDF_MARGIN,
        topMargin=_PDF_MARGIN,
        bottomMargin=_PDF_MARGIN,
        title=_TITLE,
        subject=", ".join(rollup.standards),
        author="citcert",
        creator="citcert",
        invariant=1,
    )
    doc.build(
        _pdf_story(rollup, ink, width - 2 * _PDF_MARGIN),
        onFirstPage=_page_number,
        onLaterPages=_page_number,
    )
    return out.getvalue()


_PDF_MARGIN = 36.0
_TITLE = "CIT programs: state roll-up"


def _page_number(canvas: Any, doc: Any) -> None:
    """Stamp the page number at the foot of each page."""
    from citcert.export._pdfkit import FONT

    canvas.saveState()
    canvas.setFont(FONT, 7)
    canvas.drawRightString(
        doc.pagesize[0] - _PDF_MARGIN, _PDF_MARGIN / 2, f"{_TITLE} · page {doc.page}"
    )
    canvas.restoreState()


_DOMAINS_PER_TABLE = 12
"""Domain-score columns per table, so a standard with many domains stays legible."""


def _pdf_story(rollup: Rollup, ink: Any, width: float) -> list[Any]:
    """Every flowable of the roll-up PDF, in order; workbook text goes through `ink`."""
    story = [ink.para(_TITLE, "h1"), ink.para(rollup.summary)]
    story.append(ink.para(", ".join(rollup.standards) or "none", label="Standards:"))
    story += [ink.para("Programs", "h2"), _pdf_table(ink, *_programs_table(rollup, width))]
    story += _domain_tables(rollup, ink, width)
    failed = [row for row in rollup.rows if row.errors]
    if failed:
        rows = [
            ["File", "Why it could not be audited"],
            *([r.file, "\n".join(r.errors)] for r in failed),
        ]
        story += [ink.para("Workbooks that could not be audited", "h2")]
        story.append(_pdf_table(ink, rows, [0.3 * width, 0.7 * width]))
    story.append(ink.para("Requirements, the most common gaps first", "h2"))
    story.append(_pdf_table(ink, *_requirements_table(rollup, width)))
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
        story.append(_pdf_table(ink, rows, [0.25 * width] + [each] * len(chunk)))
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


def _pdf_table(ink: Any, rows: Sequence[Sequence[object]], widths: Sequence[float]) -> Any:
    """A house-style table; every cell (numbers included) is a safe paragraph."""
    from citcert.export._pdfkit import table

    head = [ink.para(_pdf_text(cell), "th") for cell in rows[0]]
    body = [[ink.para(_pdf_text(cell), "small") for cell in row] for row in rows[1:]]
    return table([head, *body], widths)


def _pdf_text(value: object) -> str:
    if value is None:
        return ""
    return f"{value:.1f}" if isinstance(value, float) else str(value)


FILES: Mapping[str, RollupWriter] = MappingProxyType(
    {
        "summary.xlsx": render_xlsx,
        "summary.csv": render_csv,
        "summary.json": render_json,
        "summary.pdf": render_pdf,
    }
)
"""Every roll-up file a batch run writes, by file name, with its writer."""
