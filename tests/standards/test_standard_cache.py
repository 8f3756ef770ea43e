"""
The standards cache on disk: it saves parsing time and never changes an answer.

Each test gets an empty cache folder of its own, and each lookup a new store (as a new citcert
process would), so what is read comes from the disk cache or from the YAML, as the test intends.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from citcert.app import settings
from citcert.app.settings import standards_store
from citcert.cli import cli
from citcert.errors import StandardFileError
from citcert.standards import cache, find_standard, load_file, loader, registry, standard_sha256
from citcert.standards.catalog import catalogue, listing
from citcert.standards.store import StandardsStore
from tests.conftest import DATA

MINI = (DATA / "standards" / "mini.yaml").read_text(encoding="utf-8")
OVERLAY = Path(__file__).parents[2] / "examples" / "overlays" / "northfield-state-2024.yaml"
_MINI_TITLE = "Mini CIT standard for tests"


def _store(dirs: Sequence[Path] = ()) -> StandardsStore:
    """A new store, built from the environment as a new citcert process builds it."""
    return standards_store(dirs)


@pytest.fixture(autouse=True)
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder for this test, and no standards folders from the environment."""
    root = tmp_path / "cache"
    monkeypatch.setenv(settings.CACHE_ENV, str(root))
    monkeypatch.delenv(settings.NO_CACHE_ENV, raising=False)
    monkeypatch.delenv(settings.STANDARDS_PATH_ENV, raising=False)
    yield root / "standards"


def _entries(folder: Path) -> list[Path]:
    """Every cache entry (and any file named like one)."""
    return sorted(folder.glob("*.standard.json")) if folder.is_dir() else []


def _whole(folder: Path) -> list[Path]:
    """The entries that hold a standard, not just the header of a file that was looked at."""
    return [p for p in _entries(folder) if p.read_bytes().count(b"\n") > 1]


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any YAML parsing fail the test: what follows must come from the cache."""

    def refuse(path: Path) -> None:
        raise AssertionError(f"{path} was parsed, though the cache holds it")

    monkeypatch.setattr(loader, "read_document", refuse)
    monkeypatch.setattr(registry, "_top_level_scalars", refuse)


def _user_standard(folder: Path, title: str = "Mini CIT") -> Path:
    """A copy of the mini standard titled `title`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mini.yaml"
    path.write_text(MINI.replace(f"title: {_MINI_TITLE}", f"title: {title}"), encoding="utf-8")
    return path


class TestSameAnswers:
    """A standard read from the cache is the standard read from its YAML."""

    @pytest.mark.parametrize("ref", ["cit-best-practice@2019.1", "cit-core-elements@2007.1"])
    def test_a_built_in_standard_from_the_cache_equals_the_parsed_one(
        self, ref: str, folder: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Equal models and the same SHA-256, so provenance does not depend on the cache."""
        parsed = find_standard(ref, store=_store())
        assert len(_whole(folder)) == 1
        catalogue(_store())  # every built-in is kept, so not even a header is parsed below
        _no_parsing(monkeypatch)

        cached = find_standard(ref, store=_store())

        assert cached == parsed
        assert standard_sha256(cached) == standard_sha256(parsed)

    def test_the_listing_from_the_cache_equals_the_parsed_one(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """`standards list` shows the same table with or without parsing."""
        parsed = listing(catalogue(_store()))
        _no_parsing(monkeypatch)

        assert listing(catalogue(_store())) == parsed

    def test_an_edited_file_is_read_again(self, tmp_path: Path) -> None:
        """The key is the file's content: a changed title is seen at once."""
        path = _user_standard(tmp_path / "mine")
        assert find_standard("mini-standard", store=_store([path.parent])).title == "Mini CIT"
        _user_standard(tmp_path / "mine", title="Renamed mini CIT")

        assert (
            find_standard("mini-standard", store=_store([path.parent])).title == "Renamed mini CIT"
        )


class TestWhatIsKept:
    """Only standards that loaded cleanly are kept; overlays and failures never are."""

    def test_a_broken_standard_is_never_kept_and_fails_the_same_way_twice(
        self, tmp_path: Path, folder: Path
    ) -> None:
        """Its messages come from the YAML every time, with their lines."""
        path = _user_standard(tmp_path / "mine")
        path.write_text(path.read_text().replace("weight: 2", "weight: 0"), encoding="utf-8")
        messages = []
        for _ in range(2):
            with pytest.raises(StandardFileError) as caught:
                find_standard("mini-standard", store=_store([path.parent]))
            messages.append(str(caught.value))

        assert messages[0] == messages[1]
        assert f"{path}:98:17:" in messages[0]
        assert _whole(folder) == []

    def test_an_overlay_is_resolved_each_time_and_its_base_is_kept(self, folder: Path) -> None:
        """The overlay's result depends on its base file too, so only the base is kept."""
        first = load_file(OVERLAY, store=_store())

        assert load_file(OVERLAY, store=_store()) == first
        (entry,) = _whole(folder)
        assert '"cit-best-practice", "2019.1"' in entry.read_text(encoding="utf-8")


class TestDamageAndAbsence:
    """A damaged entry, an unusable folder or a turned-off cache cost time, never correctness."""

    @pytest.mark.parametrize(
        "damage",
        [b"", b"not json\n", b'{"header": ["x"]}\n{}', b"\xff\xfe", None],
        ids=["empty", "not-json", "wrong-shape", "not-utf8", "standard-truncated"],
    )
    def test_a_damaged_entry_is_ignored_and_replaced(
        self, damage: bytes | None, folder: Path
    ) -> None:
        """The standard is parsed again, and the entry written anew."""
        parsed = find_standard("cit-core-elements@2007.1", store=_store())
        (entry,) = _whole(folder)
        whole = entry.read_bytes()
        entry.write_bytes(whole[: len(whole) // 2] if damage is None else damage)

        assert find_standard("cit-core-elements@2007.1", store=_store()) == parsed
        assert entry.read_bytes() == whole

    def test_a_folder_that_cannot_be_made_is_not_used(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A cache path that is a file: the command works and says nothing about it."""
        blocker = tmp_path / "a-file"
        blocker.write_text("not a folder", encoding="utf-8")
        monkeypatch.setenv(settings.CACHE_ENV, str(blocker))

        assert find_standard(store=_store()).ref == "cit-best-practice@2019.3"
        assert blocker.read_text(encoding="utf-8") == "not a folder"

    def test_citcert_no_cache_writes_nothing(
        self, folder: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """CITCERT_NO_CACHE=1 turns the cache off; CITCERT_NO_CACHE=0 does not."""
        monkeypatch.setenv(settings.NO_CACHE_ENV, "1")
        find_standard(store=_store())
        assert _entries(folder) == []

        monkeypatch.setenv(settings.NO_CACHE_ENV, "0")
        find_standard(store=_store())
        assert len(_whole(folder)) == 1


class TestPruning:
    """The folder keeps at most MAX_ENTRIES standards and touches nothing else."""

    def test_the_oldest_entries_go_and_foreign_files_stay(
        self, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Entries beyond the limit are removed oldest first; a user's file is left alone."""
        monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
        folder.mkdir(parents=True)
        foreign = folder / "notes.standard.json"
        foreign.write_text("mine", encoding="utf-8")
        os.utime(foreign, ns=(0, 0))  # the oldest file of all, yet not the cache's to remove
        for number in range(3):
            path = _user_standard(tmp_path / f"v{number}", title=f"Mini CIT {number}")
            find_standard("mini-standard", store=_store([path.parent]))

        kept = [p for p in _entries(folder) if p != foreign]
        texts = " ".join(p.read_text(encoding="utf-8") for p in kept)
        assert foreign.read_text(encoding="utf-8") == "mine"
        assert len(kept) <= 2
        assert "Mini CIT 2" in texts
        assert "Mini CIT 0" not in texts


def test_listing_twice_through_the_cli_gives_the_same_output(runner: CliRunner) -> None:
    """The second `citcert standards list`, served from the cache, prints the same bytes."""
    first = runner.invoke(cli, ["standards", "list", "--format", "json"])
    second = runner.invoke(cli, ["standards", "list", "--format", "json"])

    assert first.exit_code == second.exit_code == 0
    assert second.stdout == first.stdout


def test_finding_one_standard_keeps_the_headers_of_the_others(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    The next lookup parses no YAML at all: the file it loads is kept whole, the others by header.

    A header-only entry never stands in for the standard: loading that file still parses it.
    """
    find_standard("cit-best-practice", store=_store())
    assert (len(_entries(folder)), len(_whole(folder))) == (4, 1)
    with monkeypatch.context() as patched:
        _no_parsing(patched)
        assert find_standard("cit-best-practice", store=_store()).ref == "cit-best-practice@2019.3"

    assert find_standard("cit-core-elements@2007.1", store=_store()).status.value == "superseded"
    assert listing(catalogue(_store())).count("\n") == 5
