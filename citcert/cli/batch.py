"""
`citcert batch`: audit a state's worth of workbooks in one run and write the roll-up.

The core's batch runner reports progress as events; `_BatchProgress` draws them on one line of
stderr when it is a terminal, so logs and pipes get only the final messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from citcert.cli.app import _parse_formats, cli
from citcert.cli.conventions import colour, common, note, quiet
from citcert.export import Format


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
            line = f"{event.done}/{event.total} {event.file}  elapsed {_clock(spent)}"
            self._draw(f"{line}  remaining ~{_clock(left)}")
        elif isinstance(event, RollupWriting):
            self._draw("")

    def _draw(self, text: str) -> None:
        import shutil

        width = shutil.get_terminal_size().columns - 1
        self.stream.write("\r" + text[:width].ljust(width) + ("\r" if not text else ""))
        self.stream.flush()


def _draws_progress(ctx: click.Context) -> bool:
    """Progress is drawn unless --quiet, --no-color, NO_COLOR or a dumb terminal says not to."""
    return not quiet(ctx) and colour(ctx) is not False


def _clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


def _batch_formats(formats: tuple[Format, ...] | None) -> tuple[Format, ...]:
    """The per-program formats: the default set, or the chosen ones (terminal is for screens)."""
    from citcert.app.batch import DEFAULT_FORMATS

    if formats and Format.TERMINAL in formats:
        raise click.BadParameter(
            "terminal is for the screen; choose from json, md, pdf, xlsx, html"
        )
    return formats or DEFAULT_FORMATS


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
@click.option(
    "--overlay",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Apply this overlay file (e.g. the state's tailoring) on top of the standard.",
)
@click.option(
    "--mode",
    type=click.Choice(["self", "review"]),
    help="Whose ratings count. Default: what each workbook says.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Audit this many workbooks at once. Default: the number of CPUs. Results do not change.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="LIST",
    callback=_parse_formats,
    help="Each program's reports, comma-separated from json,md,pdf,xlsx. Default: all four.",
)
@click.option(
    "--fail-below",
    metavar="LEVEL",
    help="Exit with status 1 when any program's decision is below LEVEL (e.g. certified).",
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
    fail_below: str | None,
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
    """
    import sys

    from citcert.app.batch import run_batch
    from citcert.workbook.evidence import Mode

    result = run_batch(
        paths,
        outdir=outdir,
        standard_ref=ref,
        overlay=overlay,
        dirs=(ctx.find_root().obj or {}).get("standards_dirs", ()),
        mode=Mode(mode) if mode else None,
        formats=_batch_formats(formats),
        fail_below=fail_below,
        jobs=jobs,
        progress=_BatchProgress(sys.stderr, enabled=_draws_progress(ctx)),
    )
    for row in result.rollup.rows:
        if not row.audited:
            click.echo("\n  ".join([f"Could not audit {row.file}:", *row.messages]), err=True)
    for name in result.below:
        note(ctx, f"{name}: the decision is below {fail_below} (--fail-below).")
    click.echo(
        f"{result.rollup.summary} Roll-up: {outdir / 'summary'}.xlsx (.csv, .json, .pdf, .html)."
    )
    ctx.exit(result.exit_code)
