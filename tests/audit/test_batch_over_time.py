"""
A state's batch over two rounds: the calendar of reviews due and ``batch --since``.

Two generated rounds of 30 workbooks of a mini standard whose levels carry validity terms. In
round two, program 29 has left and program 30 is new, and every program's ratings are drawn
again, so decisions move both ways. The due and overdue lists are worked out here from the
dates the test itself wrote and each program's decision; the change per program from the two
roll-ups' own rows.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from citcert.cli import cli
from tests.audit.test_batch_run import program
from tests.audit.workbook_filler import MINI, blank, dump_yaml, fill, load_yaml, save

REVIEW_EVERY = {"certified": 360, "conditional": 180, "not_certified": 90}
VALID_FOR = {"certified": 720, "conditional": 360}
AS_OF = {1: dt.date(2024, 11, 1), 2: dt.date(2025, 9, 1)}
"""The day each round's calendar counts from."""
ROUNDS = {1: range(30), 2: range(31)}
LEFT, JOINED = 29, 30


def _standard(folder: Path) -> Path:
    raw = load_yaml(MINI)
    for level in raw["scoring"]["decision_levels"]:
        terms: dict[str, Any] = {"review_every_days": REVIEW_EVERY[level["id"]]}
        if level["id"] in VALID_FOR:
            terms["valid_for_days"] = VALID_FOR[level["id"]]
        level["validity"] = terms
    return dump_yaml(raw, folder / "mini.yaml")


def _date(round_: int, index: int) -> dt.date:
    return dt.date(2023 + round_, 5, 1) + dt.timedelta(days=index * 3)


def _round(folder: Path, round_: int) -> dict[str, dt.date]:
    """The round's workbooks; returns each file's assessment date."""
    rng = random.Random(1000 + round_)
    dates = {}
    for index in ROUNDS[round_]:
        if round_ == 2 and index == LEFT:
            continue
        answers = program(index, rng)
        answers["profile"]["assessment_date"] = dt.datetime.combine(_date(round_, index), dt.time())
        name = f"region-{index % 3}/program-{index:02d}.xlsx"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        save(fill(blank(), documents=(), **answers), folder / name)
        dates[name] = _date(round_, index)
    return dates


def _batch(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("over-time")
    standards = root / "standards"
    standards.mkdir()
    _standard(standards)
    found: dict[str, Any] = {"dates": {}, "rollups": {}, "output": {}}
    for round_ in (1, 2):
        books = root / f"round-{round_}"
        found["dates"][round_] = _round(books, round_)
        out = root / f"out-{round_}"
        since = ["--since", root / "out-1"] if round_ == 2 else []
        result = _batch(
            "--standards-dir", standards, "batch", books, "-o", out, "--format", "json",
            "--jobs", "1", "--as-of", AS_OF[round_].isoformat(), *since,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        found["rollups"][round_] = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        found["output"][round_] = result.output
        found[f"out{round_}"] = out
    return found


def _expected_calendar(state: dict[str, Any], round_: int) -> list[tuple[str, str, bool]]:
    """(file, next review due, overdue) worked out by hand from the dates and decisions."""
    as_of = AS_OF[round_]
    rows = {r["file"]: r for r in state["rollups"][round_]["rows"]}
    due = []
    for file, assessed in state["dates"][round_].items():
        level = rows[file]["decision_id"]
        review = assessed + dt.timedelta(days=REVIEW_EVERY[level])
        valid = assessed + dt.timedelta(days=VALID_FOR[level]) if level in VALID_FOR else None
        overdue = review < as_of or (valid is not None and valid < as_of)
        if overdue or review <= as_of + dt.timedelta(days=90):
            due.append((review.isoformat(), rows[file]["program"], file, overdue))
    return [(file, when, overdue) for when, _, file, overdue in sorted(due)]


@pytest.mark.parametrize("round_", [1, 2])
def test_the_calendar_lists_reviews_due_and_overdue_as_computed_by_hand(
    state: dict[str, Any], round_: int
) -> None:
    rollup = state["rollups"][round_]
    got = [(d["file"], d["next_review_due"], d["overdue"]) for d in rollup["calendar"]]
    expected = _expected_calendar(state, round_)
    assert got == expected
    assert any(overdue for *_, overdue in expected)
    assert any(not overdue for *_, overdue in expected)
    overdue = sum(o for *_, o in expected)
    sentence = (
        f"As of {AS_OF[round_].isoformat()}: {overdue} review{'' if overdue == 1 else 's'} "
        f"overdue; {len(expected) - overdue} due within 90 days."
    )
    assert rollup["calendar_sentence"] == sentence
    assert sentence in state["output"][round_]


def test_every_row_carries_its_valid_until_and_next_review_dates(state: dict[str, Any]) -> None:
    for row in state["rollups"][2]["rows"]:
        assessed = state["dates"][2][row["file"]]
        review = assessed + dt.timedelta(days=REVIEW_EVERY[row["decision_id"]])
        assert row["next_review_due"] == review.isoformat()
        days = VALID_FOR.get(row["decision_id"])
        assert row["valid_until"] == (
            (assessed + dt.timedelta(days=days)).isoformat() if days else None
        )


def test_since_reports_each_programs_change_against_the_previous_rollup(
    state: dict[str, Any],
) -> None:
    before = {r["file"]: r for r in state["rollups"][1]["rows"]}
    after = {r["file"]: r for r in state["rollups"][2]["rows"]}
    ranks = {d["decision_id"]: i for i, d in enumerate(state["rollups"][2]["decisions"])}
    changes = {c["file"]: c for c in state["rollups"][2]["since"]["programs"]}
    assert set(changes) == set(before) | set(after)
    for file, row in after.items():
        c = changes[file]
        if file not in before:
            assert c["direction"] == "new" and c["old_decision"] is None
            continue
        old = before[file]
        assert (c["old_decision"], c["new_decision"]) == (old["decision"], row["decision"])
        assert c["change"] == round(row["overall_score"] - old["overall_score"], 1)
        rank_old, rank_new = ranks[old["decision_id"]], ranks[row["decision_id"]]
        expected = "same" if rank_old == rank_new else "up" if rank_new < rank_old else "down"
        assert c["direction"] == expected
    gone = f"region-{LEFT % 3}/program-{LEFT:02d}.xlsx"
    assert changes[gone]["direction"] == "gone" and changes[gone]["new_decision"] is None
    directions = Counter(c["direction"] for c in changes.values())
    assert directions["up"] and directions["down"], directions
    assert (directions["new"], directions["gone"]) == (1, 1)


def test_since_gives_the_states_trend_per_decision_level(state: dict[str, Any]) -> None:
    then = Counter(r["decision_id"] for r in state["rollups"][1]["rows"])
    now = Counter(r["decision_id"] for r in state["rollups"][2]["rows"])
    trend = {
        t["decision_id"]: (t["then"], t["now"]) for t in state["rollups"][2]["since"]["decisions"]
    }
    assert trend == {level: (then[level], now[level]) for level in REVIEW_EVERY}
    assert state["rollups"][2]["since"]["sentence"] in state["output"][2]
    assert state["rollups"][1]["since"] is None


def test_the_calendar_and_the_change_are_in_every_rollup_file(state: dict[str, Any]) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    out = state["out2"]
    book = load_workbook(out / "summary.xlsx")
    assert {"Reviews due", "Decisions then and now", "Change per program"} <= set(book.sheetnames)
    first = state["rollups"][2]["calendar"][0]
    due_sheet = [c for row in book["Reviews due"].iter_rows(values_only=True) for c in row]
    assert dt.datetime.fromisoformat(first["next_review_due"]) in due_sheet
    csv = (out / "summary.csv").read_text(encoding="utf-8-sig")
    assert "Valid until,Next review due" in csv.splitlines()[0]
    pdf = " ".join(p.extract_text() for p in PdfReader(out / "summary.pdf").pages)
    html = (out / "summary.html").read_text(encoding="utf-8")
    for text in (pdf, html):
        assert "Reviews due" in text
        assert "Decisions then and now" in text
        assert first["next_review_due"] in text


def test_since_takes_the_previous_summary_json_as_well_as_its_folder(
    state: dict[str, Any], tmp_path: Path
) -> None:
    """`--since out-1/summary.json` is what `audit --since report.json` taught people to type."""
    out = tmp_path / "out"
    result = _batch(
        "--standards-dir", state["out1"].parent / "standards", "batch",
        state["out1"].parent / "round-2", "-o", out, "--format", "json", "--jobs", "1",
        "--as-of", AS_OF[2].isoformat(), "--since", state["out1"] / "summary.json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    since = json.loads((out / "summary.json").read_text(encoding="utf-8"))["since"]
    assert since == state["rollups"][2]["since"]
    csv = tmp_path / "elsewhere.csv"
    csv.write_text("File,Program\n", encoding="utf-8")
    result = _batch("batch", state["out1"], "-o", tmp_path / "out-2", "--since", csv)
    assert result.exit_code == 2
    assert "elsewhere.csv: --since: is not valid JSON; give a roll-up written by" in result.output
    assert not (tmp_path / "out-2").exists()


def test_a_since_folder_without_a_rollup_is_refused_before_anything_is_written(
    state: dict[str, Any], tmp_path: Path
) -> None:
    empty = tmp_path / "not-a-run"
    empty.mkdir()
    out = tmp_path / "out"
    result = _batch("batch", state["out1"], "-o", out, "--since", empty)
    assert result.exit_code == 2
    assert "not-a-run/summary.json" in result.output and "is missing" in result.output
    assert not out.exists()
    (empty / "summary.json").write_text('{"schema_version": "9.9"}', encoding="utf-8")
    result = _batch("batch", state["out1"], "-o", out, "--since", empty)
    assert result.exit_code == 2
    assert "was written by a citcert whose roll-up this one does not read" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("overall_score", 1e308, "at rows.0.overall_score: input should be less than or equal"),
        ("overall_score", -50, "at rows.0.overall_score: input should be greater than or equal"),
        ("decision_id", "gold", "decides gold, which is not one of its levels (certified, "),
    ],
)
def test_an_impossible_previous_rollup_is_refused_before_anything_is_written(
    state: dict[str, Any], tmp_path: Path, field: str, value: object, message: str
) -> None:
    """Its rows are checked as an audit report's are: 1e308 made a 300-digit change column."""
    summary = json.loads((state["out1"] / "summary.json").read_text(encoding="utf-8"))
    audited = next(row for row in summary["rows"] if row["audited"])
    audited[field] = value
    summary["rows"] = [audited]
    edited = tmp_path / "edited"
    edited.mkdir()
    (edited / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    out = tmp_path / "out"

    result = _batch("batch", state["out1"], "-o", out, "--since", edited)

    assert result.exit_code == 2
    assert "edited/summary.json: --since: is not a roll-up written by `citcert batch` (" in (
        result.output
    )
    assert message in result.output
    assert not out.exists()
