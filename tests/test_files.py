"""
Writing reports: each file whole or not at all, a set of files all or none, failures located.

The failures are real ones where the machine allows (a file standing where a folder must be)
and a full disk simulated by making ``fsync`` fail as the kernel does (ENOSPC).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from citcert import _files
from citcert._files import write_all_atomic, write_atomic
from citcert.cli import cli
from citcert.errors import OutputError
from tests.audit import workbook_filler as wb
from tests.conftest import data


def _full_disk_after(monkeypatch: pytest.MonkeyPatch, good: int) -> None:
    """Let `good` files sync, then fail every later one as a full disk does."""
    real = os.fsync
    calls = {"n": 0}

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] > good:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd)

    monkeypatch.setattr(_files.os, "fsync", fsync)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*.tmp"))


def test_a_single_file_is_replaced_whole(tmp_path: Path) -> None:
    """The new content replaces the old, with the umask's permissions and no temporary left."""
    target = tmp_path / "report.json"
    target.write_bytes(b"old")

    write_atomic(target, b"new")

    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert _leftovers(tmp_path) == []


def test_a_full_disk_is_a_located_error_and_the_old_file_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC while writing: OutputError naming the file and the reason, old content kept."""
    target = tmp_path / "report.json"
    target.write_bytes(b"old")
    _full_disk_after(monkeypatch, good=0)

    with pytest.raises(OutputError) as caught:
        write_atomic(target, b"new")

    assert str(caught.value) == f"{target}: cannot write here: No space left on device"
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_a_set_is_written_all_or_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The third file fails: the first two are not replaced either, and no temporary is left."""
    files = {tmp_path / f"report.{suffix}": b"new" for suffix in ("json", "md", "pdf")}
    for path in files:
        path.write_bytes(b"old")
    _full_disk_after(monkeypatch, good=2)

    with pytest.raises(OutputError):
        write_all_atomic(files)

    assert {path.read_bytes() for path in files} == {b"old"}
    assert _leftovers(tmp_path) == []


def test_a_set_with_an_unwritable_folder_writes_nothing(tmp_path: Path) -> None:
    """A file where a folder must be: the error names it, and the other target is untouched."""
    blocker = tmp_path / "blocked"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    first = tmp_path / "ok" / "report.json"

    with pytest.raises(OutputError) as caught:
        write_all_atomic({first: b"new", blocker / "report.md": b"new"})

    assert str(caught.value) == (
        f"{blocker}: is a file where citcert needs a folder of that name; move it away or write "
        "to another output folder"
    )
    assert not first.exists()
    assert _leftovers(tmp_path) == []


def test_an_audit_that_cannot_write_every_report_keeps_the_old_ones(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`citcert audit -o` on a full disk: exit 2 with the file named; last run's reports intact."""
    workbook = wb.filled_path(tmp_path)
    out = tmp_path / "reports"
    args = ["--standards-dir", str(data("standards")), "audit", str(workbook), "-o", str(out)]
    assert runner.invoke(cli, args).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    _full_disk_after(monkeypatch, good=2)

    result = runner.invoke(cli, [*args, "--as-of", "2025-12-31"])

    assert result.exit_code == 2
    assert "cannot write here: No space left on device" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_folder_where_a_report_goes_is_a_located_error(tmp_path: Path) -> None:
    """A folder named like a report: OutputError naming it; the other report is not replaced."""
    (tmp_path / "report.md").mkdir()
    (tmp_path / "report.json").write_bytes(b"old")

    with pytest.raises(OutputError) as caught:
        write_all_atomic({tmp_path / "report.json": b"new", tmp_path / "report.md": b"new"})

    assert (
        str(caught.value) == f"{tmp_path / 'report.md'}: cannot write here: a folder has this name"
    )
    assert (tmp_path / "report.json").read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_a_target_is_checked_against_many_inputs_without_resolving_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    A batch checks every report of a thousand programs against a thousand workbooks: the
    inputs are resolved once, not once per target, and a clash is still found through a
    symlinked folder and through a hard link.
    """
    inputs = []
    for n in range(300):
        path = tmp_path / "in" / f"program-{n}.xlsx"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"workbook")
        inputs.append(path)
    (tmp_path / "via").symlink_to(tmp_path / "in")
    os.link(inputs[7], tmp_path / "linked.xlsx")
    staging = _files.Staging(inputs)
    resolved = {"n": 0}
    real = os.path.realpath

    def counting(path: str | os.PathLike[str]) -> str:
        resolved["n"] += 1
        return real(path)

    monkeypatch.setattr(_files.os.path, "realpath", counting)
    staging.check([tmp_path / "out" / f"report-{n}.json" for n in range(50)])
    assert resolved["n"] <= 50
    for target in (tmp_path / "via" / "program-3.xlsx", tmp_path / "linked.xlsx"):
        with pytest.raises(OutputError, match="would replace the input program-"):
            staging.check([target])


def test_a_staged_file_a_signal_cut_off_before_it_was_recorded_goes_with_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    A signal between the temporary file's creation and its recording left the program's folder
    behind after an interrupted batch: the folders made for the run are emptied of citcert's
    temporary files on discard, and go; a folder that was there before keeps what it holds.
    """
    kept = tmp_path / "out" / "earlier"
    kept.mkdir(parents=True)
    (kept / ".theirs.tmp").write_bytes(b"not ours")
    real = _files._stage

    def cut_off(target: Path, data: bytes) -> str:
        real(target, data)  # the file is made, then the signal comes before it is recorded
        raise KeyboardInterrupt

    monkeypatch.setattr(_files, "_stage", cut_off)
    with pytest.raises(KeyboardInterrupt), _files.Staging() as staging:
        staging.add({tmp_path / "out" / "county-00-cit" / "county-00-cit.pdf": b"%PDF"})
        staging.add({kept / "report.json": b"{}"})

    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["earlier"]
    assert [p.name for p in kept.iterdir()] == [".theirs.tmp"]
