"""
Each mistake a workbook can hold, through `citcert validate`: its message, its cell, exit 2.

One row per failure mode: a change a person could make to a valid workbook, and the line the
command must print for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from citcert.cli import cli
from citcert.workbook import layout as L
from tests.audit.workbook_filler import (
    MINI,
    blank,
    dump_yaml,
    fill,
    header_column,
    id_row,
    legacy_layout,
    load_yaml,
    percent_variant,
    rewrite_part,
    save,
    set_answer,
    set_program,
)

Change = Callable[[Any], None]


@pytest.fixture(scope="module")
def standards_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Mini, its percentage variant, and a version 2.0 of mini (for the mismatch case)."""
    folder = tmp_path_factory.mktemp("standards")
    (folder / "mini.yaml").write_bytes(MINI.read_bytes())
    dump_yaml(percent_variant(), folder / "mini-percent.yaml")
    version_two = load_yaml(MINI)
    version_two["version"] = "2.0"
    dump_yaml(version_two, folder / "mini-2.yaml")
    return folder


def _validate(runner: CliRunner, folder: Path, path: Path, *extra: str) -> Any:
    return runner.invoke(cli, ["--standards-dir", str(folder), "validate", str(path), *extra])


def _program(key: str, value: object) -> Change:
    return lambda book: set_program(book, key, value)


def _answer(rid: str, header: str, value: object) -> Change:
    return lambda book: set_answer(book, rid, header, value)


def _id(old: str, new: str | None) -> Change:
    def change(book: Any) -> None:
        ws = book[L.EVIDENCE_SHEET]
        ws.cell(id_row(ws, old), 1).value = new

    return change


def _header(old: str, new: str) -> Change:
    def change(book: Any) -> None:
        ws = book[L.EVIDENCE_SHEET]
        ws.cell(L.HEADER_ROW, header_column(ws, old)).value = new

    return change


def _document(header: str, value: object) -> Change:
    def change(book: Any) -> None:
        ws = book[L.DOCUMENTS_SHEET]
        ws.cell(L.FIRST_DATA_ROW, header_column(ws, header)).value = value

    return change


def _delete_row(rid: str) -> Change:
    def change(book: Any) -> None:
        ws = book[L.EVIDENCE_SHEET]
        ws.delete_rows(id_row(ws, rid))

    return change


def _delete_sheet(name: str) -> Change:
    return lambda book: book.remove(book[name])


F = "program.xlsx"
CASES: list[tuple[str, Change, str]] = [
    (
        "rating not on the scale",
        _answer("PART-01", "Self rating", "Yess"),
        f'{F}: Evidence!H5 (PART-01, self rating): "Yess" is not one of Met, Partially met, '
        'Not met, Not applicable (did you mean "Met"?)',
    ),
    (
        "reviewer rating not on the scale",
        lambda book: set_answer(legacy_layout(book), "TRN-01", "Reviewer rating", "Excellent"),
        f'{F}: Evidence!N8 (TRN-01, reviewer rating): "Excellent" is not one of Met, '
        "Partially met, Not met, Not applicable",
    ),
    (
        "unknown requirement id",
        _id("TRN-02", "TRN-22"),
        f'{F}: Evidence!A9: "TRN-22" is not a requirement of mini-standard@1.0 '
        '(did you mean "TRN-02"?)',
    ),
    (
        "duplicate requirement id",
        _id("TRN-02", "TRN-01"),
        f"{F}: Evidence!A9: TRN-01 appears twice (first at A8)",
    ),
    (
        "requirement row missing",
        _delete_row("TRN-03"),
        f"{F}: Evidence: TRN-03 (Youth module) has no row; add a row with TRN-03 in the ID column",
    ),
    (
        "answers without an id",
        _id("TRN-02", None),
        f"{F}: Evidence!A9: this row has answers but no requirement ID; put the ID back",
    ),
    (
        "missing sheet",
        _delete_sheet(L.EVIDENCE_SHEET),
        f"{F}: Evidence: the Evidence sheet is missing; make a fresh workbook with "
        "`citcert template`",
    ),
    (
        "missing column",
        _header("Evidence summary", "Evidence sumary"),
        f'{F}: Evidence: the column "Evidence summary" is missing (looked for its header in row 3)',
    ),
    (
        "required profile field empty",
        _program("program_name", None),
        f"{F}: Program!C4 (Program name): required but empty; fill it in",
    ),
    (
        "required program number empty",
        _program("patrol_officers", "  "),
        f"{F}: Program!C15 (Patrol officers): required but empty; fill it in",
    ),
    (
        "a review without a reviewer",
        _program("assessment_type", "Review"),
        f"{F}: Program!C13 (Reviewer): a Review needs the reviewer's name",
    ),
    (
        "assessment type not on the list",
        _program("assessment_type", "Audit"),
        f'{F}: Program!C11 (Assessment type): "Audit" is not one of Self-assessment, Review',
    ),
    (
        "trained officers more than officers",
        _program("cit_officers", 130),
        f"{F}: Program!C16 (CIT-trained patrol officers): 130 is more than Patrol officers "
        "(120); check both numbers",
    ),
    (
        "negative number",
        _program("patrol_officers", -5),
        f'{F}: Program!C15 (Patrol officers): "-5" is negative; enter 0 or more',
    ),
    (
        "not a number",
        _program("cit_officers", "about thirty"),
        f'{F}: Program!C16 (CIT-trained patrol officers): "about thirty" is not a number',
    ),
    (
        "a fraction of an officer",
        _program("cit_officers", 30.5),
        f'{F}: Program!C16 (CIT-trained patrol officers): "30.5" is not a whole number',
    ),
    (
        "date after the assessment date",
        _program("last_committee_meeting", dt.datetime(2024, 5, 2)),
        f"{F}: Program!C17 (Date of the last steering committee meeting): 2024-05-02 is after "
        "the assessment date (2024-05-01); check the date",
    ),
    (
        "day-first date",
        _program("last_committee_meeting", "31/03/2024"),
        f'{F}: Program!C17 (Date of the last steering committee meeting): "31/03/2024" is '
        "written day first, but dates typed as text are read month first (MM/DD/YYYY); if 31 "
        "is the day, write 2024-03-31. Check the other dates typed this way: one whose day is "
        "12 or less is read month first",
    ),
    (
        "not applicable where the standard forbids it",
        _answer("PART-01", "Self rating", "N/A"),
        f'{F}: Evidence!H5 (PART-01, self rating): "Not applicable" is not allowed here: every '
        "program must meet PART-01",
    ),
    (
        "negative metric value",
        _answer("TRN-02", "Metric value", -40),
        f'{F}: Evidence!L9 (TRN-02, metric value): "-40" is negative; enter 0 or more',
    ),
    (
        "document without a name",
        _document("Document name", None),
        f"{F}: Documents!A4 (document): a document listed without a name; give it one",
    ),
    (
        "document dated after the assessment date",
        _document("Date", dt.datetime(2031, 1, 5)),
        f"{F}: Documents!B4 (document): 2031-01-05 is after the assessment date (2024-05-01); "
        "check the date",
    ),
    (
        "unknown program item",
        lambda book: book[L.PROGRAM_SHEET].cell(15, 1, "patrol_oficers"),
        f'{F}: Program!A15: "patrol_oficers" is not an item of this workbook '
        '(did you mean "patrol_officers"?)',
    ),
]


@pytest.mark.parametrize(("change", "line"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_mistake_is_reported_at_its_cell(
    tmp_path: Path, runner: CliRunner, standards_dir: Path, change: Change, line: str
) -> None:
    """The mistake is one plain line naming the file, the sheet and cell, then exit 2."""
    book = fill(blank())
    change(book)
    path = save(book, tmp_path / F)

    result = _validate(runner, standards_dir, path)

    assert result.exit_code == 2, result.stdout
    assert line in result.stderr.splitlines(), result.stderr
    assert result.stdout == ""


def test_percentage_above_one_hundred(
    tmp_path: Path, runner: CliRunner, standards_dir: Path
) -> None:
    """A percentage metric above 100% is refused at its cell."""
    book = fill(blank("percent"))
    set_answer(book, "TRN-02", "Metric value", "120%")
    path = save(book, tmp_path / F)

    result = _validate(runner, standards_dir, path)

    assert result.exit_code == 2
    assert f'{F}: Evidence!L9 (TRN-02, metric value): "120%" is more than 100%' in result.stderr


def test_text_longer_than_a_cell_holds(
    tmp_path: Path, runner: CliRunner, standards_dir: Path
) -> None:
    """Text beyond Excel's 32,767 characters (another tool wrote it) is refused, not cut."""
    book = fill(blank())
    set_answer(book, "TRN-01", "Evidence summary", "x" * 32_767)
    path = rewrite_part(
        save(book, tmp_path / F), "xl/worksheets/sheet3.xml", "x{32767}", "x" * 40_000
    )

    result = _validate(runner, standards_dir, path)

    assert result.exit_code == 2
    assert (
        f"{F}: Evidence!I8 (TRN-01, evidence summary): the text is 40,000 characters long; a "
        "cell holds at most 32,767. Shorten it and list the rest in a document"
    ) in result.stderr.splitlines()


def test_every_problem_is_reported_at_once(
    tmp_path: Path, runner: CliRunner, standards_dir: Path
) -> None:
    """Several mistakes give one headline and one line each, in sheet order."""
    book = fill(blank())
    for change in (
        _program("program_name", None),
        _answer("PART-01", "Self rating", "Yess"),
        _answer("TRN-01", "Self rating", "sort of"),
    ):
        change(book)
    path = save(book, tmp_path / F)

    result = _validate(runner, standards_dir, path)

    lines = result.stderr.splitlines()
    assert lines[0] == f"Error: {F} cannot be audited yet: 3 problems to fix"
    assert [line.split(":")[1].strip() for line in lines[1:]] == [
        "Program!C4 (Program name)",
        "Evidence!H5 (PART-01, self rating)",
        "Evidence!H8 (TRN-01, self rating)",
    ]


def test_a_workbook_for_another_version_points_to_migrate(
    tmp_path: Path, runner: CliRunner, standards_dir: Path
) -> None:
    """Checking against another version names both and says how to migrate."""
    path = save(fill(blank()), tmp_path / F)

    result = _validate(runner, standards_dir, path, "--standard", "mini-standard@2.0")

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {F}: this workbook was made for mini-standard@1.0, not mini-standard@2.0. "
        "Check it against the standard it was made for (--standard mini-standard@1.0), or carry "
        f"its answers over with: citcert migrate {F} --to mini-standard@2.0 -o new.xlsx",
    ]


def test_a_workbook_without_the_metadata_sheet_is_refused(
    tmp_path: Path, runner: CliRunner, standards_dir: Path
) -> None:
    """A workbook citcert did not make is refused with a way forward."""
    book = fill(blank())
    book.remove(book[L.METADATA_SHEET])
    path = save(book, tmp_path / F)

    result = _validate(runner, standards_dir, path, "--standard", "mini-standard@1.0")

    assert result.exit_code == 2
    assert "this is not a citcert evidence workbook" in result.stderr
    assert "`citcert template`" in result.stderr


def test_a_workbook_checked_against_an_overlay_points_to_a_migrate_that_finds_it(
    tmp_path: Path, runner: CliRunner
) -> None:
    """migrate has no --overlay: the command it is told to run names the overlay's folder."""
    examples = Path(__file__).parents[2] / "examples"
    overlay = examples / "overlays" / "northfield-state-2024.yaml"
    name = "brennan-county.xlsx"

    result = runner.invoke(cli, ["validate", str(examples / name), "--overlay", str(overlay)])

    assert result.exit_code == 2
    assert result.stderr.rstrip("\n").endswith(
        f"carry its answers over with: citcert --standards-dir FOLDER migrate {name} --to "
        "northfield-cit@2024.1 -o new.xlsx, FOLDER being the overlay file's folder"
    )
    folder = tmp_path / "overlays"
    folder.mkdir()
    (folder / overlay.name).write_bytes(overlay.read_bytes())
    out = tmp_path / "new.xlsx"
    args = ["--standards-dir", str(folder), "migrate", str(examples / name)]
    migrated = runner.invoke(cli, [*args, "--to", "northfield-cit@2024.1", "-o", str(out)])
    assert migrated.exit_code == 0, migrated.stderr
