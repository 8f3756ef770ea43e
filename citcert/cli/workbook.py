"""
`citcert template`, `validate` and `migrate`: the evidence workbook a program fills in.

`template` writes a blank workbook for a standard, `validate` checks a filled-in one before an
audit, and `migrate` carries its answers to a newer standard. Neither writer ever replaces an
existing workbook unasked (`_refuse_overwrite`), since it holds a program's answers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from citcert.cli.app import _choice, cli


def _refuse_overwrite(output: Path, force: bool, *inputs: Path) -> None:
    """A usage error, before anything is written, rather than overwrite a workbook's answers."""
    if str(output) == "-":
        return
    if any(output.resolve() == i.resolve() for i in inputs):
        raise click.BadParameter("the output must not be the input workbook", param_hint="'-o'")
    if output.exists() and not force:
        raise click.BadParameter(
            f"{output} already exists; choose another name or add --force to replace it",
            param_hint="'-o'",
        )


_WORKBOOK = click.Path(exists=True, dir_okay=False, path_type=Path)
_OUTPUT = click.Path(dir_okay=False, path_type=Path)


@cli.command()
@click.option("--standard", "ref", metavar="ID[@VERSION]", help="Default: cit-best-practice.")
@click.option("--overlay", type=_WORKBOOK, help="Apply this overlay file on top of the standard.")
@click.option("-o", "--output", required=True, type=_OUTPUT, help="The workbook to write (.xlsx).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
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
    from citcert.app.workbook import template_bytes

    _refuse_overwrite(output, force)
    standard = _choice(ctx, ref, overlay).resolve()
    write_atomic(output, template_bytes(standard), inputs=[overlay] if overlay else [])
    if str(output) != "-":
        click.echo(f"Wrote {output} for {standard.ref} ({standard.title}).")


@cli.command()
@click.argument("workbook", type=_WORKBOOK)
@click.option(
    "--standard", "ref", metavar="ID[@VERSION]", help="Default: the one the workbook was made for."
)
@click.option("--overlay", type=_WORKBOOK, help="Apply this overlay file on top of the standard.")
@click.pass_context
def validate(ctx: click.Context, workbook: Path, ref: str | None, overlay: Path | None) -> None:
    """
    Check a filled-in evidence WORKBOOK and list every cell that needs fixing.

    Exit status 0 when it can be audited (warnings are listed), 2 otherwise.

    \b
    Example:
      citcert validate program.xlsx
    """
    from citcert.app.workbook import open_submission, read_evidence

    submission = open_submission(workbook)
    standard = _choice(ctx, ref, overlay).resolve(submission.standard_ref)
    evidence = read_evidence(submission, standard, today=dt.date.today())
    click.echo(f"{workbook.name} is ready to audit against {standard.ref}.")
    if evidence.warnings:
        click.echo(f"Warnings ({len(evidence.warnings)}):")
        click.echo("\n".join(f"  {warning}" for warning in evidence.warnings))


@cli.command()
@click.argument("workbook", type=_WORKBOOK)
@click.option("--to", "to", required=True, metavar="ID@VERSION", help="The standard to move to.")
@click.option("-o", "--output", required=True, type=_OUTPUT, help="The new workbook to write.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.pass_context
def migrate(ctx: click.Context, workbook: Path, to: str, output: Path, force: bool) -> None:
    """
    Carry a WORKBOOK's answers over to a newer standard (or version) in a new workbook.

    Answers follow the new standard's `replaces:` mappings, or equal ids. Whatever cannot be
    carried is listed here and kept in the new workbook's Notes column or Instructions sheet.
    The old workbook is not changed.

    \b
    Example:
      citcert migrate program.xlsx --to cit-best-practice@2025.1 -o program-2025.xlsx
    """
    from citcert._files import write_atomic
    from citcert.app.workbook import migrate_submission, open_submission

    _refuse_overwrite(output, force, workbook)
    submission = open_submission(workbook)
    result = migrate_submission(submission, _choice(ctx, None, None), to)
    write_atomic(output, result.workbook, inputs=(workbook,))
    click.echo(f"Wrote {output}. {result.report()}")
