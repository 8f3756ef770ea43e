"""
Overlays: a standard tailored from a base standard (a state's additions to the international one).

An overlay file names its base with ``extends: id@version`` and gives its own identity (id,
version, title, publisher, effective, status, summary, optional citation), then:

- ``add:`` new ``program_numbers``, new ``domains``, and ``requirements`` (each with a
  ``domain:``) placed into an existing or new domain;
- ``remove:`` ``[{id, reason}]`` (a reason is always required);
- ``override:`` per requirement id: ``title``, ``statement``, ``weight``, ``core``, ``metric``
  (``met``/``partial``), ``anchors`` (merged by level), ``evidence``, ``not_applicable``,
  ``remediation`` (merged by key), each entry with an optional ``reason``;
- ``scoring: decision_levels:`` per decision level id: ``conditions`` (only the conditions
  named change; ``null`` drops one) and an optional ``reason``.

Resolving gives a full `Standard` whose `tailoring` records every change. Adding and tightening
are free; a change that weakens the base (removing a core requirement, core to non-core, a lower
weight, a looser threshold or decision condition, allowing not applicable) is an error unless
its entry gives a ``reason``. The resolved standard is cross-checked like any other.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints

from citcert.errors import Location, OverlayError, Problem, StandardNotFoundError
from citcert.standards.checks import STRICTER_WHEN, Loc, cross_check, format_loc
from citcert.standards.loader import Document, raise_if_any, validate
from citcert.standards.model import (
    ChangeKind,
    Citation,
    Conditions,
    DecisionLevel,
    Direction,
    Domain,
    Effort,
    Metric,
    Model,
    NotApplicable,
    Percent,
    ProgramNumber,
    Remediation,
    Requirement,
    RequirementId,
    Slug,
    Standard,
    StandardId,
    Status,
    Tailoring,
    TailoringChange,
    Text,
    Version,
    standard_sha256,
)

StandardRef = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]@[0-9A-Za-z][0-9A-Za-z.\-]*$"),
]
"""A versioned reference to a standard: ``id@version``."""

DomainId = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,7}$")]


class AddedRequirement(Requirement):
    """A requirement an overlay adds, with the id of the domain it goes into."""

    domain: DomainId


class Additions(Model):
    """What an overlay adds: program numbers, whole domains, and requirements into domains."""

    program_numbers: tuple[ProgramNumber, ...] = ()
    domains: tuple[Domain, ...] = ()
    requirements: tuple[AddedRequirement, ...] = ()


class Removal(Model):
    """A base requirement the overlay drops, and why (always required)."""

    id: RequirementId
    reason: Text


class ThresholdsOverride(Model):
    """New metric thresholds; an omitted one keeps the base's."""

    met: float | None = None
    partial: float | None = None


class RemediationOverride(Model):
    """New remediation guidance; omitted keys keep the base's."""

    actions: Annotated[tuple[Text, ...], Field(min_length=1)] | None = None
    owner: Text | None = None
    effort: Effort | None = None
    horizon_days: Annotated[int, Field(gt=0, le=3650)] | None = None


class RequirementOverride(Model):
    """Changes to one base requirement; `reason` justifies any weakening among them."""

    title: Text | None = None
    statement: Text | None = None
    weight: Annotated[float, Field(gt=0, le=100)] | None = None
    core: bool | None = None
    metric: ThresholdsOverride | None = None
    anchors: dict[Slug, Text] | None = None
    evidence: Annotated[tuple[Text, ...], Field(min_length=1)] | None = None
    not_applicable: NotApplicable | None = None
    remediation: RemediationOverride | None = None
    reason: Text | None = None


class ConditionsOverride(Model):
    """Decision conditions to change; only the keys written change, ``null`` drops one."""

    all_core_met: bool | None = None
    min_overall: Percent | None = None
    min_domain: Percent | None = None
    max_core_gaps: Annotated[int, Field(ge=0)] | None = None
    max_gaps: Annotated[int, Field(ge=0)] | None = None
    max_unanswered: Annotated[int, Field(ge=0)] | None = None


class DecisionOverride(Model):
    """Changes to one decision level of the base; `reason` justifies a looser condition."""

    conditions: ConditionsOverride
    reason: Text | None = None


class ScoringOverride(Model):
    """Changes to the base's scoring policy: decision levels by id."""

    decision_levels: dict[Slug, DecisionOverride] = Field(default_factory=dict)


class Overlay(Model):
    """The overlay file format (see the module docstring and the README)."""

    extends: StandardRef
    id: StandardId
    version: Version
    title: Text
    publisher: Text
    effective: dt.date
    status: Status
    summary: Text
    citation: tuple[Citation, ...] = ()
    """The overlay's own sources, listed after the base's."""
    add: Additions = Additions()
    remove: tuple[Removal, ...] = ()
    override: dict[RequirementId, RequirementOverride] = Field(default_factory=dict)
    scoring: ScoringOverride = ScoringOverride()


_RESOLVING: ContextVar[tuple[str, ...]] = ContextVar("citcert_resolving_overlays", default=())


def resolve_overlay(document: Document, *, dirs: Sequence[Path] = ()) -> Standard:
    """
    Validate the overlay in `document`, find its base and resolve it to a full `Standard`.

    Raises `StandardFileError` for a malformed overlay and `OverlayError` for changes that
    cannot be applied (a missing target, an unjustified weakening), each with its line.
    """
    overlay = validate(Overlay, document)
    base = _find_base(overlay, document, dirs)
    return apply_overlay(base, overlay, document)


def _find_base(overlay: Overlay, document: Document, dirs: Sequence[Path]) -> Standard:
    from citcert.standards.registry import find_standard

    chain = _RESOLVING.get()
    own = f"{overlay.id}@{overlay.version}"
    where = document.location(("extends",))
    if overlay.extends in (*chain, own):
        circle = " → ".join((*chain, own, overlay.extends))
        raise OverlayError.single(f"overlays extend each other in a circle: {circle}", where)
    token = _RESOLVING.set((*chain, own))
    try:
        return find_standard(overlay.extends, dirs=dirs)
    except StandardNotFoundError as exc:
        raise OverlayError.single(f"the base standard cannot be found: {exc}", where) from None
    finally:
        _RESOLVING.reset(token)


def apply_overlay(base: Standard, overlay: Overlay, document: Document) -> Standard:
    """Apply a validated overlay to its base; pure apart from reading `document`'s positions."""
    resolver = _Resolver(base, overlay, document)
    standard = resolver.resolve()
    raise_if_any(OverlayError, document.file, resolver.locate_checks(standard))
    return standard


@dataclass(frozen=True)
class _Change:
    """A change found while resolving, with the overlay path that caused it."""

    loc: Loc
    kind: ChangeKind
    target: str
    description: str


class _Resolver:
    """Resolves one overlay against its base, collecting changes and problems as it goes."""

    def __init__(self, base: Standard, overlay: Overlay, document: Document) -> None:
        self.base = base
        self.overlay = overlay
        self.document = document
        self.problems: list[Problem] = []
        self.changes: list[TailoringChange] = []
        self.domains: dict[str, Domain] = {d.id: d for d in base.domains}
        self.requirements: dict[str, list[Requirement]] = {
            d.id: list(d.requirements) for d in base.domains
        }
        self.numbers: list[ProgramNumber] = list(base.program_numbers)
        self.added: dict[str, Loc] = {}
        self.removed: dict[str, int] = {}

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> None:
        self.problems.append(self.document.problem(loc, message, key=key))

    def record(self, change: _Change, reason: str | None) -> None:
        """Keep a change; a weakening without a reason is a problem at its line."""
        if change.kind is ChangeKind.WEAKENED and reason is None:
            self.problem(
                change.loc,
                f"{change.description}, which weakens {self.base.ref}; "
                "give a `reason:` for this change to allow it",
            )
            return
        self.changes.append(
            TailoringChange(
                kind=change.kind,
                target=change.target,
                description=change.description,
                reason=reason,
            )
        )

    def resolve(self) -> Standard:
        self.remove_requirements()
        self.override_requirements()
        self.add_program_numbers()
        self.add_domains()
        self.add_requirements()
        scoring = self.override_scoring()
        self.drop_dangling_dependencies()
        raise_if_any(OverlayError, self.document.file, self.problems)
        return self.build(scoring)

    # -- remove ---------------------------------------------------------------------------

    def remove_requirements(self) -> None:
        base_ids = {req.id for _, req in self.base.requirements()}
        for i, removal in enumerate(self.overlay.remove):
            loc: Loc = ("remove", i, "id")
            if removal.id in self.removed:
                self.problem(loc, f"{removal.id} is already removed above")
            elif removal.id not in base_ids:
                self.problem(loc, self.missing(removal.id))
            else:
                self.removed[removal.id] = i
                self.remove(removal.id, loc, removal.reason)

    def remove(self, requirement_id: str, loc: Loc, reason: str) -> None:
        for domain_id, requirements in self.requirements.items():
            for requirement in requirements:
                if requirement.id == requirement_id:
                    requirements.remove(requirement)
                    kind = ChangeKind.WEAKENED if requirement.core else ChangeKind.REMOVED
                    core = "core requirement" if requirement.core else "requirement"
                    text = f"removes {core} {requirement_id} “{requirement.title}” ({domain_id})"
                    self.record(_Change(loc, kind, requirement_id, text), reason)
                    return

    def missing(self, requirement_id: str) -> str:
        ids = [req.id for _, req in self.base.requirements()]
        close = difflib.get_close_matches(requirement_id, ids, n=1, cutoff=0.8)
        hint = f"; did you mean {close[0]}?" if close else ""
        return f"{self.base.ref} has no requirement {requirement_id}{hint}"

    # -- override -------------------------------------------------------------------------

    def override_requirements(self) -> None:
        for requirement_id, override in self.overlay.override.items():
            loc: Loc = ("override", requirement_id)
            if requirement_id in self.removed:
                self.problem(loc, f"{requirement_id} is removed by this overlay", key=True)
                continue
            found = self.find(requirement_id)
            if found is None:
                self.problem(loc, self.missing(requirement_id), key=True)
                continue
            domain_id, index, requirement = found
            updated = self.apply_override(requirement, override, loc)
            self.requirements[domain_id][index] = updated

    def find(self, requirement_id: str) -> tuple[str, int, Requirement] | None:
        for domain_id, requirements in self.requirements.items():
            for index, requirement in enumerate(requirements):
                if requirement.id == requirement_id:
                    return domain_id, index, requirement
        return None

    def apply_override(
        self, req: Requirement, override: RequirementOverride, loc: Loc
    ) -> Requirement:
        update: dict[str, object] = {}
        changes: list[_Change] = []
        for name in sorted(override.model_fields_set - {"reason"}, key=_FIELD_ORDER.index):
            value, found = _OVERRIDES[name](req, override, (*loc, name))
            if isinstance(value, _Refused):
                self.problem((*loc, name), value.message)
                continue
            update[name] = value
            changes.extend(found)
        for change in changes:
            self.record(change, override.reason)
        return req.model_copy(update=update)

    # -- add ------------------------------------------------------------------------------

    def add_program_numbers(self) -> None:
        known = {number.id for number in self.numbers}
        for i, number in enumerate(self.overlay.add.program_numbers):
            loc: Loc = ("add", "program_numbers", i)
            if number.id in known:
                self.problem((*loc, "id"), f"{self.base.ref} already asks for `{number.id}`")
                continue
            known.add(number.id)
            self.numbers.append(number)
            text = f"adds the program number `{number.id}` ({number.label})"
            self.record(_Change(loc, ChangeKind.ADDED, "program_numbers", text), None)

    def add_domains(self) -> None:
        for i, domain in enumerate(self.overlay.add.domains):
            loc: Loc = ("add", "domains", i)
            if domain.id in self.domains:
                self.problem(
                    (*loc, "id"),
                    f"{self.base.ref} already has a domain {domain.id}; add requirements "
                    "to it under `add: requirements:` instead",
                )
                continue
            self.domains[domain.id] = domain
            self.requirements[domain.id] = []
            for r, requirement in enumerate(domain.requirements):
                self.add(requirement, domain.id, (*loc, "requirements", r))

    def add_requirements(self) -> None:
        for i, added in enumerate(self.overlay.add.requirements):
            loc: Loc = ("add", "requirements", i)
            if added.domain not in self.domains:
                known = ", ".join(self.domains)
                self.problem((*loc, "domain"), f"there is no domain {added.domain} ({known})")
                continue
            requirement = Requirement(
                **{name: getattr(added, name) for name in _REQUIREMENT_FIELDS}
            )
            self.add(requirement, added.domain, loc)

    def add(self, requirement: Requirement, domain_id: str, loc: Loc) -> None:
        if self.find(requirement.id) is not None or requirement.id in self.removed:
            self.problem(
                (*loc, "id"),
                f"{requirement.id} is already a requirement of {self.base.ref}; change it "
                "under `override:` or choose a new id",
            )
            return
        self.requirements[domain_id].append(requirement)
        self.added[requirement.id] = loc
        core = "core requirement" if requirement.core else "requirement"
        text = f"adds {core} {requirement.id} “{requirement.title}” to {domain_id}"
        self.record(_Change(loc, ChangeKind.ADDED, requirement.id, text), None)

    # -- scoring --------------------------------------------------------------------------

    def override_scoring(self) -> tuple[DecisionLevel, ...]:
        levels = {level.id: level for level in self.base.scoring.decision_levels}
        for level_id, override in self.overlay.scoring.decision_levels.items():
            loc: Loc = ("scoring", "decision_levels", level_id)
            if level_id not in levels:
                known = ", ".join(levels)
                message = f"{self.base.ref} has no decision level {level_id} ({known})"
                self.problem(loc, message, key=True)
                continue
            level = levels[level_id]
            conditions, changes = _override_conditions(level, override.conditions, loc)
            for change in changes:
                self.record(change, override.reason)
            levels[level_id] = level.model_copy(update={"conditions": conditions})
        return tuple(levels.values())

    def drop_dangling_dependencies(self) -> None:
        for requirements in self.requirements.values():
            for index, req in enumerate(requirements):
                dropped = [dep for dep in req.depends_on if dep in self.removed]
                if not dropped:
                    continue
                kept = tuple(dep for dep in req.depends_on if dep not in self.removed)
                requirements[index] = req.model_copy(update={"depends_on": kept})
                text = f"{req.id} no longer depends on {', '.join(dropped)} (removed)"
                loc: Loc = ("remove", self.removed[dropped[0]])
                self.record(_Change(loc, ChangeKind.CHANGED, req.id, text), None)

    # -- result ---------------------------------------------------------------------------

    def build(self, decision_levels: tuple[DecisionLevel, ...]) -> Standard:
        domains = [
            domain.model_copy(update={"requirements": tuple(self.requirements[domain_id])})
            for domain_id, domain in self.domains.items()
            if self.requirements[domain_id]
        ]
        earlier = self.base.tailoring.changes if self.base.tailoring else ()
        inherited = [
            change.model_copy(update={"description": f"{change.description} (in {self.base.ref})"})
            for change in earlier
        ]
        overlay = self.overlay
        return Standard(
            id=overlay.id,
            version=overlay.version,
            title=overlay.title,
            publisher=overlay.publisher,
            effective=overlay.effective,
            status=overlay.status,
            summary=overlay.summary,
            citation=(*self.base.citation, *overlay.citation),
            supersedes=self.base.supersedes,
            program_numbers=tuple(self.numbers),
            scoring=self.base.scoring.model_copy(update={"decision_levels": decision_levels}),
            domains=tuple(domains),
            tailoring=Tailoring(
                base=self.base.ref,
                base_sha256=standard_sha256(self.base),
                changes=(*inherited, *self.changes),
            ),
        )

    def locate_checks(self, standard: Standard) -> Iterator[Problem]:
        """Cross-check the resolved standard, pointing each problem at the overlay line."""
        origins = dict(self.origins(standard))
        fallback = self.document.location(("extends",))
        for loc, message in cross_check(standard):
            for cut in range(len(loc), 0, -1):
                origin = origins.get(loc[:cut])
                if origin is not None:
                    yield self.document.problem((*origin, *loc[cut:]), message)
                    break
            else:
                subject = f"{format_loc(loc)} (in the resolved standard)"
                yield Problem(
                    Location(fallback.file, fallback.line, fallback.column), message, subject
                )

    def origins(self, standard: Standard) -> Iterator[tuple[Loc, Loc]]:
        """Pairs of (path in the resolved standard, path in the overlay that put it there)."""
        base_numbers = len(self.base.program_numbers)
        for i in range(base_numbers, len(standard.program_numbers)):
            yield ("program_numbers", i), ("add", "program_numbers", i - base_numbers)
        added_domains = {d.id: i for i, d in enumerate(self.overlay.add.domains)}
        for d, domain in enumerate(standard.domains):
            if domain.id in added_domains:
                yield ("domains", d), ("add", "domains", added_domains[domain.id])
            for r, req in enumerate(domain.requirements):
                here: Loc = ("domains", d, "requirements", r)
                if req.id in self.added:
                    yield here, self.added[req.id]
                for name in self.overlay.override.get(
                    req.id, RequirementOverride()
                ).model_fields_set:
                    yield (*here, name), ("override", req.id, name)
        for j, level in enumerate(standard.scoring.decision_levels):
            if level.id in self.overlay.scoring.decision_levels:
                yield ("scoring", "decision_levels", j), ("scoring", "decision_levels", level.id)


# -- per-field overrides: each returns the new value and its changes --

_FIELD_ORDER = (
    "title",
    "statement",
    "weight",
    "core",
    "metric",
    "anchors",
    "evidence",
    "not_applicable",
    "remediation",
)


@dataclass(frozen=True)
class _Refused:
    """An override that cannot be applied, and why."""

    message: str


_Outcome = tuple[object, list[_Change]]
"""The new value of a field (or `_Refused`), and the changes that make it."""
_REQUIREMENT_FIELDS = tuple(Requirement.model_fields)


def _compare(loc: Loc, target: str, delta: float, tighter: str, looser: str) -> list[_Change]:
    """One change when `delta` is non-zero: positive means stricter."""
    if delta > 0:
        return [_Change(loc, ChangeKind.TIGHTENED, target, tighter)]
    if delta < 0:
        return [_Change(loc, ChangeKind.WEAKENED, target, looser)]
    return []


def _wording(name: str) -> Callable[[Requirement, RequirementOverride, Loc], _Outcome]:
    """An override of a text field (title, statement): a plain change of wording."""

    def apply(req: Requirement, override: RequirementOverride, loc: Loc) -> _Outcome:
        old, new = getattr(req, name), getattr(override, name)
        if new is None or new == old:
            return old, []
        return new, [_Change(loc, ChangeKind.CHANGED, req.id, f"rewords the {name} of {req.id}")]

    return apply


def _weight(req: Requirement, override: RequirementOverride, loc: Loc) -> _Outcome:
    new = override.weight if override.weight is not None else req.weight
    old_text, new_text = f"{req.weight:g}", f"{new:g}"
    return new, _compare(
        loc,
        req.id,
        new - req.weight,
        f"raises the weight of {req.id} from {old_text} to {new_text}",
        f"lowers the weight of {req.id} from {old_text} to {new_text}",
    )


def _core(req: Requirement, override: RequirementOverride, loc: Loc) -> _Outcome:
    new = bool(override.core) if override.core is not None else req.core
    return new, _compare(
        loc,
        req.id,
        int(new) - int(req.core),
        f"makes {req.id} a core requirement",
        f"makes core requirement {req.id} no longer core",
    )


def _metric(req: Requirement, override: RequirementOverride, loc: Loc) -> _Outcome:
    thresholds = override.metric or ThresholdsOverride()
    metric = req.metric
    if metric is None:
        return _Refused(f"{req.id} has no metric, so it has no thresholds to change"), []
    sign = 1 if metric.direction is Direction.AT_LEAST else -1
    changes: list[_Change] = []
    update: dict[str, float] = {}
    if thresholds.met is not None:
        update["met"] = thresholds.met
        changes += _threshold(req.id, "met", metric.met, thresholds.met, sign, (*loc, "met"))
    if thresholds.partial is not None:
        update["partial"] = thresholds.partial
        changes += _partial(req.id, metric, thresholds.partial, sign, (*loc, "partial"))
    return metric.model_copy(update=update), changes


def _threshold(
    target: str, which: str, old: float, new: float, sign: int, loc: Loc
) -> list[_Change]:
    text = f"the {which} threshold of {target} from {old:g} to {new:g}"
    return _compare(loc, target, (new - old) * sign, f"tightens {text}", f"loosens {text}")


def _partial(target: str, metric: Metric, new: float, sign: int, loc: Loc) -> list[_Change]:
    if metric.partial is None:
        text = f"adds a partial-credit threshold of {new:g} to {target}"
        return [_Change(loc, ChangeKind.WEAKENED, target, text)]
    return _threshold(target, "partial", metric.partial, new, sign, loc)


def _anchors(req: Requirement, override: RequirementOverride, loc: Loc) -> _Outcome:
    new = {**req.anchors, **(override.anchors or {})}
    if new == req.anchors:
        return new, []
    levels = ", ".join(k for k in new if req.anchors.get(k) != new[k])
    text = f"rewords the rating anchors of {req.id} ({levels})"
    return new, [_Change(loc, ChangeKind.CHANGED, req.id, text)]


def _evidence(req: Requirement, override: RequirementOverride, loc: Loc) -> _Outcome:
    new = override.evidence or req.evidence
    if new == req.evidence:
        return new, []
    if set(new) > set(req.evidence):
        extra = "; ".join(item for item in new if item not in req.evidence)
        text = f"asks for more evidence for {req.id}: {extra}"
        return new, [_Change(loc, ChangeKind.TIGHTENED, req.id, text)]
    text = f"changes the evidence expected for {req.id}"
    return new, [_Change(loc, ChangeKind.CHANGED, req.id, text)]


def _not_applicable(req: Requirement, override: RequirementOverride, loc: Loc) -> _Outcome:
    new = override.not_applicable or req.not_applicable
    old = req.not_applicable
    if new == old:
        return new, []
    if new.allowed != old.allowed:
        tighter = f"no longer lets {req.id} be rated not applicable"
        looser = f"lets {req.id} be rated not applicable"
        return new, _compare(loc, req.id, int(old.allowed) - int(new.allowed), tighter, looser)
    text = f"changes when {req.id} may be rated not applicable"
    return new, [_Change(loc, ChangeKind.CHANGED, req.id, text)]


def _remediation(req: Requirement, override: RequirementOverride, loc: Loc) -> _Outcome:
    given = override.remediation.model_dump(exclude_none=True) if override.remediation else {}
    new = Remediation.model_validate({**req.remediation.model_dump(), **given})
    if new == req.remediation:
        return new, []
    text = f"changes the remediation guidance for {req.id}"
    return new, [_Change(loc, ChangeKind.CHANGED, req.id, text)]


_OVERRIDES = {
    "title": _wording("title"),
    "statement": _wording("statement"),
    "weight": _weight,
    "core": _core,
    "metric": _metric,
    "anchors": _anchors,
    "evidence": _evidence,
    "not_applicable": _not_applicable,
    "remediation": _remediation,
}


def _override_conditions(
    level: DecisionLevel, given: ConditionsOverride, loc: Loc
) -> tuple[Conditions, list[_Change]]:
    """The level's conditions with `given` applied, and each condition's change."""
    update: dict[str, object] = {}
    changes: list[_Change] = []
    for name in sorted(given.model_fields_set, key=list(STRICTER_WHEN).index):
        old = getattr(level.conditions, name)
        new = getattr(given, name)
        if name == "all_core_met":
            new = bool(new)
        update[name] = new
        here: Loc = (*loc, "conditions", name)
        changes += _condition_change(level.id, name, old, new, here)
    return level.conditions.model_copy(update=update), changes


def _condition_change(
    level_id: str, name: str, old: float | None, new: float | None, loc: Loc
) -> list[_Change]:
    what = f"the condition {name} of decision level {level_id}"
    if old == new:
        return []
    if old is None or old is False:
        return [_Change(loc, ChangeKind.TIGHTENED, "scoring", f"adds {what} ({_shown(new)})")]
    if new is None or new is False:
        return [_Change(loc, ChangeKind.WEAKENED, "scoring", f"drops {what} ({_shown(old)})")]
    text = f"{what} from {_shown(old)} to {_shown(new)}"
    sign = STRICTER_WHEN[name]
    return _compare(loc, "scoring", (new - old) * sign, f"tightens {text}", f"loosens {text}")


def _shown(value: float | None) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return "none" if value is None else f"{value:g}"
