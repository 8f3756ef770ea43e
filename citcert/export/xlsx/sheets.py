"""
The tracker workbook's sheets: Summary, Requirements, Gaps, Remediation plan, Domain scores,
and Earlier steps when a re-audit kept progress on steps its plan no longer has.

Each function fills one sheet from the `Assessment`, through `cells` so that every text
cell is safe. Statuses and ratings are coloured by conditional formatting (never formulas), and
the plan carries a status drop-down and a notes column for the coordinator to keep up to date,
filled with the progress kept from the tracker a re-audit replaced (`KeptProgress`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from citcert._spreadsheet import fit_row_height, font, print_readable
from citcert.audit.assessment import Assessment, Gap, PlanStep, RequirementResult
from citcert.audit.progress import KeptProgress, TypedProgress
from citcert.export.validity import date_rows, exception_rows, with_without_rows
from citcert.export.wording import (
    level_words,
    mode_words,
    overlay_effect,
    source_words,
    status_words,
    tailoring_summary,
)
from citcert.export.xlsx.cells import NAVY, NUMBER_FORMAT, Cell, fill_when, put, table
from citcert.workbook.evidence import EARLIER_SHEET, EarlierStep, StepStatus

TRACKER_STATUSES = ("Not started", "In progress", "Done")
"""The choices of the plan tracker's status drop-down."""
SHORTFALL = "Shortfall (credit short of full, 0 to 1)"
"""The Gaps sheet's header over 1 − credit: 1 for nothing earned, 0.5 for half."""

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_MUTED = "5F6B7A"
_RATING_FILLS = {
    "Met": "E3F1E7",
    "Partially met": "FFF3D6",
    "Not met": "FBE3E1",
    "Not answered": "EEF0F3",
    "Not applicable": "EEF0F3",
}
_TRACKER_FILLS = {"Done": "E3F1E7", "In progress": "FFF3D6"}
_STATUS_WORDS = dict(zip(StepStatus, TRACKER_STATUSES, strict=True))
"""Each status as the drop-down spells it (Not started, In progress, Done)."""


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def _lines(items: Iterable[str]) -> str:
    return "\n".join(items)


def summary(sheet: Any, a: Assessment, kept: KeptProgress | None = None) -> None:
    """
    Label-value pairs: the program, the decision, the scores and counts, the provenance, and
    where the earlier steps kept from the tracker this one replaced are.
    """
    from openpyxl.styles import Alignment, PatternFill

    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 75
    put(sheet, 1, 1, "CIT program audit report").font = font(bold=True, size=16, color=NAVY)
    fit_row_height(sheet, 1)
    row = 2
    wrap = Alignment(wrap_text=True, vertical="top", horizontal="left")
    for label, value in _summary_rows(a, kept):
        row += 1
        if label is None:
            continue
        heading = put(sheet, row, 1, label)
        heading.font, heading.alignment = font(bold=True), wrap
        put(sheet, row, 2, value).alignment = wrap
        if label == "Decision":
            colour = a.decision.colour[1:] if _HEX.match(a.decision.colour) else _MUTED
            cell = sheet.cell(row=row, column=2)
            cell.font = font(bold=True, size=14, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=colour)
        elif isinstance(value, float):
            sheet.cell(row=row, column=2).number_format = NUMBER_FORMAT
        fit_row_height(sheet, row)
    print_readable(sheet, title_columns=None)


def _summary_rows(a: Assessment, kept: KeptProgress | None) -> list[tuple[str | None, Cell]]:
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
        *([("Without the overlay", effect)] if (effect := overlay_effect(a)) else []),
        *_date_cells(a),
        (
            f"To reach {d.next_level_label}" if d.next_level_label else "To reach the next level",
            _lines(d.reasons) or "Nothing: this is the highest level.",
        ),
        ("Summary", a.headline),
        ("Plan", a.plan.summary),
        *_earlier_summary(kept),
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
                [
                    *(
                        f"{t.kind.value.capitalize()} {t.target}: {t.description}"
                        + (f" (reason: {t.reason})" if t.reason else "")
                        for t in a.tailoring
                    ),
                    *tailoring_summary(a.tailoring),
                ]
            )
            or "None: the standard is used as published.",
        ),
        ("Warnings", _lines(a.warnings) or "None."),
    ]


def _earlier_summary(kept: KeptProgress | None) -> list[tuple[str | None, Cell]]:
    """Where the steps an earlier plan had, and this one has not, are kept (none: no row)."""
    if kept is None or not kept.earlier:
        return []
    count = len(kept.earlier)
    steps = "1 step" if count == 1 else f"{count} steps"
    return [
        (
            EARLIER_SHEET,
            f"{steps} of an earlier plan, no longer in this one (typically the gap closed, or "
            "the requirement was merged or split in a new version of the standard), "
            f"with the progress typed on {'it' if count == 1 else 'them'}: see the "
            f"{EARLIER_SHEET} sheet.",
        )
    ]


def _date_cells(a: Assessment) -> list[tuple[str | None, Cell]]:
    """Valid until, next review due and any interim report: date cells where there is a date."""
    d = a.dates
    if d is None:
        return [(label, value) for label, value in date_rows(a)]
    cells: list[tuple[str | None, Cell]] = [
        ("Valid until", d.valid_until or "No term set"),
        ("Next review due", d.next_review_due or "Not set"),
    ]
    if d.interim_report_due is not None:
        cells.append(("Interim report due", d.interim_report_due))
    cells.append(("Dates", d.sentence))
    if a.exceptions is not None:
        cells += [(k, v) for k, v in with_without_rows(a)]
        lines = (f"{r[0]}: {r[5]}, until {r[4]}, approved by {r[2]} on {r[3]}: {r[1]}"
                 for r in exception_rows(a))  # fmt: skip
        cells.append(("Exceptions", a.exceptions.sentence + "\n" + _lines(lines)))
    return cells


_REQUIREMENT_HEADER = (
    "ID", "Domain", "Title", "Core", "Weight", "Status", "Rating", "Rating from", "Credit",
    "Self rating", "Reviewer rating", "Metric", "Findings", "Evidence summary", "Documents",
    "Reviewer comment", "Not applicable because", "Workbook cell",
)  # fmt: skip


def _domain_names(a: Assessment) -> dict[str, str]:
    """Each domain as the PDF names it: ``PART · Partnerships and governance``."""
    return {d.domain_id: f"{d.domain_id} · {d.title}" for d in a.domains}


def _requirement_row(r: RequirementResult, domains: dict[str, str]) -> list[Cell]:
    """One requirement's row; a not-applicable one has no credit (no score counts it)."""
    metric = f"{r.metric.display} (needs {r.metric.threshold})" if r.metric else ""
    return [
        r.requirement_id, domains.get(r.domain_id, r.domain_id), r.title, _yes(r.core), r.weight,
        status_words(r.status), r.level_label, source_words(r.source),
        r.credit if r.applicable else None,
        level_words(r.self_level), level_words(r.reviewer_level), metric,
        _lines(f.message for f in r.findings), r.evidence_summary, _lines(r.documents),
        r.reviewer_comment, r.not_applicable_reason, r.cell or "",
    ]  # fmt: skip


def requirements(sheet: Any, a: Assessment) -> None:
    """Every requirement, filterable, with its status coloured by rating."""
    widths = [10, 24, 36, 7, 8, 14, 16, 12, 8, 14, 14, 36, 50, 50, 30, 40, 30, 14]
    domains = _domain_names(a)
    rows = (_requirement_row(r, domains) for r in a.results)
    last = table(sheet, _REQUIREMENT_HEADER, rows, widths)
    fill_when(sheet, f"F2:G{last}", _RATING_FILLS)


def _gap_row(g: Gap, r: RequirementResult | None, domains: dict[str, str]) -> list[Cell]:
    summary, documents = (r.evidence_summary, _lines(r.documents)) if r else ("", "")
    return [
        g.severity.value.capitalize(), g.requirement_id, g.title,
        domains.get(g.domain_id, g.domain_id), _yes(g.core),
        g.level_label, g.shortfall, g.asks, g.found, summary, documents,
        _lines(g.evidence_missing), g.reviewer_comment, _lines(f.message for f in g.findings),
    ]  # fmt: skip


def gaps(sheet: Any, a: Assessment) -> None:
    """One row per gap, most severe first, with the evidence the program gave for it."""
    header = (
        "Severity", "Requirement", "Title", "Domain", "Core", "Rating", SHORTFALL,
        "What the standard asks", "What was found", "Evidence given", "Documents cited",
        "Evidence still to show", "Reviewer comment", "Findings",
    )  # fmt: skip
    widths = [10, 12, 36, 24, 7, 16, 14, 50, 50, 50, 30, 40, 40, 50]
    results, domains = {r.requirement_id: r for r in a.results}, _domain_names(a)
    rows = (_gap_row(g, results.get(g.requirement_id), domains) for g in a.gaps)
    table(sheet, header, rows, widths)


def _step_row(s: PlanStep, typed: TypedProgress | None) -> list[Cell]:
    """
    One plan step, with the progress kept for it (or Not started, no notes, no date), and the
    owner and target date the program typed over the plan's, if it did.
    """
    status = _STATUS_WORDS[typed.status] if typed else TRACKER_STATUSES[0]
    notes, completed = (typed.notes, typed.completed_on) if typed else ("", None)
    owner = typed.owner if typed and typed.owner is not None else s.owner
    target = typed.target_date if typed and typed.target_date is not None else s.target_date
    return [
        s.order, s.requirement_id, s.title, s.severity.value.capitalize(), _yes(s.core),
        _lines(s.actions), owner, s.effort.value.capitalize(), target,
        ", ".join(s.prerequisites), s.score_gain, s.lifts_decision_to or "", s.reason,
        status, notes, completed,
    ]  # fmt: skip


_PLAN_HEADER = (
    "Step", "Requirement", "Title", "Severity", "Core", "Actions", "Owner", "Effort",
    "Target date", "Prerequisites", "Overall points gained", "Alone lifts decision to",
    "Why here", "Status", "Notes", "Completed on",
)  # fmt: skip


def plan(sheet: Any, a: Assessment, kept: KeptProgress | None = None) -> None:
    """
    The plan as a tracker: a status drop-down on every step, and room for notes; each step
    holds the progress `kept` for its requirement from the tracker this one replaces.
    """
    widths = [6, 12, 36, 10, 7, 50, 24, 9, 12, 16, 10, 20, 40, 14, 40, 14]
    typed = kept.steps if kept else {}
    rows = (_step_row(s, typed.get(s.requirement_id)) for s in a.plan.steps)
    last = table(sheet, _PLAN_HEADER, rows, widths)
    for row in range(2, last + 1):
        sheet.cell(row=row, column=11).number_format = NUMBER_FORMAT
        sheet.cell(row=row, column=16).number_format = "yyyy-mm-dd"
    _status_choices(sheet, f"N2:N{max(last, 2) + 20}")


_EARLIER_HEADER = (
    "Step", "Requirement", "Title", "Owner", "Target date", "Status", "Notes", "Completed on",
    "In the plan of the audit as of",
)  # fmt: skip


def _earlier_row(step: EarlierStep) -> list[Cell]:
    return [
        step.order, step.requirement_id, step.title, step.owner, step.target_date,
        _STATUS_WORDS[step.status], step.notes, step.completed_on, step.planned_on,
    ]  # fmt: skip


def earlier(sheet: Any, steps: Iterable[EarlierStep]) -> None:
    """
    The steps of earlier plans this one no longer has, with the progress typed on them, as kept
    (the step's number in its plan, and the as-of date of the audit that planned it).
    """
    widths = [6, 12, 36, 24, 12, 14, 40, 14, 14]
    last = table(sheet, _EARLIER_HEADER, map(_earlier_row, steps), widths)
    for row in range(2, last + 1):
        for column in (5, 8, 9):
            sheet.cell(row=row, column=column).number_format = "yyyy-mm-dd"
    _status_choices(sheet, f"F2:F{max(last, 2) + 20}")


def _status_choices(sheet: Any, status: str) -> None:
    """The Status drop-down (Not started, In progress, Done) on the cells `status`, coloured."""
    from openpyxl.worksheet.datavalidation import DataValidation

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
    fill_when(sheet, status, _TRACKER_FILLS)


def domains(sheet: Any, a: Assessment) -> None:
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
    last = table(sheet, header, rows, [10, 30, 10, 11, 13, 11, 7, 7, 10, 30])
    for row in sheet.iter_rows(min_row=2, max_row=last, min_col=3, max_col=4):
        for cell in row:
            cell.number_format = NUMBER_FORMAT
    for row, d in enumerate(a.domains, start=2):
        _score_fill(sheet.cell(row=row, column=3), d.score, d.threshold)


def _score_fill(cell: Any, score: float | None, minimum: float | None) -> None:
    """Green when a score reaches the standard's per-domain minimum, red below it."""
    from openpyxl.styles import PatternFill

    if score is None or minimum is None:
        return
    colour = _RATING_FILLS["Met"] if score >= minimum else _RATING_FILLS["Not met"]
    cell.fill = PatternFill("solid", fgColor=colour)
