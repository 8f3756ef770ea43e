"""
The overlay's effect on one program's decision, shown: the same workbook decided against the
base standard alone, and the reports saying so when the overlay, not the program, made it
better (a weakening with its reason, accepted, still shows what it did).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from pypdf import PdfReader

from citcert.cli import cli
from citcert.export.json import json_schema
from tests.audit import workbook_filler as wb
from tests.conftest import DATA

LENIENT = """\
extends: mini-standard@1.0
id: lenient-state
version: "1"
title: Lenient state overlay
publisher: Tests state office
effective: 2024-06-01
status: current
summary: Waives the steering committee as a gate.
override:
  PART-01:
    core: false
    reason: The state charters the committees itself.
"""

STRICT = LENIENT.replace("lenient-state", "strict-state").replace(
    "    core: false\n    reason: The state charters the committees itself.\n",
    "    title: Chartered steering committee\n",
)


def _run(folder: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--standards-dir", str(folder), *args])


def _audited(folder: Path, overlay: str, name: str) -> dict[str, Any]:
    """The weak program (PART-01 not met) migrated to `overlay` and audited in every format."""
    (folder / f"{name}.yaml").write_text(overlay, encoding="utf-8")
    book = wb.fill(wb.blank())
    wb.set_answer(book, "PART-01", "Self rating", "Not met")
    weak = wb.save(book, folder / "weak.xlsx")
    moved = folder / f"{name}.xlsx"
    migrated = _run(folder, "migrate", str(weak), "--to", f"{name}@1", "-o", str(moved))
    assert migrated.exit_code == 0, migrated.output
    out = folder / "out"
    formats = "json,md,html,xlsx,pdf"
    audited = _run(folder, "audit", str(moved), "-o", str(out), "--format", formats)
    assert audited.exit_code == 0, audited.output
    files = {path.suffix: path for path in out.iterdir()}
    return {
        "terminal": _run(folder, "audit", str(moved)).stdout,
        "json": json.loads(files[".json"].read_text(encoding="utf-8")),
        "md": files[".md"].read_text(encoding="utf-8"),
        "html": files[".html"].read_text(encoding="utf-8"),
        "pdf": " ".join(
            " ".join(page.extract_text() for page in PdfReader(files[".pdf"]).pages).split()
        ),
        "pdf cover": " ".join(PdfReader(files[".pdf"]).pages[0].extract_text().split()),
        "xlsx": "\n".join(
            str(cell.value)
            for sheet in load_workbook(files[".xlsx"])
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        ),
        "base": json.loads(_run(folder, "audit", str(weak), "-o", "-").stdout),
    }


def _folder(factory: pytest.TempPathFactory, name: str) -> Path:
    folder = factory.mktemp(name)
    shutil.copy(DATA / "standards" / "mini.yaml", folder / "mini.yaml")
    return folder


@pytest.fixture(scope="module")
def lenient(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _audited(_folder(tmp_path_factory, "lenient"), LENIENT, "lenient-state")


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _audited(_folder(tmp_path_factory, "strict"), STRICT, "strict-state")


SENTENCE = (
    "Under mini-standard@1.0 without the overlay this program would be Conditionally certified "
    "(80%), not Certified (80%): the overlay's changes, not the program, make the difference."
)


def test_the_json_carries_the_base_decision(lenient: dict[str, Any]) -> None:
    """The base alone decides as auditing the original workbook against it does."""
    view = lenient["json"]["without_overlay"]
    base = lenient["base"]

    assert lenient["json"]["decision"]["level_id"] == "certified"
    assert (view["base_ref"], view["level_id"], view["overall_score"]) == (
        "mini-standard@1.0",
        base["decision"]["level_id"],
        base["overall_score"],
    )
    assert view["better"] is True
    assert view["sentence"] == SENTENCE
    jsonschema.validate(lenient["json"], json_schema())  # the published schema knows the field


@pytest.mark.parametrize("where", ["terminal", "md", "html", "pdf", "pdf cover", "xlsx"])
def test_the_reports_say_the_overlay_made_the_difference(
    lenient: dict[str, Any], where: str
) -> None:
    """The terminal and every report print the sentence; the PDF on its cover, under the
    decision a panel sees first, as well as in its summary."""
    assert SENTENCE in lenient[where].replace("&#39;", "'")


def test_the_terminal_counts_the_overlays_weakenings(lenient: dict[str, Any]) -> None:
    """The terminal lists no changes, so it says how many loosen the base."""
    line = "This standard is an overlay: 1 change loosens its base (the reports list each change)."

    assert line in lenient["terminal"].splitlines()


def test_an_overlay_that_changes_nothing_of_the_decision_says_nothing(
    strict: dict[str, Any],
) -> None:
    """Same decision as the base: carried in JSON as not better, and no sentence shown."""
    view = strict["json"]["without_overlay"]

    assert view["better"] is False
    assert view["level_id"] == strict["json"]["decision"]["level_id"] == "conditional"
    assert "without the overlay this program would be" not in strict["md"]
    assert "without the overlay this program would be" not in strict["terminal"]


def test_a_standard_without_overlay_has_no_base_decision(lenient: dict[str, Any]) -> None:
    """Auditing against the base itself carries nothing about overlays."""
    assert lenient["base"]["without_overlay"] is None
