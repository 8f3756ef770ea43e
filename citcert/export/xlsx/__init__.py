"""
The remediation tracker: `Assessment` -> XLSX bytes, with openpyxl.

The workbook a coordinator takes to the steering committee and keeps up to date: a Summary
(decision, scores, provenance), every requirement (filterable, coloured by rating), the gaps,
the remediation plan as a tracker with a status drop-down and a notes column, and the domain
scores (`sheets`). Numbers are real numbers and dates real dates. Every text cell is
cleaned and, when a spreadsheet could read it as a formula, neutralised with a leading single
quote (OWASP); it is always stored as a string (`cells.put`). Document properties come
and the zip entries' times come from the assessment date (`citcert._spreadsheet`), so
that the same assessment gives the same bytes. A re-audit passes the progress kept from the
tracker it replaces (`KeptProgress`): the plan holds it, and an Earlier steps sheet after the
plan lists the steps it no longer has; the same progress kept gives the same bytes too.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from citcert._spreadsheet import workbook_bytes
from citcert.audit.assessment import Assessment
from citcert.export.wording import neutralise_formula
from citcert.export.xlsx import review, sheets
from citcert.workbook.evidence import EARLIER_SHEET, TRACKER_SHEET

if TYPE_CHECKING:
    from citcert.audit.progress import KeptProgress

SHEETS = ("Summary", "Requirements", "Gaps", "Remediation plan", "Domain scores")
"""
The sheets, in order (a review adds its own, `review.SHEET_NAMES`; progress kept on steps the
plan no longer has adds `EARLIER_SHEET` after the plan).
"""


def render(assessment: Assessment, kept: KeptProgress | None = None) -> bytes:
    """
    The tracker workbook as XLSX bytes, holding the progress `kept` from the tracker it
    replaces; identical assessments and progress kept give identical bytes.
    """
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = SHEETS[0]
    sheets.summary(book.active, assessment, kept)
    sheets.requirements(book.create_sheet(SHEETS[1]), assessment)
    review.strengths_sheet(book, assessment)
    sheets.gaps(book.create_sheet(SHEETS[2]), assessment)
    sheets.plan(book.create_sheet(SHEETS[3]), assessment, kept)
    if kept is not None and kept.earlier:
        sheets.earlier(book.create_sheet(EARLIER_SHEET), kept.earlier)
    sheets.domains(book.create_sheet(SHEETS[4]), assessment)
    review.since_sheets(book, assessment)
    review.review_sheets(book, assessment)
    _metadata(book.create_sheet(TRACKER_SHEET), assessment)
    _properties(book, assessment)
    return workbook_bytes(book, dt.datetime.combine(assessment.provenance.as_of, dt.time()))


def _metadata(sheet: Any, a: Assessment) -> None:
    """
    The hidden sheet `citcert progress` reads to know whose tracker this is: the program, the
    standard and the audit (the evidence workbook's SHA-256 and the as-of date) that wrote it.
    """
    from citcert.export.xlsx.cells import put
    from citcert.workbook.evidence import TRACKER_KIND, TrackerMeta

    rows = [
        (TrackerMeta.KIND, TRACKER_KIND),
        (TrackerMeta.PROGRAM_NAME, a.profile.program_name),
        (TrackerMeta.STANDARD_REF, a.provenance.standard_ref),
        (TrackerMeta.STANDARD_SHA256, a.provenance.standard_sha256),
        (TrackerMeta.WORKBOOK_SHA256, a.provenance.workbook_sha256),
        (TrackerMeta.AS_OF, a.provenance.as_of.isoformat()),
        (TrackerMeta.DECISION, a.decision.level_id),
    ]
    for row, (key, value) in enumerate(rows, start=1):
        put(sheet, row, 1, key.value)
        put(sheet, row, 2, value)
    sheet.sheet_state = "hidden"


def _properties(book: Any, a: Assessment) -> None:
    """The title and subject; `workbook_bytes` dates it by the assessment, made by citcert."""
    props = book.properties
    props.title = neutralise_formula(f"CIT remediation tracker: {a.profile.program_name}")
    props.subject = f"{a.provenance.standard_ref}: {a.decision.label}"
