"""
The evidence workbook's shape: the one definition both the template writer and the reader use.

`citcert.workbook.template.sheets` builds a workbook from these constants and the sheet readers
(`citcert.workbook.program_sheet`, `evidence_sheet`, `documents_sheet`) find their way back through
them (rows by their ID column, columns by their header text), so the two cannot drift apart.
Changing the shape in a way an older reader cannot follow means raising `LAYOUT_VERSION`.

Sheets, in order: Instructions, Program (profile and program numbers), Evidence (one row per
requirement), Documents (an optional index) and a hidden, protected metadata sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from citcert.standards.names import is_percent_unit as is_percent_unit
from citcert.standards.names import spelling_key
from citcert.workbook.evidence import Mode

LAYOUT_VERSION = 2
"""
Raised whenever the reader could no longer follow an older shape, or the shape's meaning changed.

Version 2 took the reviewer's columns out of the program's workbook: reviewers work in their own
workbook (`citcert.workbook.review`). Version 1 workbooks still read: their Reviewer rating and
Reviewer comment columns are read as before, with a warning (see `LEGACY_REVIEW_COLUMNS`).
"""

INSTRUCTIONS_SHEET = "Instructions"
PROGRAM_SHEET = "Program"
EVIDENCE_SHEET = "Evidence"
DOCUMENTS_SHEET = "Documents"
EXCEPTIONS_SHEET = "Exceptions"
METADATA_SHEET = "citcert"

TITLE_ROW = 1
GUIDANCE_ROW = 2
HEADER_ROW = 3
"""Program, Evidence and Documents: a title, a line of guidance, then the column headers."""
FIRST_DATA_ROW = 4
HEADER_SEARCH_ROWS = 10
"""The reader looks for the header row within this many rows, so an inserted row is harmless."""

DOCUMENT_ROWS = 100
"""How many empty, unlocked rows the Documents sheet offers."""

# Limits on what the reader accepts, documented in the README ("The evidence workbook").
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
MAX_SHEETS = 50
MAX_ROWS = 5000
MAX_RECORD_ROWS = 20_000
"""A record sheet (a roster of a large agency's officers) may hold this many rows."""
MAX_COLUMNS = 100
MAX_CELL_CHARS = 32_767
"""Excel's own limit on the characters in one cell."""


class Meta(StrEnum):
    """Keys of the metadata sheet (column A: key, column B: value)."""

    STANDARD_REF = "standard_ref"
    STANDARD_SHA256 = "standard_sha256"
    LAYOUT_VERSION = "layout_version"
    MIGRATED_FROM = "migrated_from"


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table sheet: key, header text, width, and whether people type in it."""

    key: str
    header: str
    width: float
    editable: bool = False
    required: bool = False
    """The reader refuses a workbook whose header row lacks this column."""
    subject: str = ""
    """How messages name the column, e.g. ``self rating``."""


def _col(
    key: str, header: str, width: float, *, editable: bool = False, required: bool = False
) -> Column:
    return Column(key, header, width, editable, required, header.lower())


EVIDENCE_COLUMNS: tuple[Column, ...] = (
    _col("id", "ID", 10, required=True),
    _col("core", "Core", 7),
    _col("domain", "Domain", 14),
    _col("title", "Requirement", 22),
    _col("statement", "What the standard asks", 44),
    _col("evidence_expected", "Evidence expected", 28),
    _col("anchors", "How to rate", 36),
    _col("self_rating", "Self rating", 16, editable=True, required=True),
    _col("evidence_summary", "Evidence summary", 40, editable=True, required=True),
    _col("documents", "Document references", 28, editable=True, required=True),
    _col("metric", "Metric", 22),
    _col("metric_value", "Metric value", 12, editable=True, required=True),
    _col("notes", "Notes", 26, editable=True),
)
"""The Evidence sheet: the requirement (read only), then the columns the program fills in."""

LEGACY_REVIEW_COLUMNS: tuple[Column, ...] = (
    _col("reviewer_rating", "Reviewer rating", 16, editable=True),
    _col("reviewer_comment", "Reviewer comment", 32, editable=True),
)
"""
The reviewer's columns of a layout-1 workbook. Never written any more; read when present (with a
warning naming `citcert review start`, which carries them into a reviewer's workbook).
"""

READ_EVIDENCE_COLUMNS: tuple[Column, ...] = (*EVIDENCE_COLUMNS, *LEGACY_REVIEW_COLUMNS)
"""Every Evidence column the reader looks for, today's and layout 1's."""

PROGRAM_COLUMNS: tuple[Column, ...] = (
    _col("id", "ID", 24, required=True),
    _col("item", "Item", 40),
    _col("value", "Value", 34, editable=True, required=True),
    _col("unit", "Unit", 14),
    _col("guidance", "Guidance", 60),
)
"""The Program sheet: one row per profile field, then one per program number."""

DOCUMENT_COLUMNS: tuple[Column, ...] = (
    _col("name", "Document name", 40, editable=True, required=True),
    _col("date", "Date", 14, editable=True, required=True),
    _col("description", "Description", 50, editable=True, required=True),
    _col("link", "Link or location", 50, editable=True, required=True),
)
"""The Documents sheet: an optional index of supporting documents."""

EXCEPTION_COLUMNS: tuple[Column, ...] = (
    _col("requirement_id", "Requirement ID", 16, editable=True, required=True),
    _col("justification", "Justification", 50, editable=True, required=True),
    _col("approved_by", "Approved by", 28, editable=True, required=True),
    _col("approved_on", "Approved on", 14, editable=True, required=True),
    _col("expires_on", "Expires on", 14, editable=True, required=True),
)
"""The Exceptions sheet: optional approved exceptions, one requirement per row."""

EXCEPTION_ROWS = 30
"""How many empty, unlocked rows the Exceptions sheet offers."""


class FieldKind(StrEnum):
    """The kind of value a profile field holds."""

    TEXT = "text"
    WHOLE = "whole"
    DATE = "date"
    MODE = "mode"


@dataclass(frozen=True, slots=True)
class ProfileField:
    """One row of the program profile on the Program sheet."""

    key: str
    """The `ProgramProfile` field it fills, shown in the ID column."""
    label: str
    kind: FieldKind
    required: bool
    guidance: str


PROFILE_FIELDS: tuple[ProfileField, ...] = (
    ProfileField(
        "program_name", "Program name", FieldKind.TEXT, True, "As it should appear on the report."
    ),
    ProfileField(
        "jurisdiction", "Jurisdiction", FieldKind.TEXT, True, "City, county or region served."
    ),
    ProfileField("state", "State", FieldKind.TEXT, True, "State or province, e.g. OH."),
    ProfileField(
        "agencies",
        "Agencies covered",
        FieldKind.TEXT,
        True,
        "The law enforcement agencies in the program.",
    ),
    ProfileField("coordinator", "CIT coordinator", FieldKind.TEXT, True, "Name and role."),
    ProfileField(
        "contact", "Contact", FieldKind.TEXT, True, "E-mail or telephone of the coordinator."
    ),
    ProfileField(
        "population_served",
        "Population served",
        FieldKind.WHOLE,
        False,
        "Residents of the area served.",
    ),
    ProfileField(
        "assessment_type",
        "Assessment type",
        FieldKind.MODE,
        True,
        "Self-assessment (the program rates itself) or Review (a reviewer rates it).",
    ),
    ProfileField(
        "assessment_date", "Assessment date", FieldKind.DATE, True, "The date the ratings describe."
    ),
    ProfileField(
        "reviewer", "Reviewer", FieldKind.TEXT, False, "Name of the reviewer (needed for a Review)."
    ),
)

NUMBERS_HEADING = "Program numbers"
"""The heading row between the profile and the program numbers on the Program sheet."""

MODE_LABELS: dict[Mode, str] = {Mode.SELF: "Self-assessment", Mode.REVIEW: "Review"}
"""What the Assessment type drop-down offers."""

MODE_ALIASES: dict[str, Mode] = {
    "self": Mode.SELF,
    "self assessment": Mode.SELF,
    "selfassessment": Mode.SELF,
    "review": Mode.REVIEW,
    "reviewer": Mode.REVIEW,
    "peer review": Mode.REVIEW,
    "external review": Mode.REVIEW,
}
"""Other spellings of the assessment type, keyed by `normalise_header`-style text."""


def normalise_header(text: object) -> str:
    """
    A header or key as the reader compares it: lower case, spaces and dashes collapsed (the
    rule a standard's names are checked by, `citcert.standards.names.spelling_key`).
    """
    return spelling_key(text)


def column_letter(columns: tuple[Column, ...], key: str) -> str:
    """The template's column letter of `key` in a table (A for the first column)."""
    for index, column in enumerate(columns):
        if column.key == key:
            return _letter(index + 1)
    raise KeyError(key)


def _letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(column: int, row: int) -> str:
    """An A1-style cell name from 1-based column and row numbers."""
    return f"{_letter(column)}{row}"


def is_record_sheet(sheet: str) -> bool:
    """True when `sheet` is one of the record sheets (a roster or a log)."""
    from citcert.standards.records import RECORD_SHEETS

    return sheet.casefold() in {s.title.casefold() for s in RECORD_SHEETS.values()}


def row_limit(sheet: str) -> int:
    """How many rows the reader copies from `sheet`: more for a record sheet."""
    return MAX_RECORD_ROWS if is_record_sheet(sheet) else MAX_ROWS
