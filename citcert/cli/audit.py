"""
`citcert audit`, `citcert compare` and `citcert schema`: one program's assessment.

`audit` scores a workbook and writes its reports, `compare` shows what changed between two
audits of the same program, and `schema` prints the JSON Schema of the audit report (or of a
standard file) for the tools that consume them.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from citcert.app.audit import STDOUT, AuditRun
from citcert.app.schemas import SCHEMAS
from citcert.cli.app import (
    OUTPUT_FILE,
    _choice,
    cli,
    configured,
    fail_below_option,
    force_option,
    format_choice,
    overlay_and_mode,
    refuse_output,
    report_formats,
)
from citcert.cli.conventions import common, day, detail, done, echo, note, quiet, verbose
from citcert.errors import ExitCode
from citcert.export import Format

_BINARY = frozenset({Format.PDF, Format.XLSX})


def _audit_formats(
    formats: tuple[Format, ...] | None,
    outdir: Path | None,
    configured: tuple[Format, ...] | None = None,
) -> tuple[tuple[Format, ...], Path]:
    """
    The formats to write and where files go: terminal only, or with -o the `configured` ones
    (``formats`` of citcert.toml), else every format.
    """
    if outdir == STDOUT:
        return _stdout_format(formats), STDOUT
    if formats is None:
        formats = (Format.TERMINAL,) if outdir is None else configured or tuple(Format)
    return formats, outdir or Path(".")


def _stdout_format(formats: tuple[Format, ...] | None) -> tuple[Format]:
    """The one format ``-o -`` prints (JSON unless another is chosen); usage errors otherwise."""
    chosen = formats or (Format.JSON,)
    if len(chosen) != 1:
        raise click.UsageError(
            "-o - prints one report to standard output; choose one with --format "
            "(for example --format json), or give -o a folder for several"
        )
    if chosen[0] in _BINARY and sys.stdout is not None and sys.stdout.isatty():
        raise click.UsageError(
            f"a {chosen[0].value.upper()} report is not text: redirect standard output to a "
            f"file (> report.{chosen[0].value}) or give -o a folder"
        )
    return (chosen[0],)


@cli.command()
@common
@click.argument(
    "workbook", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path)
)
@click.option(
    "--standard",
    "ref",
    metavar="ID[@VERSION]",
    help="Audit against this standard. Default: the one recorded in the workbook.",
)
@overlay_and_mode("from the workbook.")
@click.option(
    "--as-of",
    callback=day,
    metavar="YYYY-MM-DD",
    help="Judge dates as of this day. Default: the workbook's assessment date.",
)
@click.option(
    "-o",
    "--output-dir",
    "outdir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the report files into this folder (created if needed), named after the "
    "program; without it, files --format asks for go into the current folder. `-o -` prints "
    "one report (JSON unless --format names another) to standard output.",
)
@report_formats(
    "Comma-separated, from terminal,json,md,pdf,xlsx,html. Default: terminal; with -o, "
    "the formats of citcert.toml, else all."
)
@fail_below_option(
    "Exit with status 1 when the decision is below LEVEL, a level's id or label (certified)."
)
@click.option(
    "--audience",
    type=click.Choice(["applicant", "panel"]),
    default="applicant",
    show_default=True,
    help="For a review or consensus workbook: the program's report, or the panel's (with "
    "internal notes, each rater's rating, agreement and calibration).",
)
@click.option(
    "--since",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="PREVIOUS",
    help="Add what changed since the previous audit: its JSON report (citcert audit --format "
    "json) or its workbook. Every report then shows the decision and scores then and now, gaps "
    "closed and opened and plan steps completed.",
)
@click.pass_context
def audit(
    ctx: click.Context,
    workbook: Path,
    ref: str | None,
    overlay: Path | None,
    mode: str | None,
    as_of: dt.date | None,
    outdir: Path | None,
    formats: tuple[Format, ...] | None,
    fail_below: str | None,
    audience: str,
    since: Path | None,
) -> None:
    """
    Score a WORKBOOK and write its reports (`-` reads it from standard input).

    Says where the program stands against the standard, why, and what to do next. Prints the
    decision, a score bar per domain, the core gaps and the first remediation steps;
    with -o, also writes the reports (PDF, XLSX, JSON, Markdown, HTML) into the folder. Exit
    status is 0 whatever the decision, 1 with --fail-below when the decision is below that
    level, 2 for bad input.

    \b
    Example:
      citcert audit program.xlsx
      citcert audit program.xlsx -o reports --format pdf,md
      citcert audit program.xlsx -o reports --fail-below conditional
      citcert audit program.xlsx -o - | jq .decision
      citcert audit consensus.xlsx -o panel --audience panel
      citcert audit program-2026.xlsx -o reports --since reports-2025/program.json
    """
    from citcert.app.audit import run_audit
    from citcert.workbook.evidence import Mode

    settings = configured(ctx)
    chosen, folder = _audit_formats(formats, outdir, settings.formats.value)
    choice = _choice(ctx, ref, settings.overlay_for(ref, overlay))
    run = run_audit(
        workbook,
        choice,
        formats=chosen,
        outdir=folder,
        mode=Mode(mode) if mode else None,
        as_of=as_of,
        fail_below=fail_below,
        audience=audience,
        since=since,
    )
    for line in run.details(choice, since) if verbose(ctx) else ():
        detail(ctx, line)
    for warning in _warnings(run, since, shown=chosen == (Format.TERMINAL,)):
        note(ctx, warning)
    if run.printed is not None and chosen != (Format.TERMINAL,):
        from citcert._files import write_atomic

        write_atomic("-", run.printed)
    elif run.printed is not None:  # the terminal summary, coloured only where it may be
        echo(run.printed.decode("utf-8"), nl=False, ctx=ctx)
    else:
        echo(run.terminal, nl=False, ctx=ctx)
    if run.kept_note:
        note(ctx, run.kept_note)
    if run.beside_panel:
        note(ctx, run.beside_panel)
    if run.audited.below:
        label = run.audited.assessment.decision.label
        echo(f"{label} is below {fail_below} (--fail-below).", err=True)
        ctx.exit(ExitCode.BELOW_LEVEL)


def _warnings(run: AuditRun, since: Path | None, *, shown: bool) -> list[str]:
    """
    What the audit warns of before its reports: the ``--since`` comparison's warnings (unless
    the terminal view, `shown`, prints them itself), and a review with no reviewer rating.
    """
    from citcert.workbook.evidence import Mode

    found = []
    earlier = run.audited.assessment.since
    if since is not None and earlier is not None and not shown:
        found += [f"Warning (--since {since.name}): {told}" for told in earlier.warnings]
    if run.audited.assessment.provenance.mode is Mode.REVIEW:  # only a review can lack ratings
        from citcert.app.check import review_without_ratings

        warning = review_without_ratings(run.audited.assessment)
        found += [warning] if warning else []
    return found


@cli.command()
@common
@click.argument("what", type=click.Choice(sorted(SCHEMAS)), metavar="NAME")
def schema(what: str) -> None:
    """
    Print the JSON Schema of one of citcert's JSON documents.

    \b
    NAME is one of:
      assessment      the JSON report of `citcert audit`
      comparison      `citcert compare --format json`
      migration       `citcert migrate --format json`
      rollup          the summary.json of `citcert batch`
      standard        standard and overlay YAML files
      standards-diff  `citcert standards diff --format json`
      standards-list  `citcert standards list --format json`
      validation      `citcert validate --format json`

    Use them to check files in CI or for completion in an editor.

    \b
    Example:
      citcert schema assessment > assessment.schema.json
      citcert schema rollup > summary.schema.json
    """
    from citcert._files import write_atomic
    from citcert.app.schemas import schema_bytes

    write_atomic("-", schema_bytes(what))


@cli.command()
@common
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_choice("terminal", "md", "json", "html", help="How to show the changes.")
@click.option("-o", "--output", type=OUTPUT_FILE, help="Write to this file instead of the screen.")
@force_option
@click.pass_context
def compare(
    ctx: click.Context, old: Path, new: Path, fmt: str, output: Path | None, force: bool
) -> None:
    """
    Show what changed between two audits of a program: OLD first, NEW second.

    OLD and NEW are audit JSON reports (citcert audit --format json) or filled-in workbooks,
    audited now against the standards they record. Shows the change in decision and scores,
    gaps closed and opened, ratings changed and remediation steps completed. Audits made
    against different versions of a standard are matched through the newer one's `replaces`.

    \b
    Example:
      citcert compare riverside-2024.json riverside-2025.json
      citcert compare old.xlsx new.xlsx --format md -o progress.md
      citcert compare old.json new.json --format html -o progress.html
    """
    from citcert._files import write_atomic
    from citcert.app.compare import compare_files
    from citcert.export.comparison import WRITERS

    refuse_output(output, force, (old, new))
    comparison = compare_files(old, new, _choice(ctx, None, None))
    data = WRITERS[Format(fmt)](comparison)
    if output is not None or fmt != "terminal":  # the terminal view shows them itself
        for warning in comparison.warnings:
            note(ctx, f"Warning: {warning}")
    if output is None:
        echo(data.decode("utf-8"), nl=False)
    else:
        from citcert.app.details import wrote_line

        write_atomic(output, data, inputs=(old, new), replace=force)
        detail(ctx, wrote_line(output, len(data)))
        if not quiet(ctx):
            done(ctx, output, "Comparison written to ")
