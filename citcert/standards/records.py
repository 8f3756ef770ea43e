"""
The record sheets a standard may ask for: rosters and logs a program keeps anyway.

A standard names which of these sheets its evidence workbook carries (``records:``) and which
program numbers are computed from them (``from_records:`` on a number). The sheets and their
columns are fixed here, one definition that the standard's checks, the template writer and the
workbook reader all use, so a column a computation names always exists and is always read the
same way. Record rows never reach a report: only what is computed from them does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class ColumnKind(StrEnum):
    """What a record column holds."""

    TEXT = "text"
    DATE = "date"
    NUMBER = "number"
    CHOICE = "choice"
    YES_NO = "yes_no"


@dataclass(frozen=True, slots=True)
class RecordColumn:
    """One column of a record sheet."""

    id: str
    header: str
    kind: ColumnKind
    help: str
    choices: tuple[str, ...] = ()
    """For a choice column, the values a cell may hold (matched without regard to case)."""
    required: bool = False
    """A filled row must give this column."""
    identifier: bool = False
    """An identifier (a badge or staff number, never a name): read, never shown or computed on."""
    whole: bool = False
    """For a number column: a count, so a whole number of 0 or more (else any number, 0 or more)."""
    not_more_than: str | None = None
    """For a number column: the id of the column of the same row it is a part of, and may not
    exceed (each outcome of a quarter's CIT calls is at most its calls)."""
    width: float = 16


@dataclass(frozen=True, slots=True)
class RecordSheet:
    """One record sheet: its id in the standard, its sheet name, and its columns."""

    id: str
    title: str
    purpose: str
    columns: tuple[RecordColumn, ...]

    def __post_init__(self) -> None:
        """A count or a part is a number column, and a part names a number column of this sheet."""
        kinds = {column.id: column.kind for column in self.columns}
        for column in self.columns:
            numeric = column.whole or column.not_more_than is not None
            if numeric and column.kind is not ColumnKind.NUMBER:
                raise ValueError(f"{self.id}.{column.id}: only a number column is whole or a part")
            if column.not_more_than is not None and (
                kinds.get(column.not_more_than) is not ColumnKind.NUMBER
                or column.not_more_than == column.id
            ):
                raise ValueError(
                    f"{self.id}.{column.id}: not_more_than names no other number column"
                )

    def column(self, column_id: str) -> RecordColumn:
        """The column `column_id` (raises `KeyError` when the sheet has none)."""
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(column_id)


YES, NO = "Yes", "No"
PATROL, OTHER = "Patrol", "Other"
CALLS = "cit_calls"
"""The Quarterly data column each outcome of a quarter's calls is a part of."""

_SECTORS = (
    ("law_enforcement", "Law enforcement"),
    ("mental_health", "Mental health"),
    ("lived_experience", "People with lived experience"),
    ("family", "Family members"),
    ("advocacy", "Advocacy"),
)


def _sector(column_id: str, header: str, verb: str) -> RecordColumn:
    return RecordColumn(column_id, header, ColumnKind.YES_NO, f"{verb} (Yes or No).", width=14)


def _shift(help: str) -> RecordColumn:
    return RecordColumn("shift", "Shift", ColumnKind.TEXT, help)


def _training(column_id: str, header: str, help: str) -> RecordColumn:
    return RecordColumn(column_id, header, ColumnKind.DATE, help, width=18)


def _count(
    column_id: str, header: str, help: str, *, part_of: str | None = None, width: float = 16
) -> RecordColumn:
    """A number column counting something: whole, 0 or more, and at most `part_of` if given."""
    return RecordColumn(
        column_id,
        header,
        ColumnKind.NUMBER,
        help,
        whole=True,
        not_more_than=part_of,
        width=width,
    )


RECORD_SHEETS: Mapping[str, RecordSheet] = MappingProxyType(
    {
        sheet.id: sheet
        for sheet in (
            RecordSheet(
                "officers",
                "Officers",
                "One row per sworn officer of the program's agencies: an identifier such as a "
                "badge number (never a name), the assignment, the shift, and CIT training dates.",
                (
                    RecordColumn(
                        "officer_id",
                        "Officer ID",
                        ColumnKind.TEXT,
                        "A badge or staff number. Never a name.",
                        required=True,
                        identifier=True,
                    ),
                    RecordColumn(
                        "assignment",
                        "Assignment",
                        ColumnKind.CHOICE,
                        "Patrol (answers calls for service) or Other.",
                        choices=(PATROL, OTHER),
                        required=True,
                    ),
                    _shift("The shift or squad, e.g. A."),
                    _training(
                        "course_date",
                        "CIT course completed",
                        "Last day of the 40-hour CIT course; empty if not trained.",
                    ),
                    _training(
                        "last_inservice",
                        "Last in-service",
                        "Date of the officer's latest CIT in-service training.",
                    ),
                ),
            ),
            RecordSheet(
                "dispatchers",
                "Dispatchers",
                "One row per call-taker or dispatcher: an identifier (never a name), the shift "
                "and the date of CIT dispatch training.",
                (
                    RecordColumn(
                        "person_id",
                        "Staff ID",
                        ColumnKind.TEXT,
                        "A staff number. Never a name.",
                        required=True,
                        identifier=True,
                    ),
                    _shift("The shift, e.g. Night."),
                    _training(
                        "course_date",
                        "CIT dispatch course",
                        "Date of CIT dispatch training; empty if not trained.",
                    ),
                ),
            ),
            RecordSheet(
                "classes",
                "Classes",
                "One row per CIT class held: dates, course, hours, how many were trained, and "
                "which partners taught.",
                (
                    RecordColumn(
                        "start_date", "First day", ColumnKind.DATE, "First day.", required=True
                    ),
                    RecordColumn("end_date", "Last day", ColumnKind.DATE, "Last day of the class."),
                    RecordColumn(
                        "course",
                        "Course",
                        ColumnKind.CHOICE,
                        "Basic (40-hour), In-service, Dispatcher or Other.",
                        choices=("Basic", "In-service", "Dispatcher", "Other"),
                        required=True,
                    ),
                    RecordColumn("hours", "Hours", ColumnKind.NUMBER, "Hours of instruction."),
                    _count("trained", "Trained", "People who completed."),
                    *(_sector(i, h, f"{h} taught") for i, h in _SECTORS[:4]),
                ),
            ),
            RecordSheet(
                "meetings",
                "Meetings",
                "One row per steering committee meeting: its date and which sectors were present.",
                (
                    RecordColumn(
                        "date", "Date", ColumnKind.DATE, "Date of the meeting.", required=True
                    ),
                    *(_sector(i, h, f"{h} present") for i, h in _SECTORS),
                    RecordColumn(
                        "minutes",
                        "Minutes",
                        ColumnKind.YES_NO,
                        "Minutes were kept (Yes or No).",
                        width=12,
                    ),
                ),
            ),
            RecordSheet(
                "quarterly",
                "Quarterly data",
                "One row per quarter: the CIT calls, their outcomes, injuries, use of force, and "
                "when the quarter's report went to the steering committee.",
                (
                    RecordColumn(
                        "quarter_end",
                        "Quarter ending",
                        ColumnKind.DATE,
                        "Last day of the quarter, e.g. 2025-03-31.",
                        required=True,
                    ),
                    _count("cit_calls", "CIT calls", "Calls handled."),
                    # NOTE: each outcome counts some of the quarter's calls, so is at most them;
                    # injuries and uses of force count events, several of which one call can have
                    _count("resolved", "Resolved on scene", "Resolved on scene.", part_of=CALLS),
                    _count(
                        "treatment",
                        "Referred or taken to treatment",
                        "Referred or transported to treatment.",
                        part_of=CALLS,
                        width=20,
                    ),
                    _count("arrested", "Arrested", "Arrests.", part_of=CALLS),
                    _count(
                        "person_injuries",
                        "Injuries to the person",
                        "Injuries to the person in crisis.",
                    ),
                    _count("officer_injuries", "Injuries to officers", "Injuries."),
                    _count("use_of_force", "Use of force", "Uses of force."),
                    RecordColumn(
                        "report_sent",
                        "Report to committee on",
                        ColumnKind.DATE,
                        "Date the quarter's data report went to the steering committee.",
                        width=20,
                    ),
                ),
            ),
        )
    }
)
"""Every record sheet a standard may ask for, by id."""
