"""
A program in more than one workbook of a batch is counted once, by its latest assessment.

A state's folder often holds a program's self-assessment beside the review that followed it.
Counting both would make one program two in every count a state analyst reads: programs per
decision, each requirement's tally, the domains' medians, the calendar of reviews due and the
change since the last roll-up. Each row stays listed; a row not counted says which is instead.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from citcert.app.previous_rollup import read_previous
from citcert.audit.assessment import Status
from citcert.audit.calendar import PreviousRollup, PreviousRow
from citcert.audit.rollup import AuditedRow, Rollup
from citcert.audit.tally import Contribution, RequirementStatus, RollupCollector, failed
from citcert.errors import CitcertError
from citcert.export.html._dashboard import view
from citcert.export.rollup.tables import render_json
from citcert.standards.model import DomainId, LevelId, RequirementId
from citcert.workbook.evidence import Mode

LEVELS = ((LevelId("certified"), "Certified"), (LevelId("conditional"), "Conditional"))
TRN = DomainId("TRN")


def _workbook(
    file: str,
    *,
    day: int,
    mode: Mode = Mode.SELF,
    program: str = "Lakemont CIT",
    jurisdiction: str = "Lakemont",
    certified: bool = True,
) -> Contribution:
    """One workbook: certified with TRN-01 met and 90 in TRN, or conditional with it not met."""
    level = "certified" if certified else "conditional"
    score = 90.0 if certified else 40.0
    row = AuditedRow(
        file=file, program=program, jurisdiction=jurisdiction, standard="s@1",
        assessment_date=dt.date(2025, 1, day), mode=mode, decision_id=LevelId(level),
        decision=level.title(), overall_score=score, domain_scores={"TRN": score},
        core_gaps=0 if certified else 1, other_gaps=0,
        valid_until=dt.date(2026, 1, day), next_review_due=dt.date(2025, 12, day),
    )  # fmt: skip
    status = RequirementStatus(
        RequirementId("TRN-01"),
        "Share trained",
        TRN,
        core=True,
        status=Status.MET if certified else Status.NOT_MET,
        gap=not certified,
    )
    return Contribution(
        row=row,
        statuses=(status,),
        domains=((TRN, "Training"),),
        scores=((TRN, score),),
        levels=LEVELS,
    )


def _rollup(*workbooks: Contribution, **options: object) -> Rollup:
    collector = RollupCollector()
    for workbook in workbooks:
        collector.add(workbook, "")
    return collector.rollup(**options)  # type: ignore[arg-type]


def _counted(rollup: Rollup) -> dict[str, bool | None]:
    return {row.file: row.counted for row in rollup.rows}


def test_the_later_assessment_is_counted_even_a_self_assessment_after_a_review() -> None:
    """A review in January and the program's own check in March: March is the latest picture."""
    rollup = _rollup(
        _workbook("a-review.xlsx", day=10, mode=Mode.REVIEW),
        _workbook("b-self.xlsx", day=20, certified=False),
    )

    assert _counted(rollup) == {"a-review.xlsx": False, "b-self.xlsx": True}
    (review, _) = rollup.rows
    assert review.not_counted == (
        "Not counted: this program's self-assessment of 2025-01-20 (b-self.xlsx) is counted "
        "instead."
    )
    assert (rollup.workbooks, rollup.audited, rollup.programs) == (2, 2, 1)
    assert [(d.decision_id, d.programs) for d in rollup.decisions] == [
        ("certified", 0),
        ("conditional", 1),
    ]


def test_on_the_same_day_the_review_is_counted_whichever_comes_first() -> None:
    for order in ((0, 1), (1, 0)):
        pair = [
            _workbook("lakemont-review.xlsx", day=15, mode=Mode.REVIEW),
            _workbook("lakemont.xlsx", day=15, certified=False),
        ]
        rollup = _rollup(*(pair[i] for i in order))

        counted = {row.file: row.not_counted for row in rollup.rows}
        assert counted == {
            "lakemont-review.xlsx": "",
            "lakemont.xlsx": "Not counted: this program's review of 2025-01-15 "
            "(lakemont-review.xlsx) is counted instead.",
        }


def test_the_same_day_and_kind_counts_the_one_later_in_the_batch_and_says_so() -> None:
    rollup = _rollup(_workbook("a.xlsx", day=15), _workbook("b.xlsx", day=15))

    assert _counted(rollup) == {"a.xlsx": False, "b.xlsx": True}
    assert rollup.rows[0].not_counted == (
        "Not counted: this program's self-assessment of 2025-01-15 (b.xlsx), later in the "
        "batch, is counted instead."
    )


def test_a_program_is_its_name_and_jurisdiction_as_people_read_them() -> None:
    """Case and spacing aside the same; another jurisdiction is another program."""
    rollup = _rollup(
        _workbook("a.xlsx", day=1, program="Lakemont  CIT"),
        _workbook("b.xlsx", day=2, program="lakemont cit"),
        _workbook("c.xlsx", day=3, program="Lakemont CIT", jurisdiction="Lakemont County"),
    )

    assert _counted(rollup) == {"a.xlsx": False, "b.xlsx": True, "c.xlsx": True}
    assert rollup.programs == 2


def test_a_name_typed_in_another_unicode_form_is_the_same_program() -> None:
    """ "Peña" as one character in one workbook and n + combining tilde in the other: one."""
    rollup = _rollup(
        _workbook("a.xlsx", day=1, program="Pe\u00f1a CIT"),
        _workbook("b.xlsx", day=2, program="Pen\u0303a CIT"),
    )

    assert _counted(rollup) == {"a.xlsx": False, "b.xlsx": True}


def test_every_count_is_of_the_counted_rows_only() -> None:
    """The self-assessment (conditional, TRN-01 not met, 40) gives way to the review."""
    rollup = _rollup(
        _workbook("lakemont.xlsx", day=15, certified=False),
        _workbook("lakemont-review.xlsx", day=15, mode=Mode.REVIEW),
        _workbook("brennan.xlsx", day=15, program="Brennan CIT", jurisdiction="Brennan"),
        as_of=dt.date(2025, 12, 1),
        previous=PreviousRollup(
            (PreviousRow("lakemont.xlsx", "Lakemont CIT", LevelId("conditional"), "C", 40.0),),
            (),
            None,
        ),
    )

    assert [(d.decision_id, d.programs) for d in rollup.decisions] == [
        ("certified", 2),
        ("conditional", 0),
    ]
    (tally,) = rollup.requirements
    assert (tally.programs, tally.met, tally.not_met, tally.gaps) == (2, 2, 0, 0)
    assert rollup.domains[0].median == 90.0
    assert [d.file for d in rollup.calendar] == ["brennan.xlsx", "lakemont-review.xlsx"]
    assert rollup.since is not None
    assert [(c.file, c.direction) for c in rollup.since.programs] == [
        ("lakemont-review.xlsx", "up"),
        ("brennan.xlsx", "new"),
    ]
    spread = view(rollup).spreads[0]
    assert (spread.scored, spread.lowest) == (2, 90.0)
    assert rollup.summary == (
        "3 workbooks: 3 audited, 2 programs (2 Certified, 0 Conditional). Lakemont CIT is in 2 "
        "workbooks (lakemont.xlsx, a self-assessment of 2025-01-15; lakemont-review.xlsx, a "
        "review of 2025-01-15) and is counted once, by lakemont-review.xlsx. A program is "
        "counted by its latest assessment (on the same day, a review before a self-assessment, "
        "then the file later in the batch)."
    )


def test_a_batch_of_one_workbook_per_program_reads_as_before() -> None:
    rollup = _rollup(
        _workbook("a.xlsx", day=1, program="A"),
        _workbook("b.xlsx", day=1, program="B"),
    )

    assert all(row.counted for row in rollup.rows)
    assert rollup.summary == "2 workbooks: 2 audited (2 Certified, 0 Conditional)."


def test_a_workbook_that_failed_is_neither_counted_nor_a_reason() -> None:
    collector = RollupCollector()
    collector.add(_workbook("a.xlsx", day=1), "")
    collector.add(failed("b.xlsx", CitcertError.single("cannot be read")), "")
    rollup = collector.rollup()

    assert _counted(rollup) == {"a.xlsx": True, "b.xlsx": None}
    assert rollup.programs == 1
    assert rollup.summary == (
        "2 workbooks: 1 audited (1 Certified, 0 Conditional); 1 could not be audited."
    )


_ASSESSMENTS = st.lists(
    st.tuples(st.integers(1, 28), st.sampled_from(Mode)), min_size=1, max_size=6, unique=True
)


@given(_ASSESSMENTS, st.randoms(use_true_random=False))
def test_the_counted_row_does_not_depend_on_the_order_of_the_batch(
    assessments: list[tuple[int, Mode]], shuffle: object
) -> None:
    """Distinct (day, kind) pairs: the latest, a review on a tie, whatever order they come in."""
    workbooks = [
        _workbook(f"{day:02d}-{mode}.xlsx", day=day, mode=mode) for day, mode in assessments
    ]
    expected = max(assessments, key=lambda a: (a[0], a[1] is Mode.REVIEW))
    shuffled = list(workbooks)
    shuffle.shuffle(shuffled)  # type: ignore[attr-defined]
    rollup = _rollup(*shuffled)

    counted = [row.file for row in rollup.rows if row.counted]
    assert counted == [f"{expected[0]:02d}-{expected[1]}.xlsx"]
    assert sum(d.programs for d in rollup.decisions) == 1
    assert all(
        f"({counted[0]})" in (row.not_counted or "") for row in rollup.rows if not row.counted
    )


def _then(rollup: Rollup) -> list[tuple[str, int]]:
    """(level, programs then) of the change since the previous roll-up, as `rollup` counts it."""
    assert rollup.since is not None
    return [(d.decision_id, d.then) for d in rollup.since.decisions]


def test_a_previous_rollup_gives_only_its_counted_rows_to_the_change(tmp_path: Path) -> None:
    """`batch --since` reads the programs the earlier run counted, not the rows it set aside."""
    earlier = _rollup(
        _workbook("lakemont.xlsx", day=15, certified=False),
        _workbook("lakemont-review.xlsx", day=15, mode=Mode.REVIEW),
    )
    (tmp_path / "summary.json").write_bytes(render_json(earlier))

    previous = read_previous(tmp_path)

    assert [(row.file, row.decision_id) for row in previous.rows] == [
        ("lakemont-review.xlsx", "certified")
    ]
    now = _rollup(_workbook("lakemont.xlsx", day=20, certified=False), previous=previous)
    assert _then(now) == [("certified", 1), ("conditional", 0)]


def _before_programs_were_counted_once(folder: Path, *workbooks: Contribution) -> None:
    """
    Write the roll-up of `workbooks` as a 2.1 roll-up wrote it: every row counted, each row's
    decision counted in its level, and (as the first 2.1 did) no `mode` recorded.
    """
    data = json.loads(render_json(_rollup(*workbooks)))
    data["schema_version"] = "2.1"
    for row in data["rows"]:
        del row["counted"], row["not_counted"], row["mode"]
    data["decisions"] = [
        {
            "decision_id": i,
            "label": label,
            "programs": sum(r["decision_id"] == i for r in data["rows"]),
        }
        for i, label in LEVELS
    ]
    (folder / "summary.json").write_text(json.dumps(data), encoding="utf-8")


def test_a_roll_up_that_counted_every_workbook_is_counted_again_by_program(
    tmp_path: Path,
) -> None:
    """
    A 2.1 roll-up (before a program was counted once) held Lakemont's self-assessment and its
    review as two programs. Read back for --since, it is one program, and the decisions are
    recounted: no phantom "no longer in the batch" on the first run after.
    """
    pair = (
        _workbook("lakemont.xlsx", day=14, certified=False),
        _workbook("lakemont-review.xlsx", day=15, mode=Mode.REVIEW),
    )
    _before_programs_were_counted_once(tmp_path, *pair)

    since = _rollup(*pair, previous=read_previous(tmp_path)).since

    assert since is not None
    assert [(c.file, c.direction) for c in since.programs] == [("lakemont-review.xlsx", "same")]
    assert [(d.decision_id, d.then) for d in since.decisions] == [
        ("certified", 1),
        ("conditional", 0),
    ]
    assert since.sentence.endswith("; 0 new, 0 no longer in the batch.")


def test_a_same_day_pair_of_an_old_roll_up_is_compared_with_the_workbook_counted_now(
    tmp_path: Path,
) -> None:
    """
    The first 2.1 roll-ups did not record which workbook was the review: a self-assessment and a
    review of one day tie. The one this batch counts is the one compared, whichever file comes
    later, so the review is not dropped from the comparison for its file's name.
    """
    pair = (
        _workbook("lakemont-review.xlsx", day=15, mode=Mode.REVIEW),
        _workbook("lakemont.xlsx", day=15, certified=False),
    )
    _before_programs_were_counted_once(tmp_path, *pair)

    since = _rollup(*pair, previous=read_previous(tmp_path)).since

    assert since is not None
    assert [(c.file, c.direction, c.old_score) for c in since.programs] == [
        ("lakemont-review.xlsx", "same", 90.0)
    ]
    assert [(d.decision_id, d.then) for d in since.decisions] == [
        ("certified", 1),
        ("conditional", 0),
    ]


def test_a_same_day_pair_neither_counted_now_keeps_the_later_file(tmp_path: Path) -> None:
    """With no workbook of the program in this batch, the file later in the old roll-up stays,
    and is the one said to be no longer in the batch."""
    _before_programs_were_counted_once(
        tmp_path,
        _workbook("lakemont-review.xlsx", day=15, mode=Mode.REVIEW),
        _workbook("lakemont.xlsx", day=15, certified=False),
    )

    since = _rollup(
        _workbook("brennan.xlsx", day=15, program="Brennan CIT"), previous=read_previous(tmp_path)
    ).since

    assert since is not None
    assert [(c.file, c.direction) for c in since.programs] == [
        ("brennan.xlsx", "new"),
        ("lakemont.xlsx", "gone"),
    ]


def test_decisions_of_two_standards_sharing_an_id_are_recounted_apart(tmp_path: Path) -> None:
    """`certified` labelled "Certified" in one standard and "Meets the standard" in another."""
    one = _workbook("a.xlsx", day=1, program="A")
    other = _workbook("b.xlsx", day=1, program="B")
    other = replace(other, row=other.row.model_copy(update={"decision": "Meets the standard"}))
    data = json.loads(render_json(_rollup(one, other)))
    data["decisions"] = [
        {"decision_id": "certified", "label": "Certified", "programs": 1},
        {"decision_id": "certified", "label": "Meets the standard", "programs": 1},
    ]
    (tmp_path / "summary.json").write_text(json.dumps(data), encoding="utf-8")

    since = _rollup(one, previous=read_previous(tmp_path)).since

    assert since is not None
    assert [(d.label, d.then, d.now) for d in since.decisions] == [
        ("Certified", 1, 1),
        ("Conditional", 0, 0),
        ("Meets the standard", 1, 0),
    ]


def test_a_level_reworded_between_versions_is_the_same_level_by_its_id(tmp_path: Path) -> None:
    """Last round "Meets the standard"; this round the standard calls its `certified` level
    "Certified": one level, its programs then and now side by side."""
    one = _workbook("a.xlsx", day=1, program="A")
    data = json.loads(render_json(_rollup(one)))
    data["rows"][0]["decision"] = "Meets the standard"
    data["decisions"] = [{"decision_id": "certified", "label": "Meets the standard", "programs": 1}]
    (tmp_path / "summary.json").write_text(json.dumps(data), encoding="utf-8")

    since = _rollup(one, previous=read_previous(tmp_path)).since

    assert since is not None
    assert [(d.label, d.then, d.now) for d in since.decisions] == [
        ("Certified", 1, 1),
        ("Conditional", 0, 0),
    ]
