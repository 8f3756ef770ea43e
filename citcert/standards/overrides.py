"""
The override entries of an overlay: their format, and what each does to its base.

Each function here applies one kind of override (a requirement's weight, core flag, metric
thresholds, anchors …, or a decision level's conditions) and says whether the result tightens,
weakens or only changes the base, so the overlay resolver can refuse an unjustified weakening
at the line that makes it. All of it is pure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any, Optional

from pydantic import ConfigDict, Field, WithJsonSchema, create_model, field_validator
from pydantic_core import PydanticCustomError

from citcert.standards import strictness
from citcert.standards.checks import STRICTER_WHEN, Loc
from citcert.standards.identity import LevelId
from citcert.standards.model import (
    ChangeKind,
    Conditions,
    DecisionLevel,
    Direction,
    Effort,
    Metric,
    Model,
    NotApplicable,
    Remediation,
    Requirement,
    Slug,
    Text,
)


class ThresholdsOverride(Model):
    """New metric thresholds; an omitted one keeps the base's."""

    met: Annotated[float | None, WithJsonSchema({"type": "number"})] = None
    """The new met threshold; a metric always has one, so it cannot be dropped (``null``)."""
    partial: float | None = None
    """The new partial-credit threshold; ``null`` drops the partial-credit band (a tightening)."""

    @field_validator("met", mode="before")
    @classmethod
    def _met_stays(cls, value: object) -> object:
        """``met: null`` would leave a metric with no threshold to meet: refused at its line."""
        if value is None:
            raise PydanticCustomError(
                "met_threshold_null",
                "a metric always has a met threshold, so it cannot be dropped; give a number, "
                "or leave `met:` out to keep the base's",
            )
        return value


def not_null(value: object) -> object:
    """An override's key written as ``null`` would be read as left out: refused at its line."""
    if value is None:
        raise PydanticCustomError(
            "override_null",
            "`null` changes nothing here and removes nothing from the base; give a value, or "
            "leave the key out to keep the base's",
        )
    return value


def schema_without_null(*names: str) -> Callable[[dict[str, Any]], None]:
    """
    A ``json_schema_extra`` that drops ``null`` from the properties `names` (every property when
    none is named), whose values the model refuses as ``null``: without it the schema would tell
    an editor that ``null`` is fine where the loader stops at it.
    """

    def edit(schema: dict[str, Any]) -> None:
        for name, prop in schema.get("properties", {}).items():
            if (names and name not in names) or "anyOf" not in prop:
                continue
            kept = [option for option in prop["anyOf"] if option != {"type": "null"}]
            if len(kept) == 1:
                del prop["anyOf"]
                prop.update(kept[0])
            else:
                prop["anyOf"] = kept
            if "default" in prop and prop["default"] is None:
                del prop["default"]

    return edit


class RemediationOverride(Model):
    """New remediation guidance; omitted keys keep the base's."""

    model_config = ConfigDict(json_schema_extra=schema_without_null())

    actions: Annotated[tuple[Text, ...], Field(min_length=1)] | None = None
    owner: Text | None = None
    effort: Effort | None = None
    horizon_days: Annotated[int, Field(gt=0, le=3650)] | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _no_null(cls, value: object) -> object:
        return not_null(value)


class RequirementOverride(Model):
    """Changes to one base requirement; `reason` justifies any weakening among them."""

    model_config = ConfigDict(json_schema_extra=schema_without_null())

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

    @field_validator("*", mode="before")
    @classmethod
    def _no_null(cls, value: object) -> object:
        return not_null(value)


def _conditions_override() -> type[Model]:
    """
    The override of a level's conditions: every field of `Conditions`, optional.

    Made from `Conditions` itself, so a condition is declared once (with its `Rule`) and an
    overlay can change it without a second list to keep in step.
    """
    fields: dict[str, Any] = {
        name: (Optional[info.annotation], None)  # noqa: UP045 - a runtime annotation object
        for name, info in Conditions.model_fields.items()
    }
    return create_model(
        "ConditionsOverride",
        __base__=Model,
        __doc__="Decision conditions to change; only the keys written change, ``null`` drops one.",
        **fields,
    )


if TYPE_CHECKING:
    ConditionsOverride = Model
else:
    ConditionsOverride = _conditions_override()


@dataclass(frozen=True)
class Change:
    """A change an override makes, with the overlay path that makes it."""

    loc: Loc
    kind: ChangeKind
    target: str
    description: str


@dataclass(frozen=True)
class Refused:
    """An override that cannot be applied, and why."""

    message: str
    at: tuple[str, ...] = ()
    """The key inside the field that is refused (``partial`` of ``metric``), when not all."""


def override_requirement(
    req: Requirement, override: RequirementOverride, loc: Loc, *, core_scored: bool = True
) -> tuple[Requirement, list[Change], list[tuple[Loc, str]]]:
    """
    The requirement with `override` applied, the changes made, and any refused fields.

    `core_scored` is the base's ``include_core_in_scores``: where core requirements are left
    out of the scores, making one core also rescores (`strictness.core`).
    """
    update: dict[str, object] = {}
    changes: list[Change] = []
    refusals: list[tuple[Loc, str]] = []
    overrides: dict[str, _Override] = {**_OVERRIDES, "core": partial(_core, scored=core_scored)}
    for name in sorted(override.model_fields_set - {"reason"}, key=_FIELD_ORDER.index):
        value, found = overrides[name](req, override, (*loc, name))
        if isinstance(value, Refused):
            refusals.append(((*loc, name, *value.at), value.message))
            continue
        update[name] = value
        changes.extend(found)
    return req.model_copy(update=update), changes, refusals


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


_Outcome = tuple[object, list[Change]]
"""The new value of a field (or `Refused`), and the changes that make it."""


def _compare(loc: Loc, target: str, delta: float, tighter: str, looser: str) -> list[Change]:
    """One change when `delta` is non-zero: positive means stricter (`strictness.direction`)."""
    kind = strictness.direction(delta)
    if kind is None:
        return []
    return [Change(loc, kind, target, tighter if kind is ChangeKind.TIGHTENED else looser)]


def _wording(name: str) -> Callable[[Requirement, RequirementOverride, Loc], _Outcome]:
    """An override of a text field (title, statement): a plain change of wording."""

    def apply(req: Requirement, override: RequirementOverride, loc: Loc) -> _Outcome:
        old, new = getattr(req, name), getattr(override, name)
        if new is None or new == old:
            return old, []
        return new, [Change(loc, ChangeKind.CHANGED, req.id, f"rewords the {name} of {req.id}")]

    return apply


def _weight(req: Requirement, override: RequirementOverride, loc: Loc) -> _Outcome:
    """A new weight rescores either way (`strictness.weight`): it is never a tightening."""
    new = override.weight if override.weight is not None else req.weight
    kind = strictness.weight(req.weight, new)
    if kind is None:
        return new, []
    verb = "raises" if new > req.weight else "lowers"
    text = f"{verb} the weight of {req.id} from {req.weight:g} to {new:g}"
    return new, [Change(loc, kind, req.id, text)]


def _core(req: Requirement, override: RequirementOverride, loc: Loc, *, scored: bool) -> _Outcome:
    new = bool(override.core) if override.core is not None else req.core
    kind = strictness.core(req.core, new, scored=scored)
    if kind is None:
        return new, []
    if kind is ChangeKind.WEAKENED:
        return new, [Change(loc, kind, req.id, f"makes core requirement {req.id} no longer core")]
    text = f"makes {req.id} a core requirement"
    if kind is ChangeKind.RESCORED:
        text += " (core requirements are left out of the scores here)"
    return new, [Change(loc, kind, req.id, text)]


def _metric(req: Requirement, override: RequirementOverride, loc: Loc) -> _Outcome:
    thresholds = override.metric or ThresholdsOverride()
    metric = req.metric
    if metric is None:
        return Refused(f"{req.id} has no metric, so it has no thresholds to change"), []
    sign = 1 if metric.direction is Direction.AT_LEAST else -1
    changes: list[Change] = []
    update: dict[str, float | None] = {}
    if thresholds.met is not None:
        update["met"] = thresholds.met
        changes += _threshold(req.id, "met", metric.met, thresholds.met, sign, (*loc, "met"))
    if "partial" in thresholds.model_fields_set:
        if thresholds.partial is None and metric.partial is None:
            text = f"{req.id} has no partial-credit threshold to drop; leave `partial:` out"
            return Refused(text, ("partial",)), []
        update["partial"] = thresholds.partial
        changes += _partial(req.id, metric, thresholds.partial, sign, (*loc, "partial"))
    return metric.model_copy(update=update), changes


def _threshold(
    target: str, which: str, old: float, new: float, sign: int, loc: Loc
) -> list[Change]:
    text = f"the {which} threshold of {target} from {old:g} to {new:g}"
    return _compare(loc, target, (new - old) * sign, f"tightens {text}", f"loosens {text}")


def _partial(target: str, metric: Metric, new: float | None, sign: int, loc: Loc) -> list[Change]:
    """A partial-credit band added (weakens), dropped (``null``, tightens) or moved."""
    kind = strictness.partial_band(metric.partial, new)
    if kind is not None:
        if metric.partial is not None:
            text = f"drops the partial-credit threshold of {metric.partial:g} from {target}"
        else:
            text = f"adds a partial-credit threshold of {new:g} to {target}"
        return [Change(loc, kind, target, text)]
    assert metric.partial is not None and new is not None  # both have a band
    return _threshold(target, "partial", metric.partial, new, sign, loc)


def _anchors(req: Requirement, override: RequirementOverride, loc: Loc) -> _Outcome:
    new = {**req.anchors, **(override.anchors or {})}
    if new == req.anchors:
        return new, []
    levels = ", ".join(k for k in new if req.anchors.get(k) != new[k])
    text = f"rewords the rating anchors of {req.id} ({levels})"
    return new, [Change(loc, ChangeKind.CHANGED, req.id, text)]


def _evidence(req: Requirement, override: RequirementOverride, loc: Loc) -> _Outcome:
    new = override.evidence or req.evidence
    kind = strictness.evidence(req.evidence, new)
    if kind is None:
        return new, []
    if kind is ChangeKind.TIGHTENED:
        extra = "; ".join(item for item in new if item not in req.evidence)
        text = f"asks for more evidence for {req.id}: {extra}"
        return new, [Change(loc, kind, req.id, text)]
    text = f"changes the evidence expected for {req.id}"
    return new, [Change(loc, kind, req.id, text)]


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
    return new, [Change(loc, ChangeKind.CHANGED, req.id, text)]


def _remediation(req: Requirement, override: RequirementOverride, loc: Loc) -> _Outcome:
    given = override.remediation.model_dump(exclude_none=True) if override.remediation else {}
    new = Remediation.model_validate({**req.remediation.model_dump(), **given})
    if new == req.remediation:
        return new, []
    text = f"changes the remediation guidance for {req.id}"
    return new, [Change(loc, ChangeKind.CHANGED, req.id, text)]


_Override = Callable[[Requirement, RequirementOverride, Loc], _Outcome]

_OVERRIDES: dict[str, _Override] = {
    "title": _wording("title"),
    "statement": _wording("statement"),
    "weight": _weight,
    "metric": _metric,
    "anchors": _anchors,
    "evidence": _evidence,
    "not_applicable": _not_applicable,
    "remediation": _remediation,
}


def override_conditions(
    level: DecisionLevel, given: ConditionsOverride, loc: Loc
) -> tuple[Conditions, list[Change]]:
    """The level's conditions with `given` applied, and each condition's change."""
    update: dict[str, object] = {}
    changes: list[Change] = []
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
    level_id: LevelId, name: str, old: float | None, new: float | None, loc: Loc
) -> list[Change]:
    what = f"the condition {name} of decision level {level_id}"
    if old == new:
        return []
    if old is None or old is False:
        return [Change(loc, ChangeKind.TIGHTENED, "scoring", f"adds {what} ({_shown(new)})")]
    if new is None or new is False:
        return [Change(loc, ChangeKind.WEAKENED, "scoring", f"drops {what} ({_shown(old)})")]
    text = f"{what} from {_shown(old)} to {_shown(new)}"
    sign = STRICTER_WHEN[name]
    return _compare(loc, "scoring", (new - old) * sign, f"tightens {text}", f"loosens {text}")


def _shown(value: float | None) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return "none" if value is None else f"{value:g}"
