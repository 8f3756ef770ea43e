"""
The state dashboard (``summary.html``) a batch run writes, and the HTML view of a comparison.

The dashboard is checked on a real run over the bundled examples and a broken workbook: its
decisions, gaps and per-domain spread match the roll-up, its programs are in name order, and
its links are relative and reach each program's own HTML report, so the folder can be zipped.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from citcert.audit.compare import Comparison
from citcert.audit.rollup import Rollup
from citcert.cli import cli as main
from citcert.export.comparison import render_html
from tests.export.html_page import Page
from tests.export.test_comparison_views import comparison  # noqa: F401  (a fixture)
from tests.export.test_html_report import check_self_contained, check_structure

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PROGRAMS = ("brennan-county.xlsx", "lakemont-metro.xlsx", "pine-hollow-rural.xlsx")
"""The three programs' own workbooks (Lakemont's reviewer workbook is audited elsewhere)."""


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch run over copies of the examples plus one broken workbook; its output folder."""
    work = tmp_path_factory.mktemp("dashboard")
    books = work / "books"
    books.mkdir()
    for name in PROGRAMS:
        shutil.copy2(EXAMPLES / name, books / name)
    (books / "broken.xlsx").write_bytes(b"not a workbook")
    result = CliRunner().invoke(main, ["batch", str(books), "-o", str(work / "out")])
    assert result.exit_code == 2, result.output
    return work / "out"


@pytest.fixture(scope="module")
def page(run: Path) -> Page:
    """summary.html, parsed."""
    return Page((run / "summary.html").read_bytes())


@pytest.fixture(scope="module")
def rollup(run: Path) -> Rollup:
    """The run's roll-up, from summary.json."""
    return Rollup.model_validate_json((run / "summary.json").read_bytes())


def test_the_dashboard_is_accessible_and_self_contained(run: Path, page: Page) -> None:
    """Language, skip link, headings, captions, header cells, charts; no script, no network."""
    check_structure(page)
    check_self_contained((run / "summary.html").read_bytes())
    assert len(page.all("svg")) == 3


def test_links_are_relative_and_reach_each_programs_html_report(run: Path, page: Page) -> None:
    """Each program's name links to its HTML report inside the output folder."""
    links = [a.attrs["href"] for a in page.all("a") if not a.attrs["href"].startswith("#")]

    assert len(links) == 3
    for link in links:
        assert not link.startswith("/") and ".." not in link
        target = (run / unquote(link)).resolve()
        assert target.is_file() and target.suffix == ".html"
        assert run.resolve() in target.parents


def test_programs_are_in_name_order_and_failures_are_listed(page: Page, rollup: Rollup) -> None:
    """The programs table is alphabetical; the broken workbook is named with its reason."""
    names = [a.text for a in page.all("a") if not a.attrs["href"].startswith("#")]
    audited = [r.program for r in rollup.rows if r.audited]
    assert names == sorted(audited, key=str.casefold)
    failed = page.by_id()["failed"]
    assert failed.tag == "h2" and "(1)" in failed.text
    text = " ".join(e.text for e in page.all("main"))
    assert "broken.xlsx" in text


def test_decisions_gaps_and_domains_match_the_rollup(page: Page, rollup: Rollup) -> None:
    """Each decision's count, the most common gap and each domain's median are on the page."""
    rows = [tr.text for tr in page.all("tr")]
    for decision in rollup.decisions:
        assert f"{decision.label} {decision.programs}" in rows
    top = rollup.requirements[0]
    assert any(r.startswith(top.requirement_id) and f"{top.gaps} of" in r for r in rows)
    descs = " ".join(d.text for d in page.all("desc"))
    for domain in rollup.domains:
        assert f"{domain.domain_id} · {domain.title}: median" in descs


def test_summary_html_is_in_the_manifest_and_the_same_on_a_rerun(run: Path) -> None:
    """The manifest lists summary.html and each program's HTML report."""
    manifest = json.loads((run / ".citcert-manifest.json").read_text(encoding="utf-8"))
    assert "summary.html" in manifest["files"]
    assert sum(f.endswith(".html") for f in manifest["files"]) == 4


def test_without_html_reports_the_names_are_not_links(tmp_path: Path) -> None:
    """With --format pdf there is no HTML report to link to, and the page says so."""
    books = tmp_path / "books"
    books.mkdir()
    shutil.copy2(EXAMPLES / "brennan-county.xlsx", books)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(books), "-o", str(out), "--format", "pdf"])
    assert result.exit_code == 0, result.output

    page = Page((out / "summary.html").read_bytes())

    assert all(a.attrs["href"].startswith("#") for a in page.all("a"))
    assert "wrote no HTML report" in " ".join(p.text for p in page.all("p"))


def test_the_comparison_page_is_accessible_and_escapes_the_program(
    comparison: Comparison,  # noqa: F811  (the imported fixture)
) -> None:
    """compare --format html: same structure rules; a name full of markup shows as typed."""
    source = render_html(comparison)
    page = Page(source)

    check_structure(page)
    check_self_contained(source)
    assert page.all("h1")[0].text == "*Metro* | [x](y): progress between two audits"
    assert "Gaps closed (1)" in [text for _, text in page.headings()]
    assert render_html(comparison) == source


def test_compare_writes_html_from_the_command_line(tmp_path: Path) -> None:
    """`citcert compare OLD NEW --format html -o FILE` writes the page."""
    runner = CliRunner()
    report = tmp_path / "a.json"
    audit = runner.invoke(
        main, ["audit", str(EXAMPLES / "brennan-county.xlsx"), "-o", "-", "--format", "json"]
    )
    report.write_bytes(audit.stdout_bytes)
    out = tmp_path / "progress.html"

    result = runner.invoke(
        main, ["compare", str(report), str(report), "--format", "html", "-o", str(out)]
    )

    assert result.exit_code == 0, result.output
    assert Page(out.read_bytes()).all("h1")[0].text.endswith("progress between two audits")
