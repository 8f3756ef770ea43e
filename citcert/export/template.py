"""
The blank evidence workbook a program fills in, rendered from a `Standard`.

The shape comes from `citcert.audit.layout` (the reader uses the same definition). The workbook
explains itself to a coordinator: an Instructions sheet, drop-downs with the scale's labels,
number and date checks, core requirements marked, frozen headers, wrapped text, print set-up,
and sheets protected without a password so that only the cells meant for typing can be typed in.

The bytes are deterministic: the document properties and every zip entry carry a fixed time taken
from the standard's effective date, so the same standard always gives the same file.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

from citcert.audit import layout as L
from citcert.standards.model import (
    Metric,
    MetricCompute,
    NumberKind,
    Requirement,
    Standard,
    standard_sha256,
)

_DARK = "1F3A5F"
_HEADER_FILL = "1F3A5F"
_READ_ONLY_FILL = "F2F2F2"
_CORE_FILL = "FCE4CC"
_CORE_FONT = "9C4A00"
_DOMAIN_FILL = "D9E2F3"
_DATE_FORMAT = "yyyy-mm-dd"


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
    _instructions(book.active, standard, notes)
    _program(book.create_sheet(L.PROGRAM_SHEET), standard)
    _evidence(book.create_sheet(L.EVIDENCE_SHEET), standard)
    _documents(book.create_sheet(L.DOCUMENTS_SHEET))
    _metadata(book.create_sheet(L.METADATA_SHEET), standard, migrated_from)
    book.active = 0
    return book


def workbook_bytes(book: Any, when: dt.datetime) -> bytes:
    """Save an openpyxl workbook to bytes that depend only on its content and `when`."""
    from openpyxl.writer.excel import ExcelWriter

    book.properties.creator = "citcert"
    book.properties.lastModifiedBy = "citcert"
    book.properties.created = when
    book.properties.modified = when
    buffer = io.BytesIO()
    archive = _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, date_time=when)
    ExcelWriter(book, archive).save()  # NOTE: save_workbook() would stamp the current time
    return buffer.getvalue()


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed time instead of the clock's."""

    def __init__(self, *args: Any, date_time: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._date_time = date_time.timetuple()[:6]

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=self._date_time)
            zinfo_or_arcname.compress_type = self.compression
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        # openpyxl writes each worksheet through a temporary file, whose mtime would leak in.
        with open(filename, "rb") as handle:
            self.writestr(str(arcname or filename), handle.read())


def put(cell: Any, value: object) -> None:
    """
    Set a cell to a value, keeping text as text.

    openpyxl reads a string starting with ``=`` as a formula; text that came from a person (or a
    standard) must never become one, so it is stored as a plain string.
    """
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def fill_workbook(
    book: Any,
    *,
    program: Mapping[str, object] = {},
    rows: Mapping[str, Mapping[str, object]] = {},
    documents: Sequence[Mapping[str, object]] = (),
) -> None:
    """
    Type answers into a workbook from `build_workbook`, the way a person would.

    `program` maps Program IDs (profile keys, program-number ids) to values; `rows` maps
    requirement ids to Evidence column keys and values; `documents` are Documents rows by column
    key. Used by `citcert migrate` and by the examples generator.
    """
    _fill_keyed(book[L.PROGRAM_SHEET], L.PROGRAM_COLUMNS, "value", program)
    evidence = book[L.EVIDENCE_SHEET]
    for row in range(L.FIRST_DATA_ROW, evidence.max_row + 1):
        answers = rows.get(str(evidence.cell(row, 1).value), {})
        for key, value in answers.items():
            put(evidence.cell(row, _index(L.EVIDENCE_COLUMNS, key)), value)
        if answers:
            fit_row(evidence, row)
    _fill_documents(book[L.DOCUMENTS_SHEET], documents)


def _index(columns: tuple[L.Column, ...], key: str) -> int:
    return next(i for i, c in enumerate(columns, start=1) if c.key == key)


def _fill_keyed(
    ws: Any, columns: tuple[L.Column, ...], key: str, values: Mapping[str, object]
) -> None:
    for row in range(L.FIRST_DATA_ROW, ws.max_row + 1):
        item = ws.cell(row, 1).value
        if item in values:
            put(ws.cell(row, _index(columns, key)), values[item])
            fit_row(ws, row)


def _fill_documents(ws: Any, documents: Sequence[Mapping[str, object]]) -> None:
    from openpyxl.styles import Protection

    for offset, document in enumerate(documents):
        for key, value in document.items():
            cell = ws.cell(L.FIRST_DATA_ROW + offset, _index(L.DOCUMENT_COLUMNS, key))
            put(cell, value)
            cell.protection = Protection(locked=False)


# --- styles -------------------------------------------------------------------------------


def _style(
    cell: Any, *, editable: bool = False, fill: str | None = None, bold: bool = False
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    cell.alignment = Alignment(wrap_text=True, vertical="top")
    cell.protection = Protection(locked=not editable)
    colour = fill or (None if editable else _READ_ONLY_FILL)
    if colour:
        cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
    if bold:
        cell.font = Font(bold=True)


def fit_row(ws: Any, row: int) -> None:
    """
    Give a row the height its wrapped text needs.

    Spreadsheet programs do not all grow rows to fit wrapped text when they open a file, so the
    height is estimated here by wrapping each cell's words to its column's width.
    """
    lines = 1
    for cell in ws[row]:
        if isinstance(cell.value, str) and cell.alignment.wrap_text:
            width = ws.column_dimensions[cell.column_letter].width or 8.43
            lines = max(lines, _wrapped_lines(cell.value, max(1, int(width * 1.2))))
    ws.row_dimensions[row].height = min(409, 14.5 * lines + 4)


def _wrapped_lines(text: str, capacity: int) -> int:
    """How many lines `text` takes when its words are wrapped at `capacity` characters."""
    count = 0
    for paragraph in text.split("\n"):
        used = 0
        count += 1
        for word in paragraph.split():
            if used and used + 1 + len(word) > capacity:
                count += 1
                used = 0
            used += len(word) + (1 if used else 0)
            count += (used - 1) // capacity
            used = used % capacity if used > capacity else used
    return count


def _table(ws: Any, title: str, guidance: str, columns: tuple[L.Column, ...]) -> None:
    """Title, guidance, header row, widths, frozen panes, print set-up and protection."""
    from openpyxl.styles import Alignment, Font, PatternFill

    put(ws.cell(L.TITLE_ROW, 1), title)
    ws.cell(L.TITLE_ROW, 1).font = Font(bold=True, size=14, color=_DARK)
    put(ws.cell(L.GUIDANCE_ROW, 1), guidance)
    ws.cell(L.GUIDANCE_ROW, 1).font = Font(italic=True)
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(L.HEADER_ROW, index, column.header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", start_color=_HEADER_FILL, end_color=_HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[L.cell_name(index, 1)[:-1]].width = column.width
    fit_row(ws, L.HEADER_ROW)
    ws.freeze_panes = L.cell_name(2, L.FIRST_DATA_ROW)
    ws.print_title_rows = f"{L.TITLE_ROW}:{L.HEADER_ROW}"
    _print_and_protect(ws)


def _print_and_protect(ws: Any) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    # No password: protection prevents accidents, it does not secure anything.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.sort = False


def _validation(ws: Any, kind: str, prompt: str, **options: Any) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    check = DataValidation(type=kind, allow_blank=True, showErrorMessage=True, **options)
    check.promptTitle = "citcert"
    check.prompt = prompt
    check.showInputMessage = True
    check.errorTitle = "Not accepted"
    check.error = prompt
    ws.add_data_validation(check)
    return check


def _choice(ws: Any, labels: Sequence[str], source_range: str, prompt: str) -> Any:
    inline = ",".join(labels)
    fits = len(inline) < 250 and not any("," in x or '"' in x for x in labels)
    return _validation(ws, "list", prompt, formula1=f'"{inline}"' if fits else source_range)


def _whole(ws: Any, prompt: str = "Enter a whole number, 0 or more.") -> Any:
    return _validation(ws, "whole", prompt, operator="greaterThanOrEqual", formula1="0")


def _decimal(ws: Any, percent: bool) -> Any:
    if percent:
        return _validation(
            ws,
            "decimal",
            "Enter a percentage, e.g. 25 or 25%.",
            operator="between",
            formula1="0",
            formula2="100",
        )
    return _validation(
        ws, "decimal", "Enter a number, 0 or more.", operator="greaterThanOrEqual", formula1="0"
    )


def _date(ws: Any) -> Any:
    return _validation(
        ws,
        "date",
        "Enter a date, e.g. 2024-03-31.",
        operator="between",
        formula1="DATE(1990,1,1)",
        formula2="DATE(2100,12,31)",
    )


# --- sheets ------------------------------------------------------------------------------


def _instructions(ws: Any, standard: Standard, notes: Sequence[str]) -> None:
    from openpyxl.styles import Font

    ws.title = L.INSTRUCTIONS_SHEET
    ws.column_dimensions["A"].width = 95
    for row, (text, heading) in enumerate(instruction_lines(standard, notes), start=1):
        cell = ws.cell(row, 1)
        put(cell, text)
        _style(cell, fill="FFFFFF")
        fit_row(ws, row)
        if heading:
            cell.font = Font(bold=True, size=14 if row == 1 else 12, color=_DARK)
            ws.row_dimensions[row].height = 24 if row == 1 else 20
    _print_and_protect(ws)


def instruction_lines(standard: Standard, notes: Sequence[str] = ()) -> list[tuple[str, bool]]:
    """The Instructions sheet, one (text, is-heading) pair per row."""
    scale = standard.scoring.scale
    lines: list[tuple[str, bool]] = [
        (f"Evidence workbook: {standard.title}", True),
        (
            f"Standard {standard.ref}, published by {standard.publisher}, "
            f"effective {standard.effective}.",
            False,
        ),
        (standard.summary, False),
    ]
    if notes:
        lines += [("Migrated answers", True), *((note, False) for note in notes)]
    lines += [("How to fill in this workbook", True), *((step, False) for step in _STEPS)]
    lines.append(("What each rating means", True))
    lines += [(f"{level.label}: {level.description}", False) for level in scale.levels]
    lines.append(
        (
            f"{scale.not_applicable_label}: only where the requirement allows it (see How "
            "to rate); write the reason in Evidence summary.",
            False,
        )
    )
    lines += [("Naming your evidence", True), (_NAMING, False)]
    lines += [("What reviewers look at", True), (_REVIEWERS, False)]
    lines += [("About this file", True), (_ABOUT, False)]
    return lines


_STEPS = (
    "1. Program sheet: fill in every Value marked Required, and the program numbers the "
    "standard asks for.",
    "2. Evidence sheet: for each requirement, read What the standard asks and How to rate, "
    "then choose a Self rating from the drop-down list.",
    "3. Evidence summary: say in a few sentences what is in place and how you know. Rows "
    "marked CORE must be met for certification.",
    "4. Document references: list the documents that prove it, one per line (use the names "
    "you give them in the Documents sheet).",
    "5. Metric value: fill it in where the Metric column asks for a value; other metrics are "
    "worked out from the Program sheet.",
    "6. Leave Reviewer rating and Reviewer comment empty: they are for the reviewer.",
    "7. Check the workbook with: citcert validate <this file>. It lists every cell that "
    "needs fixing.",
)
_NAMING = (
    "Give each document a short name that starts with the requirement it supports and a "
    'date, e.g. "PART-01 Steering committee charter 2024-01". List each document once in '
    "the Documents sheet, with its date and where a reviewer can find it."
)
_REVIEWERS = (
    "A reviewer reads your evidence summary and checks the documents you name. A rating "
    "that meets the requirement but names no evidence is treated as a claim, not a fact. "
    "Old documents may count as stale. The reviewer's rating, where given, takes precedence "
    "over the self rating."
)
_ABOUT = (
    "The sheets are protected against accidental changes, without a password (Review > "
    "Unprotect sheet). You may sort rows, add columns and leave rows blank; keep the ID "
    "column and the column headers as they are. Do not edit the hidden citcert sheet: it "
    "records which standard this workbook is for."
)


def _program(ws: Any, standard: Standard) -> None:
    _table(
        ws,
        "Program profile and numbers",
        "Fill in the Value column. Required rows must not be left empty.",
        L.PROGRAM_COLUMNS,
    )
    row = L.FIRST_DATA_ROW
    for field in L.PROFILE_FIELDS:
        unit = {L.FieldKind.DATE: "date", L.FieldKind.WHOLE: "people"}.get(field.kind, "")
        _program_row(
            ws, row, field.key, field.label, unit, _required(field.required) + field.guidance
        )
        _profile_check(ws, field.kind, f"C{row}")
        row += 1
    put(ws.cell(row, 2), L.NUMBERS_HEADING)
    _style(ws.cell(row, 2), fill=_DOMAIN_FILL, bold=True)
    for number in standard.program_numbers:
        row += 1
        _program_row(
            ws, row, number.id, number.label, number.unit, _number_guidance(standard, number.id)
        )
        _number_check(ws, number.kind, number.unit, f"C{row}")


def _required(required: bool) -> str:
    return "Required. " if required else "Optional. "


def _number_guidance(standard: Standard, number_id: str) -> str:
    number = standard.number(number_id)
    text = _required(number.required) + (number.help or "")
    if number.not_more_than:
        text += f" Not more than {standard.number(number.not_more_than).label}."
    return text.strip()


def _program_row(ws: Any, row: int, key: str, label: str, unit: str, guidance: str) -> None:
    for column, value in enumerate((key, label, None, unit, guidance), start=1):
        put(ws.cell(row, column), value)
        _style(ws.cell(row, column), editable=column == 3)
    fit_row(ws, row)


def _profile_check(ws: Any, kind: L.FieldKind, ref: str) -> None:
    match kind:
        case L.FieldKind.TEXT:
            return
        case L.FieldKind.WHOLE:
            _whole(ws).add(ref)
        case L.FieldKind.DATE:
            _date(ws).add(ref)
            ws[ref].number_format = _DATE_FORMAT
        case L.FieldKind.MODE:
            labels = list(L.MODE_LABELS.values())
            _choice(ws, labels, "", "Choose Self-assessment or Review.").add(ref)


def _number_check(ws: Any, kind: NumberKind, unit: str, ref: str) -> None:
    match kind:
        case NumberKind.INTEGER:
            _whole(ws).add(ref)
        case NumberKind.NUMBER:
            _decimal(ws, L.is_percent_unit(unit)).add(ref)
        case NumberKind.DATE:
            _date(ws).add(ref)
            ws[ref].number_format = _DATE_FORMAT


def _evidence(ws: Any, standard: Standard) -> None:
    columns = L.EVIDENCE_COLUMNS
    _table(
        ws,
        f"Evidence: {standard.title} ({standard.ref})",
        "Grey columns describe the requirement; fill in the white ones. "
        "Rows marked CORE must be met.",
        columns,
    )
    scale = standard.scoring.scale
    source = f"'{L.METADATA_SHEET}'!$D$2:$D${len(scale.labels) + 1}"
    prompt = "Choose a rating from the list."
    ratings = _choice(ws, scale.labels, source, prompt)
    row = L.FIRST_DATA_ROW
    for domain in standard.domains:
        _domain_row(ws, row, f"{domain.id}: {domain.title}", domain.description)
        first = row + 1
        for requirement in domain.requirements:
            row += 1
            _requirement_row(ws, row, standard, domain.title, requirement)
            ratings.add(f"{L.column_letter(columns, 'self_rating')}{row}")
            ratings.add(f"{L.column_letter(columns, 'reviewer_rating')}{row}")
        ws.row_dimensions.group(first, row, outline_level=1)
        row += 1
    ws.auto_filter.ref = f"A{L.HEADER_ROW}:{L.column_letter(columns, columns[-1].key)}{row - 1}"
    ws.freeze_panes = L.cell_name(3, L.FIRST_DATA_ROW)


def _domain_row(ws: Any, row: int, heading: str, description: str) -> None:
    for index, column in enumerate(L.EVIDENCE_COLUMNS, start=1):
        cell = ws.cell(row, index)
        value = {"domain": heading, "statement": description}.get(column.key)
        put(cell, value)
        _style(cell, fill=_DOMAIN_FILL, bold=True)
    fit_row(ws, row)


def _requirement_row(
    ws: Any, row: int, standard: Standard, domain: str, requirement: Requirement
) -> None:
    from openpyxl.styles import Font

    values = _fixed_values(standard, domain, requirement)
    metric_input = _metric_takes_value(requirement.metric)
    for index, column in enumerate(L.EVIDENCE_COLUMNS, start=1):
        cell = ws.cell(row, index)
        put(cell, values.get(column.key))
        editable = column.editable and (column.key != "metric_value" or metric_input)
        core_fill = _CORE_FILL if requirement.core and not column.editable else None
        _style(cell, editable=editable, fill=core_fill)
    if requirement.core:
        ws.cell(row, 2).font = Font(bold=True, color=_CORE_FONT)
    fit_row(ws, row)
    if requirement.metric is not None and metric_input:
        letter = L.column_letter(L.EVIDENCE_COLUMNS, "metric_value")
        _decimal(ws, L.is_percent_unit(requirement.metric.unit)).add(f"{letter}{row}")


def _fixed_values(standard: Standard, domain: str, requirement: Requirement) -> dict[str, str]:
    return {
        "id": requirement.id,
        "core": "CORE" if requirement.core else "",
        "domain": domain,
        "title": requirement.title,
        "statement": requirement.statement,
        "evidence_expected": "\n".join(f"• {item}" for item in requirement.evidence),
        "anchors": rating_guide(standard, requirement),
        "metric": metric_text(standard, requirement.metric),
    }


def rating_guide(standard: Standard, requirement: Requirement) -> str:
    """What each rating level means for this requirement, and whether not applicable is allowed."""
    scale = standard.scoring.scale
    lines = [
        f"{level.label}: {requirement.anchors[level.id]}"
        for level in scale.levels
        if level.id in requirement.anchors
    ]
    allowed = requirement.not_applicable
    if allowed.allowed:
        lines.append(
            f"{scale.not_applicable_label}: "
            f"{allowed.when or 'allowed; say why in Evidence summary.'}"
        )
    else:
        lines.append(f"{scale.not_applicable_label}: not allowed for this requirement.")
    return "\n".join(lines)


def _metric_takes_value(metric: Metric | None) -> bool:
    return metric is not None and metric.compute is MetricCompute.VALUE and not metric.inputs


def metric_text(standard: Standard, metric: Metric | None) -> str:
    """What the Metric column says: what to type, or which Program numbers the metric comes from."""
    if metric is None:
        return ""
    labels = [standard.number(number_id).label for number_id in metric.inputs]
    match metric.compute:
        case MetricCompute.VALUE:
            if not labels:
                return f"Enter: {metric.label} ({metric.unit})"
            return f"{metric.label}: from the Program sheet ({labels[0]})"
        case MetricCompute.RATIO:
            return f"{metric.label}: worked out from the Program sheet ({labels[0]} ÷ {labels[1]})"
        case MetricCompute.DAYS_SINCE:
            return f"{metric.label}: worked out from the Program sheet (days since {labels[0]})"


def _documents(ws: Any) -> None:
    columns = L.DOCUMENT_COLUMNS
    _table(ws, "Supporting documents", "Optional: one row per document you refer to.", columns)
    dates = _date(ws)
    last = L.FIRST_DATA_ROW + L.DOCUMENT_ROWS - 1
    for row in range(L.FIRST_DATA_ROW, last + 1):
        for index in range(1, len(columns) + 1):
            _style(ws.cell(row, index), editable=True)
        ws.cell(row, 2).number_format = _DATE_FORMAT
    dates.add(f"B{L.FIRST_DATA_ROW}:B{last}")
    ws.freeze_panes = L.cell_name(1, L.FIRST_DATA_ROW)


def _metadata(ws: Any, standard: Standard, migrated_from: str | None) -> None:
    rows: list[tuple[str, str | int]] = [
        (L.Meta.STANDARD_REF, standard.ref),
        (L.Meta.STANDARD_SHA256, standard_sha256(standard)),
        (L.Meta.LAYOUT_VERSION, L.LAYOUT_VERSION),
    ]
    if migrated_from:
        rows.append((L.Meta.MIGRATED_FROM, migrated_from))
    put(ws.cell(1, 1), "key")
    put(ws.cell(1, 2), "value")
    put(ws.cell(1, 4), "rating labels")
    for row, (key, value) in enumerate(rows, start=2):
        put(ws.cell(row, 1), str(key))
        put(ws.cell(row, 2), value)
    for row, label in enumerate(standard.scoring.scale.labels, start=2):
        put(ws.cell(row, 4), label)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
