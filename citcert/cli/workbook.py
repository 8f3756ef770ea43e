"""
`citcert template`, `validate` and `migrate`: the evidence workbook a program fills in.

`template` writes a blank workbook for a standard, `validate` checks a filled-in one before an
audit, and `migrate` carries its answers to a newer standard. Neither writer ever replaces an
existing workbook unasked (`_refuse_overwrite`), since it holds a program's answers, nor
anything that is not a file (`citcert.cli.app.refuse_output`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from citcert.cli.app import (
    OUTPUT_FILE,
    _choice,
    cli,
    configured,
    force_option,
    format_choice,
    refuse_output,
)
from citcert.errors import ExitCode

if TYPE_CHECKING:
    from citcert.app.check import Checked
from citcert._text import one_line
from citcert.cli.conventions import common, day, detail, done, echo, verbose


def _refuse_overwrite(output: Path, force: bool, *inputs: Path) -> None:
    """
    A usage error, before anything is written, rather than overwrite a workbook's answers; then
    the rule of every output file (`refuse_output`).
    """
    if str(output) == "-":
        return
    if any(output.resolve() == i.resolve() for i in inputs):
        raise click.BadParameter("the output must not be the input workbook", param_hint="'-o'")
    refuse_output(output, force, inputs)


_WORKBOOK = click.Path(exists=True, dir_okay=False, path_type=Path)


@cli.command()
@common
@click.option("--standard", "ref", metavar="ID[@VERSION]", help="Default: cit-best-practice.")
@click.option("--overlay", type=_WORKBOOK, help="Apply this overlay file on top of the standard.")
@click.option(
    "-o", "--output", required=True, type=OUTPUT_FILE, help="The workbook to write (.xlsx)."
)
@force_option
@click.pass_context
def template(
    ctx: click.Context, ref: str | None, overlay: Path | None, output: Path, force: bool
) -> None:
    """
    Write a blank evidence workbook for a standard, for a program to fill in.

    \b
    Example:
      citcert template -o program.xlsx
      citcert template --standard cit-best-practice@2019.1 -o program.xlsx
    """
    from citcert._files import write_atomic
    from citcert.app.details import standard_line, wrote_line
    from citcert.app.workbook import template_bytes

    _refuse_overwrite(output, force)
    overlay = configured(ctx).overlay_for(ref, overlay)
    choice = _choice(ctx, ref, overlay)
    standard = choice.resolve()
    data = template_bytes(standard)
    write_atomic(output, data, inputs=[overlay] if overlay else [], replace=force)
    if verbose(ctx):
        detail(ctx, standard_line(standard, choice))
        detail(ctx, wrote_line(output, len(data)))
    if str(output) != "-":
        echo(f"Wrote {one_line(str(output))} for {standard.ref} ({one_line(standard.title)}).")


@cli.command()
@common
@click.argument(
    "workbooks",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path),
    metavar="WORKBOOK...",
)
@click.option(
    "--standard", "ref", metavar="ID[@VERSION]", help="Default: the one the workbook was made for."
)
@click.option("--overlay", type=_WORKBOOK, help="Apply this overlay file on top of the standard.")
@click.option(
    "--mode",
    type=click.Choice(["self", "review"]),
    help="Check as the audit with this --mode will read it. Default: from the workbook.",
)
@click.option(
    "--as-of",
    callback=day,
    metavar="YYYY-MM-DD",
    help="Judge dates as of this day. Default: the workbook's assessment date.",
)
@format_choice(
    "text", "json", help="json: every problem with its file, sheet, cell, requirement and severity."
)
@click.pass_context
def validate(
    ctx: click.Context,
    workbooks: tuple[Path, ...],
    ref: str | None,
    overlay: Path | None,
    mode: str | None,
    as_of: dt.date | None,
    fmt: str,
) -> None:
    """
    Check filled-in evidence WORKBOOKs (`-`: standard input) and list every cell to fix.

    Also warns of what the audit will mark down: a core requirement rated Met with nothing to
    show, a document not listed in the Documents sheet, a review without reviewer ratings.
    Dates are judged as `audit` judges them: none may lie after the assessment date (or
    --as-of). Exit status 0 when every workbook can be audited, 2 otherwise.

    \b
    Example:
      citcert validate program.xlsx
      citcert validate state-2025/*.xlsx --format json
    """
    from citcert.app.check import check_workbook, validation_report
    from citcert.app.workbook import check_as_of
    from citcert.workbook.evidence import Mode

    check_as_of(as_of)
    choice = _choice(ctx, ref, configured(ctx).overlay_for(ref, overlay))
    results = [
        check_workbook(
            path,
            choice,
            mode=Mode(mode) if mode else None,
            as_of=as_of,
            today=dt.date.today(),
        )
        for path in workbooks
    ]
    failed = [r for r in results if not r.ready]
    if fmt == "json":
        for line in (line for r in results for line in r.details):
            detail(ctx, line)
        echo(validation_report(results).model_dump_json(indent=2))
    elif len(results) == 1 and failed and failed[0].error:
        for line in failed[0].details:
            detail(ctx, line)
        raise failed[0].error  # one workbook: reported as any other command's error
    else:
        for result in results:
            for line in result.details:
                detail(ctx, line)
            _print_check(result)
    if failed:
        ctx.exit(ExitCode.INPUT_ERROR)


def _print_check(result: Checked) -> None:
    """One workbook's check as text: ready and its warnings on stdout, errors on stderr."""
    if not result.ready:
        echo(f"Error: {result.error}", err=True)
        return
    echo(f"{one_line(result.file)} is ready to audit against {result.standard_ref}.")
    if result.warnings:
        echo(f"Warnings ({len(result.warnings)}):")
        echo("\n".join(f"  {one_line(str(warning))}" for warning in result.warnings))


@cli.command()
@common
@click.argument("workbook", type=_WORKBOOK)
@click.option("--to", "to", required=True, metavar="ID@VERSION", help="The standard to move to.")
@click.option("-o", "--output", required=True, type=OUTPUT_FILE, help="The new workbook to write.")
@force_option
@format_choice(
    "text",
    "json",
    help="json: what was carried, from where, and what was not (`citcert schema migration`).",
)
@click.pass_context
def migrate(
    ctx: click.Context, workbook: Path, to: str, output: Path, force: bool, fmt: str
) -> None:
    """
    Carry a WORKBOOK's answers over to a newer standard (or version) in a new workbook.

    Answers follow the new standard's `replaces:` mappings, or equal ids. Whatever cannot be
    carried is listed here and kept in the new workbook's Notes column or Instructions sheet.
    The old workbook is not changed.

    \b
    Example:
      citcert migrate program.xlsx --to cit-best-practice@2019.3 -o new.xlsx
      citcert migrate a.xlsx --to cit-best-practice -o b.xlsx --format json
    """
    from citcert._files import write_atomic
    from citcert.app.details import workbook_line, wrote_line
    from citcert.app.workbook import migrate_submission, open_submission

    if fmt == "json" and str(output) == "-":
        raise click.BadParameter(
            "--format json prints its report on standard output; write the workbook to a file",
            param_hint="'-o'",
        )
    _refuse_overwrite(output, force, workbook)
    submission = open_submission(workbook)
    result = migrate_submission(submission, _choice(ctx, None, None), to)
    write_atomic(output, result.workbook, inputs=(workbook,), replace=force)
    if verbose(ctx):
        detail(ctx, workbook_line(submission.book))
        detail(ctx, wrote_line(output, len(result.workbook)))
    if fmt == "json":
        from citcert.app.migration import migration_report
        from citcert.export.json import dumps

        report = migration_report(result, str(workbook), str(output))
        echo(dumps(report.model_dump(mode="json")).decode("utf-8"), nl=False)
    else:
        done(ctx, output, "Wrote ", f". {result.report()}")
