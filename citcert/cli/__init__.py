"""
The command line: click commands only.

A command converts its options, makes one call into the core, hands the result to a writer and
picks the exit code. `CitcertError` is caught in one place (`_CitcertGroup.invoke`, in `app`) and
becomes a message on stderr with exit status 2; anything else is a bug: exit status 70 and a
short request for a report (the traceback with --verbose or CITCERT_DEBUG=1).

`app` holds the group and what the commands share; each other module registers one family of
commands on it: `audit` (audit, compare, schema), `standards` (the ``standards`` group),
`workbook` (template, validate, migrate), `progress`, `review`, `batch` and `config` (the
settings in force). Importing this package registers them all.
"""

from __future__ import annotations

from collections.abc import Sequence

# NOTE: imported for their side effect: each module adds its commands to `cli`. They import
# only click and `app` at module level, so start-up stays light.
from citcert.cli import audit, batch, config, progress, review, standards, workbook  # noqa: F401
from citcert.cli.app import cli

__all__ = ["cli", "main"]


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line (``argv`` defaults to ``sys.argv[1:]``)."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="citcert")
