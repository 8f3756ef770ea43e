"""
The review and consensus workbooks' own sheets: the one definition the writer and reader use.

The program's sheets are kept as submitted (locked); these sheets are added. New kinds of entry
(an exception, a waiver) are new columns or a new sheet here and a new `ReviewMeta` key; the
reader finds columns by their header text, so adding one does not break older review workbooks.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from citcert.workbook.layout import Column

if TYPE_CHECKING:
    from citcert.workbook.sheets import Book

REVIEW_LAYOUT_VERSION = 1
"""Raised when the reader could no longer follow an older review workbook."""

REVIEW_SHEET = "Review"
CORRECTIONS_SHEET = "Corrections"
REVIEWER_SHEET = "Reviewer"
REVIEW_META_SHEET = "citcert-review"
SHEETS = (REVIEW_SHEET, CORRECTIONS_SHEET, REVIEWER_SHEET, REVIEW_META_SHEET)

RATER_PREFIX = "Rating by "
"""A consensus workbook's per-rater columns are headed ``Rating by NAME``."""


def is_review(book: Book) -> bool:
    """
    True when `book` is a reviewer's or consensus workbook (it has the review metadata).

    It lives beside the sheet names so that an audit, which only asks this, does not import the
    review reader and writer.
    """
    return REVIEW_META_SHEET in book.sheets


class Kind(StrEnum):
    """One reviewer's workbook, or the raters' consensus."""

    REVIEW = "review"
    CONSENSUS = "consensus"


class ReviewMeta(StrEnum):
    """Keys of the hidden review metadata sheet (column A: key, column B: value)."""

    KIND = "kind"
    REVIEW_LAYOUT_VERSION = "review_layout_version"
    STANDARD_REF = "standard_ref"
    SUBMISSION_NAME = "submission_name"
    SUBMISSION_SHA256 = "submission_sha256"
    EVIDENCE_SHA256 = "evidence_sha256"
    """SHA-256 of the program's answers as read: editing a locked program cell is caught."""
    RATERS = "raters"
    """A consensus: the raters' names, one per line, in their columns' order."""


REVIEW_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", 10, required=True, subject="id"),
    Column("core", "Core", 7, subject="core"),
    Column("title", "Requirement", 26, subject="requirement"),
    Column("self_rating", "Program's rating", 16, subject="program's rating"),
    Column("evidence", "Program's evidence", 44, subject="program's evidence"),
    Column("rating", "Rating", 16, editable=True, required=True, subject="rating"),
    Column(
        "reason", "Reason for the consensus", 30, editable=True, subject="reason for the consensus"
    ),
    Column(
        "comment", "Comment for the program", 36, editable=True, required=True, subject="comment"
    ),
    Column(
        "note",
        "Internal note (panel only)",
        32,
        editable=True,
        required=True,
        subject="internal note",
    ),
    Column("strength", "Strength", 30, editable=True, required=True, subject="strength"),
)
"""The Review sheet. ``reason`` only in a consensus; its rater columns go before ``rating``."""

CORRECTION_COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", 24, required=True, subject="id"),
    Column("item", "Program number", 40, subject="program number"),
    Column("program_value", "Program's value", 16, subject="program's value"),
    Column("value", "Corrected value", 16, editable=True, required=True, subject="corrected value"),
    Column("reason", "Reason", 50, editable=True, required=True, subject="reason"),
)
"""The Corrections sheet: one row per program number of the standard."""

REVIEWER_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("reviewer", "Reviewer", "Your name and role, as the report should give it."),
    ("review_date", "Review date", "The date of your review (YYYY-MM-DD)."),
    ("status", "Status", "Draft while the program may still respond; Final once decided."),
    ("response_days", "Response window (days)", "Days the program has to respond to a draft."),
    ("decision_date", "Decision date", "For a final review: the date of the decision."),
)
"""The Reviewer sheet's rows: key (column A), label (B), value (C), guidance (D)."""

STATUS_LABELS = {"draft": "Draft", "final": "Final"}
DEFAULT_RESPONSE_DAYS = 30
"""The response window a new review workbook offers (IPS allows further evidence within weeks)."""

DIFFERING_CORRECTION = "Raters differ, type the consensus value"
"""How a consensus workbook's Corrections reason starts where the raters corrected differently."""
