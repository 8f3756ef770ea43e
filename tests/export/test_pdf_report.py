"""The PDF gap report, read back with a PDF text extractor."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys

import pytest
from pypdf import PdfReader

from citcert.audit.assessment import Assessment, RemediationPlan
from citcert.export import pdf
from citcert.standards.model import Standard
from citcert.workbook.evidence import Mode
from tests.export.assessment_fixture import MARKUP, PROGRAM_NAME


def _flat(text: str) -> str:
    """Text with all runs of white space made one space (lines wrap where the layout wants)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def text(hostile_pdf_pages: list[str]) -> str:
    """The whole report's text, white space flattened."""
    return _flat("\n".join(hostile_pdf_pages))


class TestContent:
    """What a reader of the hostile report finds in it."""

    def test_program_name_is_shown_as_typed(self, hostile_pdf_pages: list[str]) -> None:
        """The program name, with its `&` and `<…>`, is on the cover and in the running header."""
        cover, second = _flat(hostile_pdf_pages[0]), _flat(hostile_pdf_pages[1])

        assert PROGRAM_NAME in cover
        assert PROGRAM_NAME in second

    def test_decision_is_on_the_cover(self, hostile_pdf_pages: list[str]) -> None:
        """The decision label and its sentence are on page 1."""
        cover = _flat(hostile_pdf_pages[0])

        assert "Not certified" in cover
        assert "core requirements DSP-01 and TRN-01 are not met" in cover

    def test_every_gap_is_reported(self, text: str, hostile_assessment: Assessment) -> None:
        """Each gap's id has an entry in the gap report, headed by its severity."""
        report = text[text.index("Gap report 6 gaps") :]

        for gap in hostile_assessment.gaps:
            assert f"{gap.severity.value.upper()} · {gap.requirement_id}" in report

    def test_gaps_come_most_severe_first(self, text: str) -> None:
        """The gap report keeps the assessment's order, most severe first."""
        report = text[text.index("Gap report 6 gaps") :]
        heads = re.findall(r"(?:CRITICAL|HIGH|MEDIUM|LOW) · ([A-Z]+-\d\d)", report)
        order = list(dict.fromkeys(heads))  # an entry split over pages repeats its heading

        assert order == ["DSP-01", "TRN-01", "TRN-02", "TRN-03", "PART-02", "DSP-03"]

    def test_every_plan_step_is_listed(self, text: str, hostile_assessment: Assessment) -> None:
        """Each step of the plan appears in the plan section with its target date."""
        plan = text[text.index("Remediation plan Six steps") :]

        for step in hostile_assessment.plan.steps:
            assert step.requirement_id in plan
            assert step.target_date.isoformat() in plan

    def test_every_requirement_is_in_the_table(
        self, text: str, hostile_assessment: Assessment
    ) -> None:
        """The all-requirements table names every requirement."""
        table = text[text.index("All requirements") : text.index("Gap report 6 gaps")]

        for result in hostile_assessment.results:
            assert result.requirement_id in table

    def test_markup_in_workbook_text_is_shown_not_obeyed(self, text: str) -> None:
        """`<b>`, `<font>` and `&amp;` typed in a workbook come out as the characters typed."""
        assert _flat(MARKUP) in text

    def test_formula_like_text_is_shown_as_typed(self, text: str) -> None:
        """Text that looks like a spreadsheet formula is plain text in a PDF."""
        assert "=cmd|' /C calc'!A0" in text
        assert '=HYPERLINK("http://x","y")' in text

    def test_control_characters_are_dropped(self, text: str) -> None:
        """Control characters typed in a cell do not reach the PDF; the words around them do."""
        assert "bell null escape delete vertical-tab end" in text

    def test_characters_the_font_lacks_are_named_in_the_appendix(self, text: str) -> None:
        """CJK and emoji, which DejaVu Sans lacks, appear as U+FFFD and the appendix says so."""
        assert "\ufffd" in text
        assert "U+4E2D" in text or "U+5371" in text
        assert "cannot be drawn in this report's font" in text

    def test_right_to_left_text_is_noted(self, text: str) -> None:
        """Arabic and Hebrew text is kept, and the appendix says how it is shown."""
        assert "Right-to-left text" in text

    def test_appendix_has_provenance(self, text: str) -> None:
        """The standard's and the workbook's SHA-256 are printed for provenance."""
        assert "a" * 64 in text
        assert "b" * 64 in text

    def test_weakening_is_reported_with_its_reason(self, text: str) -> None:
        """A tailoring weakening is listed with the reason the overlay gave."""
        assert "Weakened TRN-01 Threshold lowered from 20% to 15%." in text


class TestDocument:
    """The PDF as a document: pages, numbering, metadata, determinism."""

    def test_pages_are_numbered_n_of_m(self, hostile_pdf_pages: list[str]) -> None:
        """Every page says "Page N of M", M being the real page count (more than one)."""
        total = len(hostile_pdf_pages)

        assert total > 1
        for number, page in enumerate(hostile_pdf_pages, start=1):
            assert f"Page {number} of {total}" in page

    def test_running_header_names_program_and_standard(self, hostile_pdf_pages: list[str]) -> None:
        """Pages after the cover carry the program and the standard reference at the top."""
        for page in hostile_pdf_pages[1:]:
            assert "mini-standard@1.0" in page

    def test_metadata_names_the_report(self, hostile_pdf: bytes) -> None:
        """Title, subject and author are set; dates are the assessment date, not the clock."""
        info = PdfReader(io.BytesIO(hostile_pdf)).metadata

        assert info is not None
        assert info.title == f"CIT program audit report: {PROGRAM_NAME}"
        assert info.subject == "mini-standard@1.0: Not certified"
        assert info.author == "citcert"
        assert info["/CreationDate"].startswith("D:20250314")

    def test_same_assessment_gives_identical_bytes(
        self, hostile_pdf: bytes, hostile_assessment: Assessment
    ) -> None:
        """Rendering the same assessment twice gives byte-identical PDFs."""
        assert pdf.render(hostile_assessment) == hostile_pdf

    def test_bytes_do_not_depend_on_the_build_environment(
        self, hostile_pdf: bytes, hostile_assessment: Assessment, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """SOURCE_DATE_EPOCH does not change the report: its dates are the as-of date."""
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")

        assert pdf.render(hostile_assessment) == hostile_pdf


class TestEdgeCases:
    """Assessments with little in them, or odd values, still give a sound report."""

    def test_assessment_without_gaps_or_extras(self, hostile_assessment: Assessment) -> None:
        """No gaps, no plan steps, no tailoring, no warnings, self-assessment: still a report."""
        quiet = hostile_assessment.model_copy(
            update={
                "gaps": (),
                "plan": RemediationPlan(steps=(), decision_lifters=(), summary="Nothing to do."),
                "tailoring": (),
                "warnings": (),
                "provenance": hostile_assessment.provenance.model_copy(update={"mode": Mode.SELF}),
            }
        )
        text = _flat(
            "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.render(quiet))).pages)
        )

        assert "No gaps: every applicable requirement is met." in text
        assert "used as published" in text
        assert "Self-assessment by the program" in text

    def test_decision_colour_that_is_not_a_colour(self, hostile_assessment: Assessment) -> None:
        """A decision colour that is not #RRGGBB falls back to grey instead of breaking markup."""
        odd = hostile_assessment.model_copy(
            update={
                "decision": hostile_assessment.decision.model_copy(update={"colour": 'red"><b>'})
            }
        )

        assert pdf.render(odd).startswith(b"%PDF-")


def test_importing_the_writer_does_not_import_reportlab() -> None:
    """reportlab is imported when a PDF is rendered, not when the module is imported."""
    code = "import sys, citcert.export.pdf; print('reportlab' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("example", ["brennan-county", "pine-hollow-rural"])
def test_no_page_ends_on_a_domains_name(example: str, tmp_path: object) -> None:
    """
    Brennan's page 8 and Pine Hollow's page 7 ended on "INS · In-service and continued
    training" with the domain's rows on the next page, under no name.
    """
    from pathlib import Path

    from click.testing import CliRunner

    from citcert.cli import cli

    workbook = Path(__file__).parents[2] / "examples" / f"{example}.xlsx"
    result = CliRunner().invoke(cli, ["audit", str(workbook), "-o", "-", "--format", "pdf"])
    assert result.exit_code == 0, result.stderr
    domain = re.compile(r"^[A-Z]{2,8} · \S")
    for number, page in enumerate(PdfReader(io.BytesIO(result.stdout_bytes)).pages, start=1):
        lines = [line for line in page.extract_text().splitlines() if line.strip()]
        body = lines[:-3]  # the running header and the two footer lines come last
        assert body and not domain.match(body[-1]), f"page {number} ends on {body[-1]!r}"


def test_a_long_banner_goes_on_to_a_second_line_rather_than_losing_its_date(
    mini_standard: Standard,
) -> None:
    """
    A final review by three reviewers with long names: the banner's end, the decision's date,
    is on every page of the panel's report (it used to be cut off with an ellipsis).
    """
    from citcert.audit.review_facts import status_sentence
    from citcert.export.pdf.page import _banner_lines
    from tests.export.reviewed_assessment import _review, reviewed_assessment

    names = tuple(f"Dr. Alexandra Montgomery-Whitfield {n}, LCSW" for n in ("Jr.", "II", "III"))
    review = _review("a" * 64).model_copy(
        update={"final": True, "decision_date": dt.date(2024, 6, 30), "reviewers": names}
    )
    assessment = reviewed_assessment(mini_standard)
    assert assessment.review is not None
    facts = assessment.review.model_copy(update={"final": True, "status": status_sentence(review)})
    data = pdf.render(assessment.model_copy(update={"review": facts}))

    for page in PdfReader(io.BytesIO(data)).pages:
        text = " ".join(page.extract_text().split())
        assert f"{names[-1]}; decision of 2024-06-30." in text
    lines = _banner_lines(("PANEL ONLY", "word " * 400))
    assert len(lines) == 2 and lines[0].startswith("PANEL ONLY word") and lines[1].endswith("…")
    assert _banner_lines(("PANEL ONLY", "Final review by A.")) == [
        "PANEL ONLY",
        "Final review by A.",
    ]
