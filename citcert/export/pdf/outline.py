"""
What ReportLab allows of an accessible PDF: the language, the title in the window, an outline.

ReportLab cannot tag a PDF (no structure tree for screen readers; the HTML report is the
accessible version), but it can say the document's language (``/Lang``), ask readers to show
the document's title rather than its file name (``/DisplayDocTitle``), and give every section
a bookmark. `outlined_template` is a `SimpleDocTemplate` that does all three: each paragraph
in a heading style becomes an outline entry at its level, the cover ``Cover and decision``.
reportlab is imported inside the function.
"""

from __future__ import annotations

from typing import Any

LANGUAGE = "en-US"
"""The language every citcert report is written in."""
OUTLINE_LEVELS = {"title": 0, "h1": 0, "h2": 1}
"""Paragraph style name → outline level of the headings that get a bookmark."""
COVER = "Cover and decision"
"""The outline entry of the cover (whose heading is the program's name)."""


def outlined_template(out: Any, **kwargs: Any) -> Any:
    """A `SimpleDocTemplate` writing to `out` with language, window title and an outline."""
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    class OutlinedTemplate(SimpleDocTemplate):  # type: ignore[misc]  # reportlab has no hints
        marks = 0

        def afterFlowable(self, flowable: Any) -> None:  # reportlab's name
            if not isinstance(flowable, Paragraph):
                return
            level = OUTLINE_LEVELS.get(flowable.style.name)
            if level is None:
                return
            text = COVER if flowable.style.name == "title" else flowable.getPlainText()
            key = f"section-{self.marks}"
            if not self.marks:
                self.canv.showOutline()
            self.marks += 1
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(" ".join(text.split()), key, level=level, closed=False)

    return OutlinedTemplate(out, lang=LANGUAGE, displayDocTitle=1, **kwargs)
