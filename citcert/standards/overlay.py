"""
Overlays: a standard tailored from a base standard (a state's additions to the international one).

An overlay file names its base with ``extends: id@version`` and gives its own identity (id,
version, title, publisher, effective, status, summary, optional citation), then:

- ``add:`` new ``program_numbers``, new ``domains``, and ``requirements`` (each with a
  ``domain:``) placed into an existing or new domain;
- ``remove:`` ``[{id, reason}]`` (a reason is always required);
- ``override:`` per requirement id: ``title``, ``statement``, ``weight``, ``core``, ``metric``
  (``met``/``partial``; ``partial: null`` drops the partial-credit band, a metric always keeps
  its ``met``), ``anchors`` (merged by level), ``evidence``, ``not_applicable``,
  ``remediation`` (merged by key), each entry with an optional ``reason``;
- ``scoring: decision_levels:`` per decision level id: ``conditions`` (only the conditions
  named change; ``null`` drops one), ``validity`` (its terms in days, likewise, and a
  ``basis`` saying where they come from) and an optional ``reason``.

Resolving gives a full `Standard` whose `tailoring` records every change. A change is judged by
what it can do to a program's decision, not by its form: tightening is free (no program scores
or is decided better for it); a change that weakens the base (removing a core requirement, core
to non-core, a looser threshold or decision condition, a decision lasting longer or reviewed
later, allowing not applicable) or rescores it (a base requirement's weight raised or lowered)
is an error unless its entry gives a ``reason``; added requirements need no reason but are
recorded as changes to the scoring. The resolved standard is cross-checked like any other.

This module reads the overlay document (its format, validated like a standard's) and finds its
base; `tailoring` applies it.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING, Annotated

from pydantic import ConfigDict, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from citcert.errors import OverlayError, StandardNotFoundError
from citcert.standards.document import YamlDocument
from citcert.standards.exception_override import ExceptionsOverride
from citcert.standards.loader import validate
from citcert.standards.model import (
    Citation,
    Domain,
    DomainIdField,
    Identity,
    LevelIdField,
    Model,
    ProgramNumber,
    Requirement,
    RequirementIdField,
    Standard,
    Text,
)
from citcert.standards.overrides import (
    ConditionsOverride,
    RequirementOverride,
    not_null,
    schema_without_null,
)
from citcert.standards.tailoring import apply_overlay
from citcert.standards.validity_override import ValidityOverride

if TYPE_CHECKING:
    from citcert.standards.store import StandardsStore

PinnedRef = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]@[0-9A-Za-z][0-9A-Za-z.\-]*$"),
]
"""A versioned reference to a standard: ``id@version``."""


class AddedRequirement(Requirement):
    """A requirement an overlay adds, with the id of the domain it goes into."""

    domain: DomainIdField


class Additions(Model):
    """What an overlay adds: program numbers, whole domains, and requirements into domains."""

    program_numbers: tuple[ProgramNumber, ...] = ()
    domains: tuple[Domain, ...] = ()
    requirements: tuple[AddedRequirement, ...] = ()


class Removal(Model):
    """A base requirement the overlay drops, and why (always required)."""

    id: RequirementIdField
    reason: Text


class DecisionOverride(Model):
    """
    Changes to one decision level of the base: its conditions, its validity, or both;
    `reason` justifies a looser condition or a later term.
    """

    model_config = ConfigDict(json_schema_extra=schema_without_null("validity", "reason"))

    conditions: ConditionsOverride = Field(default_factory=ConditionsOverride)
    validity: ValidityOverride | None = None
    reason: Text | None = None

    @field_validator("reason", mode="before")
    @classmethod
    def _no_null(cls, value: object) -> object:
        return not_null(value)

    @field_validator("validity", mode="before")
    @classmethod
    def _no_null_validity(cls, value: object) -> object:
        """``validity: null`` would be read as left out, dropping no term: refused at its line."""
        if value is None:
            raise PydanticCustomError(
                "validity_null",
                "`null` changes nothing here; to drop a term write it as null inside validity "
                "(`validity: {interim_report_every_days: null}`), or leave the key out to keep "
                "the base's terms",
            )
        return value


class ScoringOverride(Model):
    """Changes to the base's scoring policy: decision levels by id."""

    decision_levels: dict[LevelIdField, DecisionOverride] = Field(default_factory=dict)
    exceptions: ExceptionsOverride | None = None
    """Tighter (or, with a reason, looser) exception policy terms."""


class Overlay(Identity):
    """The overlay file format (see the module docstring and the README)."""

    extends: PinnedRef
    citation: tuple[Citation, ...] = ()
    """The overlay's own sources, listed after the base's."""
    add: Additions = Additions()
    remove: tuple[Removal, ...] = ()
    override: dict[RequirementIdField, RequirementOverride] = Field(default_factory=dict)
    scoring: ScoringOverride = ScoringOverride()


_RESOLVING: ContextVar[tuple[str, ...]] = ContextVar("citcert_resolving_overlays", default=())

MAX_CHAIN = 10
"""Most overlays that may build on one another (a county's on a state's on a nation's needs
three); a longer chain is refused at the `extends:` that goes too far, before it can exhaust
the loader."""


def resolve_overlay(document: YamlDocument, *, store: StandardsStore | None = None) -> Standard:
    """
    Validate the overlay in `document`, find its base and resolve it to a full `Standard`.

    Raises `StandardFileError` for a malformed overlay and `OverlayError` for changes that
    cannot be applied (a missing target, an unjustified weakening), each with its line.
    """
    overlay = validate(Overlay, document)
    base = _find_base(overlay, document, store)
    return apply_overlay(base, overlay, document)


def _find_base(overlay: Overlay, document: YamlDocument, store: StandardsStore | None) -> Standard:
    from citcert.standards.registry import find_standard

    chain = _RESOLVING.get()
    own = f"{overlay.id}@{overlay.version}"
    where = document.location(("extends",))
    if overlay.extends in (*chain, own):
        circle = " → ".join((*chain, own, overlay.extends))
        raise OverlayError.single(f"overlays extend each other in a circle: {circle}", where)
    if len(chain) >= MAX_CHAIN:
        links = " → ".join((*chain[:2], "…", own, overlay.extends))
        raise OverlayError.single(
            f"overlays build on one another more than {MAX_CHAIN} deep ({links}); at most "
            f"{MAX_CHAIN} may, so extend the standard itself or an overlay nearer to it",
            where,
        )
    token = _RESOLVING.set((*chain, own))
    try:
        return find_standard(overlay.extends, store=store)
    except StandardNotFoundError as exc:
        raise OverlayError.single(f"the base standard cannot be found: {exc}", where) from None
    finally:
        _RESOLVING.reset(token)
