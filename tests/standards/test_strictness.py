"""
The one classifier of tightening and weakening, used by overlays and by the diff alike.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from citcert.standards import strictness
from citcert.standards.model import ChangeKind
from citcert.standards.overrides import _compare
from citcert.standards.requirement_changes import ordered

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
