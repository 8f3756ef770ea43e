"""
The review's sections in the HTML report, for the applicant and for the panel.

The page holds the same sections as the PDF of the same view, in the same order (strengths
before the requirements, the review's sections after the gaps), every fact of each, the draft or
final banner at the top and the foot, and on a draft a DRAFT watermark. The applicant's page
holds no byte of a panel-only text. The browser tests (tests/browser) run axe-core on these pages.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from citcert.audit.assessment import Assessment
from citcert.audit.review_model import Audience
from citcert.export import Format, pdf, render
from citcert.export.audience import view
from citcert.export.review import review_sections, strengths
from tests.export.html_page import Page
from tests.export.review_fixture import (
    DRAFT_BANNER,
    FINAL_BANNER,
    MARKUP,
    OVERRIDE,
    SECRET,
    hostile_review,
)
from tests.export.test_html_report import check_self_contained, check_structure

VIEWS = [(audience, final) for audience in Audience for final in (True, False)]


@pytest.fixture(
    scope="module", params=VIEWS, ids=lambda v: f"{v[0]}-{'final' if v[1] else 'draft'}"
)
def case(request: pytest.FixtureRequest) -> tuple[Assessment, bytes]:
    """One view of the hostile consensus (applicant or panel, final or draft), and its HTML."""
    audience, final = request.param
    assessment = hostile_review(final=final)
    return view(assessment, audience), render(assessment, Format.HTML, audience.value)


def _words(text: str) -> str:
    return " ".join(text.split())


def _main_text(page: Page) -> str:
    return " ".join(e.text for e in page.all("main"))


class TestStructure:
    """The review's sections keep the page as accessible as the rest of it."""

    def test_the_page_is_accessible_by_structure(self, case: tuple[Assessment, bytes]) -> None:
        """Headings in order, captions and header cells, unique ids, working links."""
        check_structure(Page(case[1]))

    def test_the_page_is_self_contained(self, case: tuple[Assessment, bytes]) -> None:
        """No script, no external resource, whatever the review adds."""
        check_self_contained(case[1])

    def test_every_review_section_is_in_the_contents(self, case: tuple[Assessment, bytes]) -> None:
        """The contents link to each of the review's sections by its title."""
        a, source = case
        page = Page(source)
        links = {e.attrs["href"]: e.text for e in page.all("a")}

        for section in [strengths(a.review), *review_sections(a.review)]:
            assert section is not None
            assert links[f"#review-{section.key}"] == section.title


class TestSameAsThePdf:
    """The sections and facts of the PDF of the same view, in its order."""

    def test_sections_follow_the_pdf_outline(self, case: tuple[Assessment, bytes]) -> None:
        """The PDF's top-level sections are the page's section headings, in the same order."""
        a, source = case
        reader = PdfReader(io.BytesIO(pdf.render(a)))
        outline = [item.title for item in reader.outline if not isinstance(item, list)][1:]
        sections = [text for level, text in Page(source).headings() if level == 2]

        assert [s for s in sections if s != "Contents"] == outline

    def test_every_fact_of_every_section_is_shown(self, case: tuple[Assessment, bytes]) -> None:
        """Each section's sentences and every cell of its table are on the page."""
        a, source = case
        page = Page(source)
        text = _main_text(page)
        rows = [r.text for r in page.all("tr")]

        for section in [strengths(a.review), *review_sections(a.review)]:
            assert section is not None
            for line in section.lines:
                assert _words(line) in text, section.key
            for row in section.rows:
                cells = [_words(c) for c in row if c]
                assert any(all(c in r for c in cells) for r in rows), (section.key, row)

    def test_the_panel_sees_its_own_sections_and_the_applicant_none(
        self, case: tuple[Assessment, bytes]
    ) -> None:
        """Notes, raters, agreement and calibration for the panel; none of them for the program."""
        a, source = case
        headings = [text for _, text in Page(source).headings()]
        panel = [h for h in headings if "(panel only)" in h]

        assert a.review is not None
        if a.review.audience is Audience.PANEL:
            assert len(panel) == 4
        else:
            assert panel == []
        assert "Strengths" in headings and "Comments for the program" in headings


class TestAudience:
    """What only the panel may read never reaches the program's page."""

    def test_no_panel_only_text_reaches_the_applicant(self, case: tuple[Assessment, bytes]) -> None:
        """The applicant's bytes hold no panel-only text; the panel's hold it (the search works)."""
        a, source = case

        assert a.review is not None
        if a.review.audience is Audience.APPLICANT:
            assert SECRET.encode() not in source
            assert b"Internal note" not in source and b"rater" not in source.lower()
        else:
            assert source.count(SECRET.encode()) > 4


class TestDraft:
    """A draft says so at the top and the foot of the page, and carries a DRAFT watermark."""

    def test_the_banner_opens_and_closes_the_page(self, case: tuple[Assessment, bytes]) -> None:
        """
        The review's status line is the page's first text and is repeated in the footer; the
        panel's opens by saying it is not for the program.
        """
        a, source = case
        page = Page(source)
        banners = [e.text for e in page.all("p") if "review-banner" in e.attrs.get("class", "")]
        assert a.review is not None
        expected = FINAL_BANNER if a.review.final else DRAFT_BANNER
        if a.review.audience is Audience.PANEL:
            expected = f"PANEL ONLY, not for the program: {expected}"

        assert banners == [expected, expected]
        assert page.all("header")[0].text.startswith(expected)
        assert expected in page.all("footer")[0].text

    def test_the_pdf_prints_the_whole_banner_on_every_page(
        self, case: tuple[Assessment, bytes]
    ) -> None:
        """
        The PDF's banner is not cut: this hostile status is wider than the page, so it runs on
        to a second line (the panel's notice opening the first) rather than losing its end.
        A status that fits keeps a line of its own (tests/export/test_pdf_report.py).
        """
        a, _ = case
        assert a.review is not None
        status = FINAL_BANNER if a.review.final else DRAFT_BANNER
        # the names hold glyphs the PDF font lacks (drawn as a replacement mark): compare the
        # status before the first of them, and its end after the last, the decision's date
        head, tail = status[: status.index("危")].rstrip(), status.split("❤️")[1]
        whole = re.compile(re.escape(head) + r" [^.;]*" + re.escape(tail))
        pages = PdfReader(io.BytesIO(pdf.render(a))).pages

        for page in pages:
            lines = page.extract_text().splitlines()
            text = " ".join(" ".join(lines).split())
            assert whole.search(text), text[:400]
            if a.review.audience is Audience.PANEL:
                opening = "PANEL ONLY, not for the program:"
                assert any(line.startswith(opening) for line in lines)
                assert f"{opening} {status[:20]}" in text

    def test_only_a_draft_has_the_watermark(self, case: tuple[Assessment, bytes]) -> None:
        """A decorative DRAFT, hidden from screen readers (the banner says it in words)."""
        a, source = case
        marks = [e for e in Page(source).all("div") if e.attrs.get("class") == "watermark"]

        assert a.review is not None
        if a.review.final:
            assert marks == [] and b"DRAFT, not" not in source
        else:
            (mark,) = marks
            assert mark.attrs["aria-hidden"] == "true" and mark.text == ""
            assert b'content: "DRAFT"' in source


class TestTypedText:
    """Whatever the reviewers typed is shown as typed and runs nothing."""

    def test_markup_in_review_text_is_escaped(self, case: tuple[Assessment, bytes]) -> None:
        """Markup in a strength, a comment or a rater's name is text, never an element."""
        _, source = case
        page = Page(source)

        assert b"<Sam>" not in source and b"&lt;Sam&gt; &amp; Lee" in source
        assert not page.all("b") and not page.all("font") and not page.all("para")
        assert f"Praised: {_words(MARKUP)}" in _main_text(page)

    def test_a_right_to_left_override_stays_inside_its_cell(
        self, case: tuple[Assessment, bytes]
    ) -> None:
        """The override typed into a strength is closed, and isolated, within that strength."""
        _, source = case

        assert f"{OVERRIDE}\u202c\u2069".encode() in source
        assert "\u2068first line".encode() in source

    def test_the_same_view_gives_the_same_bytes(self, case: tuple[Assessment, bytes]) -> None:
        """Rendering the same view again gives identical bytes."""
        a, source = case

        assert render(a, Format.HTML, a.review.audience.value if a.review else "panel") == source
