"""
The Jinja2 environment of the HTML reports: autoescaping, safe text and the wording filters.

Every value a template prints passes `_finalize` first (characters no output can hold dropped,
bidirectional overrides closed within the value) and is then HTML-escaped by autoescape, so a
program name like ``<script>`` or ``&amp;`` shows exactly as typed and runs nothing. Templates
are package data (``templates/``) read through `importlib.resources`, so an installed wheel
finds them. Jinja2 is imported here only, when a report is rendered.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from citcert.export.wording import (
    DOMAIN_MINIMUM,
    beside_metric,
    calls_words,
    change_words,
    clean,
    level_standing,
    level_words,
    mode_words,
    on_time_words,
    overlay_effect,
    percent,
    plural,
    quarters_sentence,
    score_words,
    share_words,
    source_words,
    status_words,
    tailoring_summary,
)

if TYPE_CHECKING:
    from jinja2 import Environment

_EMBEDDINGS = {"\u202a", "\u202b", "\u202d", "\u202e"}
"""LRE, RLE, LRO, RLO: each opens an embedding or override that PDF (U+202C) closes."""
_POP_EMBEDDING = "\u202c"
_ISOLATES = {"\u2066", "\u2067", "\u2068"}
"""LRI, RLI, FSI: each opens an isolate that PDI (U+2069) closes."""
_POP_ISOLATE = "\u2069"
_BIDI_CONTROLS = frozenset({*_EMBEDDINGS, _POP_EMBEDDING, *_ISOLATES, _POP_ISOLATE})


def isolate_bidi(text: str) -> str:
    """
    `text` unchanged, or, when it holds bidirectional controls, wrapped in an isolate that
    closes every embedding, override and isolate it opens.

    A right-to-left override (U+202E) typed into a workbook would otherwise reverse everything
    after it up to the end of the paragraph, a report's own words included. The controls are
    kept (they are part of what was typed) but can only act inside their own value. A closing
    control with nothing to close is dropped: it could only close the wrapping isolate.
    """
    if not _BIDI_CONTROLS.intersection(text):
        return text
    stack: list[str] = []
    out: list[str] = []
    for char in text:
        if char in _EMBEDDINGS:
            stack.append(_POP_EMBEDDING)
        elif char in _ISOLATES:
            stack.append(_POP_ISOLATE)
        elif char == _POP_EMBEDDING:
            if not stack or stack[-1] != _POP_EMBEDDING:
                continue
            stack.pop()
        elif char == _POP_ISOLATE:
            if _POP_ISOLATE not in stack:
                continue
            while stack[-1] != _POP_ISOLATE:  # the embeddings it ends, closed explicitly
                out.append(stack.pop())
            stack.pop()
        out.append(char)
    return "\u2068" + "".join(out) + "".join(reversed(stack)) + _POP_ISOLATE


def _finalize(value: Any) -> Any:
    """What a template prints: typed text cleaned and bidi-isolated (autoescape follows)."""
    from markupsafe import Markup

    if isinstance(value, Markup) or not isinstance(value, str):
        return "" if value is None else value
    return isolate_bidi(clean(value))


def _score(value: float | None) -> str:
    """A score with one decimal, ``71.0%``; ``not applicable`` when there is none."""
    return "not applicable" if value is None else score_words(value)


def _level(value: float | None) -> str:
    """A threshold as people write it, ``80%``; ``—`` when there is none."""
    return "—" if value is None else percent(value)


def _colour(value: str) -> str:
    """`value` when it is a ``#RRGGBB`` colour (from the standard), else the house navy."""
    return value if re.fullmatch(r"#[0-9A-Fa-f]{6}", value) else "#1F3A5F"


def _lines(text: str) -> list[str]:
    """Typed text split at its line breaks, so a template can show each on its own line."""
    return clean(text).split("\n")


def _load(name: str) -> str:
    from importlib import resources

    return (resources.files("citcert.export.html") / "templates" / name).read_text("utf-8")


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one environment of the HTML reports (built once per process)."""
    from jinja2 import Environment, FunctionLoader, StrictUndefined

    env = Environment(
        loader=FunctionLoader(_load),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        score=_score,
        level=_level,
        percent=percent,
        plural=plural,
        lines=_lines,
        colour=_colour,
        mode_words=mode_words,
        beside_metric=beside_metric,
        source_words=source_words,
        status_words=status_words,
        level_words=level_words,
        change_words=change_words,
        score_words=score_words,
    )
    env.globals.update(
        calls_words=calls_words,
        level_standing=level_standing,
        quarters_sentence=quarters_sentence,
        share_words=share_words,
        on_time_words=on_time_words,
        tailoring_summary=tailoring_summary,
        overlay_effect=overlay_effect,
        domain_minimum=DOMAIN_MINIMUM,
    )
    return env


def render_template(name: str, **context: Any) -> bytes:
    """Template `name` rendered with `context`, as UTF-8 bytes."""
    return environment().get_template(name).render(**context).encode("utf-8")
