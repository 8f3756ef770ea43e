"""
The PDF report's building blocks: fonts, house style, safe paragraphs, tables and the chart.

The gap report's sections (`summary`, `tables`, `appendix`) and the roll-up PDF are
composed from these; the page frame is `page`. Everything typed in a workbook goes through
`Ink`, which cleans it, replaces characters the bundled DejaVu Sans cannot draw (remembering
them, so the report can say so), and escapes it before it becomes paragraph markup. reportlab is
imported inside each function so that importing this module stays cheap.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

from citcert.export.wording import clean, pdf_escape, replace_unsupported

FONT = "CitcertSans"
FONT_BOLD = "CitcertSans-Bold"
_FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}

NAVY, INK, MUTED, RULE, ZEBRA, BAND = (
    "#1F3A5F",
    "#222222",
    "#5F6B7A",
    "#C9D1DB",
    "#F4F6F9",
    "#E4E9F0",
)
GOOD, AMBER, BAD = "#1B7F3B", "#A86B00", "#B3261E"
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")

INCH = 72.0
PAGE_W, PAGE_H = 8.5 * INCH, 11 * INCH
MARGIN = 0.75 * INCH
WIDTH = PAGE_W - 2 * MARGIN
"""The width of the text column; tables are laid out to exactly this width."""
FRAME_PADDING = 6.0
"""reportlab's default frame padding: the document margins are set this much smaller."""


@lru_cache(maxsize=1)
def font_coverage() -> frozenset[int]:
    """Register the bundled fonts once, and return the code points both of them can draw."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = resources.files("citcert.data") / "fonts"
    coverage: frozenset[int] | None = None
    for name, file_name in _FONT_FILES.items():
        with resources.as_file(folder / file_name) as path:
            font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        points = frozenset(font.face.charToGlyph)
        coverage = points if coverage is None else coverage & points
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )
    return coverage or frozenset()


def hex_colour(value: str) -> str:
    """`value` when it is a ``#RRGGBB`` colour, else the muted grey (safe in markup too)."""
    return value if _HEX.match(value) else MUTED


@lru_cache(maxsize=256)
def colour(value: str) -> Any:
    """
    A reportlab colour from ``#RRGGBB`` (grey when the text is not a colour), made once.

    reportlab parses a colour given as text on every change of colour (ending in
    `ast.literal_eval`); an object is used as it is, and draws the same bytes.
    """
    from reportlab.lib.colors import HexColor

    return HexColor(hex_colour(value))


@lru_cache(maxsize=1)
def paragraph_styles() -> dict[str, Any]:
    """
    The report's paragraph styles, all in the bundled font, built once per process.

    Never change one: `citcert.export.pdf.reuse` takes a style object to stand for its settings.
    Colours are colour objects (`colour`), not text reportlab would parse on every use.
    """
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=9.5,
        leading=13,
        textColor=colour(INK),
        spaceAfter=4,
        bulletFontName=FONT,
    )
    spec: dict[str, dict[str, Any]] = {
        "body": {},
        "bullet": {"leftIndent": 14, "bulletIndent": 3, "spaceAfter": 2},
        "step": {"leftIndent": 18, "bulletIndent": 0, "spaceAfter": 5},
        "small": {"fontSize": 8, "leading": 10.5, "spaceAfter": 0},
        "small_bullet": {"fontSize": 8, "leading": 10.5, "spaceAfter": 0, "leftIndent": 9},
        "small_bold": {"fontName": FONT_BOLD, "fontSize": 8, "leading": 10.5, "spaceAfter": 0},
        "th": {"fontName": FONT_BOLD, "fontSize": 8, "leading": 10.5, "textColor": "#FFFFFF"},
        "muted": {"fontSize": 8.5, "leading": 11.5, "textColor": MUTED},
        "h1": {"fontName": FONT_BOLD, "fontSize": 17, "leading": 21, "textColor": NAVY},
        "h2": {"fontName": FONT_BOLD, "fontSize": 12, "leading": 15, "textColor": NAVY},
        "kicker": {"fontName": FONT_BOLD, "fontSize": 10, "leading": 13, "textColor": MUTED},
        "title": {"fontName": FONT_BOLD, "fontSize": 26, "leading": 31, "textColor": NAVY},
        "subtitle": {"fontSize": 12, "leading": 16, "textColor": MUTED, "spaceAfter": 18},
        "decision": {"fontName": FONT_BOLD, "fontSize": 30, "leading": 36, "alignment": 1},
        "decision_note": {"fontSize": 10.5, "leading": 14, "alignment": 1},
        "figure": {"fontName": FONT_BOLD, "fontSize": 18, "leading": 22, "alignment": 1},
        "figure_label": {"fontSize": 8, "leading": 10, "textColor": MUTED, "alignment": 1},
    }
    spec["h1"] |= {"spaceBefore": 2, "spaceAfter": 10}
    spec["h2"] |= {"spaceBefore": 12, "spaceAfter": 5}
    spec["title"] |= {"spaceBefore": 6, "spaceAfter": 6}
    for name in ("decision", "decision_note"):
        spec[name]["textColor"] = "#FFFFFF"
    spec["figure"] |= {"textColor": NAVY, "spaceAfter": 0}
    for extra in spec.values():
        if "textColor" in extra:
            extra["textColor"] = colour(extra["textColor"])
    return {name: ParagraphStyle(name, parent=base, **extra) for name, extra in spec.items()}


KEPT_TEXT = 2000
"""Texts up to this many characters are kept from one report to the next (most of the
standard's are shorter); longer ones, rarer, are worked out each time, so memory stays small."""


def _show(value: str, coverage: frozenset[int]) -> tuple[str, frozenset[str], bool]:
    """
    `value` cleaned, with what `coverage` cannot draw replaced; what was replaced; whether any
    of it is right-to-left.
    """
    shown, missing = replace_unsupported(clean(value), coverage.__contains__)
    return shown, missing, any(unicodedata.bidirectional(c) in ("R", "AL") for c in shown)


_shown = lru_cache(maxsize=8192)(_show)
"""`_show`, kept per text: most text (the standard's) comes back in every report."""


@dataclass
class Ink:
    """Turns assessment text into safe paragraphs, remembering what the font could not show."""

    coverage: frozenset[int]
    styles: dict[str, Any] = field(default_factory=lambda: paragraph_styles())
    missing: set[str] = field(default_factory=set)
    right_to_left: bool = False

    def text(self, value: str) -> str:
        """Cleaned text with undrawable characters replaced (and remembered)."""
        shown, missing, right_to_left = (
            _shown(value, self.coverage) if len(value) <= KEPT_TEXT else _show(value, self.coverage)
        )
        self.missing |= missing
        self.right_to_left = self.right_to_left or right_to_left
        return shown

    def line(self, value: str) -> str:
        """Like `text`, on one line: for the running header and chart labels."""
        return " ".join(self.text(value).split())

    def markup(self, value: str) -> str:
        """Text escaped for paragraph markup, so that it shows exactly as typed."""
        return pdf_escape(self.text(value))

    def para(self, value: str, style: str = "body", label: str | None = None) -> Any:
        """A paragraph of typed text, optionally after a bold label (citcert's own wording)."""
        lead = f"<b>{label}</b> " if label else ""
        return self.own(lead + self.markup(value), style)

    def own(self, markup: str, style: str = "body", bullet: str | None = None) -> Any:
        """A paragraph of citcert's own markup (typed text inside it already escaped)."""
        from citcert.export.pdf.reuse import paragraph_class

        return paragraph_class()(markup, self.styles[style], bulletText=bullet)

    def bullets(self, items: Iterable[str], style: str = "bullet") -> list[Any]:
        """One bulleted paragraph per item of typed text."""
        return [self.own(self.markup(item), style, "•") for item in items]


def table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header: bool = True,
    repeat: int | None = None,
    extra: Sequence[tuple[Any, ...]] = (),
    whole_rows: bool = False,
    headings: Collection[int] = (),
) -> Any:
    """
    A table in the house style: navy header row (repeated on every page), zebra rows.

    Rows may split across pages, so that a 5,000-character cell never breaks the layout, but
    no page holds a single row of a longer table (`kept_table_class`), and no row of
    `headings` (a group's name, such as a domain's) ends a page. With `whole_rows`, rows of
    short cells never split.
    """
    from reportlab.platypus import TableStyle

    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colour(RULE)),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [colour("#FFFFFF"), colour(ZEBRA)]),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colour(NAVY)))
    repeat_rows = (1 if header else 0) if repeat is None else repeat
    # NOTE: splitting inside rows first (splitByRow=0) fills each page and moves the rest on;
    # splitting between rows first would repeat the header twice on one page.
    result = kept_table_class()(
        rows,
        colWidths=list(widths),
        repeatRows=repeat_rows,
        splitByRow=1 if whole_rows else 0,
        splitInRow=0 if whole_rows else 1,
        hAlign="LEFT",
    )
    result.setStyle(TableStyle([*style, *extra]))
    result.headings = frozenset(headings)
    return result


MIN_ROWS = 2
"""The fewest body rows of a table that a page may hold when the table goes on (or came)."""


@lru_cache(maxsize=1)
def kept_table_class() -> type:
    """
    reportlab's `Table`, split so that no page holds a lone body row: neither the first row
    alone at the foot of a page nor the last row alone (under the repeated header) on the next.

    A split that would leave `MIN_ROWS` - 1 rows at the foot moves the whole table on, unless it
    already starts a page (then a row too tall for one page may still split inside itself);
    one that would leave a single row for the next page ends the first part earlier.
    """
    from reportlab.platypus import Table

    class KeptTable(Table):  # type: ignore[misc]  # reportlab ships no type hints
        def split(self, availWidth: float, availHeight: float) -> list[Any]:  # reportlab's names
            parts: list[Any] = super().split(availWidth, availHeight)
            head = _repeated(self)
            body = len(self._cellvalues) - head
            if len(parts) != 2 or body < MIN_ROWS:
                _name_continued_row(self, parts, head)  # one row running over pages, too
                return parts
            first, rest = (len(part._cellvalues) for part in parts)
            shared = first + rest - head - len(self._cellvalues)  # 1: a row split inside itself
            if rest - head - shared < MIN_ROWS:  # the tail of a split row is not a row of its own
                parts = self._end_earlier(availWidth, head) or parts
            parts = _keep_headings(self, parts, availWidth, head)
            if len(parts[0]._cellvalues) - head < MIN_ROWS and not self._starts_page():
                return []
            _name_continued_row(self, parts, head)
            return parts

        def _end_earlier(self, availWidth: float, head: int) -> list[Any]:
            """Split between rows so that the last `MIN_ROWS` rows go on together."""
            end = len(self._cellvalues) - MIN_ROWS
            if end - head < MIN_ROWS:
                return []
            return self._split_before(availWidth, end)

        def _split_before(self, availWidth: float, end: int) -> list[Any]:
            """Split between rows, row `end` beginning the second part."""
            by_row: int = getattr(self, "splitByRow")  # noqa: B009  (reportlab has no hints)
            self.splitByRow = 1
            try:
                parts: list[Any] = super().split(availWidth, sum(self._rowHeights[:end]) + 0.01)
            finally:
                self.splitByRow = by_row
            return parts if len(parts) == 2 else []

        def _starts_page(self) -> bool:
            """True when nothing is above the table in its frame (the canvas knows the frame)."""
            doc = getattr(getattr(self, "canv", None), "_doctemplate", None)
            return bool(getattr(getattr(doc, "frame", None), "_atTop", True))

    return KeptTable


def _name_continued_row(table: Any, parts: list[Any], head: int) -> None:
    """
    When a row split inside itself, the part on the next page starts with the rest of it: its
    first cell, left empty by reportlab, repeats the row's first cell as it began (a
    requirement's id with its CORE mark, a file, a step's number) and, where the column is wide
    enough to say it on one line, "(continued)" under it, so that a reader of that page knows
    whose text goes on. The row's height is then worked out afresh for what it holds. The cell
    as it began is kept on the part (`continued_from`), so a row running over three pages or
    more repeats it each time, whatever reportlab made of the label on the way.
    """
    if len(parts) != 2:
        return
    first, rest = (len(part._cellvalues) for part in parts)
    if first + rest - head - len(table._cellvalues) != 1:
        return  # split between rows: every row is whole
    cells = parts[1]._cellvalues[head]
    if not cells or cells[0]:
        return  # reportlab left something there (an empty cell is "", (), [] or None)
    source = getattr(table, "continued_from", None)
    if source is None:
        original = table._cellvalues[first - 1][0]
        flows = list(original) if isinstance(original, (list, tuple)) else [original]
        paras = [f for f in flows if isinstance(getattr(f, "text", None), str)]
        text = original.strip() if isinstance(original, str) else ""
        source = paras or text.removesuffix(_CONTINUED)
    if not source:
        return  # a piece reportlab cut from a cell: nothing whole to repeat
    parts[1].continued_from = source
    wide = (parts[1]._argW[0] or 0) >= _CONTINUED_WIDTH
    if isinstance(source, str):
        cells[0] = source + (_CONTINUED if wide else "")
    else:
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph

        label: list[Any] = [Paragraph(p.text, p.style) for p in source]  # the same markup
        if wide:
            muted = ParagraphStyle("continued", parent=source[0].style, textColor=colour(MUTED))
            label.append(Paragraph("(continued)", muted))
        cells[0] = label  # a list, as reportlab's own split cells are
    parts[1]._argH[head] = None  # reportlab sizes the row again, label and all


_CONTINUED = "\n(continued)"
_CONTINUED_WIDTH = 0.8 * INCH
"""A first column narrower than this repeats its cell without the word "(continued)"."""


def _keep_headings(table: Any, parts: list[Any], availWidth: float, head: int) -> list[Any]:
    """
    The split `parts` of a `kept_table_class` table, so that no heading row (its `headings`)
    ends the first part; the second part's are numbered again, for it splits in its turn.
    """
    headings: frozenset[int] = getattr(table, "headings", frozenset())
    last = len(parts[0]._cellvalues) - 1
    if last in headings and last - head >= MIN_ROWS:
        parts = table._split_before(availWidth, last) or parts
    if len(parts) == 2 and headings:
        first, rest = (len(part._cellvalues) for part in parts)
        start = first - (first + rest - head - len(table._cellvalues))  # its first row's index
        parts[1].headings = frozenset(head + j - start for j in headings if j >= start)
    return parts


def _repeated(table: Any) -> int:
    """How many header rows a table repeats on each page."""
    rows = table.repeatRows
    return rows if isinstance(rows, int) else max(rows) + 1


class Bar(NamedTuple):
    """One bar of the chart: a label, a score (None: not applicable) and its threshold."""

    label: str
    score: float | None
    threshold: float | None


def bar_chart(bars: Sequence[Bar], missing: str = "not applicable") -> Any:
    """
    Horizontal bars on a 0–100 axis with each threshold marked as a dark tick.

    A bar short of its threshold is drawn red, others navy; a bar with no score says `missing`.
    Labels must already be clean.
    """
    from reportlab.graphics.shapes import Drawing, Line, Rect

    label_w, row_h, top = 1.9 * INCH, 22.0, 14.0
    bar_w = WIDTH - label_w - 0.55 * INCH
    height = top + row_h * len(bars) + 18
    drawing = Drawing(WIDTH, height)
    for tick in (0, 25, 50, 75, 100):
        x = label_w + bar_w * tick / 100
        drawing.add(Line(x, 14, x, height - top + 4, strokeColor=colour(RULE), strokeWidth=0.4))
        drawing.add(_string(x, 3, f"{tick}%", 7, MUTED, textAnchor="middle"))
    for index, bar in enumerate(bars):
        y = height - top - row_h * (index + 1) + 6
        drawing.add(_string(0, y + 3, fit(bar.label, label_w - 8), 8, INK))
        drawing.add(Rect(label_w, y, bar_w, 12, fillColor=colour(ZEBRA), strokeColor=None))
        if bar.score is None:
            drawing.add(_string(label_w + 4, y + 3, missing, 7.5, MUTED))
            continue
        short = bar.threshold is not None and bar.score < bar.threshold
        fill = colour(BAD if short else NAVY)
        drawing.add(Rect(label_w, y, bar_w * bar.score / 100, 12, fillColor=fill, strokeColor=None))
        drawing.add(_string(label_w + bar_w + 4, y + 3, f"{bar.score:.1f}%", 8, INK, bold=True))
        if bar.threshold is not None:
            x = label_w + bar_w * bar.threshold / 100
            drawing.add(Line(x, y - 3, x, y + 15, strokeColor=colour(INK), strokeWidth=1.6))
    return drawing


def _string(
    x: float, y: float, text: str, size: float, fill: str, *, bold: bool = False, **kw: Any
) -> Any:
    """A chart string in the bundled font."""
    from reportlab.graphics.shapes import String

    font = FONT_BOLD if bold else FONT
    return String(x, y, text, fontName=font, fontSize=size, fillColor=colour(fill), **kw)


def fit(text: str, width: float, size: float = 8) -> str:
    """`text` cut with an ellipsis so that it fits `width` points in the regular font."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, FONT, size) <= width:
        return text
    text = text[: int(width)]  # no glyph is narrower than a point, so this much is plenty
    while text and stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"
