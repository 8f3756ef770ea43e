"""
Explanation: the words an assessment opens with, the headline and how scoring works.

Both are generated, never written by hand: the headline from the scored facts and the plan, the
scoring explanation from the standard's own policy (scale, unsupported claims, metrics, score
method, decision levels). So what a report says about how it scored cannot drift from what the
scorer did, and a tailored standard explains its own rules.
"""

from __future__ import annotations

from typing import assert_never

from citcert._words import join_words, percent, plural
from citcert.audit import plan as planner
from citcert.audit.assessment import Counts, Decision, RemediationPlan
from citcert.audit.context import Context
from citcert.audit.decision import describe
from citcert.audit.validity import validity_lines
from citcert.standards.model import OverallMethod, RatingScale, ScoringPolicy, Standard
from citcert.workbook.evidence import Mode


def standing(standard_ref: str) -> str:
    """
    What a citcert decision is and is not, in one sentence every report carries.

    CIT International runs its own program certification, and states run recognition programs;
    a reader must never take a citcert decision for one of them.
    """
    return (
        f"This decision is citcert's own reading of {standard_ref}; it is not a certification "
        "by CIT International or by any other body."
    )


def headline(
    ctx: Context,
    overall: float,
    decision: Decision,
    counts: Counts,
    plan: RemediationPlan,
    points: tuple[float | None, float | None] = (None, None),
) -> str:
    """The one plain paragraph a report opens with."""
    profile = ctx.evidence.profile
    place = ", ".join(p.strip() for p in (profile.jurisdiction, profile.state) if p.strip())
    who = f"{profile.program_name} ({place})" if place else profile.program_name
    gaps = plural(counts.gaps, "gap", none=True)
    if counts.core_gaps:
        gaps += f", {counts.core_gaps} on core requirement{'s' if counts.core_gaps > 1 else ''}"
    sentences = [
        f"{who}: {decision.label}.",
        standing(ctx.standard.ref),
        f"Assessed against {ctx.standard.title} ({ctx.standard.ref}) as of "
        f"{ctx.as_of.isoformat()}, as {_how(ctx)}.",
        f"Overall score {percent(overall)}; {counts.met} of {counts.applicable} applicable "
        f"requirements met; {gaps}.",
    ]
    earned, most = points
    if earned is not None and most is not None:
        sentences.insert(3, f"Total points {earned:g} of {most:g}.")
    if decision.reasons:
        sentences.append(f"Short of “{decision.next_level_label}”: {'; '.join(decision.reasons)}.")
    lifting = planner.lift_sentence(plan.steps)
    if lifting:
        sentences.append(lifting)
    return " ".join(sentences)


def _how(ctx: Context) -> str:
    reviewer = ctx.evidence.profile.reviewer.strip()
    if ctx.mode is Mode.REVIEW and reviewer:
        return f"a {ctx.mode.noun} by {reviewer}"
    return f"a {ctx.mode.noun}"


def explain(standard: Standard) -> tuple[str, ...]:
    """How scoring and the decision work for this standard, in sentences made from its policy."""
    policy = standard.scoring
    lines = [
        _scale_line(policy.scale),
        f"“{policy.scale.not_applicable_label}” leaves a requirement out of every score where "
        f"the standard allows it; where it does not, it counts as {policy.scale.levels[-1].label}.",
        "An unanswered requirement earns no credit and counts as a gap.",
        _claim_line(policy),
        _metric_line(policy),
        "In a review the reviewer's rating counts; where the reviewer gave none, the program's "
        "own rating is used and marked unverified.",
        "A requirement counted as met whose prerequisite is not met is flagged but keeps its "
        "credit: the shortfall is counted once, at the prerequisite.",
        _score_line(policy),
        "The decision is the highest level whose conditions all hold:",
        *(f"{lv.label}: {describe(lv.conditions)}." for lv in policy.decision_levels),
        *validity_lines(policy),
    ]
    if policy.evidence_max_age_days is not None:
        lines.insert(5, (
            f"Documents dated more than {policy.evidence_max_age_days} days before the "
            "assessment date are flagged as stale; they still count as evidence."
        ))  # fmt: skip
    if policy.proposal_note:
        lines.append(policy.proposal_note.strip())
    return tuple(lines)


def _scale_line(scale: RatingScale) -> str:
    parts = [
        f"{lv.label} {percent(100 * lv.credit)}"
        + (f", {lv.points:g} points" if lv.points is not None else "")
        + (" (counts as met)" if lv.meets else "")
        for lv in scale.levels
    ]
    text = f"Each rating earns a share of the requirement's weight: {join_words(parts)}."
    if scale.has_points:
        text += (
            " The total of points adds each counted requirement's points times its weight; "
            "an unanswered requirement earns none."
        )
    return text


def _claim_line(policy: ScoringPolicy) -> str:
    meeting = " or ".join(lv.label for lv in policy.scale.levels if lv.meets)
    start = (
        f"A rating of {meeting} with no evidence summary and no document is an unsupported claim"
    )
    if policy.unsupported_claim is None:
        return f"{start}; it is flagged, and this standard does not lower its credit."
    treat = policy.scale.level(policy.unsupported_claim.treat_as).label
    return (
        f"{start} and is scored as {treat} (in a review, the reviewer's comment counts as "
        "evidence for the reviewer's rating)."
    )


def _metric_line(policy: ScoringPolicy) -> str:
    text = (
        "Measurable requirements are rated from the program's numbers against their "
        "thresholds; when a rating disagrees with the numbers, the numbers count, and a date "
        "too long ago is flagged as stale. When a number is missing the rating stands"
    )
    if policy.unsupported_claim is None:
        return f"{text}, with a finding."
    treat = policy.scale.level(policy.unsupported_claim.treat_as).label
    return f"{text}, but a rating that counts as met is scored as {treat}."


def _score_line(policy: ScoringPolicy) -> str:
    domain = "A domain's score is the weighted mean of the credits of its applicable requirements"
    if not policy.include_core_in_scores:
        domain += ", leaving out core requirements (they count through the decision)"
    match policy.overall:
        case OverallMethod.REQUIREMENTS:
            overall = "the overall score is the same mean over every applicable requirement"
        case OverallMethod.DOMAINS:
            overall = "the overall score is the plain mean of the domain scores"
        case _:
            assert_never(policy.overall)
    return f"{domain}; {overall}."
