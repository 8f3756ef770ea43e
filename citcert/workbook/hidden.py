"""
Which rows and columns of the Evidence sheet are hidden, read from the sheet's own XML.

openpyxl's read-only mode, which the reader uses to stay fast and bounded, does not say whether
a row or a column is hidden, so the sheet's part is looked at once more, cheaply: only when it
holds the word ``hidden`` at all, with defusedxml's streaming parser (no entity or DTD trick),
keeping only the ``<col>`` and ``<row>`` marks. An answer in a hidden row or column is still
read, but a reviewer looking at the workbook may not see it, so the reader warns at its cell
(`hidden_answer_warnings`).
"""

from __future__ import annotations

import io
import posixpath
import unicodedata
import zipfile

from citcert.workbook import layout as L
from citcert.workbook.ratings import clean_text, is_blank
from citcert.workbook.sheets import Findings, Hidden, Table

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TRUE = frozenset({"1", "true"})


def hidden_marks(data: bytes, sheet: str = L.EVIDENCE_SHEET) -> Hidden:
    """The hidden rows and columns of `sheet` in the workbook `data` (none when it has none)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = sheet_part(archive, sheet)
        if part is None:
            return Hidden()
        xml = archive.read(part)
    if b"hidden" not in xml:
        return Hidden()
    return _marks(xml)


def sheet_names(archive: zipfile.ZipFile) -> list[str]:
    """The names of the workbook's sheets (charts too), in its order."""
    from defusedxml.ElementTree import fromstring

    book = fromstring(archive.read("xl/workbook.xml"))
    return [s.get("name") or "" for s in book.iter(f"{_MAIN}sheet")]


def sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip part holding `sheet`, through the workbook's list of sheets and its relations."""
    from defusedxml.ElementTree import fromstring

    book = fromstring(archive.read("xl/workbook.xml"))
    wanted = sheet_key(sheet)
    ids = [
        s.get(f"{_REL}id")
        for s in book.iter(f"{_MAIN}sheet")
        if sheet_key(s.get("name") or "") == wanted
    ]
    if len(ids) != 1:
        return None
    relations = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for relation in relations.iter(f"{_PACKAGE_REL}Relationship"):
        if relation.get("Id") == ids[0]:
            target = relation.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            return posixpath.normpath(path)
    return None


def sheet_key(name: str) -> str:
    """A sheet name as a person reads it, as every reader matches it: case, Unicode forms and
    spaces around it ignored."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


def _marks(xml: bytes) -> Hidden:
    from defusedxml.ElementTree import iterparse

    rows: set[int] = set()
    columns: set[int] = set()
    for _, element in iterparse(io.BytesIO(xml), events=("end",)):
        tag = element.tag
        if tag == f"{_MAIN}col" and element.get("hidden") in _TRUE:
            low, high = _number(element.get("min")), _number(element.get("max"))
            if low and high:
                columns.update(range(low, min(high, L.MAX_COLUMNS) + 1))
        elif tag == f"{_MAIN}row":
            number = _number(element.get("r"))
            if number and element.get("hidden") in _TRUE:
                rows.add(number)
            element.clear()
    return Hidden(frozenset(rows), frozenset(columns))


def _number(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 8 else 0


def hidden_answer_warnings(table: Table, hidden: Hidden, findings: Findings) -> None:
    """Warn at each answer of the Evidence sheet that lies in a hidden row or column."""
    if not hidden:
        return
    answers = [c for c in L.READ_EVIDENCE_COLUMNS if c.editable and c.key in table.columns]
    for number, row in table.rows:
        requirement = clean_text(table.get(row, "id").value)
        for column in answers:
            index = table.columns[column.key] + 1
            if is_blank(table.get(row, column.key).value):
                continue
            place = _where(number in hidden.rows, index in hidden.columns)
            if place:
                findings.warn(
                    table.sheet,
                    table.cell(number, column.key),
                    "citcert reads this answer, though a reviewer looking at the workbook may "
                    f"not see it: it lies in a hidden {place} (or a collapsed group)",
                    f"{requirement}, {column.subject}" if requirement else column.subject,
                )


def _where(row: bool, column: bool) -> str:
    if row and column:
        return "row and column"
    return "row" if row else "column" if column else ""
