"""
Read a filled evidence workbook into a validated `Evidence`, reporting every problem at once.

The file is checked before openpyxl inflates anything (`citcert.workbook.container`), then the
wanted sheets are copied into plain rows (`citcert.workbook.snapshot`); the input is never written
to. The hidden metadata sheet says which standard the workbook was made for, and the sheet
readers (`program_sheet`, `evidence_sheet`, `documents_sheet`) turn the rows into the `Evidence`
with each problem located as ``Sheet!Cell``.

The limits (file size, unpacked size, sheets, rows, columns) are in `citcert.workbook.layout`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from pathlib import Path

from citcert.errors import Location, StandardMismatchError, WorkbookError
from citcert.standards.model import Standard, standard_sha256
from citcert.workbook import layout as L
from citcert.workbook.container import file_error, read_checked
from citcert.workbook.documents_sheet import read_documents
from citcert.workbook.evidence import Evidence
from citcert.workbook.evidence_sheet import read_requirements
from citcert.workbook.exceptions_sheet import read_exceptions
from citcert.workbook.program_sheet import read_program
from citcert.workbook.sheets import Book, Findings, find_table
from citcert.workbook.snapshot import snapshot

SHEETS = (
    L.PROGRAM_SHEET,
    L.EVIDENCE_SHEET,
    L.DOCUMENTS_SHEET,
    L.EXCEPTIONS_SHEET,
    L.METADATA_SHEET,
)
"""The sheets citcert reads; any others in a workbook are left unread."""


def read_standard_ref(book: Book) -> str:
    """The ``id@version`` a workbook was made for, from its hidden metadata sheet."""
    return read_metadata(book)[L.Meta.STANDARD_REF]


def read_workbook(book: Book, standard: Standard, *, today: dt.date) -> Evidence:
    """
    The opened workbook `book` (`open_book`) as `Evidence` for `standard`.

    Raises `StandardMismatchError` when it was made for another standard or version, and
    `WorkbookError` holding every problem found otherwise. `today` bounds the dates a workbook may
    hold (none may lie in the future); the command line passes the real date.
    """
    meta = read_metadata(book)
    _check_standard(book.name, meta, standard)
    extra = []
    if meta.get(L.Meta.STANDARD_SHA256) not in (None, standard_sha256(standard)):
        extra.append(
            f"{book.name}: the standard {standard.ref} has changed since this workbook was made; "
            "the requirements still match, so it can be audited"
        )
    return read_evidence(book, standard, today=today, meta=meta, warnings=extra)


def open_book(path: Path) -> Book:
    """
    Check the file, then copy the sheets citcert reads into plain rows (the file is only read).

    A command opens a workbook once and passes the `Book` on: to ask which standard it was made
    for (`read_standard_ref`) and then to read it (`read_workbook`).
    """
    data = read_checked(path)
    sha256 = hashlib.sha256(data).hexdigest()
    return Book(name=path.name, sha256=sha256, sheets=snapshot(data, path.name, SHEETS))


def read_metadata(book: Book) -> dict[str, str]:
    """The metadata sheet as key → text; refuses a workbook citcert did not make."""
    rows = book.sheets.get(L.METADATA_SHEET)
    meta = {
        str(r[0].value).strip(): str(r[1].value).strip()
        for r in rows or ()
        if len(r) > 1 and r[0].value
    }
    if not meta.get(L.Meta.STANDARD_REF):
        raise file_error(
            book.name,
            f"this is not a citcert evidence workbook: its hidden {L.METADATA_SHEET} sheet, which "
            "records the standard, is missing or empty. Make one with `citcert template` and copy "
            "your answers into it",
        )
    version = meta.get(L.Meta.LAYOUT_VERSION, "1")
    if not version.isdigit() or int(version) > L.LAYOUT_VERSION:
        raise file_error(
            book.name,
            "this workbook was made by a newer version of citcert; update citcert to read it",
        )
    return meta


def _check_standard(name: str, meta: dict[str, str], standard: Standard) -> None:
    made_for = meta[L.Meta.STANDARD_REF]
    if made_for == standard.ref:
        return
    raise StandardMismatchError.single(
        f"this workbook was made for {made_for}, not {standard.ref}. Check it against the "
        f"standard it was made for (--standard {made_for}), or carry its answers over with: "
        f"citcert migrate {name} --to {standard.ref} -o new.xlsx",
        Location(file=name),
    )


def read_evidence(
    book: Book,
    standard: Standard,
    *,
    today: dt.date,
    meta: dict[str, str],
    warnings: Sequence[str] = (),
) -> Evidence:
    """Every sheet of `book` read and checked against `standard`; raises with all problems."""
    findings = Findings(book.name)
    program = find_table(book, L.PROGRAM_SHEET, L.PROGRAM_COLUMNS, findings)
    profile, numbers = read_program(program, standard, today, findings) if program else (None, {})
    evidence = find_table(book, L.EVIDENCE_SHEET, L.EVIDENCE_COLUMNS, findings)
    mode = profile.assessment_type if profile else None
    requirements = read_requirements(evidence, standard, mode, findings) if evidence else ()
    documents = read_documents(book, today, findings)
    exceptions = read_exceptions(book, standard, today, findings)
    if findings.errors or profile is None:
        count = len(findings.errors)
        raise WorkbookError(
            findings.errors,
            headline=f"{book.name} cannot be audited yet: {_count(count, 'problem')} to fix",
        )
    return Evidence(
        standard_ref=meta[L.Meta.STANDARD_REF],
        standard_sha256=meta.get(L.Meta.STANDARD_SHA256, ""),
        layout_version=int(meta.get(L.Meta.LAYOUT_VERSION, L.LAYOUT_VERSION)),
        file_name=book.name,
        workbook_sha256=book.sha256,
        profile=profile,
        numbers=numbers,
        requirements=requirements,
        documents=documents,
        exceptions=exceptions,
        warnings=(*warnings, *(str(w) for w in findings.warnings)),
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
