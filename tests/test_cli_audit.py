"""`citcert audit` and `citcert schema` end to end: real workbooks, real files, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from citcert.cli import cli
from citcert.export.json import json_schema
from tests.audit import workbook_filler as wb
from tests.conftest import data

STANDARDS = str(data("standards"))
STEM = "riverton-cit-program"
ALL_FILES = {f"{STEM}.{suffix}" for suffix in ("json", "md", "pdf", "xlsx", "html")}


def run(runner: CliRunner, *args: str | Path) -> Result:
    """Run ``citcert audit`` with the test standards folder."""
    return runner.invoke(cli, ["--standards-dir", STANDARDS, "audit", *map(str, args)])


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete self-assessment on the mini standard (everything met)."""
    return wb.filled_path(tmp_path_factory.mktemp("book"))


@pytest.fixture(scope="module")
def weak_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same program with its steering committee not met: one core gap, conditional."""
    book = wb.fill(wb.blank())
    wb.set_answer(book, "PART-01", "Self rating", "Not met")
    return wb.save(book, tmp_path_factory.mktemp("weak") / "weak.xlsx")


def test_audit_prints_the_summary_and_writes_nothing_by_default(
    runner: CliRunner, workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without -o: the terminal summary on stdout, exit 0, no file anywhere."""
    monkeypatch.chdir(tmp_path)
    result = run(runner, workbook)
    assert list(tmp_path.iterdir()) == []
    assert sorted(p.name for p in workbook.parent.iterdir()) == ["program.xlsx"]
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Riverton CIT Program — Riverton County, OH\n")
    assert " CERTIFIED " in result.stdout
    assert "Reports written" not in result.stdout


def test_audit_with_an_output_folder_writes_every_report(
    runner: CliRunner, workbook: Path, tmp_path: Path
) -> None:
    """-o alone writes PDF, XLSX, JSON, Markdown and HTML named after the program, says where."""
    out = tmp_path / "reports"
    result = run(runner, workbook, "-o", out)
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == ALL_FILES
    assert result.stdout.rstrip().endswith(
        f"Reports written to {out}: {STEM}.json, {STEM}.md, {STEM}.pdf, {STEM}.xlsx, {STEM}.html"
    )
    report = json.loads((out / f"{STEM}.json").read_text(encoding="utf-8"))
    assert report["decision"]["level_id"] == "certified"
    assert report["provenance"]["workbook_name"] == "program.xlsx"
    assert (out / f"{STEM}.pdf").read_bytes().startswith(b"%PDF")


def test_format_picks_the_files(runner: CliRunner, workbook: Path, tmp_path: Path) -> None:
    """--format json,md writes only those two and prints no summary, only where they went."""
    result = run(runner, workbook, "-o", tmp_path, "--format", "json, MD")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{STEM}.json", f"{STEM}.md"]
    assert result.stdout == f"Reports written to {tmp_path}: {STEM}.json, {STEM}.md\n"


def test_reports_without_the_summary_start_with_where_they_went(
    runner: CliRunner, workbook: Path, tmp_path: Path
) -> None:
    """When --format leaves out terminal, the first line printed names the reports, not a blank."""
    result = run(runner, workbook, "-o", tmp_path, "--format", "json")

    assert result.exit_code == 0, result.output
    assert f"Reports written to {tmp_path}: {STEM}.json" == result.stdout.splitlines()[0]


def test_a_blank_line_still_parts_the_summary_from_the_reports(
    runner: CliRunner, workbook: Path, tmp_path: Path
) -> None:
    """With terminal among the formats, one blank line separates the summary from the list."""
    result = run(runner, workbook, "-o", tmp_path, "--format", "terminal,json")

    lines = result.stdout.splitlines()
    assert result.exit_code == 0, result.output
    assert ["", f"Reports written to {tmp_path}: {STEM}.json"] == lines[-2:]
    assert lines[-3] != ""


def test_the_same_workbook_gives_the_same_bytes(
    runner: CliRunner, workbook: Path, tmp_path: Path
) -> None:
    """Auditing twice gives byte-identical JSON and Markdown; a rerun replaces files whole."""
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second, second):
        assert run(runner, workbook, "-o", out, "--format", "json,md").exit_code == 0
    for name in (f"{STEM}.json", f"{STEM}.md"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    assert sorted(p.name for p in second.iterdir()) == [f"{STEM}.json", f"{STEM}.md"]


def test_mode_and_as_of_override_the_workbook(
    runner: CliRunner, workbook: Path, tmp_path: Path
) -> None:
    """--mode review and --as-of reach the assessment (and its provenance)."""
    result = run(
        runner, workbook, "-o", tmp_path, "--format", "json", "--mode", "review",
        "--as-of", "2025-06-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / f"{STEM}.json").read_text(encoding="utf-8"))
    assert report["provenance"]["mode"] == "review"
    assert report["provenance"]["as_of"] == "2025-06-01"
    assert report["decision"]["level_id"] != "certified"  # the committee met over a year ago


@pytest.mark.parametrize(
    ("level", "status"), [("certified", 1), ("conditional", 0), ("not_certified", 0)]
)
def test_fail_below_sets_the_exit_status(
    runner: CliRunner, weak_workbook: Path, tmp_path: Path, level: str, status: int
) -> None:
    """A conditional program: status 1 below 'certified', 0 otherwise; reports written anyway."""
    result = run(runner, weak_workbook, "-o", tmp_path, "--format", "json", "--fail-below", level)
    assert result.exit_code == status, result.output
    assert (tmp_path / f"{STEM}.json").exists()
    if status:
        assert result.stderr == "Conditionally certified is below certified (--fail-below).\n"


@pytest.mark.parametrize("level", ["Certified", "CERTIFIED", "certified "])
def test_fail_below_accepts_a_level_label_in_any_case(
    runner: CliRunner, weak_workbook: Path, tmp_path: Path, level: str
) -> None:
    """--fail-below Certified names the same level as certified: a conditional program is below."""
    result = run(runner, weak_workbook, "-o", tmp_path, "--format", "json", "--fail-below", level)

    assert result.exit_code == 1, result.output
    assert result.stderr == f"Conditionally certified is below {level} (--fail-below).\n"


def test_fail_below_accepts_a_middle_level_label(
    runner: CliRunner, weak_workbook: Path, tmp_path: Path
) -> None:
    """--fail-below 'Conditionally certified': a conditional program is not below it."""
    args = ["--format", "json", "--fail-below", "Conditionally certified"]
    result = run(runner, weak_workbook, "-o", tmp_path, *args)

    assert result.exit_code == 0, result.output


def test_an_unknown_fail_below_level_is_a_usage_error(
    runner: CliRunner, workbook: Path, tmp_path: Path
) -> None:
    """--fail-below gold: exit 2, the levels listed, and no report written."""
    result = run(runner, workbook, "-o", tmp_path / "out", "--fail-below", "gold")
    assert result.exit_code == 2
    assert "'gold' is not a decision level of mini-standard@1.0" in result.stderr
    assert "certified, conditional, not_certified" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_unknown_format_is_a_usage_error(runner: CliRunner, workbook: Path) -> None:
    """--format docx: exit 2 naming the formats there are."""
    result = run(runner, workbook, "--format", "json,docx")
    assert result.exit_code == 2
    assert "unknown format docx; use terminal, json, md, pdf, xlsx, html" in result.stderr


def test_a_broken_workbook_is_exit_2_with_no_report(runner: CliRunner, tmp_path: Path) -> None:
    """A text file named .xlsx: one plain message naming the file, exit 2, nothing written."""
    fake = tmp_path / "notes.xlsx"
    fake.write_text("these are my notes", encoding="utf-8")
    result = run(runner, fake, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert "notes.xlsx" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_workbook_for_another_standard_is_refused(
    runner: CliRunner, workbook: Path, tmp_path: Path
) -> None:
    """--standard naming a different standard than the workbook's: exit 2, no report."""
    other = wb.dump_yaml(wb.percent_variant(), tmp_path / "percent.yaml")
    result = runner.invoke(
        cli,
        ["--standards-dir", str(other.parent), "--standards-dir", STANDARDS, "audit",
         str(workbook), "--standard", "mini-percent", "-o", str(tmp_path / "out")],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "mini-standard@1.0" in result.stderr
    assert not (tmp_path / "out").exists()


def test_schema_assessment_prints_the_published_schema(runner: CliRunner) -> None:
    """`citcert schema assessment` prints the JSON Schema the reports validate against."""
    result = runner.invoke(cli, ["schema", "assessment"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json_schema()


def test_schema_standard_prints_a_json_schema(runner: CliRunner) -> None:
    """`citcert schema standard` prints a JSON Schema for standard and overlay files."""
    result = runner.invoke(cli, ["schema", "standard"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["$schema"].startswith("https://json-schema.org/")


EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def example_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The JSON report of each example workbook, audited through the command line once."""
    reports = {}
    for name in ("lakemont-metro", "brennan-county", "pine-hollow-rural"):
        out = tmp_path_factory.mktemp(name)
        result = CliRunner().invoke(
            cli, ["audit", str(EXAMPLES / f"{name}.xlsx"), "-o", str(out), "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        (path,) = out.iterdir()
        reports[name] = json.loads(path.read_text(encoding="utf-8"))
    return reports


def test_the_three_examples_get_three_different_decisions(
    example_reports: dict[str, dict[str, Any]],
) -> None:
    """Metro is certified, Brennan conditionally certified, Pine Hollow not certified."""
    decided = {name: r["decision"]["level_id"] for name, r in example_reports.items()}
    assert decided == {
        "lakemont-metro": "certified",
        "brennan-county": "conditional",
        "pine-hollow-rural": "not_certified",
    }


@pytest.mark.parametrize("name", ["brennan-county", "pine-hollow-rural"])
def test_each_example_decision_is_explained(
    example_reports: dict[str, dict[str, Any]], name: str
) -> None:
    """Below the top, the sentence names each failed condition of the level above."""
    decision = example_reports[name]["decision"]
    assert decision["reasons"], decision
    above = next(lv for lv in decision["levels"] if lv["level_id"] == decision["next_level_id"])
    failed = [c["detail"] for c in above["conditions"] if not c["passed"]]
    assert decision["reasons"] == failed
    lowest = decision["levels"][-1]["level_id"] == decision["level_id"]
    named = decision["label"] if lowest else f"{decision['label']}, short of “{above['label']}”"
    assert decision["sentence"] == f"{named}: {'; '.join(failed)}"
    assert example_reports[name]["plan"]["steps"], "a program below the top has a plan"


def test_the_conditional_example_names_its_core_gaps(
    example_reports: dict[str, dict[str, Any]],
) -> None:
    """Brennan County is held back by its core gaps, each named with its rating."""
    report = example_reports["brennan-county"]
    core = [g["requirement_id"] for g in report["gaps"] if g["core"]]
    assert core and all(rid in report["decision"]["sentence"] for rid in core)


def test_a_workbook_is_parsed_once_per_audit(
    runner: CliRunner,
    workbook: Path,
    weak_workbook: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """
    Finding the workbook's standard and then reading it open the file with openpyxl once.

    Nothing is kept between commands: the same path with new content is read afresh.
    """
    from citcert.workbook import reader as workbook_module
    from citcert.workbook import snapshot as snapshot_module

    calls: list[str] = []
    real = snapshot_module.snapshot

    def counted(data: bytes, name: str, wanted: tuple[str, ...]) -> Any:
        calls.append(name)
        return real(data, name, wanted)

    monkeypatch.setattr(workbook_module, "snapshot", counted)
    copy = tmp_path / "program.xlsx"
    copy.write_bytes(workbook.read_bytes())

    assert run(runner, copy, "--format", "json", "-o", tmp_path / "out").exit_code == 0
    assert calls == ["program.xlsx"]

    copy.write_bytes(weak_workbook.read_bytes())
    result = run(runner, copy, "--format", "json", "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert calls == ["program.xlsx", "program.xlsx"]
    report = json.loads((tmp_path / "out" / f"{STEM}.json").read_text(encoding="utf-8"))
    assert report["decision"]["level_id"] == "conditional"


class TestReportOnStandardOutput:
    """``-o -`` prints one report for a script's pipe, and writes no file."""

    def test_json_by_default(
        self, runner: CliRunner, workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The JSON report, byte for byte the file ``-o FOLDER`` writes; no folder named -."""
        monkeypatch.chdir(tmp_path)
        printed = run(runner, workbook, "-o", "-")
        written = run(runner, workbook, "-o", tmp_path / "out", "--format", "json")

        assert printed.exit_code == written.exit_code == 0
        assert printed.stdout_bytes == (tmp_path / "out" / f"{STEM}.json").read_bytes()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]

    def test_another_format_when_named(self, runner: CliRunner, workbook: Path) -> None:
        """--format md prints the Markdown report instead."""
        result = run(runner, workbook, "-o", "-", "--format", "md")

        assert result.exit_code == 0
        assert result.stdout.startswith("# ")
        assert "Reports written" not in result.stdout

    def test_two_formats_are_a_usage_error(
        self, runner: CliRunner, workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Standard output holds one report: two formats exit 2 with the way out, nothing made."""
        monkeypatch.chdir(tmp_path)
        result = run(runner, workbook, "-o", "-", "--format", "json,md")

        assert result.exit_code == 2
        assert "-o - prints one report to standard output; choose one with --format" in (
            result.stderr
        )
        assert result.stdout == ""
        assert list(tmp_path.iterdir()) == []

    def test_fail_below_still_prints_the_report(
        self, runner: CliRunner, weak_workbook: Path
    ) -> None:
        """The report goes to stdout, the verdict to stderr, and the exit status is 1."""
        result = run(runner, weak_workbook, "-o", "-", "--fail-below", "certified")

        assert result.exit_code == 1
        assert json.loads(result.stdout)["decision"]["level_id"] == "conditional"
        assert "below certified (--fail-below)" in result.stderr

    def test_a_binary_report_is_not_printed_on_a_terminal(self, workbook: Path) -> None:
        """A PDF would fill a terminal with noise: exit 2 with the redirection to use."""
        import os
        import pty
        import subprocess
        import sys

        command = [sys.executable, "-m", "citcert", "--standards-dir", STANDARDS, "audit"]
        leader, follower = pty.openpty()
        try:
            done = subprocess.run(
                [*command, str(workbook), "-o", "-", "--format", "pdf"],
                stdout=follower,
                stderr=subprocess.PIPE,
                text=True,
                timeout=120,
                check=False,
            )
        finally:
            os.close(follower)
            os.close(leader)

        assert done.returncode == 2
        assert "a PDF report is not text: redirect standard output to a file" in done.stderr


def test_both_standard_schema_commands_print_the_same_bytes(runner: CliRunner) -> None:
    """`citcert schema standard` and `citcert standards schema` are one schema, one path."""
    from citcert.app.schemas import schema_bytes

    first = runner.invoke(cli, ["schema", "standard"])
    second = runner.invoke(cli, ["standards", "schema"])

    assert first.exit_code == second.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes == schema_bytes("standard")
