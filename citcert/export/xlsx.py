"""
The remediation tracker: `Assessment` -> XLSX bytes, with openpyxl.

The workbook a coordinator takes to the steering committee and keeps up to date: a Summary
(decision, scores, provenance), every requirement (filterable, coloured by rating), the gaps,
the remediation plan as a tracker with a status drop-down and a notes column, and the domain
scores (`xlsx_sheets`). Numbers are real numbers and dates real dates. Every text cell is
cleaned and, when a spreadsheet could read it as a formula, neutralised with a leading single
quote (OWASP); it is always stored as a string (`xlsx_cells.put`). Document properties come
from the assessment date, and the zip entries carry a fixed timestamp, so that the same
assessment gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from citcert.audit.assessment import Assessment
from citcert.export import xlsx_sheets
from citcert.export._text import neutralise_formula

SHEETS = ("Summary", "Requirements", "Gaps", "Remediation plan", "Domain scores")
"""The sheets, in order."""
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def render(assessment: Assessment) -> bytes:
    """The tracker workbook as XLSX bytes; identical assessments give identical bytes."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = SHEETS[0]
    xlsx_sheets.summary(book.active, assessment)
    xlsx_sheets.requirements(book.create_sheet(SHEETS[1]), assessment)
    xlsx_sheets.gaps(book.create_sheet(SHEETS[2]), assessment)
    xlsx_sheets.plan(book.create_sheet(SHEETS[3]), assessment)
    xlsx_sheets.domains(book.create_sheet(SHEETS[4]), assessment)
    _properties(book, assessment)
    return _save(book)


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
