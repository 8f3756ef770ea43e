"""
Which thresholds every possible value reaches (`metric_range`), checked against the rating
the audit actually gives: a threshold called empty is reached by every value the workbook can
hold, and one not called empty is missed by at least one of them.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citcert.audit.metrics import _metric_level
from citcert.standards import load_file
from citcert.standards.metric_range import ceiling, empty_thresholds
from citcert.standards.model import Metric, ProgramNumber
from citcert.workbook.ratings import Invalid, parse_amount, parse_percent, parse_whole
from tests.conftest import DATA

SCALE = load_file(DATA / "standards" / "mini.yaml").scoring.scale

NUMBERS = {
    n.id: n
    for n in (
        ProgramNumber(id="patrol", label="Patrol officers", unit="officers"),
        ProgramNumber(id="trained", label="Trained", unit="officers", not_more_than="patrol"),
        ProgramNumber(id="loose", label="Loose", unit="officers"),
        ProgramNumber(id="share", label="Share answered", unit="%", kind="number"),
        ProgramNumber(id="whole_share", label="Share, whole", unit="%"),
        ProgramNumber(id="met_on", label="Met on", unit="date", kind="date"),
    )
}

SHAPES: list[dict[str, Any]] = [
    {"unit": "visits", "inputs": ["patrol"]},
    {"unit": "hours"},
    {"unit": "%"},
    {"unit": "%", "inputs": ["share"]},
    {"unit": "%", "inputs": ["whole_share"]},
    {"unit": "%", "compute": "ratio", "inputs": ["trained", "patrol"]},
    {"unit": "%", "compute": "ratio", "inputs": ["loose", "patrol"]},
    {"unit": "days", "compute": "days_since", "inputs": ["met_on"]},
]
"""Every way a metric's value is formed, with and without a ceiling."""


def _possible_values(metric: Metric) -> list[float]:
    """The extremes a workbook can give this metric: its floor, its ceiling, a huge value."""
    top = ceiling(metric, NUMBERS)
    return [0.0, top.value if top is not None else 10.0**9]


@given(
    shape=st.sampled_from(SHAPES),
    direction=st.sampled_from(["at_least", "at_most"]),
    met=st.floats(min_value=-50, max_value=250, allow_nan=False),
)
def test_a_threshold_is_empty_exactly_when_every_value_reaches_it(
    shape: dict[str, Any], direction: str, met: float
) -> None:
    """Empty: the floor and the ceiling both rate at the top; not empty: one of them does not."""
    metric = Metric(label="M", direction=direction, met=met, **shape)
    top = SCALE.best.id
    levels = [_metric_level(SCALE, metric, value).id for value in _possible_values(metric)]

    empty = [which for which, _ in empty_thresholds(metric, NUMBERS)]

    assert (empty == ["met"]) == all(level == top for level in levels)


@pytest.mark.parametrize(
    ("shape", "direction", "met", "partial", "expected"),
    [
        ({"unit": "visits", "inputs": ["patrol"]}, "at_least", 0, None, ["met"]),
        ({"unit": "visits", "inputs": ["patrol"]}, "at_least", 0.1, None, []),
        ({"unit": "hours"}, "at_least", 40, 0, ["partial"]),
        ({"unit": "%"}, "at_most", 100, None, ["met"]),
        ({"unit": "%"}, "at_most", 99.9, None, []),
        ({"unit": "%"}, "at_least", 101, None, []),  # never met: strict, not empty
        ({"unit": "%", "compute": "ratio", "inputs": ["trained", "patrol"]}, "at_most", 150, 200,
         ["met", "partial"]),
        ({"unit": "%", "compute": "ratio", "inputs": ["loose", "patrol"]}, "at_most", 150, None,
         []),  # nothing keeps "loose" below "patrol": a share past 100% is possible
        ({"unit": "%", "inputs": ["whole_share"]}, "at_most", 100, None, []),  # an integer kind
        ({"unit": "days", "compute": "days_since", "inputs": ["met_on"]}, "at_most", 10**6, None,
         []),
    ],
)  # fmt: skip
def test_the_named_boundaries(
    shape: dict[str, Any], direction: str, met: float, partial: float | None, expected: list[str]
) -> None:
    """At the floor and the ceiling, just inside them, and where no ceiling is known."""
    metric = Metric(label="M", direction=direction, met=met, partial=partial, **shape)

    assert [which for which, _ in empty_thresholds(metric, NUMBERS)] == expected


@pytest.mark.parametrize(
    ("parse", "raw"),
    [
        (parse_amount, -1),
        (parse_whole, -3),
        (parse_percent, "-5%"),
        (parse_percent, 150),
        (parse_percent, "100.5%"),
    ],
)
def test_the_reader_holds_the_floor_and_the_ceiling_relied_on(parse: Any, raw: object) -> None:
    """What the guardrails assume of a value is what the workbook reader enforces."""
    assert isinstance(parse(raw), Invalid)
