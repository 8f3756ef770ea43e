"""
The evidence workbook's sheets as plain rows, and the tables found in them.

`citcert.workbook.snapshot` copies the cells out of the file into a `Book`; the sheet readers
(`program_sheet`, `evidence_sheet`, `documents_sheet`) find each table's header row and columns
here by their text (`citcert.workbook.layout`) and its rows by their ID column. Every problem is
collected in `Findings` with its ``Sheet!Cell``, so they can all be reported together.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from citcert.errors import Location, Problem
from citcert.workbook import layout as L
from citcert.workbook.ratings import Invalid, clean_text, is_blank, quoted


@dataclass(frozen=True, slots=True)
class Value:
    """One cell's value as read (cached value for formulas), and whether it is formatted as %."""

    value: object
    percent: bool = False


EMPTY = Value(None)
Row = tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class Hidden:
    """The hidden rows and columns of one sheet (1-based numbers)."""

    rows: frozenset[int] = frozenset()
    columns: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.rows or self.columns)


@dataclass(frozen=True, slots=True)
class Book:
    """A workbook copied into plain rows: row 1 of a sheet is ``sheets[name][0]``."""

    name: str
    sha256: str
    sheets: dict[str, list[Row]]
    formulas: tuple[tuple[str, str, str], ...] = ()
    """(sheet, cell, formula) of each formula whose saved result is missing or 0."""
    hidden: Hidden = Hidden()
    """The Evidence sheet's hidden rows and columns (`citcert.workbook.hidden`)."""
    size: int = 0
    """The file's size in bytes (for ``--verbose``)."""


@dataclass
class Findings:
    """The problems and warnings of one workbook, each with its place."""

    file: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    formulas: dict[tuple[str, str], str] = field(default_factory=dict)
    """Formulas with no saved result by (sheet, cell): a problem at one says it holds one."""

    def error(self, sheet: str, cell: str | None, message: str, subject: str | None = None) -> None:
        """Record a problem that stops the audit."""
        formula = self.formulas.get((sheet, cell or ""))
        if formula is not None:
            message = (
                f"{message} (the cell holds the formula {formula} with no saved result: open the "
                "file in Excel or LibreOffice Calc and save it, or type the value itself)"
            )
        self.errors.append(
            Problem(Location(file=self.file, sheet=sheet, cell=cell), message, subject)
        )

    def warn(self, sheet: str, cell: str | None, message: str, subject: str | None = None) -> None:
        """Record something worth knowing that does not stop the audit."""
        self.warnings.append(
            Problem(Location(file=self.file, sheet=sheet, cell=cell), message, subject)
        )


@dataclass(frozen=True, slots=True)
class Table:
    """A table sheet: where its headers are, which column holds what, and its data rows."""

    sheet: str
    columns: dict[str, int]
    """Column key → 0-based index, for the columns found."""
    rows: list[tuple[int, Row]]
    """(row number, cells) for every row below the header row."""

    def get(self, row: Row, key: str) -> Value:
        """The cell of `key` in `row` (empty when the column or cell is absent)."""
        index = self.columns.get(key)
        return row[index] if index is not None and index < len(row) else EMPTY

    def cell(self, number: int, key: str) -> str:
        """The A1 name of the cell of `key` in row `number`."""
        return L.cell_name(self.columns[key] + 1, number)

    def filled_rows(self) -> Iterator[tuple[int, dict[str, object]]]:
        """
        (row number, value typed by column key) of every row with anything in it: a sheet of
        entries (documents, exceptions, plan steps, records) keeps its blank rows for typing.
        """
        keys = tuple(self.columns)
        places = tuple(self.columns.values())
        for number, row in self.rows:
            width = len(row)
            cells = [row[i].value if i < width else None for i in places]
            if any(v is not None and not is_blank(v) for v in cells):
                yield number, dict(zip(keys, cells, strict=True))


def find_table(
    book: Book, sheet: str, columns: Sequence[L.Column], findings: Findings
) -> Table | None:
    """The table on `sheet`, or ``None`` (with the problems recorded) when it cannot be found."""
    rows = book.sheets.get(sheet)
    if rows is None:
        findings.error(
            sheet,
            None,
            f"the {sheet} sheet is missing; make a fresh workbook with `citcert template`",
        )
        return None
    best, found = _header_row(rows, columns)
    missing = [c.header for c in columns if c.required and c.key not in found]
    for header in missing:
        where = f"row {best}" if best else f"the first {L.HEADER_SEARCH_ROWS} rows"
        findings.error(
            sheet, None, f'the column "{header}" is missing (looked for its header in {where})'
        )
    if missing or _repeated_headers(sheet, rows[best - 1], columns, findings, best):
        return None
    return Table(sheet, found, [(n, r) for n, r in enumerate(rows[best:], start=best + 1)])


def _repeated_headers(
    sheet: str, header: Row, columns: Sequence[L.Column], findings: Findings, number: int
) -> bool:
    """
    Record an error for each known header that appears twice in the header row.

    Two columns headed "Reviewer rating" (one perhaps hidden) would let a program plant ratings
    the reviewer never gave: which one counts is not for citcert to guess.
    """
    wanted = {L.normalise_header(c.header): c for c in columns}
    seen: dict[str, list[int]] = {}
    for index, value in enumerate(header):
        column = wanted.get(L.normalise_header(value.value))
        if column is not None:
            seen.setdefault(column.key, []).append(index)
    repeated = False
    for key, places in seen.items():
        if len(places) < 2:
            continue
        repeated = True
        title = next(c.header for c in columns if c.key == key)
        cells = " and ".join(L.cell_name(i + 1, number) for i in places)
        findings.error(
            sheet,
            L.cell_name(places[1] + 1, number),
            f'the column "{title}" appears more than once ({cells}; a column may be hidden); '
            "citcert cannot tell which one holds the answers. Delete the extra column",
        )
    return repeated


def _header_row(rows: list[Row], columns: Sequence[L.Column]) -> tuple[int, dict[str, int]]:
    """
    The header row among the first rows (0 when none), and column key → index in it.

    The row naming the most known columns wins, so a title or an inserted row above the
    headers does no harm; a repeated header is an error (`_repeated_headers`).
    """
    wanted = {L.normalise_header(c.header): c.key for c in columns}
    best, found = 0, dict[str, int]()
    for number, row in enumerate(rows[: L.HEADER_SEARCH_ROWS], start=1):
        here: dict[str, int] = {}
        for index, value in enumerate(row):
            if value.value is None:
                continue  # NOTE: most of a sheet's width is blank cells; no header is None
            key = wanted.get(L.normalise_header(value.value))
            if key is not None:
                here.setdefault(key, index)
        if len(here) > len(found):
            best, found = number, here
    return best, found


def keyed_rows(table: Table, keys: Sequence[str], findings: Findings) -> dict[str, tuple[int, Row]]:
    """The rows of a Program-style table by their ID, refusing unknown and repeated IDs."""
    known = {L.normalise_header(k): k for k in keys}
    found: dict[str, tuple[int, Row]] = {}
    for number, row in table.rows:
        raw = table.get(row, "id").value
        if is_blank(raw):
            if not is_blank(table.get(row, "value").value):
                findings.error(
                    table.sheet, table.cell(number, "id"), "a value without an ID; put the ID back"
                )
            continue
        key = known.get(L.normalise_header(clean_text(raw)))
        cell = table.cell(number, "id")
        if key is None:
            hint = suggest(clean_text(raw), list(keys))
            findings.error(
                table.sheet, cell, f"{quoted(raw)} is not an item of this workbook{hint}"
            )
        elif key in found:
            first = table.cell(found[key][0], "id")
            findings.error(table.sheet, cell, f"{key} appears twice (first at {first})")
        else:
            found[key] = (number, row)
    return found


def suggest(word: str, choices: Sequence[str]) -> str:
    """A ``(did you mean "…"?)`` hint naming the choice closest to a mistyped `word`, or ``""``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    return f' (did you mean "{close[0]}"?)' if close else ""


_Parsed = TypeVar("_Parsed")


@dataclass(frozen=True, slots=True)
class DateLimit:
    """The day a workbook's dates are judged as of: the assessment date, or ``--as-of``."""

    date: dt.date
    name: str = "the assessment date"
    """How messages name the day, e.g. ``the assessment date`` or ``the as-of date``."""


def not_future(value: _Parsed, limit: DateLimit | None) -> _Parsed | Invalid:
    """
    `value`, unless it is a date after `limit`: no date may lie after the day the ratings
    describe. Never the computer's clock: a workbook reads the same on any day.
    """
    if limit is not None and isinstance(value, dt.date) and value > limit.date:
        return Invalid(
            f"{value.isoformat()} is after {limit.name} ({limit.date.isoformat()}); check the date"
        )
    return value
