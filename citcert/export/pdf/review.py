"""
The review's pages of the PDF report: strengths (before the gaps), then the comments for the
program, corrected numbers and, in the panel's view only, the panel's own sections.

The sections come from `citcert.export.review`, shared with every other writer; this module
only lays them out in the house style.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from citcert.export.pdf import kit
from citcert.export.pdf.kit import WIDTH, Ink
from citcert.export.review import Section, review_sections, strengths
from citcert.export.since import since_sections

if TYPE_CHECKING:
    from citcert.audit.assessment import Assessment


def strengths_flow(a: Assessment, ink: Ink) -> list[Any]:
    """The Strengths section, or nothing."""
    section = strengths(a.review)
    return section_flow(section, ink) if section else []


def since_flow(a: Assessment, ink: Ink) -> list[Any]:
    """Progress since the last review (``audit --since``), or nothing."""
    return [f for section in since_sections(a) for f in section_flow(section, ink)]


def review_flow(a: Assessment, ink: Ink) -> list[Any]:
    """The review's sections after the gaps, or nothing when the assessment is not of a review."""
    flow = [f for section in review_sections(a.review) for f in section_flow(section, ink)]
    if not flow:
        return []
    from reportlab.platypus import PageBreak

    return [*flow, PageBreak()]


def section_flow(section: Section, ink: Ink) -> list[Any]:
    """A shared section in the house style: a heading, its sentences, then its table."""
    flow: list[Any] = [ink.own(ink.markup(section.title), "h1")]
    flow += [ink.para(line) for line in section.lines]
    if section.head:
        rows: list[list[Any]] = [[ink.own(ink.markup(h), "th") for h in section.head]]
        rows += [[ink.para(cell, "small") for cell in row] for row in section.rows]
        if section.weights:
            widths = [WIDTH * w / sum(section.weights) for w in section.weights]
        else:
            first = 0.8 * kit.INCH
            widths = [
                first,
                *([(WIDTH - first) / (len(section.head) - 1)] * (len(section.head) - 1)),
            ]
        flow.append(kit.table(rows, widths))
    return flow
