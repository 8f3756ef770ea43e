"""
A bare address typed in a workbook never becomes a link in a Markdown report, as GitHub would
make it ("extended autolinks": ``http://``, ``https://``, ``ftp://``, ``www.``, an e-mail
address, ``mailto:`` and ``xmpp:``), in every Markdown citcert writes: the audit report, the
comparison and the tracker's progress.

Each report is checked for what GitHub looks for, and, where cmarkgfm (GitHub's own cmark-gfm)
is installed, rendered as GitHub renders it, with no ``<a`` in the HTML.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from citcert.cli import cli
from citcert.errors import ExitCode
from citcert.export.markdown import escape
from tests.audit import workbook_filler as filler

EXAMPLES = Path(__file__).parent.parent / "examples"
STANDARDS = filler.MINI.parent

ADDRESSES = {
    "http": "http://evil.example/login",
    "https": "see https://evil.example/a_b?c=d&e=f now",
    "https-upper": "HTTPS://EVIL.EXAMPLE/",
    "www": "www.evil.example",
    "www-in-brackets": "(www.evil.example)",
    "e-mail": "write to bob.smith+cit@evil.example.",
    "e-mail-underscore": "first_last@evil_host.example",
    "mailto": "mailto:bob@evil.example",
    "xmpp": "xmpp:bob@evil.example",
    "ftp": "ftp://evil.example/file",
    "user-in-url": "https://user@evil.example/",
}
"""Bare addresses GitHub would link, each by its kind."""


def autolink_triggers(markdown: str) -> list[str]:
    """What GitHub would read as the start of a bare link in `markdown` (none may be left)."""
    patterns = [
        r"(?i)[a-z]://",
        r"(?i)\b(mailto|xmpp):",
        r"(?i)\bwww\.",
        # an e-mail address: a dotted domain ending in a letter (cmark-gfm's rule: not 1.0)
        r"[A-Za-z0-9.+_-]@(?:\\?[A-Za-z0-9_-])+(?:\\?\.(?:\\?[A-Za-z0-9_-])+)+"
        r"(?<=[A-Za-z])(?![A-Za-z0-9_\\-])",
    ]
    return [m.group() for p in patterns for m in re.finditer(p, markdown)]


def rendered_links(markdown: str) -> list[str]:
    """The links GitHub's own renderer makes of `markdown`."""
    import cmarkgfm

    html = cmarkgfm.github_flavored_markdown_to_html(markdown)
    return re.findall(r"<a [^>]*>", html)


GITHUB = importlib.util.find_spec("cmarkgfm") is not None
"""Whether GitHub's renderer is installed (a test dependency; without it, only the triggers are
checked)."""


def assert_no_link(markdown: str) -> None:
    """`markdown` shows the address but holds nothing GitHub would make a link of."""
    assert "evil" in markdown.lower(), "the address is still shown"
    assert autolink_triggers(markdown) == []
    if GITHUB:
        assert rendered_links(markdown) == []


@pytest.mark.parametrize("kind", sorted(ADDRESSES))
def test_the_escape_leaves_nothing_github_links(kind: str) -> None:
    """One escaped address: no trigger left, and GitHub's renderer shows it as text, whole."""
    pytest.importorskip("cmarkgfm")
    shown = escape(ADDRESSES[kind])

    assert autolink_triggers(shown) == []
    assert rendered_links(shown) == []
    assert rendered_links(ADDRESSES[kind]) != [], "GitHub links the address typed as it is"


def test_what_is_no_address_is_left_as_it_was() -> None:
    """A standard's ``id@version`` is no e-mail address: no comment clutters it."""
    assert escape("cit-best-practice@2019.1 and x@localhost") == (
        "cit-best-practice@2019.1 and x@localhost"
    )


@pytest.mark.parametrize("kind", sorted(ADDRESSES))
def test_the_audit_report_links_no_address_typed_in_the_workbook(tmp_path: Path, kind: str) -> None:
    """Program name, evidence, notes, document names: the .md holds no link trigger."""
    text = ADDRESSES[kind]
    book = filler.fill(filler.blank())
    filler.set_program(book, "program_name", f"Riverton CIT {text}")
    filler.set_answer(book, "PART-02", "Evidence summary", f"Minutes at {text}")
    filler.set_answer(book, "PART-02", "Document references", text)
    path = filler.save(book, tmp_path / "p.xlsx")

    result = CliRunner().invoke(
        cli, ["--standards-dir", str(STANDARDS), "audit", str(path), "-o", "-", "--format", "md"]
    )

    assert result.exit_code == ExitCode.OK, result.output
    assert_no_link(result.stdout)


@pytest.fixture(scope="module")
def audit_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("audit")
    result = CliRunner().invoke(
        cli, ["audit", str(EXAMPLES / "brennan-county.xlsx"), "-o", str(out), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    (path,) = out.iterdir()
    return path


@pytest.mark.parametrize("kind", sorted(ADDRESSES))
def test_the_comparison_links_no_address(tmp_path: Path, audit_json: Path, kind: str) -> None:
    """compare --format md of a report whose names hold an address: no link."""
    data = json.loads(audit_json.read_text(encoding="utf-8"))
    data["profile"]["program_name"] += " " + ADDRESSES[kind]
    data["domains"][0]["title"] += " " + ADDRESSES[kind]
    data["results"][0]["title"] += " " + ADDRESSES[kind]
    data["results"][0]["level_label"] += " " + ADDRESSES[kind]
    crafted = tmp_path / "new.json"
    crafted.write_text(json.dumps(data), encoding="utf-8")

    result = CliRunner().invoke(cli, ["compare", str(audit_json), str(crafted), "--format", "md"])

    assert result.exit_code == ExitCode.OK, result.output
    assert_no_link(result.stdout)


@pytest.fixture(scope="module")
def tracker_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The tracker `audit` writes for the Brennan County example."""
    out = tmp_path_factory.mktemp("tracker")
    made = CliRunner().invoke(
        cli, ["audit", str(EXAMPLES / "brennan-county.xlsx"), "-o", str(out), "--format", "xlsx"]
    )
    assert made.exit_code == 0, made.output
    (tracker,) = out.iterdir()
    return tracker.read_bytes()


@pytest.mark.parametrize("kind", sorted(ADDRESSES))
def test_progress_links_no_address_in_the_trackers_notes(
    tmp_path: Path, tracker_bytes: bytes, kind: str
) -> None:
    """A coordinator's note holding an address, in progress --format md: no link."""
    tracker = tmp_path / "tracker.xlsx"
    tracker.write_bytes(tracker_bytes)
    book = load_workbook(tracker)
    plan = book["Remediation plan"]
    notes = next(c.column for c in plan[1] if c.value == "Notes")
    plan.cell(2, notes).value = f"Sent to {ADDRESSES[kind]}"
    book.save(tracker)

    result = CliRunner().invoke(
        cli, ["progress", str(tracker), "--as-of", "2026-03-01", "--format", "md"]
    )

    assert result.exit_code == ExitCode.OK, result.output
    assert_no_link(result.stdout)
