"""
The evidence template's data validations: drop-downs, number checks and date checks.

A spreadsheet program shows each check's prompt when the cell is selected and refuses a value
that does not pass, so most mistakes are caught while typing; the reader still checks every
value, since not every program honours validations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from citcert.standards.model import NumberKind
from citcert.workbook import layout as L
from citcert.workbook.template.styles import DATE_FORMAT, style


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


def choice_check(ws: Any, labels: Sequence[str], source_range: str, prompt: str) -> Any:
    """
    A drop-down of `labels`.

    The labels are written inline when Excel can hold them that way (short, no commas or
    quotes); otherwise the list comes from `source_range`.
    """
    inline = ",".join(labels)
    fits = len(inline) < 250 and not any("," in x or '"' in x for x in labels)
    return _validation(ws, "list", prompt, formula1=f'"{inline}"' if fits else source_range)


def whole_check(ws: Any, prompt: str = "Enter a whole number, 0 or more.") -> Any:
    """A check for a whole number, 0 or more."""
    return _validation(ws, "whole", prompt, operator="greaterThanOrEqual", formula1="0")


def decimal_check(ws: Any, percent: bool) -> Any:
    """A check for a number, 0 or more, or for a percentage from 0 to 100."""
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


def date_check(ws: Any) -> Any:
    """A check for a date between 1990 and 2100."""
    return _validation(
        ws,
        "date",
        "Enter a date, e.g. 2024-03-31.",
        operator="between",
        formula1="DATE(1990,1,1)",
        formula2="DATE(2100,12,31)",
    )


def entry_rows(ws: Any, columns: tuple[L.Column, ...], count: int, dates: Sequence[str]) -> None:
    """
    `count` empty, unlocked rows under a table's header for a coordinator to fill in (the
    Documents and Exceptions sheets), the columns keyed `dates` formatted and checked as dates
    (they stand side by side, so one check covers them), and the panes frozen above them.
    """
    check = date_check(ws)
    letters = [L.column_letter(columns, key) for key in dates]
    last = L.FIRST_DATA_ROW + count - 1
    for row in range(L.FIRST_DATA_ROW, last + 1):
        for index in range(1, len(columns) + 1):
            style(ws.cell(row, index), editable=True)
        for letter in letters:
            ws[f"{letter}{row}"].number_format = DATE_FORMAT
    check.add(f"{letters[0]}{L.FIRST_DATA_ROW}:{letters[-1]}{last}")
    ws.freeze_panes = L.cell_name(1, L.FIRST_DATA_ROW)


def profile_check(ws: Any, kind: L.FieldKind, ref: str) -> None:
    """Add the check a profile field of `kind` needs to the cell `ref`."""
    match kind:
        case L.FieldKind.TEXT:
            return
        case L.FieldKind.WHOLE:
            whole_check(ws).add(ref)
        case L.FieldKind.DATE:
            date_check(ws).add(ref)
            ws[ref].number_format = DATE_FORMAT
        case L.FieldKind.MODE:
            labels = list(L.MODE_LABELS.values())
            choice_check(ws, labels, "", "Choose Self-assessment or Review.").add(ref)


def number_check(
    ws: Any, kind: NumberKind, unit: str, ref: str, choices: Sequence[str] = ()
) -> None:
    """Add the check a program number of `kind` (in `unit`, or one of `choices`) needs to `ref`."""
    match kind:
        case NumberKind.CHOICE:
            choice_check(ws, choices, "", "Choose one from the list.").add(ref)
        case NumberKind.INTEGER:
            whole_check(ws).add(ref)
        case NumberKind.NUMBER:
            decimal_check(ws, L.is_percent_unit(unit)).add(ref)
        case NumberKind.DATE:
            date_check(ws).add(ref)
            ws[ref].number_format = DATE_FORMAT
