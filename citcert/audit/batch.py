"""
Batch runs: audit every workbook of a state's folder, write each program's reports and a roll-up.

`run_batch` is the one call the ``batch`` command makes. It never prints: it reports progress
as events to a callback, and the CLI draws them. A workbook that cannot be audited never stops
the run; it becomes a roll-up row holding its error messages and their locations.

Decisions taken here, and why:

- **Stable order, whatever the parallelism.** Workbooks are sorted by their path (relative to
  the folder they all share) and results are collected in that order, so ``--jobs 1`` and
  ``--jobs 8`` write identical files.
- **Unique folder names.** Each program's reports go to ``OUTDIR/<slug>/``; when two programs
  share a name, the later one (in that stable order) gets a suffix made from a hash of its file
  path, never from which worker finished first.
- **Bounded memory.** Workers return the rendered reports and a small summary (one roll-up row
  and each requirement's status), never the whole `Assessment`; the parent writes the reports
  at once and keeps only rows and per-requirement tallies. At most a few results per worker
  wait in memory to be collected in order.
- **Only our own files are replaced.** A manifest (``.citcert-manifest.json``) lists what a run
  wrote; the next run removes what the old manifest lists and this run did not write again,
  and nothing else.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from citcert._files import write_atomic
from citcert.audit.assessment import Assessment, Status
from citcert.audit.evidence import Mode
from citcert.errors import CitcertError, ExitCode, Location, Problem, WorkbookError
from citcert.export import SUFFIX, Format, render, report_stem
from citcert.export.rollup import (
    FILES,
    DecisionCount,
    DomainColumn,
    RequirementTally,
    Rollup,
    RollupRow,
)
from citcert.standards.model import Standard

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm"})
MANIFEST = ".citcert-manifest.json"
DEFAULT_FORMATS: tuple[Format, ...] = (Format.PDF, Format.XLSX, Format.JSON, Format.MARKDOWN)
"""What a batch run writes for each program unless told otherwise (everything but terminal)."""
MAX_MESSAGES = 20
"""A failed workbook's row shows at most this many problems; the rest are counted."""


# ---------------------------------------------------------------------------------------------
# Finding the workbooks


@dataclass(frozen=True, slots=True)
class Workbook:
    """One workbook of a batch: where it is, and the name the roll-up shows for it."""

    path: Path
    """The resolved path."""
    name: str
    """The path relative to the folder all the batch's workbooks share (no machine paths)."""


def discover(
    args: Sequence[str], *, exclude: Path | None = None, ignore: Iterable[Path] = ()
) -> tuple[Workbook, ...]:
    """
    The workbooks named by `args`, sorted by name and each once (by resolved path).

    An argument is a folder (searched recursively for .xlsx and .xlsm, leaving out Office lock
    files ``~$…``, hidden files and folders, and the folder `exclude`, where the reports go), a
    file (taken as is) or a glob pattern (its files filtered like a folder's, its folders
    searched). Files in `ignore` (what the last run wrote) are never taken for workbooks.
    Raises `WorkbookError` naming every argument that matches nothing, or when no workbook is
    found at all.
    """
    found: dict[Path, None] = {}
    problems: list[Problem] = []
    skip = exclude.resolve() if exclude is not None else None
    for arg in args:
        matches = _expand(arg)
        if not matches:
            problems.append(Problem(Location(file=arg), _nothing_at(arg)))
        for match in matches:
            files = _search(match, skip) if match.is_dir() else [match]
            if glob.has_magic(arg):  # a pattern is a search: lock files and such are left out
                files = [f for f in files if _is_workbook_name(f.name)]
            found.update(dict.fromkeys(f.resolve() for f in files))
    if problems:
        raise WorkbookError(problems)
    for path in ignore:
        found.pop(path.resolve(), None)
    if not found:
        where = ", ".join(args)
        raise WorkbookError.single(f"no workbooks (.xlsx or .xlsm files) were found in {where}")
    root = _common_folder(list(found))
    return tuple(sorted((Workbook(p, _relative(p, root)) for p in found), key=lambda w: w.name))


def _nothing_at(arg: str) -> str:
    if glob.has_magic(arg):
        return "no file or folder matches this pattern"
    return "there is no file or folder here; check the spelling of the path"


def _expand(arg: str) -> list[Path]:
    """The existing paths an argument names: a glob's matches, or the path itself."""
    if glob.has_magic(arg):
        return [Path(p) for p in sorted(glob.glob(arg, recursive=True))]
    path = Path(arg)
    return [path] if path.exists() else []


def _search(folder: Path, skip: Path | None) -> list[Path]:
    """The workbooks under `folder`, leaving out hidden entries, lock files and `skip`."""
    files: list[Path] = []
    for current, dirs, names in os.walk(folder):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (here / d).resolve() != skip)
        files.extend(here / n for n in sorted(names) if _is_workbook_name(n))
    return files


def _is_workbook_name(name: str) -> bool:
    hidden = name.startswith((".", "~$"))
    return not hidden and Path(name).suffix.lower() in WORKBOOK_SUFFIXES


def _common_folder(paths: list[Path]) -> Path | None:
    try:
        return Path(os.path.commonpath([p.parent for p in paths]))
    except ValueError:  # NOTE: different drives (Windows) share no folder; names are used then
        return None


def _relative(path: Path, root: Path | None) -> str:
    return path.relative_to(root).as_posix() if root is not None else path.name


# ---------------------------------------------------------------------------------------------
# Auditing one workbook (in a worker process, or in this one with one job)


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """What every workbook of a run is audited with; small and picklable for the workers."""

    today: dt.date
    standard_ref: str | None = None
    """``id[@version]``; None (and no overlay) means each workbook's recorded standard."""
    overlay: Path | None = None
    dirs: tuple[Path, ...] = ()
    mode: Mode | None = None
    formats: tuple[Format, ...] = DEFAULT_FORMATS
    fail_below: str | None = None
    """A decision level id or label; programs below it are listed in `BatchResult.below`."""

    @property
    def fixed_standard(self) -> bool:
        """True when one standard is given for every workbook (otherwise each names its own)."""
        return self.standard_ref is not None or self.overlay is not None


@dataclass(frozen=True, slots=True)
class RequirementStatus:
    """One requirement's outcome in one program, as the roll-up tallies it."""

    requirement_id: str
    title: str
    domain_id: str
    core: bool
    status: Status
    gap: bool


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a worker sends back for one workbook: small, picklable, no `Assessment`."""

    row: RollupRow
    stem: str = ""
    reports: tuple[tuple[Format, bytes], ...] = ()
    statuses: tuple[RequirementStatus, ...] = ()
    domains: tuple[tuple[str, str], ...] = ()
    """(id, title) of each domain of the program's standard."""
    levels: tuple[tuple[str, str], ...] = ()
    """(id, label) of each decision level of the program's standard, best first."""
    below: bool = False


class Auditor:
    """Audits workbooks with one run's settings, loading each standard once per process."""

    def __init__(self, settings: BatchSettings) -> None:
        self.settings = settings
        self._standards: dict[str, Standard] = {}

    def standard_for(self, path: Path) -> Standard:
        """The standard to audit `path` against: the given one, or the workbook's recorded one."""
        from citcert.audit.workbook import read_standard_ref
        from citcert.standards import find_standard

        s = self.settings
        ref = s.standard_ref if s.fixed_standard else read_standard_ref(path)
        key = ref or ""
        if key not in self._standards:
            self._standards[key] = find_standard(ref, overlay=s.overlay, dirs=s.dirs)
        return self._standards[key]

    def audit(self, workbook: Workbook) -> Outcome:
        """Read, assess and render one workbook; a `CitcertError` becomes a failed row."""
        from citcert.audit.scoring import assess
        from citcert.audit.workbook import read_workbook

        try:
            standard = self.standard_for(workbook.path)
            evidence = read_workbook(workbook.path, standard, today=self.settings.today)
            assessment = assess(standard, evidence, mode=self.settings.mode)
            below = is_below(assessment, self.settings.fail_below)
        except CitcertError as error:
            return Outcome(row=RollupRow(file=workbook.name, errors=error_lines(error)))
        reports = tuple((fmt, render(assessment, fmt)) for fmt in self.settings.formats)
        return summarise(workbook.name, assessment, reports, below=below)


def level_rank(levels: Sequence[tuple[str, str]], wanted: str) -> int | None:
    """The position (0 = best) of the level whose id or label is `wanted` (any case), if any."""
    key = wanted.strip().casefold()
    return next((i for i, names in enumerate(levels) if key in map(str.casefold, names)), None)


def is_below(assessment: Assessment, level: str | None) -> bool:
    """
    True when the decision is worse than `level` (a decision level's id or label).

    Raises `CitcertError` when `level` is not a decision level of the assessment's standard.
    """
    if level is None:
        return False
    levels = [(lv.level_id, lv.label) for lv in assessment.decision.levels]
    rank = level_rank(levels, level)
    if rank is None:
        raise _no_such_level(level, assessment.provenance.standard_ref, levels)
    return (level_rank(levels, assessment.decision.level_id) or 0) > rank


def _no_such_level(level: str, ref: str, levels: Sequence[tuple[str, str]]) -> CitcertError:
    known = ", ".join(level_id for level_id, _ in levels)
    return CitcertError.single(
        f"--fail-below {level}: {ref} has no decision level of that name. Use one of: {known}."
    )


def error_lines(error: CitcertError) -> tuple[str, ...]:
    """An error's located messages, one per problem, at most `MAX_MESSAGES` of them."""
    lines = str(error).splitlines() or [type(error).__name__]
    if len(lines) > MAX_MESSAGES:
        rest = len(lines) - MAX_MESSAGES + 1
        lines = [*lines[: MAX_MESSAGES - 1], f"… and {rest} more problems"]
    return tuple(lines)


def summarise(
    name: str, assessment: Assessment, reports: tuple[tuple[Format, bytes], ...], *, below: bool
) -> Outcome:
    """The small outcome of an audited workbook: its roll-up row and per-requirement statuses."""
    a = assessment
    gap_ids = {gap.requirement_id for gap in a.gaps}
    row = RollupRow(
        file=name,
        program=a.profile.program_name,
        jurisdiction=a.profile.jurisdiction,
        standard=a.provenance.standard_ref,
        assessment_date=a.provenance.as_of,
        decision_id=a.decision.level_id,
        decision=a.decision.label,
        overall_score=a.overall_score,
        domain_scores={d.domain_id: d.score for d in a.domains},
        core_gaps=a.counts.core_gaps,
        other_gaps=a.counts.other_gaps,
    )
    statuses = tuple(
        RequirementStatus(
            r.requirement_id, r.title, r.domain_id, r.core, r.status, r.requirement_id in gap_ids
        )
        for r in a.results
    )
    return Outcome(
        row=row,
        stem=report_stem(a),
        reports=reports,
        statuses=statuses,
        domains=tuple((d.domain_id, d.title) for d in a.domains),
        levels=tuple((lv.level_id, lv.label) for lv in a.decision.levels),
        below=below,
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
# Collecting outcomes into the roll-up


@dataclass
class _Tally:
    """A requirement's counts across programs (mutable while the run collects them)."""

    title: str
    domain_id: str
    core: bool
    counts: dict[Status, int] = field(default_factory=dict)
    gaps: int = 0

    def add(self, status: RequirementStatus) -> None:
        self.counts[status.status] = self.counts.get(status.status, 0) + 1
        self.gaps += status.gap


@dataclass
class RollupCollector:
    """Folds outcomes, in input order, into the rows and tallies a `Rollup` is made of."""

    rows: list[RollupRow] = field(default_factory=list)
    tallies: dict[str, _Tally] = field(default_factory=dict)
    domains: dict[str, str] = field(default_factory=dict)
    levels: dict[tuple[str, str], int] = field(default_factory=dict)
    """(id, label) of each decision level seen, with its rank in its standard (0 = best)."""
    below: list[str] = field(default_factory=list)
    """Files whose program is below ``--fail-below``."""

    def add(self, outcome: Outcome, reports: str) -> None:
        """Add one workbook's outcome; `reports` is the folder its reports went to."""
        self.rows.append(
            outcome.row.model_copy(update={"reports": reports}) if reports else outcome.row
        )
        if outcome.below:
            self.below.append(outcome.row.file)
        for domain_id, title in outcome.domains:
            self.domains.setdefault(domain_id, title)
        for rank, level in enumerate(outcome.levels):
            self.levels.setdefault(level, rank)
        for status in outcome.statuses:
            tally = self.tallies.setdefault(
                status.requirement_id, _Tally(status.title, status.domain_id, status.core)
            )
            tally.add(status)

    def rollup(self) -> Rollup:
        """The finished roll-up."""
        audited = [r for r in self.rows if r.audited]
        counts = {
            key: sum(r.decision_id == key[0] and r.decision == key[1] for r in audited)
            for key in self.levels
        }
        ordered = sorted(self.levels, key=lambda key: (self.levels[key], key[1]))
        decisions = tuple(
            DecisionCount(decision_id=i, label=label, programs=counts[(i, label)])
            for i, label in ordered
        )
        return Rollup(
            standards=tuple(sorted({r.standard for r in audited})),
            workbooks=len(self.rows),
            audited=len(audited),
            failed=len(self.rows) - len(audited),
            latest_assessment=max(
                (r.assessment_date for r in audited if r.assessment_date), default=None
            ),
            decisions=decisions,
            domains=tuple(DomainColumn(domain_id=i, title=t) for i, t in self.domains.items()),
            rows=tuple(self.rows),
            requirements=self._requirements(),
            summary=_summary(len(self.rows), len(audited), decisions),
        )

    def _requirements(self) -> tuple[RequirementTally, ...]:
        tallies = []
        for requirement_id, t in self.tallies.items():
            get = t.counts.get
            applicable = sum(t.counts.values()) - get(Status.NOT_APPLICABLE, 0)
            met = get(Status.MET, 0)
            tallies.append(
                RequirementTally(
                    requirement_id=requirement_id,
                    title=t.title,
                    domain_id=t.domain_id,
                    core=t.core,
                    programs=sum(t.counts.values()),
                    applicable=applicable,
                    met=met,
                    partial=get(Status.PARTIAL, 0),
                    not_met=get(Status.NOT_MET, 0),
                    unanswered=get(Status.UNANSWERED, 0),
                    not_applicable=get(Status.NOT_APPLICABLE, 0),
                    gaps=t.gaps,
                    share_met=round(100 * met / applicable, 1) if applicable else None,
                )
            )
        return tuple(sorted(tallies, key=lambda t: (-t.gaps, not t.core, t.requirement_id)))


def _summary(total: int, audited: int, decisions: Sequence[DecisionCount]) -> str:
    """``31 workbooks: 28 audited (10 Certified, 12 …); 3 could not be audited.``"""
    from citcert.export._text import plural

    parts = ", ".join(f"{d.programs} {d.label}" for d in decisions)
    text = f"{plural(total, 'workbook')}: {audited} audited"
    text += f" ({parts})" if parts else ""
    failed = total - audited
    return f"{text}; {failed} could not be audited." if failed else f"{text}."


# ---------------------------------------------------------------------------------------------
# Writing: program folders, the roll-up, the manifest


def unique_slug(stem: str, name: str, taken: set[str]) -> str:
    """
    `stem`, or when a program earlier in the run took it, `stem` plus a short hash of `name`.

    The suffix depends only on the workbook's path, so the same folder gets the same name
    whatever the number of jobs.
    """
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()
    slug, size = stem, 6
    while slug in taken or slug.startswith("summary"):
        slug, size = f"{stem}-{digest[:size]}", size + 2
    taken.add(slug)
    return slug


@dataclass
class _Writer:
    """Writes under the output folder and remembers what it wrote (relative, POSIX paths)."""

    outdir: Path
    written: list[str] = field(default_factory=list)

    def write(self, relative: str, data: bytes) -> None:
        write_atomic(self.outdir / relative, data)
        self.written.append(relative)

    def program(self, outcome: Outcome, slug: str) -> None:
        for fmt, data in outcome.reports:
            self.write(f"{slug}/{slug}.{SUFFIX[fmt]}", data)


def read_manifest(outdir: Path) -> tuple[str, ...]:
    """
    What the previous run wrote into `outdir`, from its manifest (nothing if there is none).

    Entries that could reach outside `outdir` (absolute, or with ``..``) are ignored, so a
    tampered manifest cannot make a run delete anything else.
    """
    try:
        data = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return ()
    if not isinstance(files, list):
        return ()
    return tuple(f for f in files if isinstance(f, str) and _is_inside(f))


def _is_inside(relative: str) -> bool:
    parts = Path(relative).parts
    return (
        bool(parts)
        and not Path(relative).is_absolute()
        and ".." not in parts
        and MANIFEST not in parts
    )


def remove_stale(outdir: Path, previous: Iterable[str], written: Iterable[str]) -> tuple[str, ...]:
    """Delete the files the previous run wrote that this one did not, and folders left empty."""
    keep = set(written)
    removed = []
    for relative in sorted(set(previous) - keep):
        path = outdir / relative
        if path.is_file() and not path.is_symlink():
            path.unlink()
            removed.append(relative)
            _remove_empty_parents(path.parent, outdir)
    return tuple(removed)


def _remove_empty_parents(folder: Path, outdir: Path) -> None:
    while folder != outdir and outdir in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def manifest_bytes(written: Iterable[str]) -> bytes:
    """The manifest of a run: the sorted relative paths of every file it wrote."""
    from citcert.export.json import dumps

    return dumps(
        {
            "tool": "citcert",
            "note": "Files citcert wrote here; the next run replaces them.",
            "files": sorted(written),
        }
    )


# ---------------------------------------------------------------------------------------------
# The run


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
    today: dt.date,
    standard_ref: str | None = None,
    overlay: Path | None = None,
    dirs: Sequence[Path] = (),
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
    settings = BatchSettings(
        today, standard_ref, overlay, tuple(dirs), mode, tuple(dict.fromkeys(formats)), fail_below
    )
    previous = read_manifest(outdir)
    workbooks = discover(paths, exclude=outdir, ignore=[outdir / p for p in previous])
    if settings.fixed_standard:
        _check_standard(settings)
    writer = _Writer(outdir)
    collector = _collect(workbooks, settings, jobs or os.cpu_count() or 1, writer, progress)
    rollup = collector.rollup()
    for name, data in [(name, render_file(rollup)) for name, render_file in FILES.items()]:
        writer.write(name, data)
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
        slug = unique_slug(outcome.stem, workbook.name, taken) if outcome.row.audited else ""
        writer.program(outcome, slug)
        collector.add(outcome, slug)
        notify(WorkbookFinished(done, total, workbook.name, not outcome.row.audited))
    notify(RollupWriting(total))
    return collector


def _check_standard(settings: BatchSettings) -> None:
    """Load the given standard first, so a bad ``--standard`` stops the run before it starts."""
    from citcert.standards import find_standard

    standard = find_standard(settings.standard_ref, overlay=settings.overlay, dirs=settings.dirs)
    levels = [(lv.id, lv.label) for lv in standard.scoring.decision_levels]
    if settings.fail_below is not None and level_rank(levels, settings.fail_below) is None:
        raise _no_such_level(settings.fail_below, standard.ref, levels)
