"""
The Exceptions sheet read back: approved exceptions (waivers) to requirements.

The sheet is optional: a workbook without it, or with it empty, has no exceptions. Each filled
row needs a requirement of the standard, a justification, who approved it, the approval date
(not in the future) and an expiry date after it. The standard's policy (`ExceptionPolicy`,
tightened by an overlay like any other) is checked here, row by row, so that an exception the
standard does not allow is refused at its cell: exceptions not accepted at all, a core
requirement without ``core_allowed``, a term longer than ``max_days``, a row past
``max_exceptions``. Whether one has expired depends on the as-of date and is the scorer's to say.
"""

from __future__ import annotations

import datetime as dt

from citcert.standards.model import ExceptionPolicy, RequirementId, Standard
from citcert.workbook import layout as L
from citcert.workbook.evidence import CellRef, Waiver
from citcert.workbook.ratings import Invalid, is_blank, parse_date, parse_text
from citcert.workbook.sheets import Book, DateLimit, Findings, Table, find_table, not_future

_SUBJECT = "exception"


def read_exceptions(
    book: Book, standard: Standard, limit: DateLimit | None, findings: Findings
) -> tuple[Waiver, ...]:
    """Every exception that may stand; the problems of the others go to `findings`."""
    if L.EXCEPTIONS_SHEET not in book.sheets:
        return ()
    table = find_table(book, L.EXCEPTIONS_SHEET, L.EXCEPTION_COLUMNS, findings)
    if table is None:
        return ()
    waivers: list[Waiver] = []
    seen: dict[RequirementId, str] = {}
    for number, values in table.filled_rows():
        waiver = _waiver(table, number, values, standard, limit, findings)
        if waiver is None:
            continue
        where = table.cell(number, "requirement_id")
        if waiver.requirement_id in seen:
            findings.error(
                table.sheet,
                where,
                f"{waiver.requirement_id} is already excepted at {seen[waiver.requirement_id]}; "
                "keep one row per requirement",
                _SUBJECT,
            )
            continue
        seen[waiver.requirement_id] = f"{table.sheet}!{where}"
        if _allowed(table, number, waiver, standard, len(waivers), findings):
            waivers.append(waiver)
    return tuple(waivers)


def _waiver(
    table: Table,
    number: int,
    values: dict[str, object],
    standard: Standard,
    limit: DateLimit | None,
    findings: Findings,
) -> Waiver | None:
    texts = {
        k: parse_text(values.get(k)) for k in ("requirement_id", "justification", "approved_by")
    }
    approved = not_future(_date(values.get("approved_on")), limit)
    expires = _date(values.get("expires_on"))
    problems: list[tuple[str, str]] = [
        (key, v.message)
        for key, v in (*texts.items(), ("approved_on", approved), ("expires_on", expires))
        if isinstance(v, Invalid)
    ]
    wanted = {
        "requirement_id": "the requirement ID",
        "justification": "why the requirement is excepted",
        "approved_by": "who approved the exception",
    }
    for key, what in wanted.items():
        if texts[key] == "":
            problems.append((key, f"an exception needs {what}"))
    known = {r.id for _, r in standard.requirements()}
    rid = texts["requirement_id"]
    if isinstance(rid, str) and rid and rid.upper() not in known:
        problems.append(("requirement_id", f"{rid} is not a requirement of {standard.ref}"))
    if isinstance(approved, dt.date) and isinstance(expires, dt.date) and expires <= approved:
        problems.append(("expires_on", "the expiry date must come after the approval date"))
    for key, message in problems:
        findings.error(table.sheet, table.cell(number, key), message, _SUBJECT)
    if problems or not isinstance(approved, dt.date) or not isinstance(expires, dt.date):
        return None
    return Waiver(
        requirement_id=RequirementId(str(rid).upper()),
        justification=str(texts["justification"]),
        approved_by=str(texts["approved_by"]),
        approved_on=approved,
        expires_on=expires,
        row=CellRef(sheet=table.sheet, cell=table.cell(number, "requirement_id")),
    )


def _date(raw: object) -> dt.date | Invalid:
    if is_blank(raw):
        return Invalid("an exception needs this date")
    return parse_date(raw)


def _allowed(
    table: Table,
    number: int,
    waiver: Waiver,
    standard: Standard,
    earlier: int,
    findings: Findings,
) -> bool:
    """Whether the standard's policy lets this exception stand; a located error if not."""
    policy: ExceptionPolicy = standard.scoring.exceptions
    where = table.cell(number, "requirement_id")
    message = None
    if not policy.allowed:
        message = f"{standard.ref} does not allow exceptions; remove this row"
    elif standard.requirement(waiver.requirement_id).core and not policy.core_allowed:
        message = (
            f"{waiver.requirement_id} is a core requirement, and {standard.ref} never lets a "
            "core requirement be excepted"
        )
    elif policy.max_exceptions is not None and earlier >= policy.max_exceptions:
        message = (
            f"{standard.ref} allows at most {policy.max_exceptions} exception"
            f"{'' if policy.max_exceptions == 1 else 's'}; this one is over the limit"
        )
    elif policy.max_days is not None and waiver.days > policy.max_days:
        where = table.cell(number, "expires_on")
        message = (
            f"this exception runs {waiver.days} days, longer than the {policy.max_days} "
            f"days {standard.ref} allows; expire it by "
            f"{(waiver.approved_on + dt.timedelta(days=policy.max_days)).isoformat()}"
        )
    if message is None:
        return True
    findings.error(table.sheet, where, message, _SUBJECT)
    return False
