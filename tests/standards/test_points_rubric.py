"""
The example points rubric (examples/standards/): a scale of 0-5 with a level above Met, levels
decided by total points, and required submissions, through every command unchanged.

Workbooks are made by `citcert template`, filled with openpyxl the way a coordinator would
(rows found by their ID, ratings typed as the drop-down's labels), then audited, batched and
diffed through the command line; the PDF is read back with pypdf and the XLSX reopened.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

from citcert.cli import cli
from citcert.standards import load_file
from citcert.workbook import layout as L

FOLDER = Path(__file__).parents[2] / "examples" / "standards"
RUBRIC = FOLDER / "northfield-cit-recognition-2026.1.yaml"
REF = "northfield-cit-recognition@2026.1"
PROFILE = {
    "program_name": "Harlow Police CIT",
    "jurisdiction": "City of Harlow",
    "state": "Northfield",
    "agencies": "Harlow Police Department",
    "coordinator": "Sgt. Dana Reyes, CIT coordinator",
    "contact": "cit@harlow.example",
    "assessment_type": "Self-assessment",
    "assessment_date": "2026-03-31",
}


def _run(*args: str) -> Any:
    return CliRunner().invoke(cli, ["--standards-dir", str(FOLDER), *args])


def _column(ws: Any, header: str) -> int:
    row = L.FIRST_DATA_ROW - 1
    return next(c.column for c in ws[row] if c.value == header)


def _workbook(
    tmp_path: Path, name: str, ratings: dict[str, str], jurisdiction: str = "City of Harlow"
) -> Path:
    """A template of the rubric, filled in: each item's rating with a line of evidence."""
    path = tmp_path / f"{name}.xlsx"
    made = _run("template", "--standard", REF, "-o", str(path))
    assert made.exit_code == 0, made.output
    book = load_workbook(path)
    program = book[L.PROGRAM_SHEET]
    profile = {**PROFILE, "jurisdiction": jurisdiction}
    for cell in program["A"]:
        if cell.value in profile:
            program.cell(cell.row, 3).value = profile[str(cell.value)]
    evidence = book[L.EVIDENCE_SHEET]
    rating, summary = _column(evidence, "Self rating"), _column(evidence, "Evidence summary")
    for cell in evidence["A"]:
        if cell.value in ratings:
            evidence.cell(cell.row, rating).value = ratings[str(cell.value)]
            evidence.cell(cell.row, summary).value = f"Shown in the {cell.value} binder."
    book.save(path)
    return path


def _ratings(exceeded: int, met: int) -> dict[str, str]:
    """`exceeded` items at 5 points and `met` at 4, the rest 0; every submission made."""
    items = [f"ITEM-{n:02d}" for n in range(1, 21)]
    levels = ["Exceeded"] * exceeded + ["Met"] * met
    ratings = dict(zip(items, levels + ["Not planned"] * (20 - len(levels)), strict=True))
    return ratings | {f"SUB-{n:02d}": "Met" for n in range(1, 5)}


def _audit(path: Path, out: Path) -> dict[str, Any]:
    result = _run("audit", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    (report,) = out.glob("*.json")
    parsed: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return parsed


def test_the_rubric_follows_the_published_framework() -> None:
    rubric = load_file(RUBRIC)
    scale = rubric.scoring.scale
    assert [lv.points for lv in scale.levels] == [5, 4, 3, 2, 1, 0]
    assert [lv.id for lv in scale.levels if lv.meets] == ["exceeded", "met"]
    bands = [(lv.label, lv.conditions.min_points) for lv in rubric.scoring.decision_levels]
    assert bands == [
        ("Gold", 80),
        ("Blue", 65),
        ("Green", 50),
        ("Red", 35),
        ("No recognition level", None),
    ]
    header = RUBRIC.read_text(encoding="utf-8").split("\nid:")[0]
    assert "What follows Florida's published framework" in header
    assert "What is invented for this example" in header


@pytest.mark.parametrize(
    ("exceeded", "met", "points", "level"), [(16, 0, 80, "gold"), (15, 1, 79, "blue")]
)
def test_79_points_is_blue_and_80_gold(
    tmp_path: Path, exceeded: int, met: int, points: int, level: str
) -> None:
    path = _workbook(tmp_path, f"harlow-{points}", _ratings(exceeded, met))
    report = _audit(path, tmp_path / "out")

    assert (report["points"], report["max_points"]) == (points, 100)
    assert report["decision"]["level_id"] == level
    assert f"Total points {points} of 100." in report["headline"]
    if level == "blue":
        assert report["decision"]["sentence"] == (
            "Blue, short of “Gold”: total points 79 is below 80"
        )


def test_a_missing_submission_withholds_every_level(tmp_path: Path) -> None:
    ratings = _ratings(20, 0) | {"SUB-03": "Not planned"}
    report = _audit(_workbook(tmp_path, "harlow", ratings), tmp_path / "out")

    assert report["points"] == 100  # submissions earn no points
    assert report["decision"]["level_id"] == "none"
    assert "core requirement SUB-03 is Not planned" in report["decision"]["sentence"]


def test_every_report_and_the_batch_work_on_it(tmp_path: Path) -> None:
    gold = _workbook(tmp_path, "gold", _ratings(16, 0))
    # Another program (the roll-up counts one workbook per program and jurisdiction).
    blue = _workbook(tmp_path, "blue", _ratings(15, 1), jurisdiction="Harlow County")
    out = tmp_path / "reports"
    assert _run("validate", str(gold)).exit_code == 0

    _audit(gold, out)
    (pdf,) = out.glob("*.pdf")
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)
    assert "Gold" in text and "Total points 80 of 100." in text
    (xlsx,) = out.glob("*.xlsx")
    cells = [v for row in load_workbook(xlsx).active.iter_rows(values_only=True) for v in row]
    assert "Gold" in cells
    (md,) = out.glob("*.md")
    assert "## Decision: Gold" in md.read_text(encoding="utf-8")

    batch = _run("batch", str(gold), str(blue), "-o", str(tmp_path / "state"), "--jobs", "1")
    assert batch.exit_code == 0, batch.output
    summary = json.loads((tmp_path / "state" / "summary.json").read_text(encoding="utf-8"))
    assert "1 Gold" in batch.stdout and "1 Blue" in batch.stdout, batch.stdout
    assert summary


def test_diff_names_a_change_of_points(tmp_path: Path) -> None:
    text = RUBRIC.read_text(encoding="utf-8")
    stricter = text.replace(
        "{all_core_met: true, min_points: 80}", "{all_core_met: true, min_points: 85}"
    )
    stricter = stricter.replace('version: "2026.1"', 'version: "2026.2"')
    newer = tmp_path / "northfield-cit-recognition-2026.2.yaml"
    newer.write_text(stricter, encoding="utf-8")

    result = _run("standards", "diff", str(RUBRIC), str(newer))
    assert result.exit_code == 0, result.output
    assert "decision_levels.gold.min_points: 80 → 85 (tightened)" in result.stdout


def test_points_without_points_on_the_scale_are_refused(tmp_path: Path) -> None:
    text = RUBRIC.read_text(encoding="utf-8").replace("        points: 3\n", "")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text, encoding="utf-8")

    result = _run("standards", "validate", str(broken))
    assert result.exit_code == 2
    assert "give every level points, or none of them" in result.output
    assert "broken.yaml:" in result.output


def test_the_template_offers_the_six_levels(tmp_path: Path) -> None:
    path = _workbook(tmp_path, "blank", {})
    book = load_workbook(io.BytesIO(path.read_bytes()))
    labels = [row[3] for row in book[L.METADATA_SHEET].iter_rows(values_only=True)]
    for label in ("Exceeded", "Met", "Nearly met", "Under way", "Planned", "Not planned"):
        assert label in labels
