"""
The audit gap report: `Assessment` -> PDF bytes, with reportlab.

The document a reviewer sends to an applicant: a cover with the decision, a plain-language
summary with a chart of the domain scores (`pdf_summary`), every requirement, the gaps most
severe first and the remediation plan (`pdf_tables`), and an appendix on scoring, tailoring and
provenance (`pdf_appendix`). It only lays out the assessment: every number and sentence is a
field of it. Workbook text goes through `_pdfkit.Ink` (cleaned, escaped, drawn in the bundled
DejaVu Sans; characters the font lacks appear as U+FFFD and the appendix says so). reportlab is
imported inside the functions, and its invariant mode makes the same assessment give the same
bytes.
"""

from __future__ import annotations

import io

from citcert.audit.assessment import Assessment
from citcert.export import _pdfkit as kit
from citcert.export import pdf_appendix, pdf_summary, pdf_tables
from citcert.export._pdfkit import Ink
from citcert.export._pdfpage import numbered_canvas
from citcert.export._text import clean


def render(assessment: Assessment) -> bytes:
    """The whole gap report as PDF bytes; identical assessments give identical bytes."""
    from reportlab.platypus import SimpleDocTemplate

    a = assessment
    ink = Ink(kit.font_coverage())
    header = ink.line(f"{a.profile.program_name} · {a.provenance.standard_ref}")
    footer = f"CIT program audit report (citcert) · as of {a.provenance.as_of.isoformat()}"
    story = [
        *pdf_summary.cover(a, ink),
        *pdf_summary.summary(a, ink),
        *pdf_tables.requirements(a, ink),
        *pdf_tables.gap_report(a, ink),
        *pdf_tables.plan(a, ink),
        *pdf_appendix.appendix(a, ink),
    ]
    margin = kit.MARGIN - kit.FRAME_PADDING
    out = io.BytesIO()
    doc = SimpleDocTemplate(
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
    doc.build(story, canvasmaker=numbered_canvas(header, footer, a.provenance.as_of))
    return out.getvalue()
