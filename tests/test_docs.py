"""
Meta-tests that keep the help, the README and the error messages honest.

Every command's help ends with a working example; the README's command table names every
command, and every ``citcert ...`` line in the README names a real command with real options;
every kind of `CitcertError` reaches the user through the command line as one located message
with exit status 2.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from citcert.app.config import ConfigError
from citcert.cli import cli
from citcert.cli.app import InputError
from citcert.errors import (
    CitcertError,
    OutputError,
    OverlayError,
    StandardFileError,
    StandardMismatchError,
    StandardNotFoundError,
    WorkbookError,
)
from tests.conftest import data

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLE = ROOT / "examples" / "brennan-county.xlsx"


def _commands(
    group: click.Group = cli, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, click.Command]]:
    """Every command below `group`, as ``("standards list", command)``, groups included."""
    for name, command in sorted(group.commands.items()):
        here = (*path, name)
        yield " ".join(here), command
        if isinstance(command, click.Group):
            yield from _commands(command, here)


COMMANDS = dict(_commands())
LEAVES = {name: c for name, c in COMMANDS.items() if not isinstance(c, click.Group)}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_explains_itself_with_an_example(name: str) -> None:
    """Help text with a summary line, then an example that runs this very command."""
    help_text = COMMANDS[name].help or ""
    examples = help_text.partition("Example:")[2].strip().splitlines()

    assert help_text.strip().splitlines()[0].endswith(".")
    assert examples, f"citcert {name} --help has no example"
    runs = [re.sub(r" --standards-dir \S+", "", line.strip()) for line in examples if line.strip()]
    assert all(line.startswith(f"citcert {name}") for line in runs), runs


@pytest.mark.parametrize("name", sorted(LEAVES))
def test_the_readme_command_table_lists_every_command(name: str) -> None:
    """The README's table of commands has a row for each one."""
    assert f"| `citcert {name}" in README


def _readme_command_lines() -> list[str]:
    """Every ``citcert …`` command the README shows in a console block or a table cell."""
    lines = re.findall(r"^\$ (citcert .+)$", README, flags=re.MULTILINE)
    lines += re.findall(r"^\| `(citcert [^`]+)`", README, flags=re.MULTILINE)
    return [line.split(" |")[0].split(" >")[0] for line in lines]


def _resolve(words: list[str]) -> tuple[str, click.Command, list[str]]:
    """The command the words name, and the words after it (the group's options skipped)."""
    command: click.Command = cli
    path: list[str] = []
    rest = list(words)
    while isinstance(command, click.Group) and rest:
        word = rest.pop(0)
        if word == "--standards-dir":
            rest.pop(0)
            continue
        assert word in command.commands, f"`{' '.join(words)}`: no command {word!r}"
        command = command.commands[word]
        path.append(word)
    return " ".join(path), command, rest


@pytest.mark.parametrize("line", _readme_command_lines())
def test_every_readme_command_names_real_options(line: str) -> None:
    """Each ``citcert …`` line in the README names a command and options that exist."""
    name, command, rest = _resolve(shlex.split(line, comments=True)[1:])
    known = {opt for param in command.params for opt in param.opts + param.secondary_opts}
    known |= {"--help", "-h"}

    used = [word.split("=")[0] for word in rest if word.startswith("-") and word != "-"]
    assert set(used) <= known, f"`{line}`: citcert {name} has no {set(used) - known}"


def _error_cases(tmp: Path) -> dict[type[CitcertError], list[str]]:
    """For each kind of error, a command line a person could type that meets it."""
    blocked = tmp / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    older = tmp / "core-elements.xlsx"
    assert (
        CliRunner()
        .invoke(cli, ["template", "--standard", "cit-core-elements@2007.1", "-o", str(older)])
        .exit_code
        == 0
    )
    broken = tmp / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this zip stops here")
    return {
        StandardFileError: [
            "standards",
            "validate",
            str(data("standards", "bad", "custom-tag.yaml")),
        ],
        StandardNotFoundError: ["audit", str(EXAMPLE), "--standard", "cit-best-practise"],
        OverlayError: [
            "standards",
            "show",
            str(data("standards", "overlays", "extends-unknown.yaml")),
        ],
        WorkbookError: ["validate", str(broken)],
        StandardMismatchError: ["audit", str(older), "--standard", "cit-best-practice"],
        OutputError: ["template", "-o", str(blocked / "program.xlsx")],
        ConfigError: ["config"],  # with the bad citcert.toml of `_config_home`
    }


def _config_home(tmp: Path) -> dict[str, str]:
    """The environment of the ConfigError case: a user config folder whose file has a typo."""
    folder = tmp / "xdg" / "citcert"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "citcert.toml").write_text("colour = true\n", encoding="utf-8")
    return {"XDG_CONFIG_HOME": str(tmp / "xdg")}


def _kinds(base: type[CitcertError] = CitcertError) -> set[type[CitcertError]]:
    found = set()
    for kind in base.__subclasses__():
        found |= {kind, *_kinds(kind)}
    return found


@pytest.fixture(scope="module")
def error_cases(tmp_path_factory: pytest.TempPathFactory) -> dict[type[CitcertError], list[str]]:
    """The command lines of `_error_cases`, with their files made once."""
    return _error_cases(tmp_path_factory.mktemp("errors"))


def test_every_kind_of_error_has_a_case(
    error_cases: dict[type[CitcertError], list[str]],
) -> None:
    """A new kind of error needs a case below, so no error goes untried through the CLI."""
    assert set(error_cases) == _kinds()


@pytest.mark.parametrize("kind", sorted(_kinds(), key=lambda k: k.__name__))
def test_each_kind_of_error_reaches_the_user_plainly(
    kind: type[CitcertError],
    error_cases: dict[type[CitcertError], list[str]],
    tmp_path: Path,
) -> None:
    """Raised by the command, shown as ``Error: …`` on stderr, exit 2, no traceback."""
    args = error_cases[kind]
    env = _config_home(tmp_path) if kind is ConfigError else None
    raised = CliRunner().invoke(cli, args, standalone_mode=False, env=env)
    shown = CliRunner().invoke(cli, args, env=env)

    assert isinstance(raised.exception, InputError)
    assert type(raised.exception.__cause__) is kind
    assert shown.exit_code == 2
    assert shown.stderr.startswith("Error: ")
    assert "Traceback" not in shown.stderr
    assert shown.stdout == ""


def _shown_runs() -> list[tuple[str, str]]:
    """
    The README's console examples that run on the bundled files, with the output they show.

    Only commands whose every path exists in the repository are taken: those the README can
    promise to a reader who has just cloned it.
    """
    runs = []
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.DOTALL):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, shown = chunk.partition("\n")
            words = shlex.split(command)
            if words[0] != "citcert" or not shown:
                continue
            _, resolved, rest = _resolve(words[1:])
            if all((ROOT / arg).exists() for arg in _arguments(resolved, rest)):
                runs.append((command, shown))
    return runs


def _arguments(command: click.Command, words: list[str]) -> list[str]:
    """The positional arguments among `words` (not options, nor the values options take)."""
    takes_value = {
        opt
        for param in command.params
        if isinstance(param, click.Option) and not param.is_flag
        for opt in param.opts
    }
    found, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = word in takes_value
        else:
            found.append(word)
    return found


@pytest.mark.parametrize(("command", "shown"), _shown_runs(), ids=lambda v: str(v)[:40])
def test_readme_output_is_what_the_command_prints(
    command: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An example's output in the README is exactly what citcert prints for it today."""
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, shlex.split(command)[1:])

    assert result.exit_code == 0, result.output
    assert result.stdout == shown


def test_the_readme_shows_real_output_for_the_bundled_examples() -> None:
    """At least the standards list and the county example's audit are checked above."""
    commands = [command for command, _ in _shown_runs()]
    assert "citcert standards list" in commands
    assert "citcert audit examples/brennan-county.xlsx" in commands
