"""
`citcert standards …`: list, show, validate, compare and describe standards and overlays.

These commands work on the standards themselves, never on a program's workbook; each names a
standard by ``id[@version]`` or by the path of its file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from citcert._text import one_line
from citcert.cli.app import OUTPUT_FILE, _store, cli, force_option, format_choice, refuse_output
from citcert.cli.conventions import common, echo

if TYPE_CHECKING:
    from citcert.standards.model import Standard


def _standard_or_file(ctx: click.Context, ref: str) -> Standard:
    """A standard named by ``id[@version]``, or by the path of a standard or overlay file."""
    from citcert.standards import find_standard, load_file

    if ref.endswith((".yaml", ".yml")) or Path(ref).is_file():
        return load_file(Path(ref), store=_store(ctx))
    return find_standard(ref, store=_store(ctx))


@cli.group()
@common
def standards() -> None:
    """
    List, show, validate and compare standards and overlays.

    \b
    Example:
      citcert standards list
      citcert standards show cit-best-practice
      citcert standards validate my-state-overlay.yaml
    """


@standards.command("list")
@common
@format_choice("text", "json")
@click.pass_context
def standards_list(ctx: click.Context, fmt: str) -> None:
    """
    List the standards citcert can find.

    The built-in standards, and those in --standards-dir folders and CITCERT_STANDARDS_PATH.

    \b
    Example:
      citcert standards list
      citcert --standards-dir my-standards standards list --format json
    """
    from citcert.standards.catalog import catalogue, listing, listing_json

    found = catalogue(_store(ctx))
    echo(listing_json(found) if fmt == "json" else listing(found), nl=False)


@standards.command("show")
@common
@click.argument("ref", metavar="ID[@VERSION]|FILE")
@format_choice("text", "json", "yaml")
@click.pass_context
def standards_show(ctx: click.Context, ref: str, fmt: str) -> None:
    """
    Show one standard as a readable outline.

    Domains, requirements (core marked), metrics and thresholds, decision rules, and sources
    with how well each is verified. An overlay file is shown resolved, with every change it
    makes to its base and the reason given for each weakening.

    \b
    Example:
      citcert standards show cit-best-practice@2019.1
      citcert standards show my-state-overlay.yaml --format yaml
    """
    from citcert.standards.outline import as_json, as_yaml, outline

    standard = _standard_or_file(ctx, ref)
    render = {"json": as_json, "yaml": as_yaml}.get(fmt, outline)
    echo(render(standard), nl=False)


@standards.command("validate")
@common
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.pass_context
def standards_validate(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """
    Check standard and overlay files for problems.

    Every problem is reported with its line and column. Exit status 0 when every file is
    valid, 2 otherwise.

    \b
    Example:
      citcert standards validate standards/*.yaml examples/overlays/*.yaml
    """
    from citcert.standards.loader import validate_files

    valid, error = validate_files(files, store=_store(ctx))
    for path, standard in valid:
        echo(f"{one_line(str(path))}: valid ({standard.ref})")
    if error is not None:
        raise error


@standards.command("lint")
@common
@click.argument("refs", nargs=-1, metavar="[ID[@VERSION]|FILE]...")
@click.option("--strict", is_flag=True, help="Exit with status 1 when there is any warning.")
@click.pass_context
def standards_lint(ctx: click.Context, refs: tuple[str, ...], strict: bool) -> None:
    """
    Warn of what a standard leaves unsaid about where its rules come from.

    A requirement without a source, a source still unverified, a metric whose thresholds
    state no origin, a core requirement without a reason. With no argument, every standard
    found (built-in and --standards-dir) is checked. Exit status 0 (1 with --strict when there
    are warnings), 2 for a standard that cannot be loaded.

    \b
    Example:
      citcert standards lint
      citcert standards lint cit-best-practice@2019.2 --strict
    """
    from citcert.standards.catalog import catalogue
    from citcert.standards.lint import lint

    chosen = refs or tuple(entry.ref for entry, _ in catalogue(_store(ctx)).rows)
    total = 0
    for ref in chosen:
        standard = _standard_or_file(ctx, ref)
        warnings = lint(standard)
        total += len(warnings)
        count = f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
        echo(f"{standard.ref}: {count}")
        for warning in warnings:
            echo(f"  {one_line(str(warning))}")
    if strict and total:
        ctx.exit(1)


@standards.command("diff")
@common
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@format_choice("text", "json")
@click.pass_context
def standards_diff(ctx: click.Context, old: str, new: str, fmt: str) -> None:
    """
    Show what changed between two standards.

    OLD and NEW are each an ID[@VERSION] or a file. Requirements are matched by id and, where
    one supersedes the other (also through versions between), through its `replaces:` lists;
    an overlay compared with its base shows exactly the overlay's changes.

    \b
    Example:
      citcert standards diff cit-core-elements@2007.1 cit-best-practice@2019.1
      citcert standards diff cit-best-practice my-state-overlay.yaml
    """
    from citcert.standards import find_standard
    from citcert.standards.diff import diff, render_text

    def named(ref: str) -> Standard:
        return find_standard(ref, store=_store(ctx))

    result = diff(_standard_or_file(ctx, old), _standard_or_file(ctx, new), named)
    if fmt == "json":
        echo(result.model_dump_json(indent=2), nl=True)
    else:
        echo(render_text(result), nl=False)


@standards.command("schema")
@common
@click.option(
    "-o",
    "--output",
    type=OUTPUT_FILE,
    default="-",
    show_default=True,
    help="Write the schema to this file ('-' is standard output).",
)
@force_option
def standards_schema(output: Path, force: bool) -> None:
    """
    Print the JSON Schema of the standard file format.

    It covers standards and overlays; point an editor at it for completion and checks.

    \b
    Example:
      citcert standards schema -o citcert-standard.schema.json
    """
    from citcert._files import write_atomic
    from citcert.app.schemas import schema_bytes

    refuse_output(output, force)
    write_atomic(output, schema_bytes("standard"), replace=force)
