"""
The hostile assessment as a consensus review: every review fact filled, with hostile text.

Each panel-only text (internal notes, the reasons of the consensus, a rater's comment, the
agreement and calibration sentences) carries `SECRET`, so a test can search an applicant's
report for it in every format; each text the program may read carries hostile markup instead.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from citcert.audit.assessment import Assessment
from citcert.audit.review_model import (
    AgreementFigures,
    Disagreement,
    DomainCalibration,
    NumberCorrection,
    RaterView,
    ReviewedRequirement,
    ReviewFacts,
    Strength,
)
from citcert.export.review import Agreement
from tests.export.assessment_fixture import (
    CJK_EMOJI,
    FORMULAS,
    LINES,
    LONG_WORD,
    MARKUP,
    SCRIPTS,
    hostile_assessment,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SECRET = "PANEL-ONLY-c41d7e"
"""In every panel-only text: it must be in no byte of an applicant's report."""
RATERS = ("Dr. Zoë O'Brien", "<Sam> & Lee " + CJK_EMOJI)
REVIEW_DATE = dt.date(2025, 3, 10)
DRAFT_BANNER = (
    "DRAFT, not a decision: the program may respond within 30 days of 2025-03-10 "
    "(until 2025-04-09). Review by " + " and ".join(RATERS) + "."
)
OVERRIDE = "reversed \u202eby an override"
"""A right-to-left override with nothing to close it, typed into a strength."""
FINAL_BANNER = "Final review by " + " and ".join(RATERS) + "; decision of 2025-03-14."


def _requirements(a: Assessment) -> tuple[ReviewedRequirement, ...]:
    rows = []
    for i, r in enumerate(a.results):
        raters = (
            RaterView(rater=RATERS[0], label=r.level_label, comment=f"{SECRET} first {MARKUP}"),
            RaterView(rater=RATERS[1], label="Not met" if i % 2 else r.level_label),
        )
        rows.append(
            ReviewedRequirement(
                requirement_id=r.requirement_id,
                domain_id=r.domain_id,
                title=r.title,
                self_label="Met",
                rating_label=r.level_label,
                comment=(f"Comment on {r.requirement_id}: {MARKUP} {LINES}" if i % 3 == 0 else ""),
                strength="",
                note=f"{SECRET} note on {r.requirement_id}: {SCRIPTS}" if i % 2 == 0 else "",
                reason=f"{SECRET} reason {FORMULAS[6]}" if i % 2 else "",
                raters=raters,
                difference=None if r.level_label == "Not applicable" else i % 3 - 1,
            )
        )
    return tuple(rows)


def hostile_review(*, final: bool = True) -> Assessment:
    """The hostile assessment with the facts of a consensus of two raters (the panel's view)."""
    a = hostile_assessment()
    rows = _requirements(a)
    first = rows[1]
    facts = ReviewFacts(
        kind="consensus",
        reviewers=RATERS,
        review_date=REVIEW_DATE,
        final=final,
        response_days=30,
        decision_date=dt.date(2025, 3, 14) if final else None,
        status=FINAL_BANNER if final else DRAFT_BANNER,
        submission_name="program <submitted>.xlsx",
        submission_sha256="c" * 64,
        requirements=rows,
        strengths=(
            Strength(requirement_id="PART-01", title=MARKUP, text=f"Praised: {MARKUP} {LONG_WORD}"),
            Strength(requirement_id="TRN-01", title=SCRIPTS, text=f"{LINES} {OVERRIDE}"),
        ),
        corrections=(
            NumberCorrection(
                number_id="patrol_officers",
                label="Patrol officers",
                program_value="120",
                value="140",
                reason=MARKUP,
                sentence=f"Patrol officers: the program gave 120, the reviewers used 140 {MARKUP}",
            ),
        ),
        agreement=AgreementFigures(
            raters=RATERS,
            items=8,
            exact=0.5,
            within_one=1.0,
            statistic="weighted Cohen's kappa (linear weights)",
            value=1 / 3,
            sentence=f"{SECRET} Over 8 requirements rated by every rater: exact agreement 50%.",
            disagreements=(
                Disagreement(
                    requirement_id=first.requirement_id,
                    title=first.title,
                    ratings=first.raters,
                    consensus_label=first.rating_label,
                    reason=first.reason,
                ),
            ),
        ),
        calibration=tuple(
            DomainCalibration(
                domain_id=d.domain_id,
                title=d.title,
                compared=2,
                higher=1,
                lower=0,
                same=1,
                mean_difference=0.5,
                sentence=f"{SECRET} rated itself higher on 1 of 2.",
            )
            for d in a.domains
        ),
    )
    return a.model_copy(update={"review": facts})


def hostile_agreement(*, disagreements: bool = True) -> Agreement:
    """What `review reconcile` reports, with hostile rater names, titles and comments."""
    review = hostile_review().review
    assert review is not None and review.agreement is not None
    figures = review.agreement
    rows = tuple(
        Disagreement(
            requirement_id=f"TRN-0{i}",
            title=(MARKUP, SCRIPTS, LONG_WORD)[i % 3],
            ratings=(
                RaterView(rater=RATERS[0], label="Met", comment=f"{OVERRIDE} {LINES}"),
                RaterView(rater=RATERS[1], label="Not met", comment=FORMULAS[6] if i else ""),
            ),
            consensus_label="",
            reason="",
        )
        for i in range(3)
    )
    figures = figures.model_copy(
        update={
            "sentence": "Over 8 requirements rated by every rater: exact agreement 62%.",
            "disagreements": rows if disagreements else (),
        }
    )
    return Agreement(
        figures, "Ærøskøbing & <Valley> CIT Program", "program <submitted>.xlsx", "x@1"
    )


def two_reviews(folder: Path) -> tuple[Path, Path]:
    """
    Two reviewers' workbooks of the Lakemont submission: the example's, and a copy by another
    reviewer who rated the first two requirements Not met, with a comment holding markup.
    """
    from openpyxl import load_workbook

    from citcert.workbook import layout as L
    from citcert.workbook.review import layout as R

    first, second = folder / "review-okafor.xlsx", folder / "review-lee.xlsx"
    shutil.copy(EXAMPLES / "lakemont-metro-review.xlsx", first)
    shutil.copy(first, second)
    book = load_workbook(second)
    ws = book[R.REVIEW_SHEET]
    headers = {c.value: c.column for c in ws[L.HEADER_ROW] if c.value}
    for row in (L.FIRST_DATA_ROW, L.FIRST_DATA_ROW + 1):
        ws.cell(row, headers["Rating"]).value = "Not met"
        ws.cell(row, headers["Comment for the program"]).value = "No <minutes> & no roster."
    for row in book[R.REVIEWER_SHEET].iter_rows():
        if row[0].value == "reviewer":
            row[2].value = "Sam Lee"
    book.save(second)
    return first, second
