"""
Metrics: a measurable requirement's value, worked out from the program's numbers, and its level.

The numbers win over a person's rating wherever they can be worked out (see `scoring`), so
how a value is computed (a plain value, a ratio of two numbers, days since a date), how it is
shown with its working ("12 CIT-trained officers of 40 patrol officers = 30%"), and which level
its thresholds give live together here. A value that cannot be worked out has no level, and its
display says why. Ratios are rounded to one decimal before they meet a threshold, so the number
printed is the one judged.
"""

from __future__ import annotations

import datetime as dt
from typing import assert_never

from citcert._words import number, quantity
from citcert.audit.assessment import MetricResult
from citcert.audit.context import Context
from citcert.standards.model import Direction, Metric, MetricCompute, RatingLevel, RatingScale
from citcert.workbook.evidence import RequirementEvidence


def measure(ctx: Context, metric: Metric, row: RequirementEvidence) -> MetricResult:
    """A metric's value with its working, and the level it earns (``None`` if it cannot)."""
    value, display = _value(ctx, metric, row)
    workings = [
        f"{item.label}: {item.working}"
        for number_id in metric.inputs
        if (item := ctx.derived.get(number_id)) is not None and item.value is not None
    ]
    if workings:
        display = f"{display} (from the records: {'; '.join(workings)})"
    level = None if value is None else _metric_level(ctx.scale, metric, value).id
    return MetricResult(
        label=metric.label,
        unit=metric.unit,
        value=value,
        display=display,
        threshold=metric.thresholds_text(ctx.scale),
        level=level,
    )


def _value(ctx: Context, metric: Metric, row: RequirementEvidence) -> tuple[float | None, str]:
    match metric.compute:
        case MetricCompute.VALUE:
            return _plain_value(ctx, metric, row)
        case MetricCompute.RATIO:
            return _ratio(ctx, metric)
        case MetricCompute.DAYS_SINCE:
            return _days_since(ctx, metric)
        case _:
            assert_never(metric.compute)


def _plain_value(
    ctx: Context, metric: Metric, row: RequirementEvidence
) -> tuple[float | None, str]:
    if metric.inputs:
        value, problem = _number(ctx, metric.inputs[0])
    elif row.metric_value is None:
        value, problem = None, "the value on the requirement's row is not given"
    else:
        value, problem = row.metric_value, ""
    if value is None:
        return None, f"cannot be worked out: {problem}"
    return value, quantity(value, metric.unit)


def _ratio(ctx: Context, metric: Metric) -> tuple[float | None, str]:
    part, problem = _number(ctx, metric.inputs[0])
    whole, problem_whole = _number(ctx, metric.inputs[1])
    if part is None or whole is None:
        return None, f"cannot be worked out: {problem or problem_whole}"
    if whole == 0:
        return None, f"cannot be worked out: {_label(ctx, metric.inputs[1])} is 0"
    value = round(100 * part / whole, 1)
    named = (
        f"{number(part)} {_lower_first(_label(ctx, metric.inputs[0]))} of "
        f"{number(whole)} {_lower_first(_label(ctx, metric.inputs[1]))}"
    )
    return value, f"{named} = {quantity(value, metric.unit)}"


def _days_since(ctx: Context, metric: Metric) -> tuple[float | None, str]:
    when = ctx.numbers.get(metric.inputs[0])
    if not isinstance(when, dt.date):
        label = _label(ctx, metric.inputs[0])
        problem = f"{label} is not given" if when is None else f"{label} is not a date"
        return None, f"cannot be worked out: {problem}"
    days = (ctx.as_of - when).days
    return float(days), f"{quantity(days, metric.unit)} since {when.isoformat()}"


def _number(ctx: Context, number_id: str) -> tuple[float | None, str]:
    """A program number as a float, or ``None`` and why not."""
    value = ctx.numbers.get(number_id)
    label = _label(ctx, number_id)
    if value is None:
        return None, f"{label} is not given"
    if isinstance(value, dt.date):
        return None, f"{label} is a date, not a number"
    return float(value), ""


def _metric_level(scale: RatingScale, metric: Metric, value: float) -> RatingLevel:
    def reaches(threshold: float) -> bool:
        match metric.direction:
            case Direction.AT_LEAST:
                return value >= threshold
            case Direction.AT_MOST:
                return value <= threshold
            case _:
                assert_never(metric.direction)

    if reaches(metric.met):
        return scale.best
    if metric.partial is not None and reaches(metric.partial):
        return scale.partial
    return scale.levels[-1]


def _label(ctx: Context, number_id: str) -> str:
    try:
        return ctx.standard.number(number_id).label
    except KeyError:
        return number_id


def _lower_first(label: str) -> str:
    """``Patrol officers`` → ``patrol officers``, but ``CIT-trained`` stays as written."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label
