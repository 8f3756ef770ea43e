"""`citcert config`: the settings in force and where each came from."""

from __future__ import annotations

import click

from citcert._text import one_line
from citcert.cli.app import cli, configured, format_choice
from citcert.cli.conventions import common, echo


@cli.command("config")
@common
@format_choice("text", "json", help="json: each setting with its value and source, for scripts.")
@click.pass_context
def config(ctx: click.Context, fmt: str) -> None:
    """
    Show the settings in force and where each came from.

    A setting comes from a flag, the environment (CITCERT_STANDARDS_PATH, NO_COLOR, TERM=dumb),
    the configuration file citcert.toml (in the working folder, else in the user's config
    folder) with its line, or citcert's default. Flags win over the environment, the
    environment over the file, the file over the defaults.

    \b
    Example:
      citcert config
      citcert config --format json
    """
    settings = configured(ctx)
    data = settings.as_json()
    if fmt == "json":
        import json

        echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    file = data["file"] or "none found (looked for " + ", ".join(data["searched"]) + ")"
    lines = [f"Configuration file: {one_line(file)}", ""]
    rows: list[tuple[str, str, str]] = []
    dirs = data["settings"]["standards_dirs"]
    if not dirs:
        rows.append(("standards_dirs", "(none: built-in standards only)", "default"))
    rows += [("standards_dirs", one_line(item["value"]), item["source"]) for item in dirs]
    for key in ("overlay", "formats", "jobs", "color"):
        item = data["settings"][key]
        rows.append((key, one_line(_shown(key, item["value"])), item["source"]))
    width = max(len(k) for k, _, _ in rows)
    value_width = max(len(v) for _, v, _ in rows)
    lines += [f"{k.ljust(width)}  {v.ljust(value_width)}  ({s})" for k, v, s in rows]
    echo("\n".join(lines))


_DEFAULTS = {
    "overlay": "(none)",
    "formats": "(audit: terminal, all with -o; batch: pdf,xlsx,json,md,html)",
    "jobs": "(the number of CPUs)",
}


def _shown(key: str, value: object) -> str:
    """A setting's value in words."""
    if value is None:
        return _DEFAULTS.get(key, "(none)")
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
