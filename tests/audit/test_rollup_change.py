"""
Which program of the previous roll-up each program of this one continues (`batch --since`):
by name and file first, then by name where one row of it is left on each side.
"""

from __future__ import annotations

import datetime as dt

from citcert.audit.calendar import PreviousRollup, PreviousRow, rollup_change
from citcert.audit.rollup import AuditedRow, DecisionCount
from citcert.standards.model import LevelId

LEVELS = (
    DecisionCount(
        standard_id="mini-standard", decision_id=LevelId("certified"), label="Certified", programs=0
    ),
    DecisionCount(
        standard_id="mini-standard",
        decision_id=LevelId("conditional"),
        label="Conditional",
        programs=0,
    ),
)


def _now(file: str, program: str, level: str = "certified", score: float = 90.0) -> AuditedRow:
    return AuditedRow(
        file=file,
        program=program,
        jurisdiction="Northfield",
        standard="mini-standard@1.0",
        assessment_date=dt.date(2025, 9, 1),
        decision_id=LevelId(level),
        decision=level.title(),
        overall_score=score,
        domain_scores={},
        core_gaps=0,
        other_gaps=0,
    )


def _then(
    file: str,
    program: str,
    level: str = "conditional",
    score: float = 70.0,
    jurisdiction: str = "Northfield",
) -> PreviousRow:
    return PreviousRow(file, program, LevelId(level), level.title(), score, jurisdiction)


def _directions(before: list[PreviousRow], rows: list[AuditedRow]) -> list[tuple[str, str]]:
    levels = tuple((d.standard_id, d.decision_id, d.label) for d in LEVELS)
    previous = PreviousRollup(tuple(before), levels, dt.date(2024, 9, 1))
    change = rollup_change(previous, rows, LEVELS)
    return [(c.file, c.direction) for c in change.programs]


def test_a_name_used_twice_before_is_matched_by_file_and_then_by_name() -> None:
    """Two programs of one name (in two jurisdictions) last time; now only one of them."""
    before = [
        _then("lakemont.xlsx", "Lakemont Metro CIT"),
        _then("lakemont-review.xlsx", "Lakemont Metro CIT", jurisdiction="Lakemont"),
    ]
    assert _directions(before, [_now("lakemont.xlsx", "Lakemont  metro CIT")]) == [
        ("lakemont.xlsx", "up"),
        ("lakemont-review.xlsx", "gone"),
    ]


def test_a_renamed_file_of_a_name_used_once_on_each_side_is_the_same_program() -> None:
    before = [_then("2024/brennan.xlsx", "Brennan County CIT")]
    assert _directions(before, [_now("2025/brennan.xlsx", "Brennan County CIT")]) == [
        ("2025/brennan.xlsx", "up"),
    ]


def test_two_renamed_files_of_one_name_cannot_be_told_apart() -> None:
    """Which is which is not guessed: both are new, both old ones gone."""
    before = [_then("a.xlsx", "Twin CIT"), _then("b.xlsx", "Twin CIT", jurisdiction="Twin")]
    rows = [_now("c.xlsx", "Twin CIT"), _now("d.xlsx", "Twin CIT")]
    assert _directions(before, rows) == [
        ("c.xlsx", "new"),
        ("d.xlsx", "new"),
        ("a.xlsx", "gone"),
        ("b.xlsx", "gone"),
    ]


def test_a_program_that_moved_to_another_standard_has_changed_neither_up_nor_down() -> None:
    """The Core Elements' "consistent" and best practice's "certified" have no order between
    them; ranked by their place in the roll-up's list of levels, the move read as up or down."""
    old = PreviousRow(
        "harbor.xlsx", "Harbor CIT", LevelId("conditional"), "Conditional", 70.0,
        standard="cit-core-elements@2007.1",
    )  # fmt: skip
    levels = tuple((d.standard_id, d.decision_id, d.label) for d in LEVELS)
    change = rollup_change(
        PreviousRollup((old,), levels, None), [_now("harbor.xlsx", "Harbor CIT")], LEVELS
    )
    assert [(c.file, c.direction) for c in change.programs] == [("harbor.xlsx", "changed")]
    assert change.programs[0].change is None  # scores of two standards are not a change
