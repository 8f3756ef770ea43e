"""
Fill evidence workbooks the way a person would (openpyxl on the template's bytes), for the
workbook, migrate and template tests.

Cells are found like a person finds them: rows by the ID column, columns by the header text, so
a test can move rows or insert columns and still fill the right cell. The standards are the mini
standard and variants of it built in code (a percentage metric; a second version for migrate).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from ruamel.yaml import YAML

from citcert.standards.model import Standard
from citcert.workbook import layout as L
from citcert.workbook.template import render_template
from citcert.workbook.template.styles import style

MINI = Path(__file__).parent.parent / "data" / "standards" / "mini.yaml"

PROFILE: dict[str, object] = {
    "program_name": "Riverton CIT Program",
    "jurisdiction": "Riverton County",
    "state": "OH",
    "agencies": "Riverton Police Department; Riverton County Sheriff's Office",
    "coordinator": "Sgt. Dana Reyes, law enforcement CIT coordinator",
    "contact": "dreyes@riverton.example",
    "population_served": 85000,
    "assessment_type": "Self-assessment",
    "assessment_date": dt.datetime(2024, 5, 1),
}
NUMBERS: dict[str, object] = {
    "patrol_officers": 120,
    "cit_officers": 30,
    "last_committee_meeting": dt.datetime(2024, 4, 2),
}
ANSWERS: dict[str, dict[str, object]] = {
    "PART-01": {
        "Self rating": "Met",
        "Evidence summary": "Chartered committee: police, NAMI Riverton, Riverton BH.",
        "Document references": "PART-01 Charter 2023-02\nPART-01 Roster 2024-01",
    },
    "PART-02": {"Self rating": "Partially met", "Evidence summary": "Met in January 2024."},
    "TRN-01": {"Self rating": "Met", "Evidence summary": "30 of 120 patrol officers trained."},
    "TRN-02": {
        "Self rating": "Met",
        "Evidence summary": "Five-day, 40-hour course.",
        "Metric value": 40,
        "Notes": "Agenda revised in 2023.",
    },
    "TRN-03": {
        "Self rating": "Not applicable",
        "Evidence summary": "No agency in the program serves schools.",
    },
}
DOCUMENTS: list[dict[str, object]] = [
    {
        "Document name": "PART-01 Charter 2023-02",
        "Date": dt.datetime(2023, 2, 14),
        "Description": "Steering committee charter, signed by all partners",
        "Link or location": "https://riverton.example/cit/charter.pdf",
    }
]


def load_yaml(path: Path) -> dict[str, Any]:
    """A YAML file as plain data."""
    data: dict[str, Any] = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return data


def dump_yaml(data: Mapping[str, Any], path: Path) -> Path:
    """Write plain data as YAML (for standards folders used through the command line)."""
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(dict(data), handle)
    return path


def percent_variant() -> dict[str, Any]:
    """
    The mini standard as ``mini-percent@1.0``, for reader edge cases: TRN-02's typed metric is a
    percentage, and the committee meeting date is an optional program number.
    """
    raw = copy.deepcopy(load_yaml(MINI))
    raw["id"] = "mini-percent"
    raw["program_numbers"][2]["required"] = False
    for domain in raw["domains"]:
        for requirement in domain["requirements"]:
            if requirement["id"] == "TRN-02":
                requirement["metric"].update(
                    label="Share of the course that is scenarios", unit="%"
                )
    return raw


@functools.cache
def standard(variant: str = "mini") -> Standard:
    """The mini standard, or its ``percent`` variant, as a model (cached)."""
    raw = load_yaml(MINI) if variant == "mini" else percent_variant()
    return Standard.model_validate(raw)


@functools.cache
def template_bytes(variant: str = "mini") -> bytes:
    """The blank template of a test standard (rendered once per session)."""
    return render_template(standard(variant))


def blank(variant: str = "mini") -> Any:
    """A fresh openpyxl workbook opened from the template bytes."""
    return load_workbook(io.BytesIO(template_bytes(variant)))


def header_column(ws: Any, header: str) -> int:
    """The column (1-based) whose header-row text is `header`."""
    for cell in ws[L.HEADER_ROW]:
        if cell.value == header:
            return int(cell.column)
    raise KeyError(header)


def id_row(ws: Any, item_id: str) -> int:
    """The row whose ID column (column A) holds `item_id`."""
    for cell in ws["A"]:
        if cell.value == item_id:
            return int(cell.row)
    raise KeyError(item_id)


def cell_of(ws: Any, item_id: str, header: str) -> Any:
    """The cell of `item_id`'s row in the column headed `header`."""
    return ws.cell(id_row(ws, item_id), header_column(ws, header))


def legacy_layout(book: Any) -> Any:
    """
    `book` made to look like a layout-1 workbook: Reviewer rating and Reviewer comment columns
    after the program's (columns N and O) and layout version 1 in the metadata sheet.
    """
    ws = book[L.EVIDENCE_SHEET]
    for offset, column in enumerate(L.LEGACY_REVIEW_COLUMNS, start=len(L.EVIDENCE_COLUMNS) + 1):
        ws.cell(L.HEADER_ROW, offset).value = column.header
        for row in range(L.FIRST_DATA_ROW, ws.max_row + 1):
            style(ws.cell(row, offset), editable=True)  # as layout 1's template styled them
    meta = book[L.METADATA_SHEET]
    for row in meta.iter_rows():
        if row[0].value == L.Meta.LAYOUT_VERSION:
            row[1].value = 1
    return book


def set_program(book: Any, item_id: str, value: object) -> None:
    """Type a Program value."""
    cell_of(book[L.PROGRAM_SHEET], item_id, "Value").value = value


def set_answer(book: Any, requirement_id: str, header: str, value: object) -> None:
    """Type into an Evidence cell."""
    cell_of(book[L.EVIDENCE_SHEET], requirement_id, header).value = value


def fill(
    book: Any,
    *,
    profile: Mapping[str, object] = PROFILE,
    numbers: Mapping[str, object] = NUMBERS,
    answers: Mapping[str, Mapping[str, object]] = ANSWERS,
    documents: Sequence[Mapping[str, object]] = DOCUMENTS,
) -> Any:
    """Type a complete, valid set of answers (the defaults) into `book`."""
    for key, value in {**profile, **numbers}.items():
        set_program(book, key, value)
    for requirement_id, row in answers.items():
        for header, value in row.items():
            set_answer(book, requirement_id, header, value)
    ws = book[L.DOCUMENTS_SHEET]
    for offset, document in enumerate(documents):
        for header, value in document.items():
            ws.cell(L.FIRST_DATA_ROW + offset, header_column(ws, header)).value = value
    return book


def save(book: Any, path: Path) -> Path:
    """Save `book` to `path` and give the path back."""
    book.save(path)
    return path


def filled_path(tmp_path: Path, name: str = "program.xlsx", variant: str = "mini") -> Path:
    """A complete, valid workbook saved under `tmp_path`."""
    return save(fill(blank(variant)), tmp_path / name)


def rewrite_part(path: Path, part: str, pattern: str, replacement: str) -> Path:
    """
    Rewrite one XML part of an xlsx in place, to build what other tools write and openpyxl will
    not (cached formula values, odd dimensions, cells longer than Excel allows).
    """
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    text = parts[part].decode("utf-8")
    new_text, count = re.subn(pattern, replacement, text)
    assert count, f"{pattern} not found in {part}"
    parts[part] = new_text.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def saved_by_libreoffice(source: Path, folder: Path) -> Path:
    """`source` opened and saved again as .xlsx by LibreOffice Calc, into `folder`."""
    import subprocess

    out = folder / "libreoffice"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder / 'libreoffice-profile'}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out / source.name
