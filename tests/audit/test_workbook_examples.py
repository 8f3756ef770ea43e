"""The example workbooks: reproducible from the data in the repo, valid, and decided as meant."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from citcert.audit.scoring import assess
from citcert.cli import cli
from citcert.standards import find_standard
from citcert.workbook.reader import open_book, read_workbook

EXAMPLES = Path(__file__).parents[2] / "examples"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fresh() -> dict[str, bytes]:
    """The example workbooks generated afresh from examples/programs.yaml."""
    generated: dict[str, bytes] = _module().generate()
    return generated


def _cells(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def test_three_examples_are_generated(fresh: dict[str, bytes]) -> None:
    """The data holds the metropolitan (with its reviewer's workbook), county and rural programs."""
    assert sorted(fresh) == [
        "brennan-county.xlsx",
        "lakemont-metro-review.xlsx",
        "lakemont-metro.xlsx",
        "pine-hollow-rural.xlsx",
    ]


def test_committed_workbooks_match_a_fresh_generation(fresh: dict[str, bytes]) -> None:
    """Every cell of every committed example equals the generator's output (run it if not)."""
    for name, data in fresh.items():
        committed = EXAMPLES / name

        assert committed.exists(), f"run python examples/make_examples.py ({name} is missing)"
        assert _cells(committed.read_bytes()) == _cells(data), (
            f"examples/{name} is out of date: run python examples/make_examples.py"
        )


def test_generation_is_byte_for_byte_repeatable(fresh: dict[str, bytes]) -> None:
    """Generating twice gives identical bytes (no clock inside)."""
    assert _module().generate() == fresh


@pytest.mark.parametrize(
    ("name", "decision"),
    [
        ("lakemont-metro.xlsx", "certified"),
        ("brennan-county.xlsx", "conditional"),
        ("pine-hollow-rural.xlsx", "not_certified"),
    ],
)
def test_examples_validate_and_end_as_designed(runner: CliRunner, name: str, decision: str) -> None:
    """Each example is ready to audit, and its audit reaches the decision it was written for."""
    path = EXAMPLES / name
    standard = find_standard("cit-best-practice@2019.1")

    result = runner.invoke(cli, ["validate", str(path)])
    assessment = assess(standard, read_workbook(open_book(path), standard))

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{name} is ready to audit against cit-best-practice@2019.1.")
    assert assessment.decision.level_id == decision
