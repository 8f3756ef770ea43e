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
  standard; a level that no standard has is refused before anything is read or written. It
  is a program's bar: a workbook not counted (its program's later assessment is) never fails it.
- **A bar per standard.** A folder may hold workbooks of more than one standard, whose levels
  differ, so ``--fail-below`` may be given once per standard: each workbook is judged by the
  one level its own standard has. A workbook whose standard has none of them is audited and
  counted as any other, not judged, and listed (`BatchResult.unjudged`), never made a failed
  row: one standard's bar must not cost the state the roll-up of another's programs. Two levels
  of one standard are refused before anything is written (which would be its bar?).
- **Reports are written as one set.** Each program's reports are staged beside their places as
  they arrive (`citcert._files.Staging`) and renamed into place only once every workbook is
  done, with the roll-up and the manifest last; a full disk, an error or a signal before then
  leaves the folder exactly as the previous run left it. The output folder is locked for the
  run, so a second run into it stops at once with a clear message.
- **Inputs are never modified.** No report may land on a file the run reads (a workbook, the
  overlay): the roll-up's names are checked before anything is read, a program whose reports
  would replace an input gets an error row instead.
- **A bad workbook never stops the run.** Whatever goes wrong with one workbook, even a bug in
  citcert or a worker process that dies, becomes that workbook's error row.
- **A program's progress is kept.** The worker reads the tracker in the program's folder
  (`citcert.app.carry`) and carries what was typed in it into the new one; a file there that
  it cannot carry from, and would lose by replacing, makes that program's error row (its
  earlier reports are kept). The worker looks in the folder the last run gave the workbook
  (the manifest says which), else in the one named after the program; should the run give the
  program another folder (an earlier program took the name), it is audited again here, with the
  tracker of its own folder.
- **A folder stays with its workbook.** A workbook keeps the folder the last run gave it while
  its program's name is the same, and no other workbook of the run takes it: when one of a
  program's two workbooks leaves the batch, the other does not move into the first's folder,
  replacing its reports and carrying its tracker's progress. A new workbook may take the
  folder of one that left (a renamed file, most often), and its tracker's progress with it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from citcert._files import Staging, lock_folder, sha256_of_bytes
from citcert.app.discovery import WORKBOOK_SUFFIXES, Workbook, discover, folded, unique_slug
from citcert.app.manifest import (
    MANIFEST,
    Manifest,
    manifest_bytes,
    ours,
    read_manifest,
    remove_stale,
    stale,
)
from citcert.app.previous_rollup import read_previous
from citcert.app.workbook import (
    StandardChoice,
    audit_submission,
    check_as_of,
    fail_level,
    open_submission,
    render_reports,
    report_files,
)
from citcert.audit.rollup import Rollup
from citcert.audit.tally import Contribution, RollupCollector, contribution, failed
from citcert.errors import CitcertError, ExitCode, Location, OutputError, WorkbookError
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
class Folder:
    """The output folder as a worker needs it: to find each program's tracker and its progress."""

    outdir: Path
    unchanged: frozenset[str] = frozenset()
    """Relative paths of the trackers there that are still exactly what the last run wrote."""
    inputs: tuple[Path, ...] = ()
    """Every file the run reads: one at a tracker's name is an input, never an earlier tracker."""
    folders: Mapping[str, str] = field(default_factory=dict)
    """Workbook name → the program folder the last run gave it, which it keeps (`_settle`)."""
    known_as: Mapping[str, str] = field(default_factory=dict)
    """Workbook name → the name the last run gave it, where that was another (`_claims`)."""


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """What every workbook of a run is audited with; small and picklable for the workers."""

    choice: StandardChoice = field(default_factory=StandardChoice)
    """The standard named for every workbook; none named means each workbook's recorded one."""
    mode: Mode | None = None
    formats: tuple[Format, ...] = DEFAULT_FORMATS
    fail_below: tuple[str, ...] = ()
    """Decision level ids or labels, at most one per standard; programs below their standard's
    are listed in `BatchResult.below`."""
    folder: Folder | None = None
    """Where the reports go (None: no tracker's progress to keep)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a worker sends back for one workbook: its roll-up contribution and its reports."""

    contribution: Contribution
    stem: str = ""
    reports: tuple[tuple[Format, bytes], ...] = ()
    tracker_slug: str | None = None
    """The program folder whose tracker's progress was looked for (None: none was)."""
    kept_note: str = ""
    """The progress kept from that tracker, in words ("" for none)."""

    @property
    def audited(self) -> bool:
        """True when the workbook was audited (its row holds no errors)."""
        return self.contribution.row.audited


class Auditor:
    """Audits workbooks with one run's settings, loading each standard once per process."""

    def __init__(self, settings: BatchSettings) -> None:
        self.settings = settings
        self._standards: dict[str, Standard] = {}
        self._inputs: Staging | None = None

    def standard_for(self, recorded: str) -> Standard:
        """The standard to audit against: the given one, or the workbook's `recorded` one."""
        choice = self.settings.choice
        key = "" if choice.fixed else recorded
        if key not in self._standards:
            self._standards[key] = choice.resolve(recorded)
        return self._standards[key]

    def audit(self, workbook: Workbook, slug: str | None = None) -> Outcome:
        """
        Read, assess and render one workbook, keeping the progress of the tracker in the
        program folder `slug` (default: the one named after the program); whatever goes wrong
        becomes a failed row.
        """
        try:
            return self._audit(workbook, slug)
        except Exception as error:  # NOTE: a bug met by one workbook must not end the run
            return Outcome(failed(workbook.name, unexpected(workbook.name, error)))

    def _audit(self, workbook: Workbook, slug: str | None) -> Outcome:
        s = self.settings
        try:
            submission = open_submission(workbook.path)
            standard = self.standard_for(submission.standard_ref)
            bar = bar_for(standard, s.fail_below)
            audited = audit_submission(
                submission, s.choice, mode=s.mode, fail_below=bar, standard=standard
            )
        except CitcertError as error:
            return Outcome(failed(workbook.name, error))
        stem = report_stem(audited.assessment)
        kept, note, looked = None, "", None
        if s.folder is not None and Format.XLSX in s.formats:
            from citcert.app.carry import earlier_progress, kept_sentence

            own = s.folder.folders.get(workbook.name)
            was = s.folder.known_as.get(workbook.name)
            looked = slug or unique_slug(stem, workbook.name, set(), own, was)
            relative = f"{looked}/{looked}.{SUFFIX[Format.XLSX]}"
            try:
                if not self._is_input(s.folder, s.folder.outdir / relative):
                    kept = earlier_progress(
                        s.folder.outdir / relative,
                        audited.assessment,
                        replaceable=relative in s.folder.unchanged,
                        shown=relative,
                        standard=audited.standard,
                        named=s.choice.named,
                    )
            except CitcertError as error:
                return Outcome(failed(workbook.name, error), stem, tracker_slug=looked)
            note = kept_sentence(kept, relative) if kept else ""
        rendered = render_reports(audited.assessment, s.formats, kept=kept)
        unjudged = bool(s.fail_below) and bar is None
        return Outcome(
            contribution(
                workbook.name,
                audited.assessment,
                below=audited.below,
                unjudged=unjudged,
                bar=bar or "",
            ),
            stem,
            tuple(rendered.items()),
            tracker_slug=looked,
            kept_note=note,
        )

    def _is_input(self, folder: Folder, path: Path) -> bool:
        """
        True when nothing may be written at `path` (a file the run reads, such as a workbook
        saved under a tracker's name; a folder): `_stage_program` refuses it as such, and it is
        never taken for a tracker.
        """
        if self._inputs is None:
            self._inputs = Staging(folder.inputs)  # NOTE: indexed once per process, not per file
        try:
            self._inputs.check([path])
        except OutputError:
            return True
        return False


def unexpected(name: str, error: BaseException) -> WorkbookError:
    """A located error row for what citcert did not foresee (a bug, a worker that died)."""
    if isinstance(error, BrokenProcessPool):
        return WorkbookError.single(
            "the process auditing this workbook ended abruptly (perhaps the computer ran out of "
            "memory); the other workbooks were audited. Audit it on its own to see more",
            Location(file=name),
        )
    kind = type(error).__name__
    detail = str(error).splitlines()[0][:200] if str(error) else ""
    return WorkbookError.single(
        f"citcert met an unexpected problem with this workbook ({kind}{': ' if detail else ''}"
        f"{detail}); the other workbooks were audited. Please report it with the workbook",
        Location(file=name),
    )


_WORKER: Auditor | None = None


def _start_worker(settings: BatchSettings) -> None:
    """
    Pool initializer: one `Auditor` per worker; Ctrl-C is the parent's to handle, and SIGTERM
    ends the worker at once.

    NOTE: a forked worker inherits the parent's SIGTERM handler (which turns it into an
    interrupt, `cli.batch`). The executor ends the workers that are left with SIGTERM when one
    dies; a worker that caught it as an interrupt while sending a result back tried to send the
    error instead and waited forever on the result queue's lock, and the batch with it.
    """
    global _WORKER
    _leave_signals_to_the_parent()
    _WORKER = Auditor(settings)


def _leave_signals_to_the_parent() -> None:
    """In a worker process: Ctrl-C is the parent's to handle, SIGTERM ends the worker at once."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


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
    A worker process that dies (a crash, the memory killer) takes no other workbook with it:
    the first workbook whose result is lost is audited again alone, an error row if that worker
    dies too, and a fresh pool goes on from the next one.
    """
    jobs = max(1, min(jobs, len(workbooks)))
    if jobs == 1:
        auditor = Auditor(settings)
        yield from (auditor.audit(w) for w in workbooks)
        return
    start = 0
    while start < len(workbooks):
        lost: list[int] = []
        for index, outcome in _pooled(workbooks, start, settings, jobs, lost):
            yield outcome
            start = index + 1
        if lost:
            yield _alone(workbooks[lost[0]], settings)
            start = lost[0] + 1


def _pooled(
    workbooks: Sequence[Workbook], start: int, settings: BatchSettings, jobs: int, lost: list[int]
) -> Iterator[tuple[int, Outcome]]:
    """(index, outcome) from `start` on, until done or a worker dies (its index put in `lost`)."""
    pool = ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(settings,))
    try:
        pending: deque[tuple[int, Future[Outcome]]] = deque()
        for index in range(start, len(workbooks)):
            try:
                pending.append((index, pool.submit(_audit_in_worker, workbooks[index])))
            except BrokenProcessPool:  # a worker died before this one could be handed out
                while pending:
                    done = _collect_one(pending, workbooks, lost)
                    if done is None:
                        return
                    yield done
                lost.append(index)
                return
            while len(pending) >= 2 * jobs or (index == len(workbooks) - 1 and pending):
                done = _collect_one(pending, workbooks, lost)
                if done is None:
                    return
                yield done
    except BaseException:  # an error, Ctrl-C or SIGTERM: end the workers now, never wait
        _terminate(pool)
        raise
    finally:
        if lost:
            _terminate(pool)
        pool.shutdown(wait=True, cancel_futures=True)


def _collect_one(
    pending: deque[tuple[int, Future[Outcome]]], workbooks: Sequence[Workbook], lost: list[int]
) -> tuple[int, Outcome] | None:
    """The next outcome in order; None (its index put in `lost`) when its worker died."""
    index, future = pending.popleft()
    try:
        return index, future.result()
    except BrokenProcessPool:
        lost.append(index)
        return None
    except Exception as error:  # NOTE: a result that could not be sent back, for one
        name = workbooks[index].name
        return index, Outcome(failed(name, unexpected(name, error)))


def _alone(workbook: Workbook, settings: BatchSettings) -> Outcome:
    """One workbook in a worker of its own: its outcome, or an error row if the worker dies."""
    pool = ProcessPoolExecutor(1, initializer=_start_worker, initargs=(settings,))
    try:
        return pool.submit(_audit_in_worker, workbook).result()
    except Exception as error:
        return Outcome(failed(workbook.name, unexpected(workbook.name, error)))
    except BaseException:
        _terminate(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """End the pool's worker processes at once (a worker may be busy for a long while)."""
    # NOTE: the executor has no public way to do this before Python 3.14 (terminate_workers).
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(Exception):
            process.terminate()


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
    decision: str | None = None
    """The program's decision, in words (None when the workbook could not be audited)."""
    standard: str | None = None
    """The ``id@version`` it was audited against."""


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
    """Stages files under the output folder and remembers them (relative path → SHA-256)."""

    outdir: Path
    staging: Staging
    written: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    """Relative path → size in bytes of each file staged."""
    kept: list[str] = field(default_factory=list)
    """What each staged program's tracker kept of its earlier one, in words."""
    folders: dict[str, str] = field(default_factory=dict)
    """Workbook name → the program folder its reports were staged in."""

    def _targets(self, files: dict[str, bytes]) -> dict[Path, bytes]:
        return {self.outdir / relative: data for relative, data in files.items()}

    def check(self, files: dict[str, bytes]) -> None:
        """Raise `OutputError` when a file may not be written (an input, a folder in the way)."""
        self.staging.check(self._targets(files))

    def write(self, files: dict[str, bytes]) -> None:
        """Stage `files` (relative path → bytes); they appear when the run commits."""
        self.staging.add(self._targets(files))
        self.written.update({rel: sha256_of_bytes(data) for rel, data in files.items()})
        self.sizes.update({rel: len(data) for rel, data in files.items()})


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What a batch run did: the roll-up, what it wrote and removed, and who is below the bar."""

    outdir: Path
    rollup: Rollup
    written: tuple[str, ...]
    """Relative paths under `outdir`, in the order written (the manifest excluded)."""
    removed: tuple[str, ...]
    """Files of the previous run that this run replaced with a new set, now deleted."""
    kept: tuple[str, ...]
    """Files of the previous run kept though not written again (a workbook failed or left)."""
    below: tuple[str, ...]
    """Counted files whose program's decision is below ``--fail-below``."""
    sizes: Mapping[str, int] = field(default_factory=dict)
    """The size in bytes of each file written, by its relative path."""
    unjudged: tuple[str, ...] = ()
    """Counted files whose standard has none of the ``--fail-below`` levels (not judged)."""
    kept_progress: tuple[str, ...] = ()
    """For each program whose new tracker kept the progress typed in its earlier one, in words."""
    bars: Mapping[str, str] = field(default_factory=dict)
    """The ``--fail-below`` level, as typed, each file of `below` is below."""

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
    fail_below: str | Sequence[str] | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    as_of: dt.date | None = None,
    since: Path | None = None,
) -> BatchResult:
    """
    Audit every workbook named by `paths`, write each program's reports and the roll-up.

    Raises `CitcertError` before writing anything when the paths name no workbook, an option
    is wrong (the standard cannot be loaded, ``--fail-below`` names no level), a roll-up file
    would replace an input, or another run holds the output folder; a workbook that cannot be
    audited becomes a failed row instead. `jobs` defaults to the number of CPUs; the files
    written do not depend on it. `as_of` is the day the calendar of reviews due counts from
    (each workbook is still judged as of its own date); `since` is an earlier run's output
    folder, whose roll-up the new one is compared with.
    """
    check_as_of(as_of)
    choice = StandardChoice(standard_ref, overlay, store or StandardsStore())
    bars = (fail_below,) if isinstance(fail_below, str) else tuple(fail_below or ())
    settings = BatchSettings(choice, mode, tuple(dict.fromkeys(formats)), bars)
    check_fail_below(choice, bars)
    previous_rollup = read_previous(since) if since is not None else None
    _find(paths, outdir, overlay)  # every error of the inputs before the folder is touched
    with lock_folder(outdir):
        previous, workbooks, inputs, unchanged = _find(paths, outdir, overlay)
        owned, known_as = _claims(previous.folders, workbooks)
        folder = Folder(outdir, unchanged, inputs, owned, known_as)
        settings = replace(settings, folder=folder)
        with Staging(inputs) as staging:
            writer = _Writer(outdir, staging)
            collector = _collect(workbooks, settings, jobs or os.cpu_count() or 1, writer, progress)
            suffixes = tuple(sorted(SUFFIX[fmt] for fmt in settings.formats))
            rollup = collector.rollup(as_of=as_of, previous=previous_rollup)
            rollup = rollup.model_copy(update={"report_suffixes": suffixes})
            drawing = min(jobs or os.cpu_count() or 1, len(workbooks))
            writer.write(rollup_files(rollup, drawing))
            remove, kept = stale(outdir, previous.files, writer.written)
            folders = {**_still_there(outdir, previous.folders, writer.folders), **writer.folders}
            _clear_manifest(outdir / MANIFEST)
            manifest = manifest_bytes({**kept, **writer.written}, folders)
            staging.add({outdir / MANIFEST: manifest})
            staging.commit()
        remove_stale(outdir, previous.files, remove)
    return BatchResult(
        outdir,
        rollup,
        tuple(writer.written),
        remove,
        tuple(kept),
        _counted_only(collector.below, rollup),
        writer.sizes,
        _counted_only(collector.unjudged, rollup),
        tuple(writer.kept),
        dict(collector.bars),
    )


_DRAWN_APART = ("summary.pdf", "summary.xlsx")
"""The roll-up files that take longest to draw, each drawn in a process of its own."""


def _claims(
    folders: Mapping[str, str], workbooks: Sequence[Workbook]
) -> tuple[dict[str, str], dict[str, str]]:
    """
    The folder the last run gave each workbook of this one (`folders`: name → folder), and the
    names it knew them by where those were others.

    By the workbook's name; else by the longest name of the last run that ends its path. A name
    is relative to where the arguments search, which can change between runs (a shell's glob
    expanded to the files left, a folder given another way, an older citcert's names): the same
    file's earlier name is still the end of its path. A name two workbooks end with is neither's.
    """
    owned = {w.name: folders[w.name] for w in workbooks if w.name in folders}
    left = [name for name in folders if name not in owned]
    tails: dict[str, list[str]] = {}
    for workbook in workbooks:
        if workbook.name in owned:
            continue
        parts = Path(workbook.path).parts
        ends = [n for n in left if parts[-len(Path(n).parts) :] == Path(n).parts]
        if ends:
            tails.setdefault(max(ends, key=lambda n: len(Path(n).parts)), []).append(workbook.name)
    known_as = {names[0]: was for was, names in tails.items() if len(names) == 1}
    owned.update({name: folders[was] for name, was in known_as.items()})
    return owned, known_as


def _still_there(
    outdir: Path, folders: Mapping[str, str], given: Mapping[str, str]
) -> dict[str, str]:
    """
    The entries of the last run's `folders` (workbook → folder) to carry over for workbooks
    this run gave no folder (absent, or failed): while the folder is still there and no
    workbook of this run took it. A tracker typed into is no longer citcert's own file, but
    its folder is still its workbook's: when it comes back, it finds its progress there.
    """
    taken = {folded(folder) for folder in given.values()}
    return {
        name: folder
        for name, folder in folders.items()
        if name not in given and folded(folder) not in taken and (outdir / folder).is_dir()
    }


def _clear_manifest(path: Path) -> None:
    """The manifest's name is citcert's own: a pipe or a device put there is not read (see
    `read_manifest`) and is removed, so that the new manifest can take its place."""
    with contextlib.suppress(OSError):
        if not path.is_symlink() and path.exists() and not (path.is_file() or path.is_dir()):
            path.unlink()


def rollup_files(rollup: Rollup, jobs: int) -> dict[str, bytes]:
    """
    Every roll-up file by name, in the order of `FILES`. With more than one job the PDF and the
    workbook are drawn in processes of their own while this one writes the others (the same
    bytes: each writer is a function of the roll-up alone). Should those processes not start,
    or one die, what they did not draw is drawn here: the roll-up is never lost for it.
    """
    if jobs < 2:
        return {name: render(rollup) for name, render in FILES.items()}
    apart: dict[str, Future[bytes]] = {}
    pool: ProcessPoolExecutor | None = None
    try:
        try:
            pool = ProcessPoolExecutor(len(_DRAWN_APART), initializer=_leave_signals_to_the_parent)
            for name in _DRAWN_APART:
                apart[name] = pool.submit(_draw, name, rollup)
        except (OSError, NotImplementedError, BrokenProcessPool):
            pass  # NOTE: no processes here (no shared memory, a limit reached): drawn below
        here = {name: render(rollup) for name, render in FILES.items() if name not in apart}
        drawn = {name: _drawn(future, name, rollup) for name, future in apart.items()}
    except BaseException:  # an error, Ctrl-C or SIGTERM: end the workers now, never wait
        if pool is not None:
            _terminate(pool)
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return {name: here[name] if name in here else drawn[name] for name in FILES}


def _draw(name: str, rollup: Rollup) -> bytes:
    return FILES[name](rollup)


def _drawn(future: Future[bytes], name: str, rollup: Rollup) -> bytes:
    try:
        return future.result()
    except BrokenProcessPool:  # the process died (the memory killer): draw it here
        return FILES[name](rollup)


def _counted_only(files: Sequence[str], rollup: Rollup) -> tuple[str, ...]:
    """Of `files`, those whose row the roll-up counts (a program's bar is its counted row)."""
    counted = {row.file for row in rollup.rows if row.counted}
    return tuple(f for f in files if f in counted)


def bar_for(standard: Standard, typed: Sequence[str]) -> str | None:
    """
    Of the ``--fail-below`` levels `typed`, the one that names a level of `standard` (by id or
    label), or None when none does; a `CitcertError` when more than one does.
    """
    from citcert.audit.decision import level_named

    named: dict[str, str] = {}
    for level in typed:
        with contextlib.suppress(ValueError):
            named[level] = level_named(standard, level)
    if len(set(named.values())) > 1:
        raise CitcertError.single(
            f"{_levels(named)} are each a level of {standard.ref}; give --fail-below once per "
            "standard, one level of each",
            subject="--fail-below",
        )
    return next(iter(named), None)


def _levels(named: Mapping[str, str]) -> str:
    return " and ".join(repr(level) for level in named)


def check_fail_below(choice: StandardChoice, typed: Sequence[str]) -> None:
    """
    Refuse a standard that cannot be loaded, or ``--fail-below`` levels that cannot be
    applied, before anything is read or written.

    With one standard for every workbook, one level must be one of its own. Otherwise each
    level must be a level of at least one standard citcert can find (each workbook's own
    standard is asked again when it is audited), and no standard may have two of them.
    """
    if choice.fixed:  # the standard named is loaded (or refused) with nothing written
        standard = choice.resolve()
        for level in typed:
            fail_level(standard, level)
        bar_for(standard, typed)
        return
    if not typed:
        return
    from citcert.audit.decision import level_named
    from citcert.standards.registry import index, load_entry

    known: dict[str, None] = {}
    found: set[str] = set()
    for entry in index(choice.store):
        try:
            standard = load_entry(entry, choice.store)
        except CitcertError:
            continue
        bar_for(standard, typed)
        for level in typed:
            try:
                level_named(standard, level)
                found.add(level)
            except ValueError:
                known.update(dict.fromkeys(lv.id for lv in standard.scoring.decision_levels))
    for level in typed:
        if level not in found:
            raise CitcertError.single(
                f"{level!r} is not a decision level of any standard citcert knows; use one of "
                f"{', '.join(known) or 'the levels listed by citcert standards show'}",
                subject="--fail-below",
            )


def _find(
    paths: Sequence[str], outdir: Path, overlay: Path | None
) -> tuple[Manifest, tuple[Workbook, ...], tuple[Path, ...], frozenset[str]]:
    """
    The previous run's manifest, the workbooks to audit, every input the run reads, and the
    trackers still exactly as the previous run wrote them (relative paths).

    Workbooks the previous run wrote (its trackers) are not audited, but only while they are
    still exactly what it wrote: a workbook saved under a report's name is audited. Raises
    `OutputError` when a roll-up file would replace an input.
    """
    previous = read_manifest(outdir)
    reports = {
        rel: sha
        for rel, sha in previous.files.items()
        if Path(rel).suffix.lower() in WORKBOOK_SUFFIXES
    }
    unchanged = ours(outdir, reports)
    workbooks = discover(paths, exclude=outdir, ignore=[outdir / p for p in unchanged])
    inputs = (*(w.path for w in workbooks), *([overlay] if overlay else []))
    Staging(inputs).check([outdir / name for name in FILES])  # the manifest is no workbook
    return previous, workbooks, inputs, frozenset(unchanged)


def _collect(
    workbooks: Sequence[Workbook],
    settings: BatchSettings,
    jobs: int,
    writer: _Writer,
    progress: Progress | None,
) -> RollupCollector:
    """Audit the workbooks, stage each program's reports as they arrive, and collect the rows."""
    notify = progress or (lambda event: None)
    collector, taken, total = RollupCollector(), set[str](), len(workbooks)
    owned = settings.folder.folders if settings.folder is not None else {}
    known_as = settings.folder.known_as if settings.folder is not None else {}
    notify(BatchStarted(total))
    outcomes = audit_all(workbooks, settings, jobs)
    here: list[Auditor] = []

    def again(workbook: Workbook, slug: str) -> Outcome:
        """The workbook audited in this process, with the tracker of the program folder `slug`."""
        if not here:
            here.append(Auditor(settings))
        return here[0].audit(workbook, slug)

    for done, (workbook, outcome) in enumerate(zip(workbooks, outcomes, strict=True), start=1):
        slug = ""
        if outcome.stem:
            outcome, slug = _settle(outcome, workbook, taken, (owned, known_as), again)
        if outcome.audited:
            outcome, slug = _stage_program(writer, workbook, outcome, slug)
        if slug:
            writer.folders[workbook.name] = slug
        collector.add(outcome.contribution, slug)
        row = outcome.contribution.row
        notify(
            WorkbookFinished(
                done, total, workbook.name, not outcome.audited, row.decision, row.standard
            )
        )
    notify(RollupWriting(total))
    return collector


def _settle(
    outcome: Outcome,
    workbook: Workbook,
    taken: set[str],
    claims: tuple[Mapping[str, str], Mapping[str, str]],
    again: Callable[[Workbook, str], Outcome],
) -> tuple[Outcome, str]:
    """
    The program's outcome for the folder the run gives it, and that folder's name ("" when the
    workbook failed: it takes no folder). A workbook keeps the folder the last run gave it
    (`claims`: `Folder.folders` and `Folder.known_as`), and no other workbook of the run takes
    one of those. An outcome that kept the
    progress of another folder's tracker than its own is made `again` with its own folder's.
    """
    owned, known_as = claims
    own = owned.get(workbook.name)
    others = {folded(f) for name, f in owned.items() if name != workbook.name}
    trial = taken | others
    slug = unique_slug(outcome.stem, workbook.name, trial, own, known_as.get(workbook.name))
    if outcome.tracker_slug is not None and outcome.tracker_slug != slug:
        outcome = again(workbook, slug)
    if not outcome.audited:
        return outcome, ""
    taken.add(folded(slug))
    return outcome, slug


def _stage_program(
    writer: _Writer, workbook: Workbook, outcome: Outcome, slug: str
) -> tuple[Outcome, str]:
    """Stage a program's reports; reports that would replace an input make an error row."""
    files = report_files(slug, dict(outcome.reports))
    files = {f"{slug}/{name}": data for name, data in files.items()}
    try:
        writer.check(files)
    except OutputError as error:
        return Outcome(failed(workbook.name, error)), ""
    writer.write(files)
    if outcome.kept_note:
        writer.kept.append(outcome.kept_note)
    return outcome, slug
