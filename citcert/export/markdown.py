"""
The Markdown report: the whole assessment for people who live in text (renders on GitHub).

Order: headline, decision and its reasons, scores, gaps, remediation plan, findings, every
requirement, tailoring, warnings, how it was scored, provenance. Text that comes from a workbook
or a standard is data: `escape` collapses its line breaks and backslash-escapes everything
Markdown would read as markup (emphasis, code spans, links, HTML, table pipes, a leading heading
or list marker), so a program name like ``*Metro* | [x](y)`` prints as written; an escaped
character renders as itself, with no backslash showing. Nor does a bare address become a link,
as GitHub would make it: the colon of ``https://`` (any ``scheme://``, ``mailto:``, ``xmpp:``)
and the dot of ``www.`` are escaped, and an empty HTML comment goes before the ``@`` of an
e-mail address (GitHub links ``bob\\@example.org`` despite the backslash; the comment shows
nothing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from citcert.export.review import Section, banner, review_sections, strengths
from citcert.export.since import since_sections
from citcert.export.validity import (
    EXCEPTION_HEADER,
    date_rows,
    exception_rows,
    with_without_rows,
)
from citcert.export.wording import (
    clean,
    level_standing,
    overlay_effect,
    percent,
    plural,
    points,
    tailoring_summary,
)

if TYPE_CHECKING:
    from citcert.audit.assessment import (
        Assessment,
        Finding,
        Gap,
        LevelResult,
        PlanStep,
        RequirementResult,
    )
    from citcert.standards.model import LevelId

_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_BLOCK_START = re.compile(r"^(#|>|[+\-=](?=\s|$)|\d+[.)](?=\s|$))")
_AUTOLINK = re.compile(
    r"(?i):(?=//)|(?:(?<=mailto)|(?<=xmpp)):|(?<=www)\.|(?<=[a-z0-9._+\-])@(?=([a-z0-9._\\-]*))"
)
"""What turns bare text into a link on GitHub (its "extended autolinks"): the colon after a
scheme, the dot after ``www`` and the ``@`` after an e-mail address's local part (with the
domain that follows it, to tell ``bob@example.org`` from ``mini-standard@1.0``)."""
_NO_LINK = "<!-- -->"
"""Splits an e-mail address for the Markdown reader without showing anything."""


def render(assessment: Assessment) -> bytes:
    """The assessment as a GitHub-flavoured Markdown document (UTF-8)."""
    facts = assessment.review
    sections = [
        _banner(assessment),
        _title(assessment),
        _decision(assessment),
        _exceptions(assessment),
        _scores(assessment),
        *(_review_section(s) for s in since_sections(assessment)),
        _review_section(strengths(facts)),
        _gaps(assessment),
        *(_review_section(s) for s in review_sections(facts)),
        _plan(assessment),
        _findings(assessment),
        _requirements(assessment),
        _tailoring(assessment),
        _warnings(assessment),
        _explanation(assessment),
        _provenance(assessment),
        _banner(assessment),
    ]
    return ("\n\n".join(s for s in sections if s) + "\n").encode("utf-8")


def _banner(a: Assessment) -> str:
    line = banner(a.review)
    return f"> **{escape(line)}**" if line else ""


def _review_section(section: Section | None) -> str:
    """A review section (strengths, comments, the panel's own) as a heading, lines, a table."""
    if section is None:
        return ""
    out = [f"## {escape(section.title)}"]
    out += [escape(line) for line in section.lines]
    if section.head:
        out.append(_table(list(section.head), ([escape(c) for c in r] for r in section.rows)))
    return "\n\n".join(out)


def escape(text: str) -> str:
    """
    Text from a workbook or standard, safe to put inline in Markdown (and in a table cell).

    Control characters go first: an escape sequence from a standard would otherwise run in the
    terminal of whoever reads the report with ``cat``. Then markup, then bare addresses, so that
    none becomes a link.
    """
    flat = " ".join(clean(text).split())
    flat = _INLINE.sub(r"\\\1", flat)
    flat = _AUTOLINK.sub(_unlinked, flat)
    return _BLOCK_START.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], flat)


def _unlinked(match: re.Match[str]) -> str:
    char = match.group()
    if char != "@":
        return "\\" + char
    return _NO_LINK + char if _mail_domain(match.group(1).replace("\\", "")) else char


def _mail_domain(text: str) -> bool:
    """
    True when `text` (what follows an ``@``) starts a domain GitHub would link as an e-mail
    address: dotted, and ending in a letter or a dot (cmark-gfm's rule), so ``1.0`` is none.
    """
    return "." in text.strip(".") and (text[-1:].isalpha() or text.endswith("."))


def _title(a: Assessment) -> str:
    p = a.profile
    place = ", ".join(x for x in (p.jurisdiction.strip(), p.state.strip()) if x)
    facts = [
        place,
        f"{a.provenance.standard_title} ({a.provenance.standard_ref})",
        a.provenance.mode.noun,
        f"as of {a.provenance.as_of.isoformat()}",
    ]
    line = " · ".join(escape(f) for f in facts if f)
    return f"# CIT program assessment: {escape(p.program_name)}\n\n{line}\n\n{escape(a.headline)}"


def _decision(a: Assessment) -> str:
    d = a.decision
    out = [f"## Decision: {escape(d.label)}", "", f"**{escape(d.sentence)}**", ""]
    if (effect := overlay_effect(a)) is not None:
        out += [f"**{escape(effect)}**", ""]
    out.append(escape(d.description))
    out += ["", _table(["Date", "When"], [[k, escape(v)] for k, v in date_rows(a)])]
    if d.reasons and d.next_level_label:
        out += ["", f"What stood between this and **{escape(d.next_level_label)}**:", ""]
        out += [f"- {escape(r)}" for r in d.reasons]
    rows = _level_rows(d.levels, d.level_id)
    out += ["", _table(["Level", "Standing", "Condition", "Result"], rows)]
    return "\n".join(out)


def _exceptions(a: Assessment) -> str:
    if a.exceptions is None:
        return ""
    out = ["## Exceptions", "", escape(a.exceptions.sentence), ""]
    out.append(_table(["Decision", "Result"], [[k, escape(v)] for k, v in with_without_rows(a)]))
    rows = [[escape(cell) for cell in row] for row in exception_rows(a)]
    out += ["", _table(list(EXCEPTION_HEADER), rows)]
    return "\n".join(out)


def _level_rows(levels: Sequence[LevelResult], decided: LevelId) -> Iterable[list[str]]:
    for level in levels:
        reached = level_standing(level, decided)
        if not level.conditions:
            yield [escape(level.label), reached, "no conditions", "applies"]
        for index, c in enumerate(level.conditions):
            label = escape(level.label) if index == 0 else ""
            mark = "✓" if c.passed else "✗"
            yield [
                label,
                reached if index == 0 else "",
                escape(c.condition),
                f"{mark} {escape(c.detail)}",
            ]


def _scores(a: Assessment) -> str:
    c = a.counts
    counts = (
        f"{c.requirements} requirements: {c.applicable} applicable, {c.met} met, "
        f"{c.partial} partially met, {c.not_met} not met, {c.not_applicable} not applicable, "
        f"{c.unanswered} unanswered; {plural(c.gaps, 'gap')} ({c.core_gaps} core); "
        f"{plural(c.findings, 'finding')}."
    )
    head = ["Domain", "Score", "Minimum", "Requirements", "Applicable", "Met", "Gaps", "Core gaps"]
    rows = [
        [
            f"{escape(d.title)} ({escape(d.domain_id)})",
            _pct(d.score),
            _pct(d.threshold),
            str(d.requirements),
            str(d.applicable),
            str(d.met),
            str(d.gaps),
            str(d.core_gaps),
        ]
        for d in a.domains
    ]
    overall = f"Overall score: **{percent(a.overall_score)}**"
    return f"## Scores\n\n{overall}\n\n{counts}\n\n{_table(head, rows)}"


def _gaps(a: Assessment) -> str:
    if not a.gaps:
        return "## Gaps\n\nNo gaps: every applicable requirement is met."
    head = ["#", "Requirement", "Core", "Severity", "Rating", "Found"]
    rows = [
        [
            str(i),
            f"{escape(g.requirement_id)} {escape(g.title)}",
            "core" if g.core else "",
            g.severity.value,
            escape(g.level_label),
            escape(g.found),
        ]
        for i, g in enumerate(a.gaps, start=1)
    ]
    results = {r.requirement_id: r for r in a.results}
    details = "\n\n".join(_gap_detail(g, results[g.requirement_id]) for g in a.gaps)
    return f"## Gaps ({len(a.gaps)})\n\n{_table(head, rows)}\n\n{details}"


def _gap_detail(g: Gap, result: RequirementResult) -> str:
    core = ", core" if g.core else ""
    out = [
        f"### {escape(g.requirement_id)} — {escape(g.title)}",
        "",
        f"- **Severity:** {g.severity.value}{core}",
        f"- **The standard asks:** {escape(g.asks)}",
        f"- **Found:** {escape(g.found)}",
    ]
    if result.evidence_summary.strip():
        out.append(f"- **Evidence given:** {escape(result.evidence_summary)}")
    if result.documents:
        out.append(f"- **Documents:** {'; '.join(escape(d) for d in result.documents)}")
    if g.evidence_missing:
        out.append(
            f"- **Evidence still to show:** {'; '.join(escape(e) for e in g.evidence_missing)}"
        )
    if g.reviewer_comment.strip():
        out.append(f"- **Reviewer's comment:** {escape(g.reviewer_comment)}")
    if g.findings:
        out.append("- **Findings:**")
        out += [f"  - {escape(f.message)}" for f in g.findings]
    return "\n".join(out)


def _plan(a: Assessment) -> str:
    plan = a.plan
    if not plan.steps:
        return f"## Remediation plan\n\n{escape(plan.summary)}"
    steps = "\n\n".join(_step(s) for s in plan.steps)
    return f"## Remediation plan\n\n{escape(plan.summary)}\n\n{steps}"


def _step(s: PlanStep) -> str:
    core = " (core)" if s.core else ""
    out = [
        f"### {s.order}. {escape(s.requirement_id)} — {escape(s.title)}{core}",
        "",
        f"- **Owner:** {escape(s.owner)} · **Effort:** {s.effort.value} · "
        f"**Target date:** {s.target_date.isoformat()} ({s.horizon_days} days)",
        "- **Actions:**",
        *(f"  {i}. {escape(action)}" for i, action in enumerate(s.actions, start=1)),
    ]
    if s.prerequisites:
        out.append(f"- **After:** {', '.join(escape(p) for p in s.prerequisites)}")
    out.append(f"- **Score gain:** {points(s.score_gain, signed=True)} overall")
    if s.lifts_decision_to:
        out.append(f"- **On its own lifts the decision to:** {escape(s.lifts_decision_to)}")
    out.append(f"- **Why here:** {escape(s.reason)}")
    return "\n".join(out)


def _findings(a: Assessment) -> str:
    found = [f for r in a.results for f in r.findings]
    if not found:
        return "## Findings\n\nNo findings."
    rows = [[escape(f.requirement_id), _kind(f), escape(f.message)] for f in found]
    table = _table(["Requirement", "Finding", "Detail"], rows)
    return f"## Findings ({len(found)})\n\n{table}"


def _requirements(a: Assessment) -> str:
    head = [
        "Requirement",
        "Domain",
        "Core",
        "Weight",
        "Rating",
        "Source",
        "Credit",
        "Measured",
        "Cell",
    ]
    rows = [_requirement_row(r) for r in a.results]
    return f"## All requirements\n\n{_table(head, rows)}"


def _requirement_row(r: RequirementResult) -> list[str]:
    measured = f"{escape(r.metric.display)} ({escape(r.metric.threshold)})" if r.metric else ""
    return [
        f"{escape(r.requirement_id)} {escape(r.title)}",
        escape(r.domain_id),
        "core" if r.core else "",
        f"{r.weight:g}",
        escape(r.level_label),
        r.source.value,
        percent(100 * r.credit) if r.applicable else "",
        measured,
        escape(r.cell or ""),
    ]


def _tailoring(a: Assessment) -> str:
    if not a.tailoring:
        return ""
    lines = [
        "## Tailoring",
        "",
        f"This standard is an overlay; it changes its base in {len(a.tailoring)} ways:",
        "",
    ]
    for change in a.tailoring:
        reason = f" (reason: {escape(change.reason)})" if change.reason else ""
        what = f"{escape(change.target)}: {escape(change.description)}"
        lines.append(f"- **{change.kind.value}** {what}{reason}")
    for line in tailoring_summary(a.tailoring):
        lines += ["", f"**{line}**"]
    return "\n".join(lines)


def _warnings(a: Assessment) -> str:
    if not a.warnings:
        return ""
    return "## Warnings\n\n" + "\n".join(f"- {escape(w)}" for w in a.warnings)


def _explanation(a: Assessment) -> str:
    return "## How this was scored\n\n" + "\n".join(
        f"- {escape(line)}" for line in a.scoring_explanation
    )


def _provenance(a: Assessment) -> str:
    p = a.provenance
    rows = [
        ["Tool", f"{p.tool} {escape(p.tool_version)}"],
        ["Standard", f"{escape(p.standard_title)} ({escape(p.standard_ref)})"],
        ["Standard SHA-256", f"`{p.standard_sha256}`"],
        ["Workbook", escape(p.workbook_name)],
        ["Workbook SHA-256", f"`{p.workbook_sha256}`"],
        ["Mode", p.mode.value],
        ["As of", p.as_of.isoformat()],
        ["Schema version", a.schema_version],
    ]
    return f"## Provenance\n\n{_table(['', ''], rows)}"


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = [_row(head), _row(["---"] * len(head))]
    lines += [_row(r) for r in rows]
    return "\n".join(lines)


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(c if c else " " for c in cells) + " |"


def _pct(value: float | None) -> str:
    return "—" if value is None else percent(value)


def _kind(finding: Finding) -> str:
    return finding.kind.value.replace("_", " ").capitalize()
