"""
Cross-checks of the record sheets a standard asks for and the numbers it computes from them.

Each problem is a ``(loc, message)`` pair pointing into the YAML, like `citcert.standards.checks`.
A computation must name a sheet the standard asks for, columns that sheet has, values those
columns can hold, and give a number of the kind the computation yields; an identifier column is
never computed on, so no identifier can reach a report.
"""

from __future__ import annotations

from collections.abc import Iterator

from citcert.standards.model import FromRecords, NumberKind, RecordCompute, Standard
from citcert.standards.records import RECORD_SHEETS, ColumnKind, RecordSheet

Loc = tuple[str | int, ...]
CheckProblem = tuple[Loc, str]

GIVEN, BLANK = "given", "blank"
"""The two conditions every column accepts: it holds something, or it is empty."""

YIELDS: dict[RecordCompute, NumberKind] = {
    RecordCompute.COUNT: NumberKind.INTEGER,
    RecordCompute.SHARE: NumberKind.NUMBER,
    RecordCompute.DISTINCT: NumberKind.INTEGER,
    RecordCompute.COVERED: NumberKind.INTEGER,
    RecordCompute.LATEST: NumberKind.DATE,
    RecordCompute.LONGEST_GAP_DAYS: NumberKind.INTEGER,
    RecordCompute.COUNT_WITHIN_DAYS: NumberKind.INTEGER,
    RecordCompute.SHARE_WITHIN_DAYS: NumberKind.NUMBER,
    RecordCompute.SHARE_RECENT: NumberKind.NUMBER,
}
"""The kind of program number each computation gives."""

_NEEDS_COLUMN = frozenset(
    {
        RecordCompute.DISTINCT,
        RecordCompute.COVERED,
        RecordCompute.LATEST,
        RecordCompute.LONGEST_GAP_DAYS,
        RecordCompute.COUNT_WITHIN_DAYS,
        RecordCompute.SHARE_WITHIN_DAYS,
        RecordCompute.SHARE_RECENT,
    }
)
_DATED = frozenset(
    {
        RecordCompute.LATEST,
        RecordCompute.LONGEST_GAP_DAYS,
        RecordCompute.COUNT_WITHIN_DAYS,
        RecordCompute.SHARE_WITHIN_DAYS,
        RecordCompute.SHARE_RECENT,
    }
)
_WITHIN = frozenset(
    {
        RecordCompute.COUNT_WITHIN_DAYS,
        RecordCompute.SHARE_WITHIN_DAYS,
        RecordCompute.SHARE_RECENT,
    }
)


def record_problems(standard: Standard) -> Iterator[CheckProblem]:
    """Every problem with the standard's record sheets and its numbers computed from them."""
    for i, sheet_id in enumerate(standard.records):
        if sheet_id not in RECORD_SHEETS:
            known = ", ".join(RECORD_SHEETS)
            yield ("records", i), f"there is no record sheet `{sheet_id}`; use one of {known}"
    for i, number in enumerate(standard.program_numbers):
        if number.from_records is not None:
            loc: Loc = ("program_numbers", i, "from_records")
            yield from _computation(standard, number.from_records, number.kind, loc)


def _computation(
    standard: Standard, spec: FromRecords, kind: NumberKind, loc: Loc
) -> Iterator[CheckProblem]:
    if spec.sheet not in standard.records:
        yield (*loc, "sheet"), f"names `{spec.sheet}`, which is not in this standard's records"
        return
    sheet = RECORD_SHEETS[spec.sheet]
    if YIELDS[spec.compute] is not kind:
        yield (
            (*loc, "compute"),
            f"{spec.compute.value} gives a {YIELDS[spec.compute].value}, but the number's "
            f"kind is {kind.value}",
        )
    yield from _columns(sheet, spec, loc)
    for field, conditions in (("where", spec.where), ("match", spec.match)):
        for column_id, wanted in conditions.items():
            yield from _condition(sheet, column_id, wanted, (*loc, field, column_id))
    if spec.compute in (RecordCompute.SHARE, RecordCompute.COVERED) and not spec.match:
        yield (*loc, "match"), f"{spec.compute.value} needs `match`: which rows count as matching"
    if spec.compute in _WITHIN and spec.days is None:
        yield (*loc, "days"), f"{spec.compute.value} needs `days`"


def _columns(sheet: RecordSheet, spec: FromRecords, loc: Loc) -> Iterator[CheckProblem]:
    named = [("column", spec.column), ("after", spec.after), ("also", spec.also)]
    if spec.compute in _NEEDS_COLUMN and spec.column is None:
        yield (*loc, "column"), f"{spec.compute.value} needs `column`"
    if spec.compute is RecordCompute.SHARE_WITHIN_DAYS and spec.after is None:
        yield (*loc, "after"), "share_within_days needs `after`: the date it is counted from"
    if spec.also is not None and spec.compute is not RecordCompute.SHARE_RECENT:
        yield (*loc, "also"), f"{spec.compute.value} takes no `also` (only share_recent does)"
    for field, column_id in named:
        if column_id is None:
            continue
        try:
            column = sheet.column(column_id)
        except KeyError:
            yield (*loc, field), _no_column(sheet, column_id)
            continue
        if column.identifier:
            yield (*loc, field), f"`{column_id}` is an identifier; nothing is computed on it"
        elif (spec.compute in _DATED or field != "column") and column.kind is not ColumnKind.DATE:
            yield (*loc, field), f"`{column_id}` holds no dates"


def _condition(sheet: RecordSheet, column_id: str, wanted: str, loc: Loc) -> Iterator[CheckProblem]:
    try:
        column = sheet.column(column_id)
    except KeyError:
        yield loc, _no_column(sheet, column_id)
        return
    allowed = {GIVEN, BLANK}
    if column.kind is ColumnKind.CHOICE:
        allowed |= {c.casefold() for c in column.choices}
    elif column.kind is ColumnKind.YES_NO:
        allowed |= {"yes", "no"}
    if wanted.casefold() not in allowed:
        yield loc, f"`{column_id}` cannot hold {wanted!r}; use one of {', '.join(sorted(allowed))}"


def _no_column(sheet: RecordSheet, column_id: str) -> str:
    columns = ", ".join(c.id for c in sheet.columns)
    return f"the {sheet.title} sheet has no column `{column_id}`; it has {columns}"
