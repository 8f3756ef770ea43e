"""
The record sheets read back: rosters and logs, row by row, each problem at its cell.

Every record sheet is optional: a sheet the standard asks for but the workbook lacks, or one
left empty, simply gives no rows, and the typed program numbers are used. A filled row is
checked column by column (dates, numbers, whole numbers for counts, choices, Yes/No), then each
number against the one of its row it is a part of (an outcome against the quarter's CIT calls);
blank rows are skipped. Identifiers are read so that repeated ones can be reported, never to be
shown: messages name the rows, not the identifier. A text column that looks like people's names
(two capitalised words in most rows) is a warning, since the sheets should hold no names.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from citcert.standards.model import Standard
from citcert.standards.records import RECORD_SHEETS, ColumnKind, RecordColumn, RecordSheet
from citcert.workbook import layout as L
from citcert.workbook.evidence import RecordRow, RecordValue
from citcert.workbook.ratings import (
    Invalid,
    clean_text,
    is_blank,
    parse_amount,
    parse_date,
    parse_text,
    parse_whole,
    quoted,
)
from citcert.workbook.sheets import Book, DateLimit, Findings, Table, find_table, not_future

_NAME = re.compile(r"^[A-Z][a-z'’-]+ [A-Z][a-z'’-]+$")
"""Two capitalised words: how most personal names look in a cell."""
_YES = frozenset({"yes", "y", "true", "1", "x"})
_NO = frozenset({"no", "n", "false", "0"})


def record_columns(sheet: RecordSheet) -> tuple[L.Column, ...]:
    """A record sheet's columns in the layout's terms (every one typed in by the program)."""
    return tuple(
        L.Column(c.id, c.header, c.width, editable=True, required=c.required, subject=c.header)
        for c in sheet.columns
    )


def record_sheet_names() -> tuple[str, ...]:
    """The names of every record sheet a workbook may carry, for the reader to copy."""
    return tuple(sheet.title for sheet in RECORD_SHEETS.values())


def read_records(
    book: Book, standard: Standard, limit: DateLimit | None, findings: Findings
) -> dict[str, tuple[RecordRow, ...]]:
    """The filled rows of every record sheet the standard asks for and the workbook has."""
    records: dict[str, tuple[RecordRow, ...]] = {}
    for sheet_id in standard.records:
        sheet = RECORD_SHEETS[sheet_id]
        if sheet.title not in book.sheets:
            continue
        table = find_table(book, sheet.title, record_columns(sheet), findings)
        if table is None:
            continue
        rows = _rows(table, sheet, limit, findings)
        _warn_of_names(table, sheet, rows, findings)
        if rows:
            records[sheet_id] = tuple(row for _, row in rows)
    return records


def _rows(
    table: Table, sheet: RecordSheet, limit: DateLimit | None, findings: Findings
) -> list[tuple[int, RecordRow]]:
    rows: list[tuple[int, RecordRow]] = []
    seen: dict[str, int] = {}
    for number, raw in table.filled_rows():
        row: RecordRow = {}
        for column in sheet.columns:
            value = raw.get(column.id)
            if is_blank(value):
                if column.required and column.id in table.columns:
                    where = table.cell(number, column.id)
                    findings.error(table.sheet, where, "required in a filled row", column.header)
                row[column.id] = None
                continue
            parsed = _parse(column, value, limit)
            if isinstance(parsed, Invalid):
                where = table.cell(number, column.id)
                findings.error(table.sheet, where, parsed.message, column.header)
                parsed = None
            row[column.id] = parsed
        _check_parts(table, sheet, number, row, findings)
        _check_repeated(table, sheet, number, row, seen, findings)
        rows.append((number, row))
    return rows


def _parse(column: RecordColumn, raw: object, limit: DateLimit | None) -> RecordValue | Invalid:
    parsers: dict[ColumnKind, Callable[[object], RecordValue | Invalid]] = {
        ColumnKind.TEXT: parse_text,
        ColumnKind.DATE: lambda value: not_future(parse_date(value), limit),
        ColumnKind.NUMBER: parse_whole if column.whole else parse_amount,
        ColumnKind.CHOICE: lambda value: _choice(column, value),
        ColumnKind.YES_NO: _yes_no,
    }
    return parsers[column.kind](raw)


def _choice(column: RecordColumn, raw: object) -> str | Invalid:
    text = clean_text(raw).casefold()
    for choice in column.choices:
        if choice.casefold() == text:
            return choice
    return Invalid(f"{quoted(raw)} is not one of {', '.join(column.choices)}")


def _yes_no(raw: object) -> bool | Invalid:
    if isinstance(raw, bool):
        return raw
    text = clean_text(raw).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return Invalid(f"{quoted(raw)} is not Yes or No")


def _check_parts(
    table: Table, sheet: RecordSheet, number: int, row: RecordRow, findings: Findings
) -> None:
    """A part larger than the number of its row it is part of (``not_more_than``) is an error."""
    for column in sheet.columns:
        value, limit = row.get(column.id), row.get(column.not_more_than or "")
        if isinstance(value, int | float) and isinstance(limit, int | float) and value > limit:
            whole = sheet.column(column.not_more_than or "").header
            message = f"{value:g} is more than this row's {whole} ({limit:g}); check both numbers"
            findings.error(table.sheet, table.cell(number, column.id), message, column.header)


def _check_repeated(
    table: Table,
    sheet: RecordSheet,
    number: int,
    row: RecordRow,
    seen: dict[str, int],
    findings: Findings,
) -> None:
    """The same identifier twice is an error naming both rows (never the identifier)."""
    for column in sheet.columns:
        value = row.get(column.id)
        if not column.identifier or not isinstance(value, str):
            continue
        key = value.strip().casefold()
        first = seen.setdefault(key, number)
        if first != number:
            where = table.cell(number, column.id)
            message = f"the same {column.header} as row {first}; each person is listed once"
            findings.error(table.sheet, where, message, column.header)


def _warn_of_names(
    table: Table, sheet: RecordSheet, rows: list[tuple[int, RecordRow]], findings: Findings
) -> None:
    for column in sheet.columns:
        if column.kind is not ColumnKind.TEXT or column.id not in table.columns:
            continue
        texts = [v for _, row in rows if isinstance(v := row.get(column.id), str) and v]
        names = sum(bool(_NAME.match(text.strip())) for text in texts)
        if len(texts) >= 3 and names * 2 > len(texts):
            header_row = table.rows[0][0] - 1 if table.rows else L.HEADER_ROW
            findings.warn(
                table.sheet,
                table.cell(max(header_row, 1), column.id),
                f"{names} of {len(texts)} entries look like people's names; the record sheets "
                "should hold identifiers such as badge numbers, never names",
                column.header,
            )
