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
from citcert.workbook.template.checks import entry_rows
from citcert.workbook.template.styles import frame_table


def policy_words(policy: ExceptionPolicy) -> str:
    """The standard's exception policy as one line of guidance."""
    parts = ["Optional: one row per requirement excepted by an approver, with why and until when."]
    if not policy.core_allowed:
        parts.append("Core requirements cannot be excepted.")
    if policy.max_exceptions is not None:
        parts.append(f"At most {policy.max_exceptions}.")
    if policy.max_days is not None:
        parts.append(f"Each for at most {policy.max_days} days.")
    if policy.proposal:
        words = policy.proposal_words()
        parts.append(f"{words[:1].upper()}{words[1:]}.")
    return " ".join(parts)


def build_exceptions(ws: Any, policy: ExceptionPolicy) -> None:
    """The Exceptions sheet: a fixed number of empty rows, all unlocked, with date checks."""
    columns = L.EXCEPTION_COLUMNS
    frame_table(ws, "Exceptions", policy_words(policy), columns)
    entry_rows(ws, columns, L.EXCEPTION_ROWS, dates=("approved_on", "expires_on"))
