"""The Markdown report: every section in order, and workbook text that cannot become markup."""

from __future__ import annotations

import re

import pytest

from citcert.audit.assessment import Assessment
from citcert.audit.scoring import assess
from citcert.export import markdown
from citcert.standards.model import (
    ChangeKind,
    Standard,
    Tailoring,
    TailoringChange,
)
from tests.audit.builders import ALL_MET, make_evidence, sample_evidence

HOSTILE = "*Metro* | [click](http://x) <script>alert(1)</script> _x_ `code` ~~no~~ &amp;"


@pytest.fixture(scope="module")
def report(mini_standard: Standard) -> str:
    """The Markdown of the mixed review of the mini standard, with an overlay's weakening."""
    change = TailoringChange(
        kind=ChangeKind.WEAKENED, target="TRN-01", description="10% is enough", reason="Rural"
    )
    tailoring = Tailoring(base="mini-standard@0.9", base_sha256="0" * 64, changes=(change,))
    std = mini_standard.model_copy(update={"tailoring": tailoring})
    ev = sample_evidence(std).model_copy(update={"warnings": ("TRN-02 has no rating",)})
    return markdown.render(assess(std, ev)).decode("utf-8")


def test_sections_come_in_reading_order(report: str) -> None:
    """Headline, decision, scores, gaps, plan, findings, all requirements … provenance."""
    headings = re.findall(r"^## (.+)$", report, flags=re.MULTILINE)
    assert headings == [
        "Decision: Not certified",
        "Scores",
        "Gaps (4)",
        "Remediation plan",
        "Findings (10)",
        "All requirements",
        "Tailoring",
        "Warnings",
        "How this was scored",
        "Provenance",
    ]
    assert report.startswith("# CIT program assessment: Riverside \\& Lake County CIT\n")
    assert report.endswith("|\n") and not report.endswith("\n\n")


def test_decision_reasons_and_levels_are_shown(report: str) -> None:
    """The sentence in bold, each reason as a bullet, and every level's conditions in a table."""
    sentence = "Not certified: overall 50% is below 60%; 2 core gaps, more than the 1 allowed"
    assert f"**{sentence}**" in report
    assert "What stood between this and **Conditionally certified**:" in report
    assert "- overall 50% is below 60%" in report
    assert (
        "| Conditionally certified | not reached | overall score at least 60% | ✗ overall 50% "
    ) in report
    assert "| Not certified | decided | no conditions | applies |" in report


def test_a_level_below_the_decision_is_not_called_reached() -> None:
    """Brennan is Close to the standard: Does not yet meet it holds too, but is not the decision."""
    from citcert.audit.assessment import LevelResult
    from citcert.export.wording import level_standing
    from citcert.standards.model import LevelId

    def level(level_id: str, reached: bool) -> LevelResult:
        return LevelResult(
            level_id=LevelId(level_id), label=level_id, reached=reached, conditions=()
        )

    decided = LevelId("close")
    assert [
        level_standing(level(i, r), decided)
        for i, r in (("meets", False), ("close", True), ("not_yet", True))
    ] == ["not reached", "decided", "conditions hold"]


def test_gaps_and_plan_carry_the_details(report: str) -> None:
    """Gap details show what was asked, found and given; plan steps say who, when and why."""
    assert "- **The standard asks:** A steering committee with police" in report
    assert "- **Evidence given:** Charter signed by police \\& the county's mental health" in report
    comment = "Advocates' seat has been vacant since March; see \\*minutes\\*."
    assert f"- **Reviewer's comment:** {comment}" in report
    assert "### 1. PART-01 — Steering committee (core)" in report
    assert "**Target date:** 2024-08-30 (90 days)" in report
    assert "- **On its own lifts the decision to:** Conditionally certified" in report
    assert "- **Why here:** Comes before PART-02, which depends on it." in report


def test_weakenings_and_warnings_are_visible(report: str) -> None:
    """An overlay's weakening is listed with its reason, and the reader's warnings appear."""
    assert "- **weakened** TRN-01: 10% is enough (reason: Rural)" in report
    assert "**1 of these changes loosen the base standard.**" in report
    assert "- TRN-02 has no rating" in report


def test_backticks_in_tailoring_show_as_typed(mini_standard: Standard) -> None:
    """
    Backticks in an overlay's description and reason open no code span: each one is
    backslash-escaped, which CommonMark shows as the backtick alone, so the reader sees what
    was typed and no backslash.
    """
    change = TailoringChange(
        kind=ChangeKind.TIGHTENED,
        target="TRN-01",
        description="Use `x` (or ``y``) as the measure",
        reason="Set by `rule 4`",
    )
    tailoring = Tailoring(base="mini-standard@0.9", base_sha256="0" * 64, changes=(change,))
    std = mini_standard.model_copy(update={"tailoring": tailoring})
    text = markdown.render(assess(std, sample_evidence(std))).decode("utf-8")
    line = (
        "- **tightened** TRN-01: Use \\`x\\` (or \\`\\`y\\`\\`) as the measure "
        "(reason: Set by \\`rule 4\\`)"
    )

    assert line in text.splitlines()


def test_tables_keep_their_shape(report: str) -> None:
    """Every table row has as many unescaped pipes as its header row."""
    for block in re.findall(r"((?:^\|.*\|\n)+)", report, flags=re.MULTILINE):
        rows = block.splitlines()
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(widths) == 1, rows


def test_workbook_text_cannot_become_markup(mini_standard: Standard) -> None:
    """Hostile names, summaries and comments print as written: no link, HTML or table break."""
    ev = make_evidence(
        mini_standard,
        {**ALL_MET, "PART-01": "partially_met"},
        summaries={"PART-01": f"# Heading\n- item\n{HOSTILE}"},
        comments={"PART-01": HOSTILE},
        program_name=HOSTILE,
    )
    text = markdown.render(assess(mini_standard, ev)).decode("utf-8")
    assert "<script>" not in text
    assert not re.search(r"(?<!\\)\]\(", text)  # no link survives
    assert "\\<script\\>" in text and "\\[click\\](http\\://x)" in text
    assert "\\*Metro\\* \\| " in text
    assert "- **Evidence given:** \\# Heading - item \\*Metro\\*" in text
    assert not re.search(r"(?<!\\)\*Metro", text)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("plain words, (brackets) and dots.", "plain words, (brackets) and dots."),
        ("0.1.0", "0.1.0"),
        ("1. first", "1\\. first"),
        ("# not a heading", "\\# not a heading"),
        ("- not a list", "\\- not a list"),
        ("> not a quote", "\\> not a quote"),
        ("a | b", "a \\| b"),
        ("line one\n\n  line two", "line one line two"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_escape(raw: str, safe: str) -> None:
    """escape() keeps ordinary text readable and neutralises only what Markdown would parse."""
    assert markdown.escape(raw) == safe


def test_an_all_met_program_says_so(mini_standard: Standard) -> None:
    """No gaps: the gap and plan sections say there is nothing to do."""
    text = markdown.render(assess(mini_standard, make_evidence(mini_standard))).decode("utf-8")
    assert "No gaps: every applicable requirement is met." in text
    assert "Nothing to remediate: every applicable requirement is met." in text
    assert "## Findings\n\nNo findings." in text


def test_same_assessment_same_bytes(mini_standard: Standard) -> None:
    """Rendering twice gives identical bytes."""
    a: Assessment = assess(mini_standard, sample_evidence(mini_standard))
    assert markdown.render(a) == markdown.render(a)
