"""
Which of a program's assessments a roll-up counts. Pure.

Workbooks are the same program when its name and jurisdiction read the same (case, spacing and
Unicode form aside). Of those, the latest assessment is counted; on the same day a review
before a self-assessment (the review is the one a decision rests on); then, on the same day and
of the same kind, the one later in the batch. The batch's collector applies the rule as the
workbooks come in, and ``batch --since`` applies it to an earlier roll-up that counted every
workbook: one rule, one function (`recency`), one keeper (`Latest`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from citcert._words import plain_name
from citcert.workbook.evidence import Mode

ProgramKey = tuple[str, str]
"""A program as the roll-up tells programs apart: its name and jurisdiction as people read them."""

Recency = tuple[dt.date, bool, bool, int]
"""What `recency` returns; of two assessments of one program, the larger is counted."""

T = TypeVar("T")


def program_key(program: str, jurisdiction: str | None) -> ProgramKey:
    """The program a row with this name and jurisdiction is an assessment of."""
    return plain_name(program), plain_name(jurisdiction or "")


def recency(
    day: dt.date | None, mode: Mode | None, order: int, *, preferred: bool = False
) -> Recency:
    """
    What picks a program's counted row, the largest first: the latest assessment date, then a
    review, then a `preferred` row (see `citcert.audit.calendar`), then the later in the
    batch's order. An undated row comes before any dated one.
    """
    return day or dt.date.min, mode is Mode.REVIEW, preferred, order


@dataclass
class Latest(Generic[T]):
    """Each program's counted item so far: offered items, kept by the largest `Recency`."""

    kept: dict[ProgramKey, tuple[Recency, T]] = field(default_factory=dict)

    def offer(self, key: ProgramKey, rank: Recency, item: T) -> None:
        """Keep `item` as its program's if it is the first offered or beats the one kept."""
        if key not in self.kept or rank > self.kept[key][0]:
            self.kept[key] = (rank, item)

    def get(self, key: ProgramKey) -> T:
        """The item kept for a program offered before."""
        return self.kept[key][1]

    def __iter__(self) -> Iterator[T]:
        """The items kept, in the order their programs were first offered."""
        return (item for _, item in self.kept.values())
