"""
A consensus review of the mini standard with long, real-sounding texts, built in code.

Every sheet the tracker can have is in it: the review's (strengths, comments for the program,
corrected numbers, internal notes, each rater's rating, agreement, calibration) and those of
``audit --since`` (progress since a previous audit, gaps closed, plan steps completed). Its
texts run to several hundred characters, in paragraphs, with a long web address and a date
range that wrap, as a reviewer's writing does.
"""

from __future__ import annotations

import datetime as dt

from citcert.audit.assessment import Assessment
from citcert.audit.compare import compare
from citcert.audit.review_facts import review_facts
from citcert.audit.scoring import assess
from citcert.standards.model import Standard
from citcert.workbook.evidence import CellRef, Mode, Rated
from citcert.workbook.review.layout import Kind
from citcert.workbook.review.model import Correction, RaterRating, RequirementReview, Review
from tests.audit.builders import make_evidence, sample_evidence

_ADDRESS = "https://www.example.org/riverside-county/cit/steering-committee/minutes/2024-q1.pdf"

SUMMARY = (
    "The charter was signed on 1 May 2019 by the chief of police, the sheriff and the director "
    "of the county's mental health board, and renewed in 2023 with a seat for NAMI Riverside. "
    "Minutes of every meeting since January 2022 are kept by the coordinator; attendance is "
    "recorded by sector, and the committee reviews the quarterly call data (CIT calls, "
    "transports, injuries) before setting the training calendar. "
    f"The minutes are published at {_ADDRESS} within two weeks of each meeting.\n"
    "Members: Chief A. Moreno (police), Sheriff L. Chen (sheriff's office), Dr. P. Okafor "
    "(mental health board), J. Alvarez (crisis line), and a peer-support specialist."
)
"""A program's evidence summary of some 900 characters, in two paragraphs."""

COMMENT = (
    "The committee meets and its minutes are thorough, but the advocates' seat has been "
    "vacant since March 2024 and no family or peer member has attended since then. Until it "
    "is filled, one of the three sectors the standard names is missing from the decisions "
    "that matter most (the training calendar, the transport protocol and the review of "
    "injuries).\n"
    "To be rated Met at the next review: name the new member, record their attendance in "
    "two consecutive sets of minutes, and send us the updated roster with affiliations."
)
"""A reviewer's comment for the program, some 600 characters, with its next step."""

STRENGTH = (
    "An unusually complete record: every meeting since 2022 has minutes, attendance by "
    "sector, and a decision log that the coordinator follows up at the next meeting."
)

NOTE = (
    "Panel only: the sheriff's representative told us off the record that the advocates' "
    "seat was left empty on purpose after a dispute about the transport protocol (2023-11-02 "
    "to 2024-02-15). Ask about it at the exit interview rather than in the written report."
)

REASON = (
    "Both raters agree the committee exists and meets; they differ on whether a vacant seat "
    "is a missing sector. The consensus follows the standard's anchor: a sector is missing "
    "when nobody from it sits on the committee, whatever the charter says."
)


def reviewed_assessment(standard: Standard) -> Assessment:
    """The consensus review of the sample program, with everything a tracker can show."""
    evidence = make_evidence(
        standard,
        {"PART-01": "met", "PART-02": "met", "TRN-01": "met", "TRN-02": "met", "TRN-03": "n/a"},
        numbers={
            "patrol_officers": 120,
            "cit_officers": 18,
            "last_committee_meeting": dt.date(2024, 2, 2),
        },
        summaries={"PART-01": SUMMARY, "TRN-01": SUMMARY[:400]},
        documents={"PART-01": ["Charter 2019.pdf", "Charter renewal 2023.pdf", "Minutes Q1.pdf"]},
        reviewer={"PART-01": "partially_met", "TRN-01": "partially_met"},
        comments={"PART-01": COMMENT},
        mode=Mode.REVIEW,
        program_name="Riverside & Lake County CIT",
    )
    review = _review(evidence.workbook_sha256)
    current = assess(standard, evidence, as_of=dt.date(2024, 6, 1))
    current = current.model_copy(update={"review": review_facts(standard, evidence, review)})
    previous = assess(standard, sample_evidence(standard), as_of=dt.date(2023, 6, 1))
    return current.model_copy(update={"since": compare(previous, current)})


def _review(submission_sha256: str) -> Review:
    def rated(level: str) -> Rated:
        return Rated(level=level)

    raters = ("Sam Reviewer", "Dr. Alexandra Montgomery-Whitfield")
    return Review(
        kind=Kind.CONSENSUS,
        file_name="consensus.xlsx",
        workbook_sha256="c" * 64,
        submission_name="riverside.xlsx",
        submission_sha256=submission_sha256,
        reviewers=raters,
        review_date=dt.date(2024, 6, 1),
        final=False,
        response_days=30,
        requirements=(
            RequirementReview(
                requirement_id="PART-01",
                rating=rated("partially_met"),
                comment=COMMENT,
                strength=STRENGTH,
                note=NOTE,
                reason=REASON,
                raters=(
                    RaterRating(rater=raters[0], rating=rated("partially_met")),
                    RaterRating(rater=raters[1], rating=rated("met")),
                ),
            ),
            RequirementReview(
                requirement_id="TRN-01",
                rating=rated("partially_met"),
                comment=COMMENT[:300],
                strength=STRENGTH[:120],
                raters=tuple(RaterRating(rater=r, rating=rated("partially_met")) for r in raters),
            ),
        ),
        corrections=(
            Correction(
                number_id="cit_officers",
                label="CIT-trained patrol officers",
                program_value="24",
                value=18,
                reason="Six of the 24 officers listed completed only the first two days of the "
                "40-hour course; the roster counts them as trained.",
                cell=CellRef(sheet="Program", cell="C12"),
            ),
        ),
    )
