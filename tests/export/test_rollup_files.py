"""The roll-up writers on a `Rollup` built in code, hostile workbook text included."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from citcert.audit.rollup import (
    AuditedRow,
    DecisionCount,
    DecisionTrend,
    DomainColumn,
    DueReview,
    FailedRow,
    ProgramChange,
    RequirementTally,
    Rollup,
    RollupChange,
    RowProblem,
)
from citcert.export.rollup import FILES
from citcert.export.rollup.pdf import render_pdf
from citcert.export.rollup.tables import render_csv, render_json, render_xlsx
from citcert.export.validity import NO_TERM

HOSTILE = "=cmd|' /C calc'!A0 <b>bold</b> & Co"


@pytest.fixture(scope="module")
def rollup() -> Rollup:
    """Two audited programs (one with a hostile name), one failed workbook, two requirements."""
    rows = (
        AuditedRow(
            file="east/a.xlsx",
            program=HOSTILE,
            jurisdiction="+East County",
            standard="mini-standard@1.0",
            assessment_date=dt.date(2024, 5, 2),
            decision_id="certified",
            decision="Certified",
            overall_score=91.5,
            domain_scores={"PART": 100.0, "TRN": None},
            core_gaps=0,
            other_gaps=1,
            reports="a",
        ),
        FailedRow(
            file="west/broken.xlsx",
            errors=(
                RowProblem(
                    file="broken.xlsx",
                    sheet="Evidence",
                    cell="H5",
                    line=None,
                    column=None,
                    subject=None,
                    message="-1 is not a rating",
                ),
            ),
        ),
    )
    tallies = (
        RequirementTally(
            standard_id="mini-standard",
            requirement_id="TRN-01", title="Share trained", domain_id="TRN", core=True,
            programs=1, applicable=1, met=0, partial=1, not_met=0, unanswered=0,
            not_applicable=0, gaps=1, share_met=0.0,
        ),
        RequirementTally(
            standard_id="mini-standard",
            requirement_id="PART-01", title="Committee", domain_id="PART", core=True,
            programs=1, applicable=1, met=1, partial=0, not_met=0, unanswered=0,
            not_applicable=0, gaps=0, share_met=100.0,
        ),
    )  # fmt: skip
    return Rollup(
        standards=("mini-standard@1.0",),
        workbooks=2,
        audited=1,
        programs=1,
        failed=1,
        latest_assessment=dt.date(2024, 5, 2),
        decisions=(
            DecisionCount(
                standard_id="mini-standard", decision_id="certified", label="Certified", programs=1
            ),
            DecisionCount(
                standard_id="mini-standard",
                decision_id="not_certified",
                label="Not certified",
                programs=0,
            ),
        ),
        domains=(
            DomainColumn(standard_id="mini-standard", domain_id="PART", title="Partners"),
            DomainColumn(standard_id="mini-standard", domain_id="TRN", title="Training"),
        ),
        rows=rows,
        requirements=tallies,
        summary="2 workbooks: 1 audited (1 Certified, 0 Not certified); 1 could not be audited.",
    )


@pytest.fixture(scope="module")
def over_time(rollup: Rollup) -> Rollup:
    """The roll-up with a calendar of reviews due and the change since a previous one."""
    audited = rollup.rows[0]
    due = DueReview(
        file=audited.file,
        program=audited.program or "",
        next_review_due=dt.date(2024, 4, 30),
        valid_until=None,
        overdue=True,
        days=-2,
    )
    change = ProgramChange(
        program=HOSTILE, file="east/a.xlsx", old_decision="Not certified",
        new_decision="Certified", old_score=90.5, new_score=91.5, change=1.0, direction="up",
    )  # fmt: skip
    trend = (
        DecisionTrend(decision_id="certified", label="Certified", then=0, now=1),
        DecisionTrend(decision_id="not_certified", label="Not certified", then=1, now=0),
    )
    since = RollupChange(
        previous_latest_assessment=dt.date(2023, 5, 2),
        programs=(change,),
        decisions=trend,
        sentence="1 program moved up.",
    )
    return rollup.model_copy(
        update={"as_of": dt.date(2024, 5, 2), "calendar": (due,), "since": since}
    )


class TestRollupWriters:
    """Each roll-up file lays out the same model, safely and deterministically."""

    @pytest.mark.parametrize("name", sorted(FILES))
    def test_same_rollup_gives_same_bytes(self, rollup: Rollup, name: str) -> None:
        """No clock inside: rendering twice gives identical bytes for every roll-up file."""
        assert FILES[name](rollup) == FILES[name](rollup)

    def test_csv_neutralises_formulas_and_keeps_blanks_empty(self, rollup: Rollup) -> None:
        """Text a spreadsheet would run as a formula gets a leading quote; failures give reasons."""
        data = render_csv(rollup)
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))

        assert data.startswith(b"\xef\xbb\xbf")
        assert "Partners (PART)" in rows[0]
        assert rows[1][1] == "'" + HOSTILE
        assert rows[1][2] == "'+East County"
        assert rows[1][6:9] == ["91.5", "100.0", ""]
        assert "-1 is not a rating" in rows[2][-1]
        assert rows[2][5] == ""

    def test_json_round_trips_with_sorted_keys(self, rollup: Rollup) -> None:
        """summary.json reads back into the same model and carries its schema version."""
        data = render_json(rollup)

        assert rollup == Rollup.model_validate_json(data)
        assert b'"schema_version": "2.3"' in data
        assert data.index(b'"audited"') < data.index(b'"decisions"') < data.index(b'"failed"')

    def test_xlsx_has_programs_and_requirements_as_text_not_formulas(self, rollup: Rollup) -> None:
        """Two sheets; the hostile name is a neutralised string; gaps-first order is kept."""
        book = load_workbook(io.BytesIO(render_xlsx(rollup)))
        programs, requirements = book["Programs"], book["Requirements"]

        assert programs["B2"].value == "'" + HOSTILE
        assert programs["B2"].data_type == "s"
        assert programs["G2"].value == 91.5
        assert [requirements["A2"].value, requirements["A3"].value] == ["TRN-01", "PART-01"]
        assert dt.datetime(2024, 5, 2) == book.properties.created

    def test_xlsx_changes_are_numbers_not_quoted_text(self, over_time: Rollup) -> None:
        """The trend's counts and signed change, and each program's scores, are number cells."""
        book = load_workbook(io.BytesIO(render_xlsx(over_time)))
        trend, programs = book["Decisions then and now"], book["Change per program"]

        assert [c.value for c in trend[2]] == ["Certified", 0, 1, 1]
        assert [c.value for c in trend[3]] == ["Not certified", 1, 0, -1]
        assert trend["D2"].data_type == "n" and trend["D2"].number_format == "+0;-0;0"
        assert [c.value for c in programs[2]][3:6] == [90.5, 91.5, 1.0]
        assert programs["D2"].number_format == '0.0"%"'
        assert programs["F2"].number_format == '+0.0" point";-0.0" point";"no change"'
        assert programs["A2"].value == "'" + HOSTILE + " · east/a.xlsx"

    def test_xlsx_reviews_due_are_date_cells_as_on_the_programs_sheet(
        self, over_time: Rollup
    ) -> None:
        """The review date is a date cell formatted as the Programs sheet's; no term is text."""
        book = load_workbook(io.BytesIO(render_xlsx(over_time)))
        due, assessed = book["Reviews due"]["B2"], book["Programs"]["E2"]

        assert due.value == dt.datetime(2024, 4, 30)
        assert due.is_date and assessed.is_date
        assert due.number_format == assessed.number_format == "yyyy-mm-dd"
        assert book["Reviews due"]["D2"].value == NO_TERM

    def test_xlsx_sheets_print_landscape_with_their_header_on_every_page(
        self, over_time: Rollup
    ) -> None:
        """The Programs sheet (a column per domain) is wider than a page: it prints across
        pages at a readable size, its header row and first column on each."""
        book = load_workbook(io.BytesIO(render_xlsx(over_time)))

        for sheet in book.worksheets:
            assert sheet.page_setup.orientation == "landscape", sheet.title
            assert sheet.print_title_rows == "$1:$1", sheet.title
        programs = book["Programs"]
        assert programs.page_setup.scale >= 73
        assert programs.print_title_cols == "$A:$A"

    def test_pdf_shows_markup_as_typed_and_lists_failures(self, rollup: Rollup) -> None:
        """Workbook text appears literally (not as markup); the failure table names the file."""
        pages = PdfReader(io.BytesIO(render_pdf(rollup))).pages
        text = " ".join(" ".join(page.extract_text().split()) for page in pages)

        assert "<b>bold</b> & Co" in text
        assert "Workbooks that could not be audited" in text
        assert "west/broken.xlsx" in text
        assert "most common gaps first" in text

    def test_pdf_shows_many_domains_with_a_key(self, rollup: Rollup) -> None:
        """A standard with 15 domains still gets every domain score, and a key of their ids."""
        ids = [f"D{n:02d}" for n in range(15)]
        row = rollup.rows[0].model_copy(update={"domain_scores": dict.fromkeys(ids, 55.5)})
        wide = rollup.model_copy(
            update={
                "domains": tuple(
                    DomainColumn(standard_id="mini-standard", domain_id=i, title=f"Domain {i}")
                    for i in ids
                ),
                "rows": (row,),
            }
        )

        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(wide))).pages)

        assert all(i in text for i in ids)
        assert text.count("55.5") == 15
        assert "D14\nDomain D14" in text


class TestFailedRow:
    """A failed workbook's row keeps its problems as fields and shows them as before."""

    def test_many_problems_are_capped_and_counted_as_the_text_always_was(self) -> None:
        """Headline, 18 located lines and '… and 28 more problems': 20 lines, the rest counted."""
        from citcert.audit.tally import MAX_MESSAGES, failed_row
        from citcert.errors import Location, Problem, WorkbookError

        problems = [
            Problem(Location(file="b.xlsx", sheet="Evidence", cell=f"H{n}"), "bad", f"R-{n:02d}")
            for n in range(46)
        ]
        error = WorkbookError(problems, headline="b.xlsx cannot be audited yet: 46 problems")

        row = failed_row("west/b.xlsx", error)

        lines = str(error).splitlines()
        assert row.messages == (*lines[: MAX_MESSAGES - 1], "… and 28 more problems")
        assert (len(row.errors), row.more_errors, row.headline) == (18, 28, lines[0])
        assert row.errors[0].model_dump() == {
            "file": "b.xlsx", "sheet": "Evidence", "cell": "H0", "line": None, "column": None,
            "subject": "R-00", "message": "bad",
        }  # fmt: skip

    def test_an_error_without_located_problems_becomes_one_problem_of_its_text(self) -> None:
        """No problem list: the row holds the error's text as its one message."""
        from citcert.audit.tally import failed_row
        from citcert.errors import WorkbookError

        row = failed_row("a.xlsx", WorkbookError(headline="a.xlsx is empty"))

        assert row.messages == ("a.xlsx is empty",)
        assert row.headline is None and row.errors[0].file is None
