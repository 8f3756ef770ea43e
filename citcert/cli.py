"""
The command line: click commands only.

A command converts its options, makes one call into the core, hands the result to a writer and
picks the exit code. `CitcertError` is caught in one place (`_CitcertGroup.invoke`) and becomes a
message on stderr with exit status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from citcert import __version__
from citcert.errors import CitcertError, ExitCode

if TYPE_CHECKING:
    from citcert.standards.model import Standard


class InputError(click.ClickException):
    """A `CitcertError` on its way to the user: printed as ``Error: …``, exit status 2."""

    exit_code = ExitCode.INPUT_ERROR


class _CitcertGroup(click.Group):
    """A group whose commands turn `CitcertError` into exit status 2 with a located message."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CitcertError as error:
            raise InputError(str(error)) from error


@click.group(cls=_CitcertGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="citcert")
@click.option(
    "--standards-dir",
    "standards_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="Also look for standards (*.yaml) in DIR. Repeatable; searched before the built-ins.",
)
@click.pass_context
def cli(ctx: click.Context, standards_dirs: tuple[Path, ...]) -> None:
    """
    Audit a Crisis Intervention Team (CIT) program against a best-practice standard.

    \b
    Example:
      citcert template -o program.xlsx      # make the evidence workbook
      citcert validate program.xlsx         # check it once filled in
      citcert audit program.xlsx -o report  # score it and write the reports
    """
    ctx.ensure_object(dict)["standards_dirs"] = standards_dirs


def _standard(ctx: click.Context, ref: str | None, overlay: Path | None) -> Standard:
    """
    Resolve the standard a command works on, honouring the group's ``--standards-dir`` options.

    `ref` is ``id`` or ``id@version`` (None: the default standard); `overlay` is an overlay file
    applied on top of it.
    """
    from citcert.standards import find_standard

    obj = ctx.find_root().obj or {}
    dirs: tuple[Path, ...] = obj.get("standards_dirs", ())
    return find_standard(ref, overlay=overlay, dirs=dirs)


# ── evidence workbook: template, validate, migrate ───────────────────────────────────────────


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
    from citcert.export.template import render_template

    _refuse_overwrite(output, force)
    standard = _standard(ctx, ref, overlay)
    write_atomic(output, render_template(standard))
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
    from citcert.audit.workbook import read_standard_ref, read_workbook

    standard = _standard(ctx, ref or (None if overlay else read_standard_ref(workbook)), overlay)
    evidence = read_workbook(workbook, standard, today=dt.date.today())
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
    from citcert.audit.migrate import migrate_workbook
    from citcert.audit.workbook import read_standard_ref

    _refuse_overwrite(output, force, workbook)
    old = _standard(ctx, read_standard_ref(workbook), None)
    result = migrate_workbook(workbook, old, _standard(ctx, to, None))
    write_atomic(output, result.workbook)
    click.echo(f"Wrote {output}. {result.report()}")


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line (``argv`` defaults to ``sys.argv[1:]``)."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="citcert")
