"""
The roll-up's median per domain: worked out from the programs' unrounded scores, rounded once.

Four programs score 250/7 (35.714…), 600/7 (85.714…), 100 and 100 in a domain: the median is
(600/7 + 100) / 2 = 92.857…, shown as 92.9%. The rows' rounded scores (35.7, 85.7, 100, 100)
would give 92.85, which rounds to 92.8: a second rounding the dashboard used to show.
"""

from __future__ import annotations

import datetime as dt

from citcert.audit.rollup import AuditedRow, Rollup
from citcert.audit.tally import Contribution, RollupCollector
from citcert.export.html._dashboard import view
from citcert.standards.model import DomainId

EXACT = (250 / 7, 600 / 7, 100.0, 100.0)


def _program(index: int, exact: float | None) -> Contribution:
    """A program scored `exact` in TRN (None: every TRN requirement not applicable), 50 in PART."""
    scores: dict[DomainId, float | None] = {
        "TRN": None if exact is None else round(exact, 1),
        "PART": 50.0,
    }
    row = AuditedRow(
        file=f"p{index}.xlsx", program=f"Program {index}", jurisdiction="", standard="s@1",
        assessment_date=dt.date(2025, 1, 1), decision_id="certified", decision="Certified",
        overall_score=50.0, domain_scores=scores, core_gaps=0, other_gaps=0,
    )  # fmt: skip
    exact_scores = [("PART", 50.0)] + ([("TRN", exact)] if exact is not None else [])
    return Contribution(
        row=row,
        domains=(("TRN", "Training"), ("PART", "Partnerships")),
        scores=tuple(exact_scores),
        levels=(("certified", "Certified"),),
    )


def _rollup(*exact: float | None) -> Rollup:
    collector = RollupCollector()
    for index, score in enumerate(exact):
        collector.add(_program(index, score), "")
    return collector.rollup()


def test_the_median_is_of_the_unrounded_scores_rounded_once() -> None:
    """92.857… shows as 92.9, not the 92.8 of the rounded scores' median (92.85)."""
    rollup = _rollup(*EXACT)
    medians = {d.domain_id: d.median for d in rollup.domains}

    assert medians == {"TRN": 92.9, "PART": 50.0}
    assert sorted(r.domain_scores["TRN"] for r in rollup.rows) == [35.7, 85.7, 100.0, 100.0]


def test_an_odd_count_takes_the_middle_score_and_a_domain_not_scored_has_none() -> None:
    """Three programs: the middle one's score rounded once; no scored program: no median."""
    assert {d.domain_id: d.median for d in _rollup(*EXACT[:3]).domains}["TRN"] == 85.7
    assert {d.domain_id: d.median for d in _rollup(None, None).domains}["TRN"] is None


def test_the_dashboard_shows_the_rollups_median() -> None:
    """The spread table and the median chart show 92.9%; lowest and highest as the rows do."""
    page = view(_rollup(*EXACT))
    trn = page.spreads[0]
    chart = page.domain_chart

    assert (trn.scored, trn.lowest, trn.median, trn.highest) == (4, 35.7, 92.9, 100.0)
    assert "TRN · Training: median 92.9%" in chart.description
