"""Built-in and user standards by ``id@version`` (work in progress)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from citcert.errors import StandardNotFoundError
from citcert.standards.model import Standard

DEFAULT_STANDARD = "cit-best-practice"


def find_standard(
    ref: str | None = None, *, overlay: Path | None = None, dirs: Sequence[Path] = ()
) -> Standard:
    """The standard named by ``id[@version]`` (default: the newest current best-practice one)."""
    raise StandardNotFoundError.single(f"no standard named {ref or DEFAULT_STANDARD} yet")
