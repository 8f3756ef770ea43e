"""
The review's sections, laid out once for every writer: titles, sentences and table rows.

Each writer (terminal, Markdown, PDF, XLSX and HTML) renders these `Section`s in its own style
from an audience view (`citcert.export.audience.view`), so the applicant's and the panel's
reports say the same things in every format. A section with nothing in it is left out; the
panel-only ones are empty in the applicant's view by construction.

A table's numbers and dates are `Value`s in its cells (`Section.cells`): the spreadsheets write
each as a number or date cell with a number format that shows it as the text does, never text
behind a formula guard (that guard is for text that came from a file); every other writer shows
their text (`Section.rows`).

`citcert review reconcile` prints the raters' agreement (`Agreement`) with one of
`AGREEMENT_WRITERS`: plain text for the terminal, or one accessible HTML page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from citcert._text import one_line
from citcert.audit.review_model import Audience
from citcert.export.wording import change_words, score_words

if TYPE_CHECKING:
    from citcert.audit.review_model import AgreementFigures, ReviewFacts


@dataclass(frozen=True, slots=True)
class Value:
    """
    A number or a date citcert worked out, in a section's table: a spreadsheet stores `value`
    with `number_format` (which shows it as `text` does); every other writer shows `text`.
    """

    value: int | float | dt.date
    number_format: str
    text: str


SheetCell = str | Value
"""One cell of a section's table as a spreadsheet holds it: text, or a `Value`."""

SIGNED = "+0;-0;0"
"""A whole number with its sign: +1, -2, 0."""
DATE = "yyyy-mm-dd"
"""A date as every report writes one (and as openpyxl formats a date cell)."""
_SCORE = '0.0"%"'
_POINTS = '+0.0" points";-0.0" points";"no change"'
_ONE_POINT = '+0.0" point";-0.0" point";"no change"'


def signed(value: int | None) -> SheetCell:
    """A difference of whole numbers, ``+1``, ``-2``, ``+0``; ``—`` for none."""
    return "—" if value is None else Value(value, SIGNED, f"{value:+d}")


def count(value: int) -> SheetCell:
    """A count or a step's number, as a plain whole number."""
    return Value(value, "General", str(value))


def score(value: float | None) -> SheetCell:
    """A score with one decimal, ``71.0%`` (`score_words`); ``—`` for none."""
    return score_words(value) if value is None else Value(value, _SCORE, score_words(value))


def change(value: float | None) -> SheetCell:
    """
    A change of score already rounded once to one decimal, ``+3.5 points``, ``no change``
    (`change_words`); ``n/a`` for none. The cell holds that rounded number.
    """
    text = change_words(value)
    if value is None:
        return text
    return Value(value, _ONE_POINT if abs(round(value, 1)) == 1 else _POINTS, text)


def date(value: dt.date | None, none: str = "—") -> SheetCell:
    """A date, ``2026-01-28``; the words `none` when there is none."""
    return none if value is None else Value(value, DATE, value.isoformat())


@dataclass(frozen=True, slots=True)
class Section:
    """One section: a title, sentences, and an optional table (header and rows)."""

    key: str
    title: str
    lines: tuple[str, ...] = ()
    head: tuple[str, ...] = ()
    cells: tuple[tuple[SheetCell, ...], ...] = field(default=())
    """The table's rows as a spreadsheet holds them: text, and each number or date a `Value`."""
    weights: tuple[float, ...] = ()
    """Relative column widths for writers that size columns; none: a narrow first one."""

    @property
    def rows(self) -> tuple[tuple[str, ...], ...]:
        """The rows as every other writer shows them: each `Value` as its text."""
        return tuple(tuple(c if isinstance(c, str) else c.text for c in row) for row in self.cells)


PANEL_ONLY = "PANEL ONLY, not for the program:"
"""What a panel report's banner opens with, so that no printed page of it is taken for the
applicant's report (it holds internal notes, each rater's rating and the agreement)."""


def banner(facts: ReviewFacts | None) -> str:
    """
    The line a review report carries on every page (a draft's, or the final's), opening with
    `PANEL_ONLY` in the panel's view; '' when the assessment is not of a review.
    """
    return " ".join(banner_lines(facts))


def banner_lines(facts: ReviewFacts | None) -> tuple[str, ...]:
    """
    `banner` in its parts: the panel's notice, then the status; () when not of a review (a
    printed sheet leaves a line of room for each).
    """
    if facts is None:
        return ()
    if facts.audience is Audience.PANEL:
        return (PANEL_ONLY, facts.status)
    return (facts.status,)


def strengths(facts: ReviewFacts | None) -> Section | None:
    """The strengths, their own section before the gaps."""
    if facts is None or not facts.strengths:
        return None
    return Section(
        "strengths",
        "Strengths",
        ("What the reviewers commend:",),
        ("ID", "Requirement", "Strength"),
        tuple((s.requirement_id, s.title, s.text) for s in facts.strengths),
    )


def review_sections(facts: ReviewFacts | None) -> list[Section]:
    """The review's sections after the gaps: comments, corrections, then the panel's own."""
    if facts is None:
        return []
    found = [_comments(facts), _corrections(facts), _notes(facts), _raters(facts)]
    found += [_agreement(facts.agreement), _calibration(facts)]
    return [s for s in found if s is not None]


def _comments(facts: ReviewFacts) -> Section | None:
    rows = tuple(
        (r.requirement_id, r.title, r.rating_label, r.comment)
        for r in facts.requirements
        if r.comment
    )
    if not rows:
        return None
    who = "the reviewers' consensus" if facts.kind == "consensus" else "the reviewer's"
    return Section(
        "comments",
        "Comments for the program",
        (f"Ratings are {who}.",),
        ("ID", "Requirement", "Rating", "Comment"),
        rows,
    )


def _corrections(facts: ReviewFacts) -> Section | None:
    if not facts.corrections:
        return None
    return Section(
        "corrections",
        "Program numbers corrected by the reviewers",
        tuple(c.sentence for c in facts.corrections),
    )


def _notes(facts: ReviewFacts) -> Section | None:
    rows = tuple((r.requirement_id, r.title, r.note) for r in facts.requirements if r.note)
    if not rows:
        return None
    return Section(
        "notes",
        "Internal notes (panel only)",
        ("Not shown to the program.",),
        ("ID", "Requirement", "Note"),
        rows,
    )


def _raters(facts: ReviewFacts) -> Section | None:
    if not any(r.raters for r in facts.requirements):
        return None
    names = tuple(v.rater for v in facts.requirements[0].raters)
    rows = tuple(
        (r.requirement_id, r.self_label, *(v.label for v in r.raters), r.rating_label, r.reason)
        for r in facts.requirements
    )
    return Section(
        "raters",
        "Each rater's rating (panel only)",
        (),
        ("ID", "Program", *names, "Consensus", "Reason"),
        rows,
    )


def _agreement(figures: AgreementFigures | None) -> Section | None:
    if figures is None:
        return None
    rows = tuple(
        (
            d.requirement_id,
            "; ".join(
                f"{v.rater}: {v.label}" + (f" ({v.comment})" if v.comment else "")
                for v in d.ratings
            ),
            d.consensus_label,
            d.reason,
        )
        for d in figures.disagreements
    )
    return Section(
        "agreement",
        "Agreement between the raters (panel only)",
        (figures.sentence,),
        ("ID", "Ratings", "Consensus", "Reason") if rows else (),
        rows,
    )


def agreement_text(figures: AgreementFigures) -> str:
    """The agreement and every disagreement as plain text, for `citcert review reconcile`."""
    lines = [f"Raters: {', '.join(map(one_line, figures.raters))}", one_line(figures.sentence)]
    if not figures.disagreements:
        lines.append("The raters agree on every requirement.")
    else:
        lines.append(f"Disagreements ({len(figures.disagreements)}):")
    for d in figures.disagreements:
        lines.append(f"  {d.requirement_id} {one_line(d.title)}")
        for v in d.ratings:
            said = f": {one_line(v.comment)}" if v.comment else ""
            lines.append(f"    {one_line(v.rater)}: {one_line(v.label)}{said}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class Agreement:
    """What `citcert review reconcile` reports: whose submission, and the raters' agreement."""

    figures: AgreementFigures
    program_name: str
    submission_name: str
    standard_ref: str


def _agreement_terminal(report: Agreement) -> bytes:
    """
    The agreement as the terminal prints it, opening with `PANEL_ONLY` (each rater's rating and
    comment, as the HTML page and the panel's reports do), so that a pasted or printed copy is
    not taken for the program's.
    """
    about = f"the reviewers' agreement on {one_line(report.program_name)}"
    return f"{PANEL_ONLY} {about}\n{agreement_text(report.figures)}".encode()


def _agreement_html(report: Agreement) -> bytes:
    from citcert.export.html import render_agreement

    return render_agreement(report)


AGREEMENT_WRITERS: Mapping[str, Callable[[Agreement], bytes]] = MappingProxyType(
    {"terminal": _agreement_terminal, "html": _agreement_html}
)
"""The writer of each ``--format`` of `citcert review reconcile`."""


def _calibration(facts: ReviewFacts) -> Section | None:
    if not facts.calibration:
        return None
    lines = tuple(f"{d.title}: {d.sentence}" for d in facts.calibration)
    cells = tuple(
        (r.requirement_id, r.title, r.self_label, r.rating_label, signed(r.difference))
        for r in facts.requirements
    )
    return Section(
        "calibration",
        "Calibration: the program's self ratings against the review (panel only)",
        lines,
        ("ID", "Requirement", "Self rating", "Review rating", "Levels above (+) / below (-)"),
        cells,
    )
