"""
The remediation plan: one step per gap, in an order a program can follow, each position explained.

Pure. The order is, in this priority:

1. **Prerequisites first.** A gap another gap depends on (``depends_on``) comes before it; a
   prerequisite also borrows the priority of the most urgent gap waiting on it, so a non-core
   prerequisite of a core gap is not pushed behind unrelated work.
2. **Core before non-core**: core requirements gate the top decision levels.
3. **Score gain per effort**: overall points gained if this gap alone were fully met, divided by
   its effort (low 1, medium 2, high 3).
4. The requirement id, so equal steps keep a stable order.

`decision_lifters` are the steps that alone would lift the decision: the scorer hands in a
`WhatIf` that re-runs the pure scoring and decision with that one requirement fully met.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from citcert._words import join_words, plural, points
from citcert.audit.assessment import Decision, Gap, PlanStep, RemediationPlan
from citcert.audit.decision import rank
from citcert.standards.model import Effort, RequirementId, Standard

WhatIf = Callable[[RequirementId], tuple[float, Decision]]
"""Given a requirement id: the overall score and decision if that requirement alone were met."""

EFFORT_COST = {Effort.LOW: 1, Effort.MEDIUM: 2, Effort.HIGH: 3}
"""The relative cost of each effort, for ordering by score gain per effort."""


@dataclass(frozen=True, slots=True)
class _Item:
    """A gap with what ordering needs to know about it."""

    gap: Gap
    prerequisites: tuple[RequirementId, ...]
    gain: float
    effort: Effort
    lifts_to: str | None

    @property
    def key(self) -> tuple[int, float, RequirementId]:
        """Lower sorts first: core, then more gain per effort, then id."""
        per_effort = self.gain / EFFORT_COST[self.effort]
        return (0 if self.gap.core else 1, -per_effort, self.gap.requirement_id)


def build_plan(
    standard: Standard,
    gaps: Sequence[Gap],
    *,
    as_of: dt.date,
    decision: Decision,
    overall: float,
    what_if: WhatIf,
) -> RemediationPlan:
    """The ordered remediation plan for the gaps, with the steps that alone lift the decision."""
    items = {g.requirement_id: _item(standard, g, gaps, decision, overall, what_if) for g in gaps}
    order = _order(items)
    dependents = _dependents(items)
    steps = tuple(
        _step(standard, items[rid], position, order, dependents, as_of)
        for position, rid in enumerate(order, start=1)
    )
    lifters = tuple(s.requirement_id for s in steps if s.lifts_decision_to)
    return RemediationPlan(
        steps=steps, decision_lifters=lifters, summary=_summary(steps, lifters, decision)
    )


def _item(
    standard: Standard,
    gap: Gap,
    gaps: Sequence[Gap],
    decision: Decision,
    overall: float,
    what_if: WhatIf,
) -> _Item:
    requirement = standard.requirement(gap.requirement_id)
    open_ids = {g.requirement_id for g in gaps}
    new_overall, new_decision = what_if(gap.requirement_id)
    better = rank(standard.scoring, new_decision.level_id) < rank(
        standard.scoring, decision.level_id
    )
    return _Item(
        gap=gap,
        prerequisites=tuple(d for d in requirement.depends_on if d in open_ids),
        gain=round(max(new_overall - overall, 0.0), 1),
        effort=requirement.remediation.effort,
        lifts_to=new_decision.label if better else None,
    )


def _dependents(items: dict[RequirementId, _Item]) -> dict[RequirementId, list[RequirementId]]:
    """For each gap, the gaps that list it as a prerequisite."""
    found: dict[RequirementId, list[RequirementId]] = {rid: [] for rid in items}
    for rid, item in items.items():
        for prerequisite in item.prerequisites:
            found[prerequisite].append(rid)
    return found


def _order(items: dict[RequirementId, _Item]) -> list[RequirementId]:
    """Prerequisites first (each borrowing its dependents' urgency), then by each item's key."""
    dependents = _dependents(items)
    urgency: dict[RequirementId, tuple[int, float, RequirementId]] = {}

    def effective(
        rid: RequirementId, seen: frozenset[RequirementId] = frozenset()
    ) -> tuple[int, float, RequirementId]:
        if rid not in urgency:
            keys = [effective(d, seen | {rid}) for d in dependents[rid] if d not in seen]
            urgency[rid] = min([items[rid].key, *keys])
        return urgency[rid]

    placed: list[RequirementId] = []
    remaining = set(items)
    while remaining:
        ready = [r for r in remaining if all(p not in remaining for p in items[r].prerequisites)]
        # NOTE: a dependency cycle cannot pass the standard's checks; if one did, fall back to
        # the plain order rather than loop forever.
        pick = min(ready or remaining, key=lambda r: (effective(r), items[r].key))
        placed.append(pick)
        remaining.remove(pick)
    return placed


def _step(
    standard: Standard,
    item: _Item,
    position: int,
    order: list[RequirementId],
    dependents: dict[RequirementId, list[RequirementId]],
    as_of: dt.date,
) -> PlanStep:
    remediation = standard.requirement(item.gap.requirement_id).remediation
    return PlanStep(
        order=position,
        requirement_id=item.gap.requirement_id,
        title=item.gap.title,
        core=item.gap.core,
        severity=item.gap.severity,
        actions=remediation.actions,
        owner=remediation.owner,
        effort=remediation.effort,
        horizon_days=remediation.horizon_days,
        target_date=as_of + dt.timedelta(days=remediation.horizon_days),
        prerequisites=item.prerequisites,
        score_gain=item.gain,
        lifts_decision_to=item.lifts_to,
        reason=_reason(item, sorted(dependents[item.gap.requirement_id], key=order.index)),
    )


def _reason(item: _Item, dependents: list[RequirementId]) -> str:
    """Why a step sits where it does, in the order the rules apply."""
    sentences = []
    if dependents:
        verb = "depends" if len(dependents) == 1 else "depend"
        sentences.append(f"Comes before {join_words(dependents)}, which {verb} on it.")
    if item.prerequisites:
        sentences.append(
            f"Comes after {join_words(list(item.prerequisites))}, which it depends on."
        )
    gain = f"{points(item.gain)} overall for {item.effort.value} effort"
    if item.gap.core:
        sentences.append(f"A core requirement, so it goes ahead of non-core gaps; it adds {gain}.")
    else:
        sentences.append(f"Among non-core gaps, ordered by score gain for the effort: {gain}.")
    if item.lifts_to:
        sentences.append(f"On its own it would lift the decision to “{item.lifts_to}”.")
    return " ".join(sentences)


def _summary(
    steps: Sequence[PlanStep], lifters: Sequence[RequirementId], decision: Decision
) -> str:
    if not steps:
        return "Nothing to remediate: every applicable requirement is met."
    core = sum(1 for s in steps if s.core)
    on_core = {0: "none", 1: "1"}.get(core, str(core))
    on_core += " on a core requirement" if core == 1 else " on core requirements"
    first = steps[0].requirement_id
    text = f"{plural(len(steps), 'step', none=True)}, {on_core}, starting with {first}."
    if decision.next_level_label is None:
        return f"{text} The decision is already the highest level; these close the remaining gaps."
    if lifters:
        return f"{text} {lift_sentence(steps)}"
    return (
        f"{text} No single step lifts the decision to “{decision.next_level_label}” on its own; "
        "several gaps must close together."
    )


def lift_sentence(steps: Sequence[PlanStep]) -> str:
    """Which single steps would lift the decision, and to what (empty when none would)."""
    by_level: dict[str, list[RequirementId]] = {}
    for step in steps:
        if step.lifts_decision_to:
            by_level.setdefault(step.lifts_decision_to, []).append(step.requirement_id)
    parts = [
        f"{' or '.join(ids)} alone would lift the decision to “{label}”"
        for label, ids in by_level.items()
    ]
    if not parts:
        return ""
    return f"Closing {'; closing '.join(parts)}."
