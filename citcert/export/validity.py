"""
Valid until and next review due, worded the same in every report.

Each writer lays out these rows in its own way (a line in the terminal, a table in Markdown,
cover facts in the PDF, Summary rows in the tracker). An assessment saved before citcert
recorded dates has none, and the rows say so rather than leaving the reader to guess.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citcert.audit.assessment import Assessment

NOT_RECORDED = "not recorded in this assessment"
NO_TERM = "not applicable (this level has no term)"
"""Valid until, for a level the standard gives no term (nothing lapses; never "indefinitely")."""


def date_rows(a: Assessment) -> list[tuple[str, str]]:
    """``("Valid until", "2029-06-01")``, ``("Next review due", …)`` and the interim report."""
    d = a.dates
    if d is None:
        return [("Valid until", NOT_RECORDED), ("Next review due", NOT_RECORDED)]
    rows = [
        ("Valid until", d.valid_until.isoformat() if d.valid_until else NO_TERM),
        ("Next review due", d.next_review_due.isoformat() if d.next_review_due else "not set"),
    ]
    if d.interim_report_due is not None:
        rows.append(("Interim report due", d.interim_report_due.isoformat()))
    return rows


def dates_line(a: Assessment) -> str:
    """The rows in one line: ``Valid until 2029-06-01 · Next review due 2029-06-01``."""
    return " · ".join(f"{label} {value}" for label, value in date_rows(a))


EXCEPTION_HEADER = ("Requirement", "Justification", "Approved by", "Approved on", "Expires on",
                    "State")  # fmt: skip
"""The columns every report lists exceptions under."""


def exception_rows(a: Assessment) -> list[tuple[str, str, str, str, str, str]]:
    """One row per exception: the requirement, why, who, when, until when, and its state."""
    view = a.exceptions
    if view is None:
        return []
    return [
        (
            f"{e.requirement_id} {e.title}",
            e.justification,
            e.approved_by,
            e.approved_on.isoformat(),
            e.expires_on.isoformat(),
            "expired: counts as not met" if e.expired else "in force",
        )
        for e in view.items
    ]


def with_without_rows(a: Assessment) -> list[tuple[str, str]]:
    """The decision with the exceptions and without them, for a two-row table."""
    view = a.exceptions
    if view is None:
        return []
    return [
        ("With exceptions", f"{a.decision.label} ({a.overall_score:.1f}%)"),
        (
            "Without exceptions",
            f"{view.decision_without.label} ({view.overall_without:.1f}%)",
        ),
    ]
