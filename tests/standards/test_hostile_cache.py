"""
The standards cache cannot swap a standard: an entry someone else could write is not read, an
entry whose standard fails the standard's own checks or names another standard is ignored, and
a pipe or a huge file in the cache folder costs nothing but the time to parse the YAML again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from citcert.app.settings import CACHE_ENV, NO_CACHE_ENV, STANDARDS_PATH_ENV, standards_store
from citcert.standards import find_standard
from tests.conftest import DATA

MINI = (DATA / "standards" / "mini.yaml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(NO_CACHE_ENV, raising=False)
    monkeypatch.delenv(STANDARDS_PATH_ENV, raising=False)
    yield tmp_path / "cache" / "standards"


@pytest.fixture
def standards(tmp_path: Path) -> Path:
    where = tmp_path / "standards"
    where.mkdir()
    (where / "mini.yaml").write_text(MINI, encoding="utf-8")
    return where


def _entry(folder: Path) -> Path:
    [entry] = [p for p in folder.glob("*.standard.json") if p.read_bytes().count(b"\n") > 1]
    return entry


def _tamper(entry: Path, change: object) -> None:
    """Rewrite the standard held in `entry` with `change` applied to its data."""
    head, _, body = entry.read_bytes().partition(b"\n")
    data = json.loads(body)
    change(data)  # type: ignore[operator]
    os.chmod(entry, 0o600)
    entry.write_bytes(head + b"\n" + json.dumps(data).encode() + b"\n")


def test_the_cache_folder_and_entries_are_private(folder: Path, standards: Path) -> None:
    find_standard("mini-standard", store=standards_store([standards]))

    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert oct(_entry(folder).stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("mode", [0o770, 0o777, 0o720])
def test_an_entry_in_a_folder_others_can_write_is_not_read(
    folder: Path, standards: Path, mode: int
) -> None:
    """Anyone who can write the folder could swap a standard: such a cache is not trusted."""
    honest = find_standard("mini-standard", store=standards_store([standards]))
    _tamper(_entry(folder), lambda d: d.update(title="Swapped"))
    os.chmod(folder, mode)

    assert find_standard("mini-standard", store=standards_store([standards])) == honest


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_an_entry_others_can_write_is_not_read(folder: Path, standards: Path, mode: int) -> None:
    honest = find_standard("mini-standard", store=standards_store([standards]))
    entry = _entry(folder)
    _tamper(entry, lambda d: d.update(title="Swapped"))
    os.chmod(entry, mode)

    assert find_standard("mini-standard", store=standards_store([standards])) == honest


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(id="another-standard"),
        lambda d: d.update(version="9.9"),
        lambda d: d["domains"][0]["requirements"].append(d["domains"][0]["requirements"][0]),
    ],
    ids=["other id", "other version", "a repeated requirement id"],
)
def test_an_entry_that_fails_the_cross_checks_or_names_another_standard_is_ignored(
    folder: Path, standards: Path, change: object
) -> None:
    honest = find_standard("mini-standard", store=standards_store([standards]))
    _tamper(_entry(folder), change)

    assert find_standard("mini-standard", store=standards_store([standards])) == honest


@pytest.mark.parametrize("kind", ["fifo", "huge", "symlink"])
def test_a_pipe_a_huge_file_or_a_link_as_an_entry_only_costs_time(
    folder: Path, standards: Path, tmp_path: Path, kind: str
) -> None:
    honest = find_standard("mini-standard", store=standards_store([standards]))
    entry = _entry(folder)
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry, 0o600)
    elif kind == "huge":
        entry.write_bytes(b'{"header": ["mini-standard", "1.0", null]}' + b" " * (9 << 20))
        os.chmod(entry, 0o600)
    else:
        elsewhere = tmp_path / "planted.json"
        elsewhere.write_text("{}", encoding="utf-8")
        entry.symlink_to(elsewhere)

    assert find_standard("mini-standard", store=standards_store([standards])) == honest
