"""
The command line: click commands only.

A command converts its options, makes one call into the core, hands the result to a writer and
picks the exit code. `CitcertError` is caught in one place (`_CitcertGroup.invoke`) and becomes a
message on stderr with exit status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from citcert import __version__
from citcert.errors import CitcertError, ExitCode


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
def cli() -> None:
    """
    Audit a Crisis Intervention Team (CIT) program against a best-practice standard.

    \b
    Example:
      citcert template -o program.xlsx      # make the evidence workbook
      citcert validate program.xlsx         # check it once filled in
      citcert audit program.xlsx -o report  # score it and write the reports
    """


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line (``argv`` defaults to ``sys.argv[1:]``)."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="citcert")
