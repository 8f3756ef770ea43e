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

from citcert.errors import CitcertError, ExitCode
from citcert.export import Format

if TYPE_CHECKING:
    from citcert.audit.assessment import Assessment
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

    return find_standard(ref, overlay=overlay, dirs=_dirs(ctx))


# ── audit and schema ───────────────────────────────────────────────────────────────────────


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


def _audit_formats(
    formats: tuple[Format, ...] | None, outdir: Path | None
) -> tuple[tuple[Format, ...], Path]:
    """The formats to write (terminal only, or every format with -o) and where files go."""
    if formats is None:
        formats = (Format.TERMINAL,) if outdir is None else tuple(Format)
    return formats, outdir or Path(".")


def _check_level(ctx: click.Context, standard: Standard, level: str | None) -> str | None:
    """The id of the level --fail-below names (id or label); a usage error when it names none."""
    from citcert.audit.decision import level_named

    try:
        return None if level is None else level_named(standard, level)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx=ctx, param_hint="'--fail-below'") from None


def _write_reports(assessment: Assessment, formats: tuple[Format, ...], outdir: Path) -> str:
    """Render every format first, then write the files atomically; the terminal text back."""
    from citcert._files import write_atomic
    from citcert.export import SUFFIX, render, report_stem

    rendered = {fmt: render(assessment, fmt) for fmt in formats}
    names = []
    for fmt, data in rendered.items():
        if fmt is not Format.TERMINAL:
            names.append(f"{report_stem(assessment)}.{SUFFIX[fmt]}")
            write_atomic(outdir / names[-1], data)
    terminal = rendered.get(Format.TERMINAL, b"").decode("utf-8")
    if names:
        terminal += f"\nReports written to {outdir}: {', '.join(names)}\n"
    return terminal


@cli.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--standard",
    "ref",
    metavar="ID[@VERSION]",
    help="Audit against this standard. Default: the one recorded in the workbook.",
)
@click.option(
    "--overlay",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Apply this overlay file (e.g. a state's tailoring) on top of the standard.",
)
@click.option(
    "--mode",
    type=click.Choice(["self", "review"]),
    help="Whose ratings count: the program's own or the reviewer's. Default: from the workbook.",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Judge dates as of this day. Default: the workbook's assessment date.",
)
@click.option(
    "-o",
    "--output-dir",
    "outdir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the report files into this folder (created if needed), named after the program.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="LIST",
    callback=_parse_formats,
    help="Comma-separated, from terminal,json,md,pdf,xlsx. Default: terminal; all with -o.",
)
@click.option(
    "--fail-below",
    metavar="LEVEL",
    help="Exit with status 1 when the decision is below LEVEL, a level's id or label (certified).",
)
@click.pass_context
def audit(
    ctx: click.Context,
    workbook: Path,
    ref: str | None,
    overlay: Path | None,
    mode: str | None,
    as_of: dt.datetime | None,
    outdir: Path | None,
    formats: tuple[Format, ...] | None,
    fail_below: str | None,
) -> None:
    """
    Score a WORKBOOK and write its reports.

    Says where the program stands against the standard, why, and what to do next. Prints the
    decision, a score bar per domain, the core gaps and the first remediation steps;
    with -o, also writes the reports (PDF, XLSX, JSON, Markdown) into the folder. Exit status is
    0 whatever the decision, 1 with --fail-below when the decision is below that level, 2 for
    bad input.

    \b
    Example:
      citcert audit program.xlsx
      citcert audit program.xlsx -o reports --format pdf,md --fail-below conditional
    """
    from citcert.audit.decision import is_below
    from citcert.audit.evidence import Mode
    from citcert.audit.scoring import assess
    from citcert.audit.workbook import read_standard_ref, read_workbook

    chosen, folder = _audit_formats(formats, outdir)
    standard = _standard(ctx, ref or (None if overlay else read_standard_ref(workbook)), overlay)
    required = _check_level(ctx, standard, fail_below)
    evidence = read_workbook(workbook, standard, today=dt.date.today())
    assessment = assess(
        standard,
        evidence,
        as_of=as_of.date() if as_of else None,
        mode=Mode(mode) if mode else None,
    )
    click.echo(_write_reports(assessment, chosen, folder), nl=False)
    if required and is_below(standard.scoring, assessment.decision.level_id, required):
        click.echo(f"{assessment.decision.label} is below {fail_below} (--fail-below).", err=True)
        ctx.exit(ExitCode.BELOW_LEVEL)


@cli.command()
@click.argument("what", type=click.Choice(["assessment", "standard"]))
def schema(what: str) -> None:
    """
    Print a JSON Schema (assessment or standard).

    `assessment` describes the JSON report of `citcert audit`; `standard` describes standard
    and overlay YAML files. Use them to validate files in CI or for completion in an editor.

    \b
    Example:
      citcert schema assessment > assessment.schema.json
    """
    from citcert.export.json import dumps, json_schema
    from citcert.standards import schema as standard_schema

    match what:
        case "assessment":
            data = json_schema()
        case _:
            data = standard_schema.json_schema()
    click.echo(dumps(data).decode("utf-8"), nl=False)


# ── standards ──────────────────────────────────────────────────────────────────────────────


def _dirs(ctx: click.Context) -> tuple[Path, ...]:
    """The group's ``--standards-dir`` folders."""
    obj = ctx.find_root().obj or {}
    dirs: tuple[Path, ...] = obj.get("standards_dirs", ())
    return dirs


def _standard_or_file(ctx: click.Context, ref: str) -> Standard:
    """A standard named by ``id[@version]``, or by the path of a standard or overlay file."""
    from citcert.standards import find_standard, load_file

    if ref.endswith((".yaml", ".yml")) or Path(ref).is_file():
        return load_file(Path(ref), dirs=_dirs(ctx))
    return find_standard(ref, dirs=_dirs(ctx))


@cli.group()
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
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
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
    from citcert.standards.outline import listing, listing_json
    from citcert.standards.registry import list_standards

    items = list_standards(_dirs(ctx))
    click.echo(listing_json(items) if fmt == "json" else listing(items), nl=False)


@standards.command("show")
@click.argument("ref", metavar="ID[@VERSION]|FILE")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "yaml"]),
    default="text",
    show_default=True,
)
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
      citcert standards show examples/overlays/northfield-state-2024.yaml --format yaml
    """
    from citcert.standards.outline import as_json, as_yaml, outline

    standard = _standard_or_file(ctx, ref)
    render = {"json": as_json, "yaml": as_yaml}.get(fmt, outline)
    click.echo(render(standard), nl=False)


@standards.command("validate")
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

    valid, error = validate_files(files, dirs=_dirs(ctx))
    for path, standard in valid:
        click.echo(f"{path}: valid ({standard.ref})")
    if error is not None:
        raise error


@standards.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def standards_diff(ctx: click.Context, old: str, new: str, fmt: str) -> None:
    """
    Show what changed between two standards.

    OLD and NEW are each an ID[@VERSION] or a file. Requirements are matched by id and, where
    one supersedes the other, through its `replaces:` lists; an overlay compared with its base
    shows exactly the overlay's changes.

    \b
    Example:
      citcert standards diff cit-core-elements@2007.1 cit-best-practice@2019.1
      citcert standards diff cit-best-practice examples/overlays/northfield-state-2024.yaml
    """
    from citcert.standards.diff import diff, render_text

    result = diff(_standard_or_file(ctx, old), _standard_or_file(ctx, new))
    if fmt == "json":
        click.echo(result.model_dump_json(indent=2), nl=True)
    else:
        click.echo(render_text(result), nl=False)


@standards.command("schema")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default="-",
    show_default=True,
    help="Write the schema to this file ('-' is standard output).",
)
def standards_schema(output: Path) -> None:
    """
    Print the JSON Schema of the standard file format.

    It covers standards and overlays; point an editor at it for completion and checks.

    \b
    Example:
      citcert standards schema -o citcert-standard.schema.json
    """
    from citcert._files import write_atomic
    from citcert.standards.schema import render_schema

    write_atomic(output, render_schema())


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


# ── batch and compare ──────────────────────────────────────────────────────────────────────


class _BatchProgress:
    """Draws a batch run's progress on one line of `stream`, only when it is a terminal."""

    def __init__(self, stream: Any) -> None:
        import time

        self.stream, self.clock = stream, time.monotonic
        self.start = self.clock()
        isatty = getattr(stream, "isatty", None)
        self.active = bool(isatty and isatty())

    def __call__(self, event: object) -> None:
        from citcert.audit.batch import BatchStarted, RollupWriting, WorkbookFinished

        if not self.active:
            return
        if isinstance(event, BatchStarted):
            self._draw(f"0/{event.total} starting")
        elif isinstance(event, WorkbookFinished):
            spent = self.clock() - self.start
            left = spent / event.done * (event.total - event.done)
            line = f"{event.done}/{event.total} {event.file}  elapsed {_clock(spent)}"
            self._draw(f"{line}  remaining ~{_clock(left)}")
        elif isinstance(event, RollupWriting):
            self._draw("")

    def _draw(self, text: str) -> None:
        import shutil

        width = shutil.get_terminal_size().columns - 1
        self.stream.write("\r" + text[:width].ljust(width) + ("\r" if not text else ""))
        self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


def _batch_formats(formats: tuple[Format, ...] | None) -> tuple[Format, ...]:
    """The per-program formats: the default set, or the chosen ones (terminal is for screens)."""
    from citcert.audit.batch import DEFAULT_FORMATS

    if formats and Format.TERMINAL in formats:
        raise click.BadParameter("terminal is for the screen; choose from json, md, pdf, xlsx")
    return formats or DEFAULT_FORMATS


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-o",
    "--output-dir",
    "outdir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the reports: one sub-folder per program, and summary.* for the state.",
)
@click.option(
    "--standard",
    "ref",
    metavar="ID[@VERSION]",
    help="Audit every workbook against this standard. Default: the one each workbook records.",
)
@click.option(
    "--overlay",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Apply this overlay file (e.g. the state's tailoring) on top of the standard.",
)
@click.option(
    "--mode",
    type=click.Choice(["self", "review"]),
    help="Whose ratings count. Default: what each workbook says.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Audit this many workbooks at once. Default: the number of CPUs. Results do not change.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="LIST",
    callback=_parse_formats,
    help="Each program's reports, comma-separated from json,md,pdf,xlsx. Default: all four.",
)
@click.option(
    "--fail-below",
    metavar="LEVEL",
    help="Exit with status 1 when any program's decision is below LEVEL (e.g. certified).",
)
@click.pass_context
def batch(
    ctx: click.Context,
    paths: tuple[str, ...],
    outdir: Path,
    ref: str | None,
    overlay: Path | None,
    mode: str | None,
    jobs: int | None,
    formats: tuple[Format, ...] | None,
    fail_below: str | None,
) -> None:
    """
    Audit every workbook in PATH (folders, files or glob patterns) and write a state roll-up.

    Each program's reports go to OUTDIR/<program>/; OUTDIR/summary.xlsx, .csv, .json and .pdf
    list every workbook and how many programs meet each requirement. A workbook that cannot be
    audited is listed with the reason and the run goes on. Exit status: 0 when every workbook
    was audited; 2 when any could not be (after writing everything else); 1 with --fail-below
    when any program is below LEVEL and none failed.

    \b
    Example:
      citcert batch state-2025/ -o state-2025-reports
      citcert batch 'counties/*.xlsx' -o reports --format pdf,json --jobs 4
    """
    import sys

    from citcert.audit.batch import run_batch
    from citcert.audit.evidence import Mode

    result = run_batch(
        paths,
        outdir=outdir,
        today=dt.date.today(),
        standard_ref=ref,
        overlay=overlay,
        dirs=(ctx.find_root().obj or {}).get("standards_dirs", ()),
        mode=Mode(mode) if mode else None,
        formats=_batch_formats(formats),
        fail_below=fail_below,
        jobs=jobs,
        progress=_BatchProgress(sys.stderr),
    )
    for row in result.rollup.rows:
        if row.errors:
            click.echo("\n  ".join([f"Could not audit {row.file}:", *row.errors]), err=True)
    for name in result.below:
        click.echo(f"{name}: the decision is below {fail_below} (--fail-below).", err=True)
    click.echo(f"{result.rollup.summary} Roll-up: {outdir / 'summary'}.xlsx (.csv, .json, .pdf).")
    ctx.exit(result.exit_code)


@cli.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["terminal", "md", "json"]),
    default="terminal",
    show_default=True,
    help="How to show the changes.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of the screen.",
)
@click.pass_context
def compare(ctx: click.Context, old: Path, new: Path, fmt: str, output: Path | None) -> None:
    """
    Show what changed between two audits of a program: OLD first, NEW second.

    OLD and NEW are audit JSON reports (citcert audit --format json) or filled-in workbooks,
    audited now against the standards they record. Shows the change in decision and scores,
    gaps closed and opened, ratings changed and remediation steps completed. Audits made
    against different versions of a standard are matched through the newer one's `replaces`.

    \b
    Example:
      citcert compare riverside-2024.json riverside-2025.json
      citcert compare riverside-2024.xlsx riverside-2025.xlsx --format md -o progress.md
    """
    from citcert._files import write_atomic
    from citcert.audit.compare import compare_files
    from citcert.export.comparison import WRITERS

    def standard_for(standard_ref: str) -> Standard:
        return _standard(ctx, standard_ref, None)

    comparison = compare_files(old, new, standard_for=standard_for, today=dt.date.today())
    data = WRITERS[Format(fmt)](comparison)
    if output is not None or fmt != "terminal":  # the terminal view shows them itself
        for warning in comparison.warnings:
            click.echo(f"Warning: {warning}", err=True)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        write_atomic(output, data)
        click.echo(f"Comparison written to {output}")


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line (``argv`` defaults to ``sys.argv[1:]``)."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="citcert")
