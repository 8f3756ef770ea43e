"""
Progress between two audits of one program: what changed from OLD to NEW, and how to show it.

`compare` is pure: two `Assessment`s (and, when they were made against different versions of a
standard, those standards) in, a `Comparison` out, holding every number and sentence a view
shows. `compare_files` is the edge the CLI calls: it reads two audit JSON reports or two
workbooks (audited on the fly against the standards they record). The three views (terminal
text, Markdown, JSON) only lay the `Comparison` out.

Decisions taken here, and why:

- **Requirements are matched through the newer standard.** When the audits used different
  versions, a requirement of the newer one is matched with the ids its ``replaces:`` list names,
  or with its own id when it has none and no other requirement carries that id forward (then
  it is a new requirement reusing an old id); the comparison says so and lists every change.
  Without the standards at hand ids are matched as they are, with a warning.
- **A gap is closed** when the requirement was a gap in OLD and is not in NEW; **opened** the
  other way round. A requirement new in the newer standard that is a gap counts as opened and
  says it is new; one dropped from the standard is listed, never counted as closed.
- **A plan step is completed** when it was a step of OLD's plan and its gap is closed in NEW.
- **Different programs** (names differ) are compared anyway, with a warning, because a program
  may have renamed itself.
"""

from __future__ import annotations

import datetime as dt
import json as jsonlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from pydantic import ValidationError

from citcert.audit.assessment import Assessment, PlanStep, RequirementResult
from citcert.errors import CitcertError, Location, StandardNotFoundError
from citcert.export import Format
from citcert.export._text import plural
from citcert.standards.model import Model, Standard

SCHEMA_VERSION: Literal["1.0"] = "1.0"
MAX_JSON_BYTES = 50 * 1024 * 1024
"""A larger file is not an audit report; refused before it is read."""


class ScoreChange(Model):
    """A score in OLD and in NEW (``None`` where there is none) and the change in points."""

    key: str
    """``overall`` or a domain id."""
    title: str
    old: float | None
    new: float | None
    change: float | None
    """NEW − OLD, one decimal; ``None`` unless both exist."""


class RequirementChange(Model):
    """One requirement whose gap or rating changed, named by its id in NEW's standard."""

    requirement_id: str
    old_ids: tuple[str, ...]
    """Its id(s) in OLD; the same id unless the standard changed."""
    title: str
    core: bool
    old_label: str
    """The rating in OLD, e.g. ``Partially met``; ``not in <standard>`` when it is new."""
    new_label: str


class CompletedStep(Model):
    """A step of OLD's remediation plan whose gap is closed in NEW."""

    order: int
    requirement_id: str
    title: str
    actions: tuple[str, ...]
    owner: str


class IdChange(Model):
    """Requirement ids that changed between the two standards."""

    old_ids: tuple[str, ...]
    new_ids: tuple[str, ...]


class Comparison(Model):
    """What changed between two audits of one program, OLD first, NEW second."""

    schema_version: Literal["1.0"] = SCHEMA_VERSION
    program: str
    """NEW's program name."""
    old_program: str
    old_date: dt.date
    new_date: dt.date
    old_standard: str
    new_standard: str
    standards_note: str
    """How requirements were matched when the standards differ; empty when they are the same."""
    id_changes: tuple[IdChange, ...]
    old_decision: str
    new_decision: str
    decision_change: Literal["up", "down", "same"]
    overall: ScoreChange
    domains: tuple[ScoreChange, ...]
    gaps_closed: tuple[RequirementChange, ...]
    gaps_opened: tuple[RequirementChange, ...]
    gaps_remaining: int
    ratings_changed: tuple[RequirementChange, ...]
    steps_completed: tuple[CompletedStep, ...]
    removed_requirements: tuple[str, ...]
    """OLD's requirement ids that the newer standard no longer has."""
    warnings: tuple[str, ...]
    headline: str


@dataclass(frozen=True, slots=True)
class _Pair:
    """Requirements of OLD and of NEW that are the same requirement (either side may be empty)."""

    old: tuple[str, ...]
    new: tuple[str, ...]


def compare(
    old: Assessment,
    new: Assessment,
    *,
    old_standard: Standard | None = None,
    new_standard: Standard | None = None,
) -> Comparison:
    """The changes from audit `old` to audit `new` (pure; see the module's decisions)."""
    pairs, note, warnings = _match(old, new, old_standard, new_standard)
    old_by, new_by = _by_id(old), _by_id(new)
    old_gaps = {g.requirement_id for g in old.gaps}
    new_gaps = {g.requirement_id for g in new.gaps}
    closed, opened, changed = [], [], []
    for pair in pairs:
        if not pair.new:
            continue
        change = _change(pair, old_by, new_by, old.provenance.standard_ref)
        was = any(i in old_gaps for i in pair.old)
        now = any(i in new_gaps for i in pair.new)
        closed += [change] if was and not now else []
        opened += [change] if now and not was else []
        changed += [change] if pair.old and change.old_label != change.new_label else []
    closed_old = _closed_in_old(pairs, old_gaps, new_gaps)
    decision = _direction(old, new)
    overall = ScoreChange(
        key="overall", title="Overall", old=old.overall_score, new=new.overall_score,
        change=round(new.overall_score - old.overall_score, 1),
    )  # fmt: skip
    steps = tuple(_step(s) for s in old.plan.steps if s.requirement_id in closed_old)
    return Comparison(
        program=new.profile.program_name,
        old_program=old.profile.program_name,
        old_date=old.provenance.as_of,
        new_date=new.provenance.as_of,
        old_standard=old.provenance.standard_ref,
        new_standard=new.provenance.standard_ref,
        standards_note=note,
        id_changes=tuple(IdChange(old_ids=p.old, new_ids=p.new) for p in pairs if _renamed(p)),
        old_decision=old.decision.label,
        new_decision=new.decision.label,
        decision_change=decision,
        overall=overall,
        domains=_domains(old, new),
        gaps_closed=tuple(closed),
        gaps_opened=tuple(opened),
        gaps_remaining=len(new_gaps),
        ratings_changed=tuple(changed),
        steps_completed=steps,
        removed_requirements=tuple(i for p in pairs if not p.new for i in p.old),
        warnings=(*_program_warnings(old, new), *warnings),
        headline=_headline(
            new.profile.program_name, old, new, overall, len(closed), len(opened), len(steps)
        ),
    )


def _closed_in_old(pairs: Sequence[_Pair], old_gaps: set[str], new_gaps: set[str]) -> set[str]:
    """
    OLD's gaps that are closed in NEW: every requirement they became is there and no gap.

    A requirement split in two is closed only when both halves are.
    """
    became: dict[str, list[str]] = {}
    for pair in pairs:
        for old_id in pair.old:
            became.setdefault(old_id, []).extend(pair.new)
    return {
        old_id
        for old_id, new_ids in became.items()
        if old_id in old_gaps and new_ids and not any(i in new_gaps for i in new_ids)
    }


def _by_id(assessment: Assessment) -> dict[str, RequirementResult]:
    return {r.requirement_id: r for r in assessment.results}


def _renamed(pair: _Pair) -> bool:
    return bool(pair.old and pair.new) and pair.old != pair.new


def _change(
    pair: _Pair,
    old_by: Mapping[str, RequirementResult],
    new_by: Mapping[str, RequirementResult],
    old_ref: str,
) -> RequirementChange:
    """The requirement of `pair` with its rating on each side."""
    first = new_by[pair.new[0]]
    old_label = "; ".join(old_by[i].level_label for i in pair.old) or f"not in {old_ref}"
    return RequirementChange(
        requirement_id=first.requirement_id if len(pair.new) == 1 else ", ".join(pair.new),
        old_ids=pair.old,
        title=first.title,
        core=any(new_by[i].core for i in pair.new),
        old_label=old_label,
        new_label="; ".join(new_by[i].level_label for i in pair.new),
    )


def _step(step: PlanStep) -> CompletedStep:
    return CompletedStep(
        order=step.order, requirement_id=step.requirement_id, title=step.title,
        actions=step.actions, owner=step.owner,
    )  # fmt: skip


def _direction(old: Assessment, new: Assessment) -> Literal["up", "down", "same"]:
    """Whether NEW's decision is better, worse or the same, by its rank among its levels."""
    old_rank = [lv.level_id for lv in old.decision.levels].index(old.decision.level_id)
    new_rank = [lv.level_id for lv in new.decision.levels].index(new.decision.level_id)
    if new_rank == old_rank:
        return "same"
    return "up" if new_rank < old_rank else "down"


def _domains(old: Assessment, new: Assessment) -> tuple[ScoreChange, ...]:
    """Every domain of NEW, then those only OLD has, with both scores."""
    olds = {d.domain_id: d for d in old.domains}
    news = {d.domain_id: d for d in new.domains}
    titles = {d.domain_id: d.title for d in (*old.domains, *new.domains)}
    changes = []
    for domain_id in [*news, *(i for i in olds if i not in news)]:
        before, after = olds.get(domain_id), news.get(domain_id)
        a = before.score if before else None
        b = after.score if after else None
        title = titles[domain_id]
        change = round(b - a, 1) if a is not None and b is not None else None
        changes.append(ScoreChange(key=domain_id, title=title, old=a, new=b, change=change))
    return tuple(changes)


def _program_warnings(old: Assessment, new: Assessment) -> list[str]:
    warnings = []
    if _plain(old.profile.program_name) != _plain(new.profile.program_name):
        warnings.append(
            f"These audits are of differently named programs ({old.profile.program_name!r} and "
            f"{new.profile.program_name!r}); check that you meant to compare them."
        )
    if old.provenance.as_of > new.provenance.as_of:
        warnings.append(
            f"OLD is dated {old.provenance.as_of}, after NEW ({new.provenance.as_of}); "
            "were the two swapped?"
        )
    return warnings


def _plain(name: str) -> str:
    return " ".join(name.casefold().split())


def _headline(
    name: str,
    old: Assessment,
    new: Assessment,
    overall: ScoreChange,
    closed: int,
    opened: int,
    steps: int,
) -> str:
    decision = (
        f"still {new.decision.label}"
        if old.decision.label == new.decision.label
        else f"{old.decision.label} → {new.decision.label}"
    )
    return (
        f"{name}, {old.provenance.as_of} → {new.provenance.as_of}: {decision}; overall "
        f"{_pct(overall.old)} → {_pct(overall.new)} ({_signed(overall.change)}); "
        f"{plural(closed, 'gap')} closed, {opened} opened; "
        f"{plural(steps, 'plan step')} completed."
    )


# ---------------------------------------------------------------------------------------------
# Matching requirements across standard versions


def _match(
    old: Assessment, new: Assessment, old_std: Standard | None, new_std: Standard | None
) -> tuple[list[_Pair], str, list[str]]:
    """Which requirements of OLD and NEW are the same, and how they were matched (in words)."""
    old_ids = [r.requirement_id for r in old.results]
    new_ids = [r.requirement_id for r in new.results]
    old_ref, new_ref = old.provenance.standard_ref, new.provenance.standard_ref
    if old_ref == new_ref:
        return _by_same_id(old_ids, new_ids), "", []
    newer = _newer(old_std, new_std)
    if newer is None:
        warning = (
            f"OLD was audited against {old_ref} and NEW against {new_ref}, and the standards "
            "could not be loaded to match renamed requirements; requirements were matched by id."
        )
        return _by_same_id(old_ids, new_ids), warning, [warning]
    replaces = {req.id: req.replaces for _, req in newer.requirements() if req.replaces}
    if newer.ref == new_ref:
        pairs = _through(replaces, newer_ids=new_ids, older_ids=old_ids)
    else:
        pairs = [
            _Pair(p.new, p.old) for p in _through(replaces, newer_ids=old_ids, older_ids=new_ids)
        ]
    renamed = sum(_renamed(p) for p in pairs)
    note = (
        f"OLD was audited against {old_ref} and NEW against {new_ref}; requirements were matched "
        f"through the `replaces` lists of {newer.ref} ({plural(renamed, 'renamed or merged id')})."
    )
    return pairs, note, []


def _by_same_id(old_ids: Sequence[str], new_ids: Sequence[str]) -> list[_Pair]:
    olds = set(old_ids)
    pairs = [_Pair((i,) if i in olds else (), (i,)) for i in new_ids]
    news = set(new_ids)
    return pairs + [_Pair((i,), ()) for i in old_ids if i not in news]


def _through(
    replaces: Mapping[str, tuple[str, ...]], *, newer_ids: Sequence[str], older_ids: Sequence[str]
) -> list[_Pair]:
    """Pairs as (older, newer): each newer requirement with the older ones it replaces."""
    olders = set(older_ids)
    claimed = {i for ids in replaces.values() for i in ids}
    pairs = []
    for newer_id in newer_ids:
        named = [i for i in replaces.get(newer_id, ()) if i in olders]
        # NOTE: an id kept without `replaces` is the same requirement only if no other
        # requirement carries that old id forward (else it is a new one reusing the id).
        same = [newer_id] if newer_id in olders and newer_id not in claimed else []
        pairs.append(_Pair(tuple(named or same), (newer_id,)))
    covered = {i for p in pairs for i in p.old}
    return pairs + [_Pair((i,), ()) for i in older_ids if i not in covered]


def _newer(a: Standard | None, b: Standard | None) -> Standard | None:
    """The newer of two standards: the one that supersedes the other, else the later one."""
    if a is None or b is None:
        return None
    if a.supersedes == b.ref:
        return a
    if b.supersedes == a.ref:
        return b
    return a if a.effective > b.effective else b


# ---------------------------------------------------------------------------------------------
# Reading the two sides (the edge: files in, assessments out)


def compare_files(
    old: Path, new: Path, *, standard_for: Callable[[str], Standard], today: dt.date
) -> Comparison:
    """
    Compare two audits given as files: audit JSON reports or evidence workbooks.

    A workbook is audited on the fly against the standard it records (`standard_for` resolves
    an ``id@version``); a JSON report's standard is looked up only when the two differ, and
    its absence is a warning, not an error.
    """
    (old_a, old_s), (new_a, new_s) = (
        load_audit(old, standard_for, today),
        load_audit(new, standard_for, today),
    )
    if old_a.provenance.standard_ref != new_a.provenance.standard_ref:
        old_s = old_s or _maybe(standard_for, old_a.provenance.standard_ref)
        new_s = new_s or _maybe(standard_for, new_a.provenance.standard_ref)
    return compare(old_a, new_a, old_standard=old_s, new_standard=new_s)


def _maybe(standard_for: Callable[[str], Standard], ref: str) -> Standard | None:
    try:
        return standard_for(ref)
    except StandardNotFoundError:
        return None


def load_audit(
    path: Path, standard_for: Callable[[str], Standard], today: dt.date
) -> tuple[Assessment, Standard | None]:
    """One side of a comparison: a JSON report as it is, or a workbook audited now."""
    if _is_json(path):
        return _read_report(path), None
    from citcert.audit.scoring import assess
    from citcert.audit.workbook import read_standard_ref, read_workbook

    standard = standard_for(read_standard_ref(path))
    return assess(standard, read_workbook(path, standard, today=today)), standard


def _is_json(path: Path) -> bool:
    if path.suffix.lower() == ".json":
        return True
    with open(path, "rb") as handle:
        return handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _read_report(path: Path) -> Assessment:
    """An audit JSON report, validated; a plain message when it is not one."""
    where = Location(file=path.name)
    if path.stat().st_size > MAX_JSON_BYTES:
        raise CitcertError.single("is too large to be an audit report made by citcert", where)
    try:
        return Assessment.model_validate_json(path.read_bytes())
    except ValidationError as error:
        raise CitcertError.single(_not_a_report(error), where) from None


def _not_a_report(error: ValidationError) -> str:
    first = error.errors()[0]
    if first["type"] == "json_invalid":
        return "is not valid JSON; give an audit report written by `citcert audit --format json`"
    if first["loc"][:1] == ("schema_version",):
        return (
            "was written by another version of citcert (its schema_version differs); "
            "audit the workbook again"
        )
    place = ".".join(str(p) for p in first["loc"]) or "the top level"
    return (
        f"is not an audit report written by `citcert audit --format json` (at {place}: "
        f"{first['msg'].lower()})"
    )


# ---------------------------------------------------------------------------------------------
# Views: terminal text, Markdown, JSON (they only lay the comparison out)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _signed(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:+.1f} points" if value else "no change"


@dataclass(frozen=True, slots=True)
class _Style:
    """How a view marks up headings and bullets, and escapes text that came from a workbook."""

    heading: Callable[[str], str]
    bullet: str
    escape: Callable[[str], str]
    md: bool


def _text_style() -> _Style:
    return _Style(lambda t: f"\n{t}", "  ", lambda t: t, md=False)


def _md_style() -> _Style:
    from citcert.export.markdown import escape

    return _Style(lambda t: f"\n## {t}\n", "- ", escape, md=True)


def _lines(c: Comparison, style: _Style) -> list[str]:
    """The comparison as lines in one style (every workbook text goes through its escape)."""
    e, h = style.escape, style.heading
    title = f"# {e(c.program)}: progress between two audits\n" if style.md else c.program
    out = [title, e(c.headline)]
    out += [f"{'> ' if style.md else ''}Warning: {e(w)}" for w in c.warnings]
    if c.standards_note and c.standards_note not in c.warnings:
        out.append(e(c.standards_note))
    out += [
        h("Decision"),
        e(f"{c.old_decision} → {c.new_decision} ({_DIRECTION[c.decision_change]})"),
    ]
    out += [h("Scores"), *_score_lines(c, style)]
    out += _section(style, "Gaps closed", [_req(r) for r in c.gaps_closed])
    out += _section(style, "Gaps opened", [_req(r) for r in c.gaps_opened])
    remain = "remains" if c.gaps_remaining == 1 else "remain"
    out.append(
        f"{'' if style.md else style.bullet}{plural(c.gaps_remaining, 'gap')} {remain} in NEW."
    )
    out += _section(style, "Ratings changed", [_req(r) for r in c.ratings_changed])
    out += _section(style, "Plan steps completed", [_done(s) for s in c.steps_completed])
    if c.id_changes:
        changes = [f"{', '.join(i.old_ids)} → {', '.join(i.new_ids)}" for i in c.id_changes]
        out += _section(style, "Requirement ids matched across versions", changes)
    if c.removed_requirements:
        out += _section(style, "No longer in the standard", list(c.removed_requirements))
    return out


_DIRECTION = {"up": "better", "down": "worse", "same": "unchanged"}


def _score_lines(c: Comparison, style: _Style) -> list[str]:
    rows = [c.overall, *c.domains]
    if style.md:
        table = ["| Score | OLD | NEW | Change |", "| --- | ---: | ---: | ---: |"]
        cells = [(style.escape(s.title), _pct(s.old), _pct(s.new), _signed(s.change)) for s in rows]
        return table + ["| " + " | ".join(row) + " |" for row in cells]
    width = max(len(s.title) for s in rows)
    return [
        f"  {s.title:<{width}}  {_pct(s.old):>6} → {_pct(s.new):>6}  ({_signed(s.change)})"
        for s in rows
    ]


def _section(style: _Style, title: str, items: list[str]) -> list[str]:
    lines = [f"{style.bullet}{style.escape(i)}" for i in items] or [f"{style.bullet}none"]
    end = [""] if style.md else []
    return [style.heading(f"{title} ({len(items)})"), *lines, *end]


def _req(r: RequirementChange) -> str:
    core = " (core)" if r.core else ""
    was = f" [was {', '.join(r.old_ids)}]" if r.old_ids and r.old_ids != (r.requirement_id,) else ""
    return f"{r.requirement_id}{was} {r.title}{core}: {r.old_label} → {r.new_label}"


def _done(s: CompletedStep) -> str:
    return f"step {s.order}, {s.requirement_id} {s.title}: {' '.join(s.actions)} ({s.owner})"


def render_terminal(comparison: Comparison) -> bytes:
    """The comparison as plain text for a terminal."""
    return ("\n".join(_lines(comparison, _text_style())) + "\n").encode("utf-8")


def render_markdown(comparison: Comparison) -> bytes:
    """The comparison as a Markdown document."""
    text = "\n".join(_lines(comparison, _md_style())).strip()
    return (re.sub(r"\n{3,}", "\n\n", text) + "\n").encode("utf-8")


def render_json(comparison: Comparison) -> bytes:
    """The comparison as canonical JSON (sorted keys), with its ``schema_version``."""
    text = jsonlib.dumps(
        comparison.model_dump(mode="json"), sort_keys=True, indent=2, ensure_ascii=False
    )
    return f"{text}\n".encode()


WRITERS: Mapping[Format, Callable[[Comparison], bytes]] = MappingProxyType(
    {Format.TERMINAL: render_terminal, Format.MARKDOWN: render_markdown, Format.JSON: render_json}
)
"""The formats a comparison can be shown in, with their writers."""
