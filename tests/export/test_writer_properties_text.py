"""
Arbitrary text, wherever a workbook supplies text, through every writer: none raises, none
emits a formula or a control character, the PDF's markup stays escaped, and in the HTML every
text is inert text (no element, attribute, script or link comes from it).

The hostile assessment of the writers' tests is taken as the frame and every field a coordinator
or reviewer can type (profile, evidence summaries, documents, reviewer comments, what a gap
found, the workbook's name, warnings) is replaced by drawn text: any Unicode, lone surrogates
included (they arrive through JSON reports), mixed with the pieces attackers use (formula
starts, DDE, reportlab and HTML markup, Markdown syntax, ANSI and C1 escapes, bidi overrides).
Lone surrogates are left out: no input can bring one (a workbook's XML cannot carry them, the
standards loader refuses them, and so does pydantic in a JSON report, as the last test shows).
"""

from __future__ import annotations

import html
import io
import itertools
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pydantic import ValidationError
from pypdf import PdfReader

from citcert.audit.assessment import Assessment
from citcert.export import Format, render
from citcert.export.wording import FORMULA_TRIGGERS, clean
from tests.export.assessment_fixture import hostile_assessment

FRAME = hostile_assessment()
SNIPPETS = [
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "\uff1d1+1",
    "<b>",
    "</para>",
    "<font size='40' color='red'>",
    "<img src='x'/>",
    "&amp;",
    "&#0;",
    "<br/>",
    "]]>",
    "*",
    "_",
    "|",
    "`",
    "# ",
    "> ",
    "1. ",
    "[x](javascript:alert(1))",
    "\x00",
    "\x1b[31m",
    "\x9b2J",
    "\x7f",
    "\u202e",
    "\u202d",
    "\u202c",
    "\u2066",
    "\u2069",
    "<script>alert(1)</script>",
    "</td></tr></table><script>",
    '<a href="javascript:alert(1)">x</a>',
    "javascript:alert(1)",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)",
    "<svg onload=alert(1)>",
    "<!--",
    "-->",
    "<![CDATA[",
    "{{ 7*7 }}",
    "{% raw %}",
    "\u2028",
    "\ufeff",
    "👮🏽‍♀️",
    "مركز",
    "危机",
]
TEXT = st.lists(
    st.one_of(
        st.sampled_from(SNIPPETS), st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
    ),
    min_size=1,
    max_size=8,
).map("".join)
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def with_text(texts: list[str]) -> Assessment:
    """The hostile assessment with every typed-text field replaced by the drawn texts."""
    pick = itertools.cycle(texts).__next__
    profile = FRAME.profile.model_copy(
        update={
            key: pick()
            for key in ("program_name", "jurisdiction", "agencies", "coordinator", "contact")
        }
        | {"reviewer": pick()}
    )
    results = tuple(
        r.model_copy(
            update={
                "evidence_summary": pick(),
                "reviewer_comment": pick(),
                "documents": (pick(), pick()),
                "not_applicable_reason": pick(),
            }
        )
        for r in FRAME.results
    )
    gaps = tuple(
        g.model_copy(update={"found": pick(), "reviewer_comment": pick()}) for g in FRAME.gaps
    )
    provenance = FRAME.provenance.model_copy(update={"workbook_name": pick() + ".xlsx"})
    return FRAME.model_copy(
        update={
            "profile": profile,
            "results": results,
            "gaps": gaps,
            "provenance": provenance,
            "headline": pick(),
            "warnings": (pick(), pick()),
        }
    )


def _no_formula(book: Any) -> None:
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str) and cell.value:
                    assert cell.value[0] not in FORMULA_TRIGGERS, cell.value
                    assert not _CONTROLS.search(cell.value)


@PROPERTY
@given(st.lists(TEXT, min_size=1, max_size=5))
def test_json_is_valid_and_keeps_the_text_exactly(texts: list[str]) -> None:
    """The JSON report parses back into the same assessment: every text exactly as typed."""
    assessment = with_text(texts)

    data = render(assessment, Format.JSON)

    assert assessment == Assessment.model_validate_json(data)
    assert json.loads(data)["profile"]["program_name"] == assessment.profile.program_name


@PROPERTY
@given(st.lists(TEXT, min_size=1, max_size=5))
def test_markdown_and_terminal_hold_no_control_characters(texts: list[str]) -> None:
    """The Markdown and terminal reports are UTF-8 without escapes, controls or raw tags."""
    assessment = with_text(texts)

    markdown = render(assessment, Format.MARKDOWN).decode("utf-8")
    terminal = render(assessment, Format.TERMINAL).decode("utf-8")

    for text in (markdown, re.sub("\x1b\\[[0-9;]*m", "", terminal)):
        assert not _CONTROLS.search(text)
    assert not re.search(r"(?<!\\)<(b|font|img|para)\b", markdown)


@PROPERTY
@given(st.lists(TEXT, min_size=1, max_size=5))
def test_xlsx_holds_text_never_a_formula(texts: list[str]) -> None:
    """Every cell of the tracker is a value; no text starts a formula or holds a control."""
    data = render(with_text(texts), Format.XLSX)

    _no_formula(load_workbook(io.BytesIO(data)))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT, min_size=1, max_size=3))
def test_pdf_renders_and_shows_markup_as_typed(texts: list[str]) -> None:
    """The PDF always renders and opens; a typed tag comes out as text, not as formatting."""
    assessment = with_text([*texts, "<b>bold</b> &amp; <font size='40'>big</font>"])

    data = render(assessment, Format.PDF)

    pages = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "<b>bold</b> &amp; <font size='40'>big</font>" in " ".join(pages.split())


@PROPERTY
@given(st.lists(TEXT, min_size=1, max_size=5))
def test_html_shows_every_text_as_inert_text(texts: list[str]) -> None:
    """
    In the HTML report every typed text is text: no element, attribute, script, link or
    template expression comes from it, each text appears (cleaned) in the page's text, and a
    bidi override is closed inside its own value.
    """
    from tests.export.html_page import Page
    from tests.export.test_html_report import check_self_contained

    hostile = "<script>alert(1)</script> <a href='javascript:alert(1)'>x</a> \u202eevil {{ 7*7 }}"
    assessment = with_text([*texts, hostile])

    source = render(assessment, Format.HTML)

    check_self_contained(source)
    page = Page(source)
    clean_page = render(FRAME.model_copy(update={"headline": "x"}), Format.HTML)
    assert {e.tag for e in page.elements} <= {e.tag for e in Page(clean_page).elements}
    text = source.decode("utf-8")
    assert not _CONTROLS.search(text)
    shown = html.unescape(re.sub(r"<[^>]*>", " ", text))
    assert "<script>alert(1)</script>" in shown and "{{ 7*7 }}" in shown
    for value in texts:
        for line in clean(value).replace("\u202c", "").replace("\u2069", "").split("\n"):
            for word in line.split():
                assert _strip_bidi(word) in _strip_bidi(shown), word
    for element in page.elements:
        assert set(element.attrs) <= _ATTRIBUTES, element.attrs
    for run in re.findall(r"\u2068[^<]*", text):
        assert _balanced(run), run


_ATTRIBUTES = {
    "lang",
    "charset",
    "name",
    "content",
    "class",
    "href",
    "id",
    "tabindex",
    "role",
    "style",
    "aria-labelledby",
    "aria-hidden",
    "scope",
    "viewBox",
    "viewbox",
    "width",
    "height",
    "focusable",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "text-anchor",
}
"""Every attribute the templates write; a typed text can add none."""
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _strip_bidi(text: str) -> str:
    return _BIDI.sub("", text)


def _balanced(run: str) -> bool:
    """True when every embedding, override and isolate opened in `run` is closed in it."""
    depth = 0
    for char in run:
        if char in "\u202a\u202b\u202d\u202e\u2066\u2067\u2068":
            depth += 1
        elif char in "\u202c\u2069":
            depth -= 1
        if depth < 0:
            return False
    return depth == 0


def test_an_audit_report_holding_a_lone_surrogate_is_refused() -> None:
    """Why the writers need not handle lone surrogates: a JSON report with one is refused."""
    data = FRAME.model_dump_json().replace("Program", "\\ud800", 1)

    with pytest.raises(ValidationError):
        Assessment.model_validate_json(data)
