"""
`citcert batch`: audit a state's worth of workbooks in one run and write the roll-up.

The core's batch runner reports progress as events; `_BatchProgress` draws them on one line of
stderr when it is a terminal, so logs and pipes get only the final messages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from citcert._text import one_line
from citcert.cli.app import (
    _choice,
    _store,
    cli,
    configured,
    fail_below_option,
    overlay_and_mode,
    report_formats,
)
from citcert.cli.conventions import colour, common, day, detail, echo, note, quiet, verbose
from citcert.export import Format

if TYPE_CHECKING:
    from citcert.app.batch import BatchResult


class _BatchProgress:
    """Draws a batch run's progress on one line of `stream`, only when it is a terminal."""

    def __init__(self, stream: Any, *, enabled: bool = True) -> None:
        import time

        self.stream, self.clock = stream, time.monotonic
        self.start = self.clock()
        isatty = getattr(stream, "isatty", None)
        self.active = enabled and bool(isatty and isatty())

    def __call__(self, event: object) -> None:
        from citcert.app.batch import BatchStarted, RollupWriting, WorkbookFinished

        if not self.active:
            return
        if isinstance(event, BatchStarted):
            self._draw(f"0/{event.total} starting")
        elif isinstance(event, WorkbookFinished):
            spent = self.clock() - self.start
            left = spent / event.done * (event.total - event.done)
            line = f"{event.done}/{event.total} {one_line(event.file)}  elapsed {_clock(spent)}"
            self._draw(f"{line}  remaining ~{_clock(left)}")
        elif isinstance(event, RollupWriting):
            self._draw("")

    def _draw(self, text: str) -> None:
        import shutil

        width = shutil.get_terminal_size().columns - 1
        self.stream.write("\r" + text[:width].ljust(width) + ("\r" if not text else ""))
        self.stream.flush()


def _draws_progress(ctx: click.Context) -> bool:
    """
    Progress is drawn unless --quiet, --no-color, NO_COLOR or a dumb terminal says not to, or
    --verbose, whose line per workbook is the progress.
    """
    return not quiet(ctx) and not verbose(ctx) and colour(ctx) is not False


def _progress(ctx: click.Context) -> Any:
    """The batch's progress: the line drawn on a terminal, and with --verbose a line each."""
    import sys

    from citcert.app.batch import BatchStarted, WorkbookFinished
    from citcert.app.details import finished_line, started_line

    bar = _BatchProgress(sys.stderr, enabled=_draws_progress(ctx))

    def show(event: object) -> None:
        bar(event)
        if isinstance(event, BatchStarted):
            detail(ctx, started_line(event))
        elif isinstance(event, WorkbookFinished):
            detail(ctx, finished_line(event))

    return show


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """While a run lasts, SIGTERM stops it as Ctrl-C does: workers ended, nothing half-written."""
    import signal
    import threading

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def _clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


def _batch_formats(
    formats: tuple[Format, ...] | None, configured: tuple[Format, ...] | None = None
) -> tuple[Format, ...]:
    """
    The per-program formats: the chosen ones (terminal is for screens), else the `configured`
    ones (``formats`` of citcert.toml, less terminal), else the default set.
    """
    from citcert.app.batch import DEFAULT_FORMATS

    if formats and Format.TERMINAL in formats:
        raise click.BadParameter(
            "terminal is for the screen; choose from json, md, pdf, xlsx, html"
        )
    files = tuple(f for f in configured or () if f is not Format.TERMINAL)
    return formats or files or DEFAULT_FORMATS


def _bar_notes(result: BatchResult, levels: tuple[str, ...]) -> list[str]:
    """
    A note for each counted program below its ``--fail-below`` level, then one for each whose
    standard has none of the levels (audited and counted, but not judged).
    """
    lines = [
        f"{one_line(name)}: the decision is below "
        f"{one_line(result.bars.get(name) or ' or '.join(levels))} (--fail-below)."
        for name in result.below
    ]
    standards = {row.file: row.standard for row in result.rollup.rows}
    lines += [
        f"{one_line(name)}: not judged by --fail-below: {one_line(standards[name] or '')} has no "
        f"level {one_line(' or '.join(levels))}; give --fail-below one of its levels too."
        for name in result.unjudged
    ]
    return lines


@cli.command()
@common
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-o",
    "--output-dir",
    "outdir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the reports: one sub-folder per program, and summary.* for the state.",
)
@click.option(
    "--standard",
    "ref",
    metavar="ID[@VERSION]",
    help="Audit every workbook against this standard. Default: the one each workbook records.",
)
@overlay_and_mode("what each workbook says.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Audit this many workbooks at once. Default: jobs of citcert.toml, else the number of "
    "CPUs. Results do not change.",
)
@report_formats(
    "Each program's reports, comma-separated from json,md,pdf,xlsx,html. Default: the "
    "formats of citcert.toml, else all five."
)
@fail_below_option(
    "Exit with status 1 when any program's decision is below LEVEL (e.g. certified). Give it "
    "once per standard when the workbooks are of more than one: each is judged by the level its "
    "own standard has; one whose standard has none is not judged (a note says so).",
    multiple=True,
)
@click.option(
    "--as-of",
    callback=day,
    metavar="YYYY-MM-DD",
    help="Count reviews due (within 90 days) and overdue as of this day. Default: today. Each "
    "workbook is still judged as of its own assessment date.",
)
@click.option(
    "--since",
    type=click.Path(exists=True, path_type=Path),
    metavar="PREVIOUS_OUTDIR",
    help="Compare with an earlier run: its output folder (or the summary.json in it). Adds "
    "each program's change and the programs per decision level then and now.",
)
@click.pass_context
def batch(
    ctx: click.Context,
    paths: tuple[str, ...],
    outdir: Path,
    ref: str | None,
    overlay: Path | None,
    mode: str | None,
    jobs: int | None,
    formats: tuple[Format, ...] | None,
    fail_below: tuple[str, ...],
    as_of: dt.date | None,
    since: Path | None,
) -> None:
    """
    Audit every workbook in PATH (folders, files or glob patterns) and write a state roll-up.

    Each program's reports go to OUTDIR/<program>/; OUTDIR/summary.xlsx, .csv, .json and .pdf
    list every workbook and how many programs meet each requirement, and OUTDIR/summary.html
    shows the same with charts and links to each program's HTML report. A workbook that cannot be
    audited is listed with the reason and the run goes on. Exit status: 0 when every workbook
    was audited; 2 when any could not be (after writing everything else); 1 with --fail-below
    when any program is below LEVEL and none failed.

    \b
    Example:
      citcert batch state-2025/ -o state-2025-reports
      citcert batch 'counties/*.xlsx' -o reports --format pdf,json --jobs 4
      citcert batch state-2026/ -o state-2026-reports --since state-2025-reports
    """
    from citcert.app.batch import run_batch
    from citcert.app.details import batch_standard_line, batch_written_lines
    from citcert.workbook.evidence import Mode

    settings = configured(ctx)
    if verbose(ctx):
        detail(ctx, batch_standard_line(_choice(ctx, ref, settings.overlay_for(ref, overlay))))
    try:
        with _sigterm_as_interrupt():
            result = run_batch(
                paths,
                outdir=outdir,
                standard_ref=ref,
                overlay=settings.overlay_for(ref, overlay),
                store=_store(ctx),
                mode=Mode(mode) if mode else None,
                formats=_batch_formats(formats, settings.formats.value),
                fail_below=fail_below,
                jobs=jobs or settings.jobs.value,
                progress=_progress(ctx),
                as_of=as_of or dt.date.today(),
                since=since,
            )
    except KeyboardInterrupt:
        echo(
            f"Stopped before the end: nothing of this run was written; {outdir} is as it was.",
            err=True,
        )
        ctx.exit(130)
    for row in result.rollup.rows:
        if not row.audited:
            lines = [f"Could not audit {row.file}:", *row.messages]
            echo("\n  ".join(map(one_line, lines)), err=True)
    _say_kept(ctx, result)
    for line in batch_written_lines(result) if verbose(ctx) else ():
        detail(ctx, line)
    for line in _bar_notes(result, fail_below):
        note(ctx, line)
    echo(f"{result.rollup.summary} Roll-up: {outdir / 'summary'}.xlsx (.csv, .json, .pdf, .html).")
    change = result.rollup.since
    for line in (result.rollup.calendar_sentence, change.sentence if change else ""):
        if line:
            echo(line)
    ctx.exit(result.exit_code)


def _say_kept(ctx: click.Context, result: BatchResult) -> None:
    """Say which earlier reports stay as they were, and which trackers kept their progress."""
    if result.kept:
        folders = sorted({k.split("/")[0] + "/" if "/" in k else k for k in result.kept})
        echo(
            f"Kept the earlier reports {', '.join(folders)}: this run has no new ones to put in "
            "their place (the workbook failed or is no longer in the batch).",
            err=True,
        )
    for line in result.kept_progress:
        note(ctx, line)
