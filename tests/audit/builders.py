"""
Evidence built in code for the audit and writer tests, against the mini standard.

`make_evidence` gives every requirement of a standard a row: a self rating (a level id, ``"n/a"``
for not applicable with a reason, ``"n/a!"`` without one, ``None`` for unanswered), an evidence
summary so that no claim is unsupported unless a test says so, and the program's numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from citcert.standards.model import Standard
from citcert.workbook.evidence import (
    Answer,
    CellRef,
    Document,
    Evidence,
    Mode,
    NotApplicableAnswer,
    NumberValue,
    ProgramProfile,
    Rated,
    RequirementEvidence,
    Unanswered,
)

AS_OF = dt.date(2024, 6, 1)

GOOD_NUMBERS: dict[str, NumberValue | None] = {
    "patrol_officers": 100,
    "cit_officers": 25,
    "last_committee_meeting": dt.date(2024, 5, 1),
}
"""Numbers that meet every metric of the mini standard (25%, 31 days)."""

ALL_MET = {"PART-01": "met", "PART-02": "met", "TRN-01": "met", "TRN-02": "met", "TRN-03": "met"}


def answer(value: str | None) -> Answer:
    """A workbook answer from a short spelling (see the module docstring)."""
    if value is None:
        return Unanswered()
    if value == "n/a":
        return NotApplicableAnswer(reason="Our agencies do not serve schools.")
    if value == "n/a!":
        return NotApplicableAnswer(reason="")
    return Rated(level=value)


def make_evidence(
    standard: Standard,
    ratings: Mapping[str, str | None] = ALL_MET,
    *,
    reviewer: Mapping[str, str | None] | None = None,
    numbers: Mapping[str, NumberValue | None] = GOOD_NUMBERS,
    summaries: Mapping[str, str] | None = None,
    documents: Mapping[str, Sequence[str]] | None = None,
    comments: Mapping[str, str] | None = None,
    metric_values: Mapping[str, float | None] | None = None,
    index: Sequence[Document] = (),
    mode: Mode = Mode.SELF,
    program_name: str = "Riverside County CIT",
    as_of: dt.date = AS_OF,
) -> Evidence:
    """An `Evidence` for `standard` with the given answers (unlisted requirements: unanswered)."""
    summaries = summaries or {}
    documents = documents or {}
    comments = comments or {}
    metric_values = {"TRN-02": 40.0, **(metric_values or {})}
    rows = []
    for number, (_, req) in enumerate(standard.requirements(), start=5):
        rows.append(
            RequirementEvidence(
                requirement_id=req.id,
                self_rating=answer(ratings.get(req.id)),
                reviewer_rating=answer((reviewer or {}).get(req.id)),
                evidence_summary=summaries.get(req.id, "Described in the attached records."),
                documents=tuple(documents.get(req.id, ())),
                metric_value=metric_values.get(req.id),
                reviewer_comment=comments.get(req.id, ""),
                row=CellRef(sheet="Requirements", cell=f"F{number}"),
            )
        )
    profile = ProgramProfile(
        program_name=program_name,
        jurisdiction="Riverside County",
        state="OH",
        agencies="Riverside Police Department; Riverside County Sheriff",
        coordinator="Dana Example",
        contact="dana@example.org",
        population_served=250000,
        assessment_type=mode,
        assessment_date=as_of,
        reviewer="Sam Reviewer" if mode is Mode.REVIEW else "",
    )
    return Evidence(
        standard_ref=standard.ref,
        standard_sha256="0" * 64,
        layout_version=1,
        file_name="riverside.xlsx",
        workbook_sha256="f" * 64,
        profile=profile,
        numbers=dict(numbers),
        requirements=tuple(rows),
        documents=tuple(index),
    )


def variant(standard: Standard, change: Callable[[dict[str, Any]], None]) -> Standard:
    """A copy of `standard` with `change` applied to its plain-data form, validated again."""
    raw = standard.model_dump(mode="json")
    change(raw)
    return Standard.model_validate(raw)


def requirement_data(raw: dict[str, Any], requirement_id: str) -> dict[str, Any]:
    """The plain-data form of one requirement inside a standard's plain data."""
    for domain in raw["domains"]:
        for req in domain["requirements"]:
            if req["id"] == requirement_id:
                found: dict[str, Any] = req
                return found
    raise KeyError(requirement_id)


def sample_evidence(standard: Standard) -> Evidence:
    """
    A review of a mixed program on the mini standard: every kind of outcome in one workbook.

    PART-01: reviewer lowers a met to partial and cites a stale charter; PART-02: no reviewer
    rating and a committee that last met 120 days ago; TRN-01: 18 of 120 officers trained;
    TRN-02: no rating but 36 course hours on the row; TRN-03: not applicable with no reason.
    """
    return make_evidence(
        standard,
        {"PART-01": "met", "PART-02": "met", "TRN-01": "met", "TRN-02": None, "TRN-03": "n/a!"},
        reviewer={"PART-01": "partially_met", "TRN-01": "met"},
        numbers={
            "patrol_officers": 120,
            "cit_officers": 18,
            "last_committee_meeting": dt.date(2024, 2, 2),
        },
        summaries={"PART-01": "Charter signed by police & the county's mental health board."},
        documents={"PART-01": ["Charter 2019.pdf"]},
        comments={"PART-01": "Advocates' seat has been vacant since March; see *minutes*."},
        metric_values={"TRN-02": 36},
        index=[Document(name="Charter 2019.pdf", date=dt.date(2019, 5, 1))],
        mode=Mode.REVIEW,
        program_name="Riverside & Lake County CIT",
    )
