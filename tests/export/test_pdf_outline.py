"""
What ReportLab allows of an accessible PDF: the language, the title in the window, bookmarks.

The gap report and the roll-up PDF say they are in English (``/Lang``), ask the reader to show
their title (``/DisplayDocTitle``), open with the outline shown, and have a bookmark for each
section that leads to the page where the section starts.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from citcert.audit.rollup import Rollup
from citcert.export.rollup.pdf import render_pdf
from tests.export.test_rollup_files import rollup  # noqa: F401  (a fixture)

SECTIONS = ["Cover and decision", "Summary", "All requirements", "Gap report"]
APPENDIX = [
    "How scoring and the decision work",
    "Decision levels",
    "Tailoring",
    "Warnings from the workbook",
    "Provenance",
    "About this document",
]


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, page number from 1) of every bookmark, in order."""
    out: list[tuple[int, str, int]] = []

    def walk(items: list[object], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out


@pytest.fixture(scope="module")
def reader(hostile_pdf: bytes) -> PdfReader:
    """The hostile gap report, opened."""
    return PdfReader(io.BytesIO(hostile_pdf))


def test_the_gap_report_says_its_language_and_shows_its_title(reader: PdfReader) -> None:
    """/Lang is en-US, /DisplayDocTitle is on, the outline opens with the document."""
    root = reader.trailer["/Root"]

    assert root["/Lang"] == "en-US"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert root["/PageMode"] == "/UseOutlines"
    assert reader.metadata is not None
    assert reader.metadata.title.startswith("CIT program audit report")


def test_every_section_has_a_bookmark_to_its_page(reader: PdfReader) -> None:
    """Top-level bookmarks for each section, the appendix's parts under it, each to its page."""
    outline = _outline(reader)
    top = [title for level, title, _ in outline if level == 0]
    under_appendix = [
        t for level, t, _ in outline[[t for _, t, _ in outline].index("Appendix") :] if level == 1
    ]

    assert top == [*SECTIONS, "Remediation plan", "Appendix"]
    assert under_appendix == APPENDIX
    assert outline[0][2] == 1
    for level, title, page in outline[1:]:
        text = " ".join(reader.pages[page - 1].extract_text().split())
        assert title in text, f"bookmark {title!r} (level {level}) leads to page {page}"


def test_the_roll_up_pdf_has_language_title_and_bookmarks(rollup: Rollup) -> None:  # noqa: F811
    """The state roll-up PDF says its language and has a bookmark per section."""
    reader = PdfReader(io.BytesIO(render_pdf(rollup)))
    root = reader.trailer["/Root"]

    assert root["/Lang"] == "en-US"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    titles = [title for _, title, _ in _outline(reader)]
    assert "Programs" in titles and "Requirements, the most common gaps first" in titles
