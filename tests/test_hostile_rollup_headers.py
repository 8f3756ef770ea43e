"""
The roll-up's header row is data too: a standard's domain titles head columns of summary.xlsx
and summary.csv, and a title a spreadsheet could read as a formula is stored as text behind a
single quote, as every other cell is (OWASP's advice against formula injection).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from citcert.cli import cli
from citcert.errors import ExitCode
from tests.audit import workbook_filler as filler

TITLES = {
    "equals": '=HYPERLINK("https://evil.example","Partnerships")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(1,2)",
    "full-width": "\uff1d1+1",
    "tab-then-equals": "\t=1+1",
    "full-width-at": "\uff20SUM(1,2)",
}
"""Domain titles a spreadsheet could run, each by its first character (a line break or a
carriage return cannot lead one: a standard's title holds neither, see
tests/test_hostile_standard_checks.py)."""


@pytest.mark.parametrize("trick", sorted(TITLES))
def test_a_domain_title_heads_its_column_as_text(tmp_path: Path, trick: str) -> None:
    """summary.xlsx and summary.csv: the domain's header is text behind a quote, not a formula."""
    standards = tmp_path / "standards"
    standards.mkdir()
    raw = filler.load_yaml(filler.MINI)
    raw["domains"][0]["title"] = TITLES[trick]
    filler.dump_yaml(raw, standards / "mini.yaml")
    folder = tmp_path / "in"
    folder.mkdir()
    filler.filled_path(folder)
    out = tmp_path / "out"

    result = CliRunner().invoke(
        cli, ["--standards-dir", str(standards), "batch", str(folder), "-o", str(out)]
    )

    assert result.exit_code == ExitCode.OK, result.output
    sheet = load_workbook(out / "summary.xlsx")["Programs"]
    headers = {c.value: c for c in sheet[1] if c.value and "(PART)" in c.value}
    ((value, cell),) = headers.items()
    assert value.startswith("'") and cell.data_type == "s", value
    assert value.lstrip("'").strip().startswith(TITLES[trick].strip()[:2])
    with open(out / "summary.csv", encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    (column,) = [h for h in header if "(PART)" in h]
    assert column == value
    assert all(not h[:1] or h[0] not in "=+-@\t\r\n\uff1d" for h in header)
