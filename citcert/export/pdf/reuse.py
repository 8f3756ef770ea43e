"""
Paragraphs that reuse, across the reports one process renders, the work whose result cannot
differ: parsing a paragraph's markup, and breaking a plain paragraph into lines.

Most of a gap report's text is the standard's own (requirement titles, what the standard asks,
the evidence it expects, remediation, the scoring appendix), the same in every program's
report, and reportlab parses each paragraph's markup and measures its words afresh every time,
wrapping most paragraphs about three times. Both are pure functions of what they are keyed by:

- the parse, of the exact markup, the style object and the bullet text;
- the line breaks, of that parse and the exact widths asked for.

The styles are built once per process and never changed
(`citcert.export.pdf.kit.paragraph_styles`), so a style object stands for its settings. Only
what reportlab's own code produced is kept, and it is handed out as fresh copies (each fragment
and each list cloned), so nothing a report does to its paragraphs can reach another report.
Line breaks are kept across reports only for a paragraph of one fragment whose words are all
plain strings (no long word split, no hyphenation, no right-to-left reordering); any other
paragraph keeps its own last line breaks, for the same widths asked again (a table measures a
cell, then measures it again to draw it). Both stores are bounded in entries and in the length
of the text kept (least recently used entries go first), so a batch of a thousand programs
keeps the standard's text and forgets each program's own.
reportlab is imported inside the functions.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from functools import lru_cache
from typing import Any

PARSES = 6000
"""At most this many parsed paragraphs are kept (a report has about a thousand)."""
BREAKS = 6000
"""At most this many line breaks (paragraph and widths) are kept."""
KEPT_MARKUP = 2000
"""Only markup up to this many characters is kept, so both stores stay a few megabytes."""


class _Store:
    """A bounded map that forgets the least recently used entry first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable) -> Any:
        """The value kept under `key` (now the most recently used), or None."""
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        """Keep `value` under `key`, forgetting the oldest entry when full."""
        self._items[key] = value
        if len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (for tests)."""
        self._items.clear()


_PARSED = _Store(PARSES)
_BROKEN = _Store(BREAKS)


def forget() -> None:
    """Forget every parse and line break kept so far (tests use it to start afresh)."""
    _PARSED.clear()
    _BROKEN.clear()


def _keepable(text: Any) -> bool:
    """True for markup short enough to keep (a rare long text is parsed and broken afresh)."""
    return isinstance(text, str) and len(text) <= KEPT_MARKUP


def _fresh(frag: Any) -> Any:
    """A copy of a parsed fragment whose lists are its own."""
    copy = frag.clone()
    for name, value in vars(copy).items():
        if isinstance(value, list):
            setattr(copy, name, list(value))
    return copy


def _plain_words(lines: Any) -> bool:
    """True when `lines` is a plain list of (extra space, words) with every word a plain str."""
    return type(lines) is list and all(
        type(line) is tuple and all(type(word) is str for word in line[1]) for line in lines
    )


@lru_cache(maxsize=1)
def paragraph_class() -> type:
    """reportlab's `Paragraph`, remembering parses and plain line breaks (see the module)."""
    from reportlab.platypus import Paragraph

    class ReusedParagraph(Paragraph):  # type: ignore[misc]  # reportlab ships no type hints
        _key: Hashable = None

        def __init__(
            self, text: Any, style: Any = None, bulletText: Any = None, frags: Any = None, **kw: Any
        ) -> None:  # reportlab's names: its split makes the parts through this class
            if frags is not None or kw or style is None or not _keepable(text):
                super().__init__(text, style, bulletText, frags, **kw)
                return
            key = (text, style, bulletText)
            parsed = _PARSED.get(key)
            if parsed is None:
                parsed = Paragraph(text, style, bulletText)  # only ever copied from, never laid out
                _PARSED.put(key, parsed)
            fresh = [_fresh(frag) for frag in parsed.frags]
            bullet = parsed.bulletText
            super().__init__(parsed.text, parsed.style, bullet, fresh)
            self._key = key

        def breakLines(self, width: Any) -> Any:  # reportlab's name
            asked = tuple(width) if isinstance(width, list | tuple) else width
            own = self.__dict__.get("_last_break")
            if own is not None and own[0] == asked and own[1] is self.frags:
                return _reuse(self, own[2], width)
            key = (self._key, asked) if self._key is not None and len(self.frags) == 1 else None
            kept = None if key is None else _BROKEN.get(key)
            if kept is not None:
                return _reuse(self, kept, width)
            result = super().breakLines(width)
            if self._splitLongWordCount or self._hyphenations or type(result.lines) is not list:
                return result  # words split, hyphenated or reordered: never reused
            after = list(width) if isinstance(width, list) else None
            kept = (result, self._width_max, after)
            if key is not None and result.kind == 0 and _plain_words(result.lines):
                _BROKEN.put(key, (_copy(result), self._width_max, after))
            else:
                # NOTE: the same paragraph asked again for the same widths (a table measures
                # every cell, then measures it again to draw it) breaks the same way.
                self._last_break = (asked, self.frags, kept)
            return result

    return ReusedParagraph


def _reuse(paragraph: Any, kept: tuple[Any, float, list[float] | None], width: Any) -> Any:
    """What `breakLines` does, from a kept result: the same attributes set, fresh lines."""
    result, width_max, after = kept
    paragraph._width_max = width_max
    paragraph.height = 0
    paragraph._splitLongWordCount = paragraph._hyphenations = 0
    if after is not None:
        width[:] = after  # reportlab widens the first line for a bullet, in place
    return _copy(result)


def _copy(result: Any) -> Any:
    """A copy of broken lines whose line and word lists are its own (the words are shared)."""
    if result.kind == 0:
        return result.clone(lines=[(extra, list(words)) for extra, words in result.lines])
    return result.clone(lines=[line.clone(words=list(line.words)) for line in result.lines])
