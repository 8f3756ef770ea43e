"""
The registry: built-in standards, user folders from --standards-dir and CITCERT_STANDARDS_PATH,
lookup by id@version or by id (newest current version), and its plain errors.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from citcert.cli import cli
from citcert.errors import StandardFileError, StandardNotFoundError
from citcert.standards import find_standard
from citcert.standards.catalog import catalogue
from citcert.standards.registry import ENV_VAR, index, version_key
from tests.conftest import DATA

MINI = (DATA / "standards" / "mini.yaml").read_text(encoding="utf-8")


def _write(folder: Path, name: str, version: str, status: str = "current") -> Path:
    """A copy of the mini standard with another version and status."""
    folder.mkdir(parents=True, exist_ok=True)
    text = MINI.replace('version: "1.0"', f'version: "{version}"')
    path = folder / name
    path.write_text(text.replace("status: current", f"status: {status}"), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _no_env_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests start without CITCERT_STANDARDS_PATH, whatever the developer's shell has."""
    monkeypatch.delenv(ENV_VAR, raising=False)


class TestBuiltIns:
    """The standards shipped in the package."""

    def test_both_built_in_standards_are_listed(self) -> None:
        """The 2007 Core Elements and the 2019 best-practice standard are found as built-ins."""
        refs = {entry.ref: entry.builtin for entry, _ in catalogue()}

        assert refs == {
            "cit-core-elements@2007.1": True,
            "cit-best-practice@2019.1": True,
            "cit-best-practice@2019.2": True,
        }

    def test_no_ref_means_the_default_best_practice_standard(self) -> None:
        """find_standard() with nothing named gives the current best-practice standard."""
        assert find_standard().ref == "cit-best-practice@2019.2"

    def test_a_superseded_standard_is_found_by_its_version(self) -> None:
        """A superseded standard is still there when asked for by id@version."""
        assert find_standard("cit-core-elements@2007.1").status.value == "superseded"


class TestLookupRules:
    """id@version, id alone, and the errors when nothing matches."""

    def test_id_alone_is_the_newest_current_version_numerically(self, tmp_path: Path) -> None:
        """1.10 is newer than 1.9, and a newer draft does not count."""
        _write(tmp_path, "a.yaml", "1.9")
        _write(tmp_path, "b.yaml", "1.10")
        _write(tmp_path, "c.yaml", "2.0", status="draft")

        assert find_standard("mini-standard", dirs=[tmp_path]).version == "1.10"

    def test_id_at_version_is_exact(self, tmp_path: Path) -> None:
        """A draft can be chosen by naming its version."""
        _write(tmp_path, "a.yaml", "1.9")
        _write(tmp_path, "c.yaml", "2.0", status="draft")

        assert find_standard("mini-standard@2.0", dirs=[tmp_path]).version == "2.0"

    def test_unknown_version_lists_the_versions_there_are(self, tmp_path: Path) -> None:
        """Asking for a missing version names the available ones with their status."""
        _write(tmp_path, "a.yaml", "1.9")
        _write(tmp_path, "c.yaml", "2.0", status="draft")

        with pytest.raises(StandardNotFoundError) as caught:
            find_standard("mini-standard@3.0", dirs=[tmp_path])

        assert str(caught.value) == (
            "mini-standard has no version 3.0; available: 1.9 (current), 2.0 (draft)"
        )

    def test_unknown_id_suggests_and_lists_the_ids(self) -> None:
        """A misspelt id gets a suggestion and the list of ids."""
        with pytest.raises(StandardNotFoundError) as caught:
            find_standard("cit-best-practise")

        assert str(caught.value) == (
            "there is no standard cit-best-practise. Did you mean cit-best-practice? "
            "Available: cit-best-practice, cit-core-elements (see `citcert standards list`). "
            "If it is an overlay file, pass it with --overlay FILE, or put its folder in "
            "--standards-dir."
        )

    def test_no_current_version_says_how_to_choose_one(self, tmp_path: Path) -> None:
        """An id with only drafts is not silently resolved to a draft."""
        _write(tmp_path, "c.yaml", "2.0", status="draft")

        with pytest.raises(StandardNotFoundError) as caught:
            find_standard("mini-standard", dirs=[tmp_path])

        assert str(caught.value) == (
            "mini-standard has no current version (available: 2.0 (draft)); "
            "name one as mini-standard@VERSION"
        )

    def test_versions_compare_part_by_part(self) -> None:
        """Numeric parts compare as numbers; a text part marks a pre-release."""
        ordered = ["1.0-rc1", "1.0", "1.0.1", "1.2", "1.10", "2019.1", "2019.10"]

        shuffled = ["2019.10", "1.2", "1.0", "2019.1", "1.0.1", "1.10", "1.0-rc1"]

        assert sorted(shuffled, key=version_key) == ordered


class TestUserFolders:
    """Folders from the command line and from the environment."""

    def test_the_same_id_at_version_twice_is_an_error_naming_both(self, tmp_path: Path) -> None:
        """Two files claiming one id@version make every lookup fail, naming both files."""
        first = _write(tmp_path / "one", "mini.yaml", "1.0")
        second = _write(tmp_path / "two", "copy.yaml", "1.0")

        with pytest.raises(StandardFileError) as caught:
            index([first.parent, second.parent])

        assert str(caught.value) == (
            f"{second}: mini-standard@1.0 is defined twice: in {first} and in {second}; "
            "rename or remove one of them"
        )

    def test_a_folder_named_twice_is_not_a_duplicate(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The same folder from --standards-dir and the environment is searched once."""
        _write(tmp_path, "mini.yaml", "1.0")
        monkeypatch.setenv(ENV_VAR, str(tmp_path))

        assert find_standard("mini-standard", dirs=[tmp_path]).ref == "mini-standard@1.0"

    def test_environment_folders_are_searched(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """CITCERT_STANDARDS_PATH holds several folders separated by the path separator."""
        _write(tmp_path / "a", "mini.yaml", "1.0")
        _write(tmp_path / "b", "mini.yaml", "2.0")
        monkeypatch.setenv(ENV_VAR, os.pathsep.join([str(tmp_path / "a"), str(tmp_path / "b")]))

        assert find_standard("mini-standard").version == "2.0"

    def test_a_missing_environment_folder_is_an_error(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A typo in CITCERT_STANDARDS_PATH is reported, not silently ignored."""
        monkeypatch.setenv(ENV_VAR, str(tmp_path / "nowhere"))

        with pytest.raises(StandardNotFoundError) as caught:
            find_standard()

        assert str(caught.value) == (
            f"{ENV_VAR} names a folder that does not exist: {tmp_path / 'nowhere'}"
        )

    def test_yaml_files_that_are_not_standards_are_ignored(self, tmp_path: Path) -> None:
        """Other YAML in a standards folder (no id and version) does not disturb lookup."""
        _write(tmp_path, "mini.yaml", "1.0")
        (tmp_path / "notes.yaml").write_text("owner: me\nitems: [1, 2]\n", encoding="utf-8")
        (tmp_path / "broken.yaml").write_text("a: [1, 2\n", encoding="utf-8")

        refs = sorted(entry.ref for entry in index([tmp_path]))

        assert refs == [
            "cit-best-practice@2019.1",
            "cit-best-practice@2019.2",
            "cit-core-elements@2007.1",
            "mini-standard@1.0",
        ]

    def test_an_invalid_user_standard_fails_with_its_line(self, tmp_path: Path) -> None:
        """Naming a broken standard reports its problems, located in its file."""
        path = _write(tmp_path, "mini.yaml", "1.0")
        path.write_text(path.read_text().replace("weight: 2", "weight: 0"), encoding="utf-8")

        with pytest.raises(StandardFileError) as caught:
            find_standard("mini-standard", dirs=[tmp_path])

        assert str(caught.value).startswith(f"{path}:98:17: domains[0].requirements[1].weight:")

    def test_a_changed_file_is_reloaded(self, tmp_path: Path) -> None:
        """The per-process cache notices when a file changes."""
        path = _write(tmp_path, "mini.yaml", "1.0")
        before = find_standard("mini-standard", dirs=[tmp_path])
        path.write_text(
            path.read_text().replace("title: Mini CIT", "title: Changed mini CIT"), encoding="utf-8"
        )
        os.utime(path, ns=(before.effective.toordinal(), 10**18))

        assert find_standard("mini-standard", dirs=[tmp_path]).title.startswith("Changed")


class TestListCommand:
    """`citcert standards list` in text and JSON."""

    def test_text_lists_every_standard_with_its_counts(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """The table has a header, the built-ins and a user standard marked with its path."""
        path = _write(tmp_path, "mini.yaml", "1.0")

        result = runner.invoke(cli, ["--standards-dir", str(tmp_path), "standards", "list"])

        assert result.exit_code == 0
        lines = result.stdout.splitlines()
        assert lines[0].split() == [
            "ID",
            "VERSION",
            "STATUS",
            "EFFECTIVE",
            "DOMAINS",
            "REQUIREMENTS",
            "CORE",
            "TITLE",
        ]
        assert lines[4].split()[:7] == [
            "mini-standard",
            "1.0",
            "current",
            "2024-01-01",
            "2",
            "5",
            "2",
        ]
        assert lines[4].endswith(f"[{path}]")

    def test_json_has_one_object_per_standard(self, runner: CliRunner) -> None:
        """JSON output carries id, version, counts and where each standard comes from."""
        result = runner.invoke(cli, ["standards", "list", "--format", "json"])

        rows = json.loads(result.stdout)
        assert [row["ref"] for row in rows] == [
            "cit-best-practice@2019.1",
            "cit-best-practice@2019.2",
            "cit-core-elements@2007.1",
        ]
        assert {row["source"] for row in rows} == {"built-in"}
        assert set(rows[0]) == {
            "core",
            "domains",
            "effective",
            "id",
            "overlay_of",
            "ref",
            "requirements",
            "source",
            "status",
            "title",
            "version",
        }
