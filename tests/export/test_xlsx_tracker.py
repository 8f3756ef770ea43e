"""The XLSX remediation tracker, opened again with openpyxl."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from citcert._spreadsheet import ONE_PAGE_WIDE
from citcert.audit.assessment import Assessment
from citcert.export import xlsx
from citcert.export.review import PANEL_ONLY
from citcert.export.since import SHEET_NAMES as SINCE_SHEETS
from citcert.export.wording import FORMULA_TRIGGERS, neutralise_formula
from citcert.export.xlsx import cells as xlsx_cells
from citcert.export.xlsx.review import SHEET_NAMES
from citcert.export.xlsx.sheets import SHORTFALL
from citcert.standards.model import Standard
from tests.export.assessment_fixture import FORMULAS, PROGRAM_NAME
from tests.export.reviewed_assessment import COMMENT, reviewed_assessment


@pytest.fixture(scope="module")
def book(hostile_xlsx: bytes) -> Any:
    """The hostile tracker, loaded with openpyxl."""
    return load_workbook(io.BytesIO(hostile_xlsx))


@pytest.fixture(scope="module")
def reviewed(mini_standard: Standard) -> Any:
    """The tracker of a consensus review with long texts, loaded with openpyxl."""
    return load_workbook(io.BytesIO(xlsx.render(reviewed_assessment(mini_standard))))


def _column(sheet: Any, header: str) -> list[Any]:
    """The values under `header` in row 1, down to the last row."""
    titles = [c.value for c in sheet[1]]
    index = titles.index(header) + 1
    return [sheet.cell(row=r, column=index).value for r in range(2, sheet.max_row + 1)]


def _summary(book: Any) -> dict[str, Any]:
    """The Summary sheet as label -> value."""
    return {
        row[0].value: row[1].value for row in book["Summary"].iter_rows(min_row=3) if row[0].value
    }


def _all_cells(book: Any) -> list[Any]:
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


class TestSheets:
    """The sheets and what they hold."""

    def test_sheets_in_order(self, book: Any) -> None:
        """Summary, Requirements, Gaps, Remediation plan, Domain scores, then the hidden one."""
        assert book.sheetnames == [
            "Summary",
            "Requirements",
            "Gaps",
            "Remediation plan",
            "Domain scores",
            "citcert tracker",
        ]
        assert book["citcert tracker"].sheet_state == "hidden"
        meta = {row[0]: row[1] for row in book["citcert tracker"].iter_rows(values_only=True)}
        assert meta["kind"] == "remediation_tracker"
        assert meta["standard_ref"] == "mini-standard@1.0"

    def test_summary_has_decision_scores_and_provenance(self, book: Any) -> None:
        """The Summary names program and decision; the score is a number and the date a date."""
        summary = _summary(book)

        assert summary["Program"] == PROGRAM_NAME
        assert summary["Decision"] == "Not certified"
        assert summary["Overall score (%)"] == 62.5
        assert summary["Core gaps"] == 2
        assert summary["Population served"] == 250_000
        assert summary["Standard SHA-256"] == "a" * 64
        assert summary["As of"] == dt.datetime(2025, 3, 14)

    def test_every_requirement_has_a_row(self, book: Any, hostile_assessment: Assessment) -> None:
        """The Requirements sheet lists every requirement in order, with a real credit number."""
        sheet = book["Requirements"]

        assert _column(sheet, "ID") == [r.requirement_id for r in hostile_assessment.results]
        assert _column(sheet, "Credit") == [
            r.credit if r.applicable else None for r in hostile_assessment.results
        ]
        assert sheet.auto_filter.ref == f"A1:R{len(hostile_assessment.results) + 1}"

    def test_a_not_applicable_requirement_has_a_blank_credit(self, book: Any) -> None:
        """PART-03 counts in no score: its Credit cell is empty, as in the Markdown, not 0."""
        sheet = book["Requirements"]
        rows = dict(zip(_column(sheet, "ID"), range(2, sheet.max_row + 1), strict=True))
        credit = [c.value for c in sheet[1]].index("Credit") + 1

        assert _column(sheet, "Status")[rows["PART-03"] - 2] == "Not applicable"
        assert sheet.cell(row=rows["PART-03"], column=credit).value is None
        assert sheet.cell(row=rows["TRN-02"], column=credit).value == 0
        assert sheet.cell(row=rows["TRN-02"], column=credit).data_type == "n"

    def test_requirements_are_coloured_by_rating(self, book: Any) -> None:
        """Conditional formatting colours the status and rating cells by their words."""
        rules = book["Requirements"].conditional_formatting
        ranges = [str(r.sqref) for r in rules]
        formulas = {f for r in rules for rule in r.rules for f in rule.formula}

        assert ranges == ["F2:G11"]
        assert {'"Met"', '"Partially met"', '"Not met"'} <= formulas

    def test_gaps_most_severe_first(self, book: Any, hostile_assessment: Assessment) -> None:
        """The Gaps sheet keeps the assessment's order, with the shortfall a number."""
        sheet = book["Gaps"]

        assert _column(sheet, "Requirement") == [g.requirement_id for g in hostile_assessment.gaps]
        assert _column(sheet, "Severity")[0] == "Critical"
        assert _column(sheet, SHORTFALL)[0] == 1.0

    def test_domains_are_named_and_the_shortfall_says_what_it_is(
        self, book: Any, hostile_assessment: Assessment
    ) -> None:
        """Both sheets name each domain as the PDF does; the shortfall's header says what it is."""
        titles = {d.domain_id: d.title for d in hostile_assessment.domains}
        requirements, gaps = book["Requirements"], book["Gaps"]

        assert _column(requirements, "Domain") == [
            f"{r.domain_id} · {titles[r.domain_id]}" for r in hostile_assessment.results
        ]
        assert _column(requirements, "Domain")[0] == "PART · Partnerships & <governance>"
        assert _column(gaps, "Domain") == [
            f"{g.domain_id} · {titles[g.domain_id]}" for g in hostile_assessment.gaps
        ]
        assert SHORTFALL == "Shortfall (credit short of full, 0 to 1)"
        assert _column(gaps, SHORTFALL) == [g.shortfall for g in hostile_assessment.gaps]

    def test_named_domains_and_the_long_header_still_fit_their_rows(self, book: Any) -> None:
        """The wider Domain column wraps its names, and the header row is tall enough for them."""
        for name in ("Requirements", "Gaps"):
            sheet = book[name]
            column = [c.value for c in sheet[1]].index("Domain") + 1
            letter = sheet.cell(row=1, column=column).column_letter

            assert sheet.column_dimensions[letter].width >= 20
            assert all(
                sheet.cell(row=r, column=column).alignment.wrap_text
                for r in range(2, sheet.max_row + 1)
            )
            assert all(sheet.row_dimensions[r].height for r in range(1, sheet.max_row + 1))
            assert (sheet.print_title_rows, sheet.print_title_cols) == ("$1:$1", "$A:$A")
        header = book["Gaps"].cell(row=1, column=7)
        assert header.value == SHORTFALL
        assert book["Gaps"].row_dimensions[1].height >= 3 * 14.5

    def test_domain_scores_are_numbers(self, book: Any) -> None:
        """Scores and thresholds are numbers; a domain with no applicable requirement is blank."""
        sheet = book["Domain scores"]

        assert _column(sheet, "Score (%)") == [83.3, 37.5, 50.0, None]
        assert _column(sheet, "Needed (%)") == [60.0, 60.0, 60.0, None]


class TestOwnNumbers:
    """citcert's own numbers in the review and since sheets are number cells, never quoted."""

    def test_calibration_differences_are_signed_numbers(self, reviewed: Any) -> None:
        """Levels above or below are whole numbers shown with their sign; none is a dash."""
        cells = [reviewed["Calibration (panel)"].cell(row=r, column=5) for r in range(2, 6)]

        assert [c.value for c in cells] == [1, "—", 1, "—"]
        assert [(c.data_type, c.number_format) for c in cells[::2]] == [("n", "+0;-0;0")] * 2

    def test_since_scores_and_changes_are_numbers_shown_as_in_the_report(
        self, reviewed: Any
    ) -> None:
        """Then and now are scores, the change is points (no quote before its sign)."""
        sheet = reviewed["Since last review"]
        then, now, change = (sheet.cell(row=2, column=c) for c in (2, 3, 4))

        assert (then.value, now.value, change.value) == (70, 60, -10)
        assert {then.data_type, now.data_type, change.data_type} == {"n"}
        assert then.number_format == now.number_format == '0.0"%"'
        assert change.number_format == '+0.0" points";-0.0" points";"no change"'
        assert reviewed["Steps completed"]["A2"].value == 3

    def test_no_cell_of_a_review_without_formula_text_is_quoted(self, reviewed: Any) -> None:
        """The review's text holds no formula, so no cell needs (or gets) the guard's quote."""
        quoted = [
            f"{c.parent.title}!{c.coordinate}"
            for c in _all_cells(reviewed)
            if isinstance(c.value, str) and c.value.startswith("'")
        ]

        assert quoted == []


class TestTracker:
    """The remediation plan works as a tracker."""

    def test_steps_with_real_target_dates(self, book: Any, hostile_assessment: Assessment) -> None:
        """Each step is a row whose target date is a date cell equal to the plan's date."""
        sheet = book["Remediation plan"]
        steps = hostile_assessment.plan.steps

        assert _column(sheet, "Step") == [s.order for s in steps]
        assert _column(sheet, "Requirement") == [s.requirement_id for s in steps]
        assert [d.date() for d in _column(sheet, "Target date")] == [s.target_date for s in steps]
        assert sheet["I2"].is_date

    def test_status_drop_down(self, book: Any) -> None:
        """Every step starts Not started, and the status column offers the three choices."""
        sheet = book["Remediation plan"]
        (validation,) = sheet.data_validations.dataValidation

        assert set(_column(sheet, "Status")) == {"Not started"}
        assert validation.type == "list"
        assert validation.formula1 == '"Not started,In progress,Done"'
        assert "N2" in validation.sqref
        assert "N7" in validation.sqref


class TestPrintedLayout:
    """Rows sized to their text and sheets one page wide, for a review with long texts too."""

    def test_every_row_with_text_has_a_height_for_it(self, reviewed: Any) -> None:
        """In every sheet, the review's and the since sheets too, a row of text has a height."""
        unsized = [
            f"{sheet.title}!{row[0].row}"
            for sheet in reviewed
            if sheet.sheet_state == "visible"
            for row in sheet.iter_rows()
            if any(isinstance(c.value, str) for c in row)
            and not sheet.row_dimensions[row[0].row].height
        ]

        assert unsized == []
        assert len(reviewed.sheetnames) == 17

    def test_a_long_comment_gets_a_tall_row(self, reviewed: Any) -> None:
        """The 600-character comment makes its row many lines tall, the one-line row is not."""
        sheet = reviewed["Comments for the program"]

        assert sheet.row_dimensions[2].height > 10 * 14.5
        assert sheet["D2"].value == COMMENT

    def test_a_sections_sentences_wrap_across_its_table(self, reviewed: Any) -> None:
        """A sentence under a table is merged across the table's columns and wraps there."""
        sheet = reviewed["Since last review"]
        merged = {str(r) for r in sheet.merged_cells.ranges}
        rows = [r for r in range(1, sheet.max_row + 1) if f"A{r}:E{r}" in merged]

        assert rows
        assert all(sheet[f"A{r}"].alignment.wrap_text for r in rows)

    def test_review_and_since_sheets_print_one_page_wide(self, reviewed: Any) -> None:
        """Their columns add up to a page at 8 pt at most: no sentence is cut at a page's edge."""
        names = [*SHEET_NAMES.values(), *SINCE_SHEETS.values()]
        widths = {
            name: sum(d.width for d in reviewed[name].column_dimensions.values())
            for name in names
            if name in reviewed.sheetnames
        }

        assert len(widths) == 11
        assert max(widths.values()) <= ONE_PAGE_WIDE
        assert all(reviewed[name].print_title_cols is None for name in widths)

    def test_the_draft_banner_heads_every_printed_page_with_room(self, reviewed: Any) -> None:
        """Every sheet prints the draft's banner in a top margin that leaves it room."""
        for sheet in (s for s in reviewed if s.sheet_state == "visible"):
            assert sheet.oddHeader.center.text.startswith(f"{PANEL_ONLY} DRAFT, not a decision")
            assert sheet.page_margins.top - sheet.page_margins.header >= 0.7  # three lines

    def test_summary_labels_sit_beside_the_first_line_of_their_value(self, reviewed: Any) -> None:
        """Labels and values are top-aligned and wrap; the Summary is one page wide at 100%."""
        sheet = reviewed["Summary"]
        labels = [c for c in sheet["A"][2:] if c.value]

        assert all(c.alignment.vertical == "top" and c.alignment.wrap_text for c in labels)
        assert sheet["A2"].value.startswith(f"{PANEL_ONLY} DRAFT") and "A2:B2" in {
            str(r) for r in sheet.merged_cells.ranges
        }
        assert sheet.page_setup.scale == 100


class TestFormulaSafety:
    """No spreadsheet will read workbook text as a formula."""

    def test_no_cell_is_a_formula(self, book: Any) -> None:
        """No cell holds a formula, and no text starts with a character that makes one."""
        cells = _all_cells(book)

        assert all(c.data_type != "f" for c in cells)
        assert not [
            c.coordinate
            for c in cells
            if isinstance(c.value, str) and c.value[0] in FORMULA_TRIGGERS
        ]

    def test_formula_like_text_is_kept_behind_a_quote(self, book: Any) -> None:
        """Each hostile formula is still there, as text, behind a single quote."""
        values = {c.value for c in _all_cells(book) if isinstance(c.value, str)}

        for formula in (FORMULAS[3], FORMULAS[6], FORMULAS[7]):
            assert "'" + formula in values

    def test_control_characters_are_removed(self, book: Any) -> None:
        """Control characters typed in a cell are gone; the words around them stay."""
        values = [c.value for c in _all_cells(book) if isinstance(c.value, str)]

        assert "bell null escape delete vertical-tab end" in values
        assert not any("\x07" in v or "\x00" in v for v in values)

    def test_overlong_text_is_cut_to_what_excel_holds(self, hostile_assessment: Assessment) -> None:
        """A 40,000-character comment is cut below Excel's 32,767 limit and says so."""
        gap = hostile_assessment.gaps[0].model_copy(update={"reviewer_comment": "x" * 40_000})
        book = load_workbook(
            io.BytesIO(xlsx.render(hostile_assessment.model_copy(update={"gaps": (gap,)})))
        )
        comment = _column(book["Gaps"], "Reviewer comment")[0]

        assert len(comment) <= 32_767
        assert comment.endswith("x… [8,000 more characters]")


class TestDeterminism:
    """The same assessment gives the same workbook."""

    def test_fixed_document_properties(self, book: Any) -> None:
        """Created and modified are the assessment date; the creator is citcert."""
        props = book.properties

        assert props.created == dt.datetime(2025, 3, 14)
        assert props.modified == dt.datetime(2025, 3, 14)
        assert props.creator == "citcert"

    def test_identical_bytes(self, hostile_xlsx: bytes, hostile_assessment: Assessment) -> None:
        """Rendering twice gives byte-identical files, every zip entry dated by the assessment."""
        again = xlsx.render(hostile_assessment)

        assert again == hostile_xlsx
        with zipfile.ZipFile(io.BytesIO(again)) as archive:
            assert {i.date_time for i in archive.infolist()} == {(2025, 3, 14, 0, 0, 0)}

    def test_identical_cell_values(
        self, hostile_xlsx: bytes, hostile_assessment: Assessment
    ) -> None:
        """Re-reading two renders gives the same value in every cell of every sheet."""
        first = load_workbook(io.BytesIO(hostile_xlsx))
        second = load_workbook(io.BytesIO(xlsx.render(hostile_assessment)))

        assert [c.value for c in _all_cells(first)] == [c.value for c in _all_cells(second)]


class TestAnyText:
    """Whatever a workbook cell held, the tracker saves it and reads it back as plain text."""

    @settings(max_examples=40, deadline=None)
    @given(st.text(st.characters(exclude_categories=()), min_size=1, max_size=40))
    def test_any_text_round_trips_as_a_string(self, text: str) -> None:
        """Any text is saved as a string cell (never a formula) and reads back neutralised."""
        book = Workbook()
        xlsx_cells.put(book.active, 1, 1, text)
        saved = io.BytesIO()
        book.save(saved)
        cell = load_workbook(io.BytesIO(saved.getvalue())).active["A1"]

        assert cell.data_type == "s" or cell.value is None
        assert (cell.value or "") == neutralise_formula(text).replace("\r", "\n")
