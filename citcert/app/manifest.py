"""
The manifest of a batch run: what it wrote into the output folder, so the next run can tidy up.

A manifest (``.citcert-manifest.json``) lists what a run wrote; the next run removes what the
old manifest lists and this run did not write again, and nothing else. Only our own files are
ever replaced: an entry that could reach outside the output folder is ignored, so a tampered
manifest cannot make a run delete anything else.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

MANIFEST = ".citcert-manifest.json"


def read_manifest(outdir: Path) -> tuple[str, ...]:
    """
    What the previous run wrote into `outdir`, from its manifest (nothing if there is none).

    Entries that could reach outside `outdir` (absolute, or with ``..``) are ignored, so a
    tampered manifest cannot make a run delete anything else.
    """
    try:
        data = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return ()
    if not isinstance(files, list):
        return ()
    return tuple(f for f in files if isinstance(f, str) and _is_inside(f))


def _is_inside(relative: str) -> bool:
    parts = Path(relative).parts
    return (
        bool(parts)
        and not Path(relative).is_absolute()
        and ".." not in parts
        and MANIFEST not in parts
    )


def remove_stale(outdir: Path, previous: Iterable[str], written: Iterable[str]) -> tuple[str, ...]:
    """Delete the files the previous run wrote that this one did not, and folders left empty."""
    keep = set(written)
    removed = []
    for relative in sorted(set(previous) - keep):
        path = outdir / relative
        if path.is_file() and not path.is_symlink():
            path.unlink()
            removed.append(relative)
            _remove_empty_parents(path.parent, outdir)
    return tuple(removed)


def _remove_empty_parents(folder: Path, outdir: Path) -> None:
    while folder != outdir and outdir in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def manifest_bytes(written: Iterable[str]) -> bytes:
    """The manifest of a run: the sorted relative paths of every file it wrote."""
    from citcert.export.json import dumps

    return dumps(
        {
            "tool": "citcert",
            "note": "Files citcert wrote here; the next run replaces them.",
            "files": sorted(written),
        }
    )
