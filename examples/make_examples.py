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
    evidence = read_workbook(book, standard, today=profile["assessment_date"])
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
