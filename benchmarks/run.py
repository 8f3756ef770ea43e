"""
Time the real citcert commands on generated workloads and print a table of ratios (`make bench`).

Every figure is measured in fresh processes, best of several runs, against a floor measured in
the same run on the same machine, so the ratios mean something on a busy laptop too:

- start-up: ``citcert --help`` and ``citcert standards list`` against ``python -c "import click"``
  (with the standards cache warm, as every run after the first is, and once with it off);
- one audit: ``citcert audit --format json`` against opening the same workbook with openpyxl in
  read-only mode and reading every cell, in a fresh process;
- each writer: ``citcert audit`` with one format at a time, and its cost over the JSON-only run;
- batch: ``citcert batch`` of many workbooks with every format, ``--jobs 1`` and ``--jobs 2``:
  workbooks per second, the speed-up, and the peak memory (RSS) of the largest process, for a
  small and a large folder, to show memory does not grow with the number of workbooks.

A tiny wrapper process runs each command and reports its wall time and the largest peak RSS of
the command's whole process tree (``resource.getrusage(RUSAGE_CHILDREN)``), so the wrapper's own
start-up is not counted. The results and the machine are written to benchmarks/RESULTS.md.
These are figures, not tests: nothing here fails when a target is missed.
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
from typing import TYPE_CHECKING

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import workload  # noqa: E402  (benchmarks/ is not a package; it is put on the path above)

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
        digits = 2 if self.unit.startswith("s ") else 0
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
        skip = {"CITCERT_STANDARDS_PATH", "CITCERT_NO_CACHE"}
        self.env = {k: v for k, v in os.environ.items() if k not in skip}
        # NOTE: a standards cache of the run's own, warmed by the first run of each command
        # (best-of-N keeps the warm runs); the cold cost is measured on its own line.
        self.env["CITCERT_CACHE_DIR"] = str(folder / "cache")
        self.rows: list[Row] = []
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
        floor = self.time([sys.executable, "-c", "import click"], self.args.runs * 2)
        self.rows.append(Row('python -c "import click" (floor)', floor.wall))
        for label, argv in (
            ("citcert --help", ["--help"]),
            ("citcert standards list", ["standards", "list"]),
        ):
            run = self.time([*self.citcert, *argv], self.args.runs * 2)
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
        floor = self.time([sys.executable, "-c", _FLOOR_OPEN, str(workbook)])
        self.rows.append(Row("openpyxl read-only open + read every cell (floor)", floor.wall))
        out = self.folder / "audit-out"
        run = self.time([*self.citcert, "audit", str(workbook), "--format", "json", "-o", str(out)])
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

    def batch(self, bases: list[bytes]) -> None:
        """Batch runs: throughput, speed-up from a second job, and memory against folder size."""
        sizes = sorted({self.args.small, self.args.workbooks})
        runs: dict[tuple[int, int], Run] = {}
        for size in sizes:
            state = self.folder / f"state-{size}"
            workload.write_folder(state, bases, size)
            for jobs in (1, 2):
                runs[(size, jobs)] = self._batch(state, size, jobs)
        big, small = self.args.workbooks, sizes[0]
        speedup = runs[(big, 1)].wall / runs[(big, 2)].wall
        self.rows.append(
            Row(
                f"batch speed-up of --jobs 2 ({big} workbooks)",
                runs[(big, 2)].wall,
                "--jobs 1",
                speedup,
                target=">= 1.7",
            )
        )
        for jobs in (1, 2):
            before, after = runs[(small, jobs)].peak_mib, runs[(big, jobs)].peak_mib
            self.rows.append(
                Row(
                    f"peak memory, {big} against {small} workbooks, --jobs {jobs}",
                    runs[(big, jobs)].wall,
                    f"{small} workbooks",
                    after / before,
                    target="<= 1.1",
                    notes=f"{before:.0f} MiB -> {after:.0f} MiB",
                )
            )

    def _batch(self, state: Path, size: int, jobs: int) -> Run:
        self.say(f"batch of {size}, --jobs {jobs} …")
        out = self.folder / f"batch-{size}-{jobs}"
        run = self.time([*self.citcert, "batch", str(state), "-o", str(out), "-j", str(jobs)], 1)
        shutil.rmtree(out, ignore_errors=True)
        self.rows.append(
            Row(
                f"citcert batch, {size} workbooks, all formats, --jobs {jobs}",
                run.wall,
                figure=run.peak_mib,
                unit="MiB",
                target="< 200",
                notes=f"{size / run.wall:.2f} workbooks/s; figure: peak RSS per process",
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
        f"Written by `make bench` (benchmarks/run.py) on {when}; best of {args.runs} runs "
        "(start-up: best of twice as many), batch runs once each. Times are wall-clock seconds of "
        "fresh processes; ratios compare with the floor measured in the same run. Memory is the "
        "peak RSS of the largest single process of the command (parent or worker).\n\n"
        f"## Machine\n\n{facts}\n\n## Results\n\n{_table(rows)}"
    )


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (best kept)")
    parser.add_argument("--workbooks", type=int, default=200, help="the large batch's size")
    parser.add_argument("--small", type=int, default=50, help="the small batch's size")
    parser.add_argument("--no-batch", action="store_true", help="skip the (slow) batch runs")
    parser.add_argument(
        "--no-write", action="store_true", help="print the table only; leave RESULTS.md alone"
    )
    return parser.parse_args(argv)


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
        bench.startup()
        json_time = bench.audit(workbook)
        bench.writers(workbook, json_time)
        bench.roster(find_standard())
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
