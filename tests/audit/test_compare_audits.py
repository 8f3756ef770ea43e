"""Comparing two audits: the pure `compare`, and `citcert compare` on files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from citcert.audit.assessment import Assessment
from citcert.audit.compare import compare
from citcert.audit.scoring import assess
from citcert.cli import cli
from citcert.errors import ExitCode
from citcert.export.json import render as render_report
from citcert.standards.model import Standard
from tests.audit.builders import GOOD_NUMBERS, make_evidence
from tests.audit.workbook_filler import MINI, NUMBERS, blank, dump_yaml, fill, load_yaml, save

TRAINING_SHORT = {**GOOD_NUMBERS, "cit_officers": 15}
"""15 of 100 patrol officers trained: TRN-01 (core) is partially met, a gap."""


def audit(standard: Standard, **changes: Any) -> Assessment:
    """An assessment of the mini standard's Riverside program, with `make_evidence` changes."""
    return assess(standard, make_evidence(standard, **changes))


def second_version(mini: Standard) -> Standard:
    """``mini-standard@2.0``: TRN-02 renamed TRN-04 (``replaces: [TRN-02]``), superseding 1.0."""
    raw = load_yaml(MINI)
    raw["version"] = "2.0"
    raw["supersedes"] = mini.ref
    for domain in raw["domains"]:
        for requirement in domain["requirements"]:
            if requirement["id"] == "TRN-02":
                requirement["id"] = "TRN-04"
                requirement["replaces"] = ["TRN-02"]
    return Standard.model_validate(raw)


class TestCompare:
    """The pure comparison of two assessments built in code."""

    def test_closing_a_core_gap_is_a_closed_gap_a_completed_step_and_a_better_decision(
        self, mini_standard: Standard
    ) -> None:
        """Training more officers closes TRN-01, completes its plan step and lifts the decision."""
        old = audit(mini_standard, numbers=TRAINING_SHORT)
        new = audit(mini_standard)

        c = compare(old, new)

        assert [g.requirement_id for g in c.gaps_closed] == ["TRN-01"]
        assert list(c.gaps_opened) == []
        assert [s.requirement_id for s in c.steps_completed] == ["TRN-01"]
        assert (c.decision_change, c.new_decision) == ("up", "Certified")
        assert round(new.overall_score - old.overall_score, 1) == c.overall.change
        assert (c.gaps_closed[0].old_label, c.gaps_closed[0].new_label) == ("Partially met", "Met")
        assert "1 gap closed, 0 opened; 1 plan step completed" in c.headline
        assert c.warnings == ()

    def test_a_new_gap_is_opened_and_the_decision_falls(self, mini_standard: Standard) -> None:
        """The same change the other way round opens the gap and marks the decision as worse."""
        c = compare(audit(mini_standard), audit(mini_standard, numbers=TRAINING_SHORT))

        assert [g.requirement_id for g in c.gaps_opened] == ["TRN-01"]
        assert c.decision_change == "down"
        assert c.steps_completed == ()

    def test_different_program_names_give_a_warning_not_an_error(
        self, mini_standard: Standard
    ) -> None:
        """Comparing two differently named programs works and says so."""
        c = compare(audit(mini_standard), audit(mini_standard, program_name="Hillside CIT"))

        assert len(c.warnings) == 1
        assert "Hillside CIT" in c.warnings[0]

    def test_versions_are_matched_through_replaces_and_say_so(
        self, mini_standard: Standard
    ) -> None:
        """TRN-02 in 1.0 and TRN-04 in 2.0 are one requirement; its closed gap is found."""
        v2 = second_version(mini_standard)
        old = audit(mini_standard, metric_values={"TRN-02": 30.0})
        new = audit(v2, metric_values={"TRN-04": 40.0})

        c = compare(old, new, old_standard=mini_standard, new_standard=v2)

        assert [g.requirement_id for g in c.gaps_closed] == ["TRN-04"]
        assert c.gaps_closed[0].old_ids == ("TRN-02",)
        assert [(i.old_ids, i.new_ids) for i in c.id_changes] == [(("TRN-02",), ("TRN-04",))]
        assert "mini-standard@2.0" in c.standards_note
        assert "replaces" in c.standards_note
        assert c.removed_requirements == ()

    def test_a_split_requirement_completes_its_step_only_when_both_halves_are_met(
        self, mini_standard: Standard
    ) -> None:
        """TRN-02 split into TRN-04 (now met) and TRN-03 (not met): one gap closed, no step done."""
        raw = second_version(mini_standard).model_dump(mode="json", exclude_defaults=True)
        raw["domains"][1]["requirements"][2]["replaces"] = ["TRN-02"]
        v2 = Standard.model_validate(raw)
        old = audit(mini_standard, metric_values={"TRN-02": 30.0})
        ratings = {"PART-01": "met", "PART-02": "met", "TRN-01": "met", "TRN-03": "not_met"}
        new = audit(v2, ratings=ratings, metric_values={"TRN-04": 40.0})

        c = compare(old, new, old_standard=mini_standard, new_standard=v2)

        assert [g.requirement_id for g in c.gaps_closed] == ["TRN-04"]
        assert "TRN-02" in [s.requirement_id for s in old.plan.steps]
        assert c.steps_completed == ()

    def test_without_the_standards_ids_are_matched_as_they_are_with_a_warning(
        self, mini_standard: Standard
    ) -> None:
        """Without the standards a renamed requirement looks dropped and new; a warning says why."""
        c = compare(audit(mini_standard), audit(second_version(mini_standard)))

        assert c.removed_requirements == ("TRN-02",)
        assert any("could not be loaded" in w for w in c.warnings)


@pytest.fixture
def standards_folder(tmp_path: Path) -> Path:
    """A standards folder with the mini standard, for ``--standards-dir``."""
    folder = tmp_path / "standards"
    folder.mkdir()
    dump_yaml(load_yaml(MINI), folder / "mini.yaml")
    return folder


class TestCompareCommand:
    """``citcert compare OLD NEW`` on real workbooks and on audit JSON reports."""

    def test_two_workbooks_of_one_program_show_the_closed_gap(
        self, runner: CliRunner, standards_folder: Path, tmp_path: Path
    ) -> None:
        """Workbooks are audited on the fly; training more officers closes TRN-01."""
        old = save(fill(blank(), numbers={**NUMBERS, "cit_officers": 15}), tmp_path / "2023.xlsx")
        new = save(fill(blank()), tmp_path / "2024.xlsx")
        args = ["--standards-dir", str(standards_folder), "compare", str(old), str(new)]

        result = runner.invoke(cli, [*args, "--format", "json"])

        assert result.exit_code == ExitCode.OK, result.output
        data = json.loads(result.stdout)
        assert [g["requirement_id"] for g in data["gaps_closed"]] == ["TRN-01"]
        assert data["gaps_opened"] == []

    def test_two_json_reports_write_markdown_to_a_file(
        self, runner: CliRunner, mini_standard: Standard, tmp_path: Path
    ) -> None:
        """Audit JSON reports need no standard; -o writes the file and says where."""
        old, new = tmp_path / "old.json", tmp_path / "new.json"
        old.write_bytes(render_report(audit(mini_standard, numbers=TRAINING_SHORT)))
        new.write_bytes(render_report(audit(mini_standard)))
        out = tmp_path / "progress.md"

        result = runner.invoke(
            cli, ["compare", str(old), str(new), "--format", "md", "-o", str(out)]
        )

        assert result.exit_code == ExitCode.OK, result.output
        assert "## Gaps closed (1)" in out.read_text(encoding="utf-8")
        assert str(out) in result.stdout

    def test_a_warning_is_shown_once_on_screen_and_on_stderr_for_json(
        self, runner: CliRunner, mini_standard: Standard, tmp_path: Path
    ) -> None:
        """Different program names: one warning in the terminal view; on stderr beside JSON."""
        old, new = tmp_path / "old.json", tmp_path / "new.json"
        old.write_bytes(render_report(audit(mini_standard)))
        new.write_bytes(render_report(audit(mini_standard, program_name="Hillside CIT")))

        screen = runner.invoke(cli, ["compare", str(old), str(new)])
        as_json = runner.invoke(cli, ["compare", str(old), str(new), "--format", "json"])

        assert screen.exit_code == as_json.exit_code == ExitCode.OK
        assert screen.output.count("Warning:") == 1
        assert "Warning:" in as_json.stderr
        assert json.loads(as_json.stdout)["warnings"]

    @pytest.mark.parametrize(
        ("edit", "message"),
        [
            ("no schema_version", "old.json: records no schema_version, which every audit"),
            ("a result twice", "old.json: is not an audit report written by `citcert audit "),
        ],
    )
    def test_a_report_edited_by_hand_is_refused_with_what_is_wrong(
        self, runner: CliRunner, mini_standard: Standard, tmp_path: Path, edit: str, message: str
    ) -> None:
        """Both were read as they were: a result listed twice counted twice in the change."""
        old, new = tmp_path / "old.json", tmp_path / "new.json"
        report = json.loads(render_report(audit(mini_standard)))
        if edit == "no schema_version":
            del report["schema_version"]
        else:
            report["results"].append(report["results"][0])
        old.write_text(json.dumps(report), encoding="utf-8")
        new.write_bytes(render_report(audit(mini_standard)))

        result = runner.invoke(cli, ["compare", str(old), str(new)])

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert result.stderr.startswith(f"Error: {message}")
        if edit == "a result twice":
            first = report["results"][0]["requirement_id"]
            assert f"(at results.{len(report['results']) - 1}: {first} is listed twice)" in (
                result.stderr
            )

    @pytest.mark.parametrize("edited", ["old", "new"])
    def test_a_report_edited_to_an_unknown_level_is_refused_not_a_crash(
        self, runner: CliRunner, mini_standard: Standard, tmp_path: Path, edited: str
    ) -> None:
        """A decision of "gold" among certified, conditional, not certified: exit 2, not 70."""
        files = {"old": tmp_path / "old.json", "new": tmp_path / "new.json"}
        for name, path in files.items():
            report = json.loads(render_report(audit(mini_standard)))
            if name == edited:
                report["decision"]["level_id"] = "gold"
            path.write_text(json.dumps(report), encoding="utf-8")

        result = runner.invoke(cli, ["compare", str(files["old"]), str(files["new"])])

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert result.stderr.startswith(
            f"Error: {edited}.json: is not an audit report written by `citcert audit --format "
            "json` (at decision: gold is not one of its levels ("
        )

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"{not json", "is not valid JSON"),
            (b'{"schema_version": "1.0"}', "is not an audit report"),
            (b'{"schema_version": "0.1"}', "another version of citcert"),
        ],
    )
    def test_a_file_that_is_not_an_audit_is_exit_2_and_nothing_is_written(
        self,
        runner: CliRunner,
        mini_standard: Standard,
        tmp_path: Path,
        content: bytes,
        message: str,
    ) -> None:
        """A bad OLD is named with a plain reason; the -o file is not created."""
        old, new = tmp_path / "old.json", tmp_path / "new.json"
        old.write_bytes(content)
        new.write_bytes(render_report(audit(mini_standard)))
        out = tmp_path / "progress.md"

        result = runner.invoke(cli, ["compare", str(old), str(new), "-o", str(out)])

        assert result.exit_code == ExitCode.INPUT_ERROR
        assert "old.json" in result.stderr
        assert message in result.stderr
        assert not out.exists()
