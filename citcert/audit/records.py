"""
Program numbers computed from record sheets: the roster counted rather than the count trusted.

Pure: the standard's declared computations (`FromRecords` on a program number) applied to the
rows the workbook's record sheets hold, as of the assessment date. Each result says in words
what it was computed from ("45 of 180 rows with Assignment Patrol have CIT course completed
filled in") and carries the counts it used, never a row: no identifier reaches a report.

Decisions taken here, and why:

- **Records win, typed numbers are the fall-back.** When the sheet a number is computed from
  has rows, the computed value is used; a typed number that differs is kept beside it so the
  report can name both. An empty sheet leaves the typed number as it is.
- **Conditions are plain.** A column must hold a given choice (``Patrol``), ``Yes`` or ``No``,
  or be ``given`` or ``blank``; choices match without regard to case.
- **Shares are rounded once**, to one decimal, like every ratio metric, so the number printed is
  the number judged.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import assert_never

from citcert._words import join_words, percent, plural
from citcert.audit.assessment import DerivedNumber, QuarterOutcomes, RecordInputs
from citcert.standards.model import FromRecords, ProgramNumber, RecordCompute, Standard
from citcert.standards.records import RECORD_SHEETS, RecordSheet
from citcert.workbook.evidence import Evidence, NumberValue, RecordRow, RecordValue

GIVEN, BLANK = "given", "blank"


def derive_numbers(
    standard: Standard, evidence: Evidence, as_of: dt.date
) -> tuple[DerivedNumber, ...]:
    """
    Every program number computable from a record sheet that holds rows, in standard order;
    not one a reviewer corrected, whose number stands over the records'.
    """
    derived = []
    for number in standard.program_numbers:
        spec = number.from_records
        rows = evidence.records.get(spec.sheet, ()) if spec else ()
        if spec is None or not rows or number.id in evidence.corrected:
            continue
        result = _compute(RECORD_SHEETS[spec.sheet], spec, rows, as_of)
        typed = evidence.numbers.get(number.id)
        derived.append(_with_typed(number, spec, result, typed))
    return tuple(derived)


def quarterly_outcomes(standard: Standard, evidence: Evidence) -> tuple[QuarterOutcomes, ...]:
    """
    The trend of the Quarterly data sheet: per quarter, oldest first, its CIT calls, the share
    resolved on scene, referred or taken to treatment and arrested, and whether its report was
    on time (by the days of the standard's own on-time computation, when it has one).
    """
    days = next(
        (
            n.from_records.days
            for n in standard.program_numbers
            if n.from_records is not None
            and n.from_records.sheet == "quarterly"
            and n.from_records.compute is RecordCompute.SHARE_WITHIN_DAYS
        ),
        None,
    )
    dated = [
        r
        for r in evidence.records.get("quarterly", ())
        if isinstance(r.get("quarter_end"), dt.date)
    ]
    quarters = []
    for row in sorted(dated, key=lambda r: r["quarter_end"]):  # type: ignore[arg-type,return-value]
        end, sent = row["quarter_end"], row.get("report_sent")
        assert isinstance(end, dt.date)
        calls = _amount(row.get("cit_calls"))
        sent_on = sent if isinstance(sent, dt.date) else None
        on_time = None if days is None or sent_on is None else 0 <= (sent_on - end).days <= days
        quarters.append(
            QuarterOutcomes(
                quarter_end=end,
                cit_calls=calls,
                resolved=_share_of(row.get("resolved"), calls),
                treatment=_share_of(row.get("treatment"), calls),
                arrested=_share_of(row.get("arrested"), calls),
                report_sent=sent_on,
                on_time=on_time,
            )
        )
    return tuple(quarters)


def _amount(value: RecordValue) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _share_of(value: RecordValue, calls: float | None) -> float | None:
    count = _amount(value)
    return None if count is None or not calls else round(100 * count / calls, 1)


def effective_numbers(
    numbers: Mapping[str, NumberValue | None], derived: Sequence[DerivedNumber]
) -> dict[str, NumberValue | None]:
    """The program numbers scoring uses: computed ones where they could be computed, else typed."""
    effective = dict(numbers)
    for item in derived:
        if item.value is not None:
            effective[item.number_id] = item.value
    return effective


@dataclass(frozen=True, slots=True)
class _Result:
    value: int | float | dt.date | None
    working: str
    inputs: RecordInputs


def _with_typed(
    number: ProgramNumber, spec: FromRecords, result: _Result, typed: NumberValue | None
) -> DerivedNumber:
    agrees = None
    if result.value is not None and typed is not None:
        agrees = _same(result.value, typed)
    return DerivedNumber(
        number_id=number.id,
        label=number.label,
        sheet=RECORD_SHEETS[spec.sheet].title,
        value=result.value,
        working=result.working,
        inputs=result.inputs,
        typed=typed,
        agrees=agrees,
    )


def _same(a: NumberValue, b: NumberValue) -> bool:
    if isinstance(a, dt.date) or isinstance(b, dt.date):
        return a == b
    return round(float(a), 1) == round(float(b), 1)


def _compute(
    sheet: RecordSheet, spec: FromRecords, rows: Sequence[RecordRow], as_of: dt.date
) -> _Result:
    pool = [row for row in rows if _matches(row, spec.where)]
    scope = _scope(sheet, spec.where, len(pool))
    match spec.compute:
        case RecordCompute.COUNT:
            return _Result(len(pool), scope, {"rows": len(rows), "counted": len(pool)})
        case RecordCompute.SHARE:
            return _share(sheet, spec, pool, scope)
        case RecordCompute.DISTINCT:
            values = sorted(_groups(pool, spec.column))
            header = _header(sheet, spec.column)
            text = f"{len(values)} different {header} values among {scope}"
            return _Result(len(values), text, {"rows": len(pool), "groups": len(values)})
        case RecordCompute.COVERED:
            return _covered(sheet, spec, pool, scope)
        case RecordCompute.LATEST:
            return _latest(sheet, spec, pool, scope)
        case RecordCompute.LONGEST_GAP_DAYS:
            return _longest_gap(sheet, spec, pool, scope, as_of)
        case RecordCompute.COUNT_WITHIN_DAYS:
            return _count_within(sheet, spec, pool, scope, as_of)
        case RecordCompute.SHARE_WITHIN_DAYS:
            return _share_within(sheet, spec, pool, scope)
        case RecordCompute.SHARE_RECENT:
            return _share_recent(sheet, spec, pool, scope, as_of)
        case _:
            assert_never(spec.compute)


def _share(sheet: RecordSheet, spec: FromRecords, pool: list[RecordRow], scope: str) -> _Result:
    hits = sum(_matches(row, spec.match) for row in pool)
    inputs: RecordInputs = {"rows": len(pool), "matching": hits}
    if not pool:
        return _Result(None, f"no rows to count: {scope}", inputs)
    share = round(100 * hits / len(pool), 1)
    text = f"{hits} of {scope} {_conditions(sheet, spec.match, verb='have')} = {percent(share)}"
    return _Result(share, text, inputs)


def _covered(sheet: RecordSheet, spec: FromRecords, pool: list[RecordRow], scope: str) -> _Result:
    header = _header(sheet, spec.column)
    counts: dict[str, int] = dict.fromkeys(_groups(pool, spec.column), 0)
    for row in pool:
        group = _text(row.get(spec.column or ""))
        if group and _matches(row, spec.match):
            counts[group] += 1
    missing = tuple(g for g in sorted(counts) if counts[g] < spec.at_least)
    covered = len(counts) - len(missing)
    needs = plural(spec.at_least, "row")
    text = (
        f"{covered} of {len(counts)} {header} values have at least {needs} "
        f"{_conditions(sheet, spec.match, verb='with')}, among {scope}"
    )
    if missing:
        verb = "has" if len(missing) == 1 else "have"
        text += f"; {header} {join_words(list(missing))} {verb} none"
    inputs: RecordInputs = {"groups": len(counts), "covered": covered, "missing": missing}
    return _Result(covered, text, inputs)


def _longest_gap(
    sheet: RecordSheet, spec: FromRecords, pool: list[RecordRow], scope: str, as_of: dt.date
) -> _Result:
    header = _header(sheet, spec.column)
    dates = sorted({d for d in _dates(pool, spec.column) if d <= as_of} | {as_of})
    if len(dates) < 2:
        return _Result(None, f"no {header} date up to {as_of.isoformat()} among {scope}", {})
    start, end = max(itertools.pairwise(dates), key=lambda pair: (pair[1] - pair[0]).days)
    days = (end - start).days
    text = (
        f"the longest interval between {header} dates (or from the last to "
        f"{as_of.isoformat()}) is {days} days, {start.isoformat()} to {end.isoformat()}, "
        f"among {scope}"
    )
    return _Result(
        days, text, {"dated": len(dates) - 1, "from": start.isoformat(), "to": end.isoformat()}
    )


def _share_within(
    sheet: RecordSheet, spec: FromRecords, pool: list[RecordRow], scope: str
) -> _Result:
    header, after = _header(sheet, spec.column), _header(sheet, spec.after)
    days = spec.days or 0
    dated = [row for row in pool if isinstance(row.get(spec.after or ""), dt.date)]
    hits = 0
    for row in dated:
        when, start = row.get(spec.column or ""), row.get(spec.after or "")
        if isinstance(when, dt.date) and isinstance(start, dt.date):
            hits += 0 <= (when - start).days <= days
    inputs: RecordInputs = {"rows": len(dated), "within": hits}
    if not dated:
        return _Result(None, f"no {after} date among {scope}", inputs)
    share = round(100 * hits / len(dated), 1)
    text = (
        f"{hits} of {plural(len(dated), 'row')} give a {header} at most {days} days after "
        f"{after} = {percent(share)}, among {scope}"
    )
    return _Result(share, text, inputs)


def _latest(sheet: RecordSheet, spec: FromRecords, pool: list[RecordRow], scope: str) -> _Result:
    dates = _dates(pool, spec.column)
    header = _header(sheet, spec.column)
    if not dates:
        return _Result(None, f"no {header} date among {scope}", {"dated": 0})
    latest = max(dates)
    text = f"the latest {header} is {latest.isoformat()}, among {scope}"
    return _Result(latest, text, {"dated": len(dates), "latest": latest.isoformat()})


def _count_within(
    sheet: RecordSheet, spec: FromRecords, pool: list[RecordRow], scope: str, as_of: dt.date
) -> _Result:
    days = spec.days or 0
    inside = [d for d in _dates(pool, spec.column) if 0 <= (as_of - d).days <= days]
    header = _header(sheet, spec.column)
    text = (
        f"{plural(len(inside), 'row')} with {header} in the {days} days up to "
        f"{as_of.isoformat()}, among {scope}"
    )
    return _Result(len(inside), text, {"rows": len(pool), "within": len(inside)})


def _share_recent(
    sheet: RecordSheet, spec: FromRecords, pool: list[RecordRow], scope: str, as_of: dt.date
) -> _Result:
    """The share of the rows with a date in `column` (or `also`) in the `days` up to `as_of`."""
    days = spec.days or 0
    columns = [c for c in (spec.column, spec.also) if c]
    hits = 0
    for row in pool:
        dates = [d for c in columns if isinstance(d := row.get(c), dt.date)]
        hits += any(0 <= (as_of - d).days <= days for d in dates)
    inputs: RecordInputs = {"rows": len(pool), "within": hits}
    if not pool:
        return _Result(None, f"no rows to count: {scope}", inputs)
    share = round(100 * hits / len(pool), 1)
    named = " or ".join(_header(sheet, c) for c in columns)
    text = (
        f"{hits} of {scope} have a {named} date in the {days} days up to "
        f"{as_of.isoformat()} = {percent(share)}"
    )
    return _Result(share, text, inputs)


def _matches(row: RecordRow, conditions: Mapping[str, str]) -> bool:
    return all(_holds(row.get(column), wanted) for column, wanted in conditions.items())


def _holds(value: RecordValue, wanted: str) -> bool:
    key = wanted.casefold()
    if key == GIVEN:
        return value is not None and value != ""
    if key == BLANK:
        return value is None or value == ""
    if isinstance(value, bool):
        return value is (key == "yes")
    return isinstance(value, str) and value.casefold() == key


def _groups(rows: Sequence[RecordRow], column: str | None) -> set[str]:
    return {group for row in rows if (group := _text(row.get(column or "")))}


def _text(value: RecordValue) -> str:
    return value.strip() if isinstance(value, str) else ""


def _dates(rows: Sequence[RecordRow], column: str | None) -> list[dt.date]:
    return [d for row in rows if isinstance(d := row.get(column or ""), dt.date)]


def _header(sheet: RecordSheet, column: str | None) -> str:
    """A column's header as the workings quote it: ``“CIT course completed”``."""
    return f"“{sheet.column(column).header}”" if column else ""


def _scope(sheet: RecordSheet, where: Mapping[str, str], count: int) -> str:
    """``180 rows of the Officers sheet with Assignment Patrol``."""
    base = f"{plural(count, 'row')} of the {sheet.title} sheet"
    return f"{base} {_conditions(sheet, where, verb='with')}" if where else base


def _conditions(sheet: RecordSheet, conditions: Mapping[str, str], *, verb: str) -> str:
    parts = []
    for column, wanted in conditions.items():
        header = _header(sheet, column)
        match wanted.casefold():
            case "given":
                parts.append(f"{header} filled in")
            case "blank":
                parts.append(f"{header} empty")
            case _:
                parts.append(f"{header} {wanted}")
    return f"{verb} {join_words(parts)}"
