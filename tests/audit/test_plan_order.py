"""The remediation plan: one step per gap, prerequisites first, then core, then gain per effort."""

from __future__ import annotations

import datetime as dt
from typing import Any

from citcert.audit.assessment import Assessment
from citcert.audit.scoring import assess
from citcert.standards.model import Effort, Standard
from tests.audit.builders import ALL_MET, GOOD_NUMBERS, make_evidence, requirement_data, variant

OLD_MEETING = {**GOOD_NUMBERS, "last_committee_meeting": dt.date(2023, 1, 1)}
LOW_SHARE = {**GOOD_NUMBERS, "cit_officers": 15}


def order(assessment: Assessment) -> list[str]:
    """The plan's requirement ids, in order."""
    return [s.requirement_id for s in assessment.plan.steps]


def _core_needs_course(raw: dict[str, Any]) -> None:
    requirement_data(raw, "TRN-01")["depends_on"] = ["TRN-02"]


def test_a_prerequisite_comes_first_and_borrows_its_dependents_urgency(
    mini_standard: Standard,
) -> None:
    """TRN-02 (non-core) is a prerequisite of core TRN-01, so both go before a bigger gain."""
    std = variant(mini_standard, _core_needs_course)
    numbers = {**LOW_SHARE, "last_committee_meeting": dt.date(2023, 1, 1)}
    ev = make_evidence(std, numbers=numbers, metric_values={"TRN-02": 36})
    a = assess(std, ev)
    assert order(a) == ["TRN-02", "TRN-01", "PART-02"]
    first, second, third = a.plan.steps
    assert first.reason.startswith("Comes before TRN-01, which depends on it.")
    assert second.prerequisites == ("TRN-02",)
    assert second.reason.startswith("Comes after TRN-02, which it depends on.")
    assert third.score_gain > first.score_gain  # the bigger gain still waits its turn
    assert [s.order for s in a.plan.steps] == [1, 2, 3]


def test_core_comes_before_non_core(mini_standard: Standard) -> None:
    """A core gap leads even when a non-core gap would gain more for less effort."""
    ev = make_evidence(mini_standard, numbers={**OLD_MEETING, "cit_officers": 15})
    a = assess(mini_standard, ev)
    assert order(a) == ["TRN-01", "PART-02"]
    assert "A core requirement, so it goes ahead of non-core gaps" in a.plan.steps[0].reason


def test_non_core_gaps_are_ordered_by_gain_per_effort(mini_standard: Standard) -> None:
    """PART-02 (weight 2, low effort) before TRN-03 (weight 1, low) before TRN-02 (medium)."""
    ratings = {**ALL_MET, "TRN-03": "not_met"}
    ev = make_evidence(mini_standard, ratings, numbers=OLD_MEETING, metric_values={"TRN-02": 0})
    a = assess(mini_standard, ev)
    assert order(a) == ["PART-02", "TRN-03", "TRN-02"]
    part2, trn3, trn2 = a.plan.steps
    # gains are differences of the printed overall scores: 33.3% → 66.7% is +33.4
    assert (part2.score_gain, trn3.score_gain, trn2.score_gain) == (33.4, 16.7, 16.7)
    assert trn2.effort is Effort.MEDIUM
    assert trn2.reason == (
        "Among non-core gaps, ordered by score gain for the effort: "
        "16.7 points overall for medium effort."
    )


def test_each_step_carries_the_standards_guidance_and_a_target_date(
    mini_standard: Standard,
) -> None:
    """Actions, owner, effort from the standard; target date is the as-of date plus horizon."""
    a = assess(mini_standard, make_evidence(mini_standard, {**ALL_MET, "TRN-03": "not_met"}))
    (step,) = a.plan.steps
    assert step.actions == ("Add a youth module.",)
    assert step.owner == "Training subcommittee"
    assert (step.effort, step.horizon_days) == (Effort.LOW, 120)
    assert step.target_date == dt.date(2024, 9, 29)
    assert step.severity == a.gaps[0].severity


def test_the_single_step_that_lifts_the_decision_is_named(mini_standard: Standard) -> None:
    """Only PART-01 holds the program at conditional: closing it alone reaches Certified."""
    a = assess(mini_standard, make_evidence(mini_standard, {**ALL_MET, "PART-01": "partially_met"}))
    assert a.decision.level_id == "conditional"
    assert a.plan.decision_lifters == ("PART-01",)
    assert a.plan.steps[0].lifts_decision_to == "Certified"
    assert "On its own it would lift the decision to “Certified”." in a.plan.steps[0].reason
    assert a.plan.summary == (
        "1 step, 1 on a core requirement, starting with PART-01. "
        "Closing PART-01 alone would lift the decision to “Certified”."
    )


def test_no_lifter_when_gaps_must_close_together(mini_standard: Standard) -> None:
    """Two core gaps and 17% overall: no single step reaches 60% with at most one core gap."""
    ratings = {**ALL_MET, "PART-01": "not_met", "TRN-03": "not_met"}
    numbers = {**OLD_MEETING, "cit_officers": 5}
    a = assess(mini_standard, make_evidence(mini_standard, ratings, numbers=numbers))
    assert a.decision.level_id == "not_certified"
    assert a.plan.decision_lifters == ()
    assert a.plan.summary.endswith(
        "No single step lifts the decision to “Conditionally certified” on its own; "
        "several gaps must close together."
    )


def test_lifters_to_different_levels_are_told_apart(mini_standard: Standard) -> None:
    """Closing TRN-01 reaches Certified; closing PART-01 only reaches Conditional."""
    ratings = {**ALL_MET, "PART-01": "partially_met"}
    numbers = {**GOOD_NUMBERS, "cit_officers": 5}
    a = assess(mini_standard, make_evidence(mini_standard, ratings, numbers=numbers))
    assert a.decision.level_id == "not_certified"
    assert set(a.plan.decision_lifters) == {"PART-01", "TRN-01"}
    assert "alone would lift the decision to “Conditionally certified”" in a.plan.summary


def test_at_the_top_level_the_plan_closes_remaining_gaps(mini_standard: Standard) -> None:
    """Certified with one non-core gap: the plan says the decision is already the highest."""
    a = assess(mini_standard, make_evidence(mini_standard, {**ALL_MET, "TRN-03": "partially_met"}))
    assert a.decision.level_id == "certified"
    assert a.plan.decision_lifters == ()
    assert "already the highest level" in a.plan.summary


def _cycle(raw: dict[str, Any]) -> None:
    requirement_data(raw, "PART-01")["depends_on"] = ["PART-02"]


def test_a_dependency_cycle_still_gives_every_step_once(mini_standard: Standard) -> None:
    """A cycle the standard's checks should reject does not hang or drop a step."""
    std = variant(mini_standard, _cycle)
    ev = make_evidence(std, {**ALL_MET, "PART-01": "not_met"}, numbers=OLD_MEETING)
    assert sorted(order(assess(std, ev))) == ["PART-01", "PART-02"]
