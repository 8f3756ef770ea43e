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
import zipfile

from citcert.workbook import layout as L
from citcert.workbook.package import sheet_part
from citcert.workbook.ratings import clean_text, is_blank
from citcert.workbook.sheets import Findings, Hidden, Table

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
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
