"""
`citcert progress`: how far a program has come on its remediation plan, from the tracker XLSX
that `citcert audit` wrote and the program kept up to date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from citcert.cli.app import _choice, cli
from citcert.cli.conventions import common, day, echo


@cli.command()
@common
@click.argument("tracker", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--as-of",
    callback=day,
    help="Count overdue steps as of this day (YYYY-MM-DD). Default: today.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["terminal", "json", "md", "html"], case_sensitive=False),
    default="terminal",
    show_default=True,
    help="How to print the progress.",
)
@click.option(
    "--audit",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="AUDIT",
    help="Check that TRACKER belongs to this audit: its JSON report or the program's workbook "
    "(same program, same standard).",
)
@click.pass_context
def progress(
    ctx: click.Context, tracker: Path, as_of: dt.date | None, fmt: str, audit: Path | None
) -> None:
    """
    Report a remediation TRACKER's progress: steps done, in progress and overdue.

    TRACKER is the .xlsx that `citcert audit` wrote, after the program updated its Status,
    Notes and Completed on columns in Excel or Calc.

    \b
    Example:
      citcert progress reports/riverton-cit-program.xlsx --as-of 2025-03-01
      citcert progress tracker.xlsx --audit reports/riverton-cit-program.json
    """
    from citcert.app.progress import tracker_progress
    from citcert.export import progress as writer

    result = tracker_progress(
        tracker,
        as_of=as_of,
        today=dt.date.today(),
        choice=_choice(ctx, None, None),
        audit=audit,
    )
    render = {
        "terminal": writer.render_terminal,
        "json": writer.render_json,
        "md": writer.render_markdown,
        "html": writer.render_html,
    }[fmt.lower()]
    echo(render(result).decode("utf-8"), nl=False)
