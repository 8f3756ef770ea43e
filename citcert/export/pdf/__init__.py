"""
The audit gap report: `Assessment` -> PDF bytes, with reportlab.

The document a reviewer sends to an applicant: a cover with the decision, a plain-language
summary with a chart of the domain scores (`summary`), every requirement, the gaps most
severe first and the remediation plan (`tables`), and an appendix on scoring, tailoring and
provenance (`appendix`). It only lays out the assessment: every number and sentence is a
field of it. Workbook text goes through `kit.Ink` (cleaned, escaped, drawn in the bundled
DejaVu Sans; characters the font lacks appear as U+FFFD and the appendix says so). reportlab is
imported inside the functions, and its invariant mode makes the same assessment give the same
bytes. The document says its language and title and has a bookmark per section (`outline`);
the accessible version of the report is the HTML one.
"""

from __future__ import annotations

import io

from citcert.audit.assessment import Assessment
from citcert.export.pdf import appendix, kit, quarters, review, summary, tables
from citcert.export.pdf.kit import Ink
from citcert.export.pdf.outline import outlined_template
from citcert.export.pdf.page import numbered_canvas
from citcert.export.review import banner_lines
from citcert.export.wording import clean


def render(assessment: Assessment) -> bytes:
    """The whole gap report as PDF bytes; identical assessments give identical bytes."""
    a = assessment
    ink = Ink(kit.font_coverage())
    header = ink.line(f"{a.profile.program_name} · {a.provenance.standard_ref}")
    footer = f"CIT program audit report (citcert) · as of {a.provenance.as_of.isoformat()}"
    story = [
        *summary.cover(a, ink),
        *summary.summary(a, ink),
        *review.since_flow(a, ink),
        *review.strengths_flow(a, ink),
        *tables.requirements(a, ink),
        *tables.gap_report(a, ink),
        *review.review_flow(a, ink),
        *tables.plan(a, ink),
        *quarters.quarters(a, ink),
        *appendix.appendix(a, ink),
    ]
    margin = kit.MARGIN - kit.FRAME_PADDING
    out = io.BytesIO()
    doc = outlined_template(
        out,
        pagesize=(kit.PAGE_W, kit.PAGE_H),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin + 10,
        bottomMargin=margin + 4,
        title=f"CIT program audit report: {clean(a.profile.program_name)}",
        subject=f"{a.provenance.standard_ref}: {a.decision.label}",
        author="citcert",
        creator=f"citcert {a.provenance.tool_version}",
        invariant=1,
    )
    facts = a.review
    canvas = numbered_canvas(
        header,
        footer,
        a.provenance.as_of,
        banner=tuple(ink.line(line) for line in banner_lines(facts)),
        draft=facts is not None and not facts.final,
    )
    doc.build(story, canvasmaker=canvas)
    return out.getvalue()
