"""Shared fixtures, built in code or from small files under tests/data/."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from citcert.standards.loader import load_file
from citcert.standards.model import Standard

DATA = Path(__file__).parent / "data"


def data(*parts: str) -> Path:
    """A file under tests/data/, which must exist (a typo fails loudly, not silently)."""
    path = DATA.joinpath(*parts)
    assert path.exists(), path
    return path


@pytest.fixture(scope="session")
def mini_standard() -> Standard:
    """The tiny standard in tests/data/standards/mini.yaml, which exercises every feature."""
    return load_file(data("standards", "mini.yaml"))


@pytest.fixture
def runner() -> CliRunner:
    """A click runner (stdout and stderr are kept apart since click 8.2)."""
    return CliRunner()


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden`` rewrites tests/golden/ from the current output (``make golden``)."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden files under tests/golden/ instead of comparing with them.",
    )


def pytest_configure(config: pytest.Config) -> None:
    """
    The run's own standards cache, shared by the citcert processes the tests start.

    Tests never read or fill the cache of the person running them; each run starts cold.
    """
    os.environ["CITCERT_CACHE_DIR"] = tempfile.mkdtemp(prefix="citcert-test-cache-")
    os.environ.pop("CITCERT_NO_CACHE", None)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """
    Tests that share a module- or class-scoped fixture run on one xdist worker.

    With ``--dist loadgroup`` (``make test``) the other tests go to whichever worker is free,
    but these stay together, so an expensive fixture (a batch, every report of an example) is
    built once per run instead of once on each worker that happens to get one of its tests.
    """
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        scopes = {d.scope for defs in info.name2fixturedefs.values() for d in defs}
        if scopes & {"module", "class"}:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the run's standards cache."""
    shutil.rmtree(os.environ.pop("CITCERT_CACHE_DIR", ""), ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_user_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    Every test sees an empty user config folder, so a citcert.toml of the person running the
    tests (or the machine's) never changes what a test sees; processes the tests start inherit it.
    """
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
