"""
Finding a batch's workbooks, and naming the folder each program's reports go to.

`discover` turns what the user named (folders, files, glob patterns) into a sorted tuple of
`Workbook`s; `unique_slug` gives each program its folder under the output folder.

Decisions taken here, and why:

- **Stable names and order.** A workbook is named by its path relative to the folder the
  arguments search (a folder given, a file's folder, a pattern's folder), not the folder the
  files found happen to share: a subfolder emptied renames none of the rest, so each keeps the
  program folder the manifest gave it. Workbooks are sorted by that name, so a run's order,
  and so its files, never depends on the file system or the parallelism.
- **Unique folder names.** When two programs share a name, the later one (in that stable order)
  gets a suffix made from a hash of its file path, never from which worker finished first.
"""

from __future__ import annotations

import glob
import hashlib
import itertools
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from citcert.errors import Location, Problem, WorkbookError

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm"})
OTHER_SPREADSHEETS = frozenset({".xls", ".xlsb", ".ods", ".fods", ".numbers"})
"""Spreadsheets of another format: a folder's are taken too, so that a program that sent one
gets a row saying to save it as .xlsx instead of silently leaving the roll-up."""
_SAFE_NAME = re.compile(r'[^\x00-\x1f\x7f/\\:*?"<>|. ][^\x00-\x1f\x7f/\\:*?"<>|]{0,99}(?<![. ])')
"""A folder name every file system takes: no separators or reserved marks, no dot or space
at either end (Windows drops a trailing one), at most 100 characters."""


@dataclass(frozen=True, slots=True)
class Workbook:
    """One workbook of a batch: where it is, and the name the roll-up shows for it."""

    path: Path
    """The absolute path as found (a symlink stays a symlink, so messages give its name)."""
    name: str
    """The path relative to the folder the batch's arguments search (no machine paths)."""


def discover(
    args: Sequence[str], *, exclude: Path | None = None, ignore: Iterable[Path] = ()
) -> tuple[Workbook, ...]:
    """
    The workbooks named by `args`, sorted by name and each once (by resolved path).

    An argument is a folder (searched recursively for .xlsx and .xlsm, and for spreadsheets of
    `OTHER_SPREADSHEETS`, which fail with their reason; leaving out Office lock files ``~$…``,
    hidden files and folders, and the folder `exclude`, where the reports go), a
    file (taken as is) or a glob pattern (its files filtered like a folder's, its folders
    searched). Files in `ignore` (what the last run wrote) are never taken for workbooks.
    Raises `WorkbookError` naming every argument that matches nothing, or when no workbook is
    found at all.
    """
    found: dict[Path, Path] = {}
    """Resolved path → the path as found (a symlink keeps its own name in the roll-up)."""
    problems: list[Problem] = []
    bases: list[Path] = []
    """Where each argument searches: the names are relative to the folder these share."""
    skip = exclude.resolve() if exclude is not None else None
    for arg in args:
        matches = _expand(arg)
        if not matches:
            problems.append(Problem(Location(file=arg), _nothing_at(arg)))
        bases.extend(_base(arg, matches))
        for match in matches:
            files = _search(match, skip) if match.is_dir() else [match]
            if glob.has_magic(arg):  # a pattern is a search: lock files and such are left out
                files = [f for f in files if _is_workbook_name(f.name)]
            for file in files:
                found.setdefault(file.resolve(), Path(os.path.normpath(file.absolute())))
    if problems:
        raise WorkbookError(problems)
    for path in ignore:
        found.pop(path.resolve(), None)
    if not found:
        where = ", ".join(args)
        raise WorkbookError.single(f"no workbooks (.xlsx or .xlsm files) were found in {where}")
    root = _common_folder(bases)
    books = (Workbook(seen, _relative(seen, root)) for seen in found.values())
    return tuple(sorted(books, key=lambda w: w.name))


def _nothing_at(arg: str) -> str:
    if glob.has_magic(arg):
        return "no file or folder matches this pattern"
    return "there is no file or folder here; check the spelling of the path"


def _expand(arg: str) -> list[Path]:
    """The existing paths an argument names: a glob's matches, or the path itself."""
    if glob.has_magic(arg):
        return [Path(p) for p in sorted(glob.glob(arg, recursive=True))]
    path = Path(arg)
    return [path] if path.exists() else []


def _search(folder: Path, skip: Path | None) -> list[Path]:
    """
    The workbooks under `folder`, leaving out hidden entries, lock files, `skip`, and the
    output folders of earlier batch runs (a folder holding citcert's manifest): their trackers
    and roll-up workbooks are reports, not evidence.
    """
    from citcert.app.manifest import MANIFEST

    files: list[Path] = []
    for current, dirs, names in os.walk(folder):
        here = Path(current)
        if here != folder and MANIFEST in names:
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() != skip)
        files.extend(here / n for n in sorted(names) if _is_workbook_name(n))
    return files


def _is_workbook_name(name: str) -> bool:
    """A name a submission may have: a workbook, or a spreadsheet that should have been one."""
    hidden = name.startswith((".", "~$"))
    return not hidden and Path(name).suffix.lower() in WORKBOOK_SUFFIXES | OTHER_SPREADSHEETS


def _base(arg: str, matches: list[Path]) -> list[Path]:
    """
    The folders `arg` searches: a folder itself, a file's folder, a pattern's folder before its
    first wildcard. Names relative to these stay the same from run to run while the arguments
    do (a subfolder emptied does not rename the rest), and the manifest knows each workbook.
    """
    if glob.has_magic(arg):
        plain = itertools.takewhile(lambda part: not glob.has_magic(part), Path(arg).parts)
        found = [Path(*plain)] if matches else []
    else:
        found = [m if m.is_dir() else m.parent for m in matches]
    return [Path(os.path.normpath(f.absolute())) for f in found]


def _common_folder(folders: list[Path]) -> Path | None:
    try:
        return Path(os.path.commonpath(folders))
    except ValueError:  # NOTE: different drives (Windows) share no folder; names are used then
        return None


def _relative(path: Path, root: Path | None) -> str:
    return path.relative_to(root).as_posix() if root is not None else path.name


def unique_slug(
    stem: str, name: str, taken: set[str], own: str | None = None, was: str | None = None
) -> str:
    """
    `stem`, or when a program earlier in the run took it, `stem` plus a short hash of `name`;
    `own` (the folder the previous run gave this workbook) when it is still one of these names
    (of `was`, the name the previous run knew it by, if another) and not taken, so that a
    folder stays with the workbook that wrote it.

    The suffix depends only on the workbook's path, so the same folder gets the same name
    whatever the number of jobs. The folder name is never one of citcert's own files in the
    output folder, never a name Windows reserves for a device (``con``, ``nul``, ``com1`` …),
    never hidden, and differs from every name in `taken` also after case folding and Unicode
    normalisation (so two folders never merge on a case-insensitive disk). `taken` holds those
    folded keys; the loop always ends, since a counter follows once the hash is used up.
    """
    if own is not None and _is_one_of(own, stem, was or name):
        key = folded(own)
        if key not in taken and _allowed(key):
            taken.add(key)
            return own
    base, digest = _base_and_digest(stem, name)
    suffixes = itertools.chain(
        [""],
        (f"-{digest[:size]}" for size in range(6, len(digest) + 1, 2)),
        (f"-{digest[:6]}-{n}" for n in itertools.count(2)),
    )
    for suffix in suffixes:  # NOTE: ends: `taken` is finite and the counter is not
        slug = f"{base}{suffix}"
        key = folded(slug)
        if key not in taken and _allowed(key):
            taken.add(key)
            return slug
    raise AssertionError("unreachable")  # pragma: no cover


def _base_and_digest(stem: str, name: str) -> tuple[str, str]:
    """The plain folder name of a program's `stem`, and the hash of its workbook's `name`."""
    base = stem if _SAFE_NAME.fullmatch(stem) else "cit-program"
    return base, hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()


def _is_one_of(slug: str, stem: str, name: str) -> bool:
    """True when `unique_slug` may name the folder of workbook `name`, of program `stem`, so."""
    base, digest = _base_and_digest(stem, name)
    if slug == base:
        return True
    if not slug.startswith(f"{base}-"):
        return False
    rest = slug[len(base) + 1 :]
    if len(rest) % 2 == 0 and len(rest) >= 6 and digest.startswith(rest):
        return True
    counter = rest.removeprefix(f"{digest[:6]}-")
    return counter != rest and re.fullmatch(r"[2-9]|[1-9][0-9]+", counter) is not None


def folded(name: str) -> str:
    """A name as a case-insensitive, normalising file system compares it."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def _allowed(key: str) -> bool:
    from citcert._files import LOCK
    from citcert.app.manifest import MANIFEST
    from citcert.export import WINDOWS_RESERVED
    from citcert.export.rollup import FILES

    own = {folded(n) for n in (*FILES, MANIFEST, LOCK)}
    device = key.split(".")[0].rstrip(" ")
    return key not in own and device not in WINDOWS_RESERVED and not key.startswith(".")
