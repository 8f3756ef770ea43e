"""
Time the real citcert commands on generated workloads and print a table of ratios (`make bench`).

Every figure is measured against a floor measured in the same run on the same machine, so the
ratios mean something on a busy laptop too; the start-up and one-workbook commands run in turns
with their floor (`measure_together`), so a spell of load elsewhere falls on both sides:

- start-up: ``citcert --help`` and ``citcert standards list`` against ``python -c "import click"``
  (with the standards cache warm, as every run after the first is, and once with it off);
- one workbook in a fresh process: ``citcert audit --format json`` and ``citcert validate``
  against opening the same workbook with openpyxl in read-only mode and reading every cell;
- each stage of one audit in one process, as a batch's worker runs it (`stages.py`): opening
  and checking the workbook, reading the Evidence, assessing, and each writer, against the same
  openpyxl floor;
- each writer through ``citcert audit``, and its cost over the JSON-only run;
- the roll-up: folding N programs and writing every roll-up file, time and memory, against a
  roll-up of the small batch's size;
- batch: ``citcert batch`` of N workbooks (1,000 unless ``CITCERT_BENCH_WORKBOOKS`` or
  ``--workbooks`` says otherwise) with every format and with JSON only, ``--jobs 2``, against
  the goal (60 s and 20 s for 1,000, in proportion for another N) and against a floor: the
  openpyxl opening of every workbook shared by two cores; the speed-up of a second job and the
  peak memory, against a small folder.

A tiny wrapper process runs each command and reports its wall time and the largest peak RSS of
the command's whole process tree (``resource.getrusage(RUSAGE_CHILDREN)``), so the wrapper's own
start-up is not counted. Commands run as installed: Python writes its bytecode caches, and
`citcert` is the installed script. The results and the machine are written to
benchmarks/RESULTS.md. These are figures, not tests: nothing here fails when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import workload  # noqa: E402  (benchmarks/ is not a package; it is put on the path above)

STAGES = HERE / "stages.py"
GOALS = {"all formats": 60.0, "json": 20.0}
"""The goal for a batch of 1,000 workbooks on two cores, in seconds (issue 18)."""

RESULTS = HERE / "RESULTS.md"
MIB = 1024 * 1024

# The wrapper: run argv, report wall time and the peak RSS of the largest process in its tree.
_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
print(json.dumps({"wall": wall, "peak_kib": peak, "code": code}))
"""

_FLOOR_OPEN = """
import sys
from openpyxl import load_workbook
book = load_workbook(sys.argv[1], read_only=True, data_only=True)
cells = sum(len(row) for sheet in book for row in sheet.iter_rows(values_only=True))
book.close()
"""


@dataclass(frozen=True)
class Run:
    """One measured run: wall time in seconds and peak RSS of the largest process in MiB."""

    wall: float
    peak_mib: float


@dataclass(frozen=True)
class Row:
    """One line of the results table: a time, and optionally a figure checked against a target."""

    what: str
    seconds: float
    against: str = ""
    figure: float | None = None
    unit: str = "x"
    target: str = ""
    """``<= 1.5``, ``>= 1.7`` or ``< 200``; empty when the line is for information."""
    notes: str = ""

    def shown(self) -> str:
        """The figure as the table shows it (``1.23x`` or ``87 MiB``)."""
        if self.figure is None:
            return ""
        if self.unit == "x":
            return f"{self.figure:.2f}x"
        digits = 1 if self.unit.startswith("s") else 0
        return f"{self.figure:.{digits}f} {self.unit}"

    def met(self) -> str:
        """``yes`` or ``NO`` against the target; empty when there is none."""
        if not self.target or self.figure is None:
            return ""
        op, bound = self.target.split()
        ok = {"<=": self.figure <= float(bound), ">=": self.figure >= float(bound)}.get(
            op, self.figure < float(bound)
        )
        return "yes" if ok else "NO"


def measure(argv: Sequence[str], *, runs: int, env: dict[str, str]) -> Run:
    """The best wall time of `runs` fresh runs of `argv`, and the largest peak RSS seen."""
    best, peak = float("inf"), 0.0
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _WRAPPER, *argv],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        result = json.loads(out.stdout)
        if result["code"] not in (0, 1):
            raise SystemExit(f"benchmark command failed ({result['code']}): {' '.join(argv)}")
        best = min(best, result["wall"])
        peak = max(peak, result["peak_kib"] / 1024)
    return Run(best, peak)


def measure_together(
    commands: Sequence[Sequence[str]], *, runs: int, env: dict[str, str]
) -> list[Run]:
    """
    `measure` of several commands in turns (the first, the second, …, then again), so that a
    spell of load from elsewhere on a shared machine falls on each of them alike rather than
    on whichever was being measured at the time; a ratio of two of them is then fair.
    """
    best = [float("inf")] * len(commands)
    peak = [0.0] * len(commands)
    for _ in range(runs):
        for index, argv in enumerate(commands):
            run = measure(argv, runs=1, env=env)
            best[index] = min(best[index], run.wall)
            peak[index] = max(peak[index], run.peak_mib)
    return [Run(wall, mib) for wall, mib in zip(best, peak, strict=True)]


def citcert_command() -> list[str]:
    """The installed ``citcert`` script beside this Python, or ``python -m citcert``."""
    script = Path(sys.executable).with_name("citcert")
    return [str(script)] if script.exists() else [sys.executable, "-m", "citcert"]


def machine() -> dict[str, str]:
    """CPU model, cores, memory, OS and Python version of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
        ram = f"{memory:.1f} GiB"
    except (ValueError, OSError, AttributeError):
        ram = "unknown"
    return {
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "Load average before the run": _load(),
    }


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


if TYPE_CHECKING:
    from citcert.standards.model import Standard


class Bench:
    """One benchmark run: the workload folder, the command, the settings and the rows so far."""

    def __init__(self, folder: Path, args: argparse.Namespace) -> None:
        self.folder = folder
        self.args = args
        self.citcert = citcert_command()
        # NOTE: measured as installed: Python writes and reads its bytecode caches.
        skip = {"CITCERT_STANDARDS_PATH", "CITCERT_NO_CACHE", "PYTHONDONTWRITEBYTECODE"}
        self.env = {k: v for k, v in os.environ.items() if k not in skip}
        # NOTE: a standards cache of the run's own, warmed by the first run of each command
        # (best-of-N keeps the warm runs); the cold cost is measured on its own line.
        self.env["CITCERT_CACHE_DIR"] = str(folder / "cache")
        self.rows: list[Row] = []
        self.stage_floor = 0.0
        """The openpyxl floor per workbook, in seconds, once the stages are measured."""
        self.notes: list[str] = []

    def time(self, argv: Sequence[str], runs: int | None = None) -> Run:
        """Measure a command (best of the configured number of runs)."""
        return measure(argv, runs=runs or self.args.runs, env=self.env)

    def say(self, text: str) -> None:
        """Progress on stderr, so the table on stdout stays clean."""
        print(text, file=sys.stderr, flush=True)

    # -- the four groups of figures --------------------------------------------------------

    def startup(self) -> None:
        """``--help`` and ``standards list`` against importing click."""
        self.say("start-up …")
        labels = ("citcert --help", "citcert standards list")
        floor, *runs = measure_together(
            [
                [sys.executable, "-c", "import click"],
                [*self.citcert, "--help"],
                [*self.citcert, "standards", "list"],
            ],
            runs=self.args.runs * 2,
            env=self.env,
        )
        self.rows.append(Row('python -c "import click" (floor)', floor.wall))
        for label, run in zip(labels, runs, strict=True):
            self.rows.append(
                Row(label, run.wall, "import click", run.wall / floor.wall, target="<= 1.5")
            )
        cold = measure(
            [*self.citcert, "standards", "list"],
            runs=self.args.runs,
            env={**self.env, "CITCERT_NO_CACHE": "1"},
        )
        self.rows.append(
            Row(
                "citcert standards list, cache off (first run)",
                cold.wall,
                "import click",
                cold.wall / floor.wall,
                notes="parses every standard's YAML, as the very first run does",
            )
        )

    def audit(self, workbook: Path) -> float:
        """One audit to JSON against opening the workbook with openpyxl; the JSON time back."""
        self.say("one audit …")
        out = self.folder / "audit-out"
        floor, run, check = measure_together(
            [
                [sys.executable, "-c", _FLOOR_OPEN, str(workbook)],
                [*self.citcert, "audit", str(workbook), "--format", "json", "-o", str(out)],
                [*self.citcert, "validate", str(workbook)],
            ],
            runs=self.args.runs * 2,
            env=self.env,
        )
        self.rows.append(Row("openpyxl read-only open + read every cell (floor)", floor.wall))
        self.rows.append(
            Row(
                "citcert audit --format json",
                run.wall,
                "openpyxl open",
                run.wall / floor.wall,
                target="<= 1.5",
                notes=f"peak {run.peak_mib:.0f} MiB",
            )
        )
        self.rows.append(
            Row(
                "citcert validate",
                check.wall,
                "openpyxl open",
                check.wall / floor.wall,
                target="<= 1.5",
                notes=f"peak {check.peak_mib:.0f} MiB",
            )
        )
        return run.wall

    def writers(self, workbook: Path, json_time: float) -> None:
        """Each writer alone, and what it adds to the JSON-only audit."""
        self.say("writers …")
        out = self.folder / "writer-out"
        for fmt in ("md", "xlsx", "pdf", "pdf,xlsx,json"):
            argv = [*self.citcert, "audit", str(workbook), "--format", fmt, "-o", str(out)]
            run = self.time(argv)
            notes = f"{run.wall - json_time:+.2f} s over json alone; peak {run.peak_mib:.0f} MiB"
            self.rows.append(Row(f"citcert audit --format {fmt}", run.wall, notes=notes))

    def roster(self, standard: Standard) -> None:
        """An audit of a workbook with a 5,000-row roster against the same workbook without."""
        self.say("a 5,000-row roster …")
        times = []
        for officers in (0, 5000):
            path = self.folder / f"roster-{officers}.xlsx"
            path.write_bytes(workload.with_roster(standard, 0, officers))
            out = self.folder / "roster-out"
            times.append(
                self.time([*self.citcert, "audit", str(path), "--format", "json", "-o", str(out)])
            )
        self.rows.append(
            Row(
                "citcert audit --format json, 5,000-row Officers sheet",
                times[1].wall,
                figure=times[1].wall - times[0].wall,
                unit="s more than no roster",
                target="< 1.0",
                notes=f"{times[0].wall:.2f} s without; peak {times[1].peak_mib:.0f} MiB",
            )
        )

    def stages(self, paths: list[Path]) -> None:
        """Each stage of one audit in one process, against opening the workbook with openpyxl."""
        self.say("stages of one audit, in one process …")
        figures = self._script("stages", *map(str, paths))
        floor_name = next(name for name in figures if name.endswith("(floor)"))
        floor = figures.pop(floor_name) / 1000
        self.stage_floor = floor
        self.rows.append(Row(f"per workbook: {floor_name}", floor))
        for name, ms in figures.items():
            self.rows.append(
                Row(f"per workbook: {name}", ms / 1000, "openpyxl load", ms / 1000 / floor)
            )
        total = sum(figures.values()) / 1000
        self.rows.append(
            Row(
                "per workbook: all of it, every format",
                total,
                "openpyxl load",
                total / floor,
                notes=f"best of 3 rounds over {len(paths)} workbooks, warm as in a batch worker",
            )
        )

    def rollup(self, paths: list[Path]) -> None:
        """Folding N programs into the roll-up and writing its files, against the small size."""
        big, small = self.args.workbooks, self.args.small
        self.say(f"roll-up of {small} and of {big} programs …")
        runs = {n: self._script("rollup", str(n), *map(str, paths)) for n in sorted({small, big})}
        for n, run in runs.items():
            seconds = run["seconds"]
            slowest = max((k for k in seconds if k != "fold"), key=seconds.get)
            grown = run["peak_mib"] - run["rss_before_mib"]
            self.rows.append(
                Row(
                    f"roll-up of {n} programs: fold, then every file",
                    sum(seconds.values()),
                    f"{small} programs" if n != small else "",
                    grown / max(1.0, runs[small]["peak_mib"] - runs[small]["rss_before_mib"])
                    if n != small
                    else None,
                    target="<= 1.1" if n != small else "",
                    notes=f"fold {seconds['fold']:.2f} s, {slowest} {seconds[slowest]:.2f} s; "
                    f"memory grew {grown:.0f} MiB (figure: that growth against {small} programs')",
                )
            )

    def _script(self, *argv: str) -> Any:
        out = subprocess.run(
            [sys.executable, str(STAGES), *argv],
            capture_output=True,
            text=True,
            env=self.env,
            check=True,
        )
        return json.loads(out.stdout)

    def batch(self, bases: list[bytes]) -> None:
        """
        Batches of N workbooks at ``--jobs 2`` (every format, JSON only) against the goal and
        the openpyxl floor; the speed-up and memory against a small folder.
        """
        big, small = self.args.workbooks, self.args.small
        folders = {}
        for size in sorted({small, big}):
            folders[size] = self.folder / f"state-{size}"
            workload.write_folder(folders[size], bases, size)
        one = self._batch(folders[small], small, 1)
        two = self._batch(folders[small], small, 2)
        self.rows.append(
            Row(
                f"batch speed-up of --jobs 2 ({small} workbooks, every format)",
                two.wall,
                "--jobs 1",
                one.wall / two.wall,
                target=">= 1.7",
            )
        )
        large = two if big == small else self._batch(folders[big], big, 2)
        self._batch(folders[big], big, 2, formats="json")
        self.rows.append(
            Row(
                f"peak memory, {big} against {small} workbooks, --jobs 2",
                large.wall,
                f"{small} workbooks",
                large.peak_mib / two.peak_mib,
                target="<= 1.1",
                notes=f"{two.peak_mib:.0f} MiB -> {large.peak_mib:.0f} MiB",
            )
        )

    def _batch(self, state: Path, size: int, jobs: int, formats: str = "") -> Run:
        kind = "JSON only" if formats else "every format"
        self.say(f"batch of {size}, {kind}, --jobs {jobs} …")
        out = self.folder / f"batch-{size}-{jobs}-{formats or 'all'}"
        argv = [*self.citcert, "batch", str(state), "-o", str(out), "-j", str(jobs)]
        run = self.time([*argv, *(["--format", formats] if formats else [])], 1)
        shutil.rmtree(out, ignore_errors=True)
        goal = GOALS["json" if formats else "all formats"] * size / 1000
        floor = self.stage_floor * size / 2
        against = f"floor {floor:.1f} s: {run.wall / floor:.1f}x; " if floor else ""
        self.rows.append(
            Row(
                f"citcert batch, {size} workbooks, {kind}, --jobs {jobs}",
                run.wall,
                f"goal {goal:.1f} s" if jobs == 2 else "",
                run.wall,
                unit="s",
                target=f"< {goal:.1f}" if jobs == 2 else "",
                notes=f"{against}{size / run.wall:.2f} workbooks/s; peak {run.peak_mib:.0f} MiB "
                "(floor: every workbook opened with openpyxl, on 2 cores)",
            )
        )
        return run


def _table(rows: Sequence[Row]) -> str:
    lines = [
        "| what | time (s) | against | figure | target | met | notes |",
        "| --- | ---: | --- | ---: | --- | --- | --- |",
    ]
    for r in rows:
        cells = (r.what, f"{r.seconds:.3f}", r.against, r.shown(), r.target, r.met(), r.notes)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _report(rows: Sequence[Row], info: dict[str, str], args: argparse.Namespace) -> str:
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    facts = "\n".join(f"- {k}: {v}" for k, v in info.items())
    return (
        "# citcert benchmark results\n\n"
        f"Written by `make bench` (benchmarks/run.py) on {when}, N = {args.workbooks}; best of "
        f"{args.runs} runs (start-up and one audit: best of twice as many, taken in turns with "
        "their floor), batch runs once each. Times are wall-clock seconds of fresh processes, "
        "except the per-workbook stages and the roll-up, measured inside one process; ratios "
        "compare with the floor measured in the same run. "
        "Memory is the peak RSS of the largest single process of the command (parent or "
        "worker).\n\n"
        f"## Machine\n\n{facts}\n\n## Results\n\n{_table(rows)}"
    )


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (best kept)")
    default = int(os.environ.get("CITCERT_BENCH_WORKBOOKS", "1000"))
    parser.add_argument(
        "--workbooks",
        type=int,
        default=default,
        help="the large batch's size (default: $CITCERT_BENCH_WORKBOOKS, else 1000)",
    )
    parser.add_argument("--small", type=int, default=50, help="the small batch's size")
    parser.add_argument("--no-batch", action="store_true", help="skip the (slow) batch runs")
    parser.add_argument(
        "--no-write", action="store_true", help="print the table only; leave RESULTS.md alone"
    )
    args = parser.parse_args(argv)
    args.small = min(args.small, args.workbooks)
    return args


def main(argv: Sequence[str] | None = None) -> None:
    """Generate the workloads, run every measurement, print the table, write RESULTS.md."""
    args = _arguments(argv)
    info = machine()
    from citcert.standards import find_standard

    with tempfile.TemporaryDirectory(prefix="citcert-bench-") as tmp:
        folder = Path(tmp)
        bench = Bench(folder, args)
        bench.say("generating workbooks …")
        started = time.perf_counter()
        bases = workload.variants(find_standard())
        workbook = folder / "program.xlsx"
        workbook.write_bytes(bases[0])
        bench.say(f"  {len(bases)} variants in {time.perf_counter() - started:.1f} s")
        paths = []
        for number, data in enumerate(bases):
            paths.append(folder / f"variant-{number}.xlsx")
            paths[-1].write_bytes(data)
        bench.startup()
        json_time = bench.audit(workbook)
        bench.stages(paths)
        bench.writers(workbook, json_time)
        bench.roster(find_standard())
        bench.rollup(paths)
        if not args.no_batch:
            bench.batch(bases)
    report = _report(bench.rows, info, args)
    print(report)
    if not args.no_write:
        previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
        RESULTS.write_text(_keep_notes(report, previous), encoding="utf-8")
        bench.say(f"written to {RESULTS.relative_to(HERE.parent)}")


NOTES_MARK = "## Notes"


def _keep_notes(report: str, previous: str) -> str:
    """The new report, followed by the hand-written notes section of the old one, if any."""
    at = previous.find(NOTES_MARK)
    return report if at < 0 else f"{report}\n{previous[at:]}"


if __name__ == "__main__":
    main()
