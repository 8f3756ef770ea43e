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

import os
import sys
from collections.abc import Sequence

# NOTE: imported for their side effect: each module adds its commands to `cli`. They import
# only click and `app` at module level, so start-up stays light.
from citcert.cli import audit, batch, config, progress, review, standards, workbook  # noqa: F401
from citcert.cli.app import cli

__all__ = ["cli", "console", "main"]


def main(argv: Sequence[str] | None = None) -> None:
    """
    Run the command line (``argv`` defaults to ``sys.argv[1:]``).

    What click prints itself before a command runs (``--help``, ``--version``, a usage error)
    is held to the rule of the commands' own output: a standard output that refuses it is one
    line on stderr and exit status 2, and a reader that left ends the command quietly.
    """
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="citcert")
    except OSError as error:  # only printing can fail here: a command's own errors are caught
        from citcert.cli.conventions import echo, stdout_refused
        from citcert.errors import ExitCode, StdoutError

        said = stdout_refused(StdoutError(error))
        if said is None:
            sys.exit(ExitCode.OK)
        echo(f"Error: {said}", err=True)
        sys.exit(ExitCode.INPUT_ERROR)


def console() -> None:
    """
    The ``citcert`` command's entry point: `main`, then the process ends without the
    interpreter's teardown.

    Once a command has returned, every file it wrote is already flushed, closed and renamed into
    place (`citcert._files`), so freeing every module and object one by one only costs time:
    about a fifth of a short command such as an audit to JSON. Standard output and error are
    flushed first, and the exit status is the one `main` gave (120, as Python's own, when the
    output cannot be flushed). An exception escaping `main` is left to Python as usual. Tests
    and ``python -m citcert`` call `main`, which exits the ordinary way.

    It also tells pydantic not to look for plugins, unless ``PYDANTIC_DISABLE_PLUGINS`` is
    already set: citcert uses none, and looking means reading the metadata of every package
    installed beside it, about a tenth of a short command; a plugin found there (an
    observability tool's, say) would watch citcert's models without citcert asking.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        main()
    except SystemExit as done:
        code = _status(done.code)
    else:
        code = 0
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with that stream closed (``>&-``): nothing to flush
            continue
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: Python would say 120 at exit too
            code = code or 120
    os._exit(code)


def _status(code: object) -> int:
    """The exit status of ``SystemExit(code)``, as Python computes it (text is printed, then 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1
