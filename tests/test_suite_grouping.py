"""
`make test` runs the suite on both cores with ``--dist loadgroup``: tests that share a module- or
class-scoped fixture are sent to one worker (tests/conftest.py marks them), so an expensive
fixture is built once. Nothing fails when the grouping stops working, the suite only gets
slower; this test is what notices (pytest 9.2 broke it silently).
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def shared() -> str:
    """A module fixture, as the expensive ones are."""
    return "built once"


def test_tests_sharing_a_module_fixture_run_as_one_group(
    shared: str, request: pytest.FixtureRequest
) -> None:
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("only under --dist loadgroup, as make test runs the suite")
    assert request.node.nodeid.endswith("@tests/test_suite_grouping.py")
