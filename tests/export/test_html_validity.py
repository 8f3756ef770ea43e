"""
The decision's dates, what a citcert decision is not, and the exceptions in the HTML report,
where the PDF has them.

The Brennan County example with one exception in force and one expired (the workbook of
tests/audit/test_exceptions.py) is audited through the command line to HTML and PDF; the page
carries the PDF's facts in the PDF's order.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from citcert.audit.assessment import Assessment
from citcert.audit.explanation import standing
from citcert.cli import cli
from citcert.export.validity import date_rows, exception_rows, with_without_rows
from tests.audit.test_exceptions import EXPIRED, IN_FORCE, book_with
from tests.export.html_page import Page
from tests.export.test_html_report import check_structure


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The JSON, PDF and HTML reports of the workbook with two exceptions, by suffix."""
    folder = tmp_path_factory.mktemp("validity")
    book = book_with(folder, [IN_FORCE, EXPIRED])
    out = folder / "reports"
    result = CliRunner().invoke(
        cli, ["audit", str(book), "-o", str(out), "--format", "json,pdf,html"]
    )
    assert result.exit_code == 0, result.output
    return {p.suffix: p.read_bytes() for p in out.iterdir()}


@pytest.fixture(scope="module")
def assessment(reports: dict[str, bytes]) -> Assessment:
    """The assessment, read back from the JSON report."""
    return Assessment.model_validate_json(reports[".json"])


@pytest.fixture(scope="module")
def page(reports: dict[str, bytes]) -> Page:
    """The HTML report, parsed."""
    return Page(reports[".html"])


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_page_keeps_its_structure(page: Page) -> None:
    """Headings in order, captions and header cells, working links, with the new parts."""
    check_structure(page)


def test_the_cover_gives_the_dates_after_the_as_of_date(page: Page, assessment: Assessment) -> None:
    """Valid until, next review due (and any interim report) follow "As of", as in the PDF."""
    cover = page.all("dl")[0]
    labels = [e.text for e in page.elements if e.tag == "dt" and "dl" in e.ancestors][:10]
    rows = date_rows(assessment)

    assert assessment.dates is not None
    at = labels.index("As of")
    assert labels[at + 1 : at + 1 + len(rows)] == [label for label, _ in rows]
    assert all(value in cover.text for _, value in rows)


def test_the_decision_says_what_it_is_not(page: Page, assessment: Assessment) -> None:
    """Under the decision, the sentence every report carries: not a CIT International one."""
    text = _words(" ".join(e.text for e in page.all("p") if "muted" in e.attrs.get("class", "")))

    assert standing(assessment.provenance.standard_ref) in text


def test_the_summary_has_the_dates_and_the_exceptions(page: Page, assessment: Assessment) -> None:
    """The dates' sentence, the decision with and without the exceptions, and each exception."""
    text = _words(page.all("main")[0].text)
    rows = [_words(r.text) for r in page.all("tr")]

    assert assessment.dates is not None and assessment.exceptions is not None
    assert _words(assessment.dates.sentence) in text
    assert _words(assessment.exceptions.sentence) in text
    for label, value in with_without_rows(assessment):
        assert f"{label} {value}" in text
    for row in exception_rows(assessment):
        assert any(all(_words(cell) in r for cell in row) for r in rows), row
    assert "expired: counts as not met" in text and "in force" in text


def test_the_sections_follow_the_pdf_outline(page: Page, reports: dict[str, bytes]) -> None:
    """Every PDF bookmark, Exceptions included, is a heading of the page, in the same order."""
    outline: list[str] = []

    def walk(items: list[object]) -> None:
        for item in items:
            walk(item) if isinstance(item, list) else outline.append(item.title)  # type: ignore[attr-defined]

    walk(PdfReader(io.BytesIO(reports[".pdf"])).outline)
    headings = [text for _, text in page.headings()]
    at = 0
    assert "Exceptions" in outline
    for title in outline[1:]:
        assert title in headings[at:], f"{title} missing or out of order"
        at = headings.index(title, at) + 1


def test_a_report_without_exceptions_has_no_such_section(tmp_path: Path) -> None:
    """The Exceptions part appears only when the workbook records one."""
    book = book_with(tmp_path, [])
    out = tmp_path / "reports"
    result = CliRunner().invoke(cli, ["audit", str(book), "-o", str(out), "--format", "html"])
    (html,) = out.iterdir()

    assert result.exit_code == 0
    assert "Exceptions" not in [t for _, t in Page(html.read_bytes()).headings()]
