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
