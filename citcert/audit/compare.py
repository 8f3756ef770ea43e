"""
Progress between two audits of one program: what changed from OLD to NEW.

`compare` is pure: two `Assessment`s (and, when they were made against different versions of a
standard, those standards) in, a `Comparison` out, holding every number and sentence a view
shows. `citcert.app.compare` is the edge the CLI calls: it reads two audit JSON reports or two
workbooks. The three views (terminal text, Markdown, JSON) are in
`citcert.export.comparison` and only lay the `Comparison` out.

Decisions taken here, and why:

- **Requirements are matched through the newer standard** (`citcert.audit.matching`). When the
  audits used different versions, a requirement of the newer one is matched with the ids its
  ``replaces:`` list names, or with its own id when it has none and no other requirement
  carries that id forward (then it is a new requirement reusing an old id); the comparison says
  so and lists every change. Without the standards at hand ids are matched as they are, with a
  warning.
- **A gap is closed** when the requirement was a gap in OLD and is not in NEW; **opened** the
  other way round. A requirement new in the newer standard that is a gap counts as opened and
  says it is new; one dropped from the standard is listed, never counted as closed.
- **A plan step is completed** when it was a step of OLD's plan and its gap is closed in NEW.
- **Different programs** (names differ) are compared anyway, with a warning, because a program
  may have renamed itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from citcert._words import change_words, plain_name, plural, score_words
from citcert.audit.assessment import Assessment, PlanStep, RequirementResult
from citcert.audit.compare_model import (
    Comparison,
    CompletedStep,
    IdChange,
    RequirementChange,
    ScoreChange,
)
from citcert.audit.matching import Pair, is_renamed, match_requirements
from citcert.standards.model import RequirementId, Standard
from citcert.standards.succession import Line

__all__ = [
    "Comparison",
    "CompletedStep",
    "IdChange",
    "RequirementChange",
    "ScoreChange",
    "compare",
]


def compare(
    old: Assessment,
    new: Assessment,
    *,
    old_standard: Standard | None = None,
    new_standard: Standard | None = None,
    succession: Line | None = None,
) -> Comparison:
    """
    The changes from audit `old` to audit `new` (pure; see the module's decisions);
    `succession`, how one standard continues the other through standards between them.
    """
    pairs, note, warnings = match_requirements(old, new, old_standard, new_standard, succession)
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
        change=_change_of(_exact(old.exact_overall_score, old.overall_score),
                          _exact(new.exact_overall_score, new.overall_score)),
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
        id_changes=tuple(IdChange(old_ids=p.old, new_ids=p.new) for p in pairs if is_renamed(p)),
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


def _closed_in_old(
    pairs: Sequence[Pair], old_gaps: set[RequirementId], new_gaps: set[RequirementId]
) -> set[RequirementId]:
    """
    OLD's gaps that are closed in NEW: every requirement they became is there and no gap.

    A requirement split in two is closed only when both halves are.
    """
    became: dict[RequirementId, list[RequirementId]] = {}
    for pair in pairs:
        for old_id in pair.old:
            became.setdefault(old_id, []).extend(pair.new)
    return {
        old_id
        for old_id, new_ids in became.items()
        if old_id in old_gaps and new_ids and not any(i in new_gaps for i in new_ids)
    }


def _by_id(assessment: Assessment) -> dict[RequirementId, RequirementResult]:
    return {r.requirement_id: r for r in assessment.results}


def _change(
    pair: Pair,
    old_by: Mapping[RequirementId, RequirementResult],
    new_by: Mapping[RequirementId, RequirementResult],
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
        exact_a = _exact(before.exact_score, a) if before else None
        exact_b = _exact(after.exact_score, b) if after else None
        change = _change_of(exact_a, exact_b)
        changes.append(ScoreChange(key=domain_id, title=title, old=a, new=b, change=change))
    return tuple(changes)


def _exact(exact: float | None, rounded: float | None) -> float | None:
    """A score unrounded when the audit kept it (older audit files have only the rounded one)."""
    return exact if exact is not None and rounded is not None else rounded


def _change_of(old: float | None, new: float | None) -> float | None:
    """NEW − OLD on the unrounded scores, rounded once to one decimal; ``None`` unless both."""
    return round(new - old, 1) if old is not None and new is not None else None


def _program_warnings(old: Assessment, new: Assessment) -> list[str]:
    warnings = []
    if plain_name(old.profile.program_name) != plain_name(new.profile.program_name):
        warnings.append(
            f"These audits are of differently named programs ({old.profile.program_name!r} and "
            f"{new.profile.program_name!r}); check that you meant to compare them."
        )
    if old.provenance.as_of > new.provenance.as_of:
        warnings.append(
            f"The previous audit (as of {old.provenance.as_of}) is dated after the current "
            f"one (as of {new.provenance.as_of}); were the two swapped?"
        )
    return warnings


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
    scores = f"{score_words(overall.old)} → {score_words(overall.new)}"
    return (
        f"{name}, {old.provenance.as_of} → {new.provenance.as_of}: {decision}; overall "
        f"{scores} ({change_words(overall.change)}); "
        f"{plural(closed, 'gap')} closed, {opened} opened; "
        f"{plural(steps, 'plan step')} completed."
    )
