"""
``citcert progress --format html``: a tracker's progress as one accessible web page.

The page holds what the Markdown holds (the sentence, every step with its status in words and
its notes) and the steps' owners, in one table with a caption and header cells; typed text is
escaped and right-to-left overrides kept inside their own value; the same tracker gives the
same bytes. The browser tests (tests/browser) run axe-core on the page of the real tracker.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from citcert.audit.progress import Progress
from citcert.cli import cli
from citcert.export import progress as writer
from tests.export.html_page import Page
from tests.export.test_html_report import check_self_contained, check_structure
from tests.export.tracker_fixture import (
    AS_OF,
    MARKUP,
    NOTE,
    OVERRIDE,
    PROGRAM_NAME,
    hostile_progress,
    kept_tracker,
)


@pytest.fixture(scope="module")
def hostile() -> Progress:
    """The hostile progress."""
    return hostile_progress()


@pytest.fixture(scope="module")
def hostile_page(hostile: Progress) -> bytes:
    """Its HTML."""
    return writer.render_html(hostile)


@pytest.fixture(scope="module")
def tracker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Brennan County's tracker as its coordinator kept it."""
    return kept_tracker(tmp_path_factory.mktemp("tracker"))


def _progress_html(tracker: Path) -> bytes:
    result = CliRunner().invoke(
        cli, ["progress", str(tracker), "--as-of", AS_OF.isoformat(), "--format", "html"]
    )
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout_bytes


class TestFromTheCommandLine:
    """The page a coordinator gets from the tracker they kept."""

    def test_the_page_is_accessible_and_self_contained(self, tracker: Path) -> None:
        """Language, title, skip link, headings in order, a captioned table; no script."""
        source = _progress_html(tracker)

        check_structure(Page(source))
        check_self_contained(source)

    def test_it_says_what_the_markdown_says(self, tracker: Path) -> None:
        """The sentence, and every step with its status and notes, as the Markdown has them."""
        source = _progress_html(tracker)
        page = Page(source)
        text = " ".join(page.all("main")[0].text.split())
        md = CliRunner().invoke(
            cli, ["progress", str(tracker), "--as-of", AS_OF.isoformat(), "--format", "md"]
        )
        rows = [row for row in md.stdout.splitlines() if row.startswith("| ") and "---" not in row]

        assert "As of 2026-03-01: 2 of 25 steps done, 1 in progress, 22 not started" in text
        assert len(rows) == 1 + 25 and len(page.all("tr")) == 1 + 25
        assert "Done, completed 2026-01-15" in text and NOTE in text
        assert "Not started, overdue" in text

    def test_the_same_tracker_gives_the_same_bytes(self, tracker: Path) -> None:
        """Two runs on the same tracker and day give identical pages."""
        assert _progress_html(tracker) == _progress_html(tracker)

    def test_the_help_names_html(self) -> None:
        """``--format html`` is one of the choices the help lists."""
        result = CliRunner().invoke(cli, ["progress", "--help"])

        assert "[terminal|json|md|html]" in result.output


class TestHostileText:
    """Whatever the tracker holds is shown as typed and runs nothing."""

    def test_the_page_is_accessible_and_self_contained(self, hostile_page: bytes) -> None:
        """The structure holds with long words, markup and right-to-left text."""
        check_structure(Page(hostile_page))
        check_self_contained(hostile_page)

    def test_markup_is_text(self, hostile_page: bytes) -> None:
        """A program name, title, owner or note full of markup is escaped, never an element."""
        page = Page(hostile_page)

        assert page.all("h1")[0].text == f"Remediation progress: {PROGRAM_NAME}"
        assert b"<Valley>" not in hostile_page and b"&lt;Valley&gt;" in hostile_page
        assert not page.all("b") and not page.all("font") and not page.all("para")
        assert " ".join(MARKUP.split()) in " ".join(e.text for e in page.all("td"))
        assert "could lift the decision to <Conditionally> certified" in page.all("main")[0].text

    def test_an_override_stays_in_its_cell(self, hostile_page: bytes) -> None:
        """A right-to-left override typed into a note is closed within that note."""
        assert f"\u2068{OVERRIDE}\u202c\u2069".encode() in hostile_page

    def test_every_step_has_its_status_in_words(
        self, hostile: Progress, hostile_page: bytes
    ) -> None:
        """Each row starts with its step number and says done, in progress or not started."""
        rows = [r.text for r in Page(hostile_page).all("tr")][1:]

        assert len(rows) == len(hostile.steps)
        for row, step in zip(rows, hostile.steps, strict=True):
            assert row.startswith(f"{step.order} {step.requirement_id}")
            said = {"done": "Done", "in_progress": "In progress", "not_started": "Not started"}
            assert said[step.status.value] in row
            assert ("overdue" in row) == step.overdue

    def test_the_same_progress_gives_the_same_bytes(
        self, hostile: Progress, hostile_page: bytes
    ) -> None:
        """Rendering again gives identical bytes."""
        assert writer.render_html(hostile) == hostile_page
