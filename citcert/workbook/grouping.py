"""
Repeated warnings told once: the same warning in many rows of one column becomes one line.

A workbook with 40 blank reviewer ratings gives one warning, ``Evidence!M5:M50 (reviewer
rating): not answered yet in 40 rows (PART-01 to DSP-04)``, not 40. Warnings that occur in fewer
than `GROUP_FROM` rows stay as they are, in their place; a group takes the place of its first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from citcert.errors import Location, Problem

GROUP_FROM = 3
"""How many rows of the same warning in one column are told as one."""

_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def grouped(warnings: Sequence[Problem]) -> list[Problem]:
    """`warnings` in order, each run of the same warning down one column told once."""
    groups: dict[tuple[object, ...], list[Problem]] = {}
    order: list[tuple[object, ...] | Problem] = []
    for warning in warnings:
        key = _key(warning)
        if key is None:
            order.append(warning)
            continue
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(warning)
    out: list[Problem] = []
    for item in order:
        if isinstance(item, Problem):
            out.append(item)
        elif len(groups[item]) >= GROUP_FROM:
            out.append(_group(groups[item]))
        else:
            out += groups[item]
    return out


def _key(warning: Problem) -> tuple[object, ...] | None:
    """What makes two warnings the same: file, sheet, column, message and the subject's kind."""
    place = warning.location
    match = _CELL.match(place.cell or "")
    if match is None or not place.sheet:
        return None
    return (place.file, place.sheet, match.group(1), warning.message, _kind(warning.subject))


def _kind(subject: str | None) -> str | None:
    """``TRN-01, reviewer rating`` -> ``reviewer rating``: the subject without its row's id."""
    return subject.partition(", ")[2] or subject if subject else None


def _group(same: list[Problem]) -> Problem:
    first, last = same[0], same[-1]
    cells = f"{first.location.cell}:{last.location.cell}"
    where = Location(file=first.location.file, sheet=first.location.sheet, cell=cells)
    ids = [w.subject.partition(", ")[0] for w in same if w.subject and ", " in w.subject]
    span = f" ({ids[0]} to {ids[-1]})" if ids else ""
    return Problem(where, f"{first.message} in {len(same)} rows{span}", _kind(first.subject))
