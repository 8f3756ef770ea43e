"""
What a workbook says, as validated, frozen models.

The workbook reader returns an `Evidence`; after that point nothing sees an openpyxl cell.
"Not applicable" and "unanswered" are explicit answer variants, not ``None``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Annotated, Literal, Protocol, TypeVar, assert_never

from pydantic import Field

from citcert.standards.model import Model, RatingScale, RequirementId, RequirementIdField


class Mode(StrEnum):
    """Whose ratings count: the program's own (self-assessment) or a reviewer's (review)."""

    SELF = "self"
    REVIEW = "review"

    @property
    def noun(self) -> str:
        """What such an assessment is called in a sentence: ``self-assessment``, ``review``."""
        return "self-assessment" if self is Mode.SELF else "review"


class Rated(Model):
    """An answer at one level of the standard's scale."""

    kind: Literal["rated"] = "rated"
    level: str
    """The level id, e.g. ``met``."""


class NotApplicableAnswer(Model):
    """An answer of not applicable, with the reason given (empty when none was)."""

    kind: Literal["not_applicable"] = "not_applicable"
    reason: str = ""


class Unanswered(Model):
    """No answer in the cell."""

    kind: Literal["unanswered"] = "unanswered"


Answer = Annotated[Rated | NotApplicableAnswer | Unanswered, Field(discriminator="kind")]


def answer_label(scale: RatingScale, answer: Answer, unanswered: str) -> str:
    """
    An answer in the words of `scale`: its level's label, the not-applicable label, or
    `unanswered` (each caller says what a blank is called where it shows: a report, a panel's
    view, a workbook cell to type back).
    """
    match answer:
        case Rated(level=level):
            return scale.level(level).label
        case NotApplicableAnswer():
            return scale.not_applicable_label
        case Unanswered():
            return unanswered
        case _:
            assert_never(answer)


class CellRef(Model):
    """Where a value came from in the workbook, so reports can send people back to it."""

    sheet: str
    cell: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}"


class RequirementEvidence(Model):
    """Everything a workbook says about one requirement."""

    requirement_id: RequirementIdField
    self_rating: Answer = Unanswered()
    evidence_summary: str = ""
    documents: tuple[str, ...] = ()
    metric_value: float | None = None
    reviewer_rating: Answer = Unanswered()
    reviewer_comment: str = ""
    notes: str = ""
    """Free notes, including answers carried over by `citcert migrate` that had no home."""
    row: CellRef | None = None
    """The self-rating cell of the requirement's row."""


class ProgramProfile(Model):
    """Who the program is and what kind of assessment the workbook records."""

    program_name: str
    jurisdiction: str
    state: str
    agencies: str
    coordinator: str
    contact: str
    population_served: Annotated[int, Field(ge=0)] | None = None
    assessment_type: Mode
    assessment_date: dt.date
    reviewer: str = ""


class Document(Model):
    """One entry of the optional document index."""

    name: str
    date: dt.date | None = None
    description: str = ""
    link: str = ""


class Waiver(Model):
    """
    One approved exception to a requirement: why, who approved it, when, and until when.

    The same record serves every workbook that may carry exceptions (the evidence workbook's
    Exceptions sheet now, a reviewer's workbook later); `row` says where it was read.
    """

    requirement_id: RequirementIdField
    justification: str
    approved_by: str
    approved_on: dt.date
    expires_on: dt.date
    row: CellRef | None = None
    """The requirement-id cell of the exception's row."""

    @property
    def days(self) -> int:
        """How many days the exception runs, from its approval to its expiry."""
        return (self.expires_on - self.approved_on).days

    def expired(self, as_of: dt.date) -> bool:
        """True once the as-of date is past the expiry date (it holds on the expiry day)."""
        return as_of > self.expires_on


NumberValue = int | float | dt.date | str
"""A program number's value; a ``choice`` number holds the id of the choice."""

RecordValue = str | bool | int | float | dt.date | None
"""One cell of a record sheet as read: text, Yes/No, a number or a date; None when empty."""
RecordRow = dict[str, RecordValue]
"""One row of a record sheet, by column id (`citcert.standards.records`)."""


class _ForRequirement(Protocol):
    """A row about one requirement (an evidence row, a review's row)."""

    @property
    def requirement_id(self) -> RequirementId: ...


_Row = TypeVar("_Row", bound=_ForRequirement)


def row_for(
    requirement_id: RequirementId, rows: Iterable[_Row], empty: Callable[..., _Row]
) -> _Row:
    """The row of `rows` for `requirement_id`, or ``empty(requirement_id=…)`` when none is."""
    for row in rows:
        if row.requirement_id == requirement_id:
            return row
    return empty(requirement_id=requirement_id)


class Evidence(Model):
    """A whole workbook, read and validated."""

    standard_ref: str
    """The ``id@version`` the workbook was generated for."""
    standard_sha256: str
    layout_version: int
    file_name: str
    """The workbook's file name (no folders: reports must not leak paths)."""
    workbook_sha256: str
    profile: ProgramProfile
    numbers: dict[str, NumberValue | None]
    """The program numbers by id; ``None`` where the cell was left empty."""
    corrected: frozenset[str] = frozenset()
    """The numbers a reviewer corrected: they stand, even over a figure the records give."""
    requirements: tuple[RequirementEvidence, ...]
    """In the standard's order, one per requirement the workbook lists."""
    documents: tuple[Document, ...] = ()
    records: dict[str, tuple[RecordRow, ...]] = Field(default_factory=dict)
    """The filled rows of each record sheet, by sheet id; never shown, only computed on."""
    exceptions: tuple[Waiver, ...] = ()
    """The approved exceptions of the optional Exceptions sheet, in sheet order."""
    warnings: tuple[str, ...] = ()
    """Things the reader noticed that do not stop an audit (e.g. unanswered requirements)."""

    def for_requirement(self, requirement_id: RequirementId) -> RequirementEvidence:
        """The evidence row of a requirement, or an empty one when the workbook has none."""
        return row_for(requirement_id, self.requirements, RequirementEvidence)


# ── the remediation tracker read back (`citcert.workbook.tracker`) ──────────────────────────

TRACKER_SHEET = "citcert tracker"
"""
The tracker's hidden metadata sheet. Not the evidence workbook's ``citcert`` sheet, so that an
evidence command given a tracker still says it is not an evidence workbook.
"""
TRACKER_KIND = "remediation_tracker"
"""The ``kind`` the tracker's metadata sheet records, so no other workbook passes for one."""
EARLIER_SHEET = "Earlier steps"
"""
The tracker's sheet of steps from earlier plans that this plan no longer has (typically their
gap closed), kept with the progress the program typed on them when a re-audit replaced the
tracker they were in.
"""


class TrackerMeta(StrEnum):
    """Keys of the tracker's hidden metadata sheet (column A: key, column B: value)."""

    KIND = "kind"
    PROGRAM_NAME = "program_name"
    STANDARD_REF = "standard_ref"
    STANDARD_SHA256 = "standard_sha256"
    WORKBOOK_SHA256 = "workbook_sha256"
    AS_OF = "as_of"
    DECISION = "decision_level"


class StepStatus(StrEnum):
    """Where a plan step stands, as the tracker's Status column says."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class TrackedStep(Model):
    """One plan step as the tracker holds it now."""

    order: int
    requirement_id: RequirementId
    title: str = ""
    owner: str = ""
    target_date: dt.date
    score_gain: float = 0.0
    lifts_decision_to: str = ""
    status: StepStatus
    notes: str = ""
    completed_on: dt.date | None = None
    row: CellRef
    requirement_cell: CellRef | None = None
    """The cell holding the requirement id (None in a tracker built in code)."""
    gain_cell: CellRef | None = None
    """The cell holding the points gained (None without that column, or built in code)."""


class EarlierStep(Model):
    """A step of an earlier plan that this plan no longer has, and the progress typed on it."""

    order: int | None = None
    """Its number in that plan (None when the cell was left blank)."""
    requirement_id: RequirementId
    title: str = ""
    owner: str = ""
    """Who had it in that plan, as the tracker held it then ('' in a tracker before owners)."""
    target_date: dt.date | None = None
    """When it was due in that plan (None when the cell was left blank)."""
    status: StepStatus
    notes: str = ""
    completed_on: dt.date | None = None
    planned_on: dt.date | None = None
    """The as-of date of the audit whose plan held it (None when the cell was left blank)."""


class Tracker(Model):
    """A remediation tracker read back: whose it is, and its steps in plan order."""

    file_name: str
    program_name: str
    standard_ref: str
    standard_sha256: str
    workbook_sha256: str
    """The evidence workbook the audit that wrote this tracker read."""
    as_of: dt.date
    """The as-of date of that audit."""
    decision_level: str
    steps: tuple[TrackedStep, ...]
    earlier: tuple[EarlierStep, ...] = ()
    """The rows of its Earlier steps sheet, in sheet order (none without that sheet)."""
    meta_cells: dict[str, CellRef] = Field(default_factory=dict)
    """Where each value of the hidden metadata sheet is, by its key (program_name …)."""
