"""The same warning in many rows of one column is told once, with the range of cells."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from citcert.cli import cli
from citcert.errors import Location, Problem
from citcert.workbook.grouping import grouped
from citcert.workbook.reader import open_book, read_workbook
from tests.audit.workbook_filler import MINI, blank, fill, save, set_answer, standard


@pytest.fixture(scope="module")
def standards_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A standards folder holding the mini standard."""
    folder = tmp_path_factory.mktemp("standards")
    (folder / "mini.yaml").write_bytes(MINI.read_bytes())
    return folder


def _without_ratings(tmp_path: Path) -> Path:
    """A program that has rated nothing yet: every self rating blank (a warning per row)."""
    book = fill(blank())
    for requirement_id in ("PART-01", "PART-02", "TRN-01", "TRN-02", "TRN-03"):
        set_answer(book, requirement_id, "Self rating", None)
    return save(book, tmp_path / "review.xlsx")


def test_blank_ratings_are_one_warning(tmp_path: Path) -> None:
    """Five blank self ratings are one warning naming the cells and the rows' ids."""
    evidence = read_workbook(open_book(_without_ratings(tmp_path)), standard())

    blank_ratings = [w for w in evidence.warnings if "self rating" in w]
    assert blank_ratings == [
        "review.xlsx: Evidence!H5:H10 (self rating): not answered yet in 5 rows (PART-01 to TRN-03)"
    ]


def test_validate_prints_the_grouped_warning(
    tmp_path: Path, runner: CliRunner, standards_dir: Path
) -> None:
    """`citcert validate` lists the group as one warning."""
    path = _without_ratings(tmp_path)
    result = runner.invoke(cli, ["--standards-dir", str(standards_dir), "validate", str(path)])

    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("(self rating)") == 1
    assert "Evidence!H5:H10 (self rating): not answered yet in 5 rows" in result.stdout


def _warning(cell: str, subject: str, message: str = "not answered yet") -> Problem:
    return Problem(Location(file="w.xlsx", sheet="Evidence", cell=cell), message, subject)


def test_two_alike_stay_apart_and_others_keep_their_place() -> None:
    """Fewer than three alike are not grouped; a group takes the place of its first warning."""
    warnings = [
        _warning("H5", "A-01, self rating"),
        _warning("L6", "A-02, metric value", "no metric value yet"),
        _warning("H7", "A-03, self rating"),
        _warning("H8", "A-04, self rating"),
        _warning("L9", "A-05, metric value", "no metric value yet"),
    ]

    assert [str(w) for w in grouped(warnings)] == [
        "w.xlsx: Evidence!H5:H8 (self rating): not answered yet in 3 rows (A-01 to A-04)",
        "w.xlsx: Evidence!L6 (A-02, metric value): no metric value yet",
        "w.xlsx: Evidence!L9 (A-05, metric value): no metric value yet",
    ]
