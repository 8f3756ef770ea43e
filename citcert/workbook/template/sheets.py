"""
The evidence template's sheets, each written into an empty openpyxl worksheet.

Instructions (the words from `citcert.workbook.template.texts`), Program (profile fields, then
the standard's program numbers), Evidence (a heading row per domain, a row per requirement),
Documents (empty, unlocked rows) and the hidden metadata sheet the reader checks first. Rows and
columns follow `citcert.workbook.layout`, so the reader finds its way back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from citcert.standards.model import Requirement, Standard, standard_sha256
from citcert.workbook import layout as L
from citcert.workbook.template.checks import (
    choice_check,
    decimal_check,
    entry_rows,
    number_check,
    profile_check,
)
from citcert.workbook.template.styles import (
    CORE_FILL,
    CORE_FONT,
    DARK,
    DOMAIN_FILL,
    fit_row,
    frame_table,
    print_and_protect,
    put,
    style,
)
from citcert.workbook.template.texts import (
    instruction_lines,
    metric_takes_value,
    number_guidance,
    required_prefix,
    requirement_texts,
)


def build_instructions(ws: Any, standard: Standard, notes: Sequence[str]) -> None:
    """The Instructions sheet: one paragraph or heading per row, in one wide column."""
    from citcert._spreadsheet import font

    ws.title = L.INSTRUCTIONS_SHEET
    ws.column_dimensions["A"].width = 95
    for row, (text, heading) in enumerate(instruction_lines(standard, notes), start=1):
        cell = ws.cell(row, 1)
        put(cell, text)
        style(cell, fill="FFFFFF")
        fit_row(ws, row)
        if heading:
            cell.font = font(bold=True, size=14 if row == 1 else 12, color=DARK)
            ws.row_dimensions[row].height = 24 if row == 1 else 20
    print_and_protect(ws)


def build_program(ws: Any, standard: Standard) -> None:
    """The Program sheet: the profile fields, a heading, then the standard's program numbers."""
    frame_table(
        ws,
        "Program profile and numbers",
        "Fill in the Value column. Required rows must not be left empty.",
        L.PROGRAM_COLUMNS,
    )
    row = L.FIRST_DATA_ROW
    for field in L.PROFILE_FIELDS:
        unit = {L.FieldKind.DATE: "date", L.FieldKind.WHOLE: "people"}.get(field.kind, "")
        guidance = required_prefix(field.required) + field.guidance
        _program_row(ws, row, field.key, field.label, unit, guidance)
        profile_check(ws, field.kind, f"C{row}")
        row += 1
    put(ws.cell(row, 2), L.NUMBERS_HEADING)
    style(ws.cell(row, 2), fill=DOMAIN_FILL, bold=True)
    for number in standard.program_numbers:
        row += 1
        guidance = number_guidance(standard, number.id)
        _program_row(ws, row, number.id, number.label, number.unit, guidance)
        labels = [choice.label for choice in number.choices]
        number_check(ws, number.kind, number.unit, f"C{row}", labels)


def _program_row(ws: Any, row: int, key: str, label: str, unit: str, guidance: str) -> None:
    for column, value in enumerate((key, label, None, unit, guidance), start=1):
        put(ws.cell(row, column), value)
        style(ws.cell(row, column), editable=column == 3)
    fit_row(ws, row)


def build_evidence(ws: Any, standard: Standard) -> None:
    """The Evidence sheet: per domain a heading row and a grouped row per requirement."""
    columns = L.EVIDENCE_COLUMNS
    frame_table(
        ws,
        f"Evidence: {standard.title} ({standard.ref})",
        "Grey columns describe the requirement; fill in the white ones. "
        "Rows marked CORE must be met.",
        columns,
    )
    scale = standard.scoring.scale
    source = f"'{L.METADATA_SHEET}'!$D$2:$D${len(scale.labels) + 1}"
    prompt = "Choose a rating from the list."
    ratings = choice_check(ws, scale.labels, source, prompt)
    row = L.FIRST_DATA_ROW
    for domain in standard.domains:
        _domain_row(ws, row, f"{domain.id}: {domain.title}", domain.description)
        first = row + 1
        for requirement in domain.requirements:
            row += 1
            _requirement_row(ws, row, standard, domain.title, requirement)
            ratings.add(f"{L.column_letter(columns, 'self_rating')}{row}")
        ws.row_dimensions.group(first, row, outline_level=1)
        row += 1
    ws.auto_filter.ref = f"A{L.HEADER_ROW}:{L.column_letter(columns, columns[-1].key)}{row - 1}"
    ws.freeze_panes = L.cell_name(3, L.FIRST_DATA_ROW)


def _domain_row(ws: Any, row: int, heading: str, description: str) -> None:
    for index, column in enumerate(L.EVIDENCE_COLUMNS, start=1):
        cell = ws.cell(row, index)
        value = {"domain": heading, "statement": description}.get(column.key)
        put(cell, value)
        style(cell, fill=DOMAIN_FILL, bold=True)
    fit_row(ws, row)


def _requirement_row(
    ws: Any, row: int, standard: Standard, domain: str, requirement: Requirement
) -> None:
    from citcert._spreadsheet import font

    values = requirement_texts(standard, domain, requirement)
    metric_input = metric_takes_value(requirement.metric)
    for index, column in enumerate(L.EVIDENCE_COLUMNS, start=1):
        cell = ws.cell(row, index)
        put(cell, values.get(column.key))
        editable = column.editable and (column.key != "metric_value" or metric_input)
        core_fill = CORE_FILL if requirement.core and not column.editable else None
        style(cell, editable=editable, fill=core_fill)
    if requirement.core:
        ws.cell(row, 2).font = font(bold=True, color=CORE_FONT)
    fit_row(ws, row)
    if requirement.metric is not None and metric_input:
        letter = L.column_letter(L.EVIDENCE_COLUMNS, "metric_value")
        decimal_check(ws, L.is_percent_unit(requirement.metric.unit)).add(f"{letter}{row}")


def build_documents(ws: Any) -> None:
    """The Documents sheet: a fixed number of empty rows, all unlocked, with a date check."""
    columns = L.DOCUMENT_COLUMNS
    frame_table(ws, "Supporting documents", "Optional: one row per document you refer to.", columns)
    entry_rows(ws, columns, L.DOCUMENT_ROWS, dates=("date",))


def build_metadata(ws: Any, standard: Standard, migrated_from: str | None) -> None:
    """
    The hidden metadata sheet: which standard (and its hash) and layout the workbook is for.

    Column D lists the scale's labels, the source of the rating drop-down when the labels are
    too long to be written into the check itself.
    """
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
