"""
The state-wide roll-up of a batch run, as a model: what every roll-up file shows.

`Rollup` is to the roll-up what `Assessment` is to one program's report: every number and
sentence a roll-up file shows is a field of it. `citcert.audit.tally` folds it together from
what each workbook's audit contributed; the writers in `citcert.export.rollup` and the
dashboard (`citcert.export.html`) only lay it out. It holds one row per workbook (audited or
not) and, per requirement, how many programs meet it, the state's most common gaps first.

A program in more than one workbook (its self-assessment and its review, say) is counted once,
by its latest assessment (`citcert.audit.tally`): its other rows stay listed, each saying which
row is counted instead, and every count, median, tally, calendar entry and change since the
previous roll-up is worked out from the counted rows only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import Field

from citcert.errors import Location, Problem
from citcert.standards.identity import StandardRef
from citcert.standards.model import DomainId, LevelId, Model, RequirementId
from citcert.workbook.evidence import Mode

SCHEMA_VERSION: Literal["2.3"] = "2.3"
"""
2.0: a failed row's errors are located fields (`RowProblem`) and its missing values null.
2.1: each row's valid-until and next-review dates, the calendar of reviews due, and the change
since a previous roll-up (``batch --since``); a 2.0 file still reads as a previous roll-up.
2.2: a program in more than one workbook is counted once: each audited row says whether it is
`counted` (with `not_counted`, why not), and `programs` is how many are counted.
2.3: different standards are tallied apart: each requirement tally, domain column and decision
count carries the `standard_id` it belongs to, and is one standard's (versions of one standard,
sharing its id, are tallied together as before).
"""


def standard_id(ref: str) -> str:
    """
    The id of the standard an ``id@version`` names: what every version of it shares.

    The roll-up tallies apart what different standards hold (two standards may both have a
    POL-02 or a domain SUS that mean different things) and together what versions of one do.
    """
    return StandardRef.parse(ref).id


def mixes_standards(refs: Iterable[str]) -> bool:
    """True when the ``id@version`` references name more than one standard (by id)."""
    return len({standard_id(ref) for ref in refs}) > 1


class RowProblem(Model):
    """One located reason a workbook could not be audited: where it is and what is wrong."""

    file: str | None
    """The file the problem is in (the workbook's name, or a standard or overlay file)."""
    sheet: str | None
    cell: str | None
    line: int | None
    """For a YAML file: the 1-based line (and column) of the problem."""
    column: int | None
    subject: str | None
    """What the place holds, e.g. ``TRN-01, self rating``."""
    message: str

    @classmethod
    def of(cls, problem: Problem) -> RowProblem:
        """The roll-up's copy of a located `Problem`."""
        return cls(**problem.fields())

    def __str__(self) -> str:
        where = Location(self.file, self.line, self.column, self.sheet, self.cell)
        return str(Problem(where, self.message, self.subject))


class AuditedRow(Model):
    """One workbook of the batch that was audited: its program's results."""

    audited: Literal[True] = True
    file: str
    """The workbook's path relative to the folder the batch's arguments search."""
    program: str
    jurisdiction: str
    standard: str
    """The ``id@version`` it was audited against."""
    assessment_date: dt.date | None
    mode: Mode | None = None
    """Whose ratings were scored: the program's own (``self``) or a reviewer's (``review``);
    ``None`` only in a roll-up written before citcert recorded it."""
    decision_id: LevelId
    decision: str
    """The decision's label, e.g. ``Conditionally certified``."""
    overall_score: float | None
    domain_scores: dict[DomainId, float | None]
    """By domain id; ``None`` where every requirement of the domain was not applicable."""
    core_gaps: int
    other_gaps: int
    valid_until: dt.date | None = None
    """When the decision stops being valid (None when the standard sets no term)."""
    next_review_due: dt.date | None = None
    reports: str = ""
    """The folder (under the output folder) holding the program's reports."""
    counted: bool = True
    """False when another workbook of the same program (a later assessment) is counted instead."""
    not_counted: str = ""
    """Why the row is not counted, e.g. ``Not counted: this program's review of 2026-03-01
    (county-review.xlsx) is counted instead.``; '' for a counted row."""
    headline: None = None
    errors: tuple[()] = ()
    more_errors: Literal[0] = 0

    @property
    def messages(self) -> tuple[str, ...]:
        """An audited row has no problem to show."""
        return ()

    @property
    def standard_id(self) -> str:
        """The id of the standard it was audited against, without the version."""
        return standard_id(self.standard)


class FailedRow(Model):
    """
    One workbook of the batch that could not be audited, and why.

    It has the same keys as an audited row, so a script can read every row alike; each value
    only an audit gives is ``None`` (``null`` in ``summary.json``).
    """

    audited: Literal[False] = False
    file: str
    """The workbook's path relative to the folder the batch's arguments search."""
    program: None = None
    jurisdiction: None = None
    standard: None = None
    assessment_date: None = None
    mode: None = None
    decision_id: None = None
    decision: None = None
    overall_score: None = None
    domain_scores: None = None
    core_gaps: None = None
    other_gaps: None = None
    valid_until: None = None
    next_review_due: None = None
    reports: None = None
    counted: None = None
    not_counted: None = None
    headline: str | None = None
    """The error's first line when it has one, e.g. ``program.xlsx has 3 problems:``."""
    errors: tuple[RowProblem, ...]
    """Why it could not be audited, one located problem each; with the headline and the count
    of the rest, a row shows at most 20 lines (`citcert.audit.tally.MAX_MESSAGES`)."""
    more_errors: int = 0
    """How many further problems there were beyond those listed in `errors`."""

    @property
    def standard_id(self) -> None:
        """A workbook that could not be audited has no standard's figures."""
        return None

    @property
    def messages(self) -> tuple[str, ...]:
        """The problems as the CSV, XLSX, PDF and HTML roll-ups show them, one line each."""
        lines = [self.headline] if self.headline else []
        lines += [str(problem) for problem in self.errors]
        if self.more_errors:
            lines.append(f"… and {self.more_errors} more problems")
        return tuple(lines)


RollupRow = Annotated[AuditedRow | FailedRow, Field(discriminator="audited")]
"""One workbook of the batch: its program's results, or why it could not be audited."""


class RequirementTally(Model):
    """How the programs of the batch fared on one requirement of one standard."""

    standard_id: str
    """The standard the requirement is of (any version of it): a requirement of another
    standard with the same id has a tally of its own."""
    requirement_id: RequirementId
    title: str
    domain_id: DomainId
    core: bool
    programs: int
    """Counted programs whose standard (this one, in any version) has this requirement."""
    applicable: int
    met: int
    partial: int
    not_met: int
    unanswered: int
    not_applicable: int
    gaps: int
    """Programs for which it is a gap (applicable and not fully met)."""
    share_met: float | None
    """Percent of the programs it applies to that meet it, one decimal; ``None`` if none."""


class DecisionCount(Model):
    """How many programs reached one decision level of one standard."""

    standard_id: str
    """The standard whose level it is (any version of it)."""
    decision_id: LevelId
    label: str
    programs: int


class DomainColumn(Model):
    """A domain of one standard that has a score column in the roll-up."""

    standard_id: str
    """The standard the domain is of (any version of it): only programs audited against it
    have a score in this column, whatever another standard's domain of the same id holds."""
    domain_id: DomainId
    title: str
    median: float | None = None
    """The median of the programs' scores in the domain, worked out from their unrounded
    scores and rounded once to one decimal; ``None`` when no program has a score in it."""

    def score_of(self, row: AuditedRow | FailedRow) -> float | None:
        """`row`'s score in this column: ``None`` unless it was audited against its standard."""
        if not isinstance(row, AuditedRow) or row.standard_id != self.standard_id:
            return None
        return row.domain_scores.get(self.domain_id)


class DueReview(Model):
    """A program whose next review is overdue or due soon, as of the roll-up's day."""

    file: str
    program: str
    next_review_due: dt.date
    valid_until: dt.date | None
    overdue: bool
    """True when the review date, or the end of validity, is before the as-of day."""
    days: int
    """Days from the as-of day to the review date: negative when it is overdue."""
    reports: str = ""


class ProgramChange(Model):
    """One program's decision and overall score in the previous roll-up and in this one."""

    program: str
    file: str
    """This roll-up's file; the previous one's for a program no longer in the batch."""
    old_decision: str | None
    new_decision: str | None
    old_score: float | None
    new_score: float | None
    change: float | None
    """New minus old overall score, one decimal; None unless both were audited."""
    direction: Literal["up", "down", "same", "new", "gone", "changed"]
    """By the decision's rank among the levels; ``changed`` when the two cannot be ranked."""


class DecisionTrend(Model):
    """How many programs reached one decision level then and now."""

    standard_id: str = ""
    """The standard whose level it is ('' when the previous roll-up did not say and this one
    does not have the level)."""
    decision_id: LevelId
    label: str
    then: int
    now: int


class RollupChange(Model):
    """What changed since the previous roll-up (``batch --since``)."""

    previous_latest_assessment: dt.date | None
    programs: tuple[ProgramChange, ...]
    """Every program of either roll-up: this one's order, then those no longer in it."""
    decisions: tuple[DecisionTrend, ...]
    """The state's trend: programs per decision level then and now, best first."""
    sentence: str


class Rollup(Model):
    """
    The state-wide picture of one batch run.

    Its figures are each of one standard: versions of a standard (one id) are tallied together,
    different standards apart (`mixed`), so no count, median or column mixes two of them.
    """

    schema_version: Literal["2.3"] = SCHEMA_VERSION
    standards: tuple[str, ...]
    """Every ``id@version`` a workbook was audited against, sorted."""
    workbooks: int
    audited: int
    programs: int
    """The programs counted: the audited workbooks, each program in more than one counted once."""
    failed: int
    latest_assessment: dt.date | None
    """The newest assessment date among the audited workbooks."""
    decisions: tuple[DecisionCount, ...]
    """Best decision first, zero counts included."""
    domains: tuple[DomainColumn, ...]
    rows: tuple[RollupRow, ...]
    """In the batch's stable order (by file path)."""
    requirements: tuple[RequirementTally, ...]
    """Most common gaps first; core before other requirements at equal counts; then by id."""
    summary: str
    """One plain sentence, e.g. ``31 workbooks: 28 audited (10 Certified, …); 3 could not be …``,
    then, for each program audited in more than one workbook (a self-assessment and a review,
    say), one naming its workbooks and the one counted."""
    report_suffixes: tuple[str, ...] = ()
    """The suffixes of the reports in each program's folder, e.g. ``("html", "pdf")``, sorted."""
    as_of: dt.date | None = None
    """The day the calendar counts from (``batch --as-of``, else the day of the run)."""
    due_within_days: int = 90
    calendar: tuple[DueReview, ...] = ()
    """Programs whose review is overdue or due within `due_within_days`, soonest first."""
    calendar_sentence: str = ""
    since: RollupChange | None = None
    """With ``batch --since``: each program's change and the state's trend."""

    @property
    def mixed(self) -> bool:
        """
        True when workbooks of more than one standard (by id) were audited: the roll-up files
        then name the standard beside each requirement, domain and decision level.
        """
        return mixes_standards(self.standards)
