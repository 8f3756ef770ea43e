"""
File helpers: the only module that writes to disk.

`write_atomic` writes a temporary file beside the target, fsyncs it and renames it over the
target, so a reader never sees half a report and a failure leaves nothing behind;
`write_all_atomic` does the same for a set of files, replacing none unless all were written, and
`Staging` lets a batch stage its whole output before renaming any of it into place.

Every writer takes the files the command reads (`inputs`) and refuses, before writing anything,
a target that is one of them: the same path once symlinks are resolved, or the same file (a hard
link, or another spelling on a case-insensitive disk). `read_regular` is the one way an input is
read: regular files only (never a folder, a named pipe or a device such as /dev/zero, which
would hang or never end), and never more than a limit. `check_output` is the one rule of an
output named by the user (``-o FILE``): a new file, or a regular file when the command may
replace it, never anything else. `lock_folder` keeps a second run out of an output folder while
one is writing there.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType

from citcert.errors import CitcertError, Location, OutputError, StdoutError

_CHUNK = 1 << 16


def write_atomic(
    path: Path | str, data: bytes, *, inputs: Iterable[Path] = (), replace: bool | None = None
) -> None:
    """
    Write `data` to `path` whole or not at all; ``-`` writes to standard output.

    With `replace` given (a command's ``--force``), the target is held to `check_output` once
    more, as the command held it before it began; without it, whatever file is there is
    replaced (the standards cache's own entries). A standard output that refuses the bytes
    raises `StdoutError`.
    """
    if str(path) == "-":
        write_stdout(data)
        return
    inputs = tuple(inputs)
    if replace is not None:
        check_output(Path(path), replace=replace, inputs=inputs)
    write_all_atomic({Path(path): data}, inputs=inputs)


def write_stdout(data: bytes) -> None:
    """
    Write `data` to standard output and flush it; a failure raises `StdoutError`, as does a
    standard output that was closed before citcert started (``>&-``): the file would be lost.
    """
    if sys.stdout is None:
        raise StdoutError(OSError(errno.EBADF, "it is closed"))
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except OSError as exc:
        raise StdoutError(exc) from exc


def check_output(path: Path, *, replace: bool, inputs: Iterable[Path] = ()) -> None:
    """
    The one rule of a file the user names for one output (``-o FILE``), checked before it is
    written: not one of the `inputs`, and nothing there yet or a regular file that `replace`
    (the command's ``--force``) allows to be replaced.

    Anything else at the path is refused even with `replace`: a symbolic link (renaming over it
    would replace the link, not write where it points), a folder, a named pipe, a socket or a
    device (/dev/full, /dev/stdout), which renaming a report over would destroy. Raises
    `OutputError` located at `path`; nothing is written.
    """
    where = Location(str(path))
    clash = _Inputs(inputs).replaced_by(path)
    if clash is not None:
        raise OutputError.single(
            f"this would replace the input {clash.name}, which citcert only reads; "
            "write the output to another name",
            where,
        )
    try:
        mode = os.lstat(path).st_mode
    except (OSError, ValueError):  # nothing there, or a path the write itself will say is wrong
        return
    if stat.S_ISREG(mode):
        if not replace:
            raise OutputError.single(
                "already exists; choose another name or add --force to replace it", where
            )
        return
    if stat.S_ISLNK(mode):
        what, verb = "is a symbolic link, not a file", "write through it"
    else:
        kind = _special(path)
        what, verb = (f"is {kind}, not a file" if kind else "is not a regular file"), "write to it"
    raise OutputError.single(
        f"{what}: citcert does not {verb} or replace it, even with --force; give the name of a "
        "file (or - for standard output)",
        where,
    )


def write_all_atomic(files: Mapping[Path, bytes], *, inputs: Iterable[Path] = ()) -> None:
    """
    Write several files as one: each in full, and none replaced unless all could be written.

    Every file is first written and synced beside its target; only then are they renamed into
    place, so a full disk or a folder that cannot be written leaves the old reports as they were
    (a program's report set never mixes two audits); a folder standing where a report goes, or
    a target that is one of the `inputs`, is found before anything is written. Raises
    `OutputError` naming the file; no temporary file is ever left behind.
    """
    with Staging(inputs) as staging:
        staging.add(files)
        staging.commit()


class Staging:
    """
    Files written beside their targets, all renamed into place by `commit` (or none, on exit).

    A batch adds each program's reports as they arrive and the roll-up last, then commits:
    until then nothing of the run is visible, and leaving the ``with`` block any other way
    (an error, a full disk, a signal) removes every staged file and leaves the folder as it was.
    """

    def __init__(self, inputs: Iterable[Path] = ()) -> None:
        self._inputs = _Inputs(inputs)
        self._staged: list[tuple[str, Path]] = []
        self._made: list[Path] = []
        """Folders created to stage into, removed again on discard while empty."""

    def __enter__(self) -> Staging:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.discard()

    def check(self, targets: Iterable[Path]) -> None:
        """Raise `OutputError` when a target is a folder or one of the inputs (nothing staged)."""
        for target in targets:
            clash = self._inputs.replaced_by(target)
            if clash is not None:
                raise OutputError.single(
                    f"this would replace the input {clash.name}, which citcert only reads; "
                    "write the reports to another folder or name",
                    Location(str(target)),
                )
            if target.is_dir():
                raise OutputError.single(
                    "cannot write here: a folder has this name", Location(str(target))
                )
            kind = _special(target)
            if kind is not None:
                raise OutputError.single(
                    f"is {kind}, not a file: citcert does not replace it; move it away or write "
                    "the reports to another folder",
                    Location(str(target)),
                )

    def add(self, files: Mapping[Path, bytes]) -> None:
        """Check every target first, then stage each file (raises `OutputError` naming it)."""
        self.check(files)
        for target, data in files.items():
            missing = [f for f in (target.parent, *target.parent.parents) if not f.exists()]
            self._made.extend(reversed(missing))
            self._staged.append((_stage(target, data), target))

    def commit(self) -> None:
        """Rename every staged file over its target, in the order added."""
        while self._staged:
            tmp, target = self._staged[0]
            _rename(tmp, target)
            self._staged.pop(0)
        self._made.clear()

    def discard(self) -> None:
        """Remove whatever is staged and not yet committed, and the folders made for it."""
        for tmp, _ in self._staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self._staged.clear()
        for folder in reversed(self._made):
            # A folder made for this run holds nothing of anyone else's: a temporary file a
            # signal cut off before it was recorded above goes too (`_stage` names them so).
            for stray in folder.glob(".*.tmp"):
                with contextlib.suppress(OSError):
                    stray.unlink()
            with contextlib.suppress(OSError):
                folder.rmdir()  # only ever an empty one
        self._made.clear()


class _Inputs:
    """
    The files a command reads, indexed once so that each target is checked in constant time
    (a batch checks every report of a thousand programs against a thousand workbooks).
    """

    def __init__(self, inputs: Iterable[Path]) -> None:
        self._by_path: dict[str, Path] = {}
        self._by_inode: dict[tuple[int, int], Path] = {}
        for source in inputs:
            with contextlib.suppress(OSError, ValueError):
                self._by_path.setdefault(os.path.realpath(source), source)
                found = os.stat(source)
                self._by_inode.setdefault((found.st_dev, found.st_ino), source)

    def replaced_by(self, target: Path) -> Path | None:
        """
        The input that writing `target` would replace: the same path once symlinks are
        resolved, or the same file (a hard link, another spelling on a case-insensitive disk).
        """
        if not self._by_path:
            return None
        try:
            real = os.path.join(os.path.realpath(target.parent), target.name)
            if real in self._by_path:
                return self._by_path[real]
            found = os.stat(target)
        except (OSError, ValueError):
            return None
        return self._by_inode.get((found.st_dev, found.st_ino))


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
    import tempfile  # NOTE: here, not above: a command that only reads (`standards list`) is
    # spared it and what it imports (random, shutil and its compressors), a few ms at start-up

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        in_the_way = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
        if in_the_way is not None:
            raise OutputError.single(
                "is a file where citcert needs a folder of that name; move it away or write "
                "to another output folder",
                Location(str(in_the_way)),
            ) from exc
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


# ---------------------------------------------------------------------------------------------
# Reading inputs


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _special(path: Path) -> str | None:
    """What stands at `path` if it is one of `_KINDS` (not a link followed), in words; else None."""
    try:
        mode = os.lstat(path).st_mode
    except (OSError, ValueError):  # nothing there
        return None
    return next((name for test, name in _KINDS if test(mode)), None)


def read_regular(
    path: Path,
    limit: int,
    *,
    error: type[CitcertError] = CitcertError,
    what: str = "file",
    name: str | None = None,
) -> bytes:
    """
    The bytes of the regular file at `path`, at most `limit` of them.

    Anything else (a folder, a named pipe, a device, or a symlink to one) is refused without
    being read, so /dev/zero or a FIFO never hangs a run; a file larger than `limit`, or one
    that grows past it while read, is refused too. Raises `error` located at `name` (by default
    the file's name).
    """
    where = Location(file=name or path.name)
    try:
        _check_regular(os.stat(path).st_mode, what, error, where)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            _check_regular(info.st_mode, what, error, where)
            # NOTE: read(n) reserves n bytes at once, so ask for what the file holds; a file
            # that grew meanwhile is read on, never past the limit.
            data = handle.read(min(info.st_size, limit) + 1)
            if info.st_size < len(data) <= limit:
                data += handle.read(limit + 1 - len(data))
    except OSError as exc:
        raise error.single(f"cannot be read: {exc.strerror or exc}", where) from exc
    if len(data) > limit:
        raise error.single(f"is larger than the {_size(limit)} citcert reads for a {what}", where)
    return data


def _check_regular(mode: int, what: str, error: type[CitcertError], where: Location) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise error.single(f"is {kind}, not a {what}; give the path of the {what} itself", where)


def _size(limit: int) -> str:
    return f"{limit / (1 << 20):,.0f} MB" if limit >= 1 << 20 else f"{limit:,} bytes"


# ---------------------------------------------------------------------------------------------
# Locking an output folder


LOCK = ".citcert-lock"
"""The file a batch holds locked in its output folder while it runs."""


@contextlib.contextmanager
def lock_folder(folder: Path) -> Iterator[None]:
    """
    Hold `folder` (created if needed) for one run; a second run meets a located `OutputError`.

    The lock is the operating system's (released when the process ends, however it ends), so a
    run that was killed never leaves a folder locked.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise OutputError.single(
            f"cannot write here: {exc.strerror or exc}", Location(str(folder))
        ) from exc
    try:
        if not _try_lock(fd):
            raise OutputError.single(
                "another citcert run is writing its reports to this folder right now; wait "
                "for it to finish, or choose another folder",
                Location(str(folder)),
            )
        yield
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    """Take an exclusive lock on `fd` without waiting; False when another process holds it."""
    if sys.platform == "win32":  # pragma: no cover - NOTE: msvcrt locks the first byte instead
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
