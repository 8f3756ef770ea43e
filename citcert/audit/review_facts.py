"""
The review facts of an assessment, from the review (or consensus) read from its workbook (pure).

Agreement comes from `citcert.audit.agreement`; calibration compares the program's self rating
with the review's rating per requirement and sums it up per domain. Dates come from the review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from citcert._words import join_words, plural
from citcert.audit.agreement import Figures, agreement
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
from citcert.standards.model import RatingScale, RequirementId, Standard
from citcert.workbook.evidence import Answer, Evidence, Rated, answer_label
from citcert.workbook.review.model import Correction, Review

NOT_RATED = "Not rated"
"""What a reviewer's blank rating is called in the panel's view."""


def review_facts(standard: Standard, evidence: Evidence, review: Review) -> ReviewFacts:
    """Everything `review` adds to the assessment of `evidence`, for every audience."""
    scale = standard.scoring.scale
    rows = []
    for domain in standard.domains:
        for requirement in domain.requirements:
            item = review.for_requirement(requirement.id)
            mine = evidence.for_requirement(requirement.id).self_rating
            rows.append(
                ReviewedRequirement(
                    requirement_id=requirement.id,
                    domain_id=domain.id,
                    title=requirement.title,
                    self_label=answer_label(scale, mine, NOT_RATED),
                    rating_label=answer_label(scale, item.rating, NOT_RATED),
                    comment=item.comment,
                    strength=item.strength,
                    note=item.note,
                    reason=item.reason,
                    raters=tuple(
                        RaterView(rater=r.rater, label=answer_label(scale, r.rating, NOT_RATED))
                        for r in item.raters
                    ),
                    difference=_difference(scale, mine, item.rating),
                )
            )
    return ReviewFacts(
        kind=review.kind.value,
        reviewers=review.reviewers,
        review_date=review.review_date,
        final=review.final,
        response_days=review.response_days,
        decision_date=review.decision_date,
        status=status_sentence(review),
        submission_name=review.submission_name,
        submission_sha256=review.submission_sha256,
        requirements=tuple(rows),
        strengths=tuple(
            Strength(requirement_id=r.requirement_id, title=r.title, text=r.strength)
            for r in rows
            if r.strength
        ),
        corrections=tuple(
            NumberCorrection(
                number_id=c.number_id,
                label=c.label,
                program_value=c.program_value or "none given",
                value=_value(standard, c),
                reason=c.reason,
                sentence=f"{c.label}: the program gave {c.program_value or 'no number'}; the "
                f"reviewer's {_value(standard, c)} was used ({c.reason}).",
            )
            for c in review.corrections
        ),
        agreement=_agreement(standard, review, rows) if review.kind.value == "consensus" else None,
        calibration=calibration(standard, rows),
    )


def _value(standard: Standard, correction: Correction) -> str:
    """A corrected number as the report gives it: a choice by its label, a date in ISO form."""
    value = correction.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return standard.number(correction.number_id).choice(value).label
    return str(int(value)) if float(value).is_integer() else str(value)


def _position(scale: RatingScale, answer: Answer) -> int | None:
    if isinstance(answer, Rated):
        return next(i for i, lv in enumerate(scale.levels) if lv.id == answer.level)
    return None


def _difference(scale: RatingScale, mine: Answer, theirs: Answer) -> int | None:
    a, b = _position(scale, mine), _position(scale, theirs)
    return None if a is None or b is None else b - a  # best level is position 0


def status_sentence(review: Review) -> str:
    """The banner a draft carries on every page, or the final's line naming who and when."""
    names = join_words(list(review.reviewers)) or "the reviewers"
    date = review.review_date
    if review.final:
        return f"Final review by {names}; decision of {(review.decision_date or date).isoformat()}."
    until = date + dt.timedelta(days=review.response_days)
    days = plural(review.response_days, "day")
    return (
        f"DRAFT, not a decision: the program may respond within {days} "
        f"of {date.isoformat()} (until {until.isoformat()}). Review by {names}."
    )


def _agreement(
    standard: Standard, review: Review, rows: list[ReviewedRequirement]
) -> AgreementFigures:
    raters = tuple(r.rater for r in review.requirements[0].raters) if review.requirements else ()
    by_id = {row.requirement_id: row for row in rows}
    return rater_agreement(
        standard,
        raters,
        {i.requirement_id: tuple(r.rating for r in i.raters) for i in review.requirements},
        {},
        {
            i.requirement_id: (by_id[i.requirement_id].rating_label, i.reason)
            for i in review.requirements
        },
    )


def rater_agreement(
    standard: Standard,
    raters: tuple[str, ...],
    ratings: Mapping[RequirementId, tuple[Answer, ...]],
    comments: Mapping[RequirementId, tuple[str, ...]],
    consensus: Mapping[RequirementId, tuple[str, str]] | None = None,
) -> AgreementFigures:
    """
    The agreement of `raters` over every requirement: the figures and every disagreement, with
    each rater's rating and comment (and the consensus rating and reason once there is one).
    """
    scale = standard.scoring.scale
    positions = []
    disagreements = []
    for _, requirement in standard.requirements():
        answers = ratings.get(requirement.id, ())
        found = [_position(scale, a) for a in answers]
        if answers and all(p is not None for p in found):
            positions.append([p for p in found if p is not None])
        if len({a.model_dump_json() for a in answers}) > 1:
            said = comments.get(requirement.id, ("",) * len(answers))
            agreed, reason = (consensus or {}).get(requirement.id, ("", ""))
            disagreements.append(
                Disagreement(
                    requirement_id=requirement.id,
                    title=requirement.title,
                    ratings=tuple(
                        RaterView(rater=n, label=answer_label(scale, a, NOT_RATED), comment=c)
                        for n, a, c in zip(raters, answers, said, strict=True)
                    ),
                    consensus_label=agreed,
                    reason=reason,
                )
            )
    figures = agreement(positions, len(scale.levels))
    return AgreementFigures(
        raters=raters,
        items=figures.items,
        exact=figures.exact,
        within_one=figures.within_one,
        statistic=figures.statistic,
        value=figures.value,
        sentence=agreement_sentence(figures),
        disagreements=tuple(disagreements),
    )


def agreement_sentence(figures: Figures) -> str:
    """The agreement figures in one line."""
    exact, within, value = figures.exact, figures.within_one, figures.value
    if not figures.items or exact is None or within is None:
        return "No requirement was rated at a level by every rater: no agreement figures."
    stat = "cannot be computed (no spread in the ratings)" if value is None else f"{value:.2f}"
    return (
        f"Over {plural(figures.items, 'requirement')} rated by every rater: exact agreement "
        f"{exact:.0%}, within one level {within:.0%}; {figures.statistic} {stat}."
    )


def calibration(
    standard: Standard, rows: list[ReviewedRequirement]
) -> tuple[DomainCalibration, ...]:
    """Per domain: how often and how far the program's self rating was above or below."""
    out = []
    for domain in standard.domains:
        diffs = [
            r.difference for r in rows if r.domain_id == domain.id and r.difference is not None
        ]
        higher = sum(d > 0 for d in diffs)
        lower = sum(d < 0 for d in diffs)
        mean = sum(diffs) / len(diffs) if diffs else None
        if not diffs:
            sentence = "No requirement has both a self rating and a review rating."
        elif higher == lower == 0:
            sentence = (
                "The program's self rating matched the review on its one requirement."
                if len(diffs) == 1
                else f"The program's self ratings matched the review on all {len(diffs)}."
            )
        else:
            direction = (
                "higher" if (mean or 0) > 0 else "lower" if (mean or 0) < 0 else "as high as"
            )
            sentence = (
                f"The program rated itself higher on {higher} and lower on {lower} of "
                f"{len(diffs)}; on average {abs(mean or 0):.1f} levels {direction} than the review."
            )
        out.append(
            DomainCalibration(
                domain_id=domain.id,
                title=domain.title,
                compared=len(diffs),
                higher=higher,
                lower=lower,
                same=len(diffs) - higher - lower,
                mean_difference=None if mean is None else round(mean, 2),
                sentence=sentence,
            )
        )
    return tuple(out)
