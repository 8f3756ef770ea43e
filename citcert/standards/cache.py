"""
A cache on disk of the standards citcert has already loaded and checked.

Reading a standard is slow for a command line: ruamel.yaml's pure-Python parser needs about a
third of a second for the built-in best-practice standard, on every `citcert audit` and twice on
every `citcert standards list`. Once a file has loaded cleanly, its header (id, version, status),
its line in the listing and the validated standard as JSON are kept in one cache file named by
the SHA-256 of the YAML's bytes, so the next command reads that instead. The files citcert only
looked at (to find the one it was asked for) are kept with their header alone.

The cache only ever saves time; it never changes an answer:
- the key is the file's content plus a fingerprint of the code that reads standards, so an edited
  file or an upgraded citcert never meets an old entry;
- only a standard file that loaded without problems is kept (never an overlay, whose result also
  depends on its base file, and never a failure, whose messages must come from the YAML);
- an entry that cannot be read or no longer validates is ignored, and a cache folder that cannot
  be written is silently not used;
- an entry is trusted only when nobody but you could have written it: the folder and the entry
  are yours (the user running citcert), are not symbolic links, and neither your group nor
  others may write to them (citcert makes the folder private, ``0700``, and each entry
  ``0600``). Anyone else able to change a standard could change a verdict, so a cache someone
  else can write to is not read at all;
- an entry is read only if it is a regular file of at most `MAX_ENTRY_BYTES` (never a pipe),
  and the standard in it must still pass the standard's own cross-checks and carry the id and
  version the YAML file declares; a bad entry only costs the time to read the YAML again.

The folder is the store's (`citcert.standards.store`); the application layer chooses it
(`citcert.app.settings`: ``$CITCERT_CACHE_DIR``, ``$XDG_CACHE_HOME/citcert`` or
``~/.cache/citcert``, none with ``CITCERT_NO_CACHE=1``). At most `MAX_ENTRIES` entries are
kept, the least recently written removed first; nothing else in the folder is ever touched.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from citcert.standards.model import Standard

MAX_ENTRIES = 64
"""Most standards kept in the cache folder."""
_SUFFIX = ".standard.json"
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.standard\.json")
MAX_ENTRY_BYTES = 8 * 1024 * 1024
"""A larger cache entry was not written by citcert; it is ignored."""
_FORMAT = "2"
"""The layout of a cache file; part of every key, so a new layout never reads an old file."""


@dataclass(frozen=True)
class Record:
    """What the cache knows about one standard file, without building the standard."""

    header: tuple[str, str, str | None]
    """The id, version and status the file declares."""
    summary: dict[str, Any] | None
    """Its row in ``citcert standards list`` (but where the file is); None if only seen."""
    path: Path
    """The cache file, whose remaining lines hold the standard as JSON."""

    def standard(self) -> Standard | None:
        """The cached standard, or None when the entry is damaged or out of date."""
        from pydantic import ValidationError

        from citcert.standards.checks import cross_check
        from citcert.standards.model import Standard

        raw = _read_entry(self.path)
        if raw is None:
            return None
        try:
            standard = Standard.model_validate_json(raw.partition(b"\n")[2])
        except (UnicodeDecodeError, ValidationError, ValueError):
            return None
        identity, version, _ = self.header
        if (standard.id, standard.version) != (identity, version):
            return None
        return None if any(True for _ in cross_check(standard)) else standard


def lookup(folder: Path | None, raw: bytes) -> Record | None:
    """The record in cache `folder` for a standard file whose bytes are `raw`, if it has one."""
    if folder is None:
        return None
    path = folder / f"{key(raw)}{_SUFFIX}"
    entry = _read_entry(path)
    if entry is None:
        return None
    try:
        first = json.loads(entry.partition(b"\n")[0])
        identity, version, status = first["header"]
        summary = first.get("summary")
        return Record(
            (str(identity), str(version), status),
            None if summary is None else dict(summary),
            path,
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None


def store(folder: Path | None, raw: bytes, standard: Standard, summary: dict[str, Any]) -> None:
    """Keep `standard`, loaded from a file whose bytes are `raw`, with its listing `summary`."""
    if folder is None or standard.tailoring is not None:
        return
    header = [standard.id, standard.version, standard.status.value]
    first = json.dumps({"header": header, "summary": summary}, sort_keys=True)
    _write(folder / f"{key(raw)}{_SUFFIX}", f"{first}\n{standard.model_dump_json()}\n".encode())


def store_header(folder: Path | None, raw: bytes, header: tuple[str, str, str | None]) -> None:
    """
    Keep the header of a file whose bytes are `raw`, read without loading the file.

    Finding a standard reads the header of every file in the search folders; this spares the
    next command the YAML parser for the files it does not load. A full entry is never replaced.
    """
    if folder is None:
        return
    path = folder / f"{key(raw)}{_SUFFIX}"
    if path.exists():
        return
    _write(path, f"{json.dumps({'header': list(header)})}\n".encode())


def _read_entry(path: Path) -> bytes | None:
    """An entry's bytes, when it is a regular file nobody else could have written; else None."""
    from citcert._files import read_regular
    from citcert.errors import CitcertError

    if not (_private(path.parent) and _private(path)):
        return None
    try:
        return read_regular(path, MAX_ENTRY_BYTES)
    except CitcertError:
        return None


def _private(path: Path) -> bool:
    """True when `path` is no symlink, is yours, and neither your group nor others can write it."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if stat.S_ISLNK(info.st_mode):
        return False
    getuid = getattr(os, "geteuid", None)
    if getuid is None:  # pragma: no cover - NOTE: Windows keeps the cache in the user's profile
        return True
    return info.st_uid == getuid() and not info.st_mode & 0o022


def _write(path: Path, data: bytes) -> None:
    from citcert._files import write_atomic
    from citcert.errors import CitcertError

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(path.parent):
            os.chmod(path.parent, 0o700)  # a folder only we can write (raises if not ours)
        write_atomic(path, data)
        os.chmod(path, 0o600)
        _prune(path.parent)
    except (CitcertError, OSError):  # NOTE: a cache that cannot be written is simply not used
        return


def key(raw: bytes) -> str:
    """The cache key of a standard file's bytes: its content and the code that reads it."""
    digest = hashlib.sha256(raw)
    digest.update(_code_fingerprint().encode())
    return digest.hexdigest()


@functools.cache
def _code_fingerprint() -> str:
    """
    A digest of the modules that turn YAML into a `Standard`: name, size and change time.

    NOTE: stat, not the package version, so that editing the model in a source checkout (or
    installing another build of the same version) cannot meet entries made by older code.
    """
    here = Path(__file__).parent
    parts = [_FORMAT]
    for module in sorted(here.glob("*.py")):
        with contextlib.suppress(OSError):
            stat = module.stat()
            parts.append(f"{module.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def _prune(folder: Path) -> None:
    """Remove the oldest entries beyond `MAX_ENTRIES`."""
    entries = []
    for path in folder.glob(f"*{_SUFFIX}"):
        if not _ENTRY_NAME.fullmatch(path.name):
            continue
        with contextlib.suppress(OSError):
            entries.append((path.stat().st_mtime_ns, path))
    for _, path in sorted(entries, reverse=True)[MAX_ENTRIES:]:
        with contextlib.suppress(OSError):
            path.unlink()
