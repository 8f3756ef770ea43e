"""
The model of one line of ``citcert standards list --format json``, for its published schema.

The listing itself is written from plain dictionaries (`citcert.standards.catalog`), so listing
needs no pydantic once the cache is warm; this model only describes those dictionaries, and a
test holds the two together.
"""

from __future__ import annotations

from citcert.standards.model import Model


class StandardListed(Model):
    """One standard citcert can find (or a file it skipped), as ``standards list --format json``
    describes it."""

    id: str | None
    version: str | None
    ref: str | None
    """``id@version``, as ``--standard`` accepts it."""
    status: str | None
    """``draft``, ``current`` or ``superseded``."""
    title: str | None
    effective: str | None
    """The date it takes effect, ``YYYY-MM-DD``."""
    domains: int | None
    requirements: int | None
    core: int | None
    """How many of its requirements are core."""
    overlay_of: str | None
    """The ``id@version`` it tailors, for an overlay; else ``None``."""
    source: str
    """``built-in``, or the file it was read from."""
    problems: tuple[str, ...] = ()
    """Why the file was skipped, each with its place; empty for a standard that loaded (a
    skipped file's other fields are null, but its ``id`` when that could be read)."""
