"""
Regenerate the example workbooks from examples/programs.yaml.

Each fictional program's answers are typed into the evidence template of the standard named in
the data file, the way a coordinator (and, for a review, a reviewer) would fill it in, and saved
next to this script. The bytes depend only on the data and the standard, so running this twice
changes nothing; a test checks the committed workbooks against a fresh generation.

    python examples/make_examples.py            # rewrite examples/*.xlsx
    python examples/make_examples.py --check    # exit 1 if a committed workbook is out of date
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from citcert._files import write_atomic
from citcert._spreadsheet import workbook_bytes
from citcert.standards import find_standard
from citcert.standards.model import Standard
from citcert.workbook.layout import MODE_LABELS
from citcert.workbook.template import build_workbook, fixed_time
from citcert.workbook.template.filling import fill_workbook

HERE = Path(__file__).resolve().parent
DATA = HERE / "programs.yaml"


def load(path: Path = DATA) -> dict[str, Any]:
    """The example data: the standard's ref and the list of programs."""
    data: dict[str, Any] = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return data


def _rows(program: Mapping[str, Any]) -> dict[str, dict[str, object]]:
    """Each requirement's Evidence cells by column key (with the reviewer's, for a review)."""
    review = program.get("review")
    differs = (review or {}).get("differs", {})
    comments = (review or {}).get("comments", {})
    rows: dict[str, dict[str, object]] = {}
    for requirement_id, (rating, summary, documents) in program["answers"].items():
        row: dict[str, object] = {
            "self_rating": rating,
            "evidence_summary": summary or None,
            "documents": "\n".join(documents) or None,
        }
        if review is not None:
            reviewer_rating, comment = differs.get(requirement_id, (rating, None))
            row["reviewer_rating"] = reviewer_rating
            row["reviewer_comment"] = comment or comments.get(requirement_id)
        rows[requirement_id] = row
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
            quarters.append(
                {"quarter_end": quarter_end, "report_sent": quarter_end + dt.timedelta(days=20)}
            )
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


def render(program: Mapping[str, Any], standard: Standard) -> bytes:
    """One program's filled workbook, as deterministic .xlsx bytes."""
    profile = dict(program["profile"])
    assert profile["assessment_type"] in MODE_LABELS.values(), profile["assessment_type"]
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
    return {program["file"]: render(program, standard) for program in data["programs"]}


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
