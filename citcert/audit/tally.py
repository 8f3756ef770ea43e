"""
What each workbook of a batch contributes to the roll-up, and how it is folded in.

A workbook's audit contributes a `Contribution`: one roll-up row and each requirement's status,
never the whole `Assessment`.
`RollupCollector` folds contributions, in input order, into the rows and per-requirement
tallies of the `Rollup` the roll-up writers lay out. Pure: no file, no writer.

**Different standards are tallied apart.** A requirement, a domain and a decision level are
each keyed by the standard's id with their own: two standards may both have a POL-02 or a
domain SUS that mean different things, and a state analyst must never read one figure that
mixes them. Versions of one standard share its id, so they are tallied together.

**A program is counted once**, by the rule of `citcert.audit.counting`. The rows of a
program's other workbooks stay listed, each saying which row is counted instead.

Memory: a row per workbook, and each counted program's contribution (its requirements'
statuses) until the end, when the tallies are made from them; a program's earlier workbook is
let go as soon as a later one replaces it.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from citcert._text import one_line
from citcert._words import plural
from citcert.audit.assessment import Assessment, Status
from citcert.audit.calendar import (
    DUE_WITHIN_DAYS,
    PreviousRollup,
    calendar_sentence,
    due_reviews,
    rollup_change,
)
from citcert.audit.counting import Latest, ProgramKey, program_key, recency
from citcert.audit.rollup import (
    AuditedRow,
    DecisionCount,
    DomainColumn,
    FailedRow,
    RequirementTally,
    Rollup,
    RollupRow,
    RowProblem,
    mixes_standards,
)
from citcert.errors import CitcertError, Location, Problem
from citcert.standards.model import DomainId, LevelId, RequirementId

MAX_MESSAGES = 20
"""A failed workbook's row shows at most this many problems; the rest are counted."""


@dataclass(frozen=True, slots=True)
class RequirementStatus:
    """One requirement's outcome in one program, as the roll-up tallies it."""

    requirement_id: RequirementId
    title: str
    domain_id: DomainId
    core: bool
    status: Status
    gap: bool


def _program(row: AuditedRow) -> ProgramKey:
    return program_key(row.program, row.jurisdiction)


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one workbook adds to the roll-up: small, picklable, no `Assessment`."""

    row: RollupRow
    statuses: tuple[RequirementStatus, ...] = ()
    domains: tuple[tuple[DomainId, str], ...] = ()
    """(id, title) of each domain of the program's standard."""
    scores: tuple[tuple[DomainId, float], ...] = ()
    """(id, unrounded score) of each domain the program has a score in: the roll-up's
    statistics are worked out from these and rounded once, never from the rows' rounded ones."""
    levels: tuple[tuple[LevelId, str], ...] = ()
    """(id, label) of each decision level of the program's standard, best first."""
    below: bool = False
    bar: str = ""
    """The ``--fail-below`` level the program was judged by, as typed ('' when none was)."""
    unjudged: bool = False
    """True when ``--fail-below`` was given but names no level of the program's standard."""


def failed_row(name: str, error: CitcertError) -> FailedRow:
    """
    The row of a workbook that could not be audited: its error's located problems.

    With the headline and the count of the rest it shows at most `MAX_MESSAGES` lines. An
    error without located problems becomes one problem holding its text.
    """
    problems = [RowProblem.of(p) for p in error.problems]
    headline = error.headline if problems else None
    if not problems:
        text = error.headline or str(error) or type(error).__name__
        problems = [RowProblem.of(Problem(Location(), text))]
    room = MAX_MESSAGES - (headline is not None)
    more = 0
    if len(problems) > room:
        kept = room - 1
        problems, more = problems[:kept], len(problems) - kept
    return FailedRow(file=name, headline=headline, errors=tuple(problems), more_errors=more)


def failed(name: str, error: CitcertError) -> Contribution:
    """The contribution of a workbook that could not be audited: a row holding its errors."""
    return Contribution(row=failed_row(name, error))


def contribution(
    name: str, assessment: Assessment, *, below: bool, unjudged: bool = False, bar: str = ""
) -> Contribution:
    """What an audited workbook adds: its roll-up row and per-requirement statuses."""
    a = assessment
    gap_ids = {gap.requirement_id for gap in a.gaps}
    row = AuditedRow(
        file=name,
        program=a.profile.program_name,
        jurisdiction=a.profile.jurisdiction,
        standard=a.provenance.standard_ref,
        assessment_date=a.provenance.as_of,
        mode=a.provenance.mode,
        decision_id=a.decision.level_id,
        decision=a.decision.label,
        overall_score=a.overall_score,
        domain_scores={d.domain_id: d.score for d in a.domains},
        core_gaps=a.counts.core_gaps,
        other_gaps=a.counts.other_gaps,
        valid_until=a.dates.valid_until if a.dates else None,
        next_review_due=a.dates.next_review_due if a.dates else None,
    )
    statuses = tuple(
        RequirementStatus(
            r.requirement_id, r.title, r.domain_id, r.core, r.status, r.requirement_id in gap_ids
        )
        for r in a.results
    )
    return Contribution(
        row=row,
        statuses=statuses,
        domains=tuple((d.domain_id, d.title) for d in a.domains),
        scores=tuple(
            (d.domain_id, d.score if d.exact_score is None else d.exact_score)
            for d in a.domains
            if d.score is not None
        ),
        levels=tuple((lv.level_id, lv.label) for lv in a.decision.levels),
        below=below,
        bar=bar,
        unjudged=unjudged,
    )


_Keyed = tuple[str, DomainId]
"""A domain by its standard's id and its own."""


@dataclass
class _Tally:
    """A requirement's counts across programs (mutable while the run collects them)."""

    title: str
    domain_id: DomainId
    core: bool
    counts: dict[Status, int] = field(default_factory=dict)
    gaps: int = 0

    def add(self, status: RequirementStatus) -> None:
        self.counts[status.status] = self.counts.get(status.status, 0) + 1
        self.gaps += status.gap


@dataclass
class RollupCollector:
    """Folds contributions, in input order, into the rows and tallies a `Rollup` is made of."""

    rows: list[RollupRow] = field(default_factory=list)
    counted: Latest[tuple[int, Contribution]] = field(default_factory=Latest)
    """Each program's counted contribution so far, with the index of its row in `rows`."""
    domains: dict[_Keyed, str] = field(default_factory=dict)
    """The title of each domain seen, by (standard id, domain id), in the order seen."""
    levels: dict[tuple[str, LevelId, str], int] = field(default_factory=dict)
    """(standard id, level id, label) of each decision level seen, with its rank in its
    standard (0 = best)."""
    below: list[str] = field(default_factory=list)
    """Files whose program is below ``--fail-below``."""
    bars: dict[str, str] = field(default_factory=dict)
    """The level each file of `below` is below, as typed."""
    unjudged: list[str] = field(default_factory=list)
    """Files whose standard has none of the ``--fail-below`` levels: not judged by them."""

    def add(self, outcome: Contribution, reports: str) -> None:
        """Add one workbook's contribution; `reports` is the folder its reports went to."""
        row = outcome.row.model_copy(update={"reports": reports}) if reports else outcome.row
        self.rows.append(row)
        if outcome.below:
            self.below.append(row.file)
            self.bars[row.file] = outcome.bar
        if outcome.unjudged:
            self.unjudged.append(row.file)
        if isinstance(row, AuditedRow):
            standard = row.standard_id
            for domain_id, title in outcome.domains:
                self.domains.setdefault((standard, domain_id), title)
            for rank, (level_id, label) in enumerate(outcome.levels):
                self.levels.setdefault((standard, level_id, label), rank)
            index = len(self.rows) - 1
            latest = recency(row.assessment_date, row.mode, index)
            self.counted.offer(_program(row), latest, (index, outcome))

    @staticmethod
    def _standard(outcome: Contribution) -> str:
        row = outcome.row
        assert isinstance(row, AuditedRow)  # only audited rows are counted
        return row.standard_id

    def _audited(self, index: int) -> AuditedRow:
        row = self.rows[index]
        assert isinstance(row, AuditedRow)  # only audited rows are counted
        return row

    def rollup(
        self, *, as_of: dt.date | None = None, previous: PreviousRollup | None = None
    ) -> Rollup:
        """
        The finished roll-up; with `as_of`, its calendar of reviews due from that day, and with
        `previous`, each program's change since that roll-up.
        """
        rows = self._marked()
        audited = [r for r in rows if isinstance(r, AuditedRow)]
        counted = [r for r in audited if r.counted]
        mixed = mixes_standards(r.standard for r in audited)
        counts = {
            key: sum((r.standard_id, r.decision_id, r.decision) == key for r in counted)
            for key in self.levels
        }
        ordered = sorted(
            self.levels, key=lambda key: (key[0] if mixed else "", self.levels[key], key[2])
        )
        decisions = tuple(
            DecisionCount(standard_id=s, decision_id=i, label=label, programs=counts[(s, i, label)])
            for s, i, label in ordered
        )
        due = due_reviews(counted, as_of) if as_of else ()
        scores: dict[_Keyed, list[float]] = {}
        for _, outcome in self.counted:
            standard = self._standard(outcome)
            for domain_id, score in outcome.scores:
                scores.setdefault((standard, domain_id), []).append(score)
        domains = sorted(self.domains.items(), key=lambda item: item[0][0])  # stable: as seen
        return Rollup(
            as_of=as_of,
            due_within_days=DUE_WITHIN_DAYS,
            calendar=due,
            calendar_sentence=calendar_sentence(due, as_of, DUE_WITHIN_DAYS) if as_of else "",
            since=rollup_change(previous, counted, decisions) if previous else None,
            standards=tuple(sorted({r.standard for r in audited})),
            workbooks=len(rows),
            audited=len(audited),
            programs=len(counted),
            failed=len(rows) - len(audited),
            latest_assessment=max(
                (r.assessment_date for r in audited if r.assessment_date), default=None
            ),
            decisions=decisions,
            domains=tuple(
                DomainColumn(
                    standard_id=s, domain_id=i, title=t, median=_median(scores.get((s, i), ()))
                )
                for (s, i), t in domains
            ),
            rows=rows,
            requirements=self._requirements(),
            summary=_summary(len(rows), len(audited), decisions, len(counted), mixed=mixed)
            + _repeated(audited),
        )

    def _marked(self) -> tuple[RollupRow, ...]:
        """The rows, each not counted (another row of its program is) saying which is."""
        rows: list[RollupRow] = []
        for index, row in enumerate(self.rows):
            if isinstance(row, AuditedRow):
                chosen, _ = self.counted.get(_program(row))
                if chosen != index:
                    instead = self._audited(chosen)
                    update = {"counted": False, "not_counted": _not_counted(row, instead)}
                    row = row.model_copy(update=update)
            rows.append(row)
        return tuple(rows)

    def _requirements(self) -> tuple[RequirementTally, ...]:
        tallied: dict[tuple[str, RequirementId], _Tally] = {}
        for _, outcome in self.counted:
            standard = self._standard(outcome)
            for status in outcome.statuses:
                tally = tallied.setdefault(
                    (standard, status.requirement_id),
                    _Tally(status.title, status.domain_id, status.core),
                )
                tally.add(status)
        tallies = []
        for (standard, requirement_id), t in tallied.items():
            get = t.counts.get
            applicable = sum(t.counts.values()) - get(Status.NOT_APPLICABLE, 0)
            met = get(Status.MET, 0)
            tallies.append(
                RequirementTally(
                    standard_id=standard,
                    requirement_id=requirement_id,
                    title=t.title,
                    domain_id=t.domain_id,
                    core=t.core,
                    programs=sum(t.counts.values()),
                    applicable=applicable,
                    met=met,
                    partial=get(Status.PARTIAL, 0),
                    not_met=get(Status.NOT_MET, 0),
                    unanswered=get(Status.UNANSWERED, 0),
                    not_applicable=get(Status.NOT_APPLICABLE, 0),
                    gaps=t.gaps,
                    share_met=round(100 * met / applicable, 1) if applicable else None,
                )
            )
        return tuple(
            sorted(tallies, key=lambda t: (-t.gaps, not t.core, t.requirement_id, t.standard_id))
        )


def _median(scores: Sequence[float]) -> float | None:
    """The median of unrounded scores, rounded once to one decimal; ``None`` for none."""
    return round(statistics.median(scores), 1) if scores else None


def _summary(
    total: int,
    audited: int,
    decisions: Sequence[DecisionCount],
    programs: int,
    *,
    mixed: bool = False,
) -> str:
    """
    ``31 workbooks: 28 audited (10 Certified, 12 …); 3 could not be audited.``, with the
    programs counted after the audited workbooks when some program is in more than one
    (``6 workbooks: 6 audited, 5 programs (…).``). With more than one standard, each one's
    levels after its id: ``(cit-best-practice: 1 Meets the standard, …; cit-core-elements: …)``.
    """
    if mixed:
        groups: dict[str, list[str]] = {}
        for d in decisions:
            groups.setdefault(d.standard_id, []).append(f"{d.programs} {d.label}")
        parts = "; ".join(f"{s}: {', '.join(counts)}" for s, counts in groups.items())
    else:
        parts = ", ".join(f"{d.programs} {d.label}" for d in decisions)
    text = f"{plural(total, 'workbook')}: {audited} audited"
    text += f", {plural(programs, 'program')}" if programs != audited else ""
    text += f" ({parts})" if parts else ""
    failed = total - audited
    return f"{text}; {failed} could not be audited." if failed else f"{text}."


def _repeated(audited: Sequence[AuditedRow]) -> str:
    """
    `` Lakemont CIT is in 2 workbooks (a.xlsx, a self-assessment of 2026-01-05; b.xlsx, a
    review of 2026-03-01) and is counted once, by b.xlsx.``, for every program audited in more
    than one workbook, then the rule that picked the counted one; '' when there is none.
    """
    by_program: dict[ProgramKey, list[AuditedRow]] = {}
    for row in audited:
        by_program.setdefault(_program(row), []).append(row)
    sentences = []
    for rows in by_program.values():
        if len(rows) < 2:
            continue
        files = "; ".join(f"{one_line(row.file)}, {_kind(row)}" for row in rows)
        counted = next(row for row in rows if row.counted)
        sentences.append(
            f" {one_line(rows[0].program)} is in {len(rows)} workbooks ({files}) and is "
            f"counted once, by {one_line(counted.file)}."
        )
    if not sentences:
        return ""
    return "".join(sentences) + (
        " A program is counted by its latest assessment (on the same day, a review before a "
        "self-assessment, then the file later in the batch)."
    )


def _not_counted(row: AuditedRow, instead: AuditedRow) -> str:
    """Why `row` is not counted: `instead`, the same program's later assessment, is."""
    tie = (row.assessment_date, row.mode) == (instead.assessment_date, instead.mode)
    later = ", later in the batch," if tie else ""
    return (
        f"Not counted: this program's {_kind(instead, article=False)} "
        f"({one_line(instead.file)}){later} is counted instead."
    )


def _kind(row: AuditedRow, *, article: bool = True) -> str:
    """``a review of 2026-03-01``: the kind of assessment and its day, as far as they are known."""
    kind = row.mode.noun if row.mode else "assessment"
    if article:
        kind = f"a {kind}" if row.mode else "an assessment"
    return f"{kind} of {row.assessment_date.isoformat()}" if row.assessment_date else kind
