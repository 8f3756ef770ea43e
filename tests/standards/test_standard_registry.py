"""
The registry: built-in standards, user folders from --standards-dir and CITCERT_STANDARDS_PATH,
lookup by id@version or by id (newest current version), and its plain errors.
"""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from citcert.app.settings import STANDARDS_PATH_ENV as ENV_VAR
from citcert.app.settings import standards_store
from citcert.cli import cli
from citcert.errors import StandardFileError, StandardNotFoundError
from citcert.standards import find_standard
from citcert.standards.catalog import catalogue
from citcert.standards.identity import StandardRef
from citcert.standards.registry import index, version_key
from citcert.standards.store import StandardsStore
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
        refs = {entry.ref: entry.builtin for entry, _ in catalogue().rows}

        assert refs == {
            "cit-core-elements@2007.1": True,
            "cit-best-practice@2019.1": True,
            "cit-best-practice@2019.2": True,
            "cit-best-practice@2019.3": True,
        }

    def test_no_ref_means_the_default_best_practice_standard(self) -> None:
        """find_standard() with nothing named gives the current best-practice standard."""
        assert find_standard().ref == "cit-best-practice@2019.3"

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

        assert find_standard("mini-standard", store=StandardsStore([tmp_path])).version == "1.10"

    def test_id_at_version_is_exact(self, tmp_path: Path) -> None:
        """A draft can be chosen by naming its version."""
        _write(tmp_path, "a.yaml", "1.9")
        _write(tmp_path, "c.yaml", "2.0", status="draft")

        assert find_standard("mini-standard@2.0", store=StandardsStore([tmp_path])).version == "2.0"

    def test_unknown_version_lists_the_versions_there_are(self, tmp_path: Path) -> None:
        """Asking for a missing version names the available ones with their status."""
        _write(tmp_path, "a.yaml", "1.9")
        _write(tmp_path, "c.yaml", "2.0", status="draft")

        with pytest.raises(StandardNotFoundError) as caught:
            find_standard("mini-standard@3.0", store=StandardsStore([tmp_path]))

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
            find_standard("mini-standard", store=StandardsStore([tmp_path]))

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
            index(StandardsStore([first.parent, second.parent]))

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

        store = standards_store([tmp_path])

        assert find_standard("mini-standard", store=store).ref == "mini-standard@1.0"

    def test_environment_folders_are_searched(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """CITCERT_STANDARDS_PATH holds several folders separated by the path separator."""
        _write(tmp_path / "a", "mini.yaml", "1.0")
        _write(tmp_path / "b", "mini.yaml", "2.0")
        monkeypatch.setenv(ENV_VAR, os.pathsep.join([str(tmp_path / "a"), str(tmp_path / "b")]))

        assert find_standard("mini-standard", store=standards_store()).version == "2.0"

    def test_a_missing_environment_folder_is_an_error(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A typo in CITCERT_STANDARDS_PATH is reported, not silently ignored."""
        monkeypatch.setenv(ENV_VAR, str(tmp_path / "nowhere"))

        with pytest.raises(StandardNotFoundError) as caught:
            standards_store()

        assert str(caught.value) == (
            f"{ENV_VAR} names a folder that does not exist: {tmp_path / 'nowhere'}"
        )

    def test_yaml_files_that_are_not_standards_are_ignored(self, tmp_path: Path) -> None:
        """Other YAML in a standards folder (no id and version) does not disturb lookup."""
        _write(tmp_path, "mini.yaml", "1.0")
        (tmp_path / "notes.yaml").write_text("owner: me\nitems: [1, 2]\n", encoding="utf-8")
        (tmp_path / "broken.yaml").write_text("a: [1, 2\n", encoding="utf-8")

        refs = sorted(entry.ref for entry in index(StandardsStore([tmp_path])))

        assert refs == [
            "cit-best-practice@2019.1",
            "cit-best-practice@2019.2",
            "cit-best-practice@2019.3",
            "cit-core-elements@2007.1",
            "mini-standard@1.0",
        ]

    def test_an_invalid_user_standard_fails_with_its_line(self, tmp_path: Path) -> None:
        """Naming a broken standard reports its problems, located in its file."""
        path = _write(tmp_path, "mini.yaml", "1.0")
        path.write_text(path.read_text().replace("weight: 2", "weight: 0"), encoding="utf-8")

        with pytest.raises(StandardFileError) as caught:
            find_standard("mini-standard", store=StandardsStore([tmp_path]))

        assert str(caught.value).startswith(f"{path}:98:17: domains[0].requirements[1].weight:")

    def test_a_store_loads_a_file_once_and_again_when_it_changes(self, tmp_path: Path) -> None:
        """What a store has read is kept while the file is unchanged, and read again after."""
        path = _write(tmp_path, "mini.yaml", "1.0")
        store = StandardsStore([tmp_path])
        before = find_standard("mini-standard", store=store)
        assert find_standard("mini-standard", store=store) is before
        path.write_text(
            path.read_text().replace("title: Mini CIT", "title: Changed mini CIT"), encoding="utf-8"
        )
        os.utime(path, ns=(before.effective.toordinal(), 10**18))

        assert find_standard("mini-standard", store=store).title.startswith("Changed")

    def test_a_store_is_sent_to_a_worker_without_what_it_read(self, tmp_path: Path) -> None:
        """Pickling keeps the folders and cache folder, and drops the loaded standards."""
        _write(tmp_path, "mini.yaml", "1.0")
        store = StandardsStore([tmp_path], tmp_path / "cache")
        find_standard("mini-standard", store=store)

        copy = pickle.loads(pickle.dumps(store))

        assert (copy.folders, copy.cache_dir) == (store.folders, store.cache_dir)
        assert copy.loaded == {} and store.loaded != {}


BROKEN = "id: mini-standard\nversion: '9.0'\ntitle: [unclosed\nstatus: current\n"
"""A standard whose YAML breaks on line 4, after its id and version, before its status."""
NAMELESS = "title: 'unclosed\n"
"""A file whose YAML breaks before anything at its top can be read."""


class TestSkippedFiles:
    """A YAML file that cannot be read is listed as skipped with its line, never left out."""

    def test_list_shows_a_broken_file_with_its_line(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """The table lists the readable standards, then the broken file located in it."""
        _write(tmp_path, "mini.yaml", "1.0")
        (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")

        result = runner.invoke(cli, ["--standards-dir", str(tmp_path), "standards", "list"])

        assert result.exit_code == 0, result.output
        table, skipped = result.stdout.split("\n\n")
        assert "mini-standard" in table and "broken.yaml" not in table
        assert skipped.splitlines()[0] == (
            "Skipped 1 file that could not be read (fix it, or move it out of the folder):"
        )
        assert skipped.splitlines()[1].startswith(f"  {tmp_path / 'broken.yaml'}:4:7: YAML syntax")

    def test_list_json_has_the_skipped_file_as_an_object_of_the_same_keys(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """A script sees every object with the same keys; a skipped one has its problems."""
        (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
        args = ["--standards-dir", str(tmp_path), "standards", "list", "--format", "json"]

        rows = json.loads(runner.invoke(cli, args).stdout)

        assert len({frozenset(row) for row in rows}) == 1
        assert [row["problems"] for row in rows[:2]] == [[], []]
        last = rows[-1]
        assert (last["id"], last["ref"], last["source"]) == (
            "mini-standard",
            None,
            str(tmp_path / "broken.yaml"),
        )
        assert last["problems"][0].startswith(f"{tmp_path / 'broken.yaml'}:4:7: YAML syntax")

    def test_a_standard_that_does_not_validate_is_skipped_not_fatal(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """One invalid standard no longer stops the whole listing; it is named with its line."""
        path = _write(tmp_path, "mini.yaml", "1.0")
        path.write_text(path.read_text().replace("weight: 2", "weight: 0"), encoding="utf-8")

        result = runner.invoke(cli, ["--standards-dir", str(tmp_path), "standards", "list"])

        assert result.exit_code == 0
        assert "cit-best-practice" in result.stdout
        assert f"  {path}:98:17: domains[0].requirements[1].weight:" in result.stdout

    def test_show_of_a_broken_file_gives_its_yaml_error(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """Asked for by the id it declares, the broken file's own error comes back, exit 2."""
        (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")

        result = runner.invoke(
            cli, ["--standards-dir", str(tmp_path), "standards", "show", "mini-standard"]
        )

        assert result.exit_code == 2
        assert result.stderr.startswith(f"Error: {tmp_path / 'broken.yaml'}:4:7: YAML syntax")
        assert "there is no standard" not in result.stderr

    @pytest.mark.parametrize("status", ["", "status: currnt\n"])
    def test_show_of_a_file_without_a_known_status_gives_its_own_errors(
        self, runner: CliRunner, tmp_path: Path, status: str
    ) -> None:
        """Not "has no current version (available: 1 (None))": what the file lacks, by line."""
        path = tmp_path / "abc.yaml"
        path.write_text(f"id: abc-standard\nversion: '1'\n{status}", encoding="utf-8")

        result = runner.invoke(
            cli, ["--standards-dir", str(tmp_path), "standards", "show", "abc-standard"]
        )

        assert result.exit_code == 2
        assert result.stderr.startswith(f"Error: {path} has ")
        assert f"{path}:1:1: title: is required but missing" in result.stderr
        assert "no current version" not in result.stderr and "None" not in result.stderr

    def test_not_found_names_the_unreadable_files_that_may_hold_it(self, tmp_path: Path) -> None:
        """A file whose id could not be read may be the one asked for: it is named."""
        (tmp_path / "nameless.yaml").write_text(NAMELESS, encoding="utf-8")
        (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")

        with pytest.raises(StandardNotFoundError) as caught:
            find_standard("state-standard", store=StandardsStore([tmp_path]))

        lines = str(caught.value).splitlines()
        assert lines[0].startswith("there is no standard state-standard.")
        assert lines[1] == "this file could not be read and may hold it:"
        assert lines[2].startswith(f"{tmp_path / 'nameless.yaml'}:2:1: YAML syntax error")
        assert len(lines) == 3  # broken.yaml declares another id, so it is not named

    def test_a_dangling_link_is_skipped_with_a_reason_but_a_hidden_file_is_not_a_standard(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """A link to a removed file is named; an editor's lock file (``.#x.yaml``) is not."""
        (tmp_path / "state.yaml").symlink_to(tmp_path / "moved-away.yaml")
        (tmp_path / ".#state.yaml").symlink_to("someone@host.1234")

        result = runner.invoke(cli, ["--standards-dir", str(tmp_path), "standards", "list"])

        assert result.exit_code == 0, result.output
        skipped = result.stdout.split("\n\n")[1].splitlines()
        assert skipped[1:] == [
            f"  {tmp_path / 'state.yaml'}: is a link to a file that is not there; fix the link "
            "or remove it"
        ]

    def test_a_file_that_is_not_utf8_is_skipped_with_its_line(self, tmp_path: Path) -> None:
        """Bytes that are not text are a located reason too."""
        (tmp_path / "latin.yaml").write_bytes(b"id: x\nversion: '1'\ntitle: caf\xe9\n")

        found = catalogue(StandardsStore([tmp_path]))

        assert [str(p) for s in found.skipped for p in s.problems] == [
            f"{tmp_path / 'latin.yaml'}:3: this line is not UTF-8 text; save the file as UTF-8"
        ]


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
        assert lines[5].split()[:7] == [
            "mini-standard",
            "1.0",
            "current",
            "2024-01-01",
            "2",
            "5",
            "2",
        ]
        assert lines[5].endswith(f"[{path}]")

    def test_json_has_one_object_per_standard(self, runner: CliRunner) -> None:
        """JSON output carries id, version, counts and where each standard comes from."""
        result = runner.invoke(cli, ["standards", "list", "--format", "json"])

        rows = json.loads(result.stdout)
        assert [row["ref"] for row in rows] == [
            "cit-best-practice@2019.1",
            "cit-best-practice@2019.2",
            "cit-best-practice@2019.3",
            "cit-core-elements@2007.1",
        ]
        assert {row["source"] for row in rows} == {"built-in"}
        assert set(rows[0]) == {
            "problems",
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


class TestReferences:
    """``id`` and ``id@version`` parsed once into a StandardRef."""

    @pytest.mark.parametrize(
        ("text", "identity", "version"),
        [("cit", "cit", None), ("cit@2019.1", "cit", "2019.1"), ("cit@", "cit", None)],
    )
    def test_parse_and_print_back(self, text: str, identity: str, version: str | None) -> None:
        """The parts come apart at the first @, and print back as written (an empty version
        is none)."""
        ref = StandardRef.parse(text)

        assert (ref.id, ref.version) == (identity, version)
        assert str(ref) == text.rstrip("@")

    def test_a_ref_names_itself_or_its_id_alone(self) -> None:
        """An overlay's base is named by its id@version or by its id, never another version."""
        base = StandardRef.parse("cit@2019.1")

        assert base.names("cit@2019.1") and base.names("cit")
        assert not base.names("cit@2007.1") and not base.names("other")
