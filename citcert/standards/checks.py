"""
Cross-checks of a standard that a schema cannot express.

Each check is pure and returns its problems as ``(loc, message)`` pairs, where ``loc`` is a
pydantic-style path into the YAML (``("domains", 2, "requirements", 0, "depends_on", 1)``), so
the loader can point at the exact line. `cross_check` runs them all and reports every problem at
once, in document order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import pairwise

from citcert.standards.identity import LevelId, RequirementId
from citcert.standards.model import (
    Conditions,
    Direction,
    Metric,
    MetricCompute,
    NumberKind,
    RatingScale,
    Requirement,
    Standard,
    condition_rules,
)
from citcert.standards.names import name_problems
from citcert.standards.record_checks import record_problems

Loc = tuple[str | int, ...]
_KIND_WORDS = {
    NumberKind.INTEGER: "a whole number",
    NumberKind.NUMBER: "a number",
    NumberKind.DATE: "a date",
    NumberKind.CHOICE: "a choice",
}
CheckProblem = tuple[Loc, str]

STRICTER_WHEN = {name: rule.sign for name, rule in condition_rules().items()}
"""
For each decision condition: +1 when a larger value is stricter, -1 when a smaller one is.

Read from each condition's `Rule` on `Conditions`, where it is declared once.
"""


def cross_check(standard: Standard) -> list[CheckProblem]:
    """Every consistency problem in `standard`, each with its path, in document order."""
    problems = [
        *_unique_ids(standard),
        *_program_numbers(standard),
        *_scale(standard),
        *_decision_levels(standard),
        *_requirements(standard),
        *_dependency_cycles(standard),
        *record_problems(standard),
        *name_problems(standard),
    ]
    return sorted(problems, key=lambda problem: _sort_key(problem[0]))


def _sort_key(loc: Loc) -> tuple[tuple[int, str | int], ...]:
    order = {"id": 0, "program_numbers": 1, "records": 2, "scoring": 3, "domains": 4}
    return tuple((0, step) if isinstance(step, int) else (1, order.get(step, 9)) for step in loc)


def _req_loc(d: int, r: int, *rest: str | int) -> Loc:
    return ("domains", d, "requirements", r, *rest)


def _indexed_requirements(standard: Standard) -> Iterator[tuple[int, int, Requirement]]:
    for d, domain in enumerate(standard.domains):
        for r, requirement in enumerate(domain.requirements):
            yield d, r, requirement


def _unique_ids(standard: Standard) -> Iterator[CheckProblem]:
    """Domain, requirement, level and program-number ids are each used once."""
    yield from _duplicates(
        "domain id",
        [(("domains", d, "id"), domain.id) for d, domain in enumerate(standard.domains)],
    )
    yield from _duplicates(
        "requirement id",
        [(_req_loc(d, r, "id"), req.id) for d, r, req in _indexed_requirements(standard)],
    )
    levels = standard.scoring.scale.levels
    yield from _duplicates(
        "rating level id",
        [(("scoring", "scale", "levels", i, "id"), lv.id) for i, lv in enumerate(levels)],
    )
    decisions = standard.scoring.decision_levels
    yield from _duplicates(
        "decision level id",
        [(("scoring", "decision_levels", i, "id"), lv.id) for i, lv in enumerate(decisions)],
    )
    numbers = standard.program_numbers
    yield from _duplicates(
        "program number id",
        [(("program_numbers", i, "id"), n.id) for i, n in enumerate(numbers)],
    )


def _duplicates(what: str, entries: list[tuple[Loc, str]]) -> Iterator[CheckProblem]:
    first: dict[str, Loc] = {}
    for loc, value in entries:
        if value in first:
            yield loc, f"{what} {value} is used twice (first at {format_loc(first[value])})"
        else:
            first[value] = loc


def format_loc(loc: Loc) -> str:
    """A loc as a readable path: ``domains[1].requirements[3].weight``."""
    text = ""
    for step in loc:
        if isinstance(step, int):
            text += f"[{step}]"
        elif step != "[key]":
            text += f".{step}" if text else step
    return text


def _program_numbers(standard: Standard) -> Iterator[CheckProblem]:
    """A `not_more_than` names another declared number of a comparable kind."""
    kinds = {number.id: number.kind for number in standard.program_numbers}
    for i, number in enumerate(standard.program_numbers):
        yield from _choices(number.kind, [c.id for c in number.choices], ("program_numbers", i))
        target = number.not_more_than
        loc: Loc = ("program_numbers", i, "not_more_than")
        if target is None:
            continue
        if NumberKind.CHOICE in (number.kind, kinds.get(target)):
            yield loc, "a choice cannot be compared with another number"
            continue
        if target == number.id:
            yield loc, "a number cannot be limited by itself"
        elif target not in kinds:
            yield loc, f"names `{target}`, which is not one of this standard's program_numbers"
        elif (kinds[target] is NumberKind.DATE) != (number.kind is NumberKind.DATE):
            yield (
                loc,
                f"cannot compare {_KIND_WORDS[number.kind]} with `{target}`, which is "
                f"{_KIND_WORDS[kinds[target]]}",
            )


def _choices(kind: NumberKind, ids: list[str], loc: Loc) -> Iterator[CheckProblem]:
    """A choice number lists at least two distinct choices; no other kind lists any."""
    if kind is NumberKind.CHOICE and len(ids) < 2:
        yield (*loc, "choices"), "a choice number needs at least two `choices` to choose from"
    elif kind is not NumberKind.CHOICE and ids:
        yield (*loc, "choices"), f"only a `kind: choice` number has choices, not {kind.value}"
    yield from _duplicates(
        "choice id", [((*loc, "choices", k, "id"), choice) for k, choice in enumerate(ids)]
    )


def _applies_to(standard: Standard, req: Requirement, loc: Loc) -> Iterator[CheckProblem]:
    """Each key of `applies_to` is a choice number, and each value one of its choices."""
    numbers = {number.id: number for number in standard.program_numbers}
    for key, wanted in req.applies_to.items():
        number = numbers.get(key)
        if number is None or number.kind is not NumberKind.CHOICE:
            choices = [n.id for n in numbers.values() if n.kind is NumberKind.CHOICE]
            known = f" ({_listing(choices)})" if choices else " (it declares none)"
            yield (*loc, key), f"`{key}` is not a choice number of this standard{known}"
            continue
        ids = {choice.id for choice in number.choices}
        if not wanted:
            yield (*loc, key), "lists no choice, so the requirement would apply to no program"
        for k, value in enumerate(wanted):
            if value not in ids:
                yield (*loc, key, k), f"`{value}` is not a choice of {key} ({_listing(ids)})"


def _scale(standard: Standard) -> Iterator[CheckProblem]:
    """Credits fall down the scale, the top level is full credit, and some level meets."""
    scale = standard.scoring.scale
    base: Loc = ("scoring", "scale", "levels")
    if scale.levels[0].credit != 1:
        yield (*base, 0, "credit"), "the first (best) level must have credit 1"
    for i, (upper, lower) in enumerate(pairwise(scale.levels), start=1):
        if lower.credit > upper.credit:
            yield (
                (*base, i, "credit"),
                f"credit {_num(lower.credit)} is higher than the level above it "
                f"({upper.id}: {_num(upper.credit)}); list levels from best to worst",
            )
        if lower.meets and not upper.meets:
            yield (*base, i, "meets"), f"counts as met but the level above it ({upper.id}) does not"
    yield from _points(scale, base)
    if not any(level.meets for level in scale.levels):
        yield base, "no level counts as met; set `meets: true` on at least the first level"
    claim = standard.scoring.unsupported_claim
    ids = {level.id for level in scale.levels}
    if claim is not None and claim.treat_as not in ids:
        yield (
            ("scoring", "unsupported_claim", "treat_as"),
            f"`{claim.treat_as}` is not a level of the rating scale ({_listing(ids)})",
        )


def _points(scale: RatingScale, base: Loc) -> Iterator[CheckProblem]:
    """Points on every level or none, and never more points than the level above."""
    if not scale.has_points:
        return
    for i, level in enumerate(scale.levels):
        if level.points is None:
            yield (*base, i, "points"), "give every level points, or none of them"
    for i, (upper, lower) in enumerate(pairwise(scale.levels), start=1):
        if upper.points is not None and lower.points is not None and lower.points > upper.points:
            yield (
                (*base, i, "points"),
                f"earns more points than the level above it ({upper.id}); "
                "list levels from best to worst",
            )


def _decision_levels(standard: Standard) -> Iterator[CheckProblem]:
    """The last decision level is unconditional, and none below is stricter than one above."""
    levels = standard.scoring.decision_levels
    base: Loc = ("scoring", "decision_levels")
    last = len(levels) - 1
    for i, level in enumerate(levels):
        if i < last and level.conditions.is_unconditional():
            yield (
                (*base, i, "conditions"),
                "has no conditions, so the levels after it could never be decided; "
                "only the last level may be unconditional",
            )
    if not levels[last].conditions.is_unconditional():
        yield (
            (*base, last, "conditions"),
            "the last decision level must have no conditions, so that every program gets one",
        )
    if not standard.scoring.scale.has_points:
        for i, level in enumerate(levels):
            if level.conditions.min_points is not None:
                yield (
                    (*base, i, "conditions", "min_points"),
                    "counts points, but no level of the rating scale has `points`",
                )
    for i, upper in enumerate(levels):
        for j in range(i + 1, len(levels)):
            yield from _not_stricter(levels[j].conditions, upper.conditions, upper.id, (*base, j))


def _not_stricter(
    lower: Conditions, upper: Conditions, upper_id: LevelId, loc: Loc
) -> Iterator[CheckProblem]:
    for name, sign in STRICTER_WHEN.items():
        low, high = getattr(lower, name), getattr(upper, name)
        if low is None or high is None or low is False:
            continue
        if (low - high) * sign > 0:
            yield (
                (*loc, "conditions", name),
                f"is stricter than on the higher level {upper_id} ({_num(low)} against "
                f"{_num(high)}); a lower decision level must be easier to reach",
            )


def _requirements(standard: Standard) -> Iterator[CheckProblem]:
    """Per requirement: dependencies exist, metrics are sound, anchors name scale levels."""
    ids = {req.id for _, req in standard.requirements()}
    levels = {level.id for level in standard.scoring.scale.levels}
    for d, r, req in _indexed_requirements(standard):
        for k, target in enumerate(req.depends_on):
            loc = _req_loc(d, r, "depends_on", k)
            if target == req.id:
                yield loc, "a requirement cannot depend on itself"
            elif target not in ids:
                yield loc, f"depends on {target}, which is not a requirement of this standard"
        for key in req.anchors:
            if key not in levels:
                yield (
                    _req_loc(d, r, "anchors", key),
                    f"`{key}` is not a level of the rating scale ({_listing(levels)})",
                )
        if req.metric is not None:
            yield from _metric(standard, req.metric, _req_loc(d, r, "metric"))
        yield from _applies_to(standard, req, _req_loc(d, r, "applies_to"))
        if req.replaces and standard.supersedes is None:
            yield (
                _req_loc(d, r, "replaces"),
                "names ids of an older standard, so the standard needs "
                "`supersedes: id@version` saying which one",
            )


def _metric(standard: Standard, metric: Metric, loc: Loc) -> Iterator[CheckProblem]:
    """Thresholds are ordered and every input is a declared number of the right kind."""
    partial = metric.partial
    if partial is not None:
        if metric.direction is Direction.AT_LEAST and partial > metric.met:
            yield (
                (*loc, "partial"),
                f"the partial threshold ({_num(partial)}) must not be above the met threshold "
                f"({_num(metric.met)}) when higher is better (at_least)",
            )
        if metric.direction is Direction.AT_MOST and partial < metric.met:
            yield (
                (*loc, "partial"),
                f"the partial threshold ({_num(partial)}) must not be below the met threshold "
                f"({_num(metric.met)}) when lower is better (at_most)",
            )
    kinds = {number.id: number.kind for number in standard.program_numbers}
    for k, name in enumerate(metric.inputs):
        kind = kinds.get(name)
        if kind is None:
            yield (
                (*loc, "inputs", k),
                f"`{name}` is not one of this standard's program_numbers"
                + (f" ({_listing(kinds)})" if kinds else ""),
            )
        elif kind is NumberKind.CHOICE:
            yield (*loc, "inputs", k), f"`{name}` is a choice, which a metric cannot measure"
        elif (kind is NumberKind.DATE) != (metric.compute is MetricCompute.DAYS_SINCE):
            wanted = "a date" if metric.compute is MetricCompute.DAYS_SINCE else "a number"
            yield (
                (*loc, "inputs", k),
                f"a {metric.compute.value} metric needs {wanted}, but `{name}` is "
                f"{_KIND_WORDS[kind]}",
            )


def _dependency_cycles(standard: Standard) -> Iterator[CheckProblem]:
    """No requirement depends on itself through a chain of others."""
    graph = {req.id: req.depends_on for _, req in standard.requirements()}
    where = {req.id: (d, r) for d, r, req in _indexed_requirements(standard)}
    reported: set[frozenset[RequirementId]] = set()
    for start in graph:
        cycle = _cycle_from(start, graph)
        if cycle is None or frozenset(cycle) in reported:
            continue
        reported.add(frozenset(cycle))
        d, r = where[cycle[-2]]
        k = graph[cycle[-2]].index(cycle[-1])
        chain = " → ".join(cycle)
        yield _req_loc(d, r, "depends_on", k), f"dependencies go round in a circle: {chain}"


def _cycle_from(
    start: RequirementId, graph: dict[RequirementId, tuple[RequirementId, ...]]
) -> list[RequirementId] | None:
    """The first dependency cycle through `start` found depth-first, as a closed chain."""
    stack: list[tuple[RequirementId, list[RequirementId]]] = [(start, [start])]
    seen: set[RequirementId] = set()
    while stack:
        node, path = stack.pop()
        for target in graph.get(node, ()):
            if target == start and target != node:
                return [*path, start]
            if target not in seen and target in graph and target != node:
                seen.add(target)
                stack.append((target, [*path, target]))
    return None


def _listing(names: Iterable[str]) -> str:
    return "one of " + ", ".join(sorted(names))


def _num(value: float | bool) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return f"{value:g}"
