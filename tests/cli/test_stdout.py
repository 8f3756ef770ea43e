"""
A standard output that refuses what citcert prints: a full disk is the user's to fix, one line
and exit status 2, never a crash (70); a reader that stopped reading (``| head -1``) ends the
command quietly.

Each case runs citcert in a fresh process with a real standard output: /dev/full, which
refuses every byte with "No space left on device", or a pipe whose reader has already gone.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

EXAMPLE = Path(__file__).parents[2] / "examples" / "brennan-county.xlsx"
FULL = Path("/dev/full")

RUNS = {
    "python -m citcert": [sys.executable, "-m", "citcert"],
    "the citcert script": [str(Path(sys.executable).parent / "citcert")],
}
"""The two ways in: `citcert.cli.main`, and the console entry that skips Python's teardown."""

COMMANDS = {
    "standards list": ["standards", "list"],  # printed through `conventions.echo`
    "audit -o -": ["audit", str(EXAMPLE), "-o", "-", "--format", "json"],  # `write_atomic("-")`
}
BEFORE_ANY_COMMAND = {"--help": ["--help"], "--version": ["--version"]}
"""Printed by click itself while it reads the options: `citcert.cli.main` holds them to the
rule of a full disk. A reader that left gets click's own quiet exit there (status 1)."""


def _run(
    way: str, args: list[str], stdout: int | None, cwd: Path, **extra: Any
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CITCERT_CACHE_DIR": str(cwd / "cache")}
    env.pop("CITCERT_STANDARDS_PATH", None)
    return subprocess.run(
        [*RUNS[way], *args],
        cwd=cwd,
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
        **extra,
    )


@pytest.mark.parametrize("command", sorted({**COMMANDS, **BEFORE_ANY_COMMAND}))
@pytest.mark.parametrize("way", sorted(RUNS))
def test_a_full_standard_output_is_one_line_and_exit_status_2(
    tmp_path: Path, way: str, command: str
) -> None:
    if not FULL.exists():
        reason = f"{FULL} does not exist on this system, so standard output cannot be made full"
        print(reason)
        pytest.skip(reason)
    reason = os.strerror(errno.ENOSPC)
    args = {**COMMANDS, **BEFORE_ANY_COMMAND}[command]

    with FULL.open("wb") as full:
        done = _run(way, args, full.fileno(), tmp_path)

    assert done.returncode == 2, done.stderr
    expected = reason[:1].lower() + reason[1:]
    assert done.stderr == f"Error: could not write to standard output: {expected}\n"


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("way", sorted(RUNS))
def test_a_reader_that_left_ends_the_command_quietly(
    tmp_path: Path, way: str, command: str
) -> None:
    """The reader is gone before the first byte: as when ``| head -1`` took its line and left."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = _run(way, COMMANDS[command], writer, tmp_path)
    finally:
        os.close(writer)

    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


@pytest.mark.parametrize("command", sorted({**COMMANDS, **BEFORE_ANY_COMMAND}))
@pytest.mark.parametrize("way", sorted(RUNS))
def test_a_standard_output_closed_before_the_start(tmp_path: Path, way: str, command: str) -> None:
    """
    Started with standard output closed (``citcert … >&-``): a file meant for it (``-o -``)
    would be lost, so that is one line on stderr and exit status 2; what is only said (a
    listing, the help) is dropped as Python's own print drops it. Never a traceback.
    """
    args = {**COMMANDS, **BEFORE_ANY_COMMAND}[command]

    # The child closes its standard output before citcert starts.
    done = _run(way, args, None, tmp_path, preexec_fn=lambda: os.close(1))

    if "-o" in args:
        assert done.returncode == 2, done.stderr
        assert done.stderr == "Error: could not write to standard output: it is closed\n"
    else:
        assert (done.returncode, done.stderr) == (0, "")


class TestTheFileAloneOnStandardOutput:
    """With ``-o -`` standard output carries the file, byte for byte; what was done, stderr."""

    def _both(self, tmp_path: Path, args: list[str]) -> tuple[bytes, bytes, str]:
        """The bytes the command writes to a file, then to standard output (and its stderr)."""
        from click.testing import CliRunner

        from citcert.cli import cli

        runner = CliRunner()
        to_file = runner.invoke(cli, [*args, "-o", str(tmp_path / "out.bin")])
        assert to_file.exit_code == 0, to_file.output
        to_stdout = runner.invoke(cli, [*args, "-o", "-"])
        assert to_stdout.exit_code == 0, to_stdout.output
        return (tmp_path / "out.bin").read_bytes(), to_stdout.stdout_bytes, to_stdout.stderr

    def test_review_start(self, tmp_path: Path) -> None:
        written, printed, said = self._both(
            tmp_path, ["review", "start", str(EXAMPLE), "--reviewer", "Ada Morgan"]
        )
        assert printed == written
        assert said == "Reviewer's workbook written to standard output. Fill in the Review sheet.\n"

    def test_migrate(self, tmp_path: Path) -> None:
        written, printed, said = self._both(
            tmp_path, ["migrate", str(EXAMPLE), "--to", "cit-best-practice@2019.2"]
        )
        assert printed == written
        assert said.startswith("Wrote standard output. Moved from cit-best-practice@2019.1 to ")

    def test_compare(self, tmp_path: Path) -> None:
        written, printed, said = self._both(
            tmp_path, ["compare", str(EXAMPLE), str(EXAMPLE), "--format", "json"]
        )
        assert printed == written
        assert said == "Comparison written to standard output\n"

    def test_reconcile_refuses_it_for_its_agreement_report_goes_there(self, tmp_path: Path) -> None:
        from click.testing import CliRunner

        from citcert.cli import cli

        result = CliRunner().invoke(
            cli, ["review", "reconcile", str(EXAMPLE), str(EXAMPLE), "-o", "-"]
        )
        assert result.exit_code == 2
        assert (
            "Invalid value for '-o': standard output carries the agreement report; write the "
            "consensus workbook to a file"
        ) in result.stderr
