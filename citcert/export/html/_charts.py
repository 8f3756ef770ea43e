"""
The charts of the HTML reports as plain data: bars with their labels, values and marks.

A chart is drawn by the ``chart`` macro as inline SVG, one labelled bar per row, with a title
and a description that say every number in words; the report shows the same numbers in a table
right after it. The geometry is computed here so that the templates only place what they get.
No text is cut: a long label is shortened with an ellipsis only inside the picture, and the
table and the description carry it whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from citcert.export.wording import (
    DOMAIN_MINIMUM,
    QUARTER_CHARTS,
    percent,
    plural,
    score_words,
    share_words,
)

if TYPE_CHECKING:
    from citcert.audit.assessment import DomainScore, QuarterOutcomes
    from citcert.audit.compare import Comparison

VIEW_WIDTH = 400
"""The chart's drawing width; it scales to the page, and fits a 360-pixel phone screen."""
_ROW = 46
_LABEL_Y = 14
_BAR_Y = 20
_BAR_H = 16
_LABEL_CHARS = 27
_GROUP_H = 16
"""The line above each bar's label that names its group, in a chart whose bars have one."""


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its value (none: no bar), an optional mark, and both in words."""

    label: str
    value: float | None
    words: str
    mark: float | None = None
    low: bool = False
    """True when the value misses its mark (drawn with a hatch as well as a colour)."""
    group: str = ""
    """What the bar belongs to, shown on a line above its label (a roll-up of more than one
    standard: the standard's id), so that the label keeps its room."""


@dataclass(frozen=True, slots=True)
class Chart:
    """A horizontal bar chart: `bars` on a scale from 0 to `maximum`."""

    slug: str
    title: str
    description: str
    bars: tuple[Bar, ...]
    maximum: float
    heading: str = ""
    """The heading the report puts above the chart, when it is not the title (the quarters')."""

    @property
    def _lead(self) -> int:
        return _GROUP_H if any(bar.group for bar in self.bars) else 0

    @property
    def height(self) -> int:
        """The drawing's height."""
        return max(1, len(self.bars)) * (_ROW + self._lead)

    def rows(self) -> list[dict[str, object]]:
        """Each bar placed: label, words, bar width, mark position, and its row's offsets."""
        placed: list[dict[str, object]] = []
        lead = self._lead
        for index, bar in enumerate(self.bars):
            top = index * (_ROW + lead) + lead
            label = bar.label
            if len(label) > _LABEL_CHARS:
                label = label[: _LABEL_CHARS - 1].rstrip() + "…"
            placed.append(
                {
                    "bar": bar,
                    "label": label,
                    "group_y": top - 2,
                    "label_y": top + _LABEL_Y,
                    "bar_y": top + _BAR_Y,
                    "bar_h": _BAR_H,
                    "width": self._x(bar.value or 0.0),
                    "mark": None if bar.mark is None else self._x(bar.mark),
                }
            )
        return placed

    def _x(self, value: float) -> str:
        share = 0.0 if self.maximum <= 0 else max(0.0, min(1.0, value / self.maximum))
        return f"{share * VIEW_WIDTH:.1f}"


def domain_chart(domains: Sequence[DomainScore]) -> Chart:
    """
    The score of each domain, marked with the standard's minimum score for a domain.

    The figure beside a bar is short (``50.0%, min. 60%``) so that it fits beside its label in
    the picture; the description says it in words, and whether the bar falls short.
    """
    bars = []
    spoken = []
    for d in domains:
        label = f"{d.domain_id} · {d.title}"
        score = "not applicable" if d.score is None else score_words(d.score)
        low = d.score is not None and d.threshold is not None and d.score < d.threshold
        words, said = score, score
        if d.threshold is not None and d.score is not None:
            words += f", min. {percent(d.threshold)}"
            said += f", {'below the minimum of' if low else 'minimum'} {percent(d.threshold)}"
        bars.append(Bar(label, d.score, words, d.threshold, low))
        spoken.append(f"{label}: {said}")
    description = "; ".join(spoken) + "."
    marked = any(d.threshold is not None for d in domains)
    title = "Score by domain" + (f", marked with {DOMAIN_MINIMUM}" if marked else "")
    return Chart("domain-chart", title, description, tuple(bars), 100.0)


def quarter_charts(quarters: Sequence[QuarterOutcomes]) -> tuple[Chart, ...]:
    """The outcome shares of every quarter, one chart per share, oldest quarter first."""
    charts = []
    for number, (title, key) in enumerate(QUARTER_CHARTS, start=1):
        bars = [
            Bar(q.quarter_end.isoformat(), getattr(q, key), share_words(getattr(q, key)))
            for q in quarters
        ]
        description = f"{title}: " + "; ".join(f"{b.label}: {b.words}" for b in bars) + "."
        caption = "Percent of each quarter's CIT calls"  # the section's heading names the share
        slug = f"quarter-chart-{number}"
        charts.append(Chart(slug, caption, description, tuple(bars), 100.0, heading=title))
    return tuple(charts)


def comparison_chart(c: Comparison) -> Chart:
    """The overall and domain scores of the newer audit, marked with the older audit's."""
    bars = []
    for s in (c.overall, *c.domains):
        words = f"{score_words(s.old)} then {score_words(s.new)}"
        low = s.old is not None and s.new is not None and s.new < s.old
        bars.append(Bar(s.title, s.new, words, s.old, low))
    description = "; ".join(f"{b.label}: {b.words}" for b in bars) + "."
    title = "Scores in the newer audit, marked with the older audit's score"
    return Chart("score-chart", title, description, tuple(bars), 100.0)


def count_chart(
    slug: str,
    title: str,
    items: Sequence[tuple[str, int]],
    noun: str,
    groups: Sequence[str] = (),
) -> Chart:
    """
    A chart of counts (programs per decision, programs with a gap), scaled to the largest;
    `groups`, when given, the group of each item (see `Bar.group`).
    """
    named = groups or [""] * len(items)
    bars = tuple(
        Bar(label, float(n), plural(n, noun), group=group)
        for (label, n), group in zip(items, named, strict=True)
    )
    return Chart(slug, title, described(bars), bars, float(max((n for _, n in items), default=0)))


def described(bars: Sequence[Bar]) -> str:
    """The chart in words for a screen reader: each bar, with its group, and what it shows."""
    if not bars:
        return "None."
    return "; ".join(f"{b.group + ': ' if b.group else ''}{b.label}: {b.words}" for b in bars) + "."
