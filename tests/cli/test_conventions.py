"""
The conventions of the command line: colour, -q/-v, a crash told from a verdict, help that fits
80 columns, and shell completion.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from citcert.cli import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "brennan-county.xlsx"
ANSI = "\x1b["


def _audit(*group: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(cli, [*group, "audit", str(EXAMPLE)], env=env, color=True)
    assert result.exit_code == 0, result.output
    return result.stdout


class TestColour:
    """The terminal report is coloured unless NO_COLOR, TERM=dumb or --no-color says not."""

    def test_coloured_by_default_on_a_terminal(self) -> None:
        assert ANSI in _audit(env={"NO_COLOR": "", "TERM": "xterm"})

    @pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb", "NO_COLOR": ""}])
    def test_the_environment_turns_it_off(self, env: dict[str, str]) -> None:
        assert ANSI not in _audit(env=env)

    def test_no_color_turns_it_off(self) -> None:
        assert ANSI not in _audit("--no-color", env={"NO_COLOR": "", "TERM": "xterm"})

    def test_color_wins_over_the_environment_and_a_pipe(self) -> None:
        """--color keeps the codes even through a pipe (CliRunner's stdout is not a tty)."""
        result = CliRunner().invoke(
            cli, ["--color", "audit", str(EXAMPLE)], env={"NO_COLOR": "1"}, color=False
        )
        assert ANSI in result.stdout

    def test_the_summary_asked_for_with_dash_o_is_plain_in_a_pipe(self) -> None:
        """`-o - --format terminal | cat` printed colour codes a pipe does not read."""
        args = ["audit", str(EXAMPLE), "-o", "-", "--format", "terminal"]
        env = {"NO_COLOR": "", "TERM": "xterm"}
        piped = CliRunner().invoke(cli, args, env=env, color=False)
        coloured = CliRunner().invoke(cli, args, env=env, color=True)

        assert piped.exit_code == coloured.exit_code == 0
        assert ANSI not in piped.stdout and "Brennan County" in piped.stdout
        assert ANSI in coloured.stdout

    def test_batch_progress_is_not_drawn_on_a_dumb_terminal(self) -> None:
        from citcert.cli.batch import _draws_progress

        with click.Context(cli, obj={}) as ctx:
            os.environ["TERM"] = "dumb"
            try:
                assert not _draws_progress(ctx)
            finally:
                os.environ.pop("TERM")


class TestQuietAndVerbose:
    """Every command takes -q and -v; --quiet silences notes, never results."""

    def _commands(self) -> list[list[str]]:
        found = []
        for name, command in cli.commands.items():
            if isinstance(command, click.Group):
                found += [[name, sub] for sub in command.commands]
            found.append([name])
        return found

    def test_every_command_accepts_them(self) -> None:
        for path in self._commands():
            help_text = CliRunner().invoke(cli, [*path, "--help"]).stdout
            assert "-q, --quiet" in help_text and "-v, --verbose" in help_text, path

    def test_quiet_silences_notes_not_results(self, tmp_path: Path) -> None:
        out = tmp_path / "progress.md"
        result = CliRunner().invoke(
            cli, ["compare", str(EXAMPLE), str(EXAMPLE), "--format", "md", "-o", str(out), "-q"]
        )
        assert result.exit_code == 0 and result.stderr == "" and result.stdout == ""
        assert out.read_text(encoding="utf-8").startswith("#")


class TestCrash:
    """A bug exits 70 with a request for a report, its traceback only when asked for."""

    @pytest.fixture(autouse=True)
    def broken(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import citcert.standards.catalog as catalog

        def fail(*args: object) -> None:
            raise RuntimeError("a bug in the catalogue")

        monkeypatch.setattr(catalog, "catalogue", fail)
        monkeypatch.delenv("CITCERT_DEBUG", raising=False)

    def test_a_bug_has_its_own_exit_status_and_no_traceback(self) -> None:
        result = CliRunner().invoke(cli, ["standards", "list"])

        assert result.exit_code == 70
        assert "Internal error: citcert" in result.stderr
        assert "RuntimeError: a bug in the catalogue" in result.stderr
        assert "report it" in result.stderr
        assert "Traceback" not in result.stderr

    @pytest.mark.parametrize(
        ("args", "env"),
        [(["-v", "standards", "list"], {}), (["standards", "list"], {"CITCERT_DEBUG": "1"})],
    )
    def test_verbose_or_citcert_debug_show_the_traceback(
        self, args: list[str], env: dict[str, str]
    ) -> None:
        result = CliRunner().invoke(cli, args, env=env)

        assert result.exit_code == 70
        assert "Traceback (most recent call last)" in result.stderr

    def test_a_verdict_and_bad_input_keep_their_codes(self, tmp_path: Path) -> None:
        (tmp_path / "x.xlsx").write_bytes(b"junk")
        assert CliRunner().invoke(cli, ["audit", str(tmp_path / "x.xlsx")]).exit_code == 2


def _all_help() -> dict[str, str]:
    texts = {}
    paths: list[list[str]] = [[]]
    for name, command in cli.commands.items():
        paths.append([name])
        if isinstance(command, click.Group):
            paths += [[name, sub] for sub in command.commands]
    for path in paths:
        result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=80)
        assert result.exit_code == 0, path
        texts[" ".join(path) or "citcert"] = result.stdout
    return texts


def test_every_help_fits_80_columns() -> None:
    too_long = [
        f"{name}: {line}"
        for name, text in _all_help().items()
        for line in text.splitlines()
        if len(line) > 80
    ]
    assert too_long == []


def test_every_standard_a_help_example_names_is_one_citcert_has() -> None:
    """Examples are copied as they are: `--to cit-best-practice@2025.1` failed on paste."""
    import re

    from citcert.standards.catalog import catalogue

    known = {(entry.id, entry.version) for entry, _ in catalogue().rows}
    named = {
        (name, match.group(1), match.group(2))
        for name, text in _all_help().items()
        for match in re.finditer(r"\b([a-z][a-z0-9-]+)@(\d[\w.]*)", text)
    }
    assert named, "no example names a standard: the pattern is stale"
    assert [n for n in named if (n[1], n[2]) not in known] == []


def test_shell_completion_is_documented_and_works() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "_CITCERT_COMPLETE=bash_source citcert" in readme
    script = Path(sys.executable).parent / "citcert"
    env = {**os.environ, "_CITCERT_COMPLETE": "bash_source"}
    done = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert "_citcert_completion" in done.stdout
