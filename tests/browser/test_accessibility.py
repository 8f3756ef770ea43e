"""
Every HTML output in a real browser: zero axe-core violations at WCAG 2.1 A and AA, no page
wider than a 360-pixel phone, and screenshots at phone and desktop width to look at.

The pages are made the way users make them: ``citcert audit --format html`` on each bundled
example (the reviewer's workbook also for the panel, and one with two exceptions), the hostile
assessment of the writers' tests (long words, markup, right-to-left text), the same as a draft
consensus review for the applicant and for the panel, ``progress --format html`` of a tracker a
coordinator kept and of a hostile one, ``review reconcile --format html`` of two reviews of an
example and a hostile agreement, ``compare --format html``, and ``summary.html`` of a batch run
over the examples.
"""

from __future__ import annotations

import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from citcert.audit.compare import Comparison
from citcert.cli import cli
from citcert.export import Format, render
from citcert.export import progress as progress_writer
from citcert.export.comparison import render_html
from citcert.export.review import AGREEMENT_WRITERS
from tests.audit.test_exceptions import EXPIRED, IN_FORCE, book_with
from tests.audit.test_since_review import _next_workbook
from tests.browser import axe
from tests.export.assessment_fixture import hostile_assessment
from tests.export.review_fixture import hostile_agreement, hostile_review, two_reviews
from tests.export.test_comparison_views import comparison  # noqa: F401  (a fixture)
from tests.export.tracker_fixture import AS_OF, hostile_progress, kept_tracker

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser")]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PHONE, DESKTOP = 360, 1280


@pytest.fixture(scope="module")
def pages(
    tmp_path_factory: pytest.TempPathFactory,
    comparison: Comparison,  # noqa: F811  (the imported fixture)
) -> dict[str, Path]:
    """Every kind of HTML page citcert writes, by a short name."""
    work = tmp_path_factory.mktemp("pages")
    runner = CliRunner()
    found: dict[str, Path] = {}
    for example in sorted(EXAMPLES.glob("*.xlsx")):
        out = work / example.stem
        result = runner.invoke(cli, ["audit", str(example), "-o", str(out), "--format", "html"])
        assert result.exit_code == 0, result.output
        (found[example.stem],) = out.glob("*.html")
    panel = work / "review-panel"
    review = EXAMPLES / "lakemont-metro-review.xlsx"
    result = runner.invoke(cli, ["audit", str(review), "-o", str(panel), "--format", "html",
                                 "--audience", "panel"])  # fmt: skip
    assert result.exit_code == 0, result.output
    (found["review-panel"],) = panel.glob("*.html")
    book = book_with(work, [IN_FORCE, EXPIRED])
    result = runner.invoke(cli, ["audit", str(book), "-o", str(work / "exceptions"), "--format",
                                 "html"])  # fmt: skip
    assert result.exit_code == 0, result.output
    (found["exceptions"],) = (work / "exceptions").glob("*.html")
    found["hostile"] = work / "hostile.html"
    found["hostile"].write_bytes(render(hostile_assessment(), Format.HTML))
    for audience in ("applicant", "panel"):
        name = f"hostile-draft-{audience}"
        found[name] = work / f"{name}.html"
        found[name].write_bytes(render(hostile_review(final=False), Format.HTML, audience))
    tracker = kept_tracker(work / "tracker")
    result = runner.invoke(cli, ["progress", str(tracker), "--as-of", AS_OF.isoformat(),
                                 "--format", "html"])  # fmt: skip
    assert result.exit_code == 0, result.output
    found["progress"] = work / "progress.html"
    found["progress"].write_bytes(result.stdout_bytes)
    found["progress-hostile"] = work / "progress-hostile.html"
    found["progress-hostile"].write_bytes(progress_writer.render_html(hostile_progress()))
    reviews = two_reviews(work)
    result = runner.invoke(cli, ["review", "reconcile", *map(str, reviews), "-o",
                                 str(work / "consensus.xlsx"), "--format", "html"])  # fmt: skip
    assert result.exit_code == 0, result.output
    found["agreement"] = work / "agreement.html"
    found["agreement"].write_bytes(result.stdout_bytes)
    found["agreement-hostile"] = work / "agreement-hostile.html"
    found["agreement-hostile"].write_bytes(AGREEMENT_WRITERS["html"](hostile_agreement()))
    found["compare"] = work / "compare.html"
    found["compare"].write_bytes(render_html(comparison))
    found["since"] = _since_page(runner, work)
    books = work / "books"
    books.mkdir()
    for example in EXAMPLES.glob("*.xlsx"):
        shutil.copy2(example, books)
    (books / "broken.xlsx").write_bytes(b"not a workbook")
    result = runner.invoke(cli, ["batch", str(books), "-o", str(work / "batch"), "--jobs", "1"])
    assert result.exit_code == 2, result.output
    found["summary"] = work / "batch" / "summary.html"
    return found


def _since_page(runner: CliRunner, work: Path) -> Path:
    """Brennan County's next review, audited --since its first (gaps closed, steps done)."""
    first = work / "first"
    result = runner.invoke(
        cli, ["audit", str(EXAMPLES / "brennan-county.xlsx"), "-o", str(first), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    (old,) = first.glob("*.json")
    book = _next_workbook(EXAMPLES / "brennan-county.xlsx", work / "next.xlsx")
    out = work / "since"
    args = ["audit", str(book), "--since", str(old), "-o", str(out), "--format", "html"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    (page,) = out.glob("*.html")
    return page


NAMES = [
    *(p.stem for p in sorted(EXAMPLES.glob("*.xlsx"))),
    "review-panel",
    "exceptions",
    "hostile",
    "hostile-draft-applicant",
    "hostile-draft-panel",
    "progress",
    "progress-hostile",
    "agreement",
    "agreement-hostile",
    "compare",
    "since",
    "summary",
]
SHOTS = [
    *("brennan-county", "hostile", "hostile-draft-panel", "progress", "agreement-hostile"),
    *("compare", "since", "summary"),
]
"""The pages photographed at phone and desktop width."""


@pytest.fixture(scope="module")
def chromium_runs(
    pages: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], Future[Any]]:
    """
    Every Chromium run of the module, started at once, two at a time; each test waits for its
    own, so a failure belongs to one page.
    """
    work = tmp_path_factory.mktemp("chromium")
    shots = tmp_path_factory.mktemp("screenshots")
    pool = ThreadPoolExecutor(max_workers=2)
    runs: dict[tuple[str, str], Future[Any]] = {}
    for name in NAMES:
        runs[name, "check"] = pool.submit(axe.check, pages[name], work, PHONE)
    for name in SHOTS:
        for width in (PHONE, DESKTOP):
            png = shots / f"{name}-{width}.png"
            runs[name, f"shot-{width}"] = pool.submit(axe.screenshot, pages[name], png, width, work)
    pool.shutdown(wait=False)
    return runs


@pytest.mark.parametrize("name", NAMES)
def test_axe_finds_no_wcag_violation(
    chromium_runs: dict[tuple[str, str], Future[Any]], name: str
) -> None:
    """axe-core, run in headless Chromium, finds nothing at WCAG 2.1 A and AA."""
    violations = chromium_runs[name, "check"].result().violations

    assert not violations, "\n".join(str(v) for v in violations)


@pytest.mark.parametrize("name", NAMES)
def test_no_page_is_wider_than_a_phone(
    chromium_runs: dict[tuple[str, str], Future[Any]], name: str
) -> None:
    """At 360 px nothing makes the page scroll sideways (wide tables scroll in their own box)."""
    result = chromium_runs[name, "check"].result()
    viewport, width = result.viewport, result.width

    assert viewport == PHONE
    assert width <= viewport, f"{name} is {width} px wide in a {viewport} px window"


@pytest.mark.parametrize("name", SHOTS)
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshots_at_phone_and_desktop_width(
    chromium_runs: dict[tuple[str, str], Future[Any]], name: str, width: int
) -> None:
    """A screenshot at 360 and at 1280 px, kept in the run's temporary folder to look at."""
    png: Path = chromium_runs[name, f"shot-{width}"].result()

    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    print(f"screenshot: {png}")
