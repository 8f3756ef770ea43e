"""
The roll-up PDF's charts: horizontal bars of a count, such as programs per decision level.

Drawn with reportlab's graphics in the gap report's house style (`citcert.export.pdf.kit`):
each bar's label on the left, the bar on a pale track as long as the largest possible count,
and the count at its end. Labels must already be clean single-line text (`kit.Ink.line`).
reportlab is imported inside the function.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple


class Count(NamedTuple):
    """One bar: its label and how many programs it counts."""

    label: str
    programs: int
    over: str = ""
    """A short line above the label (the standard's id in a roll-up of several), or none."""


def count_chart(counts: Sequence[Count], out_of: int, width: float, label_width: float) -> Any:
    """
    A bar per count on a track of `out_of` programs, the count printed after the bar.

    `out_of` is the number every count is part of (the audited programs), so that bars of
    different charts read on the same scale; it is at least 1. When a count has a line
    `over` its label, every row makes room for one, so the label keeps its whole width.
    """
    from reportlab.graphics.shapes import Drawing, Rect, String

    from citcert.export.pdf.kit import FONT, FONT_BOLD, INK, MUTED, NAVY, ZEBRA, colour, fit

    row_h, track_h = (29.0 if any(c.over for c in counts) else 20.0), 12.0
    track_w = width - label_width - 28
    scale = max(out_of, 1)
    drawing = Drawing(width, row_h * len(counts) + 4)
    for index, item in enumerate(counts):
        y = drawing.height - row_h * (index + 1) + 4
        label = fit(item.label, label_width - 8)
        drawing.add(String(0, y + 3, label, fontName=FONT, fontSize=8, fillColor=colour(INK)))
        if item.over:
            over = fit(item.over, label_width - 8, size=7)
            drawing.add(String(0, y + 13, over, fontName=FONT, fontSize=7, fillColor=colour(MUTED)))
        drawing.add(
            Rect(label_width, y, track_w, track_h, fillColor=colour(ZEBRA), strokeColor=None)
        )
        bar = track_w * min(item.programs, scale) / scale
        if bar:
            drawing.add(
                Rect(label_width, y, bar, track_h, fillColor=colour(NAVY), strokeColor=None)
            )
        drawing.add(
            String(
                label_width + bar + 4,
                y + 3,
                str(item.programs),
                fontName=FONT_BOLD,
                fontSize=8,
                fillColor=colour(INK),
            )
        )
    return drawing
