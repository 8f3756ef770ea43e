"""
-v/--verbose says what a command read, used and wrote, on stderr; -q silences it and the notes.

Neither ever changes standard output or a file written: each command here is run with and
without -v and its stdout (and files) compared byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from citcert.cli import cli
from tests.audit.workbook_filler import filled_path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
BRENNAN = EXAMPLES / "brennan-county.xlsx"
OVERLAY = EXAMPLES / "overlays" / "northfield-state-2024.yaml"
MINI = ROOT / "tests" / "data" / "standards"


Runs = dict[str, tuple[Result, Path]]
"""The same command's result and output folder, without and with -v."""


def run(*args: str) -> Result:
    """citcert with `args`, stdout and stderr kept apart."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by its relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """The same audit with and without -v, each into its own folder."""
    found = {}
    for name, flags in {"plain": (), "verbose": ("-v",)}.items():
        out = tmp_path_factory.mktemp(name) / "reports"
        args = ("audit", *flags, str(BRENNAN), "-o", str(out), "--format", "json,pdf,xlsx")
        found[name] = (run(*args), out)
    return found


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example programs and a file that is not a citcert workbook."""
    folder = tmp_path_factory.mktemp("state")
    for name in ("brennan-county.xlsx", "lakemont-metro.xlsx", "pine-hollow-rural.xlsx"):
        shutil.copy(EXAMPLES / name, folder / name)
    (folder / "notes.xlsx").write_bytes(b"not a workbook")
    return folder


class TestAudit:
    """audit -v: the workbook and its SHA-256, the standard and its file, the counts, sizes."""

    def test_names_the_workbook_with_its_size_and_sha256(self, runs: Runs) -> None:
        """The SHA-256 is the workbook file's own, the one every report records."""
        result, out = runs["verbose"]
        report = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))

        line = f"Workbook: brennan-county.xlsx, {BRENNAN.stat().st_size:,} bytes, "
        assert f"{line}SHA-256 {sha256(BRENNAN)}." in result.stderr.splitlines()
        assert report["provenance"]["workbook_sha256"] == sha256(BRENNAN)

    def test_names_the_standard_and_the_file_it_came_from(self, runs: Runs) -> None:
        """A built-in standard says so and gives its file; its digest is the reports' one."""
        result, out = runs["verbose"]
        report = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
        (line,) = [s for s in result.stderr.splitlines() if s.startswith("Standard: ")]

        assert line.startswith("Standard: cit-best-practice@2019.1 “CIT program best practice")
        assert "built in to citcert (" in line and "cit-best-practice-2019.1.yaml)" in line
        assert line.endswith(f"SHA-256 of its content {report['provenance']['standard_sha256']}.")

    def test_says_how_many_requirements_were_read(self, runs: Runs) -> None:
        """The count is the report's, with how they were answered, the mode and the date."""
        result, out = runs["verbose"]
        counts = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))["counts"]

        assert (
            f"Read: {counts['requirements']} requirements in 13 domains "
            f"({counts['requirements'] - counts['not_applicable'] - counts['unanswered']} rated, "
            f"{counts['not_applicable']} not applicable, {counts['unanswered']} not answered), "
            "scored as a self-assessment as of 2025-08-20."
        ) in result.stderr.splitlines()

    def test_lists_each_file_written_with_its_size(self, runs: Runs) -> None:
        """One line per report, its size the file's on disk."""
        result, out = runs["verbose"]
        wrote = [s for s in result.stderr.splitlines() if s.startswith("Wrote ")]

        assert sorted(wrote) == sorted(
            f"Wrote {p} ({p.stat().st_size:,} bytes)." for p in out.iterdir()
        )
        assert len(wrote) == 3

    def test_changes_neither_stdout_nor_the_files(self, runs: Runs) -> None:
        """The reports and the terminal summary are byte-identical with and without -v."""
        (plain, plain_out), (verbose, verbose_out) = runs["plain"], runs["verbose"]

        assert plain.exit_code == verbose.exit_code == 0
        assert plain.stdout.replace(str(plain_out), "OUT") == verbose.stdout.replace(
            str(verbose_out), "OUT"
        )
        assert files_in(plain_out) == files_in(verbose_out)
        assert plain.stderr == ""

    def test_stdout_is_the_same_report_with_dash_o(self) -> None:
        """`-o -` prints the same JSON with -v; the lines go to stderr only."""
        plain, verbose = (
            run("audit", str(BRENNAN), "-o", "-"),
            run("audit", "-v", str(BRENNAN), "-o", "-"),
        )

        assert plain.stdout_bytes == verbose.stdout_bytes
        assert verbose.stderr.startswith("Workbook: brennan-county.xlsx")
        assert "Wrote " not in verbose.stderr

    def test_since_names_the_previous_audit(self, runs: Runs, tmp_path: Path) -> None:
        """With --since: the previous audit's file, date, standard and decision."""
        _, out = runs["plain"]
        previous = next(out.glob("*.json"))
        result = run("audit", "-v", str(BRENNAN), "--since", str(previous))

        assert (
            f"Compared with the previous audit {previous}: as of 2025-08-20 against "
            "cit-best-practice@2019.1, Close to the standard."
        ) in result.stderr.splitlines()

    def test_quiet_wins_and_removes_the_notes(self) -> None:
        """A review without reviewer ratings is noted; -q removes the note and -v's lines."""
        noted = run("audit", str(BRENNAN), "--mode", "review")
        quiet = run("audit", "-q", "-v", str(BRENNAN), "--mode", "review")

        assert "no reviewer rating is filled in" in noted.stderr
        assert quiet.stderr == ""
        assert quiet.stdout == noted.stdout

    def test_an_overlay_is_named_with_its_base(self, tmp_path: Path) -> None:
        """With --overlay: the overlay's file, the base it is laid on and where that came from."""
        result = run("template", "-v", "--overlay", str(OVERLAY), "-o", str(tmp_path / "n.xlsx"))
        (line,) = [s for s in result.stderr.splitlines() if s.startswith("Standard: ")]

        assert line.startswith("Standard: northfield-cit@2024.1 ")
        assert f"the overlay {OVERLAY} on cit-best-practice@2019.1, built in to citcert" in line

    def test_a_standard_from_a_folder_is_named_by_its_file(self, tmp_path: Path) -> None:
        """A standard found through --standards-dir is named by its path."""
        workbook = filled_path(tmp_path)
        result = run("--standards-dir", str(MINI), "audit", "-v", str(workbook))

        assert (
            f"Standard: mini-standard@1.0 “Mini CIT standard for tests”, from {MINI / 'mini.yaml'}"
            in result.stderr
        )

    def test_a_file_name_cannot_command_the_terminal(self, tmp_path: Path) -> None:
        """An escape in the workbook's name is shown as its code, never sent to the terminal."""
        evil = tmp_path / "brennan\x1b[2J.xlsx"
        shutil.copy(BRENNAN, evil)
        result = run("audit", "-v", str(evil))

        assert "\x1b" not in result.stderr
        assert "Workbook: brennan\\u001b[2J.xlsx" in result.stderr


class TestValidate:
    """validate -v: the same lines per workbook, before its verdict; stdout unchanged."""

    WORKBOOKS = (BRENNAN, EXAMPLES / "lakemont-metro-review.xlsx")

    @pytest.mark.parametrize("fmt", ["text", "json"])
    def test_each_workbook_is_described_and_stdout_is_unchanged(self, fmt: str) -> None:
        """Every workbook's file, standard and counts, in order; stdout byte-identical."""
        paths = [str(p) for p in self.WORKBOOKS]
        plain = run("validate", *paths, "--format", fmt)
        verbose = run("validate", "-v", *paths, "--format", fmt)
        described = [s for s in verbose.stderr.splitlines() if s.startswith("Workbook: ")]

        assert plain.stdout == verbose.stdout
        assert [s.split(",")[0] for s in described] == [
            "Workbook: brennan-county.xlsx",
            "Workbook: lakemont-metro-review.xlsx",
        ]
        assert all(f"SHA-256 {sha256(p)}." in verbose.stderr for p in self.WORKBOOKS)
        assert verbose.stderr.count("Read: 46 requirements in 13 domains") == 2
        assert "scored as a review as of 2025-09-15." in verbose.stderr
        if fmt == "json":
            assert json.loads(verbose.stdout)["ready"] is True

    def test_a_workbook_that_cannot_be_read_still_says_what_was(self, tmp_path: Path) -> None:
        """Checked against an unknown standard: the workbook is still named, then the error."""
        result = run("validate", "-v", str(BRENNAN), "--standard", "no-such-standard@1.0")

        assert result.exit_code == 2
        assert f"Workbook: brennan-county.xlsx, {BRENNAN.stat().st_size:,} bytes" in result.stderr
        assert "no-such-standard" in result.stderr
        assert "Standard: " not in result.stderr


class TestBatch:
    """batch -v: each workbook as it finishes with its decision, then what was written."""

    def _batch(self, state: Path, out: Path, *flags: str) -> Result:
        return run(
            "batch", *flags, str(state), "-o", str(out), "--format", "json", "-j", "1",
            "--as-of", "2026-01-01",
        )  # fmt: skip

    def test_each_workbook_is_named_with_its_decision(self, state: Path, tmp_path: Path) -> None:
        """One line per workbook in order, its decision the roll-up's, the failed one said so."""
        result = self._batch(state, tmp_path / "out", "-v")
        rows = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["rows"]
        decisions = {r["file"]: (r["decision"], r["standard"]) for r in rows}
        lines = [s for s in result.stderr.splitlines() if s[:1].isdigit()]

        assert lines == [
            f"{n}/4 {name}: could not be audited."
            if decisions[name][0] is None
            else f"{n}/4 {name}: {decisions[name][0]} ({decisions[name][1]})."
            for n, name in enumerate(sorted(decisions), start=1)
        ]
        assert "2/4 lakemont-metro.xlsx: Meets the standard (cit-best-practice@2019.1)." in lines
        assert "Standard: each workbook's own, the one it records." in result.stderr
        assert "Auditing 4 workbooks." in result.stderr

    def test_no_progress_line_is_drawn_over_the_lines(self) -> None:
        """With -v the line per workbook is the progress: the one redrawn line is not drawn."""
        import click

        from citcert.cli.batch import _draws_progress

        with click.Context(cli, obj={"verbose": True}) as ctx:
            assert not _draws_progress(ctx)

    def test_says_what_was_written_with_sizes(self, state: Path, tmp_path: Path) -> None:
        """The reports in one line, each roll-up file with its size on disk."""
        out = tmp_path / "out"
        result = self._batch(state, out, "-v")
        stderr = result.stderr.splitlines()

        assert any(s.startswith("Wrote 3 reports of 3 programs (") for s in stderr)
        for name in ("summary.xlsx", "summary.csv", "summary.json", "summary.pdf"):
            assert f"Wrote {out / name} ({(out / name).stat().st_size:,} bytes)." in stderr

    def test_changes_neither_stdout_nor_the_files(self, state: Path, tmp_path: Path) -> None:
        """Same exit status, same stdout, same files, with and without -v."""
        plain = self._batch(state, tmp_path / "a")
        verbose = self._batch(state, tmp_path / "b", "-v")

        assert plain.exit_code == verbose.exit_code == 2  # notes.xlsx could not be audited
        assert plain.stdout.replace(str(tmp_path / "a"), "OUT") == verbose.stdout.replace(
            str(tmp_path / "b"), "OUT"
        )
        assert files_in(tmp_path / "a") == files_in(tmp_path / "b")

    def test_quiet_removes_the_lines_and_the_notes(self, state: Path, tmp_path: Path) -> None:
        """--fail-below notes each program below the bar; -q (even with -v) prints neither."""
        noted = self._batch(state, tmp_path / "a", "--fail-below", "certified")
        quiet = self._batch(state, tmp_path / "b", "-q", "-v", "--fail-below", "certified")

        assert "the decision is below certified (--fail-below)" in noted.stderr
        assert "below certified" not in quiet.stderr
        assert not any(s[:1].isdigit() or s.startswith("Wrote") for s in quiet.stderr.splitlines())
        assert "Could not audit notes.xlsx" in quiet.stderr  # an error is never silenced


class TestWriters:
    """template, migrate and compare name the file they wrote with its size."""

    def test_template(self, tmp_path: Path) -> None:
        """The standard and its file, then the workbook written; stdout as without -v."""
        plain = run("template", "-o", str(tmp_path / "a.xlsx"))
        verbose = run("template", "-v", "-o", str(tmp_path / "b.xlsx"))
        size = (tmp_path / "b.xlsx").stat().st_size

        assert plain.stdout.replace("a.xlsx", "X") == verbose.stdout.replace("b.xlsx", "X")
        assert verbose.stderr.startswith("Standard: cit-best-practice@2019.3")
        assert f"Wrote {tmp_path / 'b.xlsx'} ({size:,} bytes)." in verbose.stderr
        assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()

    def test_compare(self, tmp_path: Path) -> None:
        """compare -o: the file written and its size."""
        out = tmp_path / "progress.md"
        result = run("compare", "-v", str(BRENNAN), str(BRENNAN), "--format", "md", "-o", str(out))

        assert f"Wrote {out} ({out.stat().st_size:,} bytes)." in result.stderr

    def test_migrate(self, tmp_path: Path) -> None:
        """migrate: the workbook read, with its SHA-256, and the new one written."""
        out = tmp_path / "new.xlsx"
        plain = run("migrate", str(BRENNAN), "--to", "cit-best-practice@2019.2", "-o", str(out))
        again = tmp_path / "again.xlsx"
        verbose = run(
            "migrate", "-v", str(BRENNAN), "--to", "cit-best-practice@2019.2", "-o", str(again)
        )

        assert plain.stdout.replace(str(out), "X") == verbose.stdout.replace(str(again), "X")
        assert f"SHA-256 {sha256(BRENNAN)}." in verbose.stderr
        assert f"Wrote {again} ({again.stat().st_size:,} bytes)." in verbose.stderr

    def test_review_start(self, tmp_path: Path) -> None:
        """review start: the reviewer's workbook written and its size."""
        out = tmp_path / "review.xlsx"
        result = run(
            "review", "start", "-v", str(BRENNAN), "--reviewer", "A. Morgan", "-o", str(out)
        )

        assert result.exit_code == 0
        assert f"Wrote {out} ({out.stat().st_size:,} bytes)." in result.stderr
