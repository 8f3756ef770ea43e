"""
The names a workbook is read by, and the checks that keep each one meaning one thing.

A rating typed in a workbook is found by its spelling: a level's label, id or one of its
aliases, or a spelling of "not applicable", compared with case, spaces, dashes and underscores
forgiven (`spelling_key`). If one spelling named two levels, a rating typed "Not met" could be
read as Met, so `name_problems` refuses a spelling given to two meanings. The Program sheet lists
the program's own fields and the standard's program numbers in one ID column, so a number may
not take the id of one of those fields.

The workbook reader (`citcert.workbook.ratings`, `citcert.workbook.layout`) compares with the
same `spelling_key` and `scale_spellings`, so the check and the reading cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citcert.standards.model import RatingScale, Standard

Loc = tuple[str | int, ...]

ALWAYS_NOT_APPLICABLE = ("n/a", "na")
"""Spellings of "not applicable" every scale accepts, whatever it lists."""

PROGRAM_SHEET_FIELDS = (
    "program_name",
    "jurisdiction",
    "state",
    "agencies",
    "coordinator",
    "contact",
    "population_served",
    "assessment_type",
    "assessment_date",
    "reviewer",
)
"""The Program sheet's own rows, by ID (`citcert.workbook.layout.PROFILE_FIELDS`; a test keeps
the two the same)."""

_SPACES = re.compile(r"[\s_\-]+")


def spelling_key(text: object) -> str:
    """A header, ID or rating as the reader compares it: lower case, spaces and dashes collapsed."""
    if text is None:
        return ""
    return _SPACES.sub(" ", str(text)).strip().casefold()


def scale_spellings(scale: RatingScale) -> Iterator[tuple[Loc, str, str | None]]:
    """
    Every spelling a rating may be typed in, with where the standard gives it and the level it
    names (``None``: not applicable), in the order the reader tries them.
    """
    base: Loc = ("scoring", "scale")
    for i, level in enumerate(scale.levels):
        yield (*base, "levels", i, "label"), level.label, level.id
        yield (*base, "levels", i, "id"), level.id, level.id
        for k, alias in enumerate(level.aliases):
            yield (*base, "levels", i, "aliases", k), alias, level.id
    yield (*base, "not_applicable_label"), scale.not_applicable_label, None
    for k, alias in enumerate(scale.not_applicable_aliases):
        yield (*base, "not_applicable_aliases", k), alias, None
    for spelling in ALWAYS_NOT_APPLICABLE:
        yield base, spelling, None


def name_problems(standard: Standard) -> Iterator[tuple[Loc, str]]:
    """Spellings that name two levels, and program numbers named like a Program sheet field."""
    yield from _spellings(standard.scoring.scale)
    fields = {spelling_key(field): field for field in PROGRAM_SHEET_FIELDS}
    for i, number in enumerate(standard.program_numbers):
        field = fields.get(spelling_key(number.id))
        if field is not None:
            yield (
                ("program_numbers", i, "id"),
                f"`{number.id}` is the ID of one of the Program sheet's own rows ({field}), so "
                "the workbook could not tell the number from it; give the number another id",
            )


def _spellings(scale: RatingScale) -> Iterator[tuple[Loc, str]]:
    """
    A spelling given to two meanings, blamed on the alias when one is an alias (labels and ids
    are taken first), else on the one the standard lists second.
    """
    implicit: Loc = ("scoring", "scale")
    entries = sorted(scale_spellings(scale), key=lambda entry: _is_alias(entry[0]))
    first: dict[str, tuple[Loc, str, str | None]] = {}
    for entry in entries:
        earlier = first.setdefault(spelling_key(entry[1]), entry)
        if earlier[2] == entry[2]:
            continue
        culprit, other = (earlier, entry) if entry[0] == implicit else (entry, earlier)
        yield (
            culprit[0],
            f'"{culprit[1]}" also means {_meaning(scale, other[2])}, so a rating typed so '
            "could be read as either; give each spelling to one level only",
        )


def _is_alias(loc: Loc) -> bool:
    return "aliases" in loc or "not_applicable_aliases" in loc


def _meaning(scale: RatingScale, level_id: str | None) -> str:
    if level_id is None:
        return "not applicable"
    return f"the level {scale.level(level_id).label} ({level_id})"


def is_percent_unit(unit: str) -> bool:
    """
    True when a metric or number is a percentage (its unit is ``%`` or ``percent``): the
    workbook reads it as 0 to 100%, and the overlay guardrails (`metric_range`) rely on that.
    """
    return unit.strip().casefold() in {"%", "percent", "per cent", "percentage"}
