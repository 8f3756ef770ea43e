"""
The registry of standards: built-in ones shipped in the package, plus user folders.

A standard is addressed as ``id@version``; ``id`` alone means its newest ``current`` version
(versions compare numerically part by part, so 2019.10 is newer than 2019.9). User folders come
from the ``dirs`` argument (the CLI's repeatable ``--standards-dir``) and from the environment
variable ``CITCERT_STANDARDS_PATH`` (folders separated by the system's path separator); they are
searched before the built-ins. The same ``id@version`` in two files is an error naming both.

Only the top of each file (id, version, status) is read to build the index, so finding one
standard parses just that one in full. A standard that loaded cleanly is kept in the cache on
disk (`citcert.standards.cache`), so the next command reads neither its YAML nor its header.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING

from citcert.errors import Location, OverlayError, StandardFileError, StandardNotFoundError
from citcert.standards import cache

if TYPE_CHECKING:
    from citcert.standards.model import Standard

# NOTE: ruamel.yaml, pydantic and the loader are imported only when a file must be parsed, so
# that a command served from the cache (``citcert standards list``) starts fast.

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Largest standard file accepted (2 MiB); the biggest built-in standard is far below it."""

DEFAULT_STANDARD = "cit-best-practice"
"""The standard used when none is named."""
ENV_VAR = "CITCERT_STANDARDS_PATH"
"""Environment variable naming extra standards folders, separated by `os.pathsep`."""

_HEADER_KEYS = frozenset({"id", "version", "status"})


@dataclass(frozen=True)
class Entry:
    """One standard file found in a folder: its ``id@version`` and where it is."""

    id: str
    version: str
    status: str | None
    path: Path
    builtin: bool

    @property
    def ref(self) -> str:
        """The ``id@version`` the file declares."""
        return f"{self.id}@{self.version}"

    @property
    def origin(self) -> str:
        """Where the file comes from, in words: ``built-in`` or its path."""
        return "built-in" if self.builtin else str(self.path)


def find_standard(
    ref: str | None = None, *, overlay: Path | None = None, dirs: Sequence[Path] = ()
) -> Standard:
    """
    The standard named by `ref` (``id`` or ``id@version``; None: the default standard).

    With `overlay`, the overlay file is loaded and resolved against the base it extends;
    `ref`, if given, must name that base. Raises `StandardNotFoundError`, `StandardFileError`
    or `OverlayError` with a plain message.
    """
    if overlay is not None:
        return _with_overlay(ref, overlay, dirs)
    entry = pick(ref or DEFAULT_STANDARD, index(dirs))
    return load_entry(entry, dirs)


def load_entry(entry: Entry, dirs: Sequence[Path] = ()) -> Standard:
    """Load the standard of an index entry (cached while the file is unchanged)."""
    stat = entry.path.stat()
    folders = tuple(str(d) for d in dirs)
    env = os.environ.get(ENV_VAR, "")
    return _load_cached(str(entry.path), stat.st_mtime_ns, stat.st_size, folders, env)


@functools.lru_cache(maxsize=64)
def _load_cached(path: str, mtime: int, size: int, dirs: tuple[str, ...], env: str) -> Standard:
    """Load a file once per content: the key holds its change time, size and search path."""
    raw = _read_bytes(Path(path))
    record = cache.lookup(raw) if raw is not None else None
    standard = record.standard() if record is not None else None
    if standard is not None:
        return standard
    from citcert.standards.catalog import summary
    from citcert.standards.loader import load_file

    standard = load_file(Path(path), dirs=[Path(d) for d in dirs])
    if raw is not None and _read_bytes(Path(path)) == raw:  # unchanged while it was read
        cache.store(raw, standard, summary(standard))
    return standard


def read_cached(path: Path) -> cache.Record | None:
    """The cache's record of the standard file at `path`, if it holds one."""
    raw = _read_bytes(path)
    return cache.lookup(raw) if raw is not None else None


def _read_bytes(path: Path) -> bytes | None:
    """The file's bytes, or None when it is not a regular file of a standard's size at most."""
    from citcert._files import read_regular
    from citcert.errors import CitcertError

    try:
        return read_regular(path, MAX_FILE_BYTES)
    except CitcertError:
        return None


def version_key(version: str) -> tuple[tuple[int, int, str], ...]:
    """
    A sort key comparing versions part by part, numbers as numbers (2019.10 > 2019.9).

    A text part marks a pre-release, so 1.0-rc1 comes before 1.0, and 1.0 before 1.0.1.
    """
    parts = re.split(r"[.\-]", version)
    keys = [(2, int(p), "") if p.isascii() and p.isdigit() else (0, 0, p) for p in parts]
    return (*keys, (1, 0, ""))


def builtin_dir() -> Path:
    """
    The folder of the built-in standards.

    In an installed package it is ``citcert/data/standards``; when running from a source
    checkout (an editable install) it is the top-level ``standards/`` folder.
    """
    import citcert.data

    package = Path(citcert.data.__file__).parent
    installed = package / "standards"
    return installed if installed.is_dir() else package.parents[1] / "standards"


def search_dirs(dirs: Sequence[Path] = ()) -> list[tuple[Path, bool]]:
    """The folders searched, in order, each with whether it holds the built-ins."""
    env = [Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    for folder in env:
        if not folder.is_dir():
            raise StandardNotFoundError.single(
                f"{ENV_VAR} names a folder that does not exist: {folder}"
            )
    result: list[tuple[Path, bool]] = []
    seen: set[Path] = set()
    for folder, builtin in [*((d, False) for d in (*dirs, *env)), (builtin_dir(), True)]:
        resolved = folder.resolve()
        if resolved not in seen:
            seen.add(resolved)
            result.append((folder, builtin))
    return result


def index(dirs: Sequence[Path] = ()) -> list[Entry]:
    """Every standard file in the search folders; the same ``id@version`` twice is an error."""
    found: dict[str, Entry] = {}
    for entry in _scan(dirs):
        other = found.setdefault(entry.ref, entry)
        if other is not entry:
            raise StandardFileError.single(
                f"{entry.ref} is defined twice: in {other.path} and in {entry.path}; "
                "rename or remove one of them",
                Location(str(entry.path)),
            )
    return list(found.values())


def _scan(dirs: Sequence[Path]) -> Iterator[Entry]:
    for folder, builtin in search_dirs(dirs):
        if not folder.is_dir():
            continue
        files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
        for path in files:
            try:
                stat = path.stat()
            except OSError:  # a dangling link, or a file removed meanwhile: not a standard
                continue
            if not S_ISREG(stat.st_mode):  # a folder, pipe or device named *.yaml: not one
                continue
            header = _header(str(path), stat.st_mtime_ns, stat.st_size)
            if header is not None:
                identity, version, status = header
                yield Entry(identity, version, status, path, builtin)


@functools.lru_cache(maxsize=256)
def _header(path: str, mtime: int, size: int) -> tuple[str, str, str | None] | None:
    """
    The id, version and status at the top of a YAML file, or None if it is not a standard.

    Only the top-level scalars are read, and reading stops once all three are found.
    """
    if size > MAX_FILE_BYTES:
        return None
    raw = _read_bytes(Path(path))
    if raw is None:
        return None
    record = cache.lookup(raw)
    if record is not None:
        return record.header
    from ruamel.yaml.error import YAMLError

    found: dict[str, str] = {}
    try:
        for key, value in _top_level_scalars(raw.decode("utf-8-sig")):
            if key in _HEADER_KEYS:
                found.setdefault(key, value)
            if found.keys() >= _HEADER_KEYS:
                break
    except (YAMLError, UnicodeDecodeError, RecursionError):
        return None
    if "id" not in found or "version" not in found:
        return None
    header = (found["id"], found["version"], found.get("status"))
    cache.store_header(raw, header)
    return header


def _top_level_scalars(text: str) -> Iterator[tuple[str, str]]:
    """The ``key: value`` pairs of the top-level mapping whose value is a plain scalar."""
    from ruamel.yaml import YAML
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        MappingStartEvent,
        ScalarEvent,
    )

    depth = 0
    key: str | None = None
    for event in YAML(typ="safe", pure=True).parse(text):
        if isinstance(event, CollectionStartEvent):
            if depth == 0 and not isinstance(event, MappingStartEvent):
                return
            depth += 1
            key = None if depth > 1 else key
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        elif depth == 1 and isinstance(event, AliasEvent):
            key = None
        elif depth == 1 and isinstance(event, ScalarEvent):
            if key is None:
                key = str(event.value)
            else:
                yield key, str(event.value)
                key = None


def pick(ref: str, entries: Sequence[Entry]) -> Entry:
    """The entry `ref` names: an exact ``id@version``, or the newest current version of ``id``."""
    identity, _, version = ref.partition("@")
    same = [e for e in entries if e.id == identity]
    if not same:
        raise StandardNotFoundError.single(_unknown_id(identity, entries))
    versions = ", ".join(f"{e.version} ({e.status})" for e in _by_version(same))
    if version:
        for entry in same:
            if entry.version == version:
                return entry
        raise StandardNotFoundError.single(
            f"{identity} has no version {version}; available: {versions}"
        )
    current = [e for e in same if e.status == "current"]
    if not current:
        raise StandardNotFoundError.single(
            f"{identity} has no current version (available: {versions}); "
            f"name one as {identity}@VERSION"
        )
    return _by_version(current)[-1]


def _by_version(entries: Sequence[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: version_key(e.version))


def _unknown_id(identity: str, entries: Sequence[Entry]) -> str:
    ids = sorted({e.id for e in entries})
    close = difflib.get_close_matches(identity, ids, n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]}?" if close else ""
    available = ", ".join(ids) if ids else "none"
    return (
        f"there is no standard {identity}.{hint} Available: {available} "
        "(see `citcert standards list`). If it is an overlay file, pass it with "
        "--overlay FILE, or put its folder in --standards-dir."
    )


def _with_overlay(ref: str | None, overlay: Path, dirs: Sequence[Path]) -> Standard:
    from citcert.standards.loader import load_file

    standard = load_file(overlay, dirs=dirs)
    tailoring = standard.tailoring
    if tailoring is None:
        raise OverlayError.single(
            "is a standard, not an overlay (it has no `extends:` line); to use it, put its "
            "folder in --standards-dir and name it by id",
            Location(str(overlay)),
        )
    if ref and ref != tailoring.base and ref != tailoring.base.partition("@")[0]:
        raise OverlayError.single(
            f"this overlay extends {tailoring.base}, not {ref}", Location(str(overlay))
        )
    return standard
