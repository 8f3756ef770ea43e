"""
The standards store: where standards are looked for and where loaded ones are kept.

One store is built per command at the application boundary (`citcert.app.settings` reads
``--standards-dir``, ``CITCERT_STANDARDS_PATH`` and the cache settings) and passed down to the
registry, the loader and the overlays, so nothing below reads the environment. It holds:

- the user folders, searched in order before the built-ins;
- the cache folder on disk (`citcert.standards.cache`), or None for no cache;
- what this command has already read: the header of every file it looked at and every
  standard it loaded, keyed by the file's path, change time and size, so that looking a
  standard up twice (an overlay and its base, a batch's workbooks) reads each file once.

The store is light to import (no pydantic, no YAML parser) and is sent to batch workers
without what it has read: each worker process fills its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from citcert.errors import Problem

if TYPE_CHECKING:
    from citcert.standards.model import Standard

FileKey = tuple[str, int, int]
"""A file as the store remembers it: its path, change time (ns) and size."""


@dataclass(frozen=True, slots=True)
class Header:
    """The id, version and status at the top of a standard file."""

    id: str
    version: str
    status: str | None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A YAML file in a search folder that could not be read as a standard, and why."""

    path: Path
    problems: tuple[Problem, ...]
    """Each problem located in the file (``file:line:col: message``)."""
    id: str | None = None
    """The id the file declares, when it could be read before the problem; else None."""
    builtin: bool = False

    @property
    def origin(self) -> str:
        """Where the file comes from, in words: ``built-in`` or its path."""
        return "built-in" if self.builtin else str(self.path)

    def might_be(self, identity: str) -> bool:
        """True when this file may hold the standard `identity` (its id is it, or unknown)."""
        return self.id is None or self.id == identity


class StandardsStore:
    """User folders, the cache folder, and what this command has read (see the module)."""

    __slots__ = ("cache_dir", "folders", "headers", "loaded")

    def __init__(self, folders: Sequence[Path] = (), cache_dir: Path | None = None) -> None:
        self.folders: tuple[Path, ...] = tuple(Path(f) for f in folders)
        """Folders searched before the built-ins, in order (each exists)."""
        self.cache_dir: Path | None = cache_dir
        """The folder of the cache on disk; None when the cache is off."""
        self.headers: dict[FileKey, Header | Skipped | None] = {}
        """The top of each file looked at: its header, why it was skipped, or None (no standard)."""
        self.loaded: dict[FileKey, Standard] = {}
        """Each standard loaded, by the file it came from."""

    def __repr__(self) -> str:
        return f"StandardsStore(folders={self.folders!r}, cache_dir={self.cache_dir!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StandardsStore):
            return NotImplemented
        return (self.folders, self.cache_dir) == (other.folders, other.cache_dir)

    def __hash__(self) -> int:
        return hash((self.folders, self.cache_dir))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (for a batch worker) without what it has read."""
        return (StandardsStore, (self.folders, self.cache_dir))


def file_key(path: Path) -> FileKey | None:
    """The key a file is remembered by, or None when it cannot be looked at."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (str(path), stat.st_mtime_ns, stat.st_size)
