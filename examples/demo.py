"""
What `make demo` runs: citcert's real commands on the example workbooks, as a person types them.

Each step calls `citcert.cli.main` with the arguments shown after ``$``; add a step by adding a
`run(...)` line to `demo`.
"""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

from citcert.cli import main

EXAMPLES = Path(__file__).resolve().parent
COUNTY = EXAMPLES / "brennan-county.xlsx"
"""A mid-sized county program with real gaps: the report has something to say."""
OUTPUT = Path("demo-output")
"""Where the demo's audit writes its reports, beside wherever `make demo` runs."""


def _shown(path: Path) -> str:
    """A path as a person would type it from the current folder."""
    return os.path.relpath(path)


def run(*args: str) -> None:
    """Print the command, then run it; stop the demo if it fails."""
    print(f"\n$ citcert {' '.join(args)}", flush=True)
    try:
        main(list(args))
    except SystemExit as done:
        if done.code not in (0, None):
            raise


def demo() -> None:
    """The steps of the demo, in order."""
    run("standards", "list")
    run("validate", _shown(COUNTY))
    run("audit", _shown(COUNTY), "-o", str(OUTPUT), "--format", "terminal,json,md,pdf,xlsx")
    print(f"\nThe reports (PDF, XLSX, JSON, Markdown) are in {OUTPUT.resolve()}")
    print(how_to_run())


def how_to_run() -> str:
    """The demo's last lines: how to type `citcert` yourself, from the environment it ran in."""
    scripts = _shown(Path(sysconfig.get_path("scripts")))
    return (
        "\nTo run citcert yourself, activate its environment (once per terminal window):\n"
        f"  source {scripts}/activate\n"
        "  citcert --help\n"
        f"or type its full path: {scripts}/citcert --help"
    )


if __name__ == "__main__":
    demo()
