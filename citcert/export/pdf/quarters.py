"""
The gap report's quarterly outcomes: the Quarterly data sheet's trend, charted and tabled.

Only when the workbook's Quarterly data sheet has rows: the share of CIT calls resolved on
scene and the share referred or taken to treatment, one bar per quarter (oldest first), then a
table of every quarter with its calls, outcome shares and whether its report was on time. The
numbers are counts a program reports; no row is about a person.
"""

from __future__ import annotations

from typing import Any

from citcert.audit.assessment import Assessment
from citcert.export.pdf import kit
from citcert.export.pdf.kit import INCH, WIDTH, Ink
from citcert.export.wording import (
    QUARTER_CHARTS,
    calls_words,
    on_time_words,
    quarters_sentence,
    share_words,
)


def quarters(a: Assessment, ink: Ink) -> list[Any]:
    """The section, or nothing when no quarter was reported."""
    from reportlab.platypus import KeepTogether, Spacer

    if not a.quarters:
        return []
    flow: list[Any] = [
        ink.own("Outcomes by quarter", "h1"),
        ink.para(quarters_sentence(a.quarters), "muted"),
    ]
    for title, key in QUARTER_CHARTS:
        bars = [kit.Bar(q.quarter_end.isoformat(), getattr(q, key), None) for q in a.quarters]
        chart = kit.bar_chart(bars, missing="no calls reported")
        flow.append(KeepTogether([ink.own(title, "h2"), chart]))
        flow.append(Spacer(1, 6))
    head = [
        "Quarter ending",
        "CIT calls",
        "Resolved on scene",
        "To treatment",
        "Arrested",
        "Report on time",
    ]
    cells = [
        [
            q.quarter_end.isoformat(),
            calls_words(q.cit_calls),
            share_words(q.resolved),
            share_words(q.treatment),
            share_words(q.arrested),
            on_time_words(q.on_time, q.report_sent),
        ]
        for q in a.quarters
    ]
    rows = [[ink.own(h, "th") for h in head], *([ink.own(c, "small") for c in r] for r in cells)]
    widths = [1.1 * INCH, 0.8 * INCH, 1.1 * INCH, 1.0 * INCH, 0.8 * INCH, 0.0]
    widths[-1] = WIDTH - sum(widths)
    flow.append(kit.table(rows, widths, whole_rows=True))
    return flow
