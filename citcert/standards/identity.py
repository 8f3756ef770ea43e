"""
How a standard is named and where it is in its life, without pydantic (light to import).

A reference is ``id`` or ``id@version``: `StandardRef.parse` splits it once, and everything
that looks a standard up works on the parsed value. `StandardStatus` is the ``status:`` of a
standard file; `citcert.standards.model` uses it, and the registry compares file headers with it
before any model is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
