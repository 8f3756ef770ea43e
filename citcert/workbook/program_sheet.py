"""
The Program sheet read back: the program profile and the standard's program numbers.

Rows are found by their ID column (`keyed_rows`), each value is parsed by the kind of field or
number it is (`citcert.workbook.ratings`), and every empty required value, wrong value, date in the
future and number larger than its bound is recorded against its cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass

from citcert.standards.model import NumberKind, ProgramNumber, Standard
from citcert.standards.records import RECORD_SHEETS
from citcert.workbook import layout as L
from citcert.workbook.evidence import Mode, NumberValue, ProgramProfile
from citcert.workbook.ratings import (
    Invalid,
    clean_text,
    is_blank,
    parse_amount,
    parse_date,
    parse_percent,
    parse_text,
    parse_whole,
    quoted,
)
from citcert.workbook.sheets import DateLimit, Findings, Row, Table, keyed_rows, not_future

Parser = Callable[[object], object]


def _parse_mode(raw: object) -> Mode | Invalid:
    key = L.normalise_header(clean_text(raw))
    labels = {L.normalise_header(label): mode for mode, label in L.MODE_LABELS.items()}
    mode = labels.get(key) or L.MODE_ALIASES.get(key)
    if mode is None:
        return Invalid(f"{quoted(raw)} is not one of {', '.join(L.MODE_LABELS.values())}")
    return mode


_PROFILE_PARSERS: dict[L.FieldKind, Parser] = {
    L.FieldKind.TEXT: parse_text,
    L.FieldKind.WHOLE: parse_whole,
    L.FieldKind.DATE: parse_date,
    L.FieldKind.MODE: _parse_mode,
}


def number_parser(spec: ProgramNumber) -> Parser:
    """How a number of `spec`'s kind is read from a cell (the Program sheet's, a correction's)."""
    match spec.kind:
        case NumberKind.INTEGER:
            return parse_whole
        case NumberKind.NUMBER:
            return parse_percent if L.is_percent_unit(spec.unit) else parse_amount
        case NumberKind.DATE:
            return parse_date
        case NumberKind.CHOICE:
            return _choice_parser(spec)


def _choice_parser(spec: ProgramNumber) -> Parser:
    """A choice read by its label or its id, in any case; anything else names the choices."""
    known = {L.normalise_header(c.label): c.id for c in spec.choices}
    known |= {L.normalise_header(c.id): c.id for c in spec.choices}

    def parse(raw: object) -> str | Invalid:
        found = known.get(L.normalise_header(clean_text(raw)))
        if found is None:
            labels = ", ".join(c.label for c in spec.choices)
            return Invalid(f"{quoted(raw)} is not one of {labels}")
        return found

    return parse


ASSESSMENT_DATE = "assessment_date"
_KEY = L.normalise_header(ASSESSMENT_DATE)


def assessment_date(table: Table) -> dt.date | None:
    """The assessment date as typed, or ``None`` when it is missing or wrong (reported later)."""
    for _, row in table.rows:
        if L.normalise_header(clean_text(table.get(row, "id").value)) == _KEY:
            value = parse_date(table.get(row, "value").value)
            return value if isinstance(value, dt.date) else None
    return None


def read_program(
    table: Table,
    standard: Standard,
    limit: DateLimit | None,
    findings: Findings,
    supplied: Collection[str] = frozenset(),
) -> tuple[ProgramProfile | None, dict[str, NumberValue | None]]:
    """
    The profile (``None`` when any of it is wrong) and the program numbers by id.

    A number that is empty or wrong is ``None``; the problems are in `findings`. Every date but
    the assessment date itself may not lie after `limit`. A number in `supplied` is computed
    from a filled record sheet, so it may be left empty.
    """
    keys = [f.key for f in L.PROFILE_FIELDS] + [n.id for n in standard.program_numbers]
    program = _ProgramRows(table, keyed_rows(table, keys, findings), findings, limit)
    before = len(findings.errors)
    values = {
        spec.key: program.value(spec.key, spec.label, spec.required, _PROFILE_PARSERS[spec.kind])
        for spec in L.PROFILE_FIELDS
    }
    if values.get("assessment_type") is Mode.REVIEW and not values.get("reviewer"):
        program.missing("reviewer", "Reviewer", "a Review needs the reviewer's name")
    numbers = _read_numbers(program, standard, supplied)
    if len(findings.errors) > before:
        return None, numbers
    profile = ProgramProfile.model_validate({k: v for k, v in values.items() if v is not None})
    return profile, numbers


@dataclass(frozen=True, slots=True)
class _ProgramRows:
    """The Program sheet's rows by ID, read one value at a time; problems go to `findings`."""

    table: Table
    rows: dict[str, tuple[int, Row]]
    findings: Findings
    limit: DateLimit | None

    def cell(self, key: str) -> str:
        """The A1 name of the Value cell of the row `key` (which must be there)."""
        return self.table.cell(self.rows[key][0], "value")

    def missing(self, key: str, label: str, why: str) -> None:
        """Record that the value of `key` is needed, at its cell or, without a row, the sheet."""
        if key in self.rows:
            self.findings.error(self.table.sheet, self.cell(key), why, label)
        else:
            self.findings.error(self.table.sheet, None, f"the row {key} is missing; {why}", label)

    def value(self, key: str, label: str, required: bool, parse: Parser) -> object:
        """One Program value parsed, or ``None`` when empty or wrong (wrong is recorded)."""
        if key not in self.rows or is_blank(self.table.get(self.rows[key][1], "value").value):
            if required:
                self.missing(key, label, "required but empty; fill it in")
            return None
        cell = self.table.get(self.rows[key][1], "value")
        value = not_future(
            parse_percent(cell.value, percent_format=cell.percent)
            if parse is parse_percent
            else parse(cell.value),
            None if key == ASSESSMENT_DATE else self.limit,
        )
        if isinstance(value, Invalid):
            self.findings.error(self.table.sheet, self.cell(key), value.message, label)
            return None
        return value


def _read_numbers(
    program: _ProgramRows, standard: Standard, supplied: Collection[str]
) -> dict[str, NumberValue | None]:
    numbers: dict[str, NumberValue | None] = {}
    for spec in standard.program_numbers:
        required = spec.required and spec.id not in supplied
        value = program.value(spec.id, spec.label, required, number_parser(spec))
        numbers[spec.id] = value if isinstance(value, int | float | dt.date | str) else None
        if value is None and not required and spec.id in program.rows and spec.id not in supplied:
            program.findings.warn(
                program.table.sheet, program.cell(spec.id), _not_yet(spec), spec.label
            )
    _check_bounds(program, standard, numbers)
    return numbers


def _not_yet(spec: ProgramNumber) -> str:
    """The warning of an optional number left empty: where its value comes from."""
    if spec.from_records is None:
        return "no value yet (optional)"
    sheet = RECORD_SHEETS[spec.from_records.sheet].title
    return f"no value yet (optional): the {sheet} sheet computes it once it has rows"


def _check_bounds(
    program: _ProgramRows, standard: Standard, numbers: dict[str, NumberValue | None]
) -> None:
    """Record every number larger than the number it may not exceed (``not_more_than``)."""
    for spec in standard.program_numbers:
        value, limit = numbers.get(spec.id), numbers.get(spec.not_more_than or "")
        if isinstance(value, int | float) and isinstance(limit, int | float) and value > limit:
            partner = standard.number(spec.not_more_than or "")
            message = f"{value:g} is more than {partner.label} ({limit:g}); check both numbers"
            program.findings.error(program.table.sheet, program.cell(spec.id), message, spec.label)
