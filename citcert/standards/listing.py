"""
The model of one line of ``citcert standards list --format json``, for its published schema.

The listing itself is written from plain dictionaries (`citcert.standards.catalog`), so listing
needs no pydantic once the cache is warm; this model only describes those dictionaries, and a
test holds the two together.
"""

from __future__ import annotations

from citcert.standards.model import Model


class StandardListed(Model):
    """One standard citcert can find, as ``standards list --format json`` describes it."""

    id: str
    version: str
    ref: str
    """``id@version``, as ``--standard`` accepts it."""
    status: str
    """``draft``, ``current`` or ``superseded``."""
    title: str
    effective: str
    """The date it takes effect, ``YYYY-MM-DD``."""
    domains: int
    requirements: int
    core: int
    """How many of its requirements are core."""
    overlay_of: str | None
    """The ``id@version`` it tailors, for an overlay; else ``None``."""
    source: str
    """``built-in``, or the file it was read from."""
