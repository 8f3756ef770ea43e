"""
The terminal summary: the decision in plain words, a score bar per domain, the core gaps and
the first remediation steps, for a person at a console.

Colour comes from `click.style` (the decision in its level's own colour from the standard);
`click.echo` drops it when the output is not a terminal. Every text that came from a file goes
through `clean`, one line with each character a terminal would obey shown as its code
(`citcert._text.one_line`), so a cell cannot move the cursor, recolour the console, make a
link or add a line that looks like citcert's. The CLI adds the line saying where the report
files went.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import click

from citcert._text import one_line
from citcert.audit.explanation import standing
from citcert.export.review import Section, banner, review_sections, strengths
from citcert.export.since import since_sections
from citcert.export.validity import dates_line, exception_rows
from citcert.export.wording import overlay_effect, overlay_line, percent

if TYPE_CHECKING:
    from citcert.audit.assessment import Assessment, DomainScore

BAR_WIDTH = 20
TOP_STEPS = 3
_MIN_NAME_WIDTH = 12
_NOTE_ROOM = 20
"""Columns kept free after a bar for most of its note (28 for names at 80 columns)."""
_GOOD, _BAD = "#1B7F3B", "#B3261E"


def render(assessment: Assessment, columns: int | None = None) -> bytes:
    """
    The short console summary of an assessment (UTF-8, with ANSI colour codes).

    Domain names use the width there is: `columns`, or the terminal's width (``COLUMNS``
    when set, 80 when there is no terminal).
    """
    width = columns or shutil.get_terminal_size((80, 24)).columns
    facts = assessment.review
    sections = [_banner(assessment), _header(assessment), _decision(assessment)]
    sections += [
        _bars(assessment, width),
        *(_section(_brief(s)) for s in since_sections(assessment)),
    ]
    sections += [_section(strengths(facts)), _core_gaps(assessment)]
    sections += [_section(s) for s in review_sections(facts)]
    sections += [_steps(assessment)]
    return ("\n\n".join(s for s in sections if s) + "\n").encode("utf-8")


def _banner(a: Assessment) -> str:
    line = banner(a.review)
    return click.style(clean(line), fg="yellow", bold=True) if line else ""


def _section(section: Section | None) -> str:
    """A review section as a bold title, its lines, and one line per table row."""
    if section is None:
        return ""
    lines = [click.style(clean(section.title), bold=True)]
    lines += [clean(line) for line in section.lines]
    lines += ["  " + " · ".join(clean(c) for c in row if c) for row in section.rows]
    return "\n".join(lines)


def _brief(section: Section) -> Section:
    """A ``--since`` section for the console: of the scores, only those that changed."""
    if section.key != "since":
        return section
    rows = tuple(r for i, r in enumerate(section.rows) if i == 0 or r[-1] != "unchanged")
    return Section(section.key, section.title, section.lines, section.head, rows)


def clean(text: str) -> str:
    """
    Text from a file as one terminal line that does nothing: line breaks and tabs as spaces,
    escapes, bells, carriage returns, C1 controls and bidirectional overrides as their codes.
    """
    return one_line(text).strip()


def _header(a: Assessment) -> str:
    p, prov = a.profile, a.provenance
    place = ", ".join(x for x in (clean(p.jurisdiction), clean(p.state)) if x)
    title = click.style(clean(p.program_name), bold=True) + (f" — {place}" if place else "")
    about = (
        f"{prov.standard_title} ({prov.standard_ref}) · {prov.mode.noun} · "
        f"as of {prov.as_of.isoformat()}"
    )
    return f"{title}\n{click.style(clean(about), dim=True)}"


def _decision(a: Assessment) -> str:
    d = a.decision
    colour = _rgb(d.colour)
    label = click.style(f" {clean(d.label).upper()} ", fg="white", bg=colour, bold=True)
    note = click.style(standing(a.provenance.standard_ref), dim=True)
    dates = click.style(clean(dates_line(a)), bold=True)
    text = f"{label}\n{click.style(clean(d.sentence), fg=colour)}\n{note}\n{dates}"
    if (effect := overlay_effect(a)) is not None:
        text += "\n" + click.style(clean(effect), bold=True)
    if (overlay := overlay_line(a.tailoring)) is not None:
        text += "\n" + click.style(clean(overlay), dim=True)
    if a.exceptions is not None:
        text += "\n" + click.style(clean(a.exceptions.sentence), bold=True)
        for row in exception_rows(a):
            state, until, by = clean(row[5]), clean(row[4]), clean(row[2])
            text += f"\n  ⚑ {clean(row[0])}: {state} until {until} (approved by {by})"
    return text


def _bars(a: Assessment, columns: int) -> str:
    room = max(_MIN_NAME_WIDTH, columns - (2 + 2 + 6 + 2 + BAR_WIDTH) - _NOTE_ROOM)
    width = min(room, max([len("Overall"), *(len(clean(d.title)) for d in a.domains)]))
    lines = [_bar("Overall", a.overall_score, None, width, bold=True, colour=a.decision.colour)]
    lines += [_domain_bar(d, width) for d in a.domains]
    return "\n".join(lines)


def _domain_bar(d: DomainScore, width: int) -> str:
    return _bar(clean(d.title), d.score, d.threshold, width)


def _bar(
    name: str,
    score: float | None,
    minimum: float | None,
    width: int,
    bold: bool = False,
    colour: str | None = None,
) -> str:
    """
    One score bar. A domain's bar is green when it reaches the standard's per-domain minimum
    and red below it (uncoloured when the standard sets none); the overall bar takes the
    colour of the decision reached.
    """
    shown = name if len(name) <= width else name[: width - 1] + "…"
    head = click.style(shown.ljust(width), bold=True) if bold else shown.ljust(width)
    if score is None:
        return f"  {head}   n/a  (nothing scored here)"
    filled = round(score * BAR_WIDTH / 100)
    below = minimum is not None and score < minimum
    if colour is None and minimum is not None:
        colour = _BAD if below else _GOOD
    cells = "█" * filled
    bar = (click.style(cells, fg=_rgb(colour)) if colour else cells) + "░" * (BAR_WIDTH - filled)
    note = ""
    if minimum is not None and below:
        note = click.style(f"  below the {percent(minimum)} minimum", fg=_rgb(_BAD))
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
