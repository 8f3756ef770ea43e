"""Shared fixtures, built in code or from small files under tests/data/."""

from __future__ import annotations

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
