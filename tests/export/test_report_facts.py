"""
Every report carries the same facts: the evidence the program gave for each requirement, what
is still to show, the standard's own per-domain minimum, and nothing empty or said twice.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from citcert.audit.assessment import Assessment
from citcert.audit.scoring import assess
from citcert.export import html, markdown, pdf, xlsx
from citcert.standards.model import Standard
from citcert.workbook.evidence import Document, Mode
from tests.audit.builders import (
    ALL_MET,
    GOOD_NUMBERS,
    make_evidence,
    requirement_data,
    sample_evidence,
    variant,
)
from tests.export.html_page import Page

SUMMARY = "Forty-two officers trained; the roster is kept by the sheriff's office."
DOCUMENT = "Officers-2024.xlsx"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(a: Assessment) -> str:
    return _flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.render(a))).pages))


def _gap_rows(a: Assessment, requirement_id: str) -> list[tuple[str, str]]:
    """The (term, description) rows of the HTML gap box of `requirement_id`, in order."""
    page = Page(html.render(a))
    start = next(
        i
        for i, e in enumerate(page.elements)
        if e.tag == "article" and e.text.split(" · ")[1].startswith(f"{requirement_id} ")
    )
    inside = []
    for element in page.elements[start + 1 :]:
        if "article" not in element.ancestors:
            break
        inside.append(element)
    terms = [e.text for e in inside if e.tag == "dt"]
    descriptions = [e.text for e in inside if e.tag == "dd"]
    return list(zip(terms, descriptions, strict=True))


def _sheet_rows(a: Assessment, name: str) -> list[dict[str, Any]]:
    sheet = load_workbook(io.BytesIO(xlsx.render(a)))[name]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _training_short(standard: Standard, mode: Mode = Mode.SELF) -> Assessment:
    """TRN-01 (core) partially met, with a summary and a cited document about its roster."""
    return assess(
        standard,
        make_evidence(
            standard,
            {**ALL_MET, "TRN-01": "partially_met"},
            numbers={**GOOD_NUMBERS, "cit_officers": 15},
            summaries={"TRN-01": SUMMARY},
            documents={"TRN-01": [DOCUMENT]},
            index=[Document(name=DOCUMENT, description="Roster of CIT officers")],
            mode=mode,
        ),
    )


@pytest.fixture(scope="module")
def short(mini_standard: Standard) -> Assessment:
    return _training_short(mini_standard)


@pytest.fixture(scope="module")
def short_text(short: Assessment) -> str:
    return _pdf_text(short)


def test_an_item_a_document_was_cited_for_is_not_still_to_show(short: Assessment) -> None:
    """The cited roster (named in its Documents-sheet description) stands for "Training roster"."""
    gap = next(g for g in short.gaps if g.requirement_id == "TRN-01")
    assert "Training roster" not in gap.evidence_missing
    assert "Training roster" not in markdown.render(short).decode()


def test_words_in_brackets_need_not_be_matched(mini_standard: Standard) -> None:
    """A document named for the item counts, whatever examples the item lists in brackets."""

    def change(raw: dict[str, Any]) -> None:
        requirement_data(raw, "TRN-01")["evidence"] = ["Training roster (Excel or paper)", "Log"]

    standard = variant(mini_standard, change)
    ev = make_evidence(
        standard,
        {**ALL_MET, "TRN-01": "partially_met"},
        numbers={**GOOD_NUMBERS, "cit_officers": 15},
        summaries={"TRN-01": "See the roster."},
        documents={"TRN-01": ["Training roster 2024"]},
    )
    gap = next(g for g in assess(standard, ev).gaps if g.requirement_id == "TRN-01")
    assert gap.evidence_missing == ("Log",)


def test_the_pdf_gap_entry_shows_the_evidence_given(short_text: str) -> None:
    """The gap entry has the program's summary and its documents, as the Markdown has."""
    entry = short_text[short_text.index("CRITICAL · TRN-01") :]
    assert f"Evidence given {SUMMARY}" in short_text
    assert f"Documents cited • {DOCUMENT}" in entry


def test_the_pdf_requirement_table_shows_the_evidence_given(short_text: str) -> None:
    """The table of all requirements carries each summary and document too."""
    table = short_text[short_text.index("All requirements") : short_text.index("Gap report 1 gap")]
    assert f"Evidence: {SUMMARY}" in table
    assert f"Documents: {DOCUMENT}" in table


def test_the_html_gap_box_shows_the_evidence_given_in_the_pdfs_order(short: Assessment) -> None:
    """The HTML gap box has the summary and the documents, after what was found, as the PDF."""
    rows = _gap_rows(short, "TRN-01")
    terms = [term for term, _ in rows]
    assert terms[:5] == [
        "What the standard asks",
        "What was found",
        "Evidence given",
        "Documents cited",
        "Evidence still to show",
    ]
    assert ("Evidence given", SUMMARY) in rows and ("Documents cited", DOCUMENT) in rows


def test_the_html_gap_box_says_when_nothing_was_given(short: Assessment) -> None:
    """No summary and no document: the rows stay, saying so, as in the PDF."""
    results = tuple(
        r.model_copy(update={"evidence_summary": " \n", "documents": ()}) for r in short.results
    )
    rows = _gap_rows(short.model_copy(update={"results": results}), "TRN-01")
    assert ("Evidence given", "None described.") in rows and ("Documents cited", "None.") in rows


def _requirement_cells(a: Assessment, requirement_id: str) -> dict[str, str]:
    """The HTML requirement table's row of `requirement_id`, each cell under its header."""
    page = Page(html.render(a))
    heads = [th.text for th in page.all("th") if th.attrs.get("scope") == "col"]
    heads = heads[heads.index("ID") : heads.index("ID") + 5]
    row = next(tr for tr in page.all("tr") if tr.text.startswith(f"{requirement_id} "))
    start = page.elements.index(row)
    cells = [e for e in page.elements[start + 1 :] if e.tag in {"th", "td"}][: len(heads)]
    return dict(zip(heads, (c.text for c in cells), strict=True))


def test_the_html_requirement_table_shows_the_evidence_given(short: Assessment) -> None:
    """Each requirement's summary and documents are in its row, under the PDF's header."""
    cell = _requirement_cells(short, "TRN-01")["Evidence given, and findings"]
    assert cell.startswith(f"Evidence: {SUMMARY} Documents: {DOCUMENT} Metric:")


def test_the_html_evidence_is_text_as_typed(short: Assessment) -> None:
    """A summary or document full of markup, controls or an override is shown as typed."""
    summary = "<b>bold</b> & <script>alert(1)</script>"
    documents = ("<i>roster</i>.xlsx", "bell\x07.pdf", "\u202eevil.pdf", "plain.pdf")
    results = tuple(
        r.model_copy(update={"evidence_summary": summary, "documents": documents})
        if r.requirement_id == "TRN-01"
        else r
        for r in short.results
    )
    a = short.model_copy(update={"results": results})
    source = html.render(a).decode()
    page = Page(source)
    assert not page.all("script") and not page.all("b") and not page.all("i")
    cell = _requirement_cells(a, "TRN-01")["Evidence given, and findings"]
    assert f"Evidence: {summary} Documents: <i>roster</i>.xlsx; bell.pdf;" in cell
    rows = dict(_gap_rows(a, "TRN-01"))
    assert rows["Evidence given"] == summary
    assert "\x07" not in source
    assert source.count("\u2068\u202eevil.pdf\u202c\u2069") == 2  # isolated in the table and box


def test_the_tracker_gap_sheet_carries_the_evidence_given(short: Assessment) -> None:
    """The XLSX Gaps sheet has the summary and the documents beside what is still to show."""
    row = next(r for r in _sheet_rows(short, "Gaps") if r["Requirement"] == "TRN-01")
    assert row["Evidence given"] == SUMMARY
    assert row["Documents cited"] == DOCUMENT
    assert "Training roster" not in (row["Evidence still to show"] or "")


def test_a_self_assessment_has_no_empty_reviewer_comment_rows(short_text: str) -> None:
    """No reviewer took part, so the gap entries do not offer an empty comment."""
    assert "Reviewer's comment" not in short_text


def test_a_review_keeps_the_reviewer_comment_row(mini_standard: Standard) -> None:
    """In a review, the comment row stays, with a dash when the reviewer wrote nothing."""
    assert "Reviewer's comment" in _pdf_text(_training_short(mini_standard, Mode.REVIEW))


def test_a_self_assessment_html_has_no_empty_reviewer_comment_rows(short: Assessment) -> None:
    """As in the PDF: nobody reviewed, so no gap box offers a reviewer's comment."""
    assert all("Reviewer’s comment" not in term for term, _ in _gap_rows(short, "TRN-01"))
    assert "Reviewer’s comment" not in html.render(short).decode()


def test_a_review_html_keeps_the_reviewer_comment_row(mini_standard: Standard) -> None:
    """In a review the HTML keeps the row, with a dash when the reviewer wrote nothing."""
    rows = _gap_rows(_training_short(mini_standard, Mode.REVIEW), "TRN-01")
    assert ("Reviewer’s comment", "—") in rows


def test_a_self_assessment_html_shows_a_comment_that_was_given(short: Assessment) -> None:
    """A comment in a self-assessment's workbook is still shown, as the PDF shows it."""
    gaps = tuple(g.model_copy(update={"reviewer_comment": "Seen on site."}) for g in short.gaps)
    rows = _gap_rows(short.model_copy(update={"gaps": gaps}), "TRN-01")
    assert ("Reviewer’s comment", "Seen on site.") in rows


def test_a_metric_sentence_is_not_said_twice(short: Assessment, short_text: str) -> None:
    """
    The metric's working appears once in the table and once in the gap entry, in its findings
    with what Met needs; what was found gives the value alone and points to them.
    """
    metric = next(r.metric for r in short.results if r.requirement_id == "TRN-01")
    assert metric is not None
    assert short_text.count(metric.display) == 2
    text = " ".join(short_text.split())
    assert (
        "Share of patrol officers CIT trained: 15% (the findings show how it was worked out)"
        in text
    )


def test_the_html_gap_entry_gives_the_working_once(short: Assessment) -> None:
    """As in the PDF: the requirement's row and the gap's findings, not also what was found."""
    metric = next(r.metric for r in short.results if r.requirement_id == "TRN-01")
    assert metric is not None
    page = html.render(short).decode()

    assert page.count(metric.display) == 2
    assert "CIT trained: 15% (the findings show how it was worked out)" in page


@pytest.fixture(scope="module")
def not_certified(mini_standard: Standard) -> Assessment:
    a = assess(mini_standard, sample_evidence(mini_standard))
    assert a.decision.level_id == "not_certified"
    return a


def test_not_certified_domains_are_judged_by_the_standards_minimum(
    not_certified: Assessment,
) -> None:
    """Not certified: the next level sets no domain minimum, so certified's 60% is the line."""
    assert {d.threshold for d in not_certified.domains} == {60.0}


def test_the_pdf_needed_column_is_not_all_dashes(not_certified: Assessment) -> None:
    """The domain table of a not-certified program shows what each domain needs."""
    text = _pdf_text(not_certified)
    assert "Partnerships 50.0% 60%" in text
    assert "the standard's minimum score for a domain" in text


def _chart_texts(a: Assessment) -> tuple[str, str, list[str]]:
    """The domain chart's caption and description, and the note under it, from the HTML."""
    page = Page(html.render(a))
    ids = page.by_id()
    notes = [p.text for p in page.all("p") if "dark mark" in p.text]
    return ids["domain-chart-caption"].text, ids["domain-chart-desc"].text, notes


def test_the_html_chart_marks_the_standards_minimum_not_the_next_level(
    not_certified: Assessment,
) -> None:
    """
    The next level (conditional) sets no domain minimum: the mark is certified's 60%, the
    standard's minimum score for a domain, as the PDF says, not what the next level needs.
    """
    caption, desc, notes = _chart_texts(not_certified)
    assert caption == "Score by domain, marked with the standard's minimum score for a domain"
    assert notes == [
        "The dark mark on each bar is the standard's minimum score for a domain; a bar that "
        "misses it is red and its figure says so."
    ]
    assert "PART · Partnerships: 50.0%, below the minimum of 60%" in desc
    page = html.render(not_certified).decode()
    assert "needs 60" not in page and "next level needs" not in page
    assert "50.0%, min. 60%</text>" in page


def test_the_html_chart_at_the_top_level_names_no_next_level(mini_standard: Standard) -> None:
    """A program at the top level has no next level; its bars show the top level's minimum."""
    top = assess(mini_standard, make_evidence(mini_standard))
    assert top.decision.next_level_id is None and {d.threshold for d in top.domains} == {60.0}
    caption, desc, _ = _chart_texts(top)
    assert "next" not in caption and "needs" not in desc
    assert all(f"{d.domain_id} · {d.title}: 100.0%, minimum 60%" in desc for d in top.domains)


def test_the_tracker_colours_a_short_domain_red(not_certified: Assessment) -> None:
    """A domain at 50% of a needed 60% is filled red in the Domain scores sheet, not green."""
    sheet = load_workbook(io.BytesIO(xlsx.render(not_certified)))["Domain scores"]
    assert sheet["C2"].value == 50.0
    assert sheet["C2"].fill.fgColor.rgb.endswith("FBE3E1")


def test_a_long_id_does_not_break_at_its_hyphen(not_certified: Assessment) -> None:
    """``COORD-01`` stays on one line in the requirement table (never ``COORD-`` / ``01``)."""
    results = tuple(
        r.model_copy(update={"requirement_id": "COORD-01"}) if r.requirement_id == "TRN-03" else r
        for r in not_certified.results
    )
    a = not_certified.model_copy(update={"results": results})
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf.render(a))).pages]
    table = "\n".join(pages)
    assert "COORD-01" in table
    assert "COORD-\n" not in table


def test_dates_are_fixed(short: Assessment) -> None:
    """The fixture's assessment date, for the record (the reports take no clock)."""
    assert short.provenance.as_of == dt.date(2024, 6, 1)
