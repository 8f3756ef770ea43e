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
import re
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from citcert._text import one_line
from citcert.errors import Location, Problem, StandardMismatchError, WorkbookError
from citcert.standards.model import STANDARD_ID, VERSION, Standard, standard_sha256
from citcert.workbook import layout as L
from citcert.workbook.container import STDIN_NAME, file_error, read_checked, read_stream_checked
from citcert.workbook.documents_sheet import read_documents
from citcert.workbook.evidence import TRACKER_SHEET, Evidence, RequirementEvidence, Unanswered
from citcert.workbook.evidence_sheet import read_requirements
from citcert.workbook.exceptions_sheet import read_exceptions
from citcert.workbook.grouping import grouped
from citcert.workbook.hidden import hidden_answer_warnings, hidden_marks
from citcert.workbook.program_sheet import assessment_date, read_program
from citcert.workbook.records_sheet import read_records, record_sheet_names
from citcert.workbook.review.layout import SHEETS as REVIEW_SHEETS
from citcert.workbook.sheets import Book, DateLimit, Findings, Hidden, Table, find_table
from citcert.workbook.snapshot import doubtful_formulas, snapshot

SHEETS = (
    L.PROGRAM_SHEET,
    L.EVIDENCE_SHEET,
    L.DOCUMENTS_SHEET,
    L.EXCEPTIONS_SHEET,
    L.METADATA_SHEET,
    *record_sheet_names(),
    *REVIEW_SHEETS,
    TRACKER_SHEET,
)
"""The sheets citcert reads; any others in a workbook are left unread (a tracker's own sheet
only tells a tracker given for a workbook)."""


def read_standard_ref(book: Book) -> str:
    """The ``id@version`` a workbook was made for, from its hidden metadata sheet."""
    return read_metadata(book)[L.Meta.STANDARD_REF]


def read_workbook(book: Book, standard: Standard, *, as_of: dt.date | None = None) -> Evidence:
    """
    The opened workbook `book` (`open_book`) as `Evidence` for `standard`.

    Raises `StandardMismatchError` when it was made for another standard or version, and
    `WorkbookError` holding every problem found otherwise. No date may lie after the day the
    ratings describe: `as_of` (``--as-of``) when given, else the workbook's assessment date.
    The computer's clock is never read, so a workbook reads the same on any day.
    """
    return inspect_workbook(book, standard, as_of=as_of)[0]


def inspect_workbook(
    book: Book, standard: Standard, *, as_of: dt.date | None = None
) -> tuple[Evidence, tuple[Problem, ...]]:
    """`read_workbook`, and its warnings as located `Problem`s (for ``validate --format json``)."""
    meta = read_metadata(book)
    _check_standard(book.name, meta, standard)
    extra = []
    if meta.get(L.Meta.STANDARD_SHA256) not in (None, standard_sha256(standard)):
        extra.append(
            Problem(
                Location(file=book.name),
                f"the standard {standard.ref} has changed since this workbook was made; "
                "the requirements still match, so it can be audited",
            )
        )
    findings = Findings(book.name, warnings=extra)
    evidence = read_evidence(book, standard, as_of=as_of, meta=meta, findings=findings)
    return evidence, tuple(grouped(findings.warnings))


def open_book(path: Path) -> Book:
    """
    Check the file, then copy the sheets citcert reads into plain rows (the file is only read).

    A command opens a workbook once and passes the `Book` on: to ask which standard it was made
    for (`read_standard_ref`) and then to read it (`read_workbook`).
    """
    return book_of(read_checked(path), path.name)


def open_stream(stream: BinaryIO) -> Book:
    """`open_book` for a workbook arriving on standard input (``-``), read bounded."""
    return book_of(read_stream_checked(stream), STDIN_NAME)


def book_of(data: bytes, name: str) -> Book:
    """The checked bytes of a workbook, copied into plain rows."""
    sha256 = hashlib.sha256(data).hexdigest()
    sheets = snapshot(data, name, SHEETS)
    try:
        formulas = doubtful_formulas(data, sheets)
    except Exception:  # NOTE: the file was read once already; a second look only adds warnings
        formulas = ()
    try:
        hidden = hidden_marks(data)
    except Exception:  # NOTE: as for formulas: a look at the sheet's XML only adds warnings
        hidden = Hidden()
    return Book(name, sha256, sheets, formulas, hidden, len(data))


_STANDARD_REF = re.compile(f"{STANDARD_ID}@{VERSION}")
"""What the hidden sheet records: ``id@version``, as `citcert template` writes it."""


def read_metadata(book: Book) -> dict[str, str]:
    """The metadata sheet as key → text; refuses a workbook citcert did not make."""
    rows = book.sheets.get(L.METADATA_SHEET)
    found = {
        str(r[0].value).strip(): (number, "" if r[1].value is None else str(r[1].value).strip())
        for number, r in enumerate(rows or (), start=1)
        if len(r) > 1 and r[0].value
    }
    meta = {key: value for key, (_, value) in found.items()}
    if L.Meta.STANDARD_REF not in meta and book.sheets.get(TRACKER_SHEET):
        raise file_error(
            book.name,
            "this is not a citcert evidence workbook but a remediation tracker that `citcert "
            "audit` wrote: give the program's own workbook (`citcert progress` reads a tracker)",
        )
    if L.Meta.STANDARD_REF not in meta:
        raise file_error(
            book.name,
            f"this is not a citcert evidence workbook: its hidden {L.METADATA_SHEET} sheet, which "
            "records the standard, is missing or empty. Make one with `citcert template` and copy "
            "your answers into it",
        )
    number, ref = found[L.Meta.STANDARD_REF]
    if not _STANDARD_REF.fullmatch(ref):
        shown = f"“{one_line(ref)[:40]}”" if ref else "nothing"
        raise WorkbookError.single(
            f"its hidden {L.METADATA_SHEET} sheet was changed: it must record the standard the "
            f"workbook was made for as id@version, and holds {shown}. Make a fresh workbook "
            "with `citcert template` and copy your answers into it",
            Location(file=book.name, sheet=L.METADATA_SHEET, cell=f"B{number}"),
        )
    version = meta.get(L.Meta.LAYOUT_VERSION, "1")
    if not re.fullmatch(r"[0-9]{1,6}", version):
        raise file_error(
            book.name,
            f"its hidden {L.METADATA_SHEET} sheet was changed: the layout version {version[:20]!r} "
            "is not a number. Make a fresh workbook with `citcert template`",
        )
    if int(version) > L.LAYOUT_VERSION:
        raise file_error(
            book.name,
            "this workbook was made by a newer version of citcert; update citcert to read it",
        )
    return meta


def _check_standard(name: str, meta: dict[str, str], standard: Standard) -> None:
    made_for = meta[L.Meta.STANDARD_REF]
    if made_for == standard.ref:
        return
    folder, which = (
        (" --standards-dir FOLDER", ", FOLDER being the overlay file's folder")
        if (standard.tailoring)
        else ("", "")
    )
    raise StandardMismatchError.single(
        f"this workbook was made for {made_for}, not {standard.ref}. Check it against the "
        f"standard it was made for (--standard {made_for}), or carry its answers over with: "
        f"citcert{folder} migrate {name} --to {standard.ref} -o new.xlsx{which}",
        Location(file=name),
    )


def read_evidence(
    book: Book,
    standard: Standard,
    *,
    as_of: dt.date | None = None,
    meta: dict[str, str],
    findings: Findings | None = None,
) -> Evidence:
    """Every sheet of `book` read and checked against `standard`; raises with all problems."""
    findings = findings or Findings(book.name)
    findings.formulas.update({(sheet, cell): formula for sheet, cell, formula in book.formulas})
    for sheet, cell, formula in book.formulas:
        findings.warn(
            sheet,
            cell,
            f"holds the formula {formula} with no saved result (or 0), which citcert reads as "
            "it is; the program that wrote the file may not have computed it. Open the file in "
            "Excel or LibreOffice Calc and save it, or type the value itself",
        )
    program = find_table(book, L.PROGRAM_SHEET, L.PROGRAM_COLUMNS, findings)
    limit = _date_limit(program, as_of)
    records = read_records(book, standard, limit, findings)
    supplied = {
        n.id for n in standard.program_numbers if n.from_records and n.from_records.sheet in records
    }
    profile, numbers = (
        read_program(program, standard, limit, findings, supplied) if program else (None, {})
    )
    evidence = find_table(book, L.EVIDENCE_SHEET, L.READ_EVIDENCE_COLUMNS, findings)
    mode = profile.assessment_type if profile else None
    requirements = read_requirements(evidence, standard, mode, findings) if evidence else ()
    if evidence:
        hidden_answer_warnings(evidence, book.hidden, findings)
    legacy = legacy_review_warning(book.name, requirements)
    documents = read_documents(book, limit, findings)
    exceptions = read_exceptions(book, standard, limit, findings)
    if findings.errors or profile is None:
        count = len(findings.errors)
        raise WorkbookError(
            findings.errors,
            headline=f"{book.name} cannot be audited yet: {_count(count, 'problem')} to fix",
        )
    return Evidence(
        standard_ref=meta[L.Meta.STANDARD_REF],
        standard_sha256=meta.get(L.Meta.STANDARD_SHA256, ""),
        layout_version=int(meta.get(L.Meta.LAYOUT_VERSION) or L.LAYOUT_VERSION),
        file_name=book.name,
        workbook_sha256=book.sha256,
        profile=profile,
        numbers=numbers,
        requirements=requirements,
        documents=documents,
        records=records,
        exceptions=exceptions,
        warnings=(*legacy, *(str(w) for w in grouped(findings.warnings))),
    )


def _date_limit(program: Table | None, as_of: dt.date | None) -> DateLimit | None:
    """The day dates are judged as of: ``--as-of``, else the assessment date (None: unknown)."""
    if as_of is not None:
        return DateLimit(as_of, "the as-of date")
    typed = assessment_date(program) if program else None
    return DateLimit(typed) if typed else None


def legacy_review_warning(name: str, requirements: Sequence[RequirementEvidence]) -> list[str]:
    """
    The warning for a layout-1 workbook whose Reviewer columns hold something (else none).

    Those columns are still read (a review typed there counts as before), but they no longer
    belong in the program's workbook; the warning says how to move them.
    """
    filled = [
        r.requirement_id
        for r in requirements
        if not isinstance(r.reviewer_rating, Unanswered) or r.reviewer_comment
    ]
    if not filled:
        return []
    return [
        f"{name}: the Reviewer rating / Reviewer comment columns (an older layout) hold answers "
        f"for {_count(len(filled), 'requirement')} ({', '.join(filled)}); they are read as "
        f"before. Reviewers now work in their own workbook: `citcert review start {name} "
        "--reviewer NAME -o review.xlsx` carries them into it, and `citcert migrate` moves them "
        "to the Notes column"
    ]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
