"""
The state-wide roll-up of a batch run, as a model: what every roll-up file shows.

`Rollup` is to the roll-up what `Assessment` is to one program's report: every number and
sentence a roll-up file shows is a field of it. `citcert.audit.tally` folds it together from
what each workbook's audit contributed; the writers in `citcert.export.rollup` and the
dashboard (`citcert.export.html`) only lay it out. It holds one row per workbook (audited or
not) and, per requirement, how many programs meet it, the state's most common gaps first.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from citcert.audit.assessment import SCHEMA_VERSION, SchemaVersion
from citcert.standards.model import Model


class RollupRow(Model):
    """One workbook of the batch: its program's results, or why it could not be audited."""

    file: str
    """The workbook's path relative to the folder all the batch's workbooks share."""
    program: str = ""
    jurisdiction: str = ""
    standard: str = ""
    """The ``id@version`` it was audited against."""
    assessment_date: dt.date | None = None
    decision_id: str = ""
    decision: str = ""
    """The decision's label, e.g. ``Conditionally certified``."""
    overall_score: float | None = None
    domain_scores: dict[str, float | None] = Field(default_factory=dict)
    """By domain id; ``None`` where every requirement of the domain was not applicable."""
    core_gaps: int | None = None
    other_gaps: int | None = None
    reports: str = ""
    """The folder (under the output folder) holding the program's reports."""
    errors: tuple[str, ...] = ()
    """Why it could not be audited, one located message each; empty when it was audited."""

    @property
    def audited(self) -> bool:
        """True when the workbook was audited (it has no errors)."""
        return not self.errors


class RequirementTally(Model):
    """How the programs of the batch fared on one requirement."""

    requirement_id: str
    title: str
    domain_id: str
    core: bool
    programs: int
    """Audited programs whose standard has this requirement."""
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
    """How many programs reached one decision level."""

    decision_id: str
    label: str
    programs: int


class DomainColumn(Model):
    """A domain that has a score column in the roll-up."""

    domain_id: str
    title: str


class Rollup(Model):
    """The state-wide picture of one batch run."""

    schema_version: SchemaVersion = SCHEMA_VERSION
    standards: tuple[str, ...]
    """Every ``id@version`` a workbook was audited against, sorted."""
    workbooks: int
    audited: int
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
    """One plain sentence, e.g. ``31 workbooks: 28 audited (10 Certified, …); 3 could not be …``."""
    report_suffixes: tuple[str, ...] = ()
    """The suffixes of the reports in each program's folder, e.g. ``("html", "pdf")``, sorted."""
