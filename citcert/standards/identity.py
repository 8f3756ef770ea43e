"""
How a standard is named and where it is in its life, without pydantic (light to import).

A reference is ``id`` or ``id@version``: `StandardRef.parse` splits it once, and everything
that looks a standard up works on the parsed value. `StandardStatus` is the ``status:`` of a
standard file; `citcert.standards.model` uses it, and the registry compares file headers with it
before any model is built.

`RequirementId`, `DomainId` and `LevelId` are the ids inside a standard. All three are text, so
each is its own type: a decision level's id passed where a requirement's is expected is a type
error, not a silent miss in a lookup. Text from a file becomes one of them where it is read (the
models' fields, the workbook's ID column); the patterns they must match are in
`citcert.standards.model`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NewType

RequirementId = NewType("RequirementId", str)
"""A requirement's stable id, e.g. ``TRN-01``."""

DomainId = NewType("DomainId", str)
"""A domain's id, e.g. ``TRN``."""

LevelId = NewType("LevelId", str)
"""A decision level's id, e.g. ``certified`` (not a rating level such as ``met``)."""


class StandardStatus(StrEnum):
    """Where a standard is in its life."""

    DRAFT = "draft"
    CURRENT = "current"
    SUPERSEDED = "superseded"


@dataclass(frozen=True, slots=True)
class StandardRef:
    """A reference to a standard: its id, and its version when one is named."""

    id: str
    version: str | None = None
    """None means the newest ``current`` version of `id`."""

    @classmethod
    def parse(cls, text: str) -> StandardRef:
        """``id`` or ``id@version`` (an empty version is no version)."""
        identity, _, version = text.partition("@")
        return cls(identity, version or None)

    def __str__(self) -> str:
        return self.id if self.version is None else f"{self.id}@{self.version}"

    def names(self, text: str) -> bool:
        """True when `text` (``id`` or ``id@version``) names this standard or its id alone."""
        other = StandardRef.parse(text)
        return other.id == self.id and other.version in (None, self.version)
