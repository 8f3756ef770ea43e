"""
The evidence workbook's sheets, as plain rows, turned into `Evidence`.

`citcert.audit.workbook` copies the cells out of openpyxl into a `Book`; this module finds the
header rows and columns by their text (`citcert.audit.layout`), the rows by their ID column, and
checks every value with `citcert.audit.ratings`. Every problem is collected with its
``Sheet!Cell`` and raised together in one `WorkbookError`; warnings ride along in `Evidence`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from citcert.audit import layout as L
from citcert.audit.evidence import (
    Answer,
    CellRef,
    Document,
    Evidence,
    Mode,
    NotApplicableAnswer,
    NumberValue,
    ProgramProfile,
    RequirementEvidence,
    Unanswered,
)
from citcert.audit.ratings import (
    Invalid,
    clean_text,
    is_blank,
    parse_amount,
    parse_answer,
    parse_date,
    parse_percent,
    parse_text,
    parse_whole,
    quoted,
    split_documents,
)
from citcert.errors import Location, Problem, WorkbookError
from citcert.standards.model import MetricCompute, NumberKind, Requirement, Standard


@dataclass(frozen=True, slots=True)
class Value:
    """One cell's value as read (cached value for formulas), and whether it is formatted as %."""

    value: object
    percent: bool = False


EMPTY = Value(None)
Row = tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class Book:
    """A workbook copied into plain rows: row 1 of a sheet is ``sheets[name][0]``."""

    name: str
    sha256: str
    sheets: dict[str, list[Row]]


@dataclass
class Findings:
    """The problems and warnings of one workbook, each with its place."""

    file: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, sheet: str, cell: str | None, message: str, subject: str | None = None) -> None:
        """Record a problem that stops the audit."""
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
    wanted = {L.normalise_header(c.header): c.key for c in columns}
    best, found = 0, dict[str, int]()
    for number, row in enumerate(rows[: L.HEADER_SEARCH_ROWS], start=1):
        here: dict[str, int] = {}
        for index, value in enumerate(row):
            key = wanted.get(L.normalise_header(value.value))
            if key is not None:
                here.setdefault(key, index)
        if len(here) > len(found):
            best, found = number, here
    missing = [c.header for c in columns if c.required and c.key not in found]
    for header in missing:
        where = f"row {best}" if best else f"the first {L.HEADER_SEARCH_ROWS} rows"
        findings.error(
            sheet, None, f'the column "{header}" is missing (looked for its header in {where})'
        )
    if missing:
        return None
    return Table(sheet, found, [(n, r) for n, r in enumerate(rows[best:], start=best + 1)])


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    return f' (did you mean "{close[0]}"?)' if close else ""


# --- the whole workbook ----------------------------------------------------------------------


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
    profile, numbers = _read_program(program, standard, today, findings) if program else (None, {})
    evidence = find_table(book, L.EVIDENCE_SHEET, L.EVIDENCE_COLUMNS, findings)
    mode = profile.assessment_type if profile else None
    requirements = _read_requirements(evidence, standard, mode, findings) if evidence else ()
    documents = _read_documents(book, today, findings)
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
        warnings=(*warnings, *(str(w) for w in findings.warnings)),
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# --- Program sheet ---------------------------------------------------------------------------


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
            hint = _suggest(clean_text(raw), list(keys))
            findings.error(
                table.sheet, cell, f"{quoted(raw)} is not an item of this workbook{hint}"
            )
        elif key in found:
            first = table.cell(found[key][0], "id")
            findings.error(table.sheet, cell, f"{key} appears twice (first at {first})")
        else:
            found[key] = (number, row)
    return found


def _read_program(
    table: Table, standard: Standard, today: dt.date, findings: Findings
) -> tuple[ProgramProfile | None, dict[str, NumberValue | None]]:
    keys = [f.key for f in L.PROFILE_FIELDS] + [n.id for n in standard.program_numbers]
    rows = keyed_rows(table, keys, findings)
    before = len(findings.errors)
    values: dict[str, object] = {}
    for spec in L.PROFILE_FIELDS:
        values[spec.key] = _program_value(
            table,
            rows,
            spec.key,
            spec.label,
            spec.required,
            findings,
            _PROFILE_PARSERS[spec.kind],
            today,
        )
    if values.get("assessment_type") is Mode.REVIEW and not values.get("reviewer"):
        _missing(
            table, rows, "reviewer", "Reviewer", findings, "a Review needs the reviewer's name"
        )
    numbers = _read_numbers(table, rows, standard, today, findings)
    if len(findings.errors) > before:
        return None, numbers
    profile = ProgramProfile.model_validate({k: v for k, v in values.items() if v is not None})
    return profile, numbers


def _parse_mode(raw: object) -> Mode | Invalid:
    key = L.normalise_header(clean_text(raw))
    labels = {L.normalise_header(label): mode for mode, label in L.MODE_LABELS.items()}
    mode = labels.get(key) or L.MODE_ALIASES.get(key)
    if mode is None:
        return Invalid(f"{quoted(raw)} is not one of {', '.join(L.MODE_LABELS.values())}")
    return mode


Parser = Callable[[object], object]
_PROFILE_PARSERS: dict[L.FieldKind, Parser] = {
    L.FieldKind.TEXT: parse_text,
    L.FieldKind.WHOLE: parse_whole,
    L.FieldKind.DATE: parse_date,
    L.FieldKind.MODE: _parse_mode,
}


def _missing(
    table: Table,
    rows: dict[str, tuple[int, Row]],
    key: str,
    label: str,
    findings: Findings,
    why: str,
) -> None:
    if key in rows:
        findings.error(table.sheet, table.cell(rows[key][0], "value"), why, label)
    else:
        findings.error(table.sheet, None, f"the row {key} is missing; {why}", label)


def _program_value(
    table: Table,
    rows: dict[str, tuple[int, Row]],
    key: str,
    label: str,
    required: bool,
    findings: Findings,
    parse: Parser,
    today: dt.date,
) -> object:
    """One Program value parsed, or ``None`` when empty or wrong (wrong is recorded)."""
    if key not in rows or is_blank(table.get(rows[key][1], "value").value):
        if required:
            _missing(table, rows, key, label, findings, "required but empty; fill it in")
        return None
    number, row = rows[key]
    cell = table.get(row, "value")
    value = (
        parse_percent(cell.value, percent_format=cell.percent)
        if parse is parse_percent
        else parse(cell.value)
    )
    if isinstance(value, dt.date) and value > today:
        value = Invalid(f"{value.isoformat()} is in the future (today is {today.isoformat()})")
    if isinstance(value, Invalid):
        findings.error(table.sheet, table.cell(number, "value"), value.message, label)
        return None
    return value


def _number_parser(kind: NumberKind, unit: str) -> Parser:
    match kind:
        case NumberKind.INTEGER:
            return parse_whole
        case NumberKind.NUMBER:
            return parse_percent if L.is_percent_unit(unit) else parse_amount
        case NumberKind.DATE:
            return parse_date


def _read_numbers(
    table: Table,
    rows: dict[str, tuple[int, Row]],
    standard: Standard,
    today: dt.date,
    findings: Findings,
) -> dict[str, NumberValue | None]:
    numbers: dict[str, NumberValue | None] = {}
    for spec in standard.program_numbers:
        parse = _number_parser(spec.kind, spec.unit)
        value = _program_value(
            table, rows, spec.id, spec.label, spec.required, findings, parse, today
        )
        numbers[spec.id] = value if isinstance(value, int | float | dt.date) else None
        if value is None and not spec.required and spec.id in rows:
            findings.warn(
                table.sheet,
                table.cell(rows[spec.id][0], "value"),
                "no value yet (optional)",
                spec.label,
            )
    for spec in standard.program_numbers:
        value, limit = numbers.get(spec.id), numbers.get(spec.not_more_than or "")
        if isinstance(value, int | float) and isinstance(limit, int | float) and value > limit:
            partner = standard.number(spec.not_more_than or "")
            message = f"{value:g} is more than {partner.label} ({limit:g}); check both numbers"
            findings.error(table.sheet, table.cell(rows[spec.id][0], "value"), message, spec.label)
    return numbers


# --- Evidence sheet --------------------------------------------------------------------------


def _read_requirements(
    table: Table, standard: Standard, mode: Mode | None, findings: Findings
) -> tuple[RequirementEvidence, ...]:
    wanted = {r.id: r for _, r in standard.requirements()}
    seen: dict[str, int] = {}
    items: dict[str, RequirementEvidence] = {}
    inputs = [c.key for c in L.EVIDENCE_COLUMNS if c.editable and c.key in table.columns]
    for number, row in table.rows:
        raw = table.get(row, "id").value
        rid = clean_text(raw).upper().replace(" ", "")
        cell = table.cell(number, "id")
        if not rid:
            if any(not is_blank(table.get(row, key).value) for key in inputs):
                findings.error(
                    table.sheet, cell, "this row has answers but no requirement ID; put the ID back"
                )
        elif rid not in wanted:
            hint = _suggest(rid, list(wanted))
            findings.error(
                table.sheet, cell, f"{quoted(raw)} is not a requirement of {standard.ref}{hint}"
            )
        elif rid in seen:
            findings.error(
                table.sheet, cell, f"{rid} appears twice (first at {table.cell(seen[rid], 'id')})"
            )
        else:
            seen[rid] = number
            items[rid] = _RowReader(
                table, number, row, wanted[rid], standard, mode, findings
            ).read()
    for rid, requirement in wanted.items():
        if rid not in items and rid not in seen:
            findings.error(
                table.sheet,
                None,
                f"{rid} ({requirement.title}) has no row; add a row with {rid} in the ID column",
            )
    return tuple(items[r.id] for _, r in standard.requirements() if r.id in items)


@dataclass
class _RowReader:
    """Reads one requirement's row, recording problems against its cells."""

    table: Table
    number: int
    row: Row
    requirement: Requirement
    standard: Standard
    mode: Mode | None
    findings: Findings

    def _raw(self, key: str) -> Value:
        return self.table.get(self.row, key)

    def _where(self, key: str) -> tuple[str, str, str]:
        column = next(c for c in L.EVIDENCE_COLUMNS if c.key == key)
        return (
            self.table.sheet,
            self.table.cell(self.number, key),
            f"{self.requirement.id}, {column.subject}",
        )

    def _text(self, key: str) -> str:
        if key not in self.table.columns:
            return ""
        value = parse_text(self._raw(key).value)
        if isinstance(value, Invalid):
            self.findings.error(*self._where(key)[:2], value.message, self._where(key)[2])
            return ""
        return value

    def read(self) -> RequirementEvidence:
        summary, comment = self._text("evidence_summary"), self._text("reviewer_comment")
        return RequirementEvidence(
            requirement_id=self.requirement.id,
            self_rating=self._answer("self_rating", summary),
            evidence_summary=summary,
            documents=split_documents(self._text("documents")),
            metric_value=self._metric(),
            reviewer_rating=self._answer("reviewer_rating", comment),
            reviewer_comment=comment,
            notes=self._text("notes"),
            row=None
            if "self_rating" not in self.table.columns
            else CellRef(sheet=self.table.sheet, cell=self.table.cell(self.number, "self_rating")),
        )

    def _answer(self, key: str, reason: str) -> Answer:
        sheet, cell, subject = self._where(key)
        answer = parse_answer(self._raw(key).value, self.standard.scoring.scale, reason=reason)
        if isinstance(answer, Invalid):
            self.findings.error(sheet, cell, answer.message, subject)
            return Unanswered()
        if isinstance(answer, NotApplicableAnswer):
            self._check_not_applicable(answer, key, sheet, cell, subject)
        elif isinstance(answer, Unanswered) and (key == "self_rating" or self.mode is Mode.REVIEW):
            self.findings.warn(sheet, cell, "not answered yet", subject)
        return answer

    def _check_not_applicable(
        self, answer: NotApplicableAnswer, key: str, sheet: str, cell: str, subject: str
    ) -> None:
        label = self.standard.scoring.scale.not_applicable_label
        rule = self.requirement.not_applicable
        if not rule.allowed:
            message = (
                f'"{label}" is not allowed here: every program must meet {self.requirement.id}'
            )
            self.findings.error(sheet, cell, message, subject)
        elif not answer.reason:
            where = "Evidence summary" if key == "self_rating" else "Reviewer comment"
            self.findings.warn(
                sheet, cell, f'"{label}" without a reason; say why in {where}', subject
            )

    def _metric(self) -> float | None:
        metric = self.requirement.metric
        raw = self._raw("metric_value")
        if is_blank(raw.value):
            if metric is not None and metric.compute is MetricCompute.VALUE and not metric.inputs:
                self.findings.warn(
                    *self._where("metric_value")[:2],
                    "no metric value yet",
                    self._where("metric_value")[2],
                )
            return None
        if metric is None or metric.inputs:
            return None
        percent = L.is_percent_unit(metric.unit)
        value = (
            parse_percent(raw.value, percent_format=raw.percent)
            if percent
            else parse_amount(raw.value)
        )
        if isinstance(value, Invalid):
            sheet, cell, subject = self._where("metric_value")
            self.findings.error(sheet, cell, value.message, subject)
            return None
        return value


# --- Documents sheet -------------------------------------------------------------------------


def _read_documents(book: Book, today: dt.date, findings: Findings) -> tuple[Document, ...]:
    if L.DOCUMENTS_SHEET not in book.sheets:
        findings.warn(
            L.DOCUMENTS_SHEET, None, "the Documents sheet is missing; no document index was read"
        )
        return ()
    table = find_table(book, L.DOCUMENTS_SHEET, L.DOCUMENT_COLUMNS, findings)
    if table is None:
        return ()
    documents = []
    for number, row in table.rows:
        values = {key: table.get(row, key).value for key in table.columns}
        if all(is_blank(v) for v in values.values()):
            continue
        document = _document(table, number, values, today, findings)
        if document is not None:
            documents.append(document)
    return tuple(documents)


def _document(
    table: Table, number: int, values: dict[str, object], today: dt.date, findings: Findings
) -> Document | None:
    texts = {key: parse_text(values.get(key)) for key in ("name", "description", "link")}
    date = None if is_blank(values.get("date")) else parse_date(values.get("date"))
    if isinstance(date, dt.date) and date > today:
        date = Invalid(f"{date.isoformat()} is in the future (today is {today.isoformat()})")
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
