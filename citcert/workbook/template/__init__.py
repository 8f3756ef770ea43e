"""
The blank evidence workbook a program fills in, rendered from a `Standard`.

The shape comes from `citcert.workbook.layout` (the reader uses the same definition). The workbook
explains itself to a coordinator: an Instructions sheet, drop-downs with the scale's labels,
number and date checks, core requirements marked, frozen headers, wrapped text, print set-up,
and sheets protected without a password so that only the cells meant for typing can be typed in.

The bytes are deterministic: the document properties and every zip entry carry a fixed time taken
from the standard's effective date, so the same standard always gives the same file.

This module assembles and saves the workbook; the sheets are written by `template_sheets`
(with the words of `template_texts`, the looks of `template_styles` and the checks of
`template_checks`), and `template_filling` types answers into a built workbook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from citcert._spreadsheet import workbook_bytes
from citcert.standards.model import Standard
from citcert.standards.records import RECORD_SHEETS
from citcert.workbook import layout as L
from citcert.workbook.template.exceptions import build_exceptions
from citcert.workbook.template.records import build_record_sheet
from citcert.workbook.template.sheets import (
    build_documents,
    build_evidence,
    build_instructions,
    build_metadata,
    build_program,
)


def render_template(standard: Standard) -> bytes:
    """The blank evidence workbook for `standard`, as .xlsx bytes."""
    return workbook_bytes(build_workbook(standard), fixed_time(standard))


def fixed_time(standard: Standard) -> dt.datetime:
    """The time stamped into a workbook made from `standard`: midnight of its effective date."""
    return dt.datetime.combine(standard.effective, dt.time())


def build_workbook(
    standard: Standard, *, notes: Sequence[str] = (), migrated_from: str | None = None
) -> Any:
    """
    The template as an openpyxl workbook, for callers that fill it before saving (migrate).

    `notes` are extra paragraphs for the Instructions sheet; `migrated_from` is recorded in the
    metadata sheet.
    """
    from openpyxl import Workbook

    book = Workbook()
    build_instructions(book.active, standard, notes)
    build_program(book.create_sheet(L.PROGRAM_SHEET), standard)
    build_evidence(book.create_sheet(L.EVIDENCE_SHEET), standard)
    build_documents(book.create_sheet(L.DOCUMENTS_SHEET))
    if standard.scoring.exceptions.allowed:
        build_exceptions(book.create_sheet(L.EXCEPTIONS_SHEET), standard.scoring.exceptions)
    for sheet_id in standard.records:
        build_record_sheet(book.create_sheet(), RECORD_SHEETS[sheet_id])
    build_metadata(book.create_sheet(L.METADATA_SHEET), standard, migrated_from)
    book.active = 0
    return book
