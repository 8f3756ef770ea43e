"""
In-process figures for `make bench` (run.py starts this script in a fresh process of its own).

``python stages.py stages WORKBOOK...`` times each stage of auditing one workbook, as a batch's
worker does it (the standard loaded once, every writer warmed on the first workbook, so the
reuse of one report's layout in the next is included), and the floor: opening the same workbook
with openpyxl read-only and reading every cell. Each stage is the best of several rounds over
the workbooks, per workbook, in milliseconds.

``python stages.py rollup N WORKBOOK...`` folds N programs (the workbooks' assessments in turn,
each under its own file name) into a roll-up, as a batch's parent does while results arrive,
then renders every roll-up file: the time of each and the peak memory of the process (RSS).

Each prints one JSON object on standard output.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

MIB = 1024


def _best(rounds: int, work: Callable[[], object]) -> float:
    """The best wall time of `rounds` calls of `work`, in seconds."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def _floor(path: Path) -> int:
    """Open `path` with openpyxl read-only and read every cell; the number of cells."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    cells = sum(len(row) for sheet in book for row in sheet.iter_rows(values_only=True))
    book.close()
    return cells


def _render_all(assessments: list[Any], fmt: Any) -> list[bytes]:
    from citcert.export import render

    return [render(a, fmt) for a in assessments]


def stages(paths: list[Path], rounds: int = 3) -> dict[str, float]:
    """Milliseconds per workbook of each stage (best of `rounds` rounds over all workbooks)."""
    from citcert.app.workbook import StandardChoice, open_submission, read_evidence
    from citcert.audit.scoring import assess
    from citcert.export import Format, render

    choice = StandardChoice()
    submissions = [open_submission(p) for p in paths]
    standard = choice.resolve(submissions[0].standard_ref)
    evidence = [read_evidence(s, standard) for s in submissions]
    assessments = [assess(standard, e) for e in evidence]
    writers = [Format.JSON, Format.MARKDOWN, Format.XLSX, Format.PDF, Format.HTML]
    for fmt in writers:  # imports and one-off set-up, as a worker's first workbook pays them
        render(assessments[0], fmt)
    steps: dict[str, Callable[[], object]] = {
        "openpyxl read-only load, every cell (floor)": lambda: [_floor(p) for p in paths],
        "open and check the workbook (calamine)": lambda: [open_submission(p) for p in paths],
        "read the Evidence": lambda: [read_evidence(s, standard) for s in submissions],
        "assess": lambda: [assess(standard, e) for e in evidence],
    }
    for fmt in writers:
        steps[f"write {fmt.value.upper()}"] = partial(_render_all, assessments, fmt)
    return {name: 1000 * _best(rounds, work) / len(paths) for name, work in steps.items()}


def rollup(count: int, paths: list[Path]) -> dict[str, Any]:
    """Fold `count` programs into a roll-up and render its files; times and memory."""
    from citcert.app.workbook import StandardChoice, audit_submission, open_submission
    from citcert.audit.tally import RollupCollector, contribution
    from citcert.export.rollup import FILES

    assessments = [audit_submission(open_submission(p), StandardChoice()).assessment for p in paths]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MIB
    started = time.perf_counter()
    collector = RollupCollector()
    for index in range(count):
        a = assessments[index % len(assessments)]
        made = contribution(f"program-{index:04d}.xlsx", a, below=False)
        # Each its own program: the roll-up counts one workbook per program name.
        made = replace(made, row=made.row.model_copy(update={"program": f"Program {index:04d}"}))
        collector.add(made, f"p{index}")
    result = collector.rollup()
    times = {"fold": time.perf_counter() - started}
    for name, writer in FILES.items():
        started = time.perf_counter()
        writer(result)
        times[name] = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MIB
    return {"seconds": times, "rss_before_mib": before, "peak_mib": after}


def main(argv: list[str]) -> None:
    """``stages WORKBOOK...`` or ``rollup N WORKBOOK...``: print the figures as JSON."""
    if argv[0] == "stages":
        print(json.dumps(stages([Path(p) for p in argv[1:]])))
    else:
        print(json.dumps(rollup(int(argv[1]), [Path(p) for p in argv[2:]])))


if __name__ == "__main__":
    main(sys.argv[1:])
