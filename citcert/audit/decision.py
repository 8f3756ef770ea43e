"""
The certification decision: the standard's ordered decision levels, evaluated on scored facts.

Pure: the conditions are structured data in the standard (`Conditions`), interpreted here and
never evaluated as expressions. The decision is the highest level whose conditions all hold;
its sentence names each condition that failed for the level just above, so a program reads
what stood between it and the next step ("Not certified: core requirement DSP-01 is Not met;
overall 71% is below 80%"). The wording helpers (`percent`, `plural`) are shared with the
scorer and the planner so every report words numbers the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import assert_never

from citcert._words import join_words, percent, plural
from citcert.audit.assessment import (
    ConditionResult,
    Decision,
    DomainScore,
    LevelResult,
    RequirementResult,
    Status,
)
from citcert.standards.model import (
    Conditions,
    DecisionLevel,
    LevelId,
    RequirementId,
    Rule,
    ScoringPolicy,
    Standard,
    Test,
)


@dataclass(frozen=True, slots=True)
class Facts:
    """The scored facts the decision rules look at, taken from one assessment."""

    overall: float
    domains: tuple[tuple[str, float | None], ...]
    """Each domain's title and score (``None`` when nothing in it applies)."""
    core_shortfalls: tuple[tuple[RequirementId, str], ...]
    """Each applicable core requirement not met: its id and the label of its rating."""
    gaps: int
    core_gaps: int
    unanswered: int
    points: float | None = None
    """The total of points, when the standard's scale gives its levels points."""


def facts_of(
    results: Sequence[RequirementResult],
    domains: Sequence[DomainScore],
    overall: float,
    points: float | None = None,
) -> Facts:
    """Collect the facts the decision needs from scored requirements and domains."""
    shortfalls = tuple((r.requirement_id, r.level_label) for r in results if r.core and is_gap(r))
    return Facts(
        overall=overall,
        domains=tuple((d.title, d.score) for d in domains),
        core_shortfalls=shortfalls,
        gaps=sum(1 for r in results if is_gap(r)),
        core_gaps=len(shortfalls),
        unanswered=sum(1 for r in results if r.status is Status.UNANSWERED),
        points=points,
    )


def is_gap(result: RequirementResult) -> bool:
    """True for an applicable requirement that is not fully met (unanswered included)."""
    return result.applicable and result.status is not Status.MET


def decide(policy: ScoringPolicy, facts: Facts) -> Decision:
    """The highest decision level whose conditions all hold, with every level's results."""
    levels = tuple(_evaluate(level, facts) for level in policy.decision_levels)
    index = next((i for i, lv in enumerate(levels) if lv.reached), len(levels) - 1)
    chosen = policy.decision_levels[index]
    above = levels[index - 1] if index > 0 else None
    reasons = tuple(c.detail for c in above.conditions if not c.passed) if above else ()
    if reasons and index == len(levels) - 1:
        sentence = f"{chosen.label}: {'; '.join(reasons)}"
    elif reasons and above:
        # A middle level was reached: the reasons explain the level above, so name it, or
        # "Conditionally certified: core requirement X is not met" reads as its cause. The
        # label above is quoted: labels may be phrases ("Meets the standard").
        sentence = f"{chosen.label}, short of “{above.label}”: {'; '.join(reasons)}"
    else:
        sentence = f"{chosen.label}: every condition of this level holds."
    return Decision(
        level_id=chosen.id,
        label=chosen.label,
        colour=chosen.colour,
        description=chosen.description,
        sentence=sentence,
        reasons=reasons,
        next_level_id=above.level_id if above else None,
        next_level_label=above.label if above else None,
        levels=levels,
    )


def rank(policy: ScoringPolicy, level_id: LevelId) -> int:
    """The position of a decision level, 0 for the best; `ValueError` for an unknown id."""
    for index, level in enumerate(policy.decision_levels):
        if level.id == level_id:
            return index
    raise _unknown_level(policy, level_id, "this standard")


def level_named(standard: Standard, typed: str) -> LevelId:
    """
    The id of the decision level `typed` names, by its id or its label, in any case.

    This is what a user types for ``--fail-below``: ``certified``, ``Certified`` or
    ``Conditionally certified`` all name a level. A `ValueError` names the unknown value and
    the level ids of `standard` otherwise; the CLI turns it into a usage or input error.
    """
    key = typed.strip().casefold()
    for level in standard.scoring.decision_levels:
        if key in (level.id.casefold(), level.label.casefold()):
            return level.id
    raise _unknown_level(standard.scoring, typed, standard.ref)


def _unknown_level(policy: ScoringPolicy, value: str, where: str) -> ValueError:
    known = ", ".join(lv.id for lv in policy.decision_levels)
    return ValueError(f"{value!r} is not a decision level of {where}; use one of {known}")


def is_below(policy: ScoringPolicy, decided: LevelId, required: LevelId) -> bool:
    """True when the decided level is worse than the required one (for ``--fail-below``)."""
    return rank(policy, decided) > rank(policy, required)


def describe(conditions: Conditions) -> str:
    """A decision level's conditions in words, e.g. for the scoring explanation."""
    parts = [rule.describe(value) for _, rule, value in conditions.set_rules()]
    if not parts:
        return "always applies when no higher level does"
    return join_words(parts)


# ── conditions ─────────────────────────────────────────────────────────────────────────────

Check = Callable[[Facts], tuple[bool, str]]
"""One condition: given the facts, whether it holds and the detail in words."""


def _evaluate(level: DecisionLevel, facts: Facts) -> LevelResult:
    results = []
    for name, check in _checks(level.conditions):
        passed, detail = check(facts)
        results.append(ConditionResult(condition=name, passed=passed, detail=detail))
    return LevelResult(
        level_id=level.id,
        label=level.label,
        reached=all(r.passed for r in results),
        conditions=tuple(results),
    )


def _checks(conditions: Conditions) -> list[tuple[str, Check]]:
    """The set conditions of a level, each named in words, in their declared order."""
    return [_check(rule, value) for _, rule, value in conditions.set_rules()]


def _check(rule: Rule, value: float | bool) -> tuple[str, Check]:
    name = rule.describe(value)
    match rule.test:
        case Test.FLAG:
            return name, _all_core_met
        case Test.AT_LEAST:
            return name, _at_least(rule, float(value))
        case Test.EACH_AT_LEAST:
            return name, _min_domain(float(value))
        case Test.AT_MOST:
            return name, _at_most(int(value), rule.noun, rule.fact)
        case _:
            assert_never(rule.test)


def _all_core_met(facts: Facts) -> tuple[bool, str]:
    short = facts.core_shortfalls
    if not short:
        return True, "every core requirement is met"
    if len(short) == 1:
        rid, label = short[0]
        return False, f"core requirement {rid} is {label}"
    named = join_words([f"{rid} ({label})" for rid, label in short])
    return False, f"core requirements {named} are not met"


_FACT_WORDS = {"overall": "overall", "points": "total points"}
"""How the detail sentence names a fact compared with ``at least``."""


def _at_least(rule: Rule, minimum: float) -> Check:
    def check(facts: Facts) -> tuple[bool, str]:
        found = getattr(facts, rule.fact)
        words = _FACT_WORDS.get(rule.fact, rule.fact)
        if found is None:
            return False, f"{words} cannot be counted: this standard's scale has no points"
        got, least = rule.shown(found), rule.shown(minimum)
        if found >= minimum:
            return True, f"{words} {got} is at least {least}"
        return False, f"{words} {got} is below {least}"

    return check


def _min_domain(minimum: float) -> Check:
    def check(facts: Facts) -> tuple[bool, str]:
        low = [(t, s) for t, s in facts.domains if s is not None and s < minimum]
        if not low:
            return True, f"every domain is at least {percent(minimum)}"
        named = join_words([f"{title} {percent(score)}" for title, score in low])
        verb = "is" if len(low) == 1 else "are"
        noun = "domain" if len(low) == 1 else "domains"
        return False, f"{noun} {named} {verb} below {percent(minimum)}"

    return check


def _at_most(limit: int, noun: str, fact: str) -> Check:
    def check(facts: Facts) -> tuple[bool, str]:
        found = int(getattr(facts, fact))
        if found <= limit:
            return True, plural(found, noun, none=True)
        allowed = "none allowed" if limit == 0 else f"more than the {limit} allowed"
        return False, f"{plural(found, noun, none=True)}, {allowed}"

    return check
