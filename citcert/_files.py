"""
File helpers: the only module that writes to disk.

`write_atomic` writes a temporary file beside the target, fsyncs it and renames it over the
target, so a reader never sees half a report and a failure leaves nothing behind;
`write_all_atomic` does the same for a set of files, replacing none unless all were written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from citcert.errors import Location, OutputError

_CHUNK = 1 << 16


def write_atomic(path: Path | str, data: bytes) -> None:
    """Write `data` to `path` whole or not at all; ``-`` writes to standard output."""
    if str(path) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_all_atomic({Path(path): data})


def write_all_atomic(files: Mapping[Path, bytes]) -> None:
    """
    Write several files as one: each in full, and none replaced unless all could be written.

    Every file is first written and synced beside its target; only then are they renamed into
    place, so a full disk or a folder that cannot be written leaves the old reports as they were
    (a program's report set never mixes two audits); a folder standing where a report goes is
    found before anything is written. Raises `OutputError` naming the file; no temporary file
    is ever left behind.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for target, data in files.items():
            staged.append((_stage(target, data), target))
        while staged:
            tmp, target = staged[0]
            _rename(tmp, target)
            staged.pop(0)
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _rename(tmp: str, target: Path) -> None:
    """Move a staged file over `target`; a folder in the way is a located `OutputError`."""
    try:
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError.single(
            f"cannot write here: {exc.strerror or exc}", Location(str(target))
        ) from exc


def _stage(target: Path, data: bytes) -> str:
    """`data` in a synced temporary file beside `target`; its path."""
    if target.is_dir():
        raise OutputError.single("cannot write here: a folder has this name", Location(str(target)))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError.single(
            f"cannot write here: {exc.strerror}", Location(str(target))
        ) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file readable by its owner only; a report follows the umask instead.
        os.chmod(tmp, 0o666 & ~_umask())
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError.single(
                f"cannot write here: {exc.strerror or exc}", Location(str(target))
            ) from exc
        raise
    return tmp


def _umask() -> int:
    """The process's umask (reading it means setting it, so set it straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def sha256_of(path: Path | str) -> str:
    """The SHA-256 of a file's bytes, streamed so large files cost no memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_of_bytes(data: bytes) -> str:
    """The SHA-256 of some bytes, as lowercase hex."""
    return hashlib.sha256(data).hexdigest()
