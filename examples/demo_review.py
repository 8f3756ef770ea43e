"""
What `make demo-review` runs: the review cycle on the Brennan County example, as people do it.

Two reviewers each get their own workbook of the county's submission, rate it independently
(this script types their answers with openpyxl, standing in for the reviewers at Excel), then
`reconcile` measures their agreement and writes the consensus workbook, whose open
disagreements `validate` lists; the panel settles them, marks the review final, and `audit`
writes the program's report and the panel's.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from openpyxl import load_workbook

from citcert.cli import main
from citcert.workbook import layout as L

EXAMPLES = Path(__file__).resolve().parent
SUBMISSION = EXAMPLES / "brennan-county.xlsx"
OUTPUT = Path("demo-review-output")

REVIEWERS = {
    "review-okafor.xlsx": (
        "Dr. Helen Okafor",
        {"PART-01": ("Met", "Charter signed by all partners."), "TRN-01": ("Partially met", "")},
    ),
    "review-lee.xlsx": (
        "Sam Lee",
        {"PART-01": ("Met", ""), "TRN-01": ("Not met", "Only the 2023 class finished.")},
    ),
}
CONSENSUS = {"TRN-01": ("Partially met", "Two of three classes finished; the third is booked.")}


def run(*args: str) -> int:
    """Print the command, then run it; return its exit status."""
    print(f"\n$ citcert {' '.join(args)}", flush=True)
    try:
        main(list(args))
    except SystemExit as done:
        return int(done.code or 0)
    return 0


def type_into(path: Path, answers: Mapping[str, tuple[str, str]], **extra: str) -> None:
    """Type ratings (and comments or reasons) into a Review sheet, as a reviewer would."""
    book = load_workbook(path)
    ws = book["Review"]
    headers = {c.value: c.column for c in ws[L.HEADER_ROW] if c.value}
    text = "Reason for the consensus" if "Reason for the consensus" in headers else None
    for row in ws.iter_rows(min_row=L.FIRST_DATA_ROW):
        if row[0].value in answers:
            rating, words = answers[row[0].value]
            ws.cell(row[0].row, headers["Rating"]).value = rating
            ws.cell(row[0].row, headers[text or "Comment for the program"]).value = words or None
        elif row[0].value and not text and not ws.cell(row[0].row, headers["Rating"]).value:
            ws.cell(row[0].row, headers["Rating"]).value = row[3].value  # agrees with the program
    first = L.FIRST_DATA_ROW  # PART-01's row
    for key, header in (("note", "Internal note (panel only)"), ("strength", "Strength")):
        if key in extra:
            ws.cell(first, headers[header]).value = extra[key]
    for row in book["Reviewer"].iter_rows():
        if row[0].value in extra:
            row[2].value = extra[row[0].value]
    book.save(path)


def demo() -> None:
    """The steps of the review cycle, in order."""
    shutil.rmtree(OUTPUT, ignore_errors=True)
    OUTPUT.mkdir()
    submission = os.path.relpath(SUBMISSION)
    paths = []
    for name, (reviewer, answers) in REVIEWERS.items():
        path = OUTPUT / name
        run("review", "start", submission, "--reviewer", reviewer, "-o", str(path))
        print(f"({reviewer} fills in the Review sheet of {path})")
        type_into(
            path,
            answers,
            review_date="2025-10-01",
            note=f"Panel only: {reviewer} would like to see the committee minutes.",
            strength="A steering committee with every core partner, meeting monthly.",
        )
        paths.append(str(path))
    consensus = OUTPUT / "consensus.xlsx"
    run("review", "reconcile", *paths, "-o", str(consensus))
    run("validate", str(consensus))
    print("(the panel settles each disagreement with a reason and marks the review Final)")
    type_into(consensus, CONSENSUS, status="Final", decision_date="2025-10-15")
    run("validate", str(consensus))
    run("audit", str(consensus), "-o", str(OUTPUT / "applicant"))
    run("audit", str(consensus), "-o", str(OUTPUT / "panel"), "--audience", "panel")
    print(
        f"\nThe program's reports are in {(OUTPUT / 'applicant').resolve()}, the panel's in "
        f"{(OUTPUT / 'panel').resolve()}"
    )


if __name__ == "__main__":
    demo()
