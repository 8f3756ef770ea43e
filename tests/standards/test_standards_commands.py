"""
The `citcert standards` commands as a user runs them: show in every format, help texts with
examples, the --standards-dir option and the _standard() helper other commands use.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from citcert.cli import cli
from citcert.cli.app import _standard
from citcert.standards import find_standard, load_file
from tests.conftest import DATA

ROOT = Path(__file__).parents[2]
NORTHFIELD = ROOT / "examples" / "overlays" / "northfield-state-2024.yaml"
STANDARDS = DATA / "standards"


def _show(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["standards", "show", *args])
    return result.exit_code, result.stdout, result.stderr


class TestShow:
    """`citcert standards show` as text, JSON and YAML."""

    def test_outline_marks_core_metrics_rules_and_sources(self, runner: CliRunner) -> None:
        """The outline shows core marks, a metric threshold, decision rules and verification."""
        code, out, _ = _show(runner, "cit-best-practice@2019.1")

        assert code == 0
        assert out.startswith("cit-best-practice@2019.1: ")
        assert "\n  * OFC-02  A CIT officer on every shift" in out
        assert "Metric: Share of patrol officers who are CIT-trained: met ≥ 20%" in out
        assert "Decision rules (the first level whose conditions all hold applies):" in out
        assert "read at the source" in out

    def test_outline_says_how_long_a_decision_stands_and_what_may_be_excepted(
        self, runner: CliRunner
    ) -> None:
        """
        A reviewer reads the terms and the exception policy in the outline, in years as well as
        days, with the proposals marked; a domain of one requirement says "1 requirement".
        """
        code, out, _ = _show(runner, "cit-best-practice@2019.2")
        text = " ".join(out.split())

        assert code == 0
        assert "How long a decision stands (counted from the assessment's as-of date):" in out
        assert (
            "Meets the standard lasts 1,095 days (3 years) and asks an interim report every "
            "365 days (1 year); the interim report interval is proposed by citcert"
        ) in text
        assert (
            "Close to the standard lasts 365 days (1 year) and is reviewed again after 182 days "
            "(about 6 months); the validity and the review interval are proposed by citcert"
        ) in text
        assert (
            "Exceptions: an approver may except requirements that are not core (at most 3 "
            "exceptions in one workbook and each running at most 365 days (1 year) from "
            "approval to expiry); these limits are proposed by citcert, not a published rule."
        ) in text
        assert "Documents older than 1,095 days (3 years) are stale." in out
        assert " (1 requirement, " in out
        assert " (1 requirements, " not in out

    def test_a_standard_without_terms_or_exceptions_says_so(self, runner: CliRunner) -> None:
        """No validity and no exceptions are stated, not left out."""
        out = _show(runner, str(STANDARDS / "mini.yaml"))[1]

        assert "This standard sets no term for any decision: none of them lapses." in out
        assert "This standard accepts no exceptions: every requirement is rated." in out

    def test_an_overlay_file_is_shown_resolved_with_its_changes(self, runner: CliRunner) -> None:
        """Showing the example overlay lists what it changed in its base."""
        code, out, _ = _show(runner, str(NORTHFIELD))

        assert code == 0
        assert out.startswith("northfield-cit@2024.1: ")
        assert "Tailored from cit-best-practice@2019.1 (SHA-256 " in out
        assert "  TIGHTENED: makes DATA-03 a core requirement.\n" in out

    def test_yaml_output_loads_back_to_the_same_standard(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """YAML output is a standard file: loading it gives the same resolved standard."""
        _, out, _ = _show(runner, str(NORTHFIELD), "--format", "yaml")
        path = tmp_path / "northfield-resolved.yaml"
        path.write_text(out, encoding="utf-8")

        assert load_file(path) == load_file(NORTHFIELD)

    def test_json_output_is_the_whole_model(self, runner: CliRunner) -> None:
        """JSON output validates back into the same standard."""
        _, out, _ = _show(runner, "cit-core-elements@2007.1", "--format", "json")

        assert json.loads(out)["id"] == "cit-core-elements"
        assert len(json.loads(out)["domains"]) == len(
            find_standard("cit-core-elements@2007.1").domains
        )

    def test_unknown_standard_is_exit_2_with_a_plain_message(self, runner: CliRunner) -> None:
        """A wrong name is an input error, printed on stderr, with nothing on stdout."""
        code, out, err = _show(runner, "cit-core-elements@1999")

        assert (code, out) == (2, "")
        assert err == (
            "Error: cit-core-elements has no version 1999; available: 2007.1 (superseded)\n"
        )

    def test_a_bad_file_is_exit_2_with_its_line(self, runner: CliRunner) -> None:
        """show on a broken file reports the problem with its line, like validate."""
        code, _, err = _show(runner, str(STANDARDS / "bad" / "weight-zero.yaml"))

        assert code == 2
        assert ":37:17: domains[0].requirements[0].weight: must be greater than 0" in err


class TestHelp:
    """Every standards command explains itself with an example."""

    @pytest.mark.parametrize("command", ["list", "show", "validate", "diff", "schema"])
    def test_help_has_an_example(self, runner: CliRunner, command: str) -> None:
        """`--help` of each command shows an Example block naming the command."""
        result = runner.invoke(cli, ["standards", command, "--help"])

        assert result.exit_code == 0
        assert "Example:" in result.stdout
        assert f"citcert standards {command}" in result.stdout or "citcert --standards-dir" in (
            result.stdout
        )

    def test_group_help_lists_the_commands(self, runner: CliRunner) -> None:
        """The group help lists all five commands with one-line summaries."""
        result = runner.invoke(cli, ["standards", "--help"])

        for command in ("diff", "list", "schema", "show", "validate"):
            assert f"\n  {command} " in result.stdout


class TestStandardsDirOption:
    """The group's repeatable --standards-dir and the _standard() helper commands share."""

    def test_the_option_adds_a_folder(self, runner: CliRunner) -> None:
        """A standard in a --standards-dir folder can be shown by id."""
        result = runner.invoke(
            cli, ["--standards-dir", str(STANDARDS), "standards", "show", "mini-standard"]
        )

        assert result.exit_code == 0
        assert result.stdout.startswith("mini-standard@1.0: ")

    def test_a_missing_folder_is_a_usage_error(self, runner: CliRunner, tmp_path: Path) -> None:
        """A folder that does not exist is refused by click with exit 2."""
        result = runner.invoke(cli, ["--standards-dir", str(tmp_path / "no"), "standards", "list"])

        assert result.exit_code == 2
        assert "does not exist" in result.stderr

    def test_helper_resolves_with_the_group_folders(self) -> None:
        """_standard() finds standards in the folders given to the group, and overlays too."""
        context = click.Context(cli, obj={"standards_dirs": (STANDARDS,)})

        assert _standard(context, "mini-standard", None).ref == "mini-standard@1.0"
        assert _standard(context, None, NORTHFIELD).ref == "northfield-cit@2024.1"
        assert _standard(click.Context(cli), None, None).ref == "cit-best-practice@2019.3"
