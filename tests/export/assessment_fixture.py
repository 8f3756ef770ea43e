"""
A rich `Assessment` built in code, with hostile text wherever a workbook can supply text.

Writers must show all of it as typed (or degrade visibly) and never crash, inject markup, or
leave a spreadsheet formula behind. The builder is a plain function so that tests can also make
variants with `model_copy(update=...)`.
"""

from __future__ import annotations

import datetime as dt

from citcert.audit.assessment import (
    Assessment,
    ConditionResult,
    Counts,
    Decision,
    DomainScore,
    Finding,
    FindingKind,
    Gap,
    LevelResult,
    MetricResult,
    PlanStep,
    Provenance,
    RatingSource,
    RemediationPlan,
    RequirementResult,
    Severity,
    Status,
)
from citcert.standards.model import ChangeKind, Effort, TailoringChange
from citcert.workbook.evidence import Mode, ProgramProfile

AS_OF = dt.date(2025, 3, 14)
PROGRAM_NAME = "Ærøskøbing & <Valley> CIT Program"

LONG_WORD = "Supercalifragilistic" * 15
"""A 300-character word with no place to break."""
LONG_TEXT = ("Ride-alongs documented <i>weekly</i> & reviewed. " * 120)[:4700] + LONG_WORD
"""A 5,000-character cell."""

FORMULAS = (
    "=1+1",
    "+44 20 7946 0000",
    "-5 officers short",
    "@SUM(A1:A9)",
    "\tTabbed start",
    "\rCarriage start",
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
)
"""Texts a spreadsheet would read as a formula if they went in unchanged."""

MARKUP = "<b>bold</b> <font color='red' size='40'>red</font> <para>&amp; &nbsp; </para> a < b & c"
LINES = "first line\nsecond line\r\nthird line\rfourth line"
SCRIPTS = "Crème brûlée naïve façade — برنامج التدخل في الأزمات — תוכנית התערבות במשבר"
CJK_EMOJI = "危机干预小组 訓練 👍🏽 🚓 ❤️"
CONTROLS = "bell\x07 null\x00 escape\x1b delete\x7f vertical-tab\x0b end"


def _finding(kind: FindingKind, req: str, message: str) -> Finding:
    return Finding(kind=kind, requirement_id=req, message=message)


def _result(req: str, domain: str, status: Status, **extra: object) -> RequirementResult:
    labels = {
        Status.MET: ("met", "Met", 1.0),
        Status.PARTIAL: ("partially_met", "Partially met", 0.5),
        Status.NOT_MET: ("not_met", "Not met", 0.0),
        Status.NOT_APPLICABLE: (None, "Not applicable", 0.0),
        Status.UNANSWERED: (None, "Not answered", 0.0),
    }
    level, label, credit = labels[status]
    fields: dict[str, object] = {
        "requirement_id": req,
        "domain_id": domain,
        "title": f"Requirement {req}",
        "statement": f"The program does what {req} asks.",
        "core": False,
        "weight": 1.0,
        "status": status,
        "level": level,
        "level_label": label,
        "source": RatingSource.SELF if level else RatingSource.NONE,
        "credit": credit,
        "applicable": status is not Status.NOT_APPLICABLE,
        "self_level": level,
        "evidence_expected": ("Policy", "Roster"),
        "cell": "Evidence!F14",
    }
    fields.update(extra)
    return RequirementResult.model_validate(fields)


def _results() -> tuple[RequirementResult, ...]:
    metric = MetricResult(
        label="Patrol officers trained",
        unit="%",
        value=15.0,
        display="18 of 120 patrol officers = 15.0%",
        threshold="at least 20% (met), at least 10% (partially met)",
        level="partially_met",
    )
    return (
        _result("PART-01", "PART", Status.MET, core=True, title="Steering committee"),
        _result(
            "PART-02",
            "PART",
            Status.PARTIAL,
            title=MARKUP,
            weight=2.0,
            evidence_summary=LONG_TEXT,
            reviewer_comment=FORMULAS[6],
            findings=(_finding(FindingKind.STALE, "PART-02", f"Minutes are old: {LINES}"),),
        ),
        _result("PART-03", "PART", Status.NOT_APPLICABLE, not_applicable_reason=SCRIPTS),
        _result(
            "TRN-01",
            "TRN",
            Status.PARTIAL,
            core=True,
            title="Patrol officers trained",
            source=RatingSource.METRIC,
            metric=metric,
            documents=(FORMULAS[0], CJK_EMOJI),
            findings=(
                _finding(FindingKind.METRIC_BELOW_THRESHOLD, "TRN-01", "15.0% is below 20%."),
                _finding(FindingKind.UNSUPPORTED_CLAIM, "TRN-01", LONG_TEXT),
            ),
        ),
        _result(
            "TRN-02", "TRN", Status.NOT_MET, reviewer_comment=CONTROLS, source=RatingSource.REVIEWER
        ),
        _result(
            "TRN-03",
            "TRN",
            Status.UNANSWERED,
            findings=(_finding(FindingKind.UNANSWERED, "TRN-03", "No rating was given."),),
        ),
        _result("TRN-04", "TRN", Status.MET, evidence_summary=SCRIPTS + " " + CJK_EMOJI),
        _result("DSP-01", "DSP", Status.NOT_MET, core=True, title="Dispatchers identify CIT calls"),
        _result("DSP-02", "DSP", Status.MET, reviewer_comment=FORMULAS[7]),
        _result(
            "DSP-03",
            "DSP",
            Status.PARTIAL,
            title=FORMULAS[1],
            findings=(_finding(FindingKind.REVIEWER_DISAGREES, "DSP-03", FORMULAS[3]),),
        ),
    )


def _gap(req: str, severity: Severity, core: bool, status: Status, **extra: object) -> Gap:
    fields: dict[str, object] = {
        "requirement_id": req,
        "domain_id": req.split("-")[0],
        "title": f"Requirement {req}",
        "core": core,
        "severity": severity,
        "shortfall": 1.0 if status is not Status.PARTIAL else 0.5,
        "status": status,
        "level_label": {Status.PARTIAL: "Partially met", Status.NOT_MET: "Not met"}.get(
            status, "Not answered"
        ),
        "asks": f"The program does what {req} asks.",
        "found": f"Rated {status.value}.",
        "evidence_missing": ("Policy", "Roster"),
    }
    fields.update(extra)
    return Gap.model_validate(fields)


def _gaps() -> tuple[Gap, ...]:
    return (
        _gap(
            "DSP-01",
            Severity.CRITICAL,
            True,
            Status.NOT_MET,
            title="Dispatchers identify CIT calls",
            found=MARKUP,
            reviewer_comment=LONG_TEXT,
            evidence_missing=(FORMULAS[2], "Dispatch protocol"),
        ),
        _gap(
            "TRN-01",
            Severity.HIGH,
            True,
            Status.PARTIAL,
            title="Patrol officers trained",
            found="18 of 120 patrol officers = 15.0%, below 20%.",
            reviewer_comment=SCRIPTS + "\n" + CJK_EMOJI,
        ),
        _gap("TRN-02", Severity.MEDIUM, False, Status.NOT_MET, reviewer_comment=CONTROLS),
        _gap("TRN-03", Severity.MEDIUM, False, Status.UNANSWERED, found=LINES),
        _gap(
            "PART-02",
            Severity.LOW,
            False,
            Status.PARTIAL,
            title=MARKUP,
            reviewer_comment=FORMULAS[6],
        ),
        _gap(
            "DSP-03",
            Severity.LOW,
            False,
            Status.PARTIAL,
            title=FORMULAS[1],
            reviewer_comment=FORMULAS[7],
        ),
    )


def _step(order: int, req: str, **extra: object) -> PlanStep:
    fields: dict[str, object] = {
        "order": order,
        "requirement_id": req,
        "title": f"Requirement {req}",
        "core": False,
        "severity": Severity.MEDIUM,
        "actions": (f"Close the gap in {req}.",),
        "owner": "Program coordinator",
        "effort": Effort.MEDIUM,
        "horizon_days": 90,
        "target_date": AS_OF + dt.timedelta(days=90),
        "prerequisites": (),
        "score_gain": 2.5,
        "reason": "Ordered by severity, then by effort.",
    }
    fields.update(extra)
    return PlanStep.model_validate(fields)


def _plan() -> RemediationPlan:
    steps = (
        _step(
            1,
            "DSP-01",
            title="Dispatchers identify CIT calls",
            core=True,
            severity=Severity.CRITICAL,
            actions=("Train every dispatcher in CIT call codes.", FORMULAS[7], MARKUP),
            owner=FORMULAS[3],
            effort=Effort.HIGH,
            horizon_days=180,
            target_date=AS_OF + dt.timedelta(days=180),
            score_gain=7.5,
            lifts_decision_to="Conditionally certified",
            reason="A core requirement that is not met blocks certification.",
        ),
        _step(
            2,
            "TRN-01",
            title="Patrol officers trained",
            core=True,
            severity=Severity.HIGH,
            actions=("Schedule two more 40-hour courses.", LONG_TEXT),
            effort=Effort.HIGH,
            owner=SCRIPTS,
        ),
        _step(
            3,
            "TRN-02",
            prerequisites=("TRN-01",),
            effort=Effort.LOW,
            horizon_days=30,
            target_date=AS_OF + dt.timedelta(days=30),
            owner=CJK_EMOJI,
        ),
        _step(4, "TRN-03", prerequisites=("TRN-01", "TRN-02"), reason=LINES),
        _step(
            5,
            "PART-02",
            title=MARKUP,
            severity=Severity.LOW,
            effort=Effort.LOW,
            actions=(FORMULAS[0], FORMULAS[4], FORMULAS[5]),
        ),
        _step(6, "DSP-03", title=FORMULAS[1], severity=Severity.LOW, prerequisites=("DSP-01",)),
    )
    return RemediationPlan(
        steps=steps,
        decision_lifters=("DSP-01",),
        summary="Six steps close every gap; closing DSP-01 alone lifts the decision to "
        "Conditionally certified.",
    )


def _decision() -> Decision:
    certified = LevelResult(
        level_id="certified",
        label="Certified",
        reached=False,
        conditions=(
            ConditionResult(
                condition="every core requirement met",
                passed=False,
                detail="DSP-01 and TRN-01 are not met",
            ),
            ConditionResult(
                condition="overall score at least 80%",
                passed=False,
                detail="overall 62.5% is below 80%",
            ),
            ConditionResult(
                condition="every domain at least 60%",
                passed=False,
                detail="Dispatch 50.0% is below 60%",
            ),
        ),
    )
    conditional = LevelResult(
        level_id="conditional",
        label="Conditionally certified",
        reached=False,
        conditions=(
            ConditionResult(condition="at most 1 core gap", passed=False, detail="2 core gaps"),
            ConditionResult(
                condition="overall score at least 60%",
                passed=True,
                detail="overall 62.5% is at least 60%",
            ),
        ),
    )
    not_certified = LevelResult(
        level_id="not_certified", label="Not certified", reached=True, conditions=()
    )
    return Decision(
        level_id="not_certified",
        label="Not certified",
        colour="#B3261E",
        description="Does not yet meet the standard.",
        sentence="Not certified: core requirements DSP-01 and TRN-01 are not met.",
        reasons=("2 core gaps, at most 1 allowed (DSP-01, TRN-01)",),
        next_level_id="conditional",
        next_level_label="Conditionally certified",
        levels=(certified, conditional, not_certified),
    )


def _domains() -> tuple[DomainScore, ...]:
    return (
        DomainScore(
            domain_id="PART",
            title="Partnerships & <governance>",
            score=83.3,
            threshold=60.0,
            requirements=3,
            applicable=2,
            met=1,
            gaps=1,
            core_gaps=0,
        ),
        DomainScore(
            domain_id="TRN",
            title="Training",
            score=37.5,
            threshold=60.0,
            requirements=4,
            applicable=4,
            met=1,
            gaps=3,
            core_gaps=1,
        ),
        DomainScore(
            domain_id="DSP",
            title="Dispatch",
            score=50.0,
            threshold=60.0,
            requirements=3,
            applicable=3,
            met=1,
            gaps=2,
            core_gaps=1,
        ),
        DomainScore(
            domain_id="EVAL",
            title="Evaluation",
            score=None,
            threshold=None,
            requirements=1,
            applicable=0,
            met=0,
            gaps=0,
            core_gaps=0,
        ),
    )


def hostile_assessment() -> Assessment:
    """The rich assessment with hostile text everywhere a workbook can supply text."""
    profile = ProgramProfile(
        program_name=PROGRAM_NAME,
        jurisdiction=SCRIPTS,
        state="Ohio",
        agencies=MARKUP,
        coordinator=FORMULAS[0],
        contact=FORMULAS[3],
        population_served=250_000,
        assessment_type=Mode.REVIEW,
        assessment_date=AS_OF,
        reviewer="Dr. Zoë O'Brien " + CJK_EMOJI,
    )
    provenance = Provenance(
        tool_version="0.1.0",
        standard_ref="mini-standard@1.0",
        standard_title="Mini CIT standard for tests",
        standard_sha256="a" * 64,
        workbook_name="ærø <evidence>.xlsx",
        workbook_sha256="b" * 64,
        mode=Mode.REVIEW,
        as_of=AS_OF,
    )
    counts = Counts(
        requirements=10,
        applicable=9,
        met=3,
        partial=3,
        not_met=2,
        not_applicable=1,
        unanswered=1,
        gaps=6,
        core_gaps=2,
        other_gaps=4,
        findings=6,
    )
    return Assessment(
        provenance=provenance,
        profile=profile,
        overall_score=62.5,
        domains=_domains(),
        results=_results(),
        decision=_decision(),
        gaps=_gaps(),
        plan=_plan(),
        counts=counts,
        headline=f"{PROGRAM_NAME} is not certified yet: 6 gaps, 2 of them core. {MARKUP}",
        scoring_explanation=(
            "Each requirement earns its rating's credit: Met 1.0, Partially met 0.5, Not met 0.",
            "A domain's score is its requirements' weighted credit, as a percentage.",
            "Certified needs every core requirement met, 80% overall and 60% in every domain.",
        ),
        tailoring=(
            TailoringChange(
                kind=ChangeKind.RESCORED, target="OH-01", description="Ohio adds OH-01, weight 2."
            ),
            TailoringChange(
                kind=ChangeKind.WEAKENED,
                target="TRN-01",
                description="Threshold lowered from 20% to 15%.",
                reason="Rural agencies: " + MARKUP,
            ),
            TailoringChange(
                kind=ChangeKind.TIGHTENED,
                target="scoring",
                description="Overall minimum raised to 85%.",
            ),
        ),
        warnings=(
            "Evidence!F20: TRN-03 is unanswered.",
            "Profile!B9: " + CONTROLS,
            FORMULAS[6],
        ),
    )
