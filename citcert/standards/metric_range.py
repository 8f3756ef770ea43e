"""
The values a metric can take, and the thresholds that every one of them reaches.

A threshold that every possible value reaches asks nothing: a requirement with ``met: 0`` on
a count is met by every program, so adding it only adds weight that every program earns. The
overlay resolver refuses such a threshold (`empty_thresholds`) wherever an overlay writes one.

What bounds a value is what the workbook reader lets through, so it is stated here once:

- nothing is below 0: counts and amounts are read as 0 or more, shares as 0 to 100%, a ratio
  divides two of them, and days since a date count from a date the workbook may not put after
  its as-of date;
- a share is at most 100%: a metric value or a program number whose unit is a percentage (a
  typed number is refused above 100%, a share computed from a record sheet cannot exceed it),
  and a ratio whose first number may not exceed the second (``not_more_than``);
- nothing else has a ceiling (a count, hours, days since a date).

Pure. What a share is (`names.is_percent_unit`) is the workbook reader's own test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from citcert.standards.model import (
    Direction,
    Metric,
    MetricCompute,
    NumberKind,
    ProgramNumber,
    RecordCompute,
)
from citcert.standards.names import is_percent_unit

_SHARES = (RecordCompute.SHARE, RecordCompute.SHARE_WITHIN_DAYS, RecordCompute.SHARE_RECENT)


@dataclass(frozen=True, slots=True)
class Ceiling:
    """The largest value a metric can take, and why, in words."""

    value: float
    why: str


def ceiling(metric: Metric, numbers: Mapping[str, ProgramNumber]) -> Ceiling | None:
    """The most a metric's value can be, or ``None`` when nothing bounds it from above."""
    match metric.compute:
        case MetricCompute.VALUE if not metric.inputs:
            if is_percent_unit(metric.unit):
                return Ceiling(100, "a share typed on the requirement's row is at most 100%")
        case MetricCompute.VALUE:
            number = numbers.get(metric.inputs[0])
            if number is not None and _is_share(number):
                return Ceiling(100, f"{number.label} is a share, at most 100%")
        case MetricCompute.RATIO:
            part, whole = (numbers.get(i) for i in metric.inputs)
            if part is not None and whole is not None and part.not_more_than == whole.id:
                why = f"“{part.label}” may not exceed “{whole.label}”, so the share is at most 100%"
                return Ceiling(100, why)
        case MetricCompute.DAYS_SINCE:
            pass
    return None


def _is_share(number: ProgramNumber) -> bool:
    """A typed percentage (read as 0 to 100%), whether or not a record sheet computes it."""
    typed = number.kind is NumberKind.NUMBER and is_percent_unit(number.unit)
    computed = number.from_records is None or number.from_records.compute in _SHARES
    return typed and computed


_FLOOR = "no value is below 0"


def empty_thresholds(metric: Metric, numbers: Mapping[str, ProgramNumber]) -> list[tuple[str, str]]:
    """
    The thresholds of `metric` that every possible value reaches, as ``(threshold, why)``:
    ``met`` (the requirement is met by every program) and ``partial`` (none can fall short of
    partial credit). Empty when every threshold asks something.
    """
    top = ceiling(metric, numbers)
    found: list[tuple[str, str]] = []
    for which in ("met", "partial"):
        threshold = getattr(metric, which)
        if threshold is None:
            continue
        if metric.direction is Direction.AT_LEAST and threshold <= 0:
            found.append((which, _FLOOR))
        elif metric.direction is Direction.AT_MOST and top is not None and threshold >= top.value:
            found.append((which, top.why))
    return found
