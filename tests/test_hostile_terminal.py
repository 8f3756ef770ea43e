"""
Nothing a file holds can command the terminal: every text from a workbook, a JSON report, a
standard or a file name is printed as data, piped or not, coloured or not.

Each hostile text is tried through the command line: an escape sequence (CSI, which clears and
recolours), an OSC 8 hyperlink, a bell, a carriage return that would overwrite the line, a line
break that would forge a line of citcert's own, the C1 controls (one-character CSI, OSC and
NEL) and the bidirectional overrides and isolates. What comes out may show their codes
(``\\u001b``), never the characters themselves, and no line may start with the forged text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from citcert._text import one_line, printable
from citcert.cli import cli
from citcert.errors import ExitCode
from citcert.workbook.review import layout as R
from tests.audit import workbook_filler as filler
from tests.review.test_review_cycle import fill_review

EXAMPLES = Path(__file__).parent.parent / "examples"
STANDARDS = filler.MINI.parent

FORGED = "FAKE: Meets the standard"
"""What a hostile text tries to print as a line of its own."""

HOSTILE = {
    "csi": "\x1b[2J\x1b[1;1H\x1b[31m" + FORGED,
    "osc8": "\x1b]8;;mailto:evil@example.org\x1b\\click here\x1b]8;;\x1b\\",
    "osc-title": "\x1b]0;pwned\x07",
    "bell": "ding\x07\x07",
    "carriage-return": "real\r" + FORGED,
    "newline": "real\n" + FORGED,
    "crlf": "real\r\n" + FORGED,
    "c1": "\x9b2J\x9d0;title\x9c\x85" + FORGED,
    "bidi": "\u202eevil\u202c \u2066isolated\u2069 \u202bembedded\u202c",
    "delete": "rub\x7fout",
}
"""Hostile texts, each by the trick it tries."""

IN_A_CELL = ("carriage-return", "newline", "crlf", "bidi")
"""The tricks a workbook cell can carry (XML holds no escape or bell; C1 controls are dropped)."""

_SGR = re.compile(r"\x1b\[[0-9;]*m")
_OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_inert(text: str, *, coloured: bool = False) -> None:
    """`text` holds nothing a terminal obeys (but citcert's own colours) and no forged line."""
    shown = _SGR.sub("", text) if coloured else text
    assert not _OBEYED.findall(shown), _OBEYED.findall(shown)
    assert not [line for line in shown.split("\n") if line.lstrip().startswith(FORGED)]


def invoke(*args: str) -> Result:
    """citcert with the test standards (group options such as --color may come first)."""
    return CliRunner().invoke(cli, ["--standards-dir", str(STANDARDS), *args])


def assert_result_inert(result: Result, *, coloured: bool = False) -> None:
    assert_inert(result.stdout, coloured=coloured)
    assert_inert(result.stderr)


# --- the two functions everything goes through ------------------------------------------------


class TestTheSharedFunctions:
    @pytest.mark.parametrize("trick", sorted(HOSTILE))
    def test_one_line_is_one_inert_line(self, trick: str) -> None:
        """Every trick: one line, nothing obeyed, the codes shown in place."""
        shown = one_line(HOSTILE[trick])

        assert "\n" not in shown
        assert_inert(shown)

    def test_the_codes_name_the_characters(self) -> None:
        """ESC shows as \\u001b, a bell as \\u0007, an override as \\u202e; a break as a space."""
        assert one_line("a\x1b[1mb\x07\u202ec\nd\te") == "a\\u001b[1mb\\u0007\\u202ec d e"

    def test_a_coloured_output_keeps_only_colour_codes(self) -> None:
        """SGR codes stay in a styled output; a cursor move, a link or a title does not."""
        text = "\x1b[1mbold\x1b[0m \x1b[2J \x1b]8;;x\x07 \x1b[38;2;27;127;59mgreen\x1b[0m"

        shown = printable(text, styled=True)

        assert shown == (
            "\x1b[1mbold\x1b[0m \\u001b[2J \\u001b]8;;x\\u0007 \x1b[38;2;27;127;59mgreen\x1b[0m"
        )
        assert printable(text) == text.replace("\x1b", "\\u001b").replace("\x07", "\\u0007")

    @given(st.recursive(st.text() | st.integers(), lambda kids: st.lists(kids, max_size=4)))
    def test_printed_json_means_what_it_meant(self, data: object) -> None:
        """A JSON output made printable is still JSON, and reads back to the same data."""
        text = json.dumps(data, ensure_ascii=False, indent=2)

        assert json.loads(printable(text)) == data
        assert_inert(printable(text).replace(FORGED, ""))

    def test_every_command_prints_through_the_guard(self) -> None:
        """No command calls click.echo itself: everything goes through `conventions.echo`."""
        root = Path(__file__).parent.parent / "citcert" / "cli"
        calls = [
            f"{path.name}:{number}"
            for path in sorted(root.glob("*.py"))
            if path.name != "conventions.py"
            for number, line in enumerate(path.read_text().splitlines(), start=1)
            if "click.echo(" in line and "version" not in line
        ]

        assert calls == []


# --- a crafted JSON report given to compare ---------------------------------------------------


@pytest.fixture(scope="module")
def audit_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("audit")
    result = CliRunner().invoke(
        cli, ["audit", str(EXAMPLES / "brennan-county.xlsx"), "-o", str(out), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    (path,) = out.iterdir()
    return path


def _crafted(original: Path, folder: Path, text: str) -> Path:
    """The audit report with `text` in the program, standard, domain and requirement names."""
    data = json.loads(original.read_text(encoding="utf-8"))
    data["profile"]["program_name"] += text
    data["provenance"]["standard_title"] += text
    data["domains"][0]["title"] += text
    for result in data["results"][:3]:
        result["title"] += text
        result["level_label"] += text
    data["plan"]["steps"][0]["title"] += text
    path = folder / "crafted.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


class TestCompare:
    @pytest.mark.parametrize("trick", sorted(HOSTILE))
    @pytest.mark.parametrize("flags", [(), ("--color",)], ids=["piped", "coloured"])
    def test_a_crafted_report_prints_no_command_and_no_line(
        self, tmp_path: Path, audit_json: Path, trick: str, flags: tuple[str, ...]
    ) -> None:
        """The terminal view of a crafted report, piped or with --color: inert, the codes shown."""
        crafted = _crafted(audit_json, tmp_path, HOSTILE[trick])

        result = CliRunner().invoke(cli, [*flags, "compare", str(audit_json), str(crafted)])

        assert result.exit_code == ExitCode.OK, result.output
        assert_result_inert(result)
        assert "Brennan County Crisis Intervention Team" in result.stdout
        if trick == "newline":
            assert f"real {FORGED}" in result.stdout

    @pytest.mark.parametrize("fmt", ["md", "json"])
    @pytest.mark.parametrize("trick", ["csi", "osc8", "c1", "bidi", "newline"])
    def test_the_other_views_printed_are_inert_too(
        self, tmp_path: Path, audit_json: Path, trick: str, fmt: str
    ) -> None:
        """Markdown and JSON printed on the terminal hold no command either (JSON still parses)."""
        crafted = _crafted(audit_json, tmp_path, HOSTILE[trick])

        result = invoke("compare", str(audit_json), str(crafted), "--format", fmt)

        assert result.exit_code == ExitCode.OK, result.output
        assert_result_inert(result)
        if fmt == "json":
            assert HOSTILE[trick] in json.loads(result.stdout)["program"]


# --- file names -------------------------------------------------------------------------------

NAMED = {k: v for k, v in HOSTILE.items() if "/" not in v}
"""The tricks a file name can carry (every one but a slash)."""


def _named(folder: Path, trick: str, source: Path) -> Path:
    path = folder / f"p{NAMED[trick]}.xlsx"
    path.write_bytes(source.read_bytes())
    return path


class TestFileNames:
    @pytest.mark.parametrize("trick", sorted(NAMED))
    def test_validate_names_a_workbook_inertly(self, tmp_path: Path, trick: str) -> None:
        """'is ready to audit' and an error, each naming a hostile file on one inert line."""
        (tmp_path / "ok").mkdir()
        good = _named(tmp_path / "ok", trick, filler.filled_path(tmp_path))
        bad = tmp_path / f"q{NAMED[trick]}.xlsx"
        bad.write_text("not a workbook")

        result = invoke("validate", str(good), str(bad))

        assert result.exit_code == ExitCode.INPUT_ERROR
        assert_result_inert(result)
        assert "is ready to audit" in result.stdout
        assert "this is a text file" in result.stderr

    @pytest.mark.parametrize("trick", sorted(NAMED))
    def test_the_error_of_a_command_names_the_file_inertly(
        self, tmp_path: Path, trick: str
    ) -> None:
        """Error: lines (one per problem) show a hostile name's codes, never its characters."""
        bad = tmp_path / f"q{NAMED[trick]}.xlsx"
        bad.write_text("not a workbook")

        result = invoke("audit", str(bad))

        assert result.exit_code == ExitCode.INPUT_ERROR
        assert_result_inert(result)
        assert result.stderr.startswith("Error: q")

    @pytest.mark.parametrize("trick", ["csi", "osc8", "carriage-return", "newline", "c1", "bidi"])
    def test_batch_lines_name_files_inertly(self, tmp_path: Path, trick: str) -> None:
        """The batch's 'Could not audit' lines and its summary, with hostile file names."""
        folder = tmp_path / "in"
        folder.mkdir()
        _named(folder, trick, filler.filled_path(tmp_path))
        (folder / f"q{NAMED[trick]}.xlsx").write_text("not a workbook")

        result = invoke("batch", str(folder), "-o", str(tmp_path / "out"), "--format", "json")

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert_result_inert(result)
        assert "Could not audit q" in result.stderr


# --- workbook text ----------------------------------------------------------------------------


class TestWorkbookText:
    @pytest.mark.parametrize("trick", IN_A_CELL)
    @pytest.mark.parametrize("flags", [(), ("--color",)], ids=["piped", "coloured"])
    def test_the_terminal_report_keeps_a_program_name_on_its_line(
        self, tmp_path: Path, trick: str, flags: tuple[str, ...]
    ) -> None:
        """A program name with a line break or an override: one line, coloured or not."""
        book = filler.fill(filler.blank())
        filler.set_program(book, "program_name", "Riverton" + HOSTILE[trick])
        filler.set_answer(book, "TRN-01", "Notes", HOSTILE[trick])
        path = filler.save(book, tmp_path / "p.xlsx")

        result = invoke(*flags, "audit", str(path))

        assert result.exit_code == ExitCode.OK, result.output
        assert_inert(result.stdout, coloured=bool(flags))
        assert result.stdout.split("\n")[0].startswith("\x1b[1mRiverton" if flags else "Riverton")

    @pytest.mark.parametrize("trick", IN_A_CELL)
    def test_an_error_quoting_a_cell_stays_one_line(self, tmp_path: Path, trick: str) -> None:
        """A rating that is not one, quoted in its error: the error is one line, inert."""
        book = filler.fill(filler.blank())
        filler.set_answer(book, "TRN-01", "Self rating", "Yes" + HOSTILE[trick])
        path = filler.save(book, tmp_path / "p.xlsx")

        result = invoke("validate", str(path))

        assert result.exit_code == ExitCode.INPUT_ERROR
        assert_result_inert(result)
        (line,) = [ln for ln in result.stderr.split("\n") if "TRN-01" in ln]
        assert "Evidence!" in line and "is not one of" in line

    @pytest.mark.parametrize("trick", IN_A_CELL)
    def test_progress_keeps_tracker_notes_on_their_line(self, tmp_path: Path, trick: str) -> None:
        """A tracker's program name and a step's notes, from the coordinator's edits: inert."""
        out = tmp_path / "reports"
        made = CliRunner().invoke(
            cli,
            ["audit", str(EXAMPLES / "brennan-county.xlsx"), "-o", str(out), "--format", "xlsx"],
        )
        assert made.exit_code == 0, made.output
        (tracker,) = out.iterdir()
        book = load_workbook(tracker)
        plan = book["Remediation plan"]
        notes = next(c.column for c in plan[1] if c.value == "Notes")
        plan.cell(2, notes).value = HOSTILE[trick]
        book.save(tracker)

        result = CliRunner().invoke(cli, ["progress", str(tracker), "--as-of", "2026-03-01"])

        assert result.exit_code == ExitCode.OK, result.output
        assert_result_inert(result)

    @pytest.mark.parametrize("trick", IN_A_CELL)
    def test_reconcile_keeps_comments_and_names_on_their_lines(
        self, tmp_path: Path, trick: str
    ) -> None:
        """
        Reviewers' names and comments in a disagreement: each on its own inert line. The name
        is typed into the review workbook (``--reviewer`` itself refuses such characters).
        """
        submission = filler.filled_path(tmp_path)
        reviews = []
        for who, rating in (("Ada" + HOSTILE[trick], "Met"), ("Ben", "Not met")):
            path = tmp_path / f"review-{len(reviews)}.xlsx"
            started = invoke("review", "start", str(submission), "--reviewer", "R", "-o", str(path))
            assert started.exit_code == 0, started.output
            fill_review(path, {"TRN-01": rating}, HOSTILE[trick])
            book = load_workbook(path)
            (name,) = [
                row[2] for row in book[R.REVIEWER_SHEET].iter_rows() if row[0].value == "reviewer"
            ]
            name.value = who
            book.save(path)
            reviews.append(str(path))

        result = invoke("review", "reconcile", *reviews, "-o", str(tmp_path / "consensus.xlsx"))

        assert result.exit_code == 0, result.output
        assert_result_inert(result)
        assert "Disagreements (1):" in result.stdout
        assert "Raters: Ada" in result.stdout  # the name typed in the workbook, not "R"


# --- standards --------------------------------------------------------------------------------


@pytest.fixture
def hostile_standards(tmp_path: Path) -> Path:
    """A folder with the mini standard titled with an override, and a broken file badly named."""
    folder = tmp_path / "standards"
    folder.mkdir()
    raw = filler.load_yaml(filler.MINI)
    raw["title"] = "Mini \u202eevil\u202c \u2066standard\u2069"
    filler.dump_yaml(raw, folder / "mini.yaml")
    (folder / f"broken{NAMED['csi']}{NAMED['newline']}.yaml").write_text("id: [unclosed\n")
    return folder


class TestStandards:
    @pytest.mark.parametrize(
        "args",
        [("standards", "list"), ("standards", "show", "mini-standard")],
        ids=["list", "show"],
    )
    def test_titles_and_skipped_files_are_shown_inertly(
        self, hostile_standards: Path, args: tuple[str, ...]
    ) -> None:
        """An override in a title and a hostile file name: their codes, on their own lines."""
        result = CliRunner().invoke(cli, ["--standards-dir", str(hostile_standards), *args])

        assert result.exit_code == ExitCode.OK, result.output
        assert_result_inert(result)
        assert "Mini \\u202eevil\\u202c \\u2066standard\\u2069" in result.stdout

    def test_validate_names_a_hostile_file_inertly(self, hostile_standards: Path) -> None:
        """`standards validate` of a badly named broken file: one inert Error line per problem."""
        (broken,) = hostile_standards.glob("broken*")

        result = invoke("standards", "validate", str(broken))

        assert result.exit_code == ExitCode.INPUT_ERROR
        assert_result_inert(result)
        assert "broken\\u001b[2J" in result.stderr
