"""
A roll-up of workbooks of two standards tallies each standard apart; versions of one together.

cit-best-practice and cit-core-elements both have a POL-02, an INS-01 and a domain SUS, which
mean different things in each. A state analyst reading one requirement's tally, one domain's
median or one score column must read one standard's figures, never two mixed under one id.
Versions of one standard (one id) are the same requirements over time and stay tallied together.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

from openpyxl import load_workbook

from citcert.app.previous_rollup import read_previous
from citcert.audit.assessment import Status
from citcert.audit.calendar import PreviousRollup
from citcert.audit.rollup import AuditedRow, Rollup
from citcert.audit.tally import Contribution, RequirementStatus, RollupCollector
from citcert.export.html._dashboard import view
from citcert.export.rollup.tables import render_csv, render_json, render_xlsx
from citcert.standards.model import DomainId, LevelId, RequirementId

BEST = "cit-best-practice"
CORE = "cit-core-elements"
SUS = DomainId("SUS")
POL = DomainId("POL")
ONG = DomainId("ONG")

BEST_DOMAINS = ((POL, "Policies"), (SUS, "Sustainability and outreach"))
CORE_DOMAINS = ((ONG, "Ongoing elements"), (SUS, "Sustaining elements"))
BEST_LEVELS = ((LevelId("certified"), "Meets the standard"), (LevelId("conditional"), "Close"))
CORE_LEVELS = ((LevelId("consistent"), "Consistent"), (LevelId("not_consistent"), "Not"))


def _workbook(
    file: str,
    ref: str,
    *,
    pol_02: Status,
    sus: float,
    level: int = 0,
    program: str | None = None,
) -> Contribution:
    """One program audited against `ref`: POL-02 (of its standard) rated, a score in SUS."""
    best = ref.startswith(BEST)
    levels = BEST_LEVELS if best else CORE_LEVELS
    domains = BEST_DOMAINS if best else CORE_DOMAINS
    title = "Receiving-facility hand-over" if best else "Written agreement between the partners"
    row = AuditedRow(
        file=file, program=program or file, jurisdiction=file, standard=ref,
        assessment_date=dt.date(2025, 1, 1), decision_id=levels[level][0],
        decision=levels[level][1], overall_score=sus, domain_scores={SUS: sus},
        core_gaps=0, other_gaps=0,
    )  # fmt: skip
    status = RequirementStatus(
        RequirementId("POL-02"),
        title,
        POL if best else ONG,
        core=True,
        status=pol_02,
        gap=pol_02 is not Status.MET,
    )
    return Contribution(
        row=row, statuses=(status,), domains=domains, scores=((SUS, sus),), levels=levels
    )


def _rollup(*workbooks: Contribution, previous: PreviousRollup | None = None) -> Rollup:
    collector = RollupCollector()
    for workbook in workbooks:
        collector.add(workbook, "")
    return collector.rollup(previous=previous)


MIXED = (
    _workbook("a-best.xlsx", f"{BEST}@2019.3", pol_02=Status.NOT_MET, sus=40.0, level=1),
    _workbook("b-core.xlsx", f"{CORE}@2007.1", pol_02=Status.MET, sus=100.0),
    _workbook("c-best.xlsx", f"{BEST}@2019.1", pol_02=Status.MET, sus=60.0),
)


def test_a_requirement_id_two_standards_share_is_tallied_once_per_standard() -> None:
    rollup = _rollup(*MIXED)

    tallies = {(t.standard_id, t.requirement_id): t for t in rollup.requirements}
    assert set(tallies) == {(BEST, "POL-02"), (CORE, "POL-02")}
    best, core = tallies[(BEST, "POL-02")], tallies[(CORE, "POL-02")]
    assert (best.title, best.domain_id) == ("Receiving-facility hand-over", "POL")
    assert (best.programs, best.met, best.not_met, best.gaps) == (2, 1, 1, 1)
    assert (core.title, core.domain_id) == ("Written agreement between the partners", "ONG")
    assert (core.programs, core.met, core.not_met, core.gaps) == (1, 1, 0, 0)
    assert [t.standard_id for t in rollup.requirements] == [BEST, CORE]  # gaps first


def test_a_domain_id_two_standards_share_has_a_column_and_median_per_standard() -> None:
    rollup = _rollup(*MIXED)

    columns = [(d.standard_id, d.domain_id, d.title, d.median) for d in rollup.domains]
    assert columns == [
        (BEST, "POL", "Policies", None),
        (BEST, "SUS", "Sustainability and outreach", 50.0),  # 40 and 60, not 100 of core
        (CORE, "ONG", "Ongoing elements", None),
        (CORE, "SUS", "Sustaining elements", 100.0),
    ]
    best_sus, core_sus = rollup.domains[1], rollup.domains[3]
    core_row = rollup.rows[1]
    assert (core_sus.score_of(core_row), best_sus.score_of(core_row)) == (100.0, None)
    assert rollup.mixed


def test_each_standard_keeps_its_own_decision_levels_even_of_one_id_and_label() -> None:
    """A standard of another id with a level called like best practice's is not added to it."""
    other = _workbook("d.xlsx", "northfield@2026.1", pol_02=Status.MET, sus=90.0)
    same_level = {"decision_id": "certified", "decision": "Meets the standard"}
    other = replace(other, row=other.row.model_copy(update=same_level), levels=BEST_LEVELS)
    rollup = _rollup(*MIXED, other)

    counts = [(d.standard_id, d.decision_id, d.programs) for d in rollup.decisions]
    assert counts == [
        (BEST, "certified", 1),
        (BEST, "conditional", 1),
        (CORE, "consistent", 1),
        (CORE, "not_consistent", 0),
        ("northfield", "certified", 1),
        ("northfield", "conditional", 0),
    ]
    assert rollup.summary == (
        "4 workbooks: 4 audited (cit-best-practice: 1 Meets the standard, 1 Close; "
        "cit-core-elements: 1 Consistent, 0 Not; northfield: 1 Meets the standard, 0 Close)."
    )


def test_the_trend_since_keeps_each_standards_level_of_one_id_and_label_apart(
    tmp_path: Path,
) -> None:
    """
    Best practice and a northfield standard both have `certified` "Meets the standard": last
    time one program reached each; each level's "then" is 1, not the two standards' sum.
    """
    other = _workbook("d.xlsx", "northfield@2026.1", pol_02=Status.MET, sus=90.0)
    same_level = {"decision_id": "certified", "decision": "Meets the standard"}
    other = replace(other, row=other.row.model_copy(update=same_level), levels=BEST_LEVELS)
    both = (*MIXED, other)
    (tmp_path / "summary.json").write_bytes(render_json(_rollup(*both)))

    rollup = _rollup(*both, previous=read_previous(tmp_path))
    since = rollup.since

    assert since is not None
    trend = [(t.standard_id, t.decision_id, t.then, t.now) for t in since.decisions]
    assert (BEST, "certified", 1, 1) in trend
    assert ("northfield", "certified", 1, 1) in trend
    assert len(trend) == len({(t[0], t[1]) for t in trend})
    from citcert.export.rollup.sections import rollup_sections

    (table,) = [x for x in rollup_sections(rollup) if x.key == "trend"]
    labels = [row[0] for row in table.cells]
    assert f"{BEST}: Meets the standard" in labels and "northfield: Meets the standard" in labels


def test_a_roll_up_from_before_standards_were_tallied_apart_gives_the_same_trend(
    tmp_path: Path,
) -> None:
    """A 2.2 roll-up's levels say no standard: each takes the standard of its rows."""
    import json

    other = _workbook("d.xlsx", "northfield@2026.1", pol_02=Status.MET, sus=90.0)
    same_level = {"decision_id": "certified", "decision": "Meets the standard"}
    other = replace(other, row=other.row.model_copy(update=same_level), levels=BEST_LEVELS)
    both = (*MIXED, other)
    data = json.loads(render_json(_rollup(*both)))
    (tmp_path / "summary.json").write_text(json.dumps(data), encoding="utf-8")
    new = _rollup(*both, previous=read_previous(tmp_path)).since
    data["schema_version"] = "2.2"
    for decision in data["decisions"]:
        del decision["standard_id"]
    (tmp_path / "summary.json").write_text(json.dumps(data), encoding="utf-8")

    old = _rollup(*both, previous=read_previous(tmp_path)).since

    assert old is not None and new is not None
    counts = {(t.standard_id, t.decision_id): (t.then, t.now) for t in new.decisions}
    assert {(t.standard_id, t.decision_id): (t.then, t.now) for t in old.decisions
            if t.then or t.now} == {k: v for k, v in counts.items() if any(v)}  # fmt: skip


def test_versions_of_one_standard_are_tallied_together_as_before() -> None:
    rollup = _rollup(MIXED[0], MIXED[2])

    assert [(t.standard_id, t.requirement_id, t.programs) for t in rollup.requirements] == [
        (BEST, "POL-02", 2)
    ]
    assert [(d.domain_id, d.median) for d in rollup.domains] == [("POL", None), ("SUS", 50.0)]
    assert not rollup.mixed
    assert rollup.summary == "2 workbooks: 2 audited (1 Meets the standard, 1 Close)."


def test_the_files_name_the_standard_only_in_a_roll_up_of_more_than_one() -> None:
    mixed, single = _rollup(*MIXED), _rollup(MIXED[0], MIXED[2])

    head, *rows = list(csv.reader(io.StringIO(render_csv(mixed).decode("utf-8-sig"))))
    best_sus = head.index(f"{BEST}: Sustainability and outreach (SUS)")
    core_sus = head.index(f"{CORE}: Sustaining elements (SUS)")
    assert [(r[0], r[best_sus], r[core_sus]) for r in rows] == [
        ("a-best.xlsx", "40.0", ""),
        ("b-core.xlsx", "", "100.0"),
        ("c-best.xlsx", "60.0", ""),
    ]
    single_head = next(csv.reader(io.StringIO(render_csv(single).decode("utf-8-sig"))))
    assert "Sustainability and outreach (SUS)" in single_head

    book = load_workbook(io.BytesIO(render_xlsx(mixed)))
    sheet = [list(r) for r in book["Requirements"].iter_rows(values_only=True)]
    assert sheet[0][:3] == ["Standard", "Requirement", "Title"]
    assert [r[:3] for r in sheet[1:]] == [
        [BEST, "POL-02", "Receiving-facility hand-over"],
        [CORE, "POL-02", "Written agreement between the partners"],
    ]
    single_book = load_workbook(io.BytesIO(render_xlsx(single)))
    assert next(single_book["Requirements"].iter_rows(values_only=True))[0] == "Requirement"

    spreads = {s.label: (s.scored, s.median) for s in view(mixed).spreads}
    assert spreads[f"{BEST}: SUS · Sustainability and outreach"] == (2, 50.0)
    assert spreads[f"{CORE}: SUS · Sustaining elements"] == (1, 100.0)
    assert [s.label for s in view(single).spreads] == [
        "POL · Policies",
        "SUS · Sustainability and outreach",
    ]


def test_a_mixed_dashboard_names_each_bars_standard_on_a_line_of_its_own() -> None:
    """
    "cit-best-practice: Meets t…" left a chart's 27 characters no room for the label: the
    standard goes on the line above it, the label keeps its room, and a screen reader hears
    both. A chart of one standard is drawn as before.
    """
    mixed, single = view(_rollup(*MIXED)), view(_rollup(*MIXED[:1]))

    for chart in (mixed.decision_chart, mixed.gap_chart, mixed.domain_chart):
        assert chart.bars and {bar.group for bar in chart.bars} <= {BEST, CORE}, chart.slug
        assert all(not bar.label.startswith((BEST, CORE)) for bar in chart.bars)
        assert all(f"{bar.group}: {bar.label}: " in chart.description for bar in chart.bars)
        assert chart.height == len(chart.bars) * 62
    assert {bar.group for bar in mixed.decision_chart.bars} == {BEST, CORE}
    for chart in (single.decision_chart, single.gap_chart, single.domain_chart):
        assert {bar.group for bar in chart.bars} == {""}
        assert chart.height == max(1, len(chart.bars)) * 46


def test_a_mixed_roll_up_reads_back_as_the_previous_one(tmp_path: Path) -> None:
    """``batch --since`` reads a roll-up of schema 2.3, the version that tallies standards apart."""
    (tmp_path / "summary.json").write_bytes(render_json(_rollup(*MIXED)))

    previous = read_previous(tmp_path)

    assert b'"schema_version": "2.3"' in (tmp_path / "summary.json").read_bytes()
    assert [row.file for row in previous.rows] == ["a-best.xlsx", "b-core.xlsx", "c-best.xlsx"]
    assert (CORE, "consistent", "Consistent") in previous.levels
