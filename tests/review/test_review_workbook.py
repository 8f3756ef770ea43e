"""
The reviewer's workbook on its own: corrections, layout-1 reviewer columns carried over,
deterministic bytes, and the agreement figures' invariants.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from citcert.audit.agreement import agreement
from citcert.cli import cli
from citcert.workbook import layout as L
from citcert.workbook.migrate import migrate_workbook
from citcert.workbook.reader import open_book
from citcert.workbook.review import layout as R
from tests.audit import workbook_filler as filler
from tests.review.test_review_cycle import fill_review, rows_by_id

STANDARDS = filler.MINI.parent
EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "brennan-county.xlsx"
ALL_MET = {"PART-01": "Met", "PART-02": "Met", "TRN-01": "Met", "TRN-02": "Met"}


def invoke(*args: str) -> Result:
    """Run citcert with the test standards."""
    return CliRunner().invoke(cli, ["--standards-dir", str(STANDARDS), *args])


def started(tmp_path: Path, name: str = "review.xlsx", who: str = "Ada") -> Path:
    """A reviewer's workbook of the standard filled submission."""
    submission = tmp_path / "program.xlsx"
    if not submission.exists():
        filler.filled_path(tmp_path)
    out = tmp_path / name
    result = invoke("review", "start", str(submission), "--reviewer", who, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return out


def correct(path: Path, number_id: str, value: object, reason: str | None) -> None:
    """Type a corrected program number (and its reason) on the Corrections sheet."""
    book = load_workbook(path)
    ws = book[R.CORRECTIONS_SHEET]
    rows, headers = rows_by_id(ws)
    ws.cell(rows[number_id], headers["Corrected value"]).value = value
    ws.cell(rows[number_id], headers["Reason"]).value = reason
    book.save(path)


class TestCorrections:
    """A reviewer's corrected number is used, and the report says so."""

    def test_the_reviewers_number_wins(self, tmp_path: Path) -> None:
        """cit_officers 30 -> 6 makes TRN-01's share 5%: Not met, and the report names it."""
        review = started(tmp_path)
        fill_review(review, ALL_MET, "Ada")
        correct(review, "cit_officers", 6, "Roster of 2024-05-01 lists 6 trained officers.")

        result = invoke("audit", str(review), "-o", "-", "--format", "json")

        report = json.loads(result.stdout)
        trn = next(r for r in report["results"] if r["requirement_id"] == "TRN-01")
        assert trn["status"] == "not_met"
        assert report["review"]["corrections"][0]["sentence"] == (
            "CIT-trained patrol officers: the program gave 30; the reviewer's 6 was used "
            "(Roster of 2024-05-01 lists 6 trained officers.)."
        )

    def test_a_correction_without_a_reason_is_refused_at_its_cell(self, tmp_path: Path) -> None:
        """No reason, no correction: the Reason cell is named; exit 2."""
        review = started(tmp_path)
        fill_review(review, ALL_MET, "Ada")
        correct(review, "cit_officers", 6, None)

        result = invoke("validate", str(review))

        assert result.exit_code == 2
        assert "review.xlsx: Corrections!E5: cit_officers: a corrected number needs a reason" in (
            result.stderr
        )

    def test_differing_corrections_wait_for_the_consensus(self, tmp_path: Path) -> None:
        """Two raters correct one number differently: the consensus must settle it."""
        first, second = started(tmp_path, "a.xlsx", "Ada"), started(tmp_path, "b.xlsx", "Ben")
        for path, value in ((first, 6), (second, 8)):
            fill_review(path, ALL_MET, path.stem)
            correct(path, "cit_officers", value, "Roster count.")
        consensus = tmp_path / "consensus.xlsx"
        assert (
            invoke("review", "reconcile", str(first), str(second), "-o", str(consensus)).exit_code
            == 0
        )

        result = invoke("validate", str(consensus))

        assert result.exit_code == 2
        assert "Corrections!D5: cit_officers: the raters corrected this number differently" in (
            result.stderr
        )

    def test_a_date_is_corrected_as_a_date(self, tmp_path: Path) -> None:
        """The last committee meeting is a date: a date cell (or ISO text) is its correction."""
        review = started(tmp_path)
        fill_review(review, ALL_MET, "Ada")
        correct(review, "last_committee_meeting", dt.datetime(2024, 4, 2), "Minutes say so.")

        result = invoke("audit", str(review), "-o", "-", "--format", "json")

        assert result.exit_code == 0, result.stderr
        (correction,) = json.loads(result.stdout)["review"]["corrections"]
        assert correction["value"] == "2024-04-02"
        assert "the reviewer's 2024-04-02 was used (Minutes say so.)" in correction["sentence"]

    @pytest.mark.parametrize(
        ("number_id", "value", "message"),
        [
            ("cit_officers", -5, 'Corrections!D5: "-5" is negative; enter 0 or more'),
            ("cit_officers", "many", 'Corrections!D5: "many" is not a number'),
            (
                "cit_officers",
                500,
                "Corrections!D5: cit_officers: CIT-trained patrol officers would be 500, more "
                "than Patrol officers (120); check both numbers",
            ),
            (
                "patrol_officers",
                10,
                "Corrections!D4: patrol_officers: Patrol officers would be 10, fewer than "
                "CIT-trained patrol officers (30); check both numbers",
            ),
            (
                "last_committee_meeting",
                12,
                'Corrections!D6: "12" is not a date; write dates like 2024-03-31 or 03/31/2024',
            ),
        ],
    )
    def test_a_corrected_number_is_checked_as_the_program_sheet_checks_it(
        self, tmp_path: Path, number_id: str, value: object, message: str
    ) -> None:
        """Negative counts, text, a part larger than its whole: refused at the correction."""
        review = started(tmp_path)
        fill_review(review, ALL_MET, "Ada")
        correct(review, number_id, value, "Checked against the roster.")

        result = invoke("validate", str(review))

        assert result.exit_code == 2
        assert f"review.xlsx: {message}" in result.stderr

    def test_a_correction_stands_over_the_records(self, tmp_path: Path) -> None:
        """
        Brennan's Officers sheet counts 49 CIT-trained patrol officers of 214 (22.9%, Met). A
        reviewer's 20 (9.3%) is what OFC-03 is scored on, and no finding blames the program.
        """
        submission = tmp_path / EXAMPLE.name
        submission.write_bytes(EXAMPLE.read_bytes())
        review = tmp_path / "review.xlsx"
        assert (
            invoke(
                "review", "start", str(submission), "--reviewer", "Ada", "-o", str(review)
            ).exit_code
            == 0
        )
        fill_review(review, {}, "Ada", date="2025-10-01")
        correct(review, "cit_patrol_officers", 20, "The roster lists 20 who finished the course.")

        result = invoke("audit", str(review), "-o", "-", "--format", "json")

        assert result.exit_code == 0, result.stderr
        report = json.loads(result.stdout)
        ofc = next(r for r in report["results"] if r["requirement_id"] == "OFC-03")
        assert ofc["status"] == "not_met"
        assert ofc["metric"]["display"].startswith("20 CIT-trained patrol officers of 214")
        assert "number_contradicts_records" not in {f["kind"] for f in ofc["findings"]}
        assert "cit_patrol_officers" not in {d["number_id"] for d in report["derived_numbers"]}
        assert "patrol_officers" in {d["number_id"] for d in report["derived_numbers"]}

    def test_the_raters_numbers_must_give_way_to_the_consensus_reason(self, tmp_path: Path) -> None:
        """A consensus value typed beside the prefilled text, which names each rater's number,
        is refused at the Reason cell: that text would go into the program's report."""
        first, second = started(tmp_path, "a.xlsx", "Ada"), started(tmp_path, "b.xlsx", "Ben")
        for path, value in ((first, 6), (second, 8)):
            fill_review(path, ALL_MET, path.stem)
            correct(path, "cit_officers", value, f"Roster count by {path.stem}.")
        consensus = tmp_path / "consensus.xlsx"
        assert (
            invoke("review", "reconcile", str(first), str(second), "-o", str(consensus)).exit_code
            == 0
        )
        book = load_workbook(consensus)
        ws = book[R.CORRECTIONS_SHEET]
        rows, headers = rows_by_id(ws)
        ws.cell(rows["cit_officers"], headers["Corrected value"]).value = 7
        book.save(consensus)

        result = invoke("validate", str(consensus))

        assert result.exit_code == 2
        assert (
            "Corrections!E5: cit_officers: the reason still lists each rater's number; replace it"
            in result.stderr
        )
        correct(consensus, "cit_officers", 7, "The panel counted 7 on the May roster.")
        assert invoke("validate", str(consensus)).exit_code == 0


def test_a_reviewer_may_not_rate_not_applicable_where_the_standard_forbids_it(
    tmp_path: Path,
) -> None:
    """As on the program's Evidence sheet: refused at the Review sheet's rating cell, exit 2."""
    review = started(tmp_path)
    fill_review(review, {**ALL_MET, "PART-01": "Not applicable"}, "Ada")
    ws = load_workbook(review)[R.REVIEW_SHEET]
    rows, headers = rows_by_id(ws)
    cell = ws.cell(rows["PART-01"], headers["Rating"]).coordinate

    result = invoke("validate", str(review))

    assert result.exit_code == 2
    assert (
        f'review.xlsx: {R.REVIEW_SHEET}!{cell}: "Not applicable" is not allowed here: every '
        "program must meet PART-01"
    ) in result.stderr


def test_a_review_date_after_2999_is_refused_at_its_cell(tmp_path: Path) -> None:
    """Its response window could not be dated: audit crashed with exit 70 before."""
    review = started(tmp_path)
    fill_review(review, ALL_MET, "Ada", date="9999-12-31")

    for command in ("validate", "audit"):
        result = invoke(command, str(review))

        assert result.exit_code == 2, result.output
        assert f"review.xlsx: {R.REVIEWER_SHEET}!C" in result.stderr
        assert "9999-12-31 is after 2999; check the year" in result.stderr


def test_a_decision_date_before_the_review_date_is_refused_at_its_cell(tmp_path: Path) -> None:
    """A final review dated 2024-06-10 with the decision of 2024-05-30 that fill_review types."""
    review = started(tmp_path)
    fill_review(review, ALL_MET, "Ada", final=True, date="2024-06-10")
    ws = load_workbook(review)[R.REVIEWER_SHEET]
    row = next(r[0].row for r in ws.iter_rows() if r[0].value == "decision_date")

    result = invoke("validate", str(review))

    assert result.exit_code == 2
    assert (
        f"review.xlsx: {R.REVIEWER_SHEET}!C{row}: the decision date 2024-05-30 is before the "
        "review date 2024-06-10; a decision follows the review"
    ) in result.stderr


def test_a_review_dated_before_the_assessment_is_refused_at_its_cell(tmp_path: Path) -> None:
    """The workbook is as of 2024-05-01: a review of 2023-05-20 has a year typed wrong."""
    review = started(tmp_path)
    fill_review(review, ALL_MET, "Ada", date="2023-05-20")
    ws = load_workbook(review)[R.REVIEWER_SHEET]
    row = next(r[0].row for r in ws.iter_rows() if r[0].value == "review_date")

    result = invoke("validate", str(review))

    assert result.exit_code == 2
    assert (
        f"review.xlsx: {R.REVIEWER_SHEET}!C{row}: the review date 2023-05-20 is before the "
        "assessment date 2024-05-01 of the workbook it reviews; check the year"
    ) in result.stderr
    fill_review(review, ALL_MET, "Ada", date="2024-05-01")  # the same day is no mistake
    assert invoke("validate", str(review)).exit_code == 0


def test_a_review_dated_after_today_is_a_warning_at_its_cell(tmp_path: Path) -> None:
    """A year typed wrong ahead (2099): validate warns at the Review date cell, once."""
    review = started(tmp_path)
    fill_review(review, ALL_MET, "Ada", date="2099-05-20")
    ws = load_workbook(review)[R.REVIEWER_SHEET]
    row = next(r[0].row for r in ws.iter_rows() if r[0].value == "review_date")

    result = invoke("validate", str(review))

    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stdout.splitlines() if "after today" in line]
    assert len(lines) == 1
    assert lines[0].startswith(f"review.xlsx: {R.REVIEWER_SHEET}!C{row} (Review date): 2099-05-20")
    assert lines[0].endswith("and the program's response window is dated from it: check the year")


def test_validate_locates_a_reviews_warnings_once_and_on_the_review_sheet(tmp_path: Path) -> None:
    """
    Pine Hollow leaves three optional numbers empty: a review of it gives the same warnings as
    the submission, each naming the file once, and asks for ratings on the Review sheet.
    """
    submission = tmp_path / "pine-hollow-rural.xlsx"
    submission.write_bytes((EXAMPLE.parent / submission.name).read_bytes())
    review = tmp_path / "review.xlsx"
    assert (
        invoke("review", "start", str(submission), "--reviewer", "Ada", "-o", str(review)).exit_code
        == 0
    )
    fill_review(review, {}, "Ada", date="2025-10-01")

    result = invoke("validate", str(review))

    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        "  review.xlsx: Program!C23 (Hours of the CIT course for dispatchers): no value yet "
        "(optional)"
    ) in lines
    assert (
        "  review.xlsx: Review (Rating): no rating is filled in yet: every requirement will be "
        "scored on the program's own rating, marked unverified. Fill in the Rating column"
    ) in lines
    assert "review.xlsx: review.xlsx" not in result.stdout


class TestReconcileEachReviewOnce:
    """A review given twice would count as two raters agreeing: refused, nothing written."""

    def test_the_same_file_twice(self, tmp_path: Path) -> None:
        review = started(tmp_path)
        fill_review(review, ALL_MET, "Ada")
        out = tmp_path / "consensus.xlsx"

        result = invoke("review", "reconcile", str(review), str(review), "-o", str(out))

        assert result.exit_code == 2
        assert result.stderr == (
            "Error: review.xlsx: this review is given twice; give each reviewer's workbook once\n"
        )
        assert not out.exists()

    def test_a_copy_of_a_review(self, tmp_path: Path) -> None:
        review, other = started(tmp_path), started(tmp_path, "ben.xlsx", "Ben")
        fill_review(review, ALL_MET, "Ada")
        fill_review(other, ALL_MET, "Ben")
        copy = tmp_path / "copy.xlsx"
        copy.write_bytes(review.read_bytes())
        out = tmp_path / "consensus.xlsx"

        result = invoke("review", "reconcile", str(review), str(other), str(copy), "-o", str(out))

        assert result.exit_code == 2
        assert "copy.xlsx: this review is the same as review.xlsx (a copy)" in result.stderr
        assert not out.exists()

    def test_two_reviews_by_one_reviewer(self, tmp_path: Path) -> None:
        """Two drafts of Ada's review are one rater, not two in agreement (kappa 0.71)."""
        draft, final, ben = (
            started(tmp_path, "ada-draft.xlsx"),
            started(tmp_path, "ada-final.xlsx", "ada "),
            started(tmp_path, "ben.xlsx", "Ben"),
        )
        fill_review(draft, ALL_MET, "Ada")
        fill_review(final, {**ALL_MET, next(iter(ALL_MET)): "Not met"}, "Ada")
        fill_review(ben, ALL_MET, "Ben")
        out = tmp_path / "consensus.xlsx"

        result = invoke("review", "reconcile", str(draft), str(ben), str(final), "-o", str(out))

        assert result.exit_code == 2
        assert result.stderr.startswith("Error: ada-final.xlsx: Reviewer!C"), result.stderr
        assert (
            "this review is by ada, as ada-draft.xlsx is: give each reviewer's workbook once"
            in (" ".join(result.stderr.split()))
        )
        assert not out.exists()


class TestStart:
    """What `review start` makes, and what it refuses."""

    def test_the_same_submission_gives_the_same_bytes(self, tmp_path: Path) -> None:
        """No clock inside: two starts of one submission are byte-identical."""
        assert started(tmp_path, "a.xlsx").read_bytes() == started(tmp_path, "b.xlsx").read_bytes()

    def test_layout_1_reviewer_columns_move_into_the_reviewers_workbook(
        self, tmp_path: Path
    ) -> None:
        """An old workbook's reviewer rating and comment start the reviewer's own columns."""
        book = filler.legacy_layout(filler.fill(filler.blank()))
        filler.set_answer(book, "TRN-01", "Reviewer rating", "Partially met")
        filler.set_answer(book, "TRN-01", "Reviewer comment", "Roster shows 24, not 30.")
        filler.save(book, tmp_path / "program.xlsx")

        ws = load_workbook(started(tmp_path))[R.REVIEW_SHEET]

        rows, headers = rows_by_id(ws)
        assert ws.cell(rows["TRN-01"], headers["Rating"]).value == "Partially met"
        assert ws.cell(rows["TRN-01"], headers["Comment for the program"]).value == (
            "Roster shows 24, not 30."
        )

    def test_layout_1_reviewer_columns_are_kept_by_migrate(self, tmp_path: Path) -> None:
        """Migrating an old workbook keeps its reviewer columns, word for word, in Notes."""
        book = filler.legacy_layout(filler.fill(filler.blank()))
        comment = "Roster shows 24, not 30; the rest of this long comment must survive " * 3
        filler.set_answer(book, "TRN-01", "Reviewer comment", comment)
        path = filler.save(book, tmp_path / "old.xlsx")

        result = migrate_workbook(open_book(path), filler.standard(), filler.standard())

        assert any(comment.strip() in note for note in result.notes)

    def test_a_review_workbook_cannot_be_reviewed_again(self, tmp_path: Path) -> None:
        """Starting a review from a review workbook is refused: start from the submission."""
        review = started(tmp_path)

        result = invoke(
            "review", "start", str(review), "--reviewer", "X", "-o", str(tmp_path / "x.xlsx")
        )

        assert result.exit_code == 2
        assert "review.xlsx: this is already a review workbook" in result.stderr
        assert not (tmp_path / "x.xlsx").exists()

    def test_the_program_sheets_are_kept_as_submitted(self, tmp_path: Path) -> None:
        """The reviewer sees the program's answers, locked, in the same cells."""
        review = load_workbook(started(tmp_path))
        program = load_workbook(tmp_path / "program.xlsx")

        for sheet in (L.PROGRAM_SHEET, L.EVIDENCE_SHEET):
            assert [[c.value for c in r] for r in review[sheet].iter_rows()] == [
                [c.value for c in r] for r in program[sheet].iter_rows()
            ]
        assert review[R.REVIEW_META_SHEET].sheet_state == "hidden"


class TestAgreementInvariants:
    """Properties of the agreement figures over any ratings."""

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.tuples(*[st.integers(0, 2)] * 3), min_size=1, max_size=20))
    def test_alpha_does_not_depend_on_the_raters_order(
        self, units: list[tuple[int, int, int]]
    ) -> None:
        """Swapping raters changes nothing; exact agreement never exceeds within-one."""
        swapped = [(c, a, b) for a, b, c in units]

        first, second = agreement(units, 3), agreement(swapped, 3)

        assert first.value == second.value or abs((first.value or 0) - (second.value or 0)) < 1e-9
        assert first.exact is not None and first.within_one is not None
        assert first.exact <= first.within_one

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=20))
    def test_kappa_is_at_most_one_and_one_when_raters_agree(
        self, pairs: list[tuple[int, int]]
    ) -> None:
        """Kappa never exceeds 1; identical ratings with any spread give exactly 1."""
        figures = agreement(pairs, 4)
        same = agreement([(a, a) for a, _ in pairs], 4)

        assert figures.value is None or figures.value <= 1 + 1e-9
        assert same.value is None or abs(same.value - 1) < 1e-9


class TestReviewerName:
    """The name typed after --reviewer goes into every report: plain one-line text only."""

    @pytest.fixture(scope="class")
    @classmethod
    def submission(cls, tmp_path_factory: pytest.TempPathFactory) -> Path:
        """One filled submission for every name tried."""
        return filler.filled_path(tmp_path_factory.mktemp("submission"))

    @settings(max_examples=25, deadline=None)
    @given(
        st.text(min_size=1, max_size=20),
        st.sampled_from(["\x00", "\x07", "\x1b[31m", "\n", "\t", "\r", "\x9b", "\u202e", "\ufffe"]),
    )
    def test_a_control_character_is_refused_with_nothing_written(
        self, submission: Path, name: str, bad: str
    ) -> None:
        """Exit 2, one message naming --reviewer and the character's code; no workbook."""
        out = submission.parent / "review.xlsx"

        result = invoke(
            "review", "start", str(submission), "--reviewer", "A" + name + bad, "-o", str(out)
        )

        assert result.exit_code == 2, result.output
        assert "--reviewer" in result.stderr
        said = ("a line break", "a tab", "a character that is not text (\\u")
        assert any(f"the name holds {what}" in result.stderr for what in said)
        assert "Traceback" not in result.output
        assert sorted(p.name for p in submission.parent.iterdir()) == [submission.name]

    def test_a_name_too_long_or_blank_is_refused(self, tmp_path: Path) -> None:
        submission = filler.filled_path(tmp_path)
        out = tmp_path / "review.xlsx"
        for name, said in (("x" * 201, "201 characters is too long"), ("  ", "name is needed")):
            result = invoke("review", "start", str(submission), "--reviewer", name, "-o", str(out))
            assert result.exit_code == 2, result.output
            assert said in result.stderr
            assert not out.exists()

    def test_a_name_with_accents_and_punctuation_is_kept(self, tmp_path: Path) -> None:
        out = started(tmp_path, who="Dr. Zoë O'Neil-Łukasiewicz, Sgt. (CIT coordinator)")
        book = load_workbook(out)
        values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
        assert "Dr. Zoë O'Neil-Łukasiewicz, Sgt. (CIT coordinator)" in values


def test_validate_warns_at_each_rating_a_review_leaves_blank(tmp_path: Path) -> None:
    """
    Two of five rated: each blank one is a warning at its Rating cell (the audit would score it
    on the program's own rating); all rated: none.
    """
    review = started(tmp_path)
    fill_review(review, {"PART-01": "Met", "TRN-01": "Partially met"}, "Ada", date="2024-05-20")
    rows, headers = rows_by_id(load_workbook(review)[R.REVIEW_SHEET])
    column = get_column_letter(headers["Rating"])

    result = invoke("validate", str(review))

    assert result.exit_code == 0, result.output
    warned = [line.strip() for line in result.stdout.splitlines() if "no rating:" in line]
    assert warned == [
        f"review.xlsx: {R.REVIEW_SHEET}!{column}{rows[rid]} ({rid}, rating): no rating: the "
        "audit will score this requirement on the program's own rating, marked unverified"
        for rid in ("PART-02", "TRN-02", "TRN-03")
    ]
    fill_review(review, {**ALL_MET, "TRN-03": "Not applicable"}, "Ada", date="2024-05-20")
    assert "no rating" not in invoke("validate", str(review)).stdout
