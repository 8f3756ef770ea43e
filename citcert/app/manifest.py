"""
The manifest of a batch run: what it wrote into the output folder, so the next run can tidy up.

A manifest (``.citcert-manifest.json``) lists each file a run wrote with the SHA-256 of the bytes
it wrote. The manifest is only a claim (anyone can edit it), so a file is treated as citcert's
own only while it is still exactly what citcert wrote, where citcert wrote it:

- its path is relative, inside the output folder, and no folder on the way is a symbolic link
  (so an edited manifest plus a planted link cannot reach a file elsewhere);
- it is a regular file whose bytes still have the recorded SHA-256 (so a workbook a user saved
  under a report's name, or a file a manifest merely names, is never deleted or skipped).

A previous report is deleted only when this run wrote a new report set in its place (the same
program folder, or the roll-up): the reports of a program that failed this time, or is no longer
in the batch, are kept and stay listed.

The manifest also says which workbook's reports each program folder holds (``folders``), so that
the next run gives each workbook the folder it had: when one of a program's two workbooks (its
self-assessment and its review, say) leaves the batch, the other keeps its own folder rather
than taking the plain one, whose reports and tracker are the first's.
"""

from __future__ import annotations

import json
import os
import stat
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".citcert-manifest.json"
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
"""A larger manifest was not written by citcert; it is ignored."""


@dataclass(frozen=True, slots=True)
class Manifest:
    """What the previous run wrote into the output folder, as its manifest says."""

    files: dict[str, str] = field(default_factory=dict)
    """Relative path → SHA-256 of each file written."""
    folders: dict[str, str] = field(default_factory=dict)
    """Workbook (its name in the roll-up) → the program folder holding its reports."""


def read_manifest(outdir: Path) -> Manifest:
    """
    What the previous run wrote into `outdir` (empty if unknown).

    Entries that could reach outside `outdir` (absolute, or with ``..``) are dropped, and so is
    a folder that is not one plain name; a missing, damaged or foreign manifest is an empty one.
    """
    from citcert._files import read_regular
    from citcert.errors import CitcertError

    try:
        data = json.loads(read_regular(outdir / MANIFEST, MAX_MANIFEST_BYTES))
        files = data["files"]
        hashes = data.get("sha256", {})
        folders = data.get("folders", {})
    except (CitcertError, ValueError, KeyError, TypeError, AttributeError):
        return Manifest()
    if not isinstance(files, list) or not isinstance(hashes, dict):
        return Manifest()
    if not isinstance(folders, dict):
        folders = {}
    return Manifest(
        {f: str(hashes.get(f, "")) for f in files if isinstance(f, str) and _is_inside(f)},
        _one_workbook_each(folders),
    )


def _one_workbook_each(folders: dict[object, object]) -> dict[str, str]:
    """
    The manifest's folders that are one plain name, each held by one workbook: a folder two
    workbooks claim (a manifest edited, never one citcert wrote) is neither's.
    """
    from citcert.app.discovery import folded

    plain = {
        name: folder
        for name, folder in folders.items()
        if isinstance(name, str)
        and isinstance(folder, str)
        and _is_inside(folder)
        and len(Path(folder).parts) == 1
    }
    claims = Counter(folded(folder) for folder in plain.values())
    return {name: folder for name, folder in plain.items() if claims[folded(folder)] == 1}


def _is_inside(relative: str) -> bool:
    parts = Path(relative).parts
    return (
        bool(parts)
        and not Path(relative).is_absolute()
        and ".." not in parts
        and MANIFEST not in parts
        and "\x00" not in relative
    )


def still_ours(outdir: Path, relative: str, sha256: str) -> bool:
    """
    True when `relative` is a regular file under `outdir`, reached through no symbolic link,
    whose bytes still have the SHA-256 citcert recorded for it.
    """
    from citcert._files import sha256_of

    if not sha256 or not _is_inside(relative):
        return False
    path = outdir
    try:
        for part in Path(relative).parts:
            path = path / part
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return False
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        return sha256_of(path) == sha256
    except OSError:
        return False


def ours(outdir: Path, previous: Mapping[str, str]) -> dict[str, str]:
    """The entries of `previous` that are still exactly what citcert wrote (`still_ours`)."""
    return {rel: sha for rel, sha in previous.items() if still_ours(outdir, rel, sha)}


def stale(
    outdir: Path, previous: Mapping[str, str], written: Iterable[str]
) -> tuple[tuple[str, ...], dict[str, str]]:
    """
    What of the previous run to delete once this run is in place, and what to keep.

    A previous file is deleted only when this run wrote into its first folder (a program's
    folder) or, for a file at the top, wrote the roll-up; and only while it is still citcert's
    own (`still_ours`). Returns the files to delete and those kept (path → SHA-256, for the new
    manifest); what is no longer citcert's own is in neither.
    """
    written = set(written)
    renewed = {Path(rel).parts[0] for rel in written if len(Path(rel).parts) > 1}
    top_renewed = any(len(Path(rel).parts) == 1 for rel in written)
    remove: list[str] = []
    kept: dict[str, str] = {}
    for relative, sha in sorted(previous.items()):
        if relative in written or not still_ours(outdir, relative, sha):
            continue
        parts = Path(relative).parts
        replaced = parts[0] in renewed if len(parts) > 1 else top_renewed
        if replaced:
            remove.append(relative)
        else:
            kept[relative] = sha
    return tuple(remove), kept


def remove_stale(outdir: Path, previous: Mapping[str, str], remove: Iterable[str]) -> None:
    """Delete each of `remove` that is still citcert's own (checked again), and emptied folders."""
    for relative in remove:
        if still_ours(outdir, relative, previous.get(relative, "")):
            path = outdir / relative
            path.unlink()
            _remove_empty_parents(path.parent, outdir)


def _remove_empty_parents(folder: Path, outdir: Path) -> None:
    while folder != outdir and outdir in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def manifest_bytes(written: Mapping[str, str], folders: Mapping[str, str]) -> bytes:
    """
    The manifest of a run: the sorted relative paths it wrote, with their SHA-256, and the
    program folder of each workbook (by its name in the roll-up).
    """
    from citcert.export.json import dumps

    return dumps(
        {
            "tool": "citcert",
            "note": "Files citcert wrote here; the next run replaces them.",
            "files": sorted(written),
            "sha256": dict(sorted(written.items())),
            "folders": dict(sorted(folders.items())),
        }
    )
