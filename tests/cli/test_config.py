"""
The configuration file, citcert.toml: found in the working folder or the user's config folder,
weaker than flags and the environment, every value checked and located, shown by `citcert config`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from citcert.cli import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
EXAMPLE = EXAMPLES / "brennan-county.xlsx"
OVERLAY = EXAMPLES / "overlays" / "northfield-state-2024.yaml"
ANSI = "\x1b["


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder of the test's own, with an empty user config folder beside it."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("CITCERT_STANDARDS_PATH", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    return work


def _run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def _config(*group: str) -> dict[str, object]:
    result = _run(*group, "config", "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _settings(*group: str) -> dict[str, dict[str, object]]:
    settings = _config(*group)["settings"]
    assert isinstance(settings, dict)
    return settings


class TestFinding:
    def test_no_file_means_the_defaults(self, here: Path) -> None:
        data = _config()
        assert data["file"] is None
        assert data["searched"] == [
            str(here / "citcert.toml"),
            os.path.join(os.environ["XDG_CONFIG_HOME"], "citcert", "citcert.toml"),
        ]
        settings = _settings()
        assert settings["standards_dirs"] == []
        for key in ("overlay", "formats", "jobs"):
            assert settings[key] == {"value": None, "source": "default", "kind": "default"}
        assert settings["color"]["value"] == "auto"

    def test_the_working_folder_wins_over_the_user_config_folder(self, here: Path) -> None:
        user = Path(os.environ["XDG_CONFIG_HOME"]) / "citcert"
        user.mkdir(parents=True)
        (user / "citcert.toml").write_text("jobs = 3\n", encoding="utf-8")
        assert _settings()["jobs"]["value"] == 3
        assert _config()["file"] == str(user / "citcert.toml")
        (here / "citcert.toml").write_text("\n# the office's\njobs = 5\n", encoding="utf-8")
        jobs = _settings()["jobs"]
        assert jobs == {"value": 5, "source": f"{here / 'citcert.toml'}:3", "kind": "file"}

    def test_home_config_folder_without_xdg(
        self, here: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("XDG_CONFIG_HOME")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        folder = tmp_path / "home" / ".config" / "citcert"
        folder.mkdir(parents=True)
        (folder / "citcert.toml").write_text("color = false\n", encoding="utf-8")
        assert _config()["file"] == str(folder / "citcert.toml")
        assert _settings()["color"]["value"] is False


class TestPrecedence:
    def test_standards_dirs_relative_to_the_file_then_after_flag_and_environment(
        self, here: Path, tmp_path: Path
    ) -> None:
        for name in ("office", "flag", "env"):
            (tmp_path / name).mkdir()
        (here / "citcert.toml").write_text('standards_dirs = ["../office"]\n', encoding="utf-8")
        result = _run(
            "--standards-dir",
            str(tmp_path / "flag"),
            "config",
            "--format",
            "json",
            env={"CITCERT_STANDARDS_PATH": str(tmp_path / "env")},
        )
        dirs = json.loads(result.stdout)["settings"]["standards_dirs"]
        assert [(Path(d["value"]).resolve(), d["kind"]) for d in dirs] == [
            ((tmp_path / "flag").resolve(), "flag"),
            ((tmp_path / "env").resolve(), "environment"),
            ((tmp_path / "office").resolve(), "file"),
        ]
        assert dirs[2]["source"] == f"{here / 'citcert.toml'}:1"

    def test_a_standard_in_the_files_folder_is_found(self, here: Path) -> None:
        (here / "office").mkdir()
        source = EXAMPLES / "standards" / "northfield-cit-recognition-2026.1.yaml"
        (here / "office" / source.name).write_bytes(source.read_bytes())
        assert "northfield" not in _run("standards", "list").stdout
        (here / "citcert.toml").write_text('standards_dirs = ["office"]\n', encoding="utf-8")
        result = _run("standards", "list")
        assert result.exit_code == 0, result.output
        assert "northfield-cit-recognition" in result.stdout

    def test_colour_flag_beats_environment_beats_file(self, here: Path) -> None:
        (here / "citcert.toml").write_text("color = true\n", encoding="utf-8")
        assert _settings()["color"]["kind"] == "file"
        assert ANSI in CliRunner().invoke(cli, ["audit", str(EXAMPLE)], color=False).stdout
        off = CliRunner().invoke(cli, ["audit", str(EXAMPLE)], env={"NO_COLOR": "1"})
        assert ANSI not in off.stdout
        assert _run("config", "--format", "json", env={"NO_COLOR": "1"}).exit_code == 0
        flag = CliRunner().invoke(cli, ["--no-color", "audit", str(EXAMPLE)], color=True)
        assert ANSI not in flag.stdout
        (here / "citcert.toml").write_text("color = false\n", encoding="utf-8")
        assert ANSI not in CliRunner().invoke(cli, ["audit", str(EXAMPLE)], color=True).stdout
        assert ANSI in CliRunner().invoke(cli, ["--color", "audit", str(EXAMPLE)]).stdout

    def test_formats_for_audit_with_o_and_flag_wins(self, here: Path) -> None:
        (here / "citcert.toml").write_text('formats = ["json", "md"]\n', encoding="utf-8")
        assert _run("audit", str(EXAMPLE), "-o", "a").exit_code == 0
        assert sorted(p.suffix for p in (here / "a").iterdir()) == [".json", ".md"]
        assert _run("audit", str(EXAMPLE), "-o", "b", "--format", "pdf").exit_code == 0
        assert [p.suffix for p in (here / "b").iterdir()] == [".pdf"]
        terminal = _run("audit", str(EXAMPLE))  # without -o: still the screen, no files
        assert terminal.exit_code == 0 and terminal.stdout.strip()
        assert sorted(p.name for p in here.iterdir()) == ["a", "b", "citcert.toml"]

    def test_batch_takes_formats_and_jobs(self, here: Path) -> None:
        (here / "in").mkdir()
        (here / "in" / EXAMPLE.name).write_bytes(EXAMPLE.read_bytes())
        (here / "citcert.toml").write_text(
            'formats = ["json", "terminal"]\njobs = 1\n', encoding="utf-8"
        )
        result = _run("batch", "in", "-o", "out", "-q")
        assert result.exit_code == 0, result.output
        program = [p for p in (here / "out").iterdir() if p.is_dir()]
        assert len(program) == 1
        assert sorted(p.suffix for p in program[0].iterdir()) == [".json"]
        result = _run("batch", "in", "-o", "out2", "-q", "--format", "md")
        program = [p for p in (here / "out2").iterdir() if p.is_dir()]
        assert sorted(p.suffix for p in program[0].iterdir()) == [".md"]

    def test_the_files_overlay_unless_standard_or_overlay_given(self, here: Path) -> None:
        """The example workbook is made for the base, so the overlay's standard refuses it."""
        (here / "office").mkdir()
        (here / "office" / OVERLAY.name).write_bytes(OVERLAY.read_bytes())
        (here / "citcert.toml").write_text(f'overlay = "office/{OVERLAY.name}"\n', encoding="utf-8")
        made = _run("template", "-o", "t.xlsx")
        assert made.exit_code == 0 and "northfield-cit@2024.1" in made.stdout, made.output
        for args in (["audit", str(EXAMPLE)], ["validate", str(EXAMPLE)]):
            refused = _run(*args)
            assert refused.exit_code == 2 and "not northfield-cit@2024.1" in refused.stderr
        (here / "in").mkdir()
        (here / "in" / EXAMPLE.name).write_bytes(EXAMPLE.read_bytes())
        batch = _run("batch", "in", "-o", "out", "-q", "--format", "json")
        assert batch.exit_code == 2 and "not northfield-cit@2024.1" in batch.stderr
        assert _run("audit", str(EXAMPLE), "--standard", "cit-best-practice@2019.1").exit_code == 0
        assert (
            _run("validate", str(EXAMPLE), "--standard", "cit-best-practice@2019.1").exit_code == 0
        )
        base = _run("template", "--standard", "cit-best-practice@2019.1", "-o", "b.xlsx")
        assert "northfield" not in base.stdout
        other = here / "other.yaml"
        other.write_bytes(OVERLAY.read_bytes().replace(b"northfield-cit", b"other-cit"))
        flag = _run("template", "--overlay", str(other), "-o", "o.xlsx")
        assert flag.exit_code == 0 and "other-cit" in flag.stdout, flag.output


BAD = [
    ("jobs = 0\n", ":1: jobs: must be at least 1, not 0"),
    ("jobs = true\n", ":1: jobs: must be a whole number"),
    ('\njobs = "4"\n', ":2: jobs: must be a whole number"),
    ('color = "blue"\n', ':1: color: must be true, false or "auto"'),
    ('formats = ["pdf", "docx"]\n', ":1: formats: unknown format docx"),
    ('formats = "pdf"\n', ":1: formats: must be a list of text values"),
    ("formats = []\n", ":1: formats: must name at least one value"),
    ('standards_dirs = ["nowhere"]\n', ":1: standards_dirs: names a folder that does not exist"),
    ('overlay = "missing.yaml"\n', ":1: overlay: names a file that does not exist"),
    ("overlay = 3\n", ":1: overlay: must be the path of an overlay file"),
    ('overlay = "."\n', ":1: overlay: names a folder, not a file: "),
    ('standards_dirs = ["citcert.toml"]\n', ":1: standards_dirs: names a file, not a folder: "),
    (
        'overlay = "~no-such-user-here/o.yaml"\n',
        ":1: overlay: ~no-such-user-here/o.yaml starts with ~, but there is no such home folder",
    ),
    (
        'standards_dirs = ["~no-such-user-here/x"]\n',
        ":1: standards_dirs: ~no-such-user-here/x starts with ~, but there is no such home folder",
    ),
    ("jobs = 2\n\n[audit]\nformats = []\n", ":3: audit: unknown key 'audit'"),
    ("colour = true\n", ":1: colour: unknown key 'colour'; the keys are standards_dirs"),
    ("jobs = 2\njobs = 3\n", "citcert.toml:2:"),
    ("jobs = [\n", "is not valid TOML"),
]


class TestBadFile:
    @pytest.mark.parametrize(("text", "message"), BAD)
    def test_located_error_exit_2_before_anything_is_written(
        self, here: Path, text: str, message: str
    ) -> None:
        (here / "citcert.toml").write_text(text, encoding="utf-8")
        for args in (
            ["config"],
            ["audit", str(EXAMPLE), "-o", "out"],
            ["template", "-o", "t.xlsx"],
        ):
            result = _run(*args)
            assert result.exit_code == 2, (args, result.output)
            assert result.stderr.startswith(f"Error: {here / 'citcert.toml'}"), result.stderr
            assert message in result.stderr, result.stderr
            assert "Traceback" not in result.stderr
        assert sorted(p.name for p in here.iterdir()) == ["citcert.toml"]

    def test_not_utf8_and_not_a_file(self, here: Path) -> None:
        (here / "citcert.toml").write_bytes(b"jobs = 2 # \xff\n")
        result = _run("config")
        assert result.exit_code == 2 and "citcert.toml: is not UTF-8 text" in result.stderr
        (here / "citcert.toml").unlink()
        (here / "citcert.toml").mkdir()
        result = _run("config")
        assert result.exit_code == 2 and "citcert.toml: is not a file" in result.stderr


def test_config_text_names_each_source(here: Path, tmp_path: Path) -> None:
    (here / "citcert.toml").write_text('jobs = 2\ncolor = "auto"\n', encoding="utf-8")
    result = _run("--no-color", "config")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Configuration file: {here / 'citcert.toml'}"
    jobs = next(line for line in lines if line.startswith("jobs"))
    assert " 2 " in jobs and f"({here / 'citcert.toml'}:1)" in jobs
    color = next(line for line in lines if line.startswith("color"))
    assert "false" in color and "(flag --color/--no-color)" in color
    overlay = next(line for line in lines if line.startswith("overlay"))
    assert overlay.endswith("(default)")


def test_a_real_process_reads_the_working_folders_file(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "citcert.toml").write_text("jobs = 7\n", encoding="utf-8")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    done = subprocess.run(
        [sys.executable, "-m", "citcert", "config", "--format", "json"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["settings"]["jobs"]["value"] == 7
    (work / "citcert.toml").write_text("jobs = -1\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "citcert", "audit", str(EXAMPLE), "-o", "out"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == f"Error: {work / 'citcert.toml'}:1: jobs: must be at least 1, not -1\n"
    assert not (work / "out").exists()


def test_a_config_folder_this_user_may_not_enter_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HOME of another user (``~/.config`` unreadable): no crash, the next place is looked at."""
    from citcert.app.config import find_file

    barred = tmp_path / "barred"
    real_exists = Path.exists

    def exists(path: Path, *args: object, **kwargs: object) -> bool:
        if barred in path.parents:
            raise PermissionError(13, "Permission denied", str(path))
        return real_exists(path)

    monkeypatch.setattr(Path, "exists", exists)
    here = tmp_path / "here"
    here.mkdir()

    assert find_file(here, {"XDG_CONFIG_HOME": str(barred)}) is None
    (here / "citcert.toml").write_text("jobs = 2\n", encoding="utf-8")
    assert find_file(here, {"XDG_CONFIG_HOME": str(barred)}) == here / "citcert.toml"
