"""The three views of a comparison: they only lay out what `compare` worked out."""

from __future__ import annotations

import pytest

from citcert.audit.compare import Comparison, compare
from citcert.export.comparison import WRITERS, render_json, render_markdown, render_terminal
from citcert.standards.model import Standard
from tests.audit.test_compare_audits import TRAINING_SHORT, audit


@pytest.fixture(scope="module")
def comparison(mini_standard: Standard) -> Comparison:
    """A closed core gap, for a program whose name is full of Markdown."""
    old = audit(mini_standard, numbers=TRAINING_SHORT, program_name="*Metro* | [x](y)")
    return compare(old, audit(mini_standard, program_name="*Metro* | [x](y)"))


class TestViews:
    """Terminal, Markdown and JSON only lay the comparison out."""

    def test_terminal_shows_the_headline_and_each_section(self, comparison: Comparison) -> None:
        """The text view has the headline, the decision change and the closed gap."""
        text = render_terminal(comparison).decode()

        assert comparison.headline in text
        assert "Conditionally certified → Certified (better)" in text
        assert "Gaps closed (1)" in text

    def test_markdown_escapes_workbook_text(self, comparison: Comparison) -> None:
        """A program name full of Markdown prints as written."""
        text = render_markdown(comparison).decode()

        assert r"\*Metro\* \| \[x\](y)" in text
        assert "| Overall |" in text

    def test_json_round_trips(self, comparison: Comparison) -> None:
        """The JSON view reads back into the same comparison."""
        assert comparison == Comparison.model_validate_json(render_json(comparison))


def test_every_comparison_format_has_a_writer(comparison: Comparison) -> None:
    """Terminal, Markdown, JSON and HTML each have a writer that returns bytes."""
    shown = {fmt.value: WRITERS[fmt](comparison) for fmt in WRITERS}

    assert sorted(shown) == ["html", "json", "md", "terminal"]
    assert all(shown.values())
