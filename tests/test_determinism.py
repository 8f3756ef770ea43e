"""
Same inputs, same bytes: one audit run in two processes that hash strings differently.

Python randomises the hashing of strings per process, so any output whose order comes from a
set or from a dict keyed by hash would differ between two runs. Each run works in a folder of
its own (so the paths it prints are the same) with its own standards cache, so neither reads
what the other wrote.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent.parent / "examples"


def _audit(tmp_path: Path, seed: str, workbook: str, audience: str) -> dict[str, bytes]:
    """Every report of one audit, by file name, written by a citcert process of hash `seed`."""
    here = tmp_path / f"seed-{seed}"
    here.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": seed, "CITCERT_CACHE_DIR": str(here / "cache")}
    env.pop("CITCERT_STANDARDS_PATH", None)
    command = [sys.executable, "-m", "citcert", "audit", str(EXAMPLES / workbook)]
    command += ["-o", "out", "--format", "terminal,json,md,pdf,xlsx,html", "--audience", audience]
    done = subprocess.run(command, cwd=here, env=env, capture_output=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    files = {path.name: path.read_bytes() for path in sorted((here / "out").iterdir())}
    files["(terminal)"] = done.stdout
    return files


@pytest.mark.parametrize(
    ("workbook", "audience"),
    [("lakemont-metro.xlsx", "applicant"), ("lakemont-metro-review.xlsx", "panel")],
)
def test_the_same_audit_gives_the_same_bytes_whatever_the_hash_seed(
    tmp_path: Path, workbook: str, audience: str
) -> None:
    """
    Terminal, JSON, Markdown, PDF, XLSX and HTML are byte-identical under two hash seeds, a
    review's panel reports (with the review's own sections) included.
    """
    first = _audit(tmp_path, "1", workbook, audience)
    second = _audit(tmp_path, "4242", workbook, audience)

    assert sorted(first) == sorted(second)
    assert {".json", ".md", ".pdf", ".xlsx", ".html"} <= {Path(name).suffix for name in first}
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def _run(tmp_path: Path, seed: str, *args: str) -> bytes:
    """What one citcert process of hash `seed` prints for `args`."""
    here = tmp_path / f"run-{seed}"
    here.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": seed, "CITCERT_CACHE_DIR": str(here / "cache")}
    env.pop("CITCERT_STANDARDS_PATH", None)
    command = [sys.executable, "-m", "citcert", *args]
    done = subprocess.run(command, cwd=here, env=env, capture_output=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def test_the_same_tracker_gives_the_same_progress_page_whatever_the_hash_seed(
    tmp_path: Path,
) -> None:
    """``progress --format html`` prints byte-identical pages under two hash seeds."""
    from tests.export.tracker_fixture import AS_OF, kept_tracker

    tracker = kept_tracker(tmp_path)
    args = ("progress", str(tracker), "--as-of", AS_OF.isoformat(), "--format", "html")

    first = _run(tmp_path, "1", *args)

    assert first.startswith(b"<!DOCTYPE html>")
    assert _run(tmp_path, "4242", *args) == first
