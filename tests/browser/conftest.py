"""
The browser tests need Chromium and axe-core; ``make test-browser`` installs both.

Where they are missing the tests are skipped with the reason, except in CI (``CI=true``), where
``make test-browser`` must have installed them and a missing one fails the run.
"""

from __future__ import annotations

import os

import pytest

from tests.browser import axe


@pytest.fixture(scope="session")
def browser() -> None:
    """Chromium and axe-core are here (skip, or in CI fail, otherwise)."""
    reason = axe.missing()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)
