"""
Exceptions (waivers) in the score: in force, out of the score like not applicable; expired, a
finding that counts as not met.

Pure. The reader has already refused what the standard's policy does not allow; here only the
as-of date decides. An exception holds through its expiry day. The results without exceptions
are kept, so every report can show the decision with and without them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from citcert._words import percent, plural
from citcert.audit.assessment import (
    Decision,
    ExceptionResult,
    ExceptionsView,
    Finding,
    FindingKind,
    RequirementResult,
    Status,
)
from citcert.standards.model import Standard
from citcert.workbook.evidence import Waiver

EXCEPTED = "Excepted"
"""What reports print as the rating of a requirement excepted by an exception in force."""


def apply_exceptions(
    standard: Standard,
    waivers: Sequence[Waiver],
    results: tuple[RequirementResult, ...],
    as_of: dt.date,
) -> tuple[RequirementResult, ...]:
    """The results with each exception applied: out of the score, or not met when expired."""
    by_id = {w.requirement_id: w for w in waivers}
    lowest = standard.scoring.scale.levels[-1]
    out = []
    for r in results:
        waiver = by_id.get(r.requirement_id)
        if waiver is None:
            out.append(r)
        elif waiver.expired(as_of):
            expired = Finding(
                kind=FindingKind.EXCEPTION_EXPIRED,
                requirement_id=r.requirement_id,
                message=(
                    f"The exception approved by {waiver.approved_by} expired on "
                    f"{waiver.expires_on.isoformat()}; the requirement counts as "
                    f"{lowest.label} until it is met or excepted again."
                ),
            )
            out.append(
                r.model_copy(
                    update={
                        "status": Status.NOT_MET,
                        "level": lowest.id,
                        "level_label": lowest.label,
                        "credit": lowest.credit,
                        "applicable": True,
                        "findings": (*r.findings, expired),
                    }
                )
            )
        else:
            label = f"{EXCEPTED} until {waiver.expires_on.isoformat()}"
            out.append(
                r.model_copy(
                    update={
                        "status": Status.NOT_APPLICABLE,
                        "level_label": label,
                        "credit": 0.0,
                        "applicable": False,
                        "excepted": True,
                    }
                )
            )
    return tuple(out)


def exceptions_view(
    standard: Standard,
    waivers: Sequence[Waiver],
    as_of: dt.date,
    *,
    with_: tuple[float, Decision],
    without: tuple[float, Decision],
) -> ExceptionsView | None:
    """The exceptions listed, and the decision with and without them (``None`` for none)."""
    if not waivers:
        return None
    items = tuple(
        ExceptionResult(
            requirement_id=w.requirement_id,
            title=standard.requirement(w.requirement_id).title,
            justification=w.justification,
            approved_by=w.approved_by,
            approved_on=w.approved_on,
            expires_on=w.expires_on,
            expired=w.expired(as_of),
            cell=str(w.row) if w.row else None,
        )
        for w in waivers
    )
    expired = sum(1 for i in items if i.expired)
    in_force = len(items) - expired
    return ExceptionsView(
        items=items,
        in_force=in_force,
        expired=expired,
        overall_without=without[0],
        decision_without=without[1],
        sentence=_sentence(in_force, expired, with_, without),
    )


def _sentence(
    in_force: int, expired: int, with_: tuple[float, Decision], without: tuple[float, Decision]
) -> str:
    held = plural(in_force, "exception in force", "exceptions in force", none=True)
    text = (
        f"With {held}: {with_[1].label} ({percent(with_[0])}); without any exception: "
        f"{without[1].label} ({percent(without[0])})."
    )
    if expired:
        verbs = "has expired and counts" if expired == 1 else "have expired and count"
        text += f" {plural(expired, 'exception')} {verbs} as not met."
    return text
