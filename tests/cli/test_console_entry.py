"""
The ``citcert`` script's entry point ends the process without the interpreter's teardown, so it
must still give the same exit status and flush every byte of output that `main` would.

Each case runs `citcert.cli.console` in a fresh process, with standard output a pipe, as a
script or a shell pipeline would read it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parents[2] / "examples" / "lakemont-metro.xlsx"
_ENTRY = (
    "import sys; sys.argv = ['citcert', *sys.argv[1:]]; from citcert.cli import console; console()"
)


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CITCERT_CACHE_DIR": str(cwd / "cache")}
    env.pop("CITCERT_STANDARDS_PATH", None)
    return subprocess.run(
        [sys.executable, "-c", _ENTRY, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_an_audit_writes_its_report_and_exits_0(tmp_path: Path) -> None:
    """The JSON report is complete on disk and the summary line reaches standard output."""
    done = _run("audit", str(EXAMPLE), "--format", "json", "-o", "out", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    (report,) = (tmp_path / "out").glob("*.json")
    assert json.loads(report.read_text(encoding="utf-8"))["decision"]["label"]
    assert "Reports written" in done.stdout


def test_a_long_output_to_a_pipe_arrives_whole(tmp_path: Path) -> None:
    """A standard as JSON (hundreds of kilobytes) is flushed to the pipe in full before exit."""
    done = _run("standards", "show", "cit-best-practice", "--format", "json", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert len(done.stdout) > 100_000
    assert json.loads(done.stdout)["id"] == "cit-best-practice"


def test_an_input_error_keeps_exit_status_2_and_its_message(tmp_path: Path) -> None:
    """A file that is not a workbook: the located message on standard error, exit status 2."""
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")

    done = _run("audit", str(bad), "--format", "json", "-o", "out", cwd=tmp_path)

    assert done.returncode == 2
    assert "notes.xlsx" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_usage_error_keeps_clicks_exit_status(tmp_path: Path) -> None:
    """An unknown option is click's usage error, exit status 2, with its message."""
    done = _run("audit", "--no-such-option", cwd=tmp_path)

    assert done.returncode == 2
    assert "no-such-option" in done.stderr


_PLUGINS_LOOKED_UP = """
import sys
sys.argv = ['citcert', *sys.argv[1:]]
import citcert.cli as entry
ran = entry.main
def main():
    try:
        ran()
    finally:
        from pydantic.plugin import _loader
        print('plugins looked up:', _loader._plugins is not None)
entry.main = main
entry.console()
"""


def _audit_with(env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _PLUGINS_LOOKED_UP, "audit", str(EXAMPLE), "--format", "json"],
        cwd=cwd,
        env={**env, "CITCERT_CACHE_DIR": str(cwd / "cache")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_pydantic_plugins_are_not_looked_up_unless_asked_for(tmp_path: Path) -> None:
    """Looking reads every installed package's metadata; a user who sets the variable decides."""
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}

    assert "plugins looked up: False" in _audit_with(env, tmp_path)
    (tmp_path / "asked").mkdir()
    asked = _audit_with({**env, "PYDANTIC_DISABLE_PLUGINS": ""}, tmp_path / "asked")
    assert "plugins looked up: True" in asked
