"""
The workbook package's own map of its sheets: each sheet's name and the zip part that holds it.

Read from ``xl/workbook.xml`` and its relations with defusedxml (no entity or DTD trick), for
the readers that look at a sheet's XML themselves (`fast_sheet`, `hidden`). Sheet names are
matched as a person reads them (`sheet_key`), as every reader matches them.
"""

from __future__ import annotations

import posixpath
import unicodedata
import zipfile

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def sheet_key(name: str) -> str:
    """A sheet name as a person reads it: case, Unicode forms and spaces around it ignored."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str | None]:
    """Each sheet's name (charts too, in the workbook's order) and its part, if it has one."""
    from defusedxml.ElementTree import fromstring

    book = fromstring(archive.read("xl/workbook.xml"))
    relations = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        r.get("Id"): r.get("Target") or "" for r in relations.iter(f"{_PACKAGE_REL}Relationship")
    }
    parts: dict[str, str | None] = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"))
        parts[sheet.get("name") or ""] = None if target is None else _part(target)
    return parts


def sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The part holding `sheet` (matched by `sheet_key`); None unless exactly one sheet matches."""
    wanted = sheet_key(sheet)
    found = [part for name, part in sheet_parts(archive).items() if sheet_key(name) == wanted]
    return found[0] if len(found) == 1 else None


def _part(target: str) -> str:
    """A relation's target as a zip part's name (relative to ``xl/`` unless it starts with /)."""
    return posixpath.normpath(target.lstrip("/") if target.startswith("/") else f"xl/{target}")
