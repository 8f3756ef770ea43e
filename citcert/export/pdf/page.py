"""
The PDF report's page frame: running header, footer, "Page N of M", and fixed document dates.

reportlab learns the page count only once every page is laid out, so the canvas holds its pages
back and stamps them all on save. The header and footer must already be clean, single-line text
(`kit.Ink.line`); reportlab is imported inside the function.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from citcert.export.pdf.kit import FONT, MARGIN, MUTED, PAGE_H, PAGE_W, RULE, WIDTH, colour, fit


def numbered_canvas(
    header: str,
    footer: str,
    day: dt.date,
    *,
    banner: tuple[str, ...] = (),
    draft: bool = False,
) -> type:
    """
    A canvas class that holds its pages back to stamp "Page N of M" on each, with the running
    `header` (from page 2 on) and the `footer`. Both must already be clean, single-line text.

    The document's creation and modification dates are `day` (the assessment date), never the
    clock, so that the same assessment gives the same bytes. A review's `banner` (its lines: the
    panel's notice, then the draft or final status) is printed at the top of every page; a
    `draft` also gets a DRAFT watermark.
    """
    from reportlab.pdfgen.canvas import Canvas

    head, foot = fit(header, WIDTH * 0.85), fit(footer, WIDTH * 0.6)

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []
            self._marks: dict[int, list[tuple[str, dict[str, Any]]]] = {}
            # NOTE: reportlab has no public setter for the info dates or the file ID; in invariant
            # mode it takes both from 2000-01-01 or $SOURCE_DATE_EPOCH. Seeding them from the
            # assessment date says more and keeps the bytes the same on every machine.
            stamp = self._doc._timeStamp
            stamp.YMDhms, stamp.dhh, stamp.dmm = (day.year, day.month, day.day, 0, 0, 0), 0, 0
            seed = f"citcert report {day.isoformat()}".encode()
            self._doc.signature = hashlib.md5(seed, usedforsecurity=False)

        def bookmarkPage(self, key: str, **kwargs: Any) -> None:  # reportlab's name
            # NOTE: pages are held back until save, so a bookmark is made when its page is.
            self._marks.setdefault(len(self._held), []).append((key, kwargs))

        def showPage(self) -> None:  # reportlab's name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for index, state in enumerate(self._held):
                self.__dict__.update(state)
                for key, kwargs in self._marks.get(index, ()):
                    super().bookmarkPage(key, **kwargs)
                self._stamp(len(self._held))
                super().showPage()
            super().save()

        def _stamp(self, total: int) -> None:
            page = self.getPageNumber()
            self.setFont(FONT, 8)
            self.setFillColor(colour(MUTED))
            self.setStrokeColor(colour(RULE))
            self.setLineWidth(0.5)
            top, bottom = PAGE_H - MARGIN + 14, MARGIN - 14
            if page > 1:
                self.drawString(MARGIN, top + 5, head)
                self.line(MARGIN, top, PAGE_W - MARGIN, top)
            self.line(MARGIN, bottom, PAGE_W - MARGIN, bottom)
            self.drawString(MARGIN, bottom - 12, foot)
            self.drawRightString(PAGE_W - MARGIN, bottom - 12, f"Page {page} of {total}")
            if banner:
                _banner(self, banner, draft=draft)

    return NumberedCanvas


def _banner(canvas: Any, banner: tuple[str, ...], *, draft: bool) -> None:
    """A review's status line at the top of the page; a draft also gets a DRAFT watermark."""
    canvas.saveState()
    if draft:
        canvas.setFillColor(colour("#C0392B"), alpha=0.12)
        canvas.setFont(FONT, 110)
        canvas.translate(PAGE_W / 2, PAGE_H / 2)
        canvas.rotate(45)
        canvas.drawCentredString(0, -40, "DRAFT")
    canvas.restoreState()
    canvas.setFont(FONT, 7)
    canvas.setFillColor(colour("#C0392B" if draft else MUTED))
    lines = _banner_lines(banner)
    for index, line in enumerate(lines):  # top down, as it reads; the last above the header
        canvas.drawString(MARGIN, PAGE_H - MARGIN + 28 + 8 * (len(lines) - 1 - index), line)


_BANNER_LINES = 2
"""The top margin's room: a banner of more lines would reach the paper's edge."""


def _banner_lines(banner: tuple[str, ...]) -> list[str]:
    """
    The banner as lines of the page's width: each part on a line of its own when each fits
    one; else the parts run on over the lines (a final review by several reviewers of long
    names would otherwise lose its end, the decision's date), cut only at the very end.
    """
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    parts = list(banner)
    if len(parts) <= _BANNER_LINES and all(stringWidth(p, FONT, 7) <= WIDTH for p in parts):
        return parts
    lines = simpleSplit(" ".join(parts), FONT, 7, WIDTH)
    if len(lines) > _BANNER_LINES:
        lines = [*lines[: _BANNER_LINES - 1], " ".join(lines[_BANNER_LINES - 1 :])]
    return [fit(line, WIDTH, 7) for line in lines]
