"""
The template's Exceptions sheet, written when the standard accepts exceptions.

Empty, unlocked rows under the headers the reader looks for, with a date check on the two date
columns, and a line of guidance that states the standard's own policy (core requirements, how
many, for how long), so a coordinator reads the rule where the rows are filled in.
"""

from __future__ import annotations

from typing import Any

from citcert.standards.model import ExceptionPolicy
from citcert.workbook import layout as L
from citcert.workbook.template.checks import date_check
from citcert.workbook.template.styles import DATE_FORMAT, frame_table, style


def policy_words(policy: ExceptionPolicy) -> str:
    """The standard's exception policy as one line of guidance."""
    parts = ["Optional: one row per requirement excepted by an approver, with why and until when."]
    if not policy.core_allowed:
        parts.append("Core requirements cannot be excepted.")
    if policy.max_exceptions is not None:
        parts.append(f"At most {policy.max_exceptions}.")
    if policy.max_days is not None:
        parts.append(f"Each for at most {policy.max_days} days.")
    return " ".join(parts)


def build_exceptions(ws: Any, policy: ExceptionPolicy) -> None:
    """The Exceptions sheet: a fixed number of empty rows, all unlocked, with date checks."""
    columns = L.EXCEPTION_COLUMNS
    frame_table(ws, "Exceptions", policy_words(policy), columns)
    dates = date_check(ws)
    last = L.FIRST_DATA_ROW + L.EXCEPTION_ROWS - 1
    for row in range(L.FIRST_DATA_ROW, last + 1):
        for index in range(1, len(columns) + 1):
            style(ws.cell(row, index), editable=True)
        ws.cell(row, 4).number_format = DATE_FORMAT
        ws.cell(row, 5).number_format = DATE_FORMAT
    dates.add(f"D{L.FIRST_DATA_ROW}:E{last}")
    ws.freeze_panes = L.cell_name(1, L.FIRST_DATA_ROW)
