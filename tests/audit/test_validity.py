"""
Validity in the standard: every report says how long the decision stands and when the next
review is due, with the dates worked out by hand here from the workbook's assessment date.

`dated_mini` is the mini standard with validity terms: Certified lasts 1,095 days with a yearly
interim report, Conditionally certified 365 days with a review after 182, Not certified a
review after 182. The workbooks of `workbook_filler` are dated 2024-05-01.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from citcert.audit.assessment import Assessment
from citcert.audit.scoring import assess
from citcert.audit.validity import certification_dates
from citcert.cli import cli
from citcert.errors import StandardFileError
from citcert.export import Format, render
from citcert.standards.loader import load_file
from citcert.standards.model import Standard
from citcert.standards.registry import find_standard
from citcert.workbook.template import render_template
from tests.audit import workbook_filler as wb
from tests.audit.builders import GOOD_NUMBERS, make_evidence

STEM = "riverton-cit-program"

# 2024-05-01 + 1095 days, + 365 days, + 182 days: counted on a calendar.
THREE_YEARS = "2027-05-01"
ONE_YEAR = "2025-05-01"
HALF_YEAR = "2024-10-30"

VALIDITY: dict[str, dict[str, Any]] = {
    "certified": {
        "valid_for_days": 1095,
        "interim_report_every_days": 365,
        "proposal": ["interim_report_every_days"],
        "basis": "three years, as CIT International's program certification",
    },
    "conditional": {
        "valid_for_days": 365,
        "review_every_days": 182,
        "proposal": ["valid_for_days", "review_every_days"],
    },
    "not_certified": {"review_every_days": 182, "proposal": ["review_every_days"]},
}


def dated_raw() -> dict[str, Any]:
    """The mini standard's data with the validity terms above on its decision levels."""
    raw = copy.deepcopy(wb.load_yaml(wb.MINI))
    for level in raw["scoring"]["decision_levels"]:
        level["validity"] = VALIDITY[level["id"]]
    return raw


@pytest.fixture(scope="module")
def dated_mini() -> Standard:
    return Standard.model_validate(dated_raw())


@pytest.fixture(scope="module")
def standards_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("standards")
    wb.dump_yaml(dated_raw(), folder / "mini.yaml")
    return folder


def _blank(standard: Standard) -> Any:
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(render_template(standard)))


@pytest.fixture(scope="module")
def certified_book(tmp_path_factory: pytest.TempPathFactory, dated_mini: Standard) -> Path:
    book = wb.fill(_blank(dated_mini))
    return wb.save(book, tmp_path_factory.mktemp("certified") / "program.xlsx")


@pytest.fixture(scope="module")
def conditional_book(tmp_path_factory: pytest.TempPathFactory, dated_mini: Standard) -> Path:
    book = wb.fill(_blank(dated_mini))
    wb.set_answer(book, "PART-01", "Self rating", "Not met")
    return wb.save(book, tmp_path_factory.mktemp("conditional") / "weak.xlsx")


@pytest.fixture(scope="module")
def run(standards_dir: Path) -> Any:
    def invoke(runner: CliRunner, *args: str | Path) -> Result:
        return runner.invoke(cli, ["--standards-dir", str(standards_dir), "audit", *map(str, args)])

    return invoke


def _reports(run: Any, runner: CliRunner, book: Path, out: Path) -> dict[str, Path]:
    result = run(runner, book, "-o", out, "--format", "json,md,pdf,xlsx")
    assert result.exit_code == 0, result.output
    return {p.suffix: p for p in out.iterdir()}


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


def _summary_cells(path: Path) -> dict[str, object]:
    from openpyxl import load_workbook

    sheet = load_workbook(path)["Summary"]
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}


@pytest.mark.parametrize(
    ("book_name", "valid_until", "review", "interim"),
    [
        ("certified_book", THREE_YEARS, THREE_YEARS, ONE_YEAR),
        ("conditional_book", ONE_YEAR, HALF_YEAR, None),
    ],
)
def test_every_report_states_valid_until_and_next_review(
    request: pytest.FixtureRequest,
    run: Any,
    runner: CliRunner,
    tmp_path: Path,
    book_name: str,
    valid_until: str,
    review: str,
    interim: str | None,
) -> None:
    """JSON, Markdown, PDF, XLSX and the terminal all carry the same hand-computed dates."""
    book = request.getfixturevalue(book_name)
    files = _reports(run, runner, book, tmp_path)

    dates = json.loads(files[".json"].read_text(encoding="utf-8"))["dates"]
    assert (dates["valid_until"], dates["next_review_due"]) == (valid_until, review)
    assert dates["interim_report_due"] == interim

    md = files[".md"].read_text(encoding="utf-8")
    assert f"| Valid until | {valid_until} |" in md
    assert f"| Next review due | {review} |" in md

    pdf = _pdf_text(files[".pdf"])
    assert f"Valid until {valid_until}" in pdf
    assert f"Next review due {review}" in pdf

    cells = _summary_cells(files[".xlsx"])
    assert cells["Valid until"] == dt.datetime.fromisoformat(valid_until)
    assert cells["Next review due"] == dt.datetime.fromisoformat(review)
    assert ("Interim report due" in cells) is (interim is not None)

    terminal = run(runner, book)
    line = f"Valid until {valid_until} · Next review due {review}"
    assert line in terminal.stdout
    assert ("Interim report due" in terminal.stdout) is (interim is not None)


def test_a_level_that_awards_nothing_says_so(dated_mini: Standard) -> None:
    """Not certified does not lapse; its next review is 182 days after the as-of date."""
    ratings = {"PART-01": "not_met", "PART-02": "not_met", "TRN-01": "not_met"}
    numbers = {**GOOD_NUMBERS, "cit_officers": 1}
    a = assess(dated_mini, make_evidence(dated_mini, ratings, numbers=numbers))
    assert a.decision.level_id == "not_certified"
    assert a.dates is not None
    assert a.dates.valid_until is None
    assert a.dates.next_review_due == dt.date(2024, 11, 30)  # 2024-06-01 + 182 days
    assert a.dates.sentence == (
        "Not certified has no term in the standard, so there is no date it lapses; the next review "
        "is due by 2024-11-30."
    )
    md = render(a, Format.MARKDOWN).decode()
    assert "| Valid until | not applicable (this level has no term) |" in md


def test_as_of_moves_every_date(dated_mini: Standard) -> None:
    """The dates count from the assessment's as-of date, never from the clock."""
    a = assess(dated_mini, make_evidence(dated_mini), as_of=dt.date(2024, 5, 15))
    assert a.decision.level_id == "certified"
    assert a.dates is not None
    assert a.dates.valid_until == dt.date(2027, 5, 15)
    assert a.dates.interim_report_due == dt.date(2025, 5, 15)


def test_fail_below_and_exit_codes_do_not_look_at_the_dates(
    run: Any, runner: CliRunner, conditional_book: Path, tmp_path: Path
) -> None:
    """A conditional decision is still below certified, valid or not: exit 1 as before."""
    result = run(runner, conditional_book, "-o", tmp_path, "--format", "json", "--fail-below",
                 "certified")  # fmt: skip
    assert result.exit_code == 1
    ok = run(runner, conditional_book, "-o", tmp_path / "b", "--format", "json", "--fail-below",
             "conditional")  # fmt: skip
    assert ok.exit_code == 0


def test_an_assessment_saved_before_dates_still_reads(dated_mini: Standard) -> None:
    """An older JSON report has no dates: it validates, and reports say none were recorded."""
    a = assess(dated_mini, make_evidence(dated_mini))
    raw = json.loads(render(a, Format.JSON))
    del raw["dates"]
    old = Assessment.model_validate(raw)
    assert old.dates is None
    assert (
        "| Valid until | not recorded in this assessment |" in render(old, Format.MARKDOWN).decode()
    )


def test_the_scoring_explanation_names_the_terms_and_the_proposals(
    dated_mini: Standard,
) -> None:
    a = assess(dated_mini, make_evidence(dated_mini))
    assert (
        "Certified lasts 1,095 days (3 years) and asks an interim report every 365 days "
        "(1 year); the interim report interval is proposed by citcert, not a published rule; "
        "three years, as CIT International's program certification."
    ) in a.scoring_explanation


def test_the_built_in_standards_follow_their_sources() -> None:
    """Three years is CIT International's published term; the rest is marked as a proposal."""
    best = find_standard("cit-best-practice@2019.1")
    levels = {lv.id: lv for lv in best.scoring.decision_levels}
    certified = levels["certified"].validity
    assert certified is not None
    assert certified.valid_for_days == 1095
    assert "valid_for_days" not in certified.proposal
    for level in best.scoring.decision_levels:
        v = level.validity
        assert v is not None, level.id
        for term in ("review_every_days", "interim_report_every_days"):
            if getattr(v, term) is not None:
                assert term in v.proposal, (level.id, term)
    dates = certification_dates(best.scoring, "conditional", dt.date(2025, 8, 20))
    assert (dates.valid_until, dates.next_review_due) == (
        dt.date(2026, 8, 20),
        dt.date(2026, 2, 18),
    )


def test_a_proposal_naming_an_unset_term_is_a_located_error(
    tmp_path: Path, standards_dir: Path
) -> None:
    source = (standards_dir / "mini.yaml").read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    at = next(i for i, text in enumerate(lines) if text.strip() == "- review_every_days")
    lines[at] = lines[at].replace("review_every_days", "interim_report_every_days")
    path = tmp_path / "bad.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(StandardFileError) as caught:
        load_file(path)
    message = str(caught.value)
    assert "bad.yaml:" in message
    expected = (
        "scoring.decision_levels[1].validity: proposal names interim_report_every_days, which "
        "this validity does not set"
    )
    assert expected in message, message


def test_the_mini_standard_of_other_tests_has_no_dates(mini_standard: Standard) -> None:
    """A standard without validity: reports say no term and no review date are set."""
    a = assess(mini_standard, make_evidence(mini_standard))
    assert a.dates is not None
    assert (a.dates.valid_until, a.dates.next_review_due) == (None, None)
    md = render(a, Format.MARKDOWN).decode()
    assert "| Valid until | not applicable (this level has no term) |" in md
    assert "| Next review due | not set |" in md
