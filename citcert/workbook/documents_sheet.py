"""
The Documents sheet read back: the optional index of supporting documents.

A missing sheet is only a warning (the index is optional); blank rows are skipped; a listed
document needs a name, and its date, if given, may not lie after the assessment date
(or ``--as-of``).
"""

from __future__ import annotations

import datetime as dt

from citcert.workbook import layout as L
from citcert.workbook.evidence import Document
from citcert.workbook.ratings import Invalid, is_blank, parse_date, parse_text
from citcert.workbook.sheets import Book, DateLimit, Findings, Table, find_table, not_future


def read_documents(book: Book, limit: DateLimit | None, findings: Findings) -> tuple[Document, ...]:
    """Every document listed with no problem; the problems of the others go to `findings`."""
    if L.DOCUMENTS_SHEET not in book.sheets:
        findings.warn(
            L.DOCUMENTS_SHEET, None, "the Documents sheet is missing; no document index was read"
        )
        return ()
    table = find_table(book, L.DOCUMENTS_SHEET, L.DOCUMENT_COLUMNS, findings)
    if table is None:
        return ()
    documents = []
    for number, values in table.filled_rows():
        document = _document(table, number, values, limit, findings)
        if document is not None:
            documents.append(document)
    return tuple(documents)


def _document(
    table: Table,
    number: int,
    values: dict[str, object],
    limit: DateLimit | None,
    findings: Findings,
) -> Document | None:
    texts = {key: parse_text(values.get(key)) for key in ("name", "description", "link")}
    raw_date = values.get("date")
    date = None if is_blank(raw_date) else not_future(parse_date(raw_date), limit)
    problems = [
        (key, v.message) for key, v in (*texts.items(), ("date", date)) if isinstance(v, Invalid)
    ]
    if not isinstance(texts["name"], Invalid) and not texts["name"]:
        problems.append(("name", "a document listed without a name; give it one"))
    for key, message in problems:
        findings.error(table.sheet, table.cell(number, key), message, "document")
    if problems:
        return None
    return Document(
        name=str(texts["name"]),
        date=date if isinstance(date, dt.date) else None,
        description=str(texts["description"]),
        link=str(texts["link"]),
    )
