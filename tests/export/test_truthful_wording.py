"""
No report of the bundled examples may pass a citcert decision off as CIT International's.

CIT International runs its own program certification (four levels, set by its evaluators). A
citcert decision is citcert's reading of a standard, so every report of the three example
workbooks, in every format and in the batch roll-up, is read back as text and searched for the
phrases that would suggest a certificate, and for the sentence that says what the decision is.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

from citcert.cli import cli

EXAMPLES = Path(__file__).parents[2] / "examples"
NAMES = ("lakemont-metro", "brennan-county", "pine-hollow-rural")

FORBIDDEN = (
    re.compile(r"certification report", re.IGNORECASE),
    re.compile(r"\bCertified\b"),  # the old label, read as a certificate
    re.compile(r"\b(?:Conditionally|Not) certified\b", re.IGNORECASE),
    re.compile(r"certified by CIT International", re.IGNORECASE),
    re.compile(r"CIT International(?:'s)? (?:certifies|has certified|certificate)", re.IGNORECASE),
    # "a certification by CIT International" only ever after "not"
    re.compile(r"(?<!not )\ba certification by CIT International", re.IGNORECASE),
)
STANDING = "is not a certification by CIT International"
INTERNAL = re.compile(r"citcert's propos\w*", re.IGNORECASE)
"""The standards' working words for a threshold citcert proposes, not a reader's words."""


def _text_of(path: Path) -> str:
    """A report file as plain text: PDF pages, every XLSX cell, or the file itself."""
    if path.suffix == ".pdf":
        pages = PdfReader(io.BytesIO(path.read_bytes())).pages
        # pypdf breaks lines where the PDF wraps them; join them back into sentences
        return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)
    if path.suffix == ".xlsx":
        book = load_workbook(path, read_only=True)
        cells = (
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
        text = "\n".join(cells)
        book.close()
        return text
    if path.suffix == ".html":
        # what a reader sees: the markup dropped, entities read, lines joined
        shown = html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))
        return " ".join(shown.split())
    return path.read_text(encoding="utf-8")


def _offending(text: str) -> list[str]:
    return [m.group(0) for pattern in FORBIDDEN for m in pattern.finditer(text)]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every report of every example, keyed ``name.format``: the five files and the console."""
    texts: dict[str, str] = {}
    for name in NAMES:
        out = tmp_path_factory.mktemp(name)
        workbook = str(EXAMPLES / f"{name}.xlsx")
        console = CliRunner().invoke(cli, ["audit", workbook])
        assert console.exit_code == 0, console.output
        texts[f"{name}.terminal"] = console.stdout
        written = CliRunner().invoke(cli, ["audit", workbook, "-o", str(out)])
        assert written.exit_code == 0, written.output
        for path in sorted(out.iterdir()):
            texts[f"{name}{path.suffix}"] = _text_of(path)
    assert len(texts) == 6 * len(NAMES), sorted(texts)
    return texts


@pytest.fixture(scope="module")
def rollup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The batch roll-up of the three examples, every summary file as text."""
    out = tmp_path_factory.mktemp("batch")
    paths = [str(EXAMPLES / f"{name}.xlsx") for name in NAMES]
    result = CliRunner().invoke(cli, ["batch", *paths, "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    texts = {"batch.console": result.stdout}
    texts |= {p.name: _text_of(p) for p in sorted(out.glob("summary.*"))}
    assert len(texts) == 6, sorted(texts)
    return texts


def test_no_report_of_the_examples_implies_a_cit_international_certificate(
    reports: dict[str, str], rollup: dict[str, str]
) -> None:
    found = {key: _offending(text) for key, text in (reports | rollup).items()}
    assert {key: hits for key, hits in found.items() if hits} == {}


def test_no_report_of_the_examples_speaks_of_citcerts_proposal(
    reports: dict[str, str], rollup: dict[str, str]
) -> None:
    """A proposed threshold reads as one ("proposed by citcert, not a published rule")."""
    found = {key: INTERNAL.findall(text) for key, text in (reports | rollup).items()}
    assert {key: hits for key, hits in found.items() if hits} == {}
    assert "proposed by citcert, not a published rule" in reports["lakemont-metro.pdf"]


@pytest.mark.parametrize("kind", ["terminal", "json", "md", "pdf", "xlsx", "html"])
def test_every_report_says_what_the_decision_is(reports: dict[str, str], kind: str) -> None:
    """The one sentence saying it is citcert's reading, not CIT International's certification."""
    for name in NAMES:
        assert STANDING in reports[f"{name}.{kind}"], name


def test_the_checks_would_catch_the_old_wording() -> None:
    """The patterns find what the reports used to say, and let the standing sentence pass."""
    old = "CIT PROGRAM CERTIFICATION REPORT · Conditionally certified, not Certified"
    assert _offending(old) == [
        "CERTIFICATION REPORT",
        "Certified",
        "Conditionally certified",
        "not Certified",
    ]
    assert _offending("A certification by CIT International was awarded.")
    assert _offending(f"This decision {STANDING} or by any other body.") == []
