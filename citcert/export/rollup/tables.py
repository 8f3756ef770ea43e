"""
The roll-up as data files: the programs table as CSV, both tables as XLSX, everything as JSON.

The CSV and the workbook's sheets share one set of columns and cells, so that a spreadsheet
shows the same table whichever file it opens. Text that came from a workbook or a standard is
neutralised before it goes into a cell, the header row's domain titles as much as the rows: a
standard is a file anyone can write, and a title such as ``=HYPERLINK(…)`` is text, never a
formula. The same roll-up gives the same bytes: the XLSX is dated by the
newest assessment and saved with the template writer's fixed-time zip.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from citcert.export import json as json_writer
from citcert.export.review import SheetCell, Value
from citcert.export.wording import neutralise_formula, of_standard

if TYPE_CHECKING:
    from citcert.audit.rollup import RequirementTally, Rollup, RollupRow

EPOCH = dt.datetime(2000, 1, 1)
"""The document date of a roll-up with no audited workbook (any fixed date would do)."""


def render_json(rollup: Rollup) -> bytes:
    """The roll-up as canonical JSON (sorted keys), with its ``schema_version``."""
    return json_writer.dumps(rollup.model_dump(mode="json"))


def _row_cells(rollup: Rollup, row: RollupRow) -> list[object]:
    """The cells of one programs-table row: text neutralised, numbers as numbers, blanks empty."""
    text = [row.file, row.program, row.jurisdiction, row.standard]
    cells: list[object] = [neutralise_formula(value or "") for value in text]
    cells += [row.assessment_date, neutralise_formula(row.decision or ""), row.overall_score]
    cells += [d.score_of(row) for d in rollup.domains]
    cells += [row.core_gaps, row.other_gaps, row.valid_until, row.next_review_due]
    cells.append(row.mode.noun.capitalize() if row.mode else "")
    cells.append({True: "yes", False: "no", None: ""}[row.counted])
    cells += [neutralise_formula(row.reports or "")]
    cells.append(neutralise_formula("\n".join(row.messages)))
    return cells


def _row_headers(rollup: Rollup) -> list[str]:
    """
    The programs table's header: fixed words and, from the standard, each domain's title
    (after its standard's id when the roll-up holds more than one standard).
    """
    domains = [
        neutralise_formula(
            of_standard(f"{d.title} ({d.domain_id})", d.standard_id, mixed=rollup.mixed)
        )
        for d in rollup.domains
    ]
    return [
        "File",
        "Program",
        "Jurisdiction",
        "Standard",
        "Assessment date",
        "Decision",
        "Overall score",
        *domains,
        "Core gaps",
        "Other gaps",
        "Valid until",
        "Next review due",
        "Assessment",
        "Counted",
        "Reports folder",
        "Error",
    ]


_TALLY_HEADERS = (
    "Requirement",
    "Title",
    "Domain",
    "Core",
    "Programs",
    "Applies to",
    "Met",
    "Partially met",
    "Not met",
    "Not answered",
    "Not applicable",
    "Gaps",
    "Share met (%)",
)


def _tally_headers(rollup: Rollup) -> list[str]:
    """The Requirements sheet's header: with a Standard column first in a mixed roll-up."""
    return ["Standard", *_TALLY_HEADERS] if rollup.mixed else list(_TALLY_HEADERS)


def _tally_cells(rollup: Rollup, tally: RequirementTally) -> list[object]:
    standard = [neutralise_formula(tally.standard_id)] if rollup.mixed else []
    return [
        *standard,
        tally.requirement_id,
        neutralise_formula(tally.title),
        tally.domain_id,
        "yes" if tally.core else "no",
        tally.programs,
        tally.applicable,
        tally.met,
        tally.partial,
        tally.not_met,
        tally.unanswered,
        tally.not_applicable,
        tally.gaps,
        tally.share_met,
    ]


def render_csv(rollup: Rollup) -> bytes:
    """
    The programs table as CSV: one row per workbook (the requirement table is in the others).

    UTF-8 with a byte-order mark so that Excel shows accented names correctly; cells that a
    spreadsheet could read as a formula start with a single quote.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_row_headers(rollup))
    for row in rollup.rows:
        writer.writerow(
            ["" if cell is None else _csv_text(cell) for cell in _row_cells(rollup, row)]
        )
    return out.getvalue().encode("utf-8-sig")


def _csv_text(cell: object) -> str:
    if isinstance(cell, float):
        return f"{cell:.1f}"
    return str(cell)


def render_xlsx(rollup: Rollup) -> bytes:
    """The roll-up as a workbook: a Programs sheet and a Requirements sheet (gaps first)."""
    from openpyxl import Workbook

    book = Workbook()
    programs = book.active
    programs.title = "Programs"
    _fill_sheet(programs, _row_headers(rollup), [_row_cells(rollup, r) for r in rollup.rows])
    requirements = book.create_sheet("Requirements")
    tallies = [_tally_cells(rollup, t) for t in rollup.requirements]
    _fill_sheet(requirements, _tally_headers(rollup), tallies)
    from citcert.export.rollup.sections import SHEET_NAMES, rollup_sections

    for section in rollup_sections(rollup):
        sheet = book.create_sheet(SHEET_NAMES[section.key])
        rows = [[_section_cell(c) for c in row] for row in section.cells]
        _fill_sheet(sheet, list(section.head), rows)
        for row, cells in enumerate(section.cells, start=2):
            for column, cell in enumerate(cells, start=1):
                if isinstance(cell, Value):
                    sheet.cell(row, column).number_format = cell.number_format
        for offset, line in enumerate(section.lines, start=len(rows) + 3):
            sheet.cell(offset, 1).value = neutralise_formula(line)
    from citcert._spreadsheet import workbook_bytes

    day = rollup.latest_assessment
    book.properties.title = "CIT programs: state roll-up"
    return workbook_bytes(book, dt.datetime.combine(day, dt.time()) if day else EPOCH)


def _section_cell(cell: SheetCell) -> object:
    """
    A section's cell: its text neutralised, or its number or date (citcert's own, never
    behind the formula guard: a date is a date cell as on the Programs sheet).
    """
    return cell.value if isinstance(cell, Value) else neutralise_formula(cell)


def _fill_sheet(sheet: Any, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """
    Write a header row (bold, frozen, filtered) and the rows; widen columns to fit; print
    landscape with the header row (and, on a sheet wider than a page, the first column) on
    every page.
    """
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from citcert._spreadsheet import font, print_readable
    from citcert.export.xlsx.cells import put

    for column, header in enumerate(headers, start=1):
        put(sheet, 1, column, header).font = font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, header in enumerate(headers, start=1):
        values = [header, *(str(r[index - 1] or "") for r in rows)]
        width = max(len(line) for value in values for line in value.splitlines() or [""])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[get_column_letter(len(headers))][1:]:
        cell.alignment = wrap
    sheet.print_title_rows = "1:1"
    print_readable(sheet)
