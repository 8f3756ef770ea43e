"""
An overlay's changes to the base's exception policy, judged by their effect.

Allowing less is tightening and free: refusing exceptions, refusing them on core requirements,
a lower count or a shorter term (or setting a limit the base did not have). Allowing more is
weakening and needs the overlay's ``reason:`` like any other weakening. Each term is judged by
`strictness.exception_term`, as the diff of two standards judges it. Pure.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from citcert.standards import strictness
from citcert.standards.checks import Loc
from citcert.standards.model import ChangeKind, Days, ExceptionPolicy, Model, Text
from citcert.standards.overrides import Change, schema_without_null


class ExceptionsOverride(Model):
    """New exception policy terms; an omitted one keeps the base's. `reason` justifies more."""

    model_config = ConfigDict(json_schema_extra=schema_without_null("allowed", "core_allowed"))

    allowed: bool | None = None
    core_allowed: bool | None = None
    max_exceptions: Annotated[int, Field(ge=0)] | None = None
    max_days: Days | None = None
    reason: Text | None = None

    @field_validator("allowed", "core_allowed", mode="before")
    @classmethod
    def _yes_or_no(cls, value: object) -> object:
        """``allowed: null`` would leave the policy neither yes nor no: refused at its line."""
        if value is None:
            raise PydanticCustomError(
                "exceptions_flag_null",
                "must be true or false; leave the key out to keep the base's",
            )
        return value


def override_exceptions(
    base: ExceptionPolicy, given: ExceptionsOverride, loc: Loc
) -> tuple[ExceptionPolicy, list[Change]]:
    """The policy with `given` applied, and each term's change (tightened or weakened)."""
    update: dict[str, object] = {}
    changes: list[Change] = []
    for name in strictness.EXCEPTION_TERMS:
        if name not in given.model_fields_set:
            continue
        old, new = getattr(base, name), getattr(given, name)
        kind = strictness.exception_term(old, new)
        if kind is None:
            continue
        update[name] = new
        what = f"the exception policy's {name}"
        verb = "loosens" if kind is ChangeKind.WEAKENED else "tightens"
        text = f"{verb} {what} from {_shown(old)} to {_shown(new)}"
        changes.append(Change((*loc, name), kind, "scoring", text))
    named = given.model_fields_set  # a limit the overlay names, even unchanged, is its own rule
    if any(limit in named for limit in base.proposal):
        update["proposal"] = tuple(limit for limit in base.proposal if limit not in named)
    return base.model_copy(update=update), changes


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return "none" if value is None else str(value)
