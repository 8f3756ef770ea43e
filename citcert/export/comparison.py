"""
The views of a `Comparison` of two audits: terminal text, Markdown, JSON and HTML.

Each writer is a function `Comparison -> bytes` registered in `WRITERS`, like the report
writers of `citcert.export`; they only lay out what `citcert.audit.compare.compare` worked out
(STYLE §13). Text and Markdown share one line layout and differ in a `_Style`; every text that
came from a file (the two audits may be JSON files anyone could have written) goes through the
style's escape: Markdown's, or for the terminal one line that does nothing to a terminal
(`citcert._text.one_line`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from citcert._text import one_line
from citcert.audit.compare import Comparison, CompletedStep, RequirementChange
from citcert.export import Format
from citcert.export.json import dumps
from citcert.export.markdown import escape
from citcert.export.wording import change_words, plural, score_words


@dataclass(frozen=True, slots=True)
class _Style:
    """How a view marks up headings and bullets, and escapes text that came from a workbook."""

    heading: Callable[[str], str]
    bullet: str
    escape: Callable[[str], str]
    md: bool


def _text_style() -> _Style:
    return _Style(lambda t: f"\n{t}", "  ", one_line, md=False)


def _md_style() -> _Style:
    return _Style(lambda t: f"\n## {t}\n", "- ", escape, md=True)


def _lines(c: Comparison, style: _Style) -> list[str]:
    """The comparison as lines in one style (every workbook text goes through its escape)."""
    e, h = style.escape, style.heading
    title = f"# {e(c.program)}: progress between two audits\n" if style.md else e(c.program)
    out = [title, e(c.headline)]
    out += [f"{'> ' if style.md else ''}Warning: {e(w)}" for w in c.warnings]
    if c.standards_note and c.standards_note not in c.warnings:
        out.append(e(c.standards_note))
    out += [
        h("Decision"),
        e(f"{c.old_decision} → {c.new_decision} ({_DIRECTION[c.decision_change]})"),
    ]
    out += [h("Scores"), *_score_lines(c, style)]
    out += _section(style, "Gaps closed", [_req(r) for r in c.gaps_closed])
    out += _section(style, "Gaps opened", [_req(r) for r in c.gaps_opened])
    remain = "remains" if c.gaps_remaining == 1 else "remain"
    out.append(
        f"{'' if style.md else style.bullet}{plural(c.gaps_remaining, 'gap')} {remain} in NEW."
    )
    out += _section(style, "Ratings changed", [_req(r) for r in c.ratings_changed])
    out += _section(style, "Plan steps completed", [_done(s) for s in c.steps_completed])
    if c.id_changes:
        changes = [f"{', '.join(i.old_ids)} → {', '.join(i.new_ids)}" for i in c.id_changes]
        out += _section(style, "Requirement ids matched across versions", changes)
    if c.removed_requirements:
        out += _section(style, "No longer in the standard", list(c.removed_requirements))
    return out


_DIRECTION = {"up": "better", "down": "worse", "same": "unchanged"}


def _score_lines(c: Comparison, style: _Style) -> list[str]:
    rows = [c.overall, *c.domains]
    if style.md:
        table = ["| Score | OLD | NEW | Change |", "| --- | ---: | ---: | ---: |"]
        cells = [
            (style.escape(s.title), score_words(s.old), score_words(s.new), change_words(s.change))
            for s in rows
        ]
        return table + ["| " + " | ".join(row) + " |" for row in cells]
    titles = [style.escape(s.title) for s in rows]
    width = max(map(len, titles))
    return [
        f"  {title:<{width}}  {score_words(s.old):>6} → {score_words(s.new):>6}"
        f"  ({change_words(s.change)})"
        for title, s in zip(titles, rows, strict=True)
    ]


def _section(style: _Style, title: str, items: list[str]) -> list[str]:
    lines = [f"{style.bullet}{style.escape(i)}" for i in items] or [f"{style.bullet}none"]
    end = [""] if style.md else []
    return [style.heading(f"{title} ({len(items)})"), *lines, *end]


def _req(r: RequirementChange) -> str:
    core = " (core)" if r.core else ""
    was = f" [was {', '.join(r.old_ids)}]" if r.old_ids and r.old_ids != (r.requirement_id,) else ""
    return f"{r.requirement_id}{was} {r.title}{core}: {r.old_label} → {r.new_label}"


def _done(s: CompletedStep) -> str:
    return f"step {s.order}, {s.requirement_id} {s.title}: {' '.join(s.actions)} ({s.owner})"


def render_terminal(comparison: Comparison) -> bytes:
    """The comparison as plain text for a terminal."""
    return ("\n".join(_lines(comparison, _text_style())) + "\n").encode("utf-8")


def render_markdown(comparison: Comparison) -> bytes:
    """The comparison as a Markdown document."""
    text = "\n".join(_lines(comparison, _md_style())).strip()
    return (re.sub(r"\n{3,}", "\n\n", text) + "\n").encode("utf-8")


def render_json(comparison: Comparison) -> bytes:
    """The comparison as canonical JSON (sorted keys), with its ``schema_version``."""
    return dumps(comparison.model_dump(mode="json"))


def render_html(comparison: Comparison) -> bytes:
    """The comparison as one accessible HTML file (`citcert.export.html`)."""
    from citcert.export.html import render_comparison

    return render_comparison(comparison)


WRITERS: Mapping[Format, Callable[[Comparison], bytes]] = MappingProxyType(
    {
        Format.TERMINAL: render_terminal,
        Format.MARKDOWN: render_markdown,
        Format.JSON: render_json,
        Format.HTML: render_html,
    }
)
"""The formats a comparison can be shown in, with their writers."""
