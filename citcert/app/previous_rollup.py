"""
The previous roll-up read back, for ``citcert batch --since PREVIOUS_OUTDIR``.

This is an edge: the ``summary.json`` an earlier batch wrote (roll-up schema 2.0 to 2.3) is
read bounded, checked, and reduced to what the change since then needs: the rows it counted,
each with its program, decision and overall score, and its decision levels. A roll-up of schema
2.2 or 2.3 says which rows it counted (``counted``); an older one counted every workbook, and the
core counts its programs again by the same rule (`citcert.audit.calendar.counted_before`), lest a
program it held twice come back as "no longer in the batch". Anything else in the file is
ignored, so a roll-up of an older citcert still compares. A folder without one, or a file that
is not one, is a plain error naming the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from citcert.audit.calendar import PreviousRollup, PreviousRow
from citcert.errors import CitcertError, Location
from citcert.standards.identity import LevelId
from citcert.workbook.evidence import Mode

MAX_SUMMARY_BYTES = 200 * 1024 * 1024
"""A larger summary.json is not one citcert wrote; refused before it is read."""


class _Row(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    audited: bool
    file: str
    program: str | None = None
    decision_id: LevelId | None = None
    decision: str | None = None
    overall_score: Annotated[float, Field(ge=0, le=100)] | None = None
    counted: bool | None = None
    """False for a program's row another row replaced (schema 2.2 on; older rows are counted)."""
    jurisdiction: str | None = None
    assessment_date: dt.date | None = None
    mode: Mode | None = None
    standard: str | None = None


class _Decision(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    standard_id: str | None = None
    decision_id: LevelId
    label: str
    programs: Annotated[int, Field(ge=0)]


class _Summary(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    schema_version: Literal["2.0", "2.1", "2.2", "2.3"]
    rows: tuple[_Row, ...]
    decisions: tuple[_Decision, ...]
    latest_assessment: dt.date | None = None

    @model_validator(mode="after")
    def _levels_known(self) -> _Summary:
        """Each row decides one of the levels the roll-up counts."""
        known = {d.decision_id for d in self.decisions}
        for row in self.rows:
            if row.decision_id is not None and row.decision_id not in known:
                raise ValueError(
                    f"the row of {row.file} decides {row.decision_id}, which is not one of its "
                    f"levels ({', '.join(sorted(known))})"
                )
        return self


def read_previous(given: Path) -> PreviousRollup:
    """
    The roll-up in the folder `given` (its ``summary.json``), or in the file `given` (that
    summary.json itself), as the change since then needs it.
    """
    from citcert._files import read_regular

    path = given if given.is_file() else given / "summary.json"
    where = Location(file=given.name if given.is_file() else f"{given.name}/summary.json")
    if not path.exists():
        raise CitcertError.single(
            "is missing: give --since the output folder of an earlier `citcert batch`",
            where,
            "--since",
        )
    data = read_regular(path, MAX_SUMMARY_BYTES, what="previous roll-up")
    try:
        summary = _Summary.model_validate_json(data)
    except ValidationError as error:
        raise CitcertError.single(_not_a_rollup(error), where, "--since") from None
    rows = tuple(
        PreviousRow(
            r.file,
            r.program,
            r.decision_id,
            r.decision,
            r.overall_score,
            r.jurisdiction or "",
            r.assessment_date,
            r.mode,
            r.standard or "",
        )
        for r in summary.rows
        if r.audited and r.counted is not False and r.program and r.decision_id and r.decision
    )
    levels = tuple((d.standard_id or "", d.decision_id, d.label) for d in summary.decisions)
    return PreviousRollup(rows, levels, summary.latest_assessment)


def _not_a_rollup(error: ValidationError) -> str:
    from citcert.app.reports import json_problem

    return json_problem(
        error,
        what="a roll-up written by `citcert batch`",
        other_version=(
            "was written by a citcert whose roll-up this one does not read (schema_version "
            "2.0 to 2.3 is read); run that batch again with this citcert first"
        ),
    )
