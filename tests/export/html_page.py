"""
An HTML page read back into elements, for the HTML reports' tests (the standard library's parser).

`Page` keeps every element with its attributes, its text (its own and its descendants') and
the tags it sits in, which is enough to check structure: headings, tables, links, ids, scripts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "rect", "line", "col", "source"})
"""Elements with no end tag in our pages (and the self-closed SVG shapes)."""


@dataclass
class Element:
    """One element: tag, attributes, the text inside it, and its ancestors' tags."""

    tag: str
    attrs: dict[str, str]
    ancestors: tuple[str, ...]
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The element's text, one space between runs of text and wherever there was space."""
        return " ".join(" ".join(self.parts).split())


class Page(HTMLParser):
    """The elements of an HTML document, in document order."""

    def __init__(self, source: bytes | str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(source.decode("utf-8") if isinstance(source, bytes) else source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, tuple(e.tag for e in self._open))
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(
            Element(tag, {k: v or "" for k, v in attrs}, tuple(e.tag for e in self._open))
        )

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self._open and self._open[-1].tag == tag, f"</{tag}> closes <{self._open[-1].tag}>"
        self._open.pop()

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.parts.append(data)

    def all(self, tag: str) -> list[Element]:
        """Every element with this tag, in document order."""
        return [e for e in self.elements if e.tag == tag]

    def by_id(self) -> dict[str, Element]:
        """The elements with an id, by id (ids are checked unique elsewhere)."""
        return {e.attrs["id"]: e for e in self.elements if "id" in e.attrs}

    def headings(self) -> list[tuple[int, str]]:
        """(level, text) of every heading, in order."""
        return [(int(e.tag[1]), e.text) for e in self.elements if e.tag in {"h1", "h2", "h3", "h4"}]
