"""
The command line: click commands only.

A command converts its options, makes one call into the core, hands the result to a writer and
picks the exit code. `CitcertError` is caught in one place (`_CitcertGroup.invoke`) and becomes a
message on stderr with exit status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

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


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line (``argv`` defaults to ``sys.argv[1:]``)."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="citcert")
