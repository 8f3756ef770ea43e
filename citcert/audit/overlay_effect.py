"""
What an overlay did to one program's decision: the same evidence decided against its base.

An overlay's changes are recorded and shown one by one, but what a coordinator and a state
analyst need to know is their effect: would this program be decided as well without them? The
base alone is given the very evidence the overlay's workbook holds (a requirement the overlay
removes was never answered, and counts as unanswered there, which the sentence says).
Pure, like the rest of the core.
"""

from __future__ import annotations

import datetime as dt

from citcert._words import percent, plural
from citcert.audit.assessment import Assessment, WithoutOverlay
from citcert.audit.decision import rank
from citcert.audit.scoring import assess
from citcert.standards.model import LevelId, Standard
from citcert.workbook.evidence import Evidence, Mode


def without_overlay(
    base: Standard,
    tailored: Assessment,
    evidence: Evidence,
    *,
    as_of: dt.date | None = None,
    mode: Mode | None = None,
) -> WithoutOverlay:
    """The decision `base` alone gives `evidence`, compared with the overlay's `tailored` one."""
    alone = assess(base, evidence, as_of=as_of, mode=mode)
    kept = {result.requirement_id for result in tailored.results}
    removed = sum(1 for _, r in base.requirements() if r.id not in kept)
    better = _rank(base, tailored.decision.level_id) < _rank(base, alone.decision.level_id)
    return WithoutOverlay(
        base_ref=base.ref,
        level_id=alone.decision.level_id,
        label=alone.decision.label,
        overall_score=alone.overall_score,
        better=better,
        removed=removed,
        sentence=_sentence(base.ref, alone, tailored, better, removed),
    )


def _rank(base: Standard, level_id: LevelId) -> int:
    """A decision level's place among the base's (an overlay keeps its base's levels)."""
    try:
        return rank(base.scoring, level_id)
    except ValueError:
        return len(base.scoring.decision_levels)


def _sentence(
    base_ref: str, alone: Assessment, tailored: Assessment, better: bool, removed: int
) -> str:
    decided = f"{alone.decision.label} ({percent(alone.overall_score)})"
    if better:
        text = (
            f"Under {base_ref} without the overlay this program would be {decided}, not "
            f"{tailored.decision.label} ({percent(tailored.overall_score)}): the overlay's "
            "changes, not the program, make the difference."
        )
    else:
        text = f"Under {base_ref} without the overlay the decision would be {decided}."
    if removed:
        verb = "counts" if removed == 1 else "count"
        text += (
            f" The {plural(removed, 'requirement')} the overlay removes {verb} as unanswered "
            "there, since this workbook was not asked them."
        )
    return text
