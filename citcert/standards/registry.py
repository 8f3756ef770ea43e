"""
The registry of standards: built-in ones shipped in the package, plus user folders.

A standard is addressed as ``id@version``; ``id`` alone means its newest ``current`` version
(versions compare numerically part by part, so 2019.10 is newer than 2019.9). The user folders
are the store's (`citcert.standards.store`: ``--standards-dir``, then ``CITCERT_STANDARDS_PATH``),
searched before the built-ins. The same ``id@version`` in two files is an error naming both; a
YAML file that cannot be read is skipped with its located problem, and named when a lookup
finds nothing, since it may be the standard asked for.

Only the top of each file (id, version, status) is read to build the index, so finding one
standard parses just that one in full. A standard that loaded cleanly is kept in the cache on
disk (`citcert.standards.cache`), so the next command reads neither its YAML nor its header;
within one command the store remembers what it read.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from citcert.errors import (
    CitcertError,
    Location,
    OverlayError,
    Problem,
    StandardFileError,
    StandardNotFoundError,
)
from citcert.standards import cache
from citcert.standards.identity import StandardRef, StandardStatus
from citcert.standards.store import Header, Skipped, StandardsStore, file_key

if TYPE_CHECKING:
    from citcert.standards.model import Standard

# NOTE: ruamel.yaml, pydantic and the loader are imported only when a file must be parsed, so
# that a command served from the cache (``citcert standards list``) starts fast.

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Largest standard file accepted (2 MiB); the biggest built-in standard is far below it."""

DEFAULT_STANDARD = "cit-best-practice"
"""The standard used when none is named."""

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
    ref: str | None = None, *, overlay: Path | None = None, store: StandardsStore | None = None
) -> Standard:
    """
    The standard named by `ref` (``id`` or ``id@version``; None: the default standard).

    With `overlay`, the overlay file is loaded and resolved against the base it extends;
    `ref`, if given, must name that base. `store` says where to look (None: the built-ins
    alone, no cache). Raises `StandardNotFoundError`, `StandardFileError` or `OverlayError`
    with a plain message; a file that could not be read and may be the one asked for is named
    with its problem.
    """
    store = store if store is not None else StandardsStore()
    if overlay is not None:
        return _with_overlay(ref, overlay, store)
    entries, skipped = survey(store)
    wanted = StandardRef.parse(ref or DEFAULT_STANDARD)
    try:
        entry = pick(wanted, entries)
    except StandardNotFoundError as error:
        raise _naming_skipped(error, wanted.id, skipped) from None
    return load_entry(entry, store)


def _naming_skipped(
    error: StandardNotFoundError, identity: str, skipped: Sequence[Skipped]
) -> CitcertError:
    """
    `error`, or better: the problems of the skipped files that may have held `identity`.

    A file that declares `identity` but cannot be read is the answer itself (its own located
    problems); files whose id could not be read are named after the not-found message.
    """
    declared = [s for s in skipped if s.id == identity]
    if declared:
        return StandardFileError([p for s in declared for p in s.problems])
    unknown = [s for s in skipped if s.might_be(identity)]
    if not unknown:
        return error
    count = "this file" if len(unknown) == 1 else f"these {len(unknown)} files"
    note = Problem(Location(), f"{count} could not be read and may hold it:")
    return StandardNotFoundError([*error.problems, note, *(p for s in unknown for p in s.problems)])


def load_entry(entry: Entry, store: StandardsStore | None = None) -> Standard:
    """Load the standard of an index entry (once per store while the file is unchanged)."""
    store = store if store is not None else StandardsStore()
    key = file_key(entry.path) or (str(entry.path), 0, 0)
    standard = store.loaded.get(key)
    if standard is None:
        standard = store.loaded[key] = _load(entry.path, store)
    return standard


def _load(path: Path, store: StandardsStore) -> Standard:
    """Load a file from the cache on disk, else from its YAML (then kept in the cache)."""
    raw = _read_bytes(path)
    record = cache.lookup(store.cache_dir, raw) if raw is not None else None
    standard = record.standard() if record is not None else None
    if standard is not None:
        return standard
    from citcert.standards.catalog import summary
    from citcert.standards.loader import load_file

    standard = load_file(path, store=store)
    if raw is not None and _read_bytes(path) == raw:  # unchanged while it was read
        cache.store(store.cache_dir, raw, standard, summary(standard))
    return standard


def read_cached(path: Path, store: StandardsStore) -> cache.Record | None:
    """The cache's record of the standard file at `path`, if it holds one."""
    raw = _read_bytes(path)
    return cache.lookup(store.cache_dir, raw) if raw is not None else None


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


def search_dirs(store: StandardsStore) -> list[tuple[Path, bool]]:
    """The folders searched, in order, each with whether it holds the built-ins."""
    result: list[tuple[Path, bool]] = []
    seen: set[Path] = set()
    for folder, builtin in [*((d, False) for d in store.folders), (builtin_dir(), True)]:
        resolved = folder.resolve()
        if resolved not in seen:
            seen.add(resolved)
            result.append((folder, builtin))
    return result


def index(store: StandardsStore | None = None) -> list[Entry]:
    """Every standard file in the search folders; the same ``id@version`` twice is an error."""
    return survey(store if store is not None else StandardsStore())[0]


def survey(store: StandardsStore) -> tuple[list[Entry], list[Skipped]]:
    """
    Every standard file in the search folders, and the YAML files that could not be read.

    The same ``id@version`` in two files is an error naming both. A YAML file that reads but
    declares no id and version is not a standard (notes, say) and is in neither list.
    """
    found: dict[str, Entry] = {}
    skipped: list[Skipped] = []
    for folder, builtin in search_dirs(store):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")):
            header = _read_header(path, store)
            if isinstance(header, Skipped):
                skipped.append(replace(header, builtin=builtin))
            elif header is not None:
                entry = Entry(header.id, header.version, header.status, path, builtin)
                other = found.setdefault(entry.ref, entry)
                if other is not entry:
                    raise StandardFileError.single(
                        f"{entry.ref} is defined twice: in {other.path} and in {entry.path}; "
                        "rename or remove one of them",
                        Location(str(entry.path)),
                    )
    return list(found.values()), skipped


def _read_header(path: Path, store: StandardsStore) -> Header | Skipped | None:
    """The header of one ``*.yaml`` of a search folder (remembered in `store`), why it cannot
    be read, or None when it is not a standard file at all."""
    if path.name.startswith("."):  # hidden: an editor's lock or backup, not a standard
        return None
    key = file_key(path)
    if key is None and path.is_symlink():
        problem = Problem(
            Location(str(path)), "is a link to a file that is not there; fix the link or remove it"
        )
        return Skipped(path, (problem,))
    if key is None or not path.is_file():  # removed meanwhile; a folder, pipe or device
        return None
    if key not in store.headers:
        store.headers[key] = _header(path, key[2], store)
    return store.headers[key]


def _header(path: Path, size: int, store: StandardsStore) -> Header | Skipped | None:
    """
    The id, version and status at the top of a YAML file; why it cannot be read; or None
    when it reads but is not a standard.

    Only the top-level scalars are read, and reading stops once all three are found.
    """
    raw = _read_bytes(path) if size <= MAX_FILE_BYTES else None
    if raw is None:
        return _skipped(path, None)
    record = cache.lookup(store.cache_dir, raw)
    if record is not None:
        return Header(*record.header)
    from ruamel.yaml.error import YAMLError

    found: dict[str, str] = {}
    try:
        for key, value in _top_level_scalars(raw.decode("utf-8-sig")):
            if key in _HEADER_KEYS:
                found.setdefault(key, value)
            if found.keys() >= _HEADER_KEYS:
                break
    except (YAMLError, UnicodeDecodeError, RecursionError):
        return _skipped(path, found.get("id"))
    if "id" not in found or "version" not in found:
        return None
    header = (found["id"], found["version"], found.get("status"))
    cache.store_header(store.cache_dir, raw, header)
    return Header(*header)


def _skipped(path: Path, identity: str | None) -> Skipped:
    """The file at `path` as skipped, with the problems reading it in full reports."""
    from citcert.standards.document import read_document

    try:
        read_document(path)
    except StandardFileError as error:
        return Skipped(path, tuple(error.problems), identity)
    # NOTE: the header reader failed where the full reader did not; say so rather than guess
    problem = Problem(Location(str(path)), "the top of the file cannot be read as YAML")
    return Skipped(path, (problem,), identity)


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


def pick(ref: str | StandardRef, entries: Sequence[Entry]) -> Entry:
    """The entry `ref` names: an exact ``id@version``, or the newest current version of ``id``."""
    parsed = ref if isinstance(ref, StandardRef) else StandardRef.parse(ref)
    identity, version = parsed.id, parsed.version
    same = [e for e in entries if e.id == identity]
    if not same:
        raise StandardNotFoundError.single(_unknown_id(identity, entries))
    versions = ", ".join(f"{e.version} ({e.status or 'no status'})" for e in _by_version(same))
    if version:
        for entry in same:
            if entry.version == version:
                return entry
        raise StandardNotFoundError.single(
            f"{identity} has no version {version}; available: {versions}"
        )
    current = [e for e in same if e.status == StandardStatus.CURRENT]
    broken = [e for e in same if e.status not in {s.value for s in StandardStatus}]
    if not current and broken:  # loading it names what is wrong with it, with its lines
        return _by_version(broken)[-1]
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


def _with_overlay(ref: str | None, overlay: Path, store: StandardsStore) -> Standard:
    from citcert.standards.loader import load_file

    standard = load_file(overlay, store=store)
    tailoring = standard.tailoring
    if tailoring is None:
        raise OverlayError.single(
            "is a standard, not an overlay (it has no `extends:` line); to use it, put its "
            "folder in --standards-dir and name it by id",
            Location(str(overlay)),
        )
    if ref and not StandardRef.parse(tailoring.base).names(ref):
        raise OverlayError.single(
            f"this overlay extends {tailoring.base}, not {ref}", Location(str(overlay))
        )
    return standard
