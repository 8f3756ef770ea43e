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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from citcert._text import one_line
from citcert.errors import CitcertError
from citcert.standards.registry import Entry, load_entry, read_cached, survey, version_key
from citcert.standards.store import Skipped, StandardsStore

if TYPE_CHECKING:
    from citcert.standards.model import Standard

_COLUMNS = ("id", "version", "status", "effective", "domains", "requirements", "core")
_JSON_KEYS = (*_COLUMNS, "ref", "title", "overlay_of", "source")
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


@dataclass(frozen=True)
class Catalogue:
    """Every standard found with its summary, and the files skipped because they cannot be read."""

    rows: list[tuple[Entry, dict[str, Any]]]
    skipped: list[Skipped]


def catalogue(store: StandardsStore | None = None) -> Catalogue:
    """
    Every standard found, with its summary and source, sorted by id then version.

    A file whose header reads but whose standard does not load is skipped like one whose YAML
    is broken, with its problems, so one bad file never hides the others.
    """
    store = store if store is not None else StandardsStore()
    entries, skipped = survey(store)
    rows = []
    for entry in sorted(entries, key=lambda e: (e.id, version_key(e.version))):
        try:
            rows.append((entry, {**_summary_of(entry, store), "source": entry.origin}))
        except CitcertError as error:
            skipped.append(Skipped(entry.path, tuple(error.problems), entry.id, entry.builtin))
    return Catalogue(rows, sorted(skipped, key=lambda s: str(s.path)))


def _summary_of(entry: Entry, store: StandardsStore) -> dict[str, Any]:
    record = read_cached(entry.path, store)
    if record is not None and record.summary is not None:
        return record.summary
    return summary(load_entry(entry, store))


def listing_json(found: Catalogue) -> str:
    """
    The catalogue as a JSON list (sorted keys, one object per standard, then per skipped file).

    Every object has the same keys; ``problems`` lists a skipped file's located problems (and
    is empty for a standard), whose other fields are null but its ``id`` when that was read.
    """
    data = [{**row, "problems": []} for _, row in found.rows]
    blank = dict.fromkeys(_JSON_KEYS)
    data += [
        {**blank, "id": s.id, "source": s.origin, "problems": [str(p) for p in s.problems]}
        for s in found.skipped
    ]
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def listing(found: Catalogue) -> str:
    """The catalogue as an aligned text table, then the skipped files with their problems."""
    return _table(found.rows) + _skipped(found.skipped)


def _table(rows: Sequence[tuple[Entry, dict[str, Any]]]) -> str:
    if not rows:
        return "No standards found.\n"
    table: list[tuple[str, ...]] = [_HEADER]
    for entry, row in rows:
        title = one_line(row["title"] + ("" if entry.builtin else f"  [{row['source']}]"))
        table.append((*(str(row[column]) for column in _COLUMNS), title))
    widths = [max(len(r[i]) for r in table) for i in range(len(_HEADER) - 1)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(r, widths, strict=False)), r[-1]]) for r in table
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _skipped(skipped: Sequence[Skipped]) -> str:
    if not skipped:
        return ""
    count = "1 file" if len(skipped) == 1 else f"{len(skipped)} files"
    lines = [f"\nSkipped {count} that could not be read (fix it, or move it out of the folder):"]
    lines += [f"  {problem}" for s in skipped for problem in s.problems]
    return "\n".join(lines) + "\n"
