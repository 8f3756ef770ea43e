"""The decision rules: structured conditions in, the highest level reached and why, out."""

from __future__ import annotations

from typing import Any

import pytest

from citcert._words import join_words, percent, plural
from citcert.audit.decision import (
    Facts,
    decide,
    describe,
    is_below,
    level_named,
    rank,
)
from citcert.standards.model import Conditions, ScoringPolicy, Standard
from tests.audit.builders import variant


def facts(**changes: Any) -> Facts:
    """Facts of a program that passes every level of the mini standard, with some changed."""
    base: dict[str, Any] = {
        "overall": 90.0,
        "domains": (("Partnerships", 90.0), ("Training", 90.0)),
        "core_shortfalls": (),
        "gaps": 0,
        "core_gaps": 0,
        "unanswered": 0,
    }
    return Facts(**{**base, **changes})


@pytest.fixture(scope="module")
def policy(mini_standard: Standard) -> ScoringPolicy:
    """The mini standard's policy: certified, conditional, not certified."""
    return mini_standard.scoring


@pytest.fixture(scope="module")
def two_levels(mini_standard: Standard) -> ScoringPolicy:
    """A policy whose only bar is: every core met and overall at least 80%."""

    def change(raw: dict[str, Any]) -> None:
        levels = raw["scoring"]["decision_levels"]
        levels[0]["conditions"] = {"all_core_met": True, "min_overall": 80}
        del levels[1]

    return variant(mini_standard, change).scoring


def test_the_top_level_when_every_condition_holds(policy: ScoringPolicy) -> None:
    """All conditions hold: the top level, no reasons, and a sentence saying so."""
    d = decide(policy, facts())
    assert (d.level_id, d.label, d.colour) == ("certified", "Certified", "#1B7F3B")
    assert d.reasons == () and d.next_level_id is None and d.next_level_label is None
    assert d.sentence == "Certified: every condition of this level holds."
    assert [lv.reached for lv in d.levels] == [True, True, True]


def test_the_sentence_names_each_failed_condition_of_the_level_above(
    two_levels: ScoringPolicy,
) -> None:
    """The issue's example: one core requirement not met and 71% overall."""
    d = decide(two_levels, facts(overall=71.0, core_shortfalls=(("DSP-01", "Not met"),)))
    expected = "Not certified: core requirement DSP-01 is Not met; overall 71% is below 80%"
    assert d.sentence == expected
    assert d.reasons == ("core requirement DSP-01 is Not met", "overall 71% is below 80%")
    assert (d.next_level_id, d.next_level_label) == ("certified", "Certified")


def test_a_middle_level_gives_the_reasons_for_the_one_above(policy: ScoringPolicy) -> None:
    """Conditional: its reasons are what Certified needed, not its own conditions."""
    d = decide(policy, facts(overall=75.0, core_shortfalls=(("PART-01", "Partially met"),)))
    assert d.level_id == "conditional"
    assert d.reasons == ("core requirement PART-01 is Partially met", "overall 75% is below 80%")


def test_every_level_is_reported_with_every_condition(policy: ScoringPolicy) -> None:
    """LevelResult per level, best first, each condition named with its outcome in words."""
    d = decide(policy, facts(overall=50.0, core_gaps=2))
    assert [lv.level_id for lv in d.levels] == ["certified", "conditional", "not_certified"]
    conditional = d.levels[1]
    assert [(c.condition, c.passed, c.detail) for c in conditional.conditions] == [
        ("overall score at least 60%", False, "overall 50% is below 60%"),
        ("at most 1 core gap", False, "2 core gaps, more than the 1 allowed"),
    ]
    assert d.levels[2].conditions == () and d.levels[2].reached


def test_several_core_shortfalls_are_named_together(policy: ScoringPolicy) -> None:
    """Two core requirements not met are listed with their ratings in one reason."""
    short = (("PART-01", "Not met"), ("TRN-01", "Not answered"))
    d = decide(policy, facts(core_shortfalls=short, core_gaps=2))
    first = d.levels[0].conditions[0]
    named = "PART-01 (Not met) and TRN-01 (Not answered)"
    assert first.detail == f"core requirements {named} are not met"


def test_min_domain_names_the_low_domains_and_skips_empty_ones(policy: ScoringPolicy) -> None:
    """Domains below the minimum are named; a domain with nothing applicable is not judged."""
    low = (("Partnerships", 55.5), ("Training", None), ("Crisis care", 40.0))
    d = decide(policy, facts(domains=low))
    assert d.level_id == "conditional"
    assert d.reasons == ("domains Partnerships 55.5% and Crisis care 40% are below 60%",)


def _counting_levels(raw: dict[str, Any]) -> None:
    raw["scoring"]["decision_levels"][0]["conditions"] = {
        "max_gaps": 0,
        "max_unanswered": 2,
        "max_core_gaps": 0,
    }


def test_counting_conditions(mini_standard: Standard) -> None:
    """max_gaps, max_unanswered and max_core_gaps are judged and worded plainly."""
    policy = variant(mini_standard, _counting_levels).scoring
    d = decide(policy, facts(gaps=3, unanswered=3, core_gaps=1, overall=70.0))
    assert d.reasons == (
        "1 core gap, none allowed",
        "3 gaps, none allowed",
        "3 unanswered requirements, more than the 2 allowed",
    )
    assert describe(policy.decision_levels[0].conditions) == (
        "no core gaps, no gaps and at most 2 unanswered requirements"
    )


def test_a_score_exactly_at_the_threshold_passes(policy: ScoringPolicy) -> None:
    """80% overall meets 'at least 80%'."""
    assert decide(policy, facts(overall=80.0)).level_id == "certified"


def test_rank_and_is_below(policy: ScoringPolicy) -> None:
    """Levels rank best first; is_below compares two ids; an unknown id is a ValueError."""
    assert [rank(policy, i) for i in ("certified", "conditional", "not_certified")] == [0, 1, 2]
    assert is_below(policy, "not_certified", "conditional")
    assert not is_below(policy, "conditional", "conditional")
    assert not is_below(policy, "certified", "conditional")
    with pytest.raises(ValueError, match="gold"):
        rank(policy, "gold")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("certified", "certified"),
        ("Certified", "certified"),
        (" CONDITIONAL ", "conditional"),
        ("conditionally certified", "conditional"),
        ("Not certified", "not_certified"),
    ],
)
def test_a_level_is_named_by_its_id_or_label_in_any_case(
    mini_standard: Standard, typed: str, expected: str
) -> None:
    """What a user types for --fail-below names a level by its id or its label."""
    assert expected == level_named(mini_standard, typed)


def test_an_unknown_level_name_lists_the_level_ids(mini_standard: Standard) -> None:
    """The error names the value, the standard and every level id."""
    with pytest.raises(ValueError) as caught:
        level_named(mini_standard, "gold")

    assert str(caught.value) == (
        "'gold' is not a decision level of mini-standard@1.0; "
        "use one of certified, conditional, not_certified"
    )


def test_describe_words_each_condition() -> None:
    """Conditions in words, for the scoring explanation; none set means it always applies."""
    conditions = Conditions(all_core_met=True, min_overall=80, min_domain=62.5)
    assert describe(conditions) == (
        "every core requirement met, overall score at least 80% and every domain at least 62.5%"
    )
    assert describe(Conditions()) == "always applies when no higher level does"


def test_wording_helpers() -> None:
    """Percentages drop a trailing .0; zero is a number, or 'no' in a sentence; lists end 'and'."""
    assert [percent(v) for v in (71.0, 79.5, 100.0, 0.0)] == ["71%", "79.5%", "100%", "0%"]
    assert [plural(n, "gap", none=True) for n in (0, 1, 2)] == ["no gaps", "1 gap", "2 gaps"]
    assert [plural(n, "gap") for n in (0, 1)] == ["0 gaps", "1 gap"]
    assert join_words([]) == "" and join_words(["a"]) == "a"
    assert join_words(["a", "b", "c"]) == "a, b and c"
