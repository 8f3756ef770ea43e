"""
The one classifier of tightening and weakening, used by overlays and by the diff alike.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citcert.standards import load_file, strictness
from citcert.standards.exception_override import ExceptionsOverride, override_exceptions
from citcert.standards.model import ChangeKind, ExceptionPolicy, RatingLevel, Validity
from citcert.standards.overrides import RequirementOverride, _compare, override_requirement
from citcert.standards.requirement_changes import ordered, requirement_changes
from citcert.standards.scoring_changes import scoring_changes
from tests.conftest import DATA

MINI = load_file(DATA / "standards" / "mini.yaml")

values = st.none() | st.floats(min_value=0, max_value=1000, allow_nan=False)


@given(old=values, new=values, sign=st.sampled_from([1, -1]))
def test_the_diff_and_an_overlay_classify_a_number_alike(
    old: float | None, new: float | None, sign: int
) -> None:
    """For two numbers, the overlay's check and the diff's field give the same kind."""
    from_diff = [change.kind for change in ordered(sign)("weight", old, new)]
    expected = strictness.ordered(old, new, sign)

    assert from_diff == ([] if expected is None else [expected])
    if old is not None and new is not None:
        from_overlay = [c.kind for c in _compare((), "X", (new - old) * sign, "up", "down")]
        assert from_overlay == from_diff


def test_limits_added_or_dropped() -> None:
    """A limit where there was none tightens; dropping one weakens; a new partial band weakens."""
    assert strictness.ordered(None, 0.5, 1) is ChangeKind.TIGHTENED
    assert strictness.ordered(0.5, None, -1) is ChangeKind.WEAKENED
    assert strictness.partial_band(None, 0.4) is ChangeKind.WEAKENED
    assert strictness.partial_band(0.4, None) is ChangeKind.TIGHTENED
    assert strictness.partial_band(0.4, 0.5) is None


def test_more_evidence_tightens_and_other_evidence_only_changes() -> None:
    """Asking for more items tightens; replacing one is a change, neither way."""
    assert strictness.evidence(("a",), ("a", "b")) is ChangeKind.TIGHTENED
    assert strictness.evidence(("a", "b"), ("a", "c")) is ChangeKind.CHANGED
    assert strictness.evidence(("a",), ("a",)) is None


@given(
    old=st.floats(min_value=0.1, max_value=100, allow_nan=False),
    new=st.floats(min_value=0.1, max_value=100, allow_nan=False),
)
def test_a_weight_rescores_either_way_in_the_diff_and_in_an_overlay(old: float, new: float) -> None:
    """Up or down, a weight is never a tightening nor a weakening: both sides say rescored."""
    base = MINI.requirement("PART-02").model_copy(update={"weight": old})
    after = base.model_copy(update={"weight": new})
    override = RequirementOverride(weight=new)

    from_diff = [c.kind for c in requirement_changes(base, after) if c.field == "weight"]
    _, changes, _ = override_requirement(base, override, ())
    expected = [] if old == new else [ChangeKind.RESCORED]

    assert from_diff == expected
    assert [c.kind for c in changes] == expected


@pytest.mark.parametrize(
    ("scored", "old", "new", "kind"),
    [
        (True, False, True, ChangeKind.TIGHTENED),
        (False, False, True, ChangeKind.RESCORED),
        (True, True, False, ChangeKind.WEAKENED),
        (False, True, False, ChangeKind.WEAKENED),
    ],
)
def test_core_is_judged_by_whether_core_requirements_are_scored(
    scored: bool, old: bool, new: bool, kind: ChangeKind
) -> None:
    """Made core: a gate where core counts in the scores, a rescoring where it is left out."""
    base = MINI.requirement("PART-02").model_copy(update={"core": old})
    after = base.model_copy(update={"core": new})

    from_diff = [c.kind for c in requirement_changes(base, after, core_scored=scored)]
    _, changes, _ = override_requirement(
        base, RequirementOverride(core=new), (), core_scored=scored
    )

    assert strictness.core(old, new, scored=scored) is kind
    assert from_diff == [c.kind for c in changes] == [kind]


limits = st.none() | st.integers(min_value=1, max_value=3650)
policies = st.builds(
    ExceptionPolicy,
    allowed=st.booleans(),
    core_allowed=st.booleans(),
    max_exceptions=limits,
    max_days=limits,
)


@given(old=policies, new=policies)
def test_the_diff_and_an_overlay_judge_an_exception_policy_alike(
    old: ExceptionPolicy, new: ExceptionPolicy
) -> None:
    """Each term an overlay changes has the kind the diff of the two policies gives it."""
    given = ExceptionsOverride(**new.model_dump(exclude={"proposal"}))
    policy, changes = override_exceptions(old, given, ("scoring", "exceptions"))
    scoring = MINI.scoring
    before = scoring.model_copy(update={"exceptions": old})
    after = scoring.model_copy(update={"exceptions": new})

    from_diff = [(c.field, c.kind) for c in scoring_changes(before, after)]

    assert policy == new
    assert from_diff == [(f"exceptions.{c.loc[-1]}", c.kind) for c in changes]


def _level(credit: float, meets: bool, points: float | None = None) -> RatingLevel:
    return RatingLevel(
        id="x", label="X", credit=credit, meets=meets, description="X.", points=points
    )


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        (_level(0.5, False), _level(1, True), ChangeKind.WEAKENED),
        (_level(1, True), _level(0.5, False), ChangeKind.TIGHTENED),
        (_level(0.5, False), _level(0.5, True), ChangeKind.WEAKENED),
        (_level(0.5, False, 2), _level(0.4, False, 3), ChangeKind.WEAKENED),
        (_level(0.5, False, 2), _level(0.5, False, 1), ChangeKind.TIGHTENED),
        (None, _level(0.5, False), ChangeKind.TIGHTENED),
        (_level(0.5, False), None, ChangeKind.WEAKENED),
        (_level(0.5, False), _level(0.5, False), None),
    ],
)
def test_an_unsupported_claim_is_judged_by_what_its_level_earns(
    old: RatingLevel | None, new: RatingLevel | None, kind: ChangeKind | None
) -> None:
    """More credit, points or counting as met, in any part, loosens; less in every part tightens."""
    assert strictness.unsupported_claim(old, new) is kind


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        (Validity(valid_for_days=365), Validity(valid_for_days=365, review_every_days=182),
         ChangeKind.TIGHTENED),
        (Validity(valid_for_days=365), Validity(valid_for_days=365, review_every_days=365),
         None),
        (Validity(valid_for_days=365), Validity(valid_for_days=365, review_every_days=730),
         ChangeKind.WEAKENED),
        (Validity(review_every_days=182), Validity(), ChangeKind.WEAKENED),
    ],
)  # fmt: skip
def test_a_review_interval_is_judged_by_when_the_review_falls_due(
    old: Validity, new: Validity, kind: ChangeKind | None
) -> None:
    """Without an interval the review is due when the decision lapses."""
    assert strictness.review_interval(old, new) is kind
    assert strictness.term(1095, 3650) is ChangeKind.WEAKENED
    assert strictness.term(365, None) is ChangeKind.WEAKENED
