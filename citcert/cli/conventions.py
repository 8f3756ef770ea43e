"""
The command-line conventions every command shares: colour, quiet and verbose, and crashes.

- **Colour** (`colour`): ``--color``/``--no-color`` win; else ``NO_COLOR`` (any value) or
  ``TERM=dumb`` turn it off; else ``color`` of ``citcert.toml``; else click decides (colour only
  on a terminal).
- **-q/--quiet and -v/--verbose** are accepted by the group and by every command (`common`);
  notes and progress go to stderr (`note`), and ``--quiet`` silences them; results on stdout
  are never silenced. ``--verbose`` adds lines on stderr (`detail`) saying what a command read,
  used and wrote (`citcert.app.details`); ``--quiet`` wins over it. Neither changes stdout or
  a file written.
- **Printing** (`echo`): everything a command prints goes through `citcert._text.printable`, so
  no character from a file (an escape sequence, a bell, a carriage return, a C1 control, a
  bidirectional override) reaches the terminal as a command, piped or not; a coloured report
  keeps only citcert's own colour codes. Values are made single lines where they are put into
  a line (`citcert._text.one_line`), which a whole output no longer can be.
- **Standard output refused** (`stdout_refused`): a full disk or a device that takes nothing is
  one line, ``Error: could not write to standard output: …``, and exit status 2; a reader that
  stopped reading (``| head -1``) ends the command quietly, with status 0, as when it happened
  to take every byte before it left.
- **Crashes** (`crash_message`): an error that is not the user's is a bug. It exits with its own
  status (70) and a short request for a report; the traceback only with ``--verbose`` or
  ``CITCERT_DEBUG=1``, read here, at the boundary.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from typing import Any, TypeVar

import click

from citcert._text import one_line, printable
from citcert.errors import StdoutError

F = TypeVar("F", bound=Callable[..., Any])


def day(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """The callback of every ``--as-of`` and ``--date``: a day typed as YYYY-MM-DD."""
    if value is None:
        return None
    text = one_line(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise click.BadParameter(f'"{text}" is not a day written YYYY-MM-DD, e.g. 2025-03-31')
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{text} is not a day of the calendar; check the month and the day"
        ) from None


def _settings(ctx: click.Context) -> dict[str, Any]:
    obj: dict[str, Any] = ctx.find_root().ensure_object(dict)
    return obj


def _setting(name: str, short: str, help: str) -> Callable[[F], F]:
    """A flag kept in the root context's settings under `name`, not passed to the command."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value:
            _settings(ctx)[name] = value

    return click.option(
        short, f"--{name}", is_flag=True, expose_value=False, callback=callback, help=help
    )


def verbosity_options(f: F) -> F:
    """``-q/--quiet`` and ``-v/--verbose``, on the group and on every command."""
    verbose = _setting(
        "verbose",
        "-v",
        "Also say what was read, used and written (files, SHA-256, standard, sizes), on stderr; "
        "on a crash, print the traceback.",
    )
    quiet = _setting("quiet", "-q", "Print only results and errors, no notes or progress.")
    return quiet(verbose(f))


def common(f: F) -> F:
    """The options every command accepts (today -q and -v)."""
    return verbosity_options(f)


def colour(ctx: click.Context) -> bool | None:
    """Whether to colour: True, False, or None to let click decide (a terminal or not)."""
    settings = _settings(ctx)
    chosen = settings.get("color")
    if chosen is not None:
        return bool(chosen)
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    config = settings.get("config")  # citcert.toml's `color`, read by the group
    return None if config is None else config.color.value


def quiet(ctx: click.Context) -> bool:
    """True with -q/--quiet."""
    return bool(_settings(ctx).get("quiet"))


def verbose(ctx: click.Context) -> bool:
    """True with -v/--verbose."""
    return bool(_settings(ctx).get("verbose"))


def echo(
    text: str,
    *,
    err: bool = False,
    nl: bool = True,
    ctx: click.Context | None = None,
) -> None:
    """
    Print `text` (on stderr with `err`) with nothing a terminal would obey in it.

    Given the command's `ctx`, the text may be a coloured report: its colour codes are kept
    (shown when `colour` says so); without it nothing but text and line breaks is printed. A
    standard output that refuses the text raises `StdoutError`.
    """
    styled = ctx is not None
    try:
        click.echo(
            printable(text, styled=styled), err=err, nl=nl, color=colour(ctx) if ctx else None
        )
    except OSError as error:
        if err:
            raise
        raise StdoutError(error) from error


def note(ctx: click.Context, text: str) -> None:
    """A note for the person at the terminal: on stderr, unless --quiet."""
    if not quiet(ctx):
        echo(text, err=True, ctx=ctx)


def done(ctx: click.Context, output: object, before: str, after: str = "") -> None:
    """
    Say what a command wrote, the `output` named between `before` and `after`: on stdout, except
    when the file itself went there (``-o -``): then on stderr, unless --quiet, so that the file
    on stdout stays whole.
    """
    if str(output) == "-":
        note(ctx, f"{before}standard output{after}")
    else:
        echo(f"{before}{one_line(str(output))}{after}")


def detail(ctx: click.Context, text: str) -> None:
    """A line of ``--verbose``: on stderr, only with --verbose and never with --quiet."""
    if verbose(ctx) and not quiet(ctx):
        echo(text, err=True, ctx=ctx)


def debug(ctx: click.Context | None) -> bool:
    """True when a crash should show its traceback: --verbose, or CITCERT_DEBUG set."""
    flag = os.environ.get("CITCERT_DEBUG", "").strip().lower()
    return flag not in ("", "0", "false", "no") or (ctx is not None and verbose(ctx))


def crash_message(error: BaseException) -> str:
    """What an internal error says: that it is a bug, what it was, and how to report it."""
    from citcert import __version__

    what = one_line(f"{type(error).__name__}: {error}").strip().rstrip(":")
    return (
        f"Internal error: citcert {__version__} hit a bug ({what}).\n"
        "This is not a problem with your files. Please report it to the citcert maintainers\n"
        "with the command you ran and the output of the same command run again with --verbose\n"
        "(or CITCERT_DEBUG=1), which adds the details."
    )


def silence_stdout() -> None:
    """
    Point standard output at the null device once it has refused a write: what is still
    buffered for it is dropped when Python flushes it at exit, rather than failing a second time
    with a traceback of Python's own (``Exception ignored … BrokenPipeError``).
    """
    import sys

    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # closed at start, or a test's runner's
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
    finally:
        os.close(null)


def stdout_refused(error: StdoutError) -> str | None:
    """
    What to say once standard output refused a write (after `silence_stdout`): the line for a
    full disk or a device, or None for a reader that left, which ends the command quietly.
    """
    silence_stdout()
    return None if error.closed else f"could not write to standard output: {error.reason}"
