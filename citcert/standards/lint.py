"""
Lint: what a valid standard still leaves unsaid about where its rules come from.

A standard that loads is well formed; lint asks whether it is well founded. It warns of a
requirement with no source, a source still ``unverified``, a metric whose thresholds state no
origin (neither ``origin:`` nor ``proposal: true``), and a core requirement without a
``core_reason``. Warnings are advice, not errors: `citcert standards lint` prints them and
exits 0, or 1 with ``--strict`` when there are any. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from citcert.standards.identity import RequirementId
from citcert.standards.model import Standard, Verification


@dataclass(frozen=True, slots=True)
class LintWarning:
    """One lint warning: the requirement it is about, its kind and what to do."""

    requirement_id: RequirementId
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.requirement_id}: {self.message} [{self.kind}]"


KINDS = ("no-source", "unverified-source", "threshold-origin", "core-reason")
"""The kinds of warning, in the order they are checked."""


def lint(standard: Standard) -> list[LintWarning]:
    """Every warning for `standard`, requirement by requirement, in document order."""
    found: list[LintWarning] = []
    for _, req in standard.requirements():
        if not req.sources:
            found.append(LintWarning(req.id, "no-source", "no source is given"))
        found += [
            LintWarning(
                req.id,
                "unverified-source",
                f"source {source.url} is still unverified: check what it is cited for",
            )
            for source in req.sources
            if source.verification is Verification.UNVERIFIED
        ]
        metric = req.metric
        if metric is not None and not metric.proposal and not (metric.origin or "").strip():
            found.append(
                LintWarning(
                    req.id,
                    "threshold-origin",
                    f"the thresholds of '{metric.label}' state no origin "
                    "(add `origin:`, or `proposal: true` for citcert's own)",
                )
            )
        if req.core and not (req.core_reason or "").strip():
            found.append(LintWarning(req.id, "core-reason", "core, but no `core_reason` says why"))
    return found
