"""
``citcert review reconcile --format html``: the raters' agreement as one accessible web page.

The page holds what the terminal text holds (the raters, the agreement sentence, every
disagreement with each rater's rating and comment) and names the program, the submission and
the standard; typed text is escaped and bidi overrides kept inside their value; the same
agreement gives the same bytes. Through the command line, the page is the whole of stdout and the
consensus workbook is the one the terminal run writes. The browser tests run axe-core on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from citcert.cli import cli
from citcert.export.review import AGREEMENT_WRITERS, Agreement, agreement_text
from tests.export.html_page import Page
from tests.export.review_fixture import (
    MARKUP,
    OVERRIDE,
    RATERS,
    hostile_agreement,
    two_reviews,
)
from tests.export.test_html_report import check_self_contained, check_structure


def _html(report: Agreement) -> bytes:
    return AGREEMENT_WRITERS["html"](report)


@pytest.fixture(scope="module")
def hostile() -> Agreement:
    """The hostile agreement, with three disagreements."""
    return hostile_agreement()


@pytest.fixture(scope="module")
def source(hostile: Agreement) -> bytes:
    """Its page."""
    return _html(hostile)


class TestPage:
    """The page a panel keeps of the reconciliation."""

    @pytest.mark.parametrize("disagreements", [True, False])
    def test_the_page_is_accessible_and_self_contained(self, disagreements: bool) -> None:
        """Headings in order, a captioned table with header cells; no script; also with none."""
        source = _html(hostile_agreement(disagreements=disagreements))

        check_structure(Page(source))
        check_self_contained(source)

    def test_it_says_what_the_terminal_says(self, hostile: Agreement, source: bytes) -> None:
        """The raters, the sentence, every disagreement with each rater's rating and comment."""
        page = Page(source)
        text = page.all("main")[0].text
        rows = [r.text for r in page.all("tr")][1:]
        heads = [th.text for th in page.all("th") if th.attrs["scope"] == "col"]

        assert hostile.figures.sentence in text
        assert [li.text for li in page.all("li")] == list(RATERS)
        assert heads == ["Requirement", *RATERS]
        assert len(rows) == len(hostile.figures.disagreements) == 3
        for row, d in zip(rows, hostile.figures.disagreements, strict=True):
            assert row.startswith(f"{d.requirement_id} {' '.join(d.title.split())}")
            for v in d.ratings:
                assert v.label in row and " ".join(v.comment.split()) in row
        assert "Disagreements (3)" in [t for _, t in page.headings()]

    def test_it_says_at_the_top_it_is_not_for_the_program(self, source: bytes) -> None:
        """Each rater's ratings are the panel's: the page opens as a panel report's banner does."""
        page = Page(source)
        banners = [p.text for p in page.all("p") if "review-banner" in p.attrs.get("class", "")]

        assert banners == [
            "PANEL ONLY, not for the program: each rater's own ratings and comments, before the "
            "consensus."
        ]
        assert page.all("header")[0].text.endswith(banners[0])

    def test_it_names_whose_submission(self, hostile: Agreement, source: bytes) -> None:
        """Program in the title and heading; submission and standard among the facts."""
        page = Page(source)
        facts = page.all("dl")[0].text

        assert page.all("h1")[0].text == f"Agreement between the raters: {hostile.program_name}"
        assert hostile.program_name in page.all("title")[0].text
        assert hostile.submission_name in facts and hostile.standard_ref in facts

    def test_when_the_raters_agree_it_says_so(self) -> None:
        """No disagreement: no table, and the sentence the terminal prints."""
        report = hostile_agreement(disagreements=False)
        page = Page(_html(report))

        assert not page.all("table")
        assert "The raters agree on every requirement." in page.all("main")[0].text
        assert "The raters agree on every requirement." in agreement_text(report.figures)

    def test_typed_text_is_escaped_and_isolated(self, source: bytes) -> None:
        """Markup in a title or a name is text; an override stays inside its comment."""
        page = Page(source)

        assert b"<Valley>" not in source and b"<Sam>" not in source
        assert not page.all("b") and not page.all("font") and not page.all("para")
        assert " ".join(MARKUP.split()) in page.all("tbody")[0].text
        assert f"\u2068{OVERRIDE}".encode() in source

    def test_the_same_agreement_gives_the_same_bytes(
        self, hostile: Agreement, source: bytes
    ) -> None:
        """Rendering again gives identical bytes."""
        assert _html(hostile) == source


@dataclass(frozen=True)
class Runs:
    """`review reconcile` of the same two reviews as text, as HTML twice, and as HTML with -q."""

    folder: Path
    text: Result
    html: Result
    again: Result
    quiet: Result


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """Two reviewers' workbooks of the Lakemont submission that differ on two requirements,
    reconciled four times through the command line."""
    folder = tmp_path_factory.mktemp("reviews")
    reviews = two_reviews(folder)

    def run(name: str, *extra: str) -> Result:
        out = folder / f"{name}.xlsx"
        result = CliRunner().invoke(
            cli, ["review", "reconcile", *map(str, reviews), "-o", str(out), *extra]
        )
        assert result.exit_code == 0, result.output + result.stderr
        return result

    html = ("--format", "html")
    return Runs(
        folder, run("text"), run("html", *html), run("again", *html), run("quiet", *html, "-q")
    )


class TestFromTheCommandLine:
    """``--format html`` prints the page alone; everything else is as with the text."""

    def test_stdout_is_the_page_and_the_note_goes_to_stderr(self, runs: Runs) -> None:
        """The page is all of stdout, so ``> agreement.html`` gives a clean file."""
        result = runs.html
        page = Page(result.stdout_bytes)

        assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.endswith("</html>")
        assert "Consensus workbook written to" in result.stderr
        assert "Disagreements (2)" in [t for _, t in page.headings()]
        assert "No <minutes> & no roster." in page.all("tbody")[0].text
        check_structure(page)

    def test_the_page_holds_the_terminal_figures(self, runs: Runs) -> None:
        """The agreement sentence and each disagreement are those the text prints."""
        text = runs.text.stdout
        page = Page(runs.html.stdout_bytes)
        sentence = text.splitlines()[2]
        listed = [
            line.split()[0] for line in text.splitlines() if line.startswith("  ") and "-0" in line
        ]

        assert sentence.startswith("Over ") and sentence in page.all("main")[0].text
        assert listed == [row.text.split()[0] for row in page.all("tr")[1:]]
        assert "Consensus workbook written to" in text and runs.text.stderr == ""

    def test_the_consensus_workbook_is_the_same_whatever_the_format(self, runs: Runs) -> None:
        """The format of the report changes nothing in the workbook written."""
        assert (runs.folder / "text.xlsx").read_bytes() == (runs.folder / "html.xlsx").read_bytes()

    def test_two_runs_print_the_same_bytes(self, runs: Runs) -> None:
        """The same reviews give the same page."""
        assert runs.html.stdout_bytes == runs.again.stdout_bytes

    def test_quiet_leaves_only_the_page(self, runs: Runs) -> None:
        """With -q the note on stderr is silenced; the page is still printed."""
        assert runs.quiet.stderr == "" and runs.quiet.stdout_bytes == runs.html.stdout_bytes
