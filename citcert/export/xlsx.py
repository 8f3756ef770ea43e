"""
The remediation tracker: `Assessment` -> XLSX bytes, with openpyxl.

The workbook a coordinator takes to the steering committee and keeps up to date: a Summary
(decision, scores, provenance), every requirement (filterable, coloured by rating), the gaps,
the remediation plan as a tracker with a status drop-down and a notes column, and the domain
scores. Numbers are real numbers and dates real dates. Every text cell is cleaned and, when a
spreadsheet could read it as a formula, neutralised with a leading single quote (OWASP); it is
always stored as a string. Document properties come from the assessment date, and the zip
entries carry a fixed timestamp, so that the same assessment gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from citcert.audit.assessment import Assessment, Gap, PlanStep, RequirementResult
from citcert.export._text import (
    level_words,
    mode_words,
    neutralise_formula,
    shorten,
    source_words,
    status_words,
)

SHEETS = ("Summary", "Requirements", "Gaps", "Remediation plan", "Domain scores")
"""The sheets, in order."""
TRACKER_STATUSES = ("Not started", "In progress", "Done")
"""The choices of the plan tracker's status drop-down."""

CELL_LIMIT = 32_000
"""Excel holds at most 32,767 characters in a cell; longer text is cut and says so."""
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_NAVY, _ZEBRA, _MUTED = "1F3A5F", "F4F6F9", "5F6B7A"
_RATING_FILLS = {
    "Met": "E3F1E7",
    "Partially met": "FFF3D6",
    "Not met": "FBE3E1",
    "Not answered": "EEF0F3",
    "Not applicable": "EEF0F3",
}
_TRACKER_FILLS = {"Done": "E3F1E7", "In progress": "FFF3D6"}
_DATE_FORMAT = "yyyy-mm-dd"
_NUMBER_FORMAT = "0.0"

Cell = str | int | float | dt.date | None


def render(assessment: Assessment) -> bytes:
    """The tracker workbook as XLSX bytes; identical assessments give identical bytes."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = SHEETS[0]
    _summary(book.active, assessment)
    _requirements(book.create_sheet(SHEETS[1]), assessment)
    _gaps(book.create_sheet(SHEETS[2]), assessment)
    _plan(book.create_sheet(SHEETS[3]), assessment)
    _domains(book.create_sheet(SHEETS[4]), assessment)
    _properties(book, assessment)
    return _save(book)


def put(sheet: Any, row: int, column: int, value: Cell) -> Any:
    """
    Write one value safely: text cleaned, cut to Excel's limit, neutralised and stored as a
    string; numbers as numbers; dates as date cells.
    """
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = neutralise_formula(shorten(value, CELL_LIMIT))
        cell.data_type = "s"
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = _DATE_FORMAT
    else:
        cell.value = value
    return cell


def _table(
    sheet: Any, header: Sequence[str], rows: Iterable[Sequence[Cell]], widths: Sequence[int]
) -> int:
    """
    Write a header and rows as a filterable table with a frozen header; returns the last row.
    """
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=_NAVY)
    for column, title in enumerate(header, start=1):
        cell = put(sheet, 1, column, title)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[get_column_letter(column)].width = widths[column - 1]
    wrap = Alignment(wrap_text=True, vertical="top")
    last = 1
    for last, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            put(sheet, last, column, value).alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{last}"
    _print_setup(sheet)
    return last


def _print_setup(sheet: Any) -> None:
    """Print landscape, one page wide, with the header row on every page."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"


def _fill_when(sheet: Any, cells: str, fills: dict[str, str]) -> None:
    """Colour the cells in range `cells` by their text (conditional formatting, not formulas)."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill

    for text, colour in fills.items():
        rule = CellIsRule(
            operator="equal", formula=[f'"{text}"'], fill=PatternFill("solid", bgColor=colour)
        )
        sheet.conditional_formatting.add(cells, rule)


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def _lines(items: Iterable[str]) -> str:
    return "\n".join(items)


def _summary(sheet: Any, a: Assessment) -> None:
    """Label-value pairs: the program, the decision, the scores and counts, the provenance."""
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 100
    put(sheet, 1, 1, "CIT certification report").font = Font(bold=True, size=16, color=_NAVY)
    row = 2
    wrap = Alignment(wrap_text=True, vertical="top")
    for label, value in _summary_rows(a):
        row += 1
        if label is None:
            continue
        put(sheet, row, 1, label).font = Font(bold=True)
        put(sheet, row, 2, value).alignment = wrap
        if label == "Decision":
            colour = a.decision.colour[1:] if _HEX.match(a.decision.colour) else _MUTED
            cell = sheet.cell(row=row, column=2)
            cell.font = Font(bold=True, size=14, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=colour)
        elif isinstance(value, float):
            sheet.cell(row=row, column=2).number_format = _NUMBER_FORMAT


def _summary_rows(a: Assessment) -> list[tuple[str | None, Cell]]:
    """The Summary sheet's rows; ``(None, None)`` leaves a blank row between sections."""
    p, c, d, profile = a.provenance, a.counts, a.decision, a.profile
    gap = (None, None)
    return [
        ("Program", profile.program_name),
        ("Jurisdiction", profile.jurisdiction),
        ("State", profile.state),
        ("Agencies", profile.agencies),
        ("Coordinator", profile.coordinator),
        ("Contact", profile.contact),
        ("Population served", profile.population_served),
        ("Reviewer", profile.reviewer),
        gap,
        ("Decision", d.label),
        ("Why", d.sentence),
        (
            f"To reach {d.next_level_label}" if d.next_level_label else "To reach the next level",
            _lines(d.reasons) or "Nothing: this is the highest level.",
        ),
        ("Summary", a.headline),
        ("Plan", a.plan.summary),
        gap,
        ("Overall score (%)", a.overall_score),
        ("Requirements", c.requirements),
        ("Applicable", c.applicable),
        ("Met", c.met),
        ("Partially met", c.partial),
        ("Not met", c.not_met),
        ("Not applicable", c.not_applicable),
        ("Not answered", c.unanswered),
        ("Gaps", c.gaps),
        ("Core gaps", c.core_gaps),
        ("Other gaps", c.other_gaps),
        ("Findings", c.findings),
        gap,
        ("Tool", f"{p.tool} {p.tool_version}"),
        ("Standard", p.standard_ref),
        ("Standard title", p.standard_title),
        ("Standard SHA-256", p.standard_sha256),
        ("Workbook", p.workbook_name),
        ("Workbook SHA-256", p.workbook_sha256),
        ("Assessment", mode_words(p.mode)),
        ("As of", p.as_of),
        gap,
        ("How scoring works", _lines(a.scoring_explanation)),
        (
            "Tailoring",
            _lines(
                f"{t.kind.value.capitalize()} {t.target}: {t.description}"
                + (f" (reason: {t.reason})" if t.reason else "")
                for t in a.tailoring
            )
            or "None: the standard is used as published.",
        ),
        ("Warnings", _lines(a.warnings) or "None."),
    ]


_REQUIREMENT_HEADER = (
    "ID", "Domain", "Title", "Core", "Weight", "Status", "Rating", "Rating from", "Credit",
    "Self rating", "Reviewer rating", "Metric", "Findings", "Evidence summary", "Documents",
    "Reviewer comment", "Not applicable because", "Workbook cell",
)  # fmt: skip


def _requirement_row(r: RequirementResult) -> list[Cell]:
    metric = f"{r.metric.display} (needs {r.metric.threshold})" if r.metric else ""
    return [
        r.requirement_id, r.domain_id, r.title, _yes(r.core), r.weight, status_words(r.status),
        r.level_label, source_words(r.source), r.credit, level_words(r.self_level),
        level_words(r.reviewer_level), metric,
        _lines(f.message for f in r.findings), r.evidence_summary, _lines(r.documents),
        r.reviewer_comment, r.not_applicable_reason, r.cell or "",
    ]  # fmt: skip


def _requirements(sheet: Any, a: Assessment) -> None:
    """Every requirement, filterable, with its status coloured by rating."""
    widths = [10, 9, 36, 7, 8, 14, 16, 12, 8, 14, 14, 36, 50, 50, 30, 40, 30, 14]
    last = _table(sheet, _REQUIREMENT_HEADER, (_requirement_row(r) for r in a.results), widths)
    _fill_when(sheet, f"F2:G{last}", _RATING_FILLS)


def _gap_row(g: Gap) -> list[Cell]:
    return [
        g.severity.value.capitalize(), g.requirement_id, g.title, g.domain_id, _yes(g.core),
        g.level_label, g.shortfall, g.asks, g.found, _lines(g.evidence_missing),
        g.reviewer_comment, _lines(f.message for f in g.findings),
    ]  # fmt: skip


def _gaps(sheet: Any, a: Assessment) -> None:
    """One row per gap, most severe first."""
    header = (
        "Severity", "Requirement", "Title", "Domain", "Core", "Rating", "Shortfall",
        "What the standard asks", "What was found", "Evidence missing", "Reviewer comment",
        "Findings",
    )  # fmt: skip
    widths = [10, 12, 36, 9, 7, 16, 10, 50, 50, 40, 40, 50]
    _table(sheet, header, (_gap_row(g) for g in a.gaps), widths)


def _step_row(s: PlanStep) -> list[Cell]:
    return [
        s.order, s.requirement_id, s.title, s.severity.value.capitalize(), _yes(s.core),
        _lines(s.actions), s.owner, s.effort.value.capitalize(), s.target_date,
        ", ".join(s.prerequisites), s.score_gain, s.lifts_decision_to or "", s.reason,
        TRACKER_STATUSES[0], "",
    ]  # fmt: skip


_PLAN_HEADER = (
    "Step", "Requirement", "Title", "Severity", "Core", "Actions", "Owner", "Effort",
    "Target date", "Prerequisites", "Overall points gained", "Alone lifts decision to",
    "Why here", "Status", "Notes",
)  # fmt: skip


def _plan(sheet: Any, a: Assessment) -> None:
    """The plan as a tracker: a status drop-down on every step, and room for notes."""
    from openpyxl.worksheet.datavalidation import DataValidation

    widths = [6, 12, 36, 10, 7, 50, 24, 9, 12, 16, 10, 20, 40, 14, 40]
    last = _table(sheet, _PLAN_HEADER, (_step_row(s) for s in a.plan.steps), widths)
    for row in range(2, last + 1):
        sheet.cell(row=row, column=11).number_format = _NUMBER_FORMAT
    status = f"N2:N{max(last, 2) + 20}"
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(TRACKER_STATUSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Status",
        error="Choose Not started, In progress or Done.",
    )
    choices.add(status)
    sheet.add_data_validation(choices)
    _fill_when(sheet, status, _TRACKER_FILLS)


def _domains(sheet: Any, a: Assessment) -> None:
    """Each domain's score against the threshold the next decision level needs."""
    header = (
        "Domain",
        "Title",
        "Score (%)",
        "Needed (%)",
        "Requirements",
        "Applicable",
        "Met",
        "Gaps",
        "Core gaps",
        "Note",
    )
    rows = [
        [
            d.domain_id,
            d.title,
            d.score,
            d.threshold,
            d.requirements,
            d.applicable,
            d.met,
            d.gaps,
            d.core_gaps,
            "Every requirement is not applicable." if d.score is None else "",
        ]
        for d in a.domains
    ]
    last = _table(sheet, header, rows, [10, 36, 10, 11, 13, 11, 7, 7, 10, 36])
    for row in sheet.iter_rows(min_row=2, max_row=last, min_col=3, max_col=4):
        for cell in row:
            cell.number_format = _NUMBER_FORMAT


def _properties(book: Any, a: Assessment) -> None:
    """Fixed document properties: dated by the assessment, made by citcert."""
    stamp = dt.datetime.combine(a.provenance.as_of, dt.time())
    props = book.properties
    props.created = props.modified = stamp
    props.creator = props.lastModifiedBy = "citcert"
    props.title = neutralise_formula(f"CIT remediation tracker: {a.profile.program_name}")
    props.subject = f"{a.provenance.standard_ref}: {a.decision.label}"


def _save(book: Any) -> bytes:
    """
    The workbook's bytes, with every zip entry dated 1980-01-01.

    openpyxl's own save stamps the current time into the properties and the zip entries; this
    writes through its `ExcelWriter` and then fixes the entries' dates and permissions.
    """
    from openpyxl.writer.excel import ExcelWriter

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(entry))
    return out.getvalue()
