"""
The terminal summary: the decision in plain words, a score bar per domain, the core gaps and
the first remediation steps, for a person at a console.

Colour comes from `click.style` (the decision in its level's own colour from the standard);
`click.echo` drops it when the output is not a terminal. Control characters in workbook text
are removed, so a cell cannot move the cursor or recolour the console. The CLI adds the line
saying where the report files went.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

import click

from citcert.export.validity import dates_line, exception_rows
from citcert.export.wording import percent
from citcert.workbook.evidence import Mode

if TYPE_CHECKING:
    from citcert.audit.assessment import Assessment, DomainScore

BAR_WIDTH = 20
TOP_STEPS = 3
_NAME_WIDTH = 28


def render(assessment: Assessment) -> bytes:
    """The short console summary of an assessment (UTF-8, with ANSI colour codes)."""
    sections = [_header(assessment), _decision(assessment), _bars(assessment)]
    sections += [_core_gaps(assessment), _steps(assessment)]
    return ("\n\n".join(s for s in sections if s) + "\n").encode("utf-8")


def clean(text: str) -> str:
    """Workbook text without control characters (escape sequences, bells, line breaks)."""
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text).strip()


def _header(a: Assessment) -> str:
    p, prov = a.profile, a.provenance
    place = ", ".join(x for x in (clean(p.jurisdiction), clean(p.state)) if x)
    title = click.style(clean(p.program_name), bold=True) + (f" — {place}" if place else "")
    how = "review" if prov.mode is Mode.REVIEW else "self-assessment"
    about = f"{prov.standard_title} ({prov.standard_ref}) · {how} · as of {prov.as_of.isoformat()}"
    return f"{title}\n{click.style(clean(about), dim=True)}"


def _decision(a: Assessment) -> str:
    d = a.decision
    colour = _rgb(d.colour)
    label = click.style(f" {d.label.upper()} ", fg="white", bg=colour, bold=True)
    dates = click.style(clean(dates_line(a)), bold=True)
    text = f"{label}\n{click.style(clean(d.sentence), fg=colour)}\n{dates}"
    if a.exceptions is not None:
        text += "\n" + click.style(clean(a.exceptions.sentence), bold=True)
        for row in exception_rows(a):
            text += f"\n  ⚑ {clean(row[0])}: {row[5]} until {row[4]} (approved by {clean(row[2])})"
    return text


def _bars(a: Assessment) -> str:
    width = min(_NAME_WIDTH, max([len("Overall"), *(len(d.title) for d in a.domains)]))
    lines = [_bar("Overall", a.overall_score, None, width, bold=True)]
    lines += [_domain_bar(d, width) for d in a.domains]
    return "\n".join(lines)


def _domain_bar(d: DomainScore, width: int) -> str:
    return _bar(clean(d.title), d.score, d.threshold, width)


def _bar(
    name: str, score: float | None, minimum: float | None, width: int, bold: bool = False
) -> str:
    shown = name if len(name) <= width else name[: width - 1] + "…"
    head = click.style(shown.ljust(width), bold=True) if bold else shown.ljust(width)
    if score is None:
        return f"  {head}   n/a  (nothing applicable)"
    filled = round(score * BAR_WIDTH / 100)
    below = minimum is not None and score < minimum
    bar = click.style("█" * filled, fg="yellow" if below else "green") + "░" * (BAR_WIDTH - filled)
    note = ""
    if minimum is not None and below:
        note = click.style(f"  below the {percent(minimum)} minimum", fg="yellow")
    return f"  {head}  {percent(score).rjust(6)}  {bar}{note}"


def _core_gaps(a: Assessment) -> str:
    core = [g for g in a.gaps if g.core]
    if not core:
        return "No core gaps." if a.gaps else "No gaps: every applicable requirement is met."
    lines = [click.style(f"Core gaps ({len(core)})", bold=True)]
    width = max(len(g.requirement_id) for g in core)
    for g in core:
        mark = click.style("✗", fg="red")
        name = f"{g.requirement_id:<{width}}  {clean(g.title)}"
        lines.append(f"  {mark} {name}: {clean(g.level_label)}")
    return "\n".join(lines)


def _steps(a: Assessment) -> str:
    steps = a.plan.steps
    if not steps:
        return ""
    shown = steps[:TOP_STEPS]
    head = (
        f"Next steps (first {len(shown)} of {len(steps)})"
        if len(steps) > len(shown)
        else "Next steps"
    )
    lines = [click.style(head, bold=True)]
    for s in shown:
        lines.append(f"  {s.order}. {s.requirement_id} {clean(s.title)}: {clean(s.actions[0])}")
        lines.append(
            f"     {clean(s.owner)}, by {s.target_date.isoformat()} ({s.effort.value} effort)"
        )
    lines.append(clean(a.plan.summary))
    return "\n".join(lines)


def _rgb(colour: str) -> tuple[int, int, int]:
    """``#1B7F3B`` → ``(27, 127, 59)``, for click's true-colour styling."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
