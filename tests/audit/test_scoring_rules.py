"""The scorer on the mini standard: whose rating counts, metrics, findings, scores, words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from citcert import __version__
from citcert.audit.assessment import (
    Assessment,
    FindingKind,
    RatingSource,
    RequirementResult,
    Severity,
    Status,
)
from citcert.audit.scoring import assess
from citcert.standards.model import (
    ChangeKind,
    Standard,
    Tailoring,
    TailoringChange,
    standard_sha256,
)
from citcert.workbook.evidence import Document, Mode
from tests.audit.builders import ALL_MET, AS_OF, GOOD_NUMBERS, make_evidence, variant


def result(assessment: Assessment, requirement_id: str) -> RequirementResult:
    """The result of one requirement."""
    return next(r for r in assessment.results if r.requirement_id == requirement_id)


def kinds(assessment: Assessment, requirement_id: str) -> list[FindingKind]:
    """The kinds of finding raised on one requirement, in order."""
    return [f.kind for f in result(assessment, requirement_id).findings]


def test_a_program_meeting_everything_is_certified(mini_standard: Standard) -> None:
    """Every requirement met with evidence and good numbers: certified, 100%, no gaps, no plan."""
    a = assess(mini_standard, make_evidence(mini_standard))
    assert a.decision.level_id == "certified"
    assert a.overall_score == 100
    assert a.gaps == () and a.plan.steps == ()
    assert a.counts.met == 5 and a.counts.findings == 0
    assert a.decision.reasons == ()
    assert a.plan.summary.startswith("Nothing to remediate")
    assert {r.source for r in a.results} == {RatingSource.SELF, RatingSource.METRIC}


def test_review_mode_reviewer_wins_and_self_only_is_unverified(mini_standard: Standard) -> None:
    """In a review the reviewer's rating counts; a self rating alone is used but unverified."""
    ratings = {**ALL_MET, "PART-01": "met"}
    reviewer = {"PART-01": "partially_met"}
    ev = make_evidence(mini_standard, ratings, reviewer=reviewer, mode=Mode.REVIEW)
    a = assess(mini_standard, ev)
    part1 = result(a, "PART-01")
    assert (part1.level, part1.credit) == ("partially_met", 0.5)
    assert part1.source is RatingSource.REVIEWER
    assert FindingKind.REVIEWER_DISAGREES in kinds(a, "PART-01")
    assert "reviewer rated this Partially met" in part1.findings[0].message
    trn3 = result(a, "TRN-03")
    assert trn3.source is RatingSource.SELF
    assert kinds(a, "TRN-03") == [FindingKind.UNVERIFIED]
    assert a.provenance.mode is Mode.REVIEW


def test_self_mode_ignores_the_reviewer_columns(mini_standard: Standard) -> None:
    """A self-assessment scores the program's own ratings even where a reviewer wrote one."""
    ev = make_evidence(mini_standard, reviewer={"PART-01": "not_met"})
    a = assess(mini_standard, ev)
    assert result(a, "PART-01").level == "met"
    assert result(a, "PART-01").reviewer_level == "not_met"
    assert kinds(a, "PART-01") == []


def test_mode_argument_overrides_the_workbook(mini_standard: Standard) -> None:
    """``mode=REVIEW`` on a self-assessment workbook makes the reviewer's rating count."""
    ev = make_evidence(mini_standard, reviewer={"PART-01": "not_met"})
    a = assess(mini_standard, ev, mode=Mode.REVIEW)
    assert result(a, "PART-01").level == "not_met"
    assert a.provenance.mode is Mode.REVIEW


def test_the_numbers_win_over_a_contradicting_rating(mini_standard: Standard) -> None:
    """18 of 120 trained is 15%: partially met whatever the rating, and the clash is a finding."""
    numbers = {**GOOD_NUMBERS, "patrol_officers": 120, "cit_officers": 18}
    a = assess(mini_standard, make_evidence(mini_standard, numbers=numbers))
    trn1 = result(a, "TRN-01")
    assert (trn1.level, trn1.source, trn1.credit) == ("partially_met", RatingSource.METRIC, 0.5)
    assert trn1.metric is not None and trn1.metric.value == 15.0
    assert trn1.metric.display == ("18 CIT-trained patrol officers of 120 patrol officers = 15%")
    assert trn1.metric.threshold == "at least 20% for Met, at least 10% for Partially met"
    assert kinds(a, "TRN-01") == [
        FindingKind.METRIC_BELOW_THRESHOLD,
        FindingKind.METRIC_CONTRADICTS_RATING,
    ]


def test_a_low_rating_is_raised_by_good_numbers(mini_standard: Standard) -> None:
    """A program that under-rates itself is still rated from its numbers (met), with a finding."""
    a = assess(mini_standard, make_evidence(mini_standard, {**ALL_MET, "TRN-01": "not_met"}))
    assert result(a, "TRN-01").status is Status.MET
    assert kinds(a, "TRN-01") == [FindingKind.METRIC_CONTRADICTS_RATING]


def test_an_unanswered_metric_requirement_is_rated_from_the_numbers(
    mini_standard: Standard,
) -> None:
    """No rating but the numbers are there: the metric rates it, and it is not a gap."""
    a = assess(mini_standard, make_evidence(mini_standard, {**ALL_MET, "TRN-01": None}))
    assert result(a, "TRN-01").status is Status.MET
    assert result(a, "TRN-01").source is RatingSource.METRIC


@pytest.mark.parametrize(
    ("last_meeting", "level", "kind"),
    [
        (dt.date(2024, 3, 1), "met", None),  # 92 days: exactly the threshold
        (dt.date(2024, 2, 29), "partially_met", FindingKind.STALE),  # 93 days
        (dt.date(2023, 11, 1), "not_met", FindingKind.STALE),  # 213 days
    ],
)
def test_days_since_metrics_use_the_as_of_date(
    mini_standard: Standard, last_meeting: dt.date, level: str, kind: FindingKind | None
) -> None:
    """Days since the last meeting are counted to the as-of date; too long ago is stale."""
    numbers = {**GOOD_NUMBERS, "last_committee_meeting": last_meeting}
    a = assess(mini_standard, make_evidence(mini_standard, numbers=numbers))
    assert result(a, "PART-02").level == level
    found = kinds(a, "PART-02")
    assert found[:1] == ([kind] if kind else [])


def test_as_of_overrides_the_workbook_date(mini_standard: Standard) -> None:
    """The same workbook judged a year later finds the committee meeting stale."""
    a = assess(mini_standard, make_evidence(mini_standard), as_of=dt.date(2025, 6, 1))
    assert result(a, "PART-02").level == "not_met"
    assert a.provenance.as_of == dt.date(2025, 6, 1)


def test_a_metric_without_inputs_reads_the_row_value(mini_standard: Standard) -> None:
    """Course hours come from the requirement's own row: 36 hours is partially met."""
    ev = make_evidence(mini_standard, metric_values={"TRN-02": 36})
    trn2 = result(assess(mini_standard, ev), "TRN-02")
    assert trn2.level == "partially_met"
    assert trn2.metric is not None and trn2.metric.display == "36 hours"


def test_a_missing_number_keeps_the_rating_but_scores_met_as_partial(
    mini_standard: Standard,
) -> None:
    """Met with no hours given: the rating stands but is scored as the unsupported-claim level."""
    ev = make_evidence(mini_standard, metric_values={"TRN-02": None})
    trn2 = result(assess(mini_standard, ev), "TRN-02")
    assert (trn2.level, trn2.source, trn2.credit) == ("partially_met", RatingSource.SELF, 0.5)
    assert [f.kind for f in trn2.findings] == [FindingKind.METRIC_MISSING] * 2
    assert trn2.metric is not None and trn2.metric.level is None
    assert "cannot be worked out" in trn2.metric.display


def test_a_ratio_over_zero_officers_cannot_be_worked_out(mini_standard: Standard) -> None:
    """0 patrol officers gives no percentage: a missing-metric finding naming the number."""
    numbers = {**GOOD_NUMBERS, "patrol_officers": 0, "cit_officers": 0}
    trn1 = result(assess(mini_standard, make_evidence(mini_standard, numbers=numbers)), "TRN-01")
    assert trn1.findings[0].kind is FindingKind.METRIC_MISSING
    assert "Patrol officers is 0" in trn1.findings[0].message


def test_an_unsupported_claim_is_scored_as_the_policy_says(mini_standard: Standard) -> None:
    """Met with an empty evidence summary and no document is scored as partially met."""
    ev = make_evidence(mini_standard, summaries={"PART-01": "  "})
    part1 = result(assess(mini_standard, ev), "PART-01")
    assert (part1.level, part1.credit, part1.status) == ("partially_met", 0.5, Status.PARTIAL)
    assert part1.self_level == "met"
    assert [f.kind for f in part1.findings] == [FindingKind.UNSUPPORTED_CLAIM]


def test_a_document_alone_backs_a_claim(mini_standard: Standard) -> None:
    """A cited document is evidence enough, even with an empty summary."""
    ev = make_evidence(
        mini_standard, summaries={"PART-01": ""}, documents={"PART-01": ["charter.pdf"]}
    )
    assert result(assess(mini_standard, ev), "PART-01").status is Status.MET


def test_a_reviewers_comment_backs_the_reviewers_rating(mini_standard: Standard) -> None:
    """In a review, the reviewer's comment counts as evidence for the reviewer's own rating."""
    ev = make_evidence(
        mini_standard,
        reviewer={"PART-01": "met"},
        summaries={"PART-01": ""},
        comments={"PART-01": "Charter and roster seen on site."},
        mode=Mode.REVIEW,
    )
    assert result(assess(mini_standard, ev), "PART-01").status is Status.MET


def test_not_applicable_where_allowed_leaves_the_requirement_out(mini_standard: Standard) -> None:
    """TRN-03 not applicable with a reason: no credit, no gap, no finding, out of the scores."""
    a = assess(mini_standard, make_evidence(mini_standard, {**ALL_MET, "TRN-03": "n/a"}))
    trn3 = result(a, "TRN-03")
    assert (trn3.status, trn3.applicable, trn3.level) == (Status.NOT_APPLICABLE, False, None)
    assert trn3.not_applicable_reason == "Our agencies do not serve schools."
    assert trn3.findings == ()
    assert a.overall_score == 100 and a.counts.applicable == 4


def test_not_applicable_without_a_reason_is_a_warning(mini_standard: Standard) -> None:
    """Not applicable with no reason is still not applicable, with a finding asking why."""
    trn3 = result(
        assess(mini_standard, make_evidence(mini_standard, {**ALL_MET, "TRN-03": "n/a!"})),
        "TRN-03",
    )
    assert trn3.status is Status.NOT_APPLICABLE
    assert [f.kind for f in trn3.findings] == [FindingKind.NOT_APPLICABLE_WITHOUT_REASON]
    assert "do not serve schools" in trn3.findings[0].message


def test_not_applicable_where_not_allowed_counts_as_not_met(mini_standard: Standard) -> None:
    """PART-01 may not be not applicable: it counts as not met, a core gap, with a finding."""
    a = assess(mini_standard, make_evidence(mini_standard, {**ALL_MET, "PART-01": "n/a"}))
    part1 = result(a, "PART-01")
    assert (part1.status, part1.credit, part1.level_label) == (Status.NOT_MET, 0.0, "Not met")
    assert [f.kind for f in part1.findings] == [FindingKind.NOT_APPLICABLE_NOT_ALLOWED]
    assert a.counts.core_gaps == 1


def test_unanswered_is_a_gap_with_no_credit(mini_standard: Standard) -> None:
    """An empty rating cell: no credit, a gap, counted as unanswered, with a finding."""
    a = assess(mini_standard, make_evidence(mini_standard, {**ALL_MET, "PART-01": None}))
    part1 = result(a, "PART-01")
    assert (part1.status, part1.credit, part1.level_label) == (
        Status.UNANSWERED,
        0.0,
        "Not answered",
    )
    assert a.counts.unanswered == 1
    assert a.gaps[0].requirement_id == "PART-01"
    assert a.gaps[0].found == "No rating was given in the workbook."


def test_a_dependency_not_met_is_flagged_without_changing_credit(mini_standard: Standard) -> None:
    """PART-02 met while its prerequisite PART-01 is partial: a finding, full credit kept."""
    a = assess(mini_standard, make_evidence(mini_standard, {**ALL_MET, "PART-01": "partially_met"}))
    part2 = result(a, "PART-02")
    assert part2.credit == 1.0
    assert [f.kind for f in part2.findings] == [FindingKind.DEPENDENCY_NOT_MET]
    assert "PART-01 (Steering committee) is Partially met" in part2.findings[0].message


def test_documents_older_than_the_policy_allows_are_stale(mini_standard: Standard) -> None:
    """A cited document dated more than 1095 days before the as-of date is a stale finding."""
    index = [
        Document(name="Charter.pdf", date=dt.date(2020, 1, 1)),
        Document(name="roster.xlsx", date=dt.date(2024, 1, 1)),
    ]
    ev = make_evidence(
        mini_standard, documents={"PART-01": ["charter.pdf", "roster.xlsx"]}, index=index
    )
    part1 = result(assess(mini_standard, ev), "PART-01")
    assert [f.kind for f in part1.findings] == [FindingKind.STALE]
    assert "Charter.pdf" in part1.findings[0].message
    assert part1.status is Status.MET


def test_domain_and_overall_scores_are_weighted_means(mini_standard: Standard) -> None:
    """PART: (0.5×1 + 1×2)/3 = 83.3%; TRN: (1 + 0 + 1)/3 = 66.7%; overall (0.5+2+1+0+1)/6 = 75%."""
    ratings = {**ALL_MET, "PART-01": "partially_met", "TRN-02": "not_met"}
    ev = make_evidence(mini_standard, ratings, metric_values={"TRN-02": 10})
    a = assess(mini_standard, ev)
    scores = {d.domain_id: d.score for d in a.domains}
    assert scores == {"PART": 83.3, "TRN": 66.7}
    assert a.overall_score == 75.0
    part = a.domains[0]
    assert (part.requirements, part.applicable, part.met, part.gaps, part.core_gaps) == (
        2,
        2,
        1,
        1,
        1,
    )


def _domains_overall(raw: dict[str, Any]) -> None:
    raw["scoring"]["overall"] = "domains"


def _no_core_in_scores(raw: dict[str, Any]) -> None:
    raw["scoring"]["include_core_in_scores"] = False


def test_overall_can_be_the_mean_of_domains(mini_standard: Standard) -> None:
    """With ``overall: domains`` the overall score is the plain mean of the domain scores."""
    std = variant(mini_standard, _domains_overall)
    ratings = {**ALL_MET, "PART-01": "partially_met", "TRN-02": "not_met"}
    a = assess(std, make_evidence(std, ratings, metric_values={"TRN-02": 10}))
    assert a.overall_score == 75.0  # (83.3 + 66.7) / 2
    assert any("plain mean of the domain scores" in line for line in a.scoring_explanation)


def test_core_requirements_can_be_left_out_of_scores(mini_standard: Standard) -> None:
    """``include_core_in_scores: false`` scores only non-core requirements; cores still gate."""
    std = variant(mini_standard, _no_core_in_scores)
    a = assess(std, make_evidence(std, {**ALL_MET, "PART-01": "not_met"}))
    assert a.overall_score == 100
    assert a.decision.level_id == "conditional"
    assert a.decision.sentence == (
        "Conditionally certified, short of “Certified”: core requirement PART-01 is Not met"
    )


def test_gaps_are_sorted_most_severe_first(mini_standard: Standard) -> None:
    """Core shortfalls first (critical), then by weighted shortfall, ties by id."""
    ratings = {"PART-01": "partially_met", "PART-02": "met", "TRN-01": "met", "TRN-03": "not_met"}
    numbers = {**GOOD_NUMBERS, "cit_officers": 5}
    a = assess(
        mini_standard,
        make_evidence(mini_standard, ratings, numbers=numbers, metric_values={"TRN-02": None}),
    )
    order = [(g.requirement_id, g.severity) for g in a.gaps]
    assert order == [
        ("TRN-01", Severity.CRITICAL),  # core, not met
        ("PART-01", Severity.CRITICAL),  # core, half short
        ("TRN-02", Severity.HIGH),  # unanswered
        ("TRN-03", Severity.HIGH),  # not met
    ]
    assert a.gaps[0].evidence_missing == ("Training roster",)
    assert a.gaps[0].asks == "At least 20% of patrol officers are CIT trained."


def test_evidence_missing_lists_what_the_evidence_does_not_mention(
    mini_standard: Standard,
) -> None:
    """The roster is named in the summary, so only the charter is still missing."""
    ev = make_evidence(
        mini_standard,
        {**ALL_MET, "PART-01": "partially_met"},
        summaries={"PART-01": "We keep rosters listing each member's affiliation."},
    )
    gap = assess(mini_standard, ev).gaps[0]
    assert gap.evidence_missing == ("Charter",)


def test_provenance_names_tool_standard_and_workbook(mini_standard: Standard) -> None:
    """Provenance carries the tool version, the standard and its digest, the workbook's digest."""
    a = assess(mini_standard, make_evidence(mini_standard))
    p = a.provenance
    assert p.tool_version == __version__
    assert (p.standard_ref, p.standard_title) == ("mini-standard@1.0", mini_standard.title)
    assert p.standard_sha256 == standard_sha256(mini_standard)
    assert (p.workbook_name, p.workbook_sha256) == ("riverside.xlsx", "f" * 64)
    assert (p.mode, p.as_of) == (Mode.SELF, AS_OF)


def test_tailoring_and_warnings_are_carried_through(mini_standard: Standard) -> None:
    """An overlay's changes (weakenings too) and the reader's warnings reach the assessment."""
    change = TailoringChange(
        kind=ChangeKind.WEAKENED, target="TRN-01", description="15% is enough", reason="Rural"
    )
    std = mini_standard.model_copy(
        update={"tailoring": Tailoring(base="x@1", base_sha256="0" * 64, changes=(change,))}
    )
    ev = make_evidence(std).model_copy(update={"warnings": ("TRN-03 has no answer",)})
    a = assess(std, ev)
    assert a.tailoring == (change,)
    assert a.warnings == ("TRN-03 has no answer",)


def test_the_scorer_is_pure(mini_standard: Standard) -> None:
    """Scoring the same inputs twice gives equal assessments and leaves the evidence unchanged."""
    ev = make_evidence(mini_standard, {**ALL_MET, "PART-01": "partially_met"})
    before = ev.model_dump()
    assert assess(mini_standard, ev) == assess(mini_standard, ev)
    assert ev.model_dump() == before


def test_explanation_is_generated_from_the_policy(mini_standard: Standard) -> None:
    """The explanation states the credits, the unsupported-claim rule and every level's terms."""
    lines = assess(mini_standard, make_evidence(mini_standard)).scoring_explanation
    text = "\n".join(lines)
    assert "Met 100% (counts as met), Partially met 50% and Not met 0%" in text
    assert "unsupported claim and is scored as Partially met" in text
    assert "1095 days" in text
    assert (
        "Certified: every core requirement met, overall score at least 80% and every domain "
        "at least 60%." in lines
    )
    assert "Conditionally certified: overall score at least 60% and at most 1 core gap." in lines
    assert "Not certified: always applies when no higher level does." in lines


def test_headline_says_who_what_and_why(mini_standard: Standard) -> None:
    """The headline names the program, the decision, the score and what blocks the next level."""
    ev = make_evidence(mini_standard, {**ALL_MET, "PART-01": "partially_met"}, mode=Mode.REVIEW)
    a = assess(mini_standard, ev)
    assert a.headline.startswith("Riverside County CIT (Riverside County, OH): Conditionally")
    assert "a review by Sam Reviewer" in a.headline
    assert "Short of “Certified”: core requirement PART-01 is Partially met." in a.headline
    assert "Closing PART-01 alone would lift the decision to “Certified”." in a.headline
