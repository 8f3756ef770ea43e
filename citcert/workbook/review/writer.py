"""
Write a reviewer's (or the raters' consensus) workbook from a submitted evidence workbook.

The submission is copied as it is and every one of its cells is locked, so the program's answers,
evidence and numbers can be read but not changed; the review sheets of `layout` are added in
front, with the rating drop-down and only the reviewer's cells unlocked. The bytes depend only on
the inputs (dated by the submission's assessment date).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from citcert._spreadsheet import workbook_bytes
from citcert.standards.model import RequirementId, Standard
from citcert.workbook import layout as L
from citcert.workbook.evidence import (
    Answer,
    Evidence,
    answer_label,
)
from citcert.workbook.review import layout as R
from citcert.workbook.template.checks import choice_check
from citcert.workbook.template.styles import (
    CORE_FILL,
    fit_row,
    frame_table,
    print_and_protect,
    put,
    style,
)


@dataclass(frozen=True, slots=True)
class Prefill:
    """What a new workbook's row starts with (carried-over or agreed answers)."""

    rating: str = ""
    """A label of the scale, or empty."""
    comment: str = ""
    note: str = ""
    strength: str = ""
    reason: str = ""
    raters: tuple[str, ...] = ()
    """A consensus: each rater's rating label, in the raters' order."""


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything the writer needs beyond the submission's bytes and evidence."""

    kind: R.Kind
    reviewers: tuple[str, ...]
    rows: Mapping[RequirementId, Prefill] = field(default_factory=dict)
    corrections: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Number id → (corrected value, reason) to start with."""
    review_date: dt.date | None = None
    final: bool = False
    submission: tuple[str, str] = ("", "")
    """(file name, SHA-256) of the submission; empty: the evidence's own file."""


def evidence_sha256(evidence: Evidence) -> str:
    """
    A fingerprint of the program's answers as read, whatever file they were read from (not
    which numbers a review corrected: that is the review's, and reviews made before it was
    recorded keep their fingerprint).
    """
    data = evidence.model_dump_json(
        exclude={"file_name", "workbook_sha256", "warnings", "corrected"}
    )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def typed_label(standard: Standard, answer: Answer) -> str:
    """How an answer is typed back into a workbook: its label, or a blank cell."""
    return answer_label(standard.scoring.scale, answer, "")


def review_workbook(submission: bytes, evidence: Evidence, standard: Standard, plan: Plan) -> bytes:
    """The reviewer's (or consensus) workbook for `evidence`, read from the `submission` bytes."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(submission))
    for name in R.SHEETS:  # a consensus is made from a review workbook: its own sheets go
        if name in book.sheetnames:
            del book[name]
    for ws in book.worksheets:
        _lock(ws)
    _review_sheet(book.create_sheet(R.REVIEW_SHEET, 0), evidence, standard, plan)
    _corrections_sheet(book.create_sheet(R.CORRECTIONS_SHEET, 1), evidence, standard, plan)
    _reviewer_sheet(book.create_sheet(R.REVIEWER_SHEET, 2), plan)
    _meta_sheet(book.create_sheet(R.REVIEW_META_SHEET), evidence, standard, plan)
    book.active = 0
    for ws in book.worksheets:
        ws.sheet_view.tabSelected = ws.title == R.REVIEW_SHEET
    when = dt.datetime.combine(evidence.profile.assessment_date, dt.time())
    return workbook_bytes(book, when)


def _lock(ws: Any) -> None:
    from openpyxl.styles import Protection

    for row in ws.iter_rows():
        for cell in row:
            cell.protection = Protection(locked=True)
    ws.protection.sheet = True


def review_columns(plan: Plan) -> tuple[L.Column, ...]:
    """The Review sheet's columns for `plan`: rater columns and a reason only in a consensus."""
    if plan.kind is R.Kind.REVIEW:
        return tuple(c for c in R.REVIEW_COLUMNS if c.key != "reason")
    raters = tuple(
        L.Column(f"rater{i}", f"{R.RATER_PREFIX}{name}", 16, subject=f"rating by {name}")
        for i, name in enumerate(plan.reviewers)
    )
    at = next(i for i, c in enumerate(R.REVIEW_COLUMNS) if c.key == "rating")
    return (*R.REVIEW_COLUMNS[:at], *raters, *R.REVIEW_COLUMNS[at:])


def _review_sheet(ws: Any, evidence: Evidence, standard: Standard, plan: Plan) -> None:
    columns = review_columns(plan)
    consensus = plan.kind is R.Kind.CONSENSUS
    frame_table(
        ws,
        f"{'Consensus' if consensus else 'Review'}: {evidence.profile.program_name} "
        f"({standard.ref})",
        "Rate each requirement from the drop-down. The comment and strength go to the program; "
        "the internal note is for the panel only and never reaches the program's report."
        + (" Each disagreement needs a consensus rating and a reason." if consensus else ""),
        columns,
    )
    scale = standard.scoring.scale
    ratings = choice_check(
        ws,
        scale.labels,
        f"'{L.METADATA_SHEET}'!$D$2:$D${len(scale.labels) + 1}",
        "Choose a rating.",
    )
    row = L.FIRST_DATA_ROW
    for _, requirement in standard.requirements():
        item = evidence.for_requirement(requirement.id)
        prefill = plan.rows.get(requirement.id, Prefill())
        values: dict[str, object] = {
            "id": requirement.id,
            "core": "CORE" if requirement.core else "",
            "title": requirement.title,
            "self_rating": typed_label(standard, item.self_rating),
            "evidence": _evidence_text(item.evidence_summary, item.documents, item.metric_value),
            "rating": prefill.rating,
            "reason": prefill.reason,
            "comment": prefill.comment,
            "note": prefill.note,
            "strength": prefill.strength,
        }
        values |= {f"rater{i}": label for i, label in enumerate(prefill.raters)}
        for index, column in enumerate(columns, start=1):
            cell = ws.cell(row, index)
            put(cell, values.get(column.key) or None)
            style(cell, editable=column.editable)
        if requirement.core:
            style(ws.cell(row, 2), fill=CORE_FILL, bold=True)
        ratings.add(f"{L.column_letter(columns, 'rating')}{row}")
        fit_row(ws, row)
        row += 1
    print_and_protect(ws)


def _evidence_text(summary: str, documents: Sequence[str], metric: float | None) -> str:
    parts = [summary] if summary else []
    parts += [f"Document: {d}" for d in documents]
    if metric is not None:
        parts.append(f"Metric value: {metric:g}")
    return "\n".join(parts)


def _corrections_sheet(ws: Any, evidence: Evidence, standard: Standard, plan: Plan) -> None:
    frame_table(
        ws,
        "Corrections to the program's numbers",
        "Where a number the program gave is wrong, type the right one and say why: your number "
        "is then used, and the report says so.",
        R.CORRECTION_COLUMNS,
    )
    for row, number in enumerate(standard.program_numbers, start=L.FIRST_DATA_ROW):
        given = evidence.numbers.get(number.id)
        value, reason = plan.corrections.get(number.id, ("", ""))
        values = {
            "id": number.id,
            "item": number.label,
            "program_value": "" if given is None else str(given),
            "value": value,
            "reason": reason,
        }
        for index, column in enumerate(R.CORRECTION_COLUMNS, start=1):
            cell = ws.cell(row, index)
            put(cell, values[column.key] or None)
            style(cell, editable=column.editable)
        fit_row(ws, row)
    print_and_protect(ws)


def _reviewer_sheet(ws: Any, plan: Plan) -> None:
    from citcert._spreadsheet import font

    put(ws.cell(1, 1), "Who reviewed, when, and whether the review is final")
    ws.cell(1, 1).font = font(bold=True, size=14)
    values: dict[str, object] = {
        "reviewer": "\n".join(plan.reviewers),
        "review_date": plan.review_date,
        "status": R.STATUS_LABELS["final" if plan.final else "draft"],
        "response_days": R.DEFAULT_RESPONSE_DAYS,
        "decision_date": None,
    }
    status = choice_check(ws, list(R.STATUS_LABELS.values()), "", "Draft or Final.")
    for row, (key, label, guidance) in enumerate(R.REVIEWER_FIELDS, start=L.HEADER_ROW):
        for column, value in enumerate((key, label, values[key], guidance), start=1):
            cell = ws.cell(row, column)
            put(cell, value)
            style(cell, editable=column == 3)
        if key == "status":
            status.add(f"C{row}")
        if isinstance(values[key], dt.date):
            ws.cell(row, 3).number_format = "yyyy-mm-dd"
    for letter, width in zip("ABCD", (16, 26, 34, 60), strict=True):
        ws.column_dimensions[letter].width = width
    print_and_protect(ws)


def _meta_sheet(ws: Any, evidence: Evidence, standard: Standard, plan: Plan) -> None:
    rows = {
        R.ReviewMeta.KIND: plan.kind.value,
        R.ReviewMeta.REVIEW_LAYOUT_VERSION: str(R.REVIEW_LAYOUT_VERSION),
        R.ReviewMeta.STANDARD_REF: standard.ref,
        R.ReviewMeta.SUBMISSION_NAME: plan.submission[0] or evidence.file_name,
        R.ReviewMeta.SUBMISSION_SHA256: plan.submission[1] or evidence.workbook_sha256,
        R.ReviewMeta.EVIDENCE_SHA256: evidence_sha256(evidence),
        R.ReviewMeta.RATERS: "\n".join(plan.reviewers) if plan.kind is R.Kind.CONSENSUS else "",
    }
    for row, (key, value) in enumerate(rows.items(), start=1):
        ws.cell(row, 1, key.value)
        put(ws.cell(row, 2), value)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
