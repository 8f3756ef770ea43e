"""
What the state dashboard (``summary.html``) shows, worked out from a `Rollup`.

The roll-up holds every number; this only orders and groups them for the page: programs
alphabetically (the way a state office looks one up), each domain's spread of scores, the most
common gaps, the charts, and the relative link to each program's own HTML report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from citcert.export.html._charts import Bar, Chart, count_chart, described
from citcert.export.wording import of_standard, score_words
from citcert.standards.model import DomainId

if TYPE_CHECKING:
    from citcert.audit.rollup import (
        AuditedRow,
        DomainColumn,
        FailedRow,
        RequirementTally,
        Rollup,
    )

TOP_GAPS = 10
"""How many of the most common gaps the dashboard charts and lists."""
BANDS = ((85.0, "85% or more"), (70.0, "70% to 84.9%"), (50.0, "50% to 69.9%"), (0.0, "under 50%"))
"""The score bands of the per-domain distribution, best first."""


@dataclass(frozen=True, slots=True)
class DomainSpread:
    """How the programs' scores in one domain are spread."""

    domain_id: DomainId
    title: str
    label: str
    """``SUS · Sustaining elements``, after the standard's id in a roll-up of more than one."""
    scored: int
    lowest: float | None
    median: float | None
    highest: float | None
    bands: tuple[int, ...]
    """Programs in each of `BANDS`, best first."""
    group: str = ""
    """The standard's id in a roll-up of more than one ('' in one of one standard)."""


@dataclass(frozen=True, slots=True)
class ProgramLine:
    """One audited program's row, with the relative link to its HTML report ('' for none)."""

    row: AuditedRow
    link: str


@dataclass(frozen=True, slots=True)
class DashboardView:
    """Everything the dashboard template places."""

    decision_chart: Chart
    gap_chart: Chart
    domain_chart: Chart
    gaps: tuple[RequirementTally, ...]
    spreads: tuple[DomainSpread, ...]
    programs: tuple[ProgramLine, ...]
    failed: tuple[FailedRow, ...]
    bands: tuple[str, ...]


def view(rollup: Rollup) -> DashboardView:
    """The dashboard's sections, in the order the page shows them."""
    from citcert.audit.rollup import AuditedRow, FailedRow

    audited = [row for row in rollup.rows if isinstance(row, AuditedRow)]
    mixed = rollup.mixed
    decisions = [(d.label, d.programs) for d in rollup.decisions]
    gaps = tuple(t for t in rollup.requirements if t.gaps)[:TOP_GAPS]
    gap_items = [(f"{t.requirement_id} · {t.title}", t.gaps) for t in gaps]
    counted = [r for r in audited if r.counted]
    spreads = tuple(_spread(d, counted, mixed=mixed) for d in rollup.domains)
    return DashboardView(
        decision_chart=count_chart(
            "decision-chart",
            "Programs by decision",
            decisions,
            "program",
            [d.standard_id for d in rollup.decisions] if mixed else (),
        ),
        gap_chart=count_chart(
            "gap-chart",
            "The most common gaps: programs with each gap",
            gap_items,
            "program",
            [t.standard_id for t in gaps] if mixed else (),
        ),
        domain_chart=_median_chart(spreads),
        gaps=gaps,
        spreads=spreads,
        programs=tuple(
            ProgramLine(row, _link(row, rollup.report_suffixes))
            for row in sorted(audited, key=lambda r: (r.program.casefold(), r.program, r.file))
        ),
        failed=tuple(row for row in rollup.rows if isinstance(row, FailedRow)),
        bands=tuple(label for _, label in BANDS),
    )


def _link(row: AuditedRow, suffixes: Sequence[str]) -> str:
    """``slug/slug.html`` when the run wrote HTML reports; the folder names come from citcert."""
    if "html" not in suffixes or not row.reports:
        return ""
    return f"{row.reports}/{row.reports}.html"


def _spread(domain: DomainColumn, rows: Sequence[AuditedRow], *, mixed: bool) -> DomainSpread:
    """
    The domain's spread: the lowest and highest scores and the bands from the rows (as they
    show them; only those of the domain's standard have a score in it), the median the
    roll-up worked out from the unrounded scores.
    """
    scores = sorted(s for r in rows if (s := domain.score_of(r)) is not None)
    bands = [0] * len(BANDS)
    for score in scores:
        bands[next(i for i, (floor, _) in enumerate(BANDS) if score >= floor)] += 1
    return DomainSpread(
        domain.domain_id,
        domain.title,
        of_standard(f"{domain.domain_id} · {domain.title}", domain.standard_id, mixed=mixed),
        len(scores),
        scores[0] if scores else None,
        domain.median if scores else None,
        scores[-1] if scores else None,
        tuple(bands),
        domain.standard_id if mixed else "",
    )


def _median_chart(spreads: Sequence[DomainSpread]) -> Chart:
    bars = []
    for s in spreads:
        words = "no program scored" if s.median is None else f"median {score_words(s.median)}"
        bars.append(Bar(f"{s.domain_id} · {s.title}", s.median, words, None, group=s.group))
    return Chart("domain-chart", "Median score by domain", described(bars), tuple(bars), 100.0)
