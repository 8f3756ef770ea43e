"""
Invariants of the pure scorer, checked on generated programs against the mini standard.

Each example is a whole workbook's worth of answers: self and reviewer ratings (or none),
evidence summaries present or empty, the program's numbers (or gaps in them), either mode.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from citcert.audit.assessment import Assessment
from citcert.audit.decision import rank
from citcert.audit.scoring import assess
from citcert.export import Format, render
from citcert.standards.model import Standard
from citcert.workbook.evidence import Mode
from tests.audit.builders import AS_OF, make_evidence

IDS = ("PART-01", "PART-02", "TRN-01", "TRN-02", "TRN-03")
LEVELS = ("met", "partially_met", "not_met")
"""Best first, as in the mini standard's scale."""

PROPERTY = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@dataclass(frozen=True)
class Program:
    """The drawn answers of one workbook."""

    mode: Mode
    self_ratings: dict[str, str | None]
    reviewer: dict[str, str | None]
    summaries: dict[str, str]
    numbers: dict[str, Any]
    hours: int | None

    def assess(self, standard: Standard) -> Assessment:
        """Score this program on `standard`."""
        evidence = make_evidence(
            standard,
            self.self_ratings,
            reviewer=self.reviewer,
            numbers=self.numbers,
            summaries=self.summaries,
            metric_values={"TRN-02": self.hours},
            mode=self.mode,
        )
        return assess(standard, evidence)

    def counted(self, requirement_id: str) -> str | None:
        """The answer the scorer uses for a requirement (reviewer's in a review, if given)."""
        mine = self.self_ratings.get(requirement_id)
        theirs = self.reviewer.get(requirement_id)
        return theirs if self.mode is Mode.REVIEW and theirs is not None else mine


answers = st.sampled_from([None, *LEVELS])


@st.composite
def programs(draw: st.DrawFn) -> Program:
    """A random but valid program for the mini standard."""
    self_ratings = {rid: draw(answers) for rid in IDS}
    reviewer = {rid: draw(answers) for rid in IDS}
    if draw(st.booleans()):
        self_ratings["TRN-03"] = draw(st.sampled_from(["n/a", "n/a!"]))
    summaries = {rid: draw(st.sampled_from(["", "Minutes and rosters on file."])) for rid in IDS}
    patrol = draw(st.integers(0, 200))
    days_ago = draw(st.none() | st.integers(0, 400))
    numbers = {
        "patrol_officers": patrol,
        "cit_officers": draw(st.integers(0, patrol)),
        "last_committee_meeting": None if days_ago is None else AS_OF - dt.timedelta(days_ago),
    }
    return Program(
        mode=draw(st.sampled_from(Mode)),
        self_ratings=self_ratings,
        reviewer=reviewer,
        summaries=summaries,
        numbers=numbers,
        hours=draw(st.none() | st.integers(0, 60)),
    )


def _raise(program: Program, requirement_id: str, column: str, level: str) -> Program | None:
    """The program with one rating raised to `level`, or None if that is no raise."""
    ratings = program.reviewer if column == "reviewer" else program.self_ratings
    current = ratings.get(requirement_id)
    if current is None:
        if program.counted(requirement_id) is not None:
            return None  # filling an empty column beside a counted answer is not a raise
    elif current not in LEVELS or LEVELS.index(level) >= LEVELS.index(current):
        return None
    changed = {**ratings, requirement_id: level}
    if column == "reviewer":
        return replace(program, reviewer=changed)
    return replace(program, self_ratings=changed)


@PROPERTY
@given(
    program=programs(),
    requirement_id=st.sampled_from(IDS),
    column=st.sampled_from(["self", "reviewer"]),
    level=st.sampled_from(LEVELS),
)
def test_raising_one_rating_never_lowers_a_score_or_the_decision(
    mini_standard: Standard, program: Program, requirement_id: str, column: str, level: str
) -> None:
    """Raising any one rating never lowers a domain score, the overall score or the decision."""
    raised = _raise(program, requirement_id, column, level)
    assume(raised is not None)
    assert raised is not None
    before, after = program.assess(mini_standard), raised.assess(mini_standard)
    for old, new in zip(before.domains, after.domains, strict=True):
        assert (new.score or 0) >= (old.score or 0), (old, new)
    assert after.overall_score >= before.overall_score
    policy = mini_standard.scoring
    assert rank(policy, after.decision.level_id) <= rank(policy, before.decision.level_id)


@PROPERTY
@given(program=programs())
def test_not_applicable_changes_no_other_requirements_credit(
    mini_standard: Standard, program: Program
) -> None:
    """Marking TRN-03 (which may be not applicable) so leaves every other credit as it was."""
    rated = replace(program, self_ratings={**program.self_ratings, "TRN-03": "met"})
    na = replace(
        program,
        self_ratings={**program.self_ratings, "TRN-03": "n/a"},
        reviewer={**program.reviewer, "TRN-03": "n/a"},
    )
    before, after = rated.assess(mini_standard), na.assess(mini_standard)
    credits = {r.requirement_id: r.credit for r in before.results if r.requirement_id != "TRN-03"}
    assert credits == {
        r.requirement_id: r.credit for r in after.results if r.requirement_id != "TRN-03"
    }
    assert not next(r for r in after.results if r.requirement_id == "TRN-03").applicable


@PROPERTY
@given(program=programs())
def test_identical_inputs_give_identical_json_bytes(
    mini_standard: Standard, program: Program
) -> None:
    """Two independent runs on equal inputs give byte-identical JSON reports."""
    first = render(program.assess(mini_standard), Format.JSON)
    second = render(program.assess(mini_standard), Format.JSON)
    assert first == second


@PROPERTY
@given(program=programs())
def test_json_round_trips_into_the_model(mini_standard: Standard, program: Program) -> None:
    """The JSON report reads back into an equal `Assessment`."""
    assessment = program.assess(mini_standard)
    assert Assessment.model_validate_json(render(assessment, Format.JSON)) == assessment
