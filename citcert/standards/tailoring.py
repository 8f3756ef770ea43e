"""
Tailoring: applying a validated overlay to its base standard, giving a full `Standard`.

The overlay's entries are applied in a fixed order (removals, overrides, added program numbers,
domains and requirements, decision levels), then dependencies on removed requirements are
dropped. Every change is recorded as a `TailoringChange` of the result; a weakening or a
rescoring of a base requirement (its weight) without a ``reason``, and an entry whose target is
missing or already taken, are problems at the overlay line that makes them, all reported at
once. Added requirements are rescorings too (they take a share of the weight) but need no
reason. The resolved standard is then cross-checked like
any other, its problems pointed back at the overlay (`overlay_origins`).
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from citcert.errors import OverlayError, Problem, raise_if_any
from citcert.standards.checks import Loc
from citcert.standards.document import YamlDocument
from citcert.standards.exception_override import override_exceptions
from citcert.standards.identity import DomainId, RequirementId
from citcert.standards.metric_range import empty_thresholds
from citcert.standards.model import (
    ChangeKind,
    DecisionLevel,
    Domain,
    ExceptionPolicy,
    ProgramNumber,
    Requirement,
    Standard,
    Tailoring,
    TailoringChange,
    standard_sha256,
)
from citcert.standards.overlay_origins import locate_checks
from citcert.standards.overrides import (
    Change,
    RequirementOverride,
    override_conditions,
    override_requirement,
)
from citcert.standards.validity_override import override_validity

if TYPE_CHECKING:
    from collections.abc import Collection

    from citcert.standards.overlay import Overlay

_REQUIREMENT_FIELDS = tuple(Requirement.model_fields)

_NEEDS_REASON = {
    ChangeKind.WEAKENED: "weakens {base}",
    ChangeKind.RESCORED: (
        "changes how {base} weighs its requirements in the scores and may lift a program's "
        "score or decision"
    ),
}
"""The kinds of change to the base that need the overlay's `reason:`, and why, in words."""


def _empty_threshold_message(requirement: Requirement, which: str, why: str, added: bool) -> str:
    """Why a threshold every value reaches is refused, and what to write instead."""
    metric = requirement.metric
    assert metric is not None
    words = "at least" if metric.direction.value == "at_least" else "at most"
    unit = metric.unit if metric.unit == "%" else f" {metric.unit}"
    value = getattr(metric, which)
    effect = "meets" if which == "met" else "earns at least partial credit for"
    instead = (
        "leave it out, or set a threshold a program has to reach"
        if added
        else f"to drop {requirement.id}, remove it under `remove:` with a `reason:`"
    )
    return (
        f"a {which} threshold of {words} {value:g}{unit} is reached by every possible value "
        f"({why}), so every program {effect} {requirement.id} whatever it does; no reason can "
        f"allow a threshold that asks nothing: {instead}"
    )


def apply_overlay(base: Standard, overlay: Overlay, document: YamlDocument) -> Standard:
    """Apply a validated overlay to its base; pure apart from reading `document`'s positions."""
    resolver = _Resolver(base, overlay, document)
    standard = resolver.resolve()
    problems = locate_checks(standard, base, overlay, document, added=resolver.added)
    raise_if_any(OverlayError, document.file, problems)
    return standard


class _Resolver:
    """Resolves one overlay against its base, collecting changes and problems as it goes."""

    def __init__(self, base: Standard, overlay: Overlay, document: YamlDocument) -> None:
        self.base = base
        self.overlay = overlay
        self.document = document
        self.problems: list[Problem] = []
        self.changes: list[TailoringChange] = []
        self.domains: dict[DomainId, Domain] = {d.id: d for d in base.domains}
        self.requirements: dict[DomainId, list[Requirement]] = {
            d.id: list(d.requirements) for d in base.domains
        }
        self.numbers: list[ProgramNumber] = list(base.program_numbers)
        self.added: dict[RequirementId, Loc] = {}
        self.removed: dict[RequirementId, int] = {}

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> None:
        self.problems.append(self.document.problem(loc, message, key=key))

    def record(self, change: Change, reason: str | None, *, free: bool = False) -> None:
        """
        Keep a change. A weakening, or a rescoring of the base's own requirements, without a
        reason is a problem at its line; `free` marks the overlay's own additions, which are
        rescorings that need no reason (adding is what overlays are for) but are shown as such.
        """
        if reason is None and not free:
            why = _NEEDS_REASON.get(change.kind)
            if why is not None:
                self.problem(
                    change.loc,
                    f"{change.description}, which {why.format(base=self.base.ref)}; "
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
        exceptions = self.exceptions()
        self.drop_dangling_dependencies()
        if not any(self.requirements.values()):
            self.problem(
                ("remove",),
                f"removes every requirement of {self.base.ref} and adds none, so nothing would "
                "be left to audit; keep or add at least one requirement",
                key=True,
            )
        raise_if_any(OverlayError, self.document.file, self.problems)
        return self.build(scoring, exceptions)

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

    def remove(self, requirement_id: RequirementId, loc: Loc, reason: str) -> None:
        for domain_id, requirements in self.requirements.items():
            for requirement in requirements:
                if requirement.id == requirement_id:
                    requirements.remove(requirement)
                    kind = ChangeKind.WEAKENED if requirement.core else ChangeKind.REMOVED
                    core = "core requirement" if requirement.core else "requirement"
                    text = f"removes {core} {requirement_id} “{requirement.title}” ({domain_id})"
                    self.record(Change(loc, kind, requirement_id, text), reason)
                    return

    def missing(self, requirement_id: RequirementId) -> str:
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

    def find(self, requirement_id: RequirementId) -> tuple[DomainId, int, Requirement] | None:
        for domain_id, requirements in self.requirements.items():
            for index, requirement in enumerate(requirements):
                if requirement.id == requirement_id:
                    return domain_id, index, requirement
        return None

    def apply_override(
        self, req: Requirement, override: RequirementOverride, loc: Loc
    ) -> Requirement:
        scored = self.base.scoring.include_core_in_scores
        updated, changes, refusals = override_requirement(req, override, loc, core_scored=scored)
        for where, message in refusals:
            self.problem(where, message)
        if override.metric is not None and not refusals:
            written = override.metric.model_fields_set
            self.refuse_empty_thresholds(updated, (*loc, "metric"), written, added=False)
        for change in changes:
            self.record(change, override.reason)
        return updated

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
            self.record(Change(loc, ChangeKind.ADDED, "program_numbers", text), None)

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

    def add(self, requirement: Requirement, domain_id: DomainId, loc: Loc) -> None:
        if self.find(requirement.id) is not None or requirement.id in self.removed:
            self.problem(
                (*loc, "id"),
                f"{requirement.id} is already a requirement of {self.base.ref}; change it "
                "under `override:` or choose a new id",
            )
            return
        if requirement.metric is not None:
            written = {"met", "partial"}
            if self.refuse_empty_thresholds(requirement, (*loc, "metric"), written, added=True):
                return
        self.requirements[domain_id].append(requirement)
        self.added[requirement.id] = loc
        core = "core requirement" if requirement.core else "requirement"
        text = (
            f"adds {core} {requirement.id} “{requirement.title}” to {domain_id}, "
            f"weight {requirement.weight:g}"
        )
        self.record(Change(loc, ChangeKind.RESCORED, requirement.id, text), None, free=True)

    def refuse_empty_thresholds(
        self, requirement: Requirement, loc: Loc, written: Collection[str], *, added: bool
    ) -> bool:
        """
        Refuse, whatever the reason given, each threshold the overlay wrote that every possible
        value reaches (`metric_range`): such a requirement asks nothing of a program and only
        adds weight every program earns. True when one was refused.
        """
        assert requirement.metric is not None
        numbers = {number.id: number for number in self.numbers}
        empty = [
            (which, why)
            for which, why in empty_thresholds(requirement.metric, numbers)
            if which in written
        ]
        for which, why in empty:
            self.problem((*loc, which), _empty_threshold_message(requirement, which, why, added))
        return bool(empty)

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
            conditions, changes = override_conditions(level, override.conditions, loc)
            validity = level.validity
            if override.validity is not None:
                validity, more = override_validity(level, override.validity, (*loc, "validity"))
                changes += more
            for change in changes:
                self.record(change, override.reason)
            levels[level_id] = level.model_copy(
                update={"conditions": conditions, "validity": validity}
            )
        return tuple(levels.values())

    def exceptions(self) -> ExceptionPolicy:
        """The base's exception policy with the overlay's terms, each change recorded."""
        given = self.overlay.scoring.exceptions
        if given is None:
            return self.base.scoring.exceptions
        policy, changes = override_exceptions(
            self.base.scoring.exceptions, given, ("scoring", "exceptions")
        )
        for change in changes:
            self.record(change, given.reason)
        return policy

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
                self.record(Change(loc, ChangeKind.CHANGED, req.id, text), None)

    # -- result ---------------------------------------------------------------------------

    def build(
        self, decision_levels: tuple[DecisionLevel, ...], exceptions: ExceptionPolicy
    ) -> Standard:
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
            records=self.base.records,
            scoring=self.base.scoring.model_copy(
                update={"decision_levels": decision_levels, "exceptions": exceptions}
            ),
            domains=tuple(domains),
            tailoring=Tailoring(
                base=self.base.ref,
                base_sha256=standard_sha256(self.base),
                changes=(*inherited, *self.changes),
            ),
        )
