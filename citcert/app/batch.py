"""
Batch runs: audit every workbook of a state's folder, write each program's reports and a roll-up.

`run_batch` is the one call the ``batch`` command makes. It never prints: it reports progress
as events to a callback, and the CLI draws them. A workbook that cannot be audited never stops
the run; it becomes a roll-up row holding its error messages and their locations. Finding the
workbooks is `citcert.app.discovery`, folding outcomes into the roll-up `citcert.audit.tally`,
and tidying up after the previous run `citcert.app.manifest`.

Decisions taken here, and why:

- **Stable order, whatever the parallelism.** Workbooks come sorted from `discover` and results
  are collected in that order, so ``--jobs 1`` and ``--jobs 8`` write identical files.
- **Bounded memory.** Workers return the rendered reports and a small `Outcome`, never the
  whole `Assessment`; the parent writes the reports at once and keeps only rows and
  per-requirement tallies. At most a few results per worker wait in memory to be collected in
  order.
- **One reading of ``--fail-below``.** The level is named by id or label
  (`citcert.app.workbook.fail_level`, as for ``citcert audit``), against each workbook's own
  standard.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from citcert._files import write_all_atomic, write_atomic
from citcert.app.discovery import Workbook, discover, unique_slug
from citcert.app.manifest import MANIFEST, manifest_bytes, read_manifest, remove_stale
from citcert.app.workbook import (
    StandardChoice,
    audit_submission,
    fail_level,
    open_submission,
    render_reports,
    report_files,
)
from citcert.audit.rollup import Rollup
from citcert.audit.tally import Contribution, RollupCollector, contribution, failed
from citcert.errors import CitcertError, ExitCode
from citcert.export import SUFFIX, Format, report_stem
from citcert.export.rollup import FILES
from citcert.standards.model import Standard
from citcert.standards.store import StandardsStore
from citcert.workbook.evidence import Mode

DEFAULT_FORMATS: tuple[Format, ...] = (
    Format.PDF,
    Format.XLSX,
    Format.JSON,
    Format.MARKDOWN,
    Format.HTML,
)
"""What a batch run writes for each program unless told otherwise (everything but terminal)."""


# ---------------------------------------------------------------------------------------------
# Auditing one workbook (in a worker process, or in this one with one job)


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """What every workbook of a run is audited with; small and picklable for the workers."""

    choice: StandardChoice = field(default_factory=StandardChoice)
    """The standard named for every workbook; none named means each workbook's recorded one."""
    mode: Mode | None = None
    formats: tuple[Format, ...] = DEFAULT_FORMATS
    fail_below: str | None = None
    """A decision level id or label; programs below it are listed in `BatchResult.below`."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a worker sends back for one workbook: its roll-up contribution and its reports."""

    contribution: Contribution
    stem: str = ""
    reports: tuple[tuple[Format, bytes], ...] = ()

    @property
    def audited(self) -> bool:
        """True when the workbook was audited (its row holds no errors)."""
        return self.contribution.row.audited


class Auditor:
    """Audits workbooks with one run's settings, loading each standard once per process."""

    def __init__(self, settings: BatchSettings) -> None:
        self.settings = settings
        self._standards: dict[str, Standard] = {}

    def standard_for(self, recorded: str) -> Standard:
        """The standard to audit against: the given one, or the workbook's `recorded` one."""
        choice = self.settings.choice
        key = "" if choice.fixed else recorded
        if key not in self._standards:
            self._standards[key] = choice.resolve(recorded)
        return self._standards[key]

    def audit(self, workbook: Workbook) -> Outcome:
        """Read, assess and render one workbook; a `CitcertError` becomes a failed row."""
        s = self.settings
        try:
            submission = open_submission(workbook.path)
            audited = audit_submission(
                submission,
                s.choice,
                mode=s.mode,
                fail_below=s.fail_below,
                standard=self.standard_for(submission.standard_ref),
            )
        except CitcertError as error:
            return Outcome(failed(workbook.name, error))
        rendered = render_reports(audited.assessment, s.formats)
        return Outcome(
            contribution(workbook.name, audited.assessment, below=audited.below),
            report_stem(audited.assessment),
            tuple(rendered.items()),
        )


_WORKER: Auditor | None = None


def _start_worker(settings: BatchSettings) -> None:
    """Pool initializer: one `Auditor` (and so one loaded standard) per worker process."""
    global _WORKER
    _WORKER = Auditor(settings)


def _audit_in_worker(workbook: Workbook) -> Outcome:
    assert _WORKER is not None, "the pool initializer did not run"
    return _WORKER.audit(workbook)


def audit_all(
    workbooks: Sequence[Workbook], settings: BatchSettings, jobs: int
) -> Iterator[Outcome]:
    """
    The outcome of every workbook, in the order given, using up to `jobs` processes.

    With one job (or one workbook) everything runs in this process. Otherwise at most a few
    results per worker are in flight, so memory does not grow with the number of workbooks.
    """
    jobs = max(1, min(jobs, len(workbooks)))
    if jobs == 1:
        auditor = Auditor(settings)
        yield from (auditor.audit(w) for w in workbooks)
        return
    pool = ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(settings,))
    try:
        pending: deque[Future[Outcome]] = deque()
        for workbook in workbooks:
            pending.append(pool.submit(_audit_in_worker, workbook))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------------------------------------
# Progress events (the CLI draws them; this module never prints)


@dataclass(frozen=True, slots=True)
class BatchStarted:
    """The run is about to audit `total` workbooks."""

    total: int


@dataclass(frozen=True, slots=True)
class WorkbookFinished:
    """One more workbook is done (audited or failed) and its reports are written."""

    done: int
    total: int
    file: str
    failed: bool


@dataclass(frozen=True, slots=True)
class RollupWriting:
    """Every workbook is done; the roll-up files are being written."""

    total: int


BatchEvent = BatchStarted | WorkbookFinished | RollupWriting
Progress = Callable[[BatchEvent], None]
"""A progress callback: receives each event as it happens."""


# ---------------------------------------------------------------------------------------------
# The run


@dataclass
class _Writer:
    """Writes under the output folder and remembers what it wrote (relative, POSIX paths)."""

    outdir: Path
    written: list[str] = field(default_factory=list)

    def write(self, files: dict[str, bytes]) -> None:
        """Write `files` (relative path → bytes) as one set: all of them or none."""
        write_all_atomic({self.outdir / relative: data for relative, data in files.items()})
        self.written.extend(files)

    def program(self, outcome: Outcome, slug: str) -> None:
        files = report_files(slug, dict(outcome.reports))
        self.write({f"{slug}/{name}": data for name, data in files.items()})


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What a batch run did: the roll-up, what it wrote and removed, and who is below the bar."""

    outdir: Path
    rollup: Rollup
    written: tuple[str, ...]
    """Relative paths under `outdir`, in the order written (the manifest excluded)."""
    removed: tuple[str, ...]
    """Files of the previous run that this run no longer writes, now deleted."""
    below: tuple[str, ...]
    """Files whose program's decision is below ``--fail-below``."""

    @property
    def exit_code(self) -> ExitCode:
        """2 when any workbook failed (it wins), 1 when any program is below the bar, else 0."""
        if self.rollup.failed:
            return ExitCode.INPUT_ERROR
        return ExitCode.BELOW_LEVEL if self.below else ExitCode.OK


def run_batch(
    paths: Sequence[str],
    *,
    outdir: Path,
    standard_ref: str | None = None,
    overlay: Path | None = None,
    store: StandardsStore | None = None,
    mode: Mode | None = None,
    formats: Sequence[Format] = DEFAULT_FORMATS,
    fail_below: str | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """
    Audit every workbook named by `paths`, write each program's reports and the roll-up.

    Raises `CitcertError` before writing anything when the paths name no workbook or the given
    standard cannot be loaded; a workbook that cannot be audited becomes a failed row instead.
    `jobs` defaults to the number of CPUs; the files written do not depend on it.
    """
    choice = StandardChoice(standard_ref, overlay, store or StandardsStore())
    settings = BatchSettings(choice, mode, tuple(dict.fromkeys(formats)), fail_below)
    previous = read_manifest(outdir)
    workbooks = discover(paths, exclude=outdir, ignore=[outdir / p for p in previous])
    if choice.fixed:
        fail_level(choice.resolve(), fail_below)
    writer = _Writer(outdir)
    collector = _collect(workbooks, settings, jobs or os.cpu_count() or 1, writer, progress)
    suffixes = tuple(sorted(SUFFIX[fmt] for fmt in settings.formats))
    rollup = collector.rollup().model_copy(update={"report_suffixes": suffixes})
    writer.write({name: render_file(rollup) for name, render_file in FILES.items()})
    removed = remove_stale(outdir, previous, writer.written)
    write_atomic(outdir / MANIFEST, manifest_bytes(writer.written))
    return BatchResult(outdir, rollup, tuple(writer.written), removed, tuple(collector.below))


def _collect(
    workbooks: Sequence[Workbook],
    settings: BatchSettings,
    jobs: int,
    writer: _Writer,
    progress: Progress | None,
) -> RollupCollector:
    """Audit the workbooks, write each program's reports as it arrives, and collect the rows."""
    notify = progress or (lambda event: None)
    collector, taken, total = RollupCollector(), set[str](), len(workbooks)
    notify(BatchStarted(total))
    outcomes = audit_all(workbooks, settings, jobs)
    for done, (workbook, outcome) in enumerate(zip(workbooks, outcomes, strict=True), start=1):
        slug = unique_slug(outcome.stem, workbook.name, taken) if outcome.audited else ""
        writer.program(outcome, slug)
        collector.add(outcome.contribution, slug)
        notify(WorkbookFinished(done, total, workbook.name, not outcome.audited))
    notify(RollupWriting(total))
    return collector
