"""
Arbitrary text, wherever a workbook supplies text, through every writer: none raises, none
emits a formula or a control character, and the PDF's markup stays escaped.

The hostile assessment of the writers' tests is taken as the frame and every field a coordinator
or reviewer can type (profile, evidence summaries, documents, reviewer comments, what a gap
found, the workbook's name, warnings) is replaced by drawn text: any Unicode, lone surrogates
included (they arrive through JSON reports), mixed with the pieces attackers use (formula
starts, DDE, reportlab and HTML markup, Markdown syntax, ANSI and C1 escapes, bidi overrides).
Lone surrogates are left out: no input can bring one (a workbook's XML cannot carry them, the
standards loader refuses them, and so does pydantic in a JSON report, as the last test shows).
"""

from __future__ import annotations

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
from citcert.export.wording import FORMULA_TRIGGERS
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


def test_an_audit_report_holding_a_lone_surrogate_is_refused() -> None:
    """Why the writers need not handle lone surrogates: a JSON report with one is refused."""
    data = FRAME.model_dump_json().replace("Program", "\\ud800", 1)

    with pytest.raises(ValidationError):
        Assessment.model_validate_json(data)
