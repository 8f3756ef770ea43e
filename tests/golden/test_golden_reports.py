"""The reports (JSON, Markdown, HTML) of a fixed assessment, byte for byte, against golden files."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from citcert.audit.assessment import Assessment
from citcert.audit.scoring import assess
from citcert.export import Format, render
from citcert.standards.model import Standard
from tests.audit.builders import sample_evidence

GOLDEN = Path(__file__).parent


@pytest.fixture(scope="module")
def assessment(mini_standard: Standard) -> Assessment:
    """
    The mixed review of the mini standard, with the tool version and standard digest pinned.

    Both would otherwise change the files for reasons unrelated to the reports (a release, a new
    optional field in the standard model).
    """
    real = assess(mini_standard, sample_evidence(mini_standard))
    pinned = real.provenance.model_copy(
        update={"tool_version": "0.0.0-golden", "standard_sha256": "5" * 64}
    )
    return real.model_copy(update={"provenance": pinned})


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        (Format.JSON, "mini-review.json"),
        (Format.MARKDOWN, "mini-review.md"),
        (Format.HTML, "mini-review.html"),
    ],
)
def test_report_matches_its_golden_file(
    request: pytest.FixtureRequest, assessment: Assessment, fmt: Format, name: str
) -> None:
    """The report is byte-identical to the golden file (`make golden` regenerates it)."""
    path = GOLDEN / name
    actual = render(assessment, fmt)
    if request.config.getoption("--update-golden"):
        path.write_bytes(actual)
    assert path.exists(), f"{name} is missing: run `make golden`"
    expected = path.read_bytes()
    if actual != expected:
        diff = difflib.unified_diff(
            expected.decode().splitlines(), actual.decode().splitlines(), name, "now", lineterm=""
        )
        shown = "\n".join(list(diff)[:60])
        pytest.fail(f"{name} differs (run `make golden` if intended):\n{shown}")
