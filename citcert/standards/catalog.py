"""
The catalogue of standards citcert can find: ``citcert standards list``.

Each standard is described by its summary (id, version, status, title, effective date, how many
domains, requirements and core requirements, what it overlays). The summary of a standard file
that loaded before comes from the cache without building the standard, so listing needs neither
pydantic nor the YAML parser once the cache is warm.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from citcert.standards.registry import Entry, index, load_entry, read_cached, version_key

if TYPE_CHECKING:
    from citcert.standards.model import Standard

_COLUMNS = ("id", "version", "status", "effective", "domains", "requirements", "core")
_HEADER = ("ID", "VERSION", "STATUS", "EFFECTIVE", "DOMAINS", "REQUIREMENTS", "CORE", "TITLE")


def summary(standard: Standard) -> dict[str, Any]:
    """A standard's line in the catalogue, everything but where its file is."""
    requirements = [req for _, req in standard.requirements()]
    return {
        "id": standard.id,
        "version": standard.version,
        "ref": standard.ref,
        "status": standard.status.value,
        "title": standard.title,
        "effective": standard.effective.isoformat(),
        "domains": len(standard.domains),
        "requirements": len(requirements),
        "core": sum(req.core for req in requirements),
        "overlay_of": standard.tailoring.base if standard.tailoring else None,
    }


def catalogue(dirs: Sequence[Path] = ()) -> list[tuple[Entry, dict[str, Any]]]:
    """Every standard found, with its summary and source, sorted by id then version."""
    entries = sorted(index(dirs), key=lambda e: (e.id, version_key(e.version)))
    return [(entry, {**_summary_of(entry, dirs), "source": entry.origin}) for entry in entries]


def _summary_of(entry: Entry, dirs: Sequence[Path]) -> dict[str, Any]:
    record = read_cached(entry.path)
    if record is not None and record.summary is not None:
        return record.summary
    return summary(load_entry(entry, dirs))


def listing_json(rows: Sequence[tuple[Entry, dict[str, Any]]]) -> str:
    """The catalogue as a JSON list (sorted keys, one object per standard)."""
    data = [row for _, row in rows]
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def listing(rows: Sequence[tuple[Entry, dict[str, Any]]]) -> str:
    """The catalogue as an aligned text table."""
    if not rows:
        return "No standards found.\n"
    table = [_HEADER]
    for entry, row in rows:
        title = row["title"] + ("" if entry.builtin else f"  [{row['source']}]")
        table.append((*(str(row[column]) for column in _COLUMNS), title))
    widths = [max(len(r[i]) for r in table) for i in range(len(_HEADER) - 1)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(r, widths, strict=False)), r[-1]]) for r in table
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"
