"""
`citcert progress` reports: a tracker's progress as of a day, for the terminal, JSON or Markdown.

Only layout: every count and sentence is a field of `Progress`. Text from the tracker is data:
one line that does nothing to a terminal (`citcert.export.terminal.clean`), escaped for
Markdown.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from citcert.export.markdown import escape
from citcert.export.terminal import clean

if TYPE_CHECKING:
    from citcert.audit.progress import Progress, ProgressStep

_STATUS = {"done": "Done", "in_progress": "In progress", "not_started": "Not started"}


def _state(s: ProgressStep) -> str:
    text = _STATUS[s.status.value]
    if s.overdue:
        text += f", overdue {s.days_overdue} days"
    if s.completed_on:
        text += f", completed {s.completed_on.isoformat()}"
    return text


def render_terminal(p: Progress) -> bytes:
    lines = [
        f"{clean(p.program_name)} · {clean(p.standard_ref)} · plan of the audit as of "
        f"{p.audited_on.isoformat()}",
        clean(p.sentence),
        "",
    ]
    for s in p.steps:
        lines.append(f"  {s.order}. {clean(s.requirement_id)} {clean(s.title)}: {_state(s)}")
        lines.append(f"     target {s.target_date.isoformat()}" + (
            f" · {clean(s.notes)}" if s.notes else ""
        ))  # fmt: skip
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_json(p: Progress) -> bytes:
    return (json.dumps(p.model_dump(mode="json"), indent=2, sort_keys=True) + "\n").encode()


def render_markdown(p: Progress) -> bytes:
    out = [
        f"# Remediation progress: {escape(p.program_name)}",
        "",
        f"{escape(p.standard_ref)} · plan of the audit as of {p.audited_on.isoformat()} · "
        f"as of {p.as_of.isoformat()}",
        "",
        escape(p.sentence),
        "",
        "| Step | Requirement | Title | Target date | Status | Notes |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for s in p.steps:
        cells = [str(s.order), s.requirement_id, escape(s.title), s.target_date.isoformat(),
                 _state(s), escape(s.notes)]  # fmt: skip
        out.append("| " + " | ".join(c or " " for c in cells) + " |")
    return ("\n".join(out) + "\n").encode("utf-8")
