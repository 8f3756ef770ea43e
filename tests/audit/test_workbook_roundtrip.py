"""Template → filled in with openpyxl → read back: every field arrives, as a person meant it."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from citcert.cli import cli
from citcert.workbook import layout as L
from citcert.workbook.evidence import (
    CellRef,
    Document,
    Evidence,
    Mode,
    NotApplicableAnswer,
    ProgramProfile,
    Rated,
    RequirementEvidence,
)
from citcert.workbook.reader import open_book, read_standard_ref, read_workbook
from tests.audit.workbook_filler import (
    MINI,
    blank,
    dump_yaml,
    fill,
    filled_path,
    header_column,
    id_row,
    legacy_layout,
    percent_variant,
    rewrite_part,
    save,
    set_answer,
    set_program,
    standard,
)


@pytest.fixture(scope="module")
def standards_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A standards folder holding the mini standard and its percentage variant."""
    folder = tmp_path_factory.mktemp("standards")
    (folder / "mini.yaml").write_bytes(MINI.read_bytes())
    dump_yaml(percent_variant(), folder / "mini-percent.yaml")
    return folder


def _read(path: Path, variant: str = "mini") -> Evidence:
    return read_workbook(open_book(path), standard(variant))


class TestRoundTrip:
    """What is typed into the template comes back, field by field."""

    def test_every_field_round_trips(self, tmp_path: Path) -> None:
        """Profile, numbers, every requirement column and the document index are read back."""
        evidence = _read(filled_path(tmp_path))

        assert evidence.standard_ref == "mini-standard@1.0"
        assert evidence.layout_version == L.LAYOUT_VERSION
        assert evidence.file_name == "program.xlsx"
        assert len(evidence.workbook_sha256) == 64
        assert evidence.profile == ProgramProfile(
            program_name="Riverton CIT Program",
            jurisdiction="Riverton County",
            state="OH",
            agencies="Riverton Police Department; Riverton County Sheriff's Office",
            coordinator="Sgt. Dana Reyes, law enforcement CIT coordinator",
            contact="dreyes@riverton.example",
            population_served=85000,
            assessment_type=Mode.SELF,
            assessment_date=dt.date(2024, 5, 1),
        )
        assert evidence.numbers == {
            "patrol_officers": 120,
            "cit_officers": 30,
            "last_committee_meeting": dt.date(2024, 4, 2),
        }
        assert evidence.documents == (
            Document(
                name="PART-01 Charter 2023-02",
                date=dt.date(2023, 2, 14),
                description="Steering committee charter, signed by all partners",
                link="https://riverton.example/cit/charter.pdf",
            ),
        )
        assert evidence.warnings == ()

    def test_requirement_rows_round_trip(self, tmp_path: Path) -> None:
        """Ratings, summaries, documents, metric values, notes and cells come back per row."""
        evidence = _read(filled_path(tmp_path))

        part, trn2, trn3 = (evidence.for_requirement(r) for r in ("PART-01", "TRN-02", "TRN-03"))
        assert [r.requirement_id for r in evidence.requirements] == [
            "PART-01",
            "PART-02",
            "TRN-01",
            "TRN-02",
            "TRN-03",
        ]
        assert part == RequirementEvidence(
            requirement_id="PART-01",
            self_rating=Rated(level="met"),
            evidence_summary="Chartered committee: police, NAMI Riverton, Riverton BH.",
            documents=("PART-01 Charter 2023-02", "PART-01 Roster 2024-01"),
            row=CellRef(sheet="Evidence", cell="H5"),
        )
        assert (trn2.metric_value, trn2.notes) == (40.0, "Agenda revised in 2023.")
        assert trn3.self_rating == NotApplicableAnswer(
            reason="No agency in the program serves schools."
        )

    def test_layout_1_reviewer_columns_still_read(self, tmp_path: Path) -> None:
        """
        A layout-1 workbook's Reviewer columns are read as before, with a warning that names
        `citcert review start`; nothing in them is dropped.
        """
        book = legacy_layout(fill(blank()))
        set_program(book, "assessment_type", "Review")
        set_program(book, "reviewer", "Dr. Ada Morgan")
        for rid in ("PART-01", "PART-02", "TRN-01", "TRN-02", "TRN-03"):
            set_answer(book, rid, "Reviewer rating", "Not met")
        set_answer(book, "TRN-01", "Reviewer comment", "Roster shows 24, not 30.")

        evidence = _read(save(book, tmp_path / "review.xlsx"))

        trn1 = evidence.for_requirement("TRN-01")
        assert (evidence.profile.assessment_type, evidence.profile.reviewer) == (
            Mode.REVIEW,
            "Dr. Ada Morgan",
        )
        assert (trn1.reviewer_rating, trn1.reviewer_comment) == (
            Rated(level="not_met"),
            "Roster shows 24, not 30.",
        )
        assert any("citcert review start review.xlsx" in w for w in evidence.warnings)

    def test_template_has_no_reviewer_columns(self) -> None:
        """The program's workbook holds only what the program fills in."""
        headers = [c.value for c in blank()[L.EVIDENCE_SHEET][L.HEADER_ROW]]

        assert "Reviewer rating" not in headers
        assert "Reviewer comment" not in headers
        assert headers[-1] == "Notes"

    def test_blank_template_lists_what_is_required(self, tmp_path: Path) -> None:
        """The blank template reads as not yet auditable, naming each required cell."""
        path = save(blank(), tmp_path / "blank.xlsx")

        with pytest.raises(Exception, match=r"Program!C4 \(Program name\): required but empty"):
            _read(path)

    def test_standard_ref_is_read_from_the_hidden_sheet(self, tmp_path: Path) -> None:
        """The workbook records the id@version it was made for."""
        assert read_standard_ref(open_book(filled_path(tmp_path))) == "mini-standard@1.0"


class TestTolerance:
    """Where a person would be forgiven, the reader forgives."""

    def test_loose_spellings_and_text_numbers_are_read(self, tmp_path: Path) -> None:
        """Ratings in any case and alias, numbers with separators, dates as ISO or US text."""
        book = fill(blank())
        set_answer(book, "PART-01", "Self rating", "  yes ")
        set_answer(book, "PART-02", "Self rating", "PARTLY MET")
        set_answer(book, "TRN-03", "Self rating", "n/a")
        set_program(book, "patrol_officers", "1,200")
        set_program(book, "cit_officers", " 300 ")
        set_program(book, "assessment_date", "05/01/2024")
        set_program(book, "last_committee_meeting", "2024-04-02")
        set_program(book, "assessment_type", "self assessment")

        evidence = _read(save(book, tmp_path / "loose.xlsx"))

        assert [evidence.for_requirement(r).self_rating for r in ("PART-01", "PART-02")] == [
            Rated(level="met"),
            Rated(level="partially_met"),
        ]
        assert evidence.for_requirement("TRN-03").self_rating.kind == "not_applicable"
        assert evidence.numbers["patrol_officers"] == 1200
        assert evidence.numbers["cit_officers"] == 300
        assert evidence.profile.assessment_date == dt.date(2024, 5, 1)
        assert evidence.numbers["last_committee_meeting"] == dt.date(2024, 4, 2)

    @pytest.mark.parametrize(
        ("typed", "number_format", "expected"),
        [("25%", None, 25.0), ("0.25", None, 25.0), (25, None, 25.0), (0.25, "0%", 25.0)],
    )
    def test_percentages_in_any_form(
        self, tmp_path: Path, typed: object, number_format: str | None, expected: float
    ) -> None:
        """A percentage metric reads 25 whether typed 25%, 0.25, 25 or as a %-formatted 0.25."""
        book = fill(blank("percent"))
        set_answer(book, "TRN-02", "Metric value", typed)
        if number_format:
            ws = book[L.EVIDENCE_SHEET]
            ws.cell(
                id_row(ws, "TRN-02"), header_column(ws, "Metric value")
            ).number_format = number_format

        evidence = _read(save(book, tmp_path / "pct.xlsx"), "percent")

        assert evidence.for_requirement("TRN-02").metric_value == pytest.approx(expected)

    def test_sorted_rows_blank_rows_and_extra_columns(self, tmp_path: Path) -> None:
        """Rows found by ID and columns by header: sorting, blank rows and new columns are fine."""
        book = blank()
        ws = book[L.EVIDENCE_SHEET]
        ws.insert_cols(8)
        ws.cell(L.HEADER_ROW, 8, "Our own remarks")
        ws.cell(id_row(ws, "TRN-01"), 8, "ask Sgt. Reyes")
        ws.insert_rows(7, amount=3)
        _reverse_requirement_rows(ws)
        fill(book)

        path = save(book, tmp_path / "moved.xlsx")
        evidence = _read(path)

        assert evidence.for_requirement("TRN-02").metric_value == 40.0
        assert evidence.for_requirement("PART-01").self_rating == Rated(level="met")
        assert evidence.for_requirement("PART-01").row != CellRef(sheet="Evidence", cell="H5")
        assert evidence.warnings == ()

    def test_formulas_are_read_through_their_cached_values(self, tmp_path: Path) -> None:
        """A formula's last computed value is what counts (as Excel saved it)."""
        book = fill(blank())
        set_program(book, "patrol_officers", "=100+20")
        path = _cache_formula(save(book, tmp_path / "formula.xlsx"), "100+20", "120")

        evidence = _read(path)

        assert evidence.numbers["patrol_officers"] == 120

    def test_a_wrong_dimension_tag_does_not_hide_rows(self, tmp_path: Path) -> None:
        """Some tools declare a too-small sheet size; every row is still read."""
        path = filled_path(tmp_path)
        rewrite_part(
            path,
            "xl/worksheets/sheet3.xml",
            r'<dimension ref="[^"]+"\s*/>',
            '<dimension ref="A1:B2"/>',
        )

        evidence = _read(path)

        assert len(evidence.requirements) == 5

    def test_xlsm_is_read_and_its_macros_ignored(self, tmp_path: Path) -> None:
        """A macro-enabled workbook is read; its macros are neither run nor kept."""
        path = filled_path(tmp_path, "program.xlsm")
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really a macro")

        evidence = _read(path)

        assert evidence.file_name == "program.xlsm"


class TestWarnings:
    """Things worth knowing that do not stop an audit."""

    def test_unanswered_and_unexplained_not_applicable_are_warnings(self, tmp_path: Path) -> None:
        """An unanswered rating and a not-applicable without a reason are listed, not refused."""
        book = fill(blank())
        set_answer(book, "PART-02", "Self rating", None)
        set_answer(book, "TRN-03", "Evidence summary", None)
        set_answer(book, "TRN-02", "Metric value", None)

        evidence = _read(save(book, tmp_path / "warn.xlsx"))

        assert evidence.warnings == (
            "warn.xlsx: Evidence!H6 (PART-02, self rating): not answered yet",
            "warn.xlsx: Evidence!L9 (TRN-02, metric value): no metric value yet",
            'warn.xlsx: Evidence!H10 (TRN-03, self rating): "Not applicable" without a reason; '
            "say why in Evidence summary",
        )

    def test_a_changed_standard_with_the_same_ref_is_a_warning(self, tmp_path: Path) -> None:
        """Same id@version but other content (an edited user standard) warns; ids still match."""
        book = fill(blank())
        meta = book[L.METADATA_SHEET]
        row = next(c.row for c in meta["A"] if c.value == "standard_sha256")
        meta.cell(row, 2).value = "0" * 64

        evidence = _read(save(book, tmp_path / "changed.xlsx"))

        assert evidence.warnings == (
            "changed.xlsx: the standard mini-standard@1.0 has changed since this workbook was "
            "made; the requirements still match, so it can be audited",
        )

    def test_validate_prints_ready_and_the_warnings(
        self, tmp_path: Path, runner: CliRunner, standards_dir: Path
    ) -> None:
        """`citcert validate` says the workbook is ready, lists warnings, and exits 0."""
        book = fill(blank())
        set_answer(book, "PART-02", "Self rating", None)
        path = save(book, tmp_path / "ok.xlsx")

        result = runner.invoke(cli, ["--standards-dir", str(standards_dir), "validate", str(path)])

        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines() == [
            "ok.xlsx is ready to audit against mini-standard@1.0.",
            "Warnings (2):",
            "  ok.xlsx: Evidence!H6 (PART-02, self rating): not answered yet",
            "  ok.xlsx: Evidence!J5 (PART-01, document references): “PART-01 Roster 2024-01” is "
            "not listed in the Documents sheet, so the audit cannot date it or link to it; add it "
            "there (or correct the name)",
        ]

    def test_an_assessment_date_after_today_is_a_warning_at_its_cell(
        self, tmp_path: Path, runner: CliRunner, standards_dir: Path
    ) -> None:
        """2062 for 2026: every "last 12 months" moves with it, silently, unless validate says."""
        book = fill(blank())
        set_program(book, "assessment_date", dt.datetime(2062, 11, 1))
        path = save(book, tmp_path / "typo.xlsx")

        result = runner.invoke(cli, ["--standards-dir", str(standards_dir), "validate", str(path)])

        assert result.exit_code == 0, result.stderr
        (line,) = [line for line in result.stdout.splitlines() if "after today" in line]
        assert line.startswith("  typo.xlsx: Program!C")
        assert "(Assessment date): 2062-11-01 is after today (" in line
        assert "Check the year" in line

    def test_optional_program_number_left_empty_is_a_warning(
        self, tmp_path: Path, runner: CliRunner, standards_dir: Path
    ) -> None:
        """An optional program number left empty is mentioned; the workbook is still ready."""
        book = fill(blank("percent"))
        set_program(book, "last_committee_meeting", None)
        path = save(book, tmp_path / "optional.xlsx")

        result = runner.invoke(cli, ["--standards-dir", str(standards_dir), "validate", str(path)])

        assert result.exit_code == 0, result.stderr
        assert (
            "optional.xlsx: Program!C17 (Date of the last steering committee meeting): "
            "no value yet (optional)"
        ) in result.stdout


def _reverse_requirement_rows(ws: Any) -> None:
    """Sort the requirement rows backwards, the way a person sorting by ID descending would."""
    rows = [r for r in range(L.FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(r, 1).value]
    values = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in rows]
    for r, row_values in zip(rows, reversed(values), strict=True):
        for c, value in enumerate(row_values, start=1):
            ws.cell(r, c).value = value


def _cache_formula(path: Path, formula: str, value: str) -> Path:
    """Give a formula the cached value Excel stores on save (openpyxl leaves it empty)."""
    pattern = rf"<f>{re.escape(formula)}</f>(<v\s*/>|<v></v>)?"
    return rewrite_part(
        path, "xl/worksheets/sheet2.xml", pattern, f"<f>{formula}</f><v>{value}</v>"
    )
