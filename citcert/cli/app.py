"""
The `citcert` click group and what every command shares.

The group carries the one error boundary (`_CitcertGroup.invoke`: a `CitcertError` becomes a
message on stderr with exit status 2, and so does a standard output that refuses what is printed
(`StdoutError`), but for a reader that left, which ends the command quietly; anything else is a
bug, exit status 70 with a request for a report, its traceback only with ``--verbose`` or
``CITCERT_DEBUG``), the ``--version``, ``--standards-dir``, ``--color`` and ``-q``/``-v`` options
(`citcert.cli.conventions`), and the helpers several commands use: resolving the standard a
command works on, parsing ``--format`` lists, and the one file a command writes (``-o FILE``:
`OUTPUT_FILE`, `force_option`, `refuse_output`). The command modules import `cli` from here and
register on it, so this module imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from citcert._text import printable
from citcert.cli import conventions
from citcert.errors import CitcertError, ExitCode, StdoutError
from citcert.export import Format

if TYPE_CHECKING:
    from citcert.app.config import Settings
    from citcert.app.workbook import StandardChoice
    from citcert.standards.model import Standard
    from citcert.standards.store import StandardsStore

F = TypeVar("F", bound=Callable[..., Any])


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
        except StdoutError as error:  # a full disk: one line; a reader that left: nothing
            said = conventions.stdout_refused(error)
            if said is None:
                ctx.exit(ExitCode.OK)
            raise InputError(said) from error
        except click.exceptions.ClickException as error:  # its message may name a file
            # NOTE: click types `message` as final, but it is the one place its text is kept.
            error.message = printable(error.message)  # type: ignore[misc]
            raise
        except (click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:  # a bug: its own exit status, its traceback only when asked
            if conventions.debug(ctx):
                import traceback

                conventions.echo("".join(traceback.format_exception(error)), err=True, nl=False)
            conventions.echo(conventions.crash_message(error), err=True)
            ctx.exit(ExitCode.INTERNAL_ERROR)


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``--version``: the version is looked up only when asked for, to keep start-up fast."""
    if not value or ctx.resilient_parsing:
        return
    from citcert import __version__

    click.echo(f"citcert, version {__version__}")
    ctx.exit()


@click.group(cls=_CitcertGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
@click.option(
    "--standards-dir",
    "standards_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="Also look for standards (*.yaml) in DIR. Repeatable; searched before the built-ins.",
)
@click.option(
    "--color/--no-color",
    "color",
    default=None,
    help="Colour the terminal report. Default: only on a terminal, never with NO_COLOR set.",
)
@conventions.verbosity_options
@click.pass_context
def cli(ctx: click.Context, standards_dirs: tuple[Path, ...], color: bool | None) -> None:
    """
    Audit a Crisis Intervention Team (CIT) program against a best-practice standard.

    \b
    Example:
      citcert template -o program.xlsx      # make the evidence workbook
      citcert validate program.xlsx         # check it once filled in
      citcert audit program.xlsx -o report  # score it and write the reports
    """
    import os

    from citcert.app.config import resolve

    settings = ctx.ensure_object(dict)
    settings["standards_dirs"] = standards_dirs
    if color is not None:
        settings["color"] = color
    # The configuration file is read here, before any command reads or writes anything.
    settings["config"] = resolve(
        cwd=Path.cwd(), environ=os.environ, flag_dirs=standards_dirs, flag_color=color
    )


def configured(ctx: click.Context) -> Settings:
    """The settings in force (flags, environment, ``citcert.toml``, defaults), with sources."""
    obj = ctx.find_root().ensure_object(dict)
    if "config" not in obj:  # a context made without the group's callback (tests)
        import os

        from citcert.app.config import resolve

        obj["config"] = resolve(
            cwd=Path.cwd(),
            environ=os.environ,
            flag_dirs=obj.get("standards_dirs", ()),
            flag_color=obj.get("color"),
        )
    settings: Settings = obj["config"]
    return settings


def _dirs(ctx: click.Context) -> tuple[Path, ...]:
    """
    The standards folders in search order: ``--standards-dir``, ``CITCERT_STANDARDS_PATH``, then
    the configuration file's ``standards_dirs``.
    """
    return tuple(s.value for s in configured(ctx).standards_dirs)


def _store(ctx: click.Context) -> StandardsStore:
    """
    The command's one standards store: the folders of `_dirs` (flag, environment, configuration
    file, in that order) and the environment's cache settings; built on first use.
    """
    from citcert.app.settings import standards_store

    obj = ctx.find_root().ensure_object(dict)
    if "standards_store" not in obj:
        obj["standards_store"] = standards_store(_dirs(ctx))
    store: StandardsStore = obj["standards_store"]
    return store


def _standard(ctx: click.Context, ref: str | None, overlay: Path | None) -> Standard:
    """
    Resolve the standard a command works on, honouring the group's ``--standards-dir`` options.

    `ref` is ``id`` or ``id@version`` (None: the default standard); `overlay` is an overlay file
    applied on top of it.
    """
    from citcert.standards import find_standard

    return find_standard(ref, overlay=overlay, store=_store(ctx))


def _choice(ctx: click.Context, ref: str | None, overlay: Path | None) -> StandardChoice:
    """The standard a command was told to use: ``--standard``, ``--overlay``, the folders."""
    from citcert.app.workbook import StandardChoice

    return StandardChoice(ref, overlay, _store(ctx))


def overlay_and_mode(mode_default: str) -> Callable[[F], F]:
    """
    The ``--overlay FILE`` and ``--mode self|review`` options of the commands that audit.

    `mode_default` ends the mode's help: where the mode comes from when the option is not given.
    """
    overlay = click.option(
        "--overlay",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Apply this overlay file (e.g. a state's tailoring) on top of the standard.",
    )
    mode = click.option(
        "--mode",
        type=click.Choice(["self", "review"]),
        help=f"Whose ratings count: the program's own or the reviewer's. Default: {mode_default}",
    )

    def decorate(command: F) -> F:
        return overlay(mode(command))

    return decorate


def format_choice(*choices: str, help: str | None = None) -> Callable[[F], F]:
    """A ``--format`` naming one of `choices` (the first is the default), passed as `fmt`."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=help,
    )


def report_formats(help: str) -> Callable[[F], F]:
    """A ``--format LIST`` of report formats (comma-separated, repeatable) passed as `formats`."""
    return click.option(
        "--format", "formats", multiple=True, metavar="LIST", callback=_parse_formats, help=help
    )


def fail_below_option(help: str, *, multiple: bool = False) -> Callable[[F], F]:
    """
    ``--fail-below LEVEL``: a decision level's id or label (`app.workbook.fail_level`); with
    `multiple`, given once per standard (``batch``).
    """
    return click.option("--fail-below", metavar="LEVEL", multiple=multiple, help=help)


OUTPUT_FILE = click.Path(readable=False, path_type=Path)
"""
The type of a ``-o FILE`` option: any path, left to `refuse_output`, which says in one line what
is wrong with it (a folder, a link, a device). click's own checks would say it in a usage error,
and its `readable` one made ``-o /dev/stdout`` "not readable".
"""


def force_option(command: F) -> F:
    """``--force``: the one way to let `refuse_output` replace an existing output file."""
    option = click.option("--force", is_flag=True, help="Replace the output file if it exists.")
    return option(command)


def refuse_output(output: Path | None, force: bool, inputs: tuple[Path, ...] = ()) -> None:
    """
    Hold a ``-o FILE`` to the rule every single-file output keeps (`citcert._files.check_output`),
    before anything is read or written: an existing file only with `force`, and never what is not
    a regular file (a link, a named pipe, a device), nor one of the `inputs`. A located error
    (exit status 2) otherwise; ``-`` (standard output) and no ``-o`` at all pass.
    """
    from citcert._files import check_output

    if output is not None and str(output) != "-":
        check_output(output, replace=force, inputs=inputs)


def _parse_formats(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[Format, ...] | None:
    """``--format`` as a comma-separated list, repeatable: ``terminal,json,md``."""
    names = [n.strip().lower() for v in values for n in v.split(",") if n.strip()]
    if not names:
        return None
    known = [f.value for f in Format]
    bad = [n for n in names if n not in known]
    if bad:
        raise click.BadParameter(f"unknown format {', '.join(bad)}; use {', '.join(known)}")
    return tuple(dict.fromkeys(Format(n) for n in names))
