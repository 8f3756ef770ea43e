"""
The `Comparison` of two audits of one program, as a model: what every view of it shows.

It lives apart from `citcert.audit.compare` (which works it out) so that an `Assessment` can
carry one: ``citcert audit NEW --since OLD`` puts the comparison with the previous audit in
the assessment's `since`, and every report lays it out as its "Progress since the last review".
"""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal

from citcert.standards.model import Model, RequirementId

SchemaVersion = Literal["1.0"]
"""The version of the layout of citcert's JSON outputs: the audit report, the comparison and the
roll-up's summary.json share it, and it changes only when one of them changes incompatibly."""
SCHEMA_VERSION: Final[SchemaVersion] = "1.0"


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

    requirement_id: RequirementId
    old_ids: tuple[RequirementId, ...]
    """Its id(s) in OLD; the same id unless the standard changed."""
    title: str
    core: bool
    old_label: str
    """The rating in OLD, e.g. ``Partially met``; ``not in <standard>`` when it is new."""
    new_label: str


class CompletedStep(Model):
    """A step of OLD's remediation plan whose gap is closed in NEW."""

    order: int
    requirement_id: RequirementId
    title: str
    actions: tuple[str, ...]
    owner: str


class IdChange(Model):
    """Requirement ids that changed between the two standards."""

    old_ids: tuple[RequirementId, ...]
    new_ids: tuple[RequirementId, ...]


class Comparison(Model):
    """What changed between two audits of one program, OLD first, NEW second."""

    schema_version: SchemaVersion = SCHEMA_VERSION
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
    removed_requirements: tuple[RequirementId, ...]
    """OLD's requirement ids that the newer standard no longer has."""
    warnings: tuple[str, ...]
    headline: str
