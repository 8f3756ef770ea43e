"""
The HTML reports: one self-contained, accessible file each, laid out with Jinja2 templates.

These documents share one house style and one set of template macros (``templates/``):

- `render`: an audit's report, the same facts as the PDF in the same order (cover and decision,
  summary with key figures and the domain chart, every requirement by domain, the gap report,
  the remediation plan, and the appendix); an assessment of a review adds the review's sections
  (`citcert.export.review`: strengths before the requirements, the comments, corrections and,
  in the panel's view only, the panel's own sections after the gaps), its draft or final banner
  at the top and the foot, and a DRAFT watermark on a draft; the decision's dates, what a
  citcert decision is not, and any exceptions are where the PDF has them;
- `render_comparison`: what changed between two audits (``citcert compare --format html``);
- `render_dashboard`: the state's roll-up of a batch run (``summary.html``), with relative links
  to each program's own HTML report, so the folder can be zipped and sent;
- `render_progress`: a remediation tracker's progress (``citcert progress --format html``);
- `render_agreement`: the raters' agreement (``citcert review reconcile --format html``).

Each file holds its styles and charts inline (SVG with a text alternative, and the same numbers
in a table), needs no script and reaches for nothing on a network. Headings are in order, tables
have header cells and captions, and every decision and rating is said in words, never by colour
alone (WCAG 2.1 AA). Text from a workbook is data: the template environment (`_env`) escapes
every value it prints (autoescape), drops characters no output can hold, and isolates
right-to-left overrides so they cannot reorder what follows them. No template builds a link or
an attribute from typed text. Jinja2 is imported only when a report is rendered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from citcert.audit.explanation import standing
from citcert.export.html import _charts
from citcert.export.review import banner, review_sections, strengths
from citcert.export.since import since_sections
from citcert.export.validity import EXCEPTION_HEADER, date_rows, exception_rows, with_without_rows

if TYPE_CHECKING:
    from collections.abc import Sequence

    from citcert.audit.assessment import Assessment
    from citcert.audit.compare import Comparison
    from citcert.audit.progress import Progress
    from citcert.audit.rollup import Rollup
    from citcert.export.review import Agreement


def render(assessment: Assessment) -> bytes:
    """The audit report as one HTML file (UTF-8); identical assessments give identical bytes."""
    from citcert.export.html._env import render_template

    a = assessment
    chart = _charts.domain_chart(a.domains)
    quarters = _charts.quarter_charts(a.quarters)
    facts = a.review
    return render_template(
        "report.html.j2",
        a=a,
        evidence={r.requirement_id: r for r in a.results},
        chart=chart,
        quarter_charts=quarters,
        banner=banner(facts),
        draft=facts is not None and not facts.final,
        strengths=[s for s in (strengths(facts),) if s is not None],
        review_sections=review_sections(facts),
        since=since_sections(a),
        dates=date_rows(a),
        standing=standing(a.provenance.standard_ref),
        with_without=with_without_rows(a),
        exception_head=EXCEPTION_HEADER,
        exception_rows=exception_rows(a),
    )


def render_comparison(comparison: Comparison) -> bytes:
    """What changed between two audits, as one HTML file (UTF-8)."""
    from citcert.export.html._env import render_template

    chart = _charts.comparison_chart(comparison)
    return render_template("comparison.html.j2", c=comparison, chart=chart)


def render_dashboard(rollup: Rollup) -> bytes:
    """The state dashboard of a batch run, ``summary.html`` (UTF-8)."""
    from citcert.export.html import _dashboard
    from citcert.export.html._env import render_template
    from citcert.export.rollup.sections import rollup_sections

    view = _dashboard.view(rollup)
    sections = rollup_sections(rollup)
    return render_template("dashboard.html.j2", r=rollup, v=view, sections=sections)


def render_progress(progress: Progress, states: Sequence[str]) -> bytes:
    """
    A tracker's progress as one HTML file (UTF-8); `states` are the steps' statuses in words,
    in the order of ``progress.steps`` (the words the terminal and Markdown show).
    """
    from citcert.export.html._env import render_template

    rows = list(zip(progress.steps, states, strict=True))
    return render_template("progress.html.j2", p=progress, rows=rows)


def render_agreement(report: Agreement) -> bytes:
    """The raters' agreement and every disagreement, as one HTML file (UTF-8)."""
    from citcert.export.html._env import render_template
    from citcert.export.review import PANEL_ONLY

    return render_template("agreement.html.j2", r=report, f=report.figures, panel_only=PANEL_ONLY)


__all__ = ["render", "render_agreement", "render_comparison", "render_dashboard", "render_progress"]
