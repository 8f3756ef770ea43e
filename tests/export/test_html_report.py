"""
The HTML audit report: one self-contained, accessible file with the PDF's facts in its order.

The page is read back with the standard library's parser and checked for what WCAG asks of its
structure (language, title, skip link, headings in order, captions and header cells, charts with
a text alternative and the same numbers in a table, decision and ratings in words). The browser
tests (tests/browser) run axe-core on the same pages in Chromium.
"""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from citcert.audit.assessment import Assessment
from citcert.cli import cli
from citcert.export import Format, render
from tests.export.assessment_fixture import MARKUP, PROGRAM_NAME
from tests.export.html_page import Page


@pytest.fixture(scope="module")
def source(hostile_assessment: Assessment) -> bytes:
    """The HTML report of the hostile assessment."""
    return render(hostile_assessment, Format.HTML)


@pytest.fixture(scope="module")
def page(source: bytes) -> Page:
    """The report, parsed."""
    return Page(source)


def check_structure(page: Page) -> None:
    """What every HTML report of citcert must hold, whatever it reports on."""
    (html,) = page.all("html")
    assert html.attrs["lang"] == "en"
    (title,) = [t for t in page.all("title") if "head" in t.ancestors]
    assert title.text
    assert any(m.attrs.get("name") == "viewport" for m in page.all("meta"))
    first_link = page.all("a")[0]
    assert first_link.attrs["href"] == "#main" and "Skip" in first_link.text
    ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs]
    assert len(ids) == len(set(ids)), "ids are unique"
    assert "main" in ids and page.by_id()["main"].tag == "main"
    for element in page.elements:
        for name in ("aria-labelledby", "aria-describedby"):
            for ref in element.attrs.get(name, "").split():
                assert ref in ids, f"{element.tag} {name} names a missing id {ref}"
        href = element.attrs.get("href", "")
        if href.startswith("#"):
            assert href[1:] in ids, href
    levels = [level for level, _ in page.headings()]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    captions = [e for e in page.all("caption") if e.ancestors[-1] == "table"]
    assert len(captions) == len(page.all("table")), "every table has a caption"
    assert all(th.attrs.get("scope") in {"col", "row"} for th in page.all("th"))
    for svg in page.all("svg"):
        assert svg.attrs["role"] == "img"
        title_id, desc_id = svg.attrs["aria-labelledby"].split()
        assert page.by_id()[title_id].tag == "title" and page.by_id()[desc_id].tag == "desc"
        assert page.by_id()[desc_id].text
    for region in (e for e in page.elements if e.attrs.get("role") == "region"):
        assert region.attrs["tabindex"] == "0" and region.attrs["aria-labelledby"]


def check_self_contained(source: bytes) -> None:
    """No script, no external resource: the file reads the same offline, with scripts off."""
    page = Page(source)
    assert not page.all("script") and not page.all("link") and not page.all("img")
    assert not page.all("iframe") and not page.all("object") and not page.all("embed")
    for element in page.elements:
        assert "src" not in element.attrs
        assert not any(name.startswith("on") for name in element.attrs), element
        href = element.attrs.get("href", "")
        assert not re.match(r"\s*[a-z][a-z0-9+.-]*:", href, re.I), f"external link {href}"
    assert b"@media print" in source and b"url(" not in source and b"@import" not in source


class TestStructure:
    """What a screen reader, a phone and a printer need from the page."""

    def test_the_page_is_accessible_by_structure(self, page: Page) -> None:
        """Language, title, skip link, headings in order, captions and header cells, charts."""
        check_structure(page)

    def test_the_page_is_self_contained(self, source: bytes) -> None:
        """Styles inline, charts inline SVG, no script, no network."""
        check_self_contained(source)
        assert len(Page(source).all("style")) == 1 and len(Page(source).all("svg")) == 1

    def test_the_decision_is_said_in_words(
        self, page: Page, hostile_assessment: Assessment
    ) -> None:
        """The decision box says the decision and its sentence; colour only draws its border."""
        d = hostile_assessment.decision
        box = next(e for e in page.all("div") if e.attrs.get("class") == "decision")
        assert f"Decision: {d.label}" in box.text
        assert " ".join(d.sentence.split()) in box.text

    def test_each_rating_is_a_word_in_its_row(
        self, page: Page, hostile_assessment: Assessment
    ) -> None:
        """Every requirement has a row whose rating cell holds its label in words."""
        rows = [r.text for r in page.all("tr")]
        for result in hostile_assessment.results:
            assert any(
                row.startswith(result.requirement_id) and result.level_label in row for row in rows
            ), result.requirement_id

    def test_the_chart_says_its_numbers_and_the_table_repeats_them(
        self, page: Page, hostile_assessment: Assessment
    ) -> None:
        """The chart's description and the domain table both carry every domain's score."""
        (desc,) = page.all("desc")
        table = page.by_id()["domain-table"]
        rows = [e for e in page.all("tr") if "tbody" in e.ancestors]
        for domain in hostile_assessment.domains:
            score = "not applicable" if domain.score is None else f"{domain.score:.1f}%"
            assert f"{domain.domain_id} · {domain.title}: {score}" in desc.text
            assert any(domain.title in r.text and score in r.text for r in rows)
        assert table.tag == "caption"


class TestContent:
    """The same facts as the PDF, in the same order."""

    def test_sections_follow_the_pdf_outline(
        self, page: Page, hostile_assessment: Assessment, hostile_pdf: bytes
    ) -> None:
        """Every section of the PDF's outline is a heading of the page, in the same order."""
        outline = [
            item.title
            for item in _flatten(PdfReader(io.BytesIO(hostile_pdf)).outline)
            if item.title != "Cover and decision"
        ]
        headings = [text for _, text in page.headings()]
        at = 0
        for title in outline:
            assert title in headings[at:], f"{title} missing or out of order"
            at = headings.index(title, at) + 1

    def test_every_requirement_gap_and_step_is_shown(
        self, page: Page, hostile_assessment: Assessment
    ) -> None:
        """Each requirement, gap, plan step, scoring line, level and warning is on the page."""
        a = hostile_assessment
        text = " ".join(e.text for e in page.all("main"))
        for r in a.results:
            assert r.requirement_id in text
        gap_headings = [t for level, t in page.headings() if level == 3 and " · " in t]
        for gap in a.gaps:
            assert any(
                gap.requirement_id in h and gap.severity.value in h.lower() for h in gap_headings
            )
        for step in a.plan.steps:
            assert " ".join(step.reason.split()) in text
        for line in a.scoring_explanation:
            assert " ".join(line.split()) in text
        for level in a.decision.levels:
            assert level.label in text
        assert a.provenance.workbook_sha256 in text and a.provenance.standard_sha256 in text

    def test_typed_text_shows_as_typed(self, source: bytes, page: Page) -> None:
        """A program name and a title full of markup are text: escaped, shown as typed."""
        assert page.all("h1")[0].text == PROGRAM_NAME
        assert b"<Valley>" not in source and b"&lt;Valley&gt;" in source
        assert " ".join(MARKUP.split()) in " ".join(e.text for e in page.all("td"))
        assert not page.all("b") and not page.all("font") and not page.all("para")

    def test_the_same_assessment_gives_the_same_bytes(
        self, hostile_assessment: Assessment, source: bytes
    ) -> None:
        """Rendering twice gives identical bytes."""
        assert render(hostile_assessment, Format.HTML) == source


def _flatten(outline: list[object]) -> list[object]:
    out: list[object] = []
    for item in outline:
        out += _flatten(item) if isinstance(item, list) else [item]
    return out


def test_importing_the_writer_does_not_import_jinja() -> None:
    """Jinja2 is imported when a report is rendered, not when the package is."""
    import subprocess
    import sys

    code = "import citcert.export.html, sys; print('jinja2' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_an_example_with_quarters_follows_the_pdf_outline(tmp_path: Path) -> None:
    """
    Each quarterly chart has the heading the PDF bookmarks (what share it shows), and every
    bookmark of the example's PDF is a heading of its page, in the same order.
    """
    examples = Path(__file__).resolve().parents[2] / "examples"
    out = tmp_path / "reports"
    args = ["audit", str(examples / "lakemont-metro.xlsx"), "-o", str(out), "--format", "pdf,html"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    (pdf,), (html,) = out.glob("*.pdf"), out.glob("*.html")
    outline = [item.title for item in _flatten(PdfReader(str(pdf)).outline)][1:]
    headings = [text for _, text in Page(html.read_bytes()).headings()]

    assert "CIT calls resolved on scene, by quarter" in outline
    at = 0
    for title in outline:
        assert title in headings[at:], f"{title} missing or out of order"
        at = headings.index(title, at) + 1
