"""
Regenerate the example workbooks from examples/programs.yaml.

Each fictional program's answers are typed into the evidence template of the standard named in
the data file, the way a coordinator would fill it in, and saved next to this script. A program
under review also gets its reviewer's workbook (``<name>-review.xlsx``, as `citcert review start`
makes it), filled in the way the reviewer would. The bytes depend only on the data and the
standard, so running this twice changes nothing; a test checks the committed workbooks against
a fresh generation.

    python examples/make_examples.py            # rewrite examples/*.xlsx
    python examples/make_examples.py --check    # exit 1 if a committed workbook is out of date
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from citcert._files import write_atomic
from citcert._spreadsheet import workbook_bytes
from citcert.standards import find_standard
from citcert.standards.model import Standard
from citcert.workbook.evidence import Mode
from citcert.workbook.layout import MODE_LABELS
from citcert.workbook.review.layout import Kind
from citcert.workbook.review.writer import Plan, Prefill, review_workbook
from citcert.workbook.template import build_workbook, fixed_time
from citcert.workbook.template.filling import fill_workbook

HERE = Path(__file__).resolve().parent
DATA = HERE / "programs.yaml"


def load(path: Path = DATA) -> dict[str, Any]:
    """The example data: the standard's ref and the list of programs."""
    data: dict[str, Any] = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return data


def _rows(program: Mapping[str, Any]) -> dict[str, dict[str, object]]:
    """Each requirement's Evidence cells by column key."""
    rows: dict[str, dict[str, object]] = {}
    for requirement_id, (rating, summary, documents) in program["answers"].items():
        rows[requirement_id] = {
            "self_rating": rating,
            "evidence_summary": summary or None,
            "documents": "\n".join(documents) or None,
        }
    return rows


def _back(day: dt.date, days: int) -> dt.date:
    return day - dt.timedelta(days=days)


def records_for(numbers: Mapping[str, Any], as_of: dt.date) -> dict[str, list[dict[str, object]]]:
    """
    Record-sheet rows that give exactly the program's typed numbers, generated from them.

    Officers: the sworn officers, the first of them on patrol, spread over the shifts, with the
    trained patrol officers spread over the shifts that have a CIT officer. Dispatchers, the
    last basic class, the committee's meetings in the last year and the quarterly reports are
    laid out the same way. A number left empty leaves its sheet empty.
    """
    n = numbers.get
    records: dict[str, list[dict[str, object]]] = {}
    if n("sworn_officers"):
        shifts = [chr(65 + i) for i in range(n("shifts") or 1)]
        covered = shifts[: n("shifts_with_cit") or 0] or shifts[:1]
        officers: list[dict[str, object]] = []
        trained = n("cit_patrol_officers") or 0
        for i in range(n("sworn_officers")):
            patrol = i < (n("patrol_officers") or 0)
            row: dict[str, object] = {
                "officer_id": f"B-{1000 + i}",
                "assignment": "Patrol" if patrol else "Other",
                "shift": shifts[i % len(shifts)] if patrol else "Days",
            }
            if patrol and i < trained:
                row["shift"] = covered[i % len(covered)]
                row["course_date"] = _back(as_of, 400 + 30 * (i % 12))
            officers.append(row)
        if n("last_inservice") and officers:
            officers[0]["last_inservice"] = n("last_inservice")
        records["officers"] = officers
    if n("dispatchers"):
        records["dispatchers"] = [
            {"person_id": f"D-{100 + i}", "shift": ("Day", "Night")[i % 2]}
            | ({"course_date": _back(as_of, 200 + i)} if i < (n("cit_dispatchers") or 0) else {})
            for i in range(n("dispatchers"))
        ]
    if n("last_basic_class"):
        end = n("last_basic_class")
        records["classes"] = [
            {"start_date": _back(end, 4), "end_date": end, "course": "Basic", "trained": 20}
            | {"hours": n("basic_course_hours"), "mental_health": "Yes", "family": "Yes"}
            | {"lived_experience": "Yes", "law_enforcement": "Yes"}
        ]
    count, last = n("committee_meetings_12m") or 0, n("last_committee_meeting")
    if last:
        gap = 330 // max(count, 1)
        records["meetings"] = [
            {"date": _back(last, gap * i), "law_enforcement": "Yes", "mental_health": "Yes"}
            | {"lived_experience": "Yes", "family": "Yes", "minutes": "Yes"}
            for i in range(max(count, 1))
        ]
    if n("data_reports_12m"):
        quarter_end = _quarter_end_before(_back(as_of, 20))
        quarters = []
        for _ in range(n("data_reports_12m")):
            sent = quarter_end + dt.timedelta(days=20)
            calls = 40 + 7 * len(quarters)
            outcomes = {"resolved": calls * 3 // 5, "treatment": calls * 3 // 10, "arrested": 2}
            row = {"quarter_end": quarter_end, "report_sent": sent, "cit_calls": calls}
            quarters.append(row | outcomes)
            quarter_end = _quarter_end_before(_back(quarter_end, 1))
        records["quarterly"] = quarters
    return records


def _quarter_end_before(day: dt.date) -> dt.date:
    """The last quarter end on or before `day`."""
    for month, last in ((12, 31), (9, 30), (6, 30), (3, 31)):
        end = dt.date(day.year, month, last)
        if end <= day:
            return end
    return dt.date(day.year - 1, 12, 31)


def _review_rows(program: Mapping[str, Any]) -> dict[str, Prefill]:
    """The reviewer's rating (the self rating unless it differs) and comment per requirement."""
    review = program["review"]
    differs, comments = review.get("differs", {}), review.get("comments", {})
    rows = {}
    for requirement_id, (rating, _, _) in program["answers"].items():
        reviewer_rating, comment = differs.get(requirement_id, (rating, None))
        text = comment or comments.get(requirement_id) or ""
        rows[requirement_id] = Prefill(rating=reviewer_rating, comment=text)
    return rows


def render_review(program: Mapping[str, Any], standard: Standard, submission: bytes) -> bytes:
    """The reviewer's workbook of a program under review, filled and marked final."""
    from citcert.workbook.reader import SHEETS, read_workbook
    from citcert.workbook.sheets import Book
    from citcert.workbook.snapshot import snapshot

    name = program["file"]
    book = Book(name, hashlib.sha256(submission).hexdigest(), snapshot(submission, name, SHEETS))
    profile = program["profile"]
    evidence = read_workbook(book, standard)
    plan = Plan(
        kind=Kind.REVIEW,
        reviewers=(profile["reviewer"],),
        rows=_review_rows(program),
        review_date=profile["assessment_date"],
        final=True,
    )
    return review_workbook(submission, evidence, standard, plan)


def render(program: Mapping[str, Any], standard: Standard) -> bytes:
    """One program's filled workbook, as deterministic .xlsx bytes."""
    profile = dict(program["profile"])
    assert profile["assessment_type"] in MODE_LABELS.values(), profile["assessment_type"]
    if "review" in program:  # the program's own workbook: the review is the reviewer's
        profile["assessment_type"] = MODE_LABELS[Mode.SELF]
        profile.pop("reviewer", None)
    book = build_workbook(standard)
    documents = [
        dict(zip(("name", "date", "description", "link"), row, strict=True))
        for row in program.get("documents", ())
    ]
    fill_workbook(
        book,
        program={**profile, **program.get("numbers", {})},
        rows=_rows(program),
        documents=documents,
        records=records_for(program.get("numbers", {}), profile["assessment_date"]),
    )
    return workbook_bytes(book, fixed_time(standard))


def generate(data: Mapping[str, Any] | None = None) -> dict[str, bytes]:
    """Every example workbook, by file name."""
    data = data or load()
    standard = find_standard(data["standard"])
    files = {}
    for program in data["programs"]:
        files[program["file"]] = render(program, standard)
        if "review" in program:
            review = program["file"].removesuffix(".xlsx") + "-review.xlsx"
            files[review] = render_review(program, standard, files[program["file"]])
    return files


def main(argv: list[str] | None = None) -> int:
    """Write the example workbooks (or, with --check, report which are out of date)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    stale = []
    for name, data in generate().items():
        path = HERE / name
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(name)
        else:
            write_atomic(path, data)
            print(f"wrote examples/{name}")
    if stale:
        print(f"out of date: {', '.join(stale)}; run python examples/make_examples.py")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
