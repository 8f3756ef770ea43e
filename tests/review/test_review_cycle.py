"""
The whole review cycle on the mini standard, through the command line as a reviewer types it:
template -> filled by the program -> two reviewers' workbooks filled differently -> reconcile
(agreement checked by hand) -> consensus filled -> audit for the applicant and for the panel,
in every format; and the located errors of the cycle.
"""

from __future__ import annotations

import copy
import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pypdf import PdfReader

from citcert.audit.assessment import Assessment
from citcert.cli import cli
from citcert.standards.model import Standard
from citcert.workbook import layout as L
from citcert.workbook.review import layout as R
from citcert.workbook.template import render_template
from tests.audit import workbook_filler as filler

SECRET = "PANEL-ONLY-7f3a9c"
"""Typed into internal notes: it must be in no byte of any applicant report."""

RATINGS_A = {
    "PART-01": "Met",
    "PART-02": "Partially met",
    "TRN-01": "Met",
    "TRN-02": "Met",
    "TRN-03": "Not applicable",
}
RATINGS_B = {**RATINGS_A, "PART-02": "Not met", "TRN-01": "Partially met"}
CONSENSUS = {
    "PART-02": ("Not met", "No meeting minutes since January."),
    "TRN-01": ("Partially met", "Roster shows 24 of 120 trained, not 30."),
}


@dataclass
class Cycle:
    """The files of one run of the cycle, and what the commands printed."""

    folder: Path
    submission: Path
    reviews: tuple[Path, Path]
    reconcile: Result
    consensus: Path
    applicant: dict[str, bytes]
    panel: dict[str, bytes]
    applicant_terminal: str


def invoke(folder: Path, *args: str) -> Result:
    """Run citcert with the test standards folder."""
    return CliRunner().invoke(cli, ["--standards-dir", str(folder), *args])


def rows_by_id(ws: Any) -> tuple[dict[str, int], dict[str, int]]:
    """(requirement id -> row, header -> column) of a review sheet."""
    headers = {c.value: c.column for c in ws[L.HEADER_ROW] if c.value}
    rows = {c.value: c.row for c in ws["A"] if c.row >= L.FIRST_DATA_ROW and c.value}
    return rows, headers


def fill_review(
    path: Path,
    ratings: Mapping[str, str],
    who: str,
    *,
    final: bool = False,
    reasons: Mapping[str, str] | None = None,
    date: str = "2024-05-20",
) -> None:
    """Type a reviewer's answers into a review (or consensus) workbook, as a person would."""
    book = load_workbook(path)
    ws = book[R.REVIEW_SHEET]
    rows, headers = rows_by_id(ws)
    for rid, rating in ratings.items():
        ws.cell(rows[rid], headers["Rating"]).value = rating
        if reasons is None:
            ws.cell(rows[rid], headers["Comment for the program"]).value = f"{who} on {rid}"
            ws.cell(rows[rid], headers["Internal note (panel only)"]).value = f"{SECRET} {who}"
    if reasons is None:
        ws.cell(rows["PART-01"], headers["Strength"]).value = f"Committee praised by {who}"
    for rid, reason in (reasons or {}).items():
        ws.cell(rows[rid], headers["Reason for the consensus"]).value = reason
    reviewer = book[R.REVIEWER_SHEET]
    for row in reviewer.iter_rows():
        if row[0].value == "review_date":
            row[2].value = date
        if row[0].value == "status" and final:
            row[2].value = "Final"
        if row[0].value == "decision_date" and final:
            row[2].value = "2024-05-30"
    book.save(path)


def audit_all(folder: Path, workbook: Path, audience: str) -> tuple[dict[str, bytes], str]:
    """Every report format of `workbook` for `audience`, by suffix, and the terminal text."""
    out = folder / f"out-{audience}-{workbook.stem}"
    result = invoke(
        folder,
        "audit",
        str(workbook),
        "-o",
        str(out),
        "--format",
        "terminal,json,md,pdf,xlsx,html",
        "--audience",
        audience,
    )
    assert result.exit_code == 0, result.output + result.stderr
    return {p.suffix: p.read_bytes() for p in out.iterdir()}, result.output


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> Cycle:
    """The cycle run once: every step through the command line."""
    folder = tmp_path_factory.mktemp("cycle")
    (folder / "mini.yaml").write_bytes(filler.MINI.read_bytes())
    template = folder / "program.xlsx"
    assert (
        invoke(folder, "template", "--standard", "mini-standard", "-o", str(template)).exit_code
        == 0
    )
    submission = filler.save(filler.fill(load_workbook(template)), template)
    reviews = (folder / "review-morgan.xlsx", folder / "review-lee.xlsx")
    for path, name in zip(reviews, ("Dr. Ada Morgan", "Sam Lee"), strict=True):
        started = invoke(
            folder, "review", "start", str(submission), "--reviewer", name, "-o", str(path)
        )
        assert started.exit_code == 0, started.output + started.stderr
    fill_review(reviews[0], RATINGS_A, "Morgan")
    fill_review(reviews[1], RATINGS_B, "Lee")
    consensus = folder / "consensus.xlsx"
    reconciled = invoke(folder, "review", "reconcile", *map(str, reviews), "-o", str(consensus))
    assert reconciled.exit_code == 0, reconciled.output + reconciled.stderr
    unresolved = folder / "unresolved.xlsx"
    unresolved.write_bytes(consensus.read_bytes())
    ratings = {rid: rating for rid, (rating, _) in CONSENSUS.items()}
    reasons = {rid: reason for rid, (_, reason) in CONSENSUS.items()}
    fill_review(consensus, ratings, "panel", final=True, reasons=reasons, date="2024-05-28")
    applicant, terminal = audit_all(folder, consensus, "applicant")
    panel, _ = audit_all(folder, consensus, "panel")
    return Cycle(folder, submission, reviews, reconciled, consensus, applicant, panel, terminal)


def searchable(suffix: str, data: bytes) -> list[bytes]:
    """Every form of a report a secret could hide in: raw, PDF text and streams, zip parts."""
    forms = [data]
    if suffix == ".pdf":
        reader = PdfReader(io.BytesIO(data))
        forms += [page.extract_text().encode("utf-8") for page in reader.pages]
        for page in reader.pages:
            contents = page.get_contents()
            if contents is not None:
                forms.append(contents.get_data())
    if suffix == ".xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            forms += [archive.read(name) for name in archive.namelist()]
    return forms


class TestReconcile:
    """Reconcile measures the raters' agreement and lists every disagreement."""

    def test_agreement_figures_match_the_hand_computation(self, cycle: Cycle) -> None:
        """
        Levels by position (Met 0, Partially met 1, Not met 2); TRN-03 is not applicable for
        both, so 4 items count: PART-01 (0,0), PART-02 (1,2), TRN-01 (0,1), TRN-02 (0,0).
        Exact: 2 of 4 = 50%; within one level: 4 of 4 = 100%. Linear weights 1, .5, 0:
        observed = (1 + .5 + .5 + 1) / 4 = .75; marginals A (.75, .25, 0), B (.5, .25, .25);
        expected = .75 * (1*.5 + .5*.25 + 0*.25) + .25 * (.5*.5 + 1*.25 + .5*.25)
                 = .75 * .625 + .25 * .625 = .625; kappa = (.75 - .625) / (1 - .625) = 1/3.
        """
        out = cycle.reconcile.output

        assert (
            "Over 4 requirements rated by every rater: exact agreement 50%, within one level "
            "100%; weighted Cohen's kappa (linear weights) 0.33." in out
        )

    def test_every_disagreement_is_listed_with_both_ratings_and_comments(
        self, cycle: Cycle
    ) -> None:
        """PART-02 and TRN-01 differ: each is listed with each rater's rating and comment."""
        out = cycle.reconcile.output

        assert out.splitlines()[0].startswith("PANEL ONLY, not for the program: the reviewers'")
        assert "Disagreements (2):" in out
        assert "Dr. Ada Morgan: Partially met: Morgan on PART-02" in out
        assert "Sam Lee: Not met: Lee on PART-02" in out
        assert "Sam Lee: Partially met: Lee on TRN-01" in out

    def test_consensus_fills_agreed_ratings_and_leaves_disagreements_open(
        self, cycle: Cycle
    ) -> None:
        """Agreed ratings are filled in; each disagreement's rating is left for the consensus."""
        ws = load_workbook(cycle.folder / "unresolved.xlsx")[R.REVIEW_SHEET]
        rows, headers = rows_by_id(ws)

        rating = {rid: ws.cell(row, headers["Rating"]).value for rid, row in rows.items()}
        assert rating == {**RATINGS_A, "PART-02": None, "TRN-01": None}
        assert ws.cell(rows["TRN-01"], headers["Rating by Sam Lee"]).value == "Partially met"

    def test_validate_names_every_unresolved_disagreement_by_cell(self, cycle: Cycle) -> None:
        """Both open disagreements are named by their rating and reason cells; exit 2."""
        result = invoke(cycle.folder, "validate", str(cycle.folder / "unresolved.xlsx"))

        assert result.exit_code == 2
        assert (
            "unresolved.xlsx: Review!H5: PART-02: the raters disagree and no consensus rating"
            in result.stderr
        )
        assert (
            "unresolved.xlsx: Review!I5: PART-02: the raters disagree; give the reason"
            in result.stderr
        )
        assert "unresolved.xlsx: Review!H6: TRN-01" in result.stderr

    def test_an_unresolved_consensus_is_not_audited(self, cycle: Cycle) -> None:
        """The audit is refused with the same list, and no report is written."""
        out = cycle.folder / "refused"
        result = invoke(
            cycle.folder, "audit", str(cycle.folder / "unresolved.xlsx"), "-o", str(out)
        )

        assert result.exit_code == 2
        assert "4 problems to fix" in result.stderr
        assert "Review!I6: TRN-01: the raters disagree; give the reason" in result.stderr
        assert not out.exists()


    def test_validate_asks_for_the_panels_own_comment_where_each_raters_stands(
        self, cycle: Cycle
    ) -> None:
        """
        reconcile joins differing comments each under its rater's name; the program would read
        who said what, so validate points at each such cell until the panel writes its own.
        """
        result = invoke(cycle.folder, "validate", str(cycle.consensus))
        book = load_workbook(cycle.consensus)
        rows, headers = rows_by_id(book[R.REVIEW_SHEET])
        column = get_column_letter(headers["Comment for the program"])

        assert result.exit_code == 0, result.output
        assert (
            f"consensus.xlsx: Review!{column}{rows['TRN-01']} (TRN-01, comment): still each "
            "rater's own comment under their name: the program reads this, so write the "
            "panel's one comment instead"
        ) in [line.strip() for line in result.stdout.splitlines()]
        assert "(PART-01, strength): still each rater's own strength" in result.stdout
        edited = cycle.folder / "one-voice.xlsx"
        book[R.REVIEW_SHEET].cell(rows["TRN-01"], headers["Comment for the program"]).value = (
            "Dr. Ada Morgan: the roster is short.\nThe panel asks for the full roster."
        )
        book.save(edited)
        again = invoke(cycle.folder, "validate", str(edited))
        assert "(TRN-01, comment)" not in again.stdout
        assert "(PART-02, comment)" in again.stdout


class TestAudiences:
    """The applicant's report and the panel's, from one consensus, in every format."""

    def test_every_format_is_written_for_both(self, cycle: Cycle) -> None:
        """JSON, Markdown, PDF, XLSX, HTML and the terminal text for each audience."""
        assert (
            set(cycle.applicant)
            == set(cycle.panel)
            == {".json", ".md", ".pdf", ".xlsx", ".html", ".txt"} - {".txt"}
        )

    def test_the_programs_reports_beside_the_panels_are_warned_of(self, cycle: Cycle) -> None:
        """
        One folder for both: the program's run says the panel's files are there too (a folder
        sent on as it is would carry the notes); the panel's run, or a folder of its own, not.
        """
        out = cycle.folder / "one-folder"
        args = ("audit", str(cycle.consensus), "-o", str(out), "--format", "json,pdf")

        panel = invoke(cycle.folder, *args, "--audience", "panel")
        program = invoke(cycle.folder, *args)
        again = invoke(cycle.folder, *args, "--audience", "panel")
        alone = invoke(cycle.folder, *args[:3], str(cycle.folder / "apart"), *args[4:])

        assert panel.exit_code == program.exit_code == again.exit_code == alone.exit_code == 0
        names = sorted(p.name for p in out.glob("*-panel.*"))
        assert len(names) == 2
        assert (
            f"Warning: {out} also holds the panel's reports ({', '.join(names)}), which are not "
            "for the program: send the program its own files only, or keep the two in separate "
            "folders (-o)."
        ) in program.stderr.splitlines()
        assert not any("panel's reports" in r.stderr for r in (panel, again, alone))

    def test_the_json_reports_read_back_as_assessments(self, cycle: Cycle) -> None:
        """Both views are valid assessments (the published schema's model), audience marked."""
        for reports, audience in ((cycle.applicant, "applicant"), (cycle.panel, "panel")):
            assessment = Assessment.model_validate_json(reports[".json"])
            assert assessment.review is not None
            assert assessment.review.audience == audience

    def test_the_consensus_ratings_are_scored(self, cycle: Cycle) -> None:
        """PART-02 counts as Not met, TRN-01 as Partially met: the consensus, not a rater."""
        report = json.loads(cycle.applicant[".json"])
        levels = {r["requirement_id"]: r["reviewer_level"] for r in report["results"]}

        assert levels["TRN-01"] == "partially_met"
        assert report["review"]["audience"] == "applicant"
        assert report["review"]["final"] is True

    def test_no_internal_note_reaches_any_applicant_report(self, cycle: Cycle) -> None:
        """The secret typed in internal notes is in no byte of any applicant format."""
        for suffix, data in cycle.applicant.items():
            for form in searchable(suffix, data):
                assert SECRET.encode() not in form, suffix
        assert SECRET not in cycle.applicant_terminal

    def test_the_panel_reports_carry_the_internal_notes(self, cycle: Cycle) -> None:
        """The same search finds the secret in every panel format (so the search can fail)."""
        for suffix, data in cycle.panel.items():
            assert any(SECRET.encode() in form for form in searchable(suffix, data)), suffix

    def test_every_panel_report_says_it_is_not_for_the_program(self, cycle: Cycle) -> None:
        """
        A printed page of the panel's report cannot pass for the applicant's: its banner opens
        with the notice in every format (on every PDF page, the cover and every printed sheet);
        the applicant's has none of it.
        """
        notice = "PANEL ONLY, not for the program: Final review by Dr. Ada Morgan"
        pdf = PdfReader(io.BytesIO(cycle.panel[".pdf"]))
        tracker = load_workbook(io.BytesIO(cycle.panel[".xlsx"]))

        for page in pdf.pages:  # the PDF prints the notice on a line above the status
            text = page.extract_text()
            assert "PANEL ONLY, not for the program:" in text.splitlines()
            assert "Final review by Dr. Ada Morgan" in text
        assert "CIT PROGRAM AUDIT REPORT · FOR THE REVIEW PANEL ONLY" in pdf.pages[0].extract_text()
        assert notice in cycle.panel[".md"].decode()
        assert notice in cycle.panel[".html"].decode()
        assert str(tracker["Summary"]["A2"].value).startswith(notice)
        printed = [s for s in tracker.worksheets if s.sheet_state == "visible"]
        assert all(sheet.oddHeader.center.text.startswith(notice) for sheet in printed)
        for suffix, data in cycle.applicant.items():
            assert not any(b"PANEL ONLY" in form for form in searchable(suffix, data)), suffix
        assert "PANEL ONLY" not in cycle.applicant_terminal

    def test_applicant_sees_no_single_raters_rating(self, cycle: Cycle) -> None:
        """No rater columns, agreement or calibration in the applicant's view."""
        review = json.loads(cycle.applicant[".json"])["review"]
        md = cycle.applicant[".md"].decode()

        assert review["agreement"] is None and review["calibration"] == []
        assert all(r["raters"] == [] for r in review["requirements"])
        assert "Each rater's rating" not in md and "Calibration" not in md

    def test_strengths_come_before_the_gaps(self, cycle: Cycle) -> None:
        """The strengths are a section of their own, ahead of the gaps, in Markdown, PDF, HTML."""
        md = cycle.applicant[".md"].decode()
        pdf = " ".join(
            p.extract_text() for p in PdfReader(io.BytesIO(cycle.applicant[".pdf"])).pages
        )
        html = cycle.applicant[".html"].decode()

        assert md.index("## Strengths") < md.index("## Gaps")
        assert "Committee praised by Morgan" in md
        assert pdf.index("Strengths") < pdf.index("Gap report", pdf.index("Summary"))
        assert html.index('<h2 id="review-strengths">') < html.index('<h2 id="gaps">')
        assert "Committee praised by Morgan" in html

    def test_panel_report_has_agreement_raters_and_calibration(self, cycle: Cycle) -> None:
        """Each rater's rating, the agreement figures and the calibration, in the panel's view."""
        md = cycle.panel[".md"].decode()
        html = cycle.panel[".html"].decode()
        review = json.loads(cycle.panel[".json"])["review"]

        assert (
            "| PART-02 | Partially met | Partially met | Not met | Not met | No meeting minutes"
            in md
        )
        assert review["agreement"]["value"] == pytest.approx(1 / 3)
        assert "weighted Cohen's kappa (linear weights) 0.33" in md
        assert "weighted Cohen&#39;s kappa (linear weights) 0.33" in html
        assert (
            '<tr><th scope="row">PART-02</th><td class="t">Partially met</td>'
            '<td class="t">Partially met</td><td class="t">Not met</td>'
            '<td class="t">Not met</td><td class="t">No meeting minutes' in html
        )
        part = next(d for d in review["calibration"] if d["domain_id"] == "PART")
        assert (part["compared"], part["higher"], part["lower"]) == (2, 1, 0)

    def test_the_final_names_the_reviewers_and_the_decision_date(self, cycle: Cycle) -> None:
        """A final review names who reviewed and the date of the decision, and is no draft."""
        md = cycle.applicant[".md"].decode()
        html = cycle.applicant[".html"].decode()
        final = "Final review by Dr. Ada Morgan and Sam Lee; decision of 2024-05-30."

        assert final in md
        assert "DRAFT" not in md
        assert html.count(final) == 2 and "DRAFT" not in html.partition("</style>")[2]

    def test_xlsx_has_the_review_sheets_for_its_audience(self, cycle: Cycle) -> None:
        """The applicant's tracker has Strengths and comments; the panel's adds its own sheets."""
        applicant = load_workbook(io.BytesIO(cycle.applicant[".xlsx"])).sheetnames
        panel = load_workbook(io.BytesIO(cycle.panel[".xlsx"])).sheetnames

        assert applicant.index("Strengths") < applicant.index("Gaps")
        assert "Internal notes (panel)" not in applicant
        assert {"Internal notes (panel)", "Agreement (panel)", "Calibration (panel)"} <= set(panel)


class TestDraft:
    """A review is a draft until it is marked final."""

    def test_a_draft_says_so_on_every_page(self, cycle: Cycle) -> None:
        """Each PDF page names the draft and the response window; Markdown and HTML a banner."""
        reports, _ = audit_all(cycle.folder, cycle.reviews[0], "applicant")
        pages = PdfReader(io.BytesIO(reports[".pdf"])).pages
        banner = "DRAFT, not a decision: the program may respond within 30 days of 2024-05-20"
        html = reports[".html"].decode()

        assert all(banner in " ".join(p.extract_text().split()) for p in pages)
        assert reports[".md"].decode().startswith(f"> **{banner}")
        assert html.count(f'<p class="review-banner draft"><strong>{banner}') == 2
        assert '<div class="watermark" aria-hidden="true"></div>' in html


class TestLocatedErrors:
    """The cycle's mistakes each give one located message and exit 2."""

    def test_a_review_applied_to_an_edited_submission(self, cycle: Cycle) -> None:
        """The submission changed after the review started: its recorded SHA-256 no longer fits."""
        edited = cycle.folder / "edited.xlsx"
        book = load_workbook(cycle.submission)
        filler.set_answer(book, "TRN-01", "Evidence summary", "Changed after submission.")
        book.save(edited)

        result = invoke(
            cycle.folder,
            "review",
            "reconcile",
            *map(str, cycle.reviews),
            "--submission",
            str(edited),
            "-o",
            str(cycle.folder / "never.xlsx"),
        )

        assert result.exit_code == 2
        assert (
            "review-morgan.xlsx: citcert-review!B5: this review was made from program.xlsx"
            in result.stderr
        )
        assert "edited.xlsx has SHA-256" in result.stderr
        assert not (cycle.folder / "never.xlsx").exists()

    def test_the_consensus_is_never_written_over_the_submission(self, cycle: Cycle) -> None:
        """`-o` naming the `--submission` file is refused, even with --force, and it is kept."""
        before = cycle.submission.read_bytes()

        result = invoke(
            cycle.folder,
            "review",
            "reconcile",
            *map(str, cycle.reviews),
            "--submission",
            str(cycle.submission),
            "-o",
            str(cycle.submission),
            "--force",
        )

        assert result.exit_code == 2
        assert "the output must not be the input workbook" in result.stderr
        assert cycle.submission.read_bytes() == before

    def test_a_review_whose_locked_program_cells_were_edited(self, cycle: Cycle) -> None:
        """Someone typed into the program's (locked) evidence in the review workbook."""
        tampered = cycle.folder / "tampered.xlsx"
        book = load_workbook(cycle.reviews[0])
        filler.set_answer(book, "PART-02", "Self rating", "Met")
        book.save(tampered)

        result = invoke(cycle.folder, "audit", str(tampered))

        assert result.exit_code == 2
        assert (
            "tampered.xlsx: citcert-review!B6: the program's answers in this review"
            in result.stderr
        )

    def test_a_reviewer_workbook_of_another_standard_version(
        self, cycle: Cycle, tmp_path: Path
    ) -> None:
        """Reviews of versions 1.0 and 1.1 cannot be reconciled: the second is named."""
        raw = copy.deepcopy(filler.load_yaml(filler.MINI))
        raw["version"] = "1.1"
        filler.dump_yaml(raw, cycle.folder / "mini-1.1.yaml")
        book = load_workbook(io.BytesIO(render_template(Standard.model_validate(raw))))
        other = filler.save(filler.fill(book), tmp_path / "program-1.1.xlsx")
        review = tmp_path / "review-1.1.xlsx"
        assert (
            invoke(
                cycle.folder, "review", "start", str(other), "--reviewer", "X", "-o", str(review)
            ).exit_code
            == 0
        )

        result = invoke(
            cycle.folder,
            "review",
            "reconcile",
            str(cycle.reviews[0]),
            str(review),
            "-o",
            str(tmp_path / "never.xlsx"),
        )
        (cycle.folder / "mini-1.1.yaml").unlink()

        assert result.exit_code == 2
        assert (
            "review-1.1.xlsx: citcert-review!B3: this review workbook was made for "
            "mini-standard@1.1, not mini-standard@1.0" in result.stderr
        )
        assert not (tmp_path / "never.xlsx").exists()


def test_review_start_runs_as_a_program(tmp_path: Path) -> None:
    """`python -m citcert review start` writes the reviewer's workbook (a real process)."""
    submission = filler.filled_path(tmp_path)
    folder = filler.MINI.parent
    out = tmp_path / "review.xlsx"

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "citcert",
            "--standards-dir",
            str(folder),
            "review",
            "start",
            str(submission),
            "--reviewer",
            "Ada",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    book = load_workbook(out)
    assert book.sheetnames[:3] == [R.REVIEW_SHEET, R.CORRECTIONS_SHEET, R.REVIEWER_SHEET]
    assert book[L.EVIDENCE_SHEET].protection.sheet
    assert all(c.protection.locked for row in book[L.EVIDENCE_SHEET].iter_rows() for c in row)
