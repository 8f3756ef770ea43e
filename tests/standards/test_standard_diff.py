"""
Diffs between standards: same standard, 2007 Core Elements to the 2019 standard (the complete
replaces: mapping), and the 2019 standard against the example overlay (exactly its changes).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from citcert.cli import cli
from citcert.standards import find_standard, load_file
from citcert.standards.diff import StandardDiff, diff, render_text
from citcert.standards.model import ChangeKind, Standard
from citcert.standards.overrides import RequirementOverride
from citcert.standards.store import StandardsStore

ROOT = Path(__file__).parents[2]
NORTHFIELD = ROOT / "examples" / "overlays" / "northfield-state-2024.yaml"
BEST_PRACTICE_YAML = ROOT / "standards" / "cit-best-practice-2019.1.yaml"

OVERLAY_HEAD = """\
extends: cit-best-practice@2019.1
id: state-tailoring
version: "1"
title: State tailoring
publisher: Tests state office
effective: 2024-06-01
status: draft
summary: One change to its base.
"""

DATA_STANDARDS = Path(__file__).parents[1] / "data" / "standards"


@pytest.fixture(scope="module")
def core_elements() -> Standard:
    """The 2007 Core Elements."""
    return find_standard("cit-core-elements@2007.1")


@pytest.fixture(scope="module")
def best_practice() -> Standard:
    """The 2019 best-practice standard."""
    return find_standard("cit-best-practice@2019.1")


@pytest.fixture(scope="module")
def northfield() -> Standard:
    """The example state overlay, resolved."""
    return load_file(NORTHFIELD)


@pytest.fixture(scope="module")
def upgrade(core_elements: Standard, best_practice: Standard) -> StandardDiff:
    """2007 to 2019."""
    return diff(core_elements, best_practice)


class TestSameStandard:
    """A standard compared with itself."""

    def test_no_differences(self, mini_standard: Standard) -> None:
        """Nothing is added, removed, mapped or changed."""
        result = diff(mini_standard, mini_standard)

        assert result.is_empty
        assert render_text(result).endswith("No differences in requirements or scoring.\n")


class TestCoreElementsToBestPractice:
    """The 2019 standard supersedes the 2007 one; its replaces: lists map every element."""

    def test_ids_are_mapped_by_the_newer_standard(self, upgrade: StandardDiff) -> None:
        """The mapping comes from cit-best-practice@2019.1's replaces: lists, without errors."""
        assert upgrade.mapped_by == "cit-best-practice@2019.1"
        assert upgrade.unknown_replaces == ()

    def test_every_old_requirement_is_mapped_or_removed(
        self, upgrade: StandardDiff, core_elements: Standard
    ) -> None:
        """Each 2007 id appears exactly once: mapped forward, or reported as removed."""
        old_ids = [r.id for _, r in core_elements.requirements()]
        accounted = [m.id for m in upgrade.old_to_new] + [r.id for r in upgrade.removed]

        assert sorted(accounted) == sorted(old_ids)

    def test_every_new_requirement_is_mapped_or_added(
        self, upgrade: StandardDiff, best_practice: Standard
    ) -> None:
        """Each 2019 id appears exactly once: mapped back to 2007 ids, or reported as added."""
        new_ids = [r.id for _, r in best_practice.requirements()]
        accounted = [m.id for m in upgrade.new_to_old] + [r.id for r in upgrade.added]

        assert sorted(accounted) == sorted(new_ids)

    def test_the_two_directions_are_the_same_mapping(self, upgrade: StandardDiff) -> None:
        """old → new and new ← old list the same pairs."""
        forward = {(m.id, new) for m in upgrade.old_to_new for new in m.to}
        backward = {(old, m.id) for m in upgrade.new_to_old for old in m.to}

        assert forward == backward

    def test_the_mapping_matches_the_replaces_lists(
        self, upgrade: StandardDiff, best_practice: Standard
    ) -> None:
        """Every replaces: entry of the 2019 standard is a pair in the mapping."""
        declared = {(old, r.id) for _, r in best_practice.requirements() for old in r.replaces}
        forward = {(m.id, new) for m in upgrade.old_to_new for new in m.to}

        assert forward == declared

    def test_reversed_diff_uses_the_same_mapping(
        self, upgrade: StandardDiff, core_elements: Standard, best_practice: Standard
    ) -> None:
        """Comparing 2019 with 2007 still maps through the newer standard, the other way."""
        backwards = diff(best_practice, core_elements)

        assert backwards.mapped_by == "cit-best-practice@2019.1"
        assert {(m.id, m.to) for m in backwards.old_to_new} == {
            (m.id, m.to) for m in upgrade.new_to_old
        }

    def test_text_shows_both_directions(self, upgrade: StandardDiff) -> None:
        """The text output has the mapping both ways and the new requirements."""
        text = render_text(upgrade)

        assert text.startswith("cit-core-elements@2007.1 → cit-best-practice@2019.1\n")
        for heading in ("Mapped, old → new (", "Mapped, new ← old (", "Added ("):
            assert heading in text


class TestBestPracticeToOverlay:
    """The example overlay against its base shows exactly what the overlay does."""

    def test_exactly_the_overlays_changes(
        self, best_practice: Standard, northfield: Standard
    ) -> None:
        """Two requirements added, none removed, OFC-03 tightened and DATA-03 made core."""
        result = diff(best_practice, northfield)

        assert [r.id for r in result.added] == ["DATA-05", "NFS-01"]
        assert result.removed == ()
        assert result.old_to_new == ()
        assert result.domains_added == ("NFS Northfield state requirements",)
        assert [n.split()[0] for n in result.program_numbers_added] == [
            "state_data_submissions_12m"
        ]
        assert result.scoring == ()
        assert result.weakenings == ()
        changes = {
            c.id: {f.field: (f.old, f.new, f.kind) for f in c.changes} for c in result.changed
        }
        assert set(changes) == {"OFC-03", "DATA-03"}
        assert changes["DATA-03"] == {"core": (False, True, ChangeKind.TIGHTENED)}
        assert changes["OFC-03"]["metric.met"] == (20, 25, ChangeKind.TIGHTENED)
        assert set(changes["OFC-03"]) == {
            "title",
            "statement",
            "metric.met",
            "anchors.met",
            "anchors.partially_met",
        }

    def test_the_overlay_records_the_same_changes(self, northfield: Standard) -> None:
        """The overlay's tailoring names the same changes the diff finds, with no weakening."""
        assert northfield.tailoring is not None
        targets = [(c.kind.value, c.target) for c in northfield.tailoring.changes]

        assert targets == [
            ("changed", "OFC-03"),
            ("changed", "OFC-03"),
            ("tightened", "OFC-03"),
            ("changed", "OFC-03"),
            ("tightened", "DATA-03"),
            ("added", "program_numbers"),
            ("rescored", "NFS-01"),
            ("rescored", "DATA-05"),
        ]
        assert northfield.tailoring.weakenings == ()

    def test_added_requirements_are_listed_as_changes_to_the_scoring(
        self, best_practice: Standard, northfield: Standard
    ) -> None:
        """The diff names the overlay's added requirements again, as changes to the scoring."""
        result = diff(best_practice, northfield)
        text = render_text(result)

        assert [r.target for r in result.rescorings] == ["NFS-01", "DATA-05"]
        assert "Changes to the scoring declared by the overlay (2):" in text
        assert (
            "  ~ DATA-05: adds requirement DATA-05 “Quarterly submissions to the state crisis "
            "data system” to DATA, weight 2"
        ) in text.splitlines()

    def test_weakenings_are_named_with_their_reasons(
        self, mini_standard: Standard, tmp_path: Path
    ) -> None:
        """A diff against an overlay that weakens its base lists each weakening and reason."""
        overlay = tmp_path / "weak.yaml"
        overlay.write_text(
            "extends: mini-standard@1.0\nid: weak\nversion: '1'\ntitle: Weak\npublisher: P\n"
            "effective: 2024-01-01\nstatus: draft\nsummary: S.\n"
            "override:\n  TRN-01:\n    core: false\n    reason: Phased in over two years.\n",
            encoding="utf-8",
        )
        weak = load_file(overlay, store=StandardsStore([DATA_STANDARDS]))

        result = diff(mini_standard, weak)

        assert [(w.target, w.reason) for w in result.weakenings] == [
            ("TRN-01", "Phased in over two years.")
        ]
        assert "! TRN-01: makes core requirement TRN-01 no longer core" in render_text(result)


class TestScoringChanges:
    """Changes to the scoring policy are listed with whether they tighten or loosen it."""

    def test_decision_conditions_are_compared_one_by_one(
        self, mini_standard: Standard, tmp_path: Path
    ) -> None:
        """A raised minimum and a dropped one show as tightened and weakened."""
        overlay = tmp_path / "scoring.yaml"
        overlay.write_text(
            "extends: mini-standard@1.0\nid: scored\nversion: '1'\ntitle: Scored\n"
            "publisher: P\neffective: 2024-01-01\nstatus: draft\nsummary: S.\n"
            "scoring:\n  decision_levels:\n    certified:\n"
            "      conditions: {min_overall: 85, min_domain: null}\n"
            "      reason: Domains are weighed in the overall score instead.\n",
            encoding="utf-8",
        )
        scored = load_file(overlay, store=StandardsStore([DATA_STANDARDS]))

        result = diff(mini_standard, scored)

        assert [(c.field, c.old, c.new, c.kind) for c in result.scoring] == [
            ("decision_levels.certified.min_overall", 80, 85, ChangeKind.TIGHTENED),
            ("decision_levels.certified.min_domain", 60, None, ChangeKind.WEAKENED),
        ]
        assert "decision_levels.certified.min_domain: 60 → none (weakened)" in render_text(result)


# Each field of the scoring policy's models, with another value for it, and the diff's field.
_OTHER: dict[str, tuple[Any, str]] = {
    "RatingLevel.id": (None, ""),  # levels are matched by id: a new id is another level
    "RatingLevel.label": ("Fully met", "scale.met.label"),
    "RatingLevel.credit": (0.9, "scale.met.credit"),
    "RatingLevel.meets": (False, "scale.met.meets"),
    "RatingLevel.description": ("Everything is in place.", "scale.met.description"),
    "RatingLevel.aliases": (("done",), "scale.met.aliases"),
    "RatingLevel.points": (5.0, "scale.met.points"),
    "RatingScale.levels": (None, ""),  # compared level by level, above
    "RatingScale.not_applicable_label": ("Does not apply", "scale.not_applicable_label"),
    "RatingScale.not_applicable_aliases": (("na",), "scale.not_applicable_aliases"),
    "DecisionLevel.id": (None, ""),
    "DecisionLevel.label": ("Certified at last", "decision_levels.certified.label"),
    "DecisionLevel.description": ("Meets it all.", "decision_levels.certified.description"),
    "DecisionLevel.colour": ("#000000", "decision_levels.certified.colour"),
    "DecisionLevel.conditions": (None, ""),  # compared condition by condition
    "DecisionLevel.validity": (None, ""),  # compared term by term (TestValidity)
    "ScoringPolicy.scale": (None, ""),
    "ScoringPolicy.overall": ("domains", "overall"),
    "ScoringPolicy.include_core_in_scores": (False, "include_core_in_scores"),
    "ScoringPolicy.unsupported_claim": (None, ""),  # TestUnsupportedClaims
    "ScoringPolicy.evidence_max_age_days": (30, "evidence_max_age_days"),
    "ScoringPolicy.decision_levels": (None, ""),
    "ScoringPolicy.proposal_note": ("Another note.", "proposal_note"),
    "ScoringPolicy.exceptions": (None, ""),
    "ExceptionPolicy.allowed": (True, "exceptions.allowed"),
    "ExceptionPolicy.core_allowed": (True, "exceptions.core_allowed"),
    "ExceptionPolicy.max_exceptions": (2, "exceptions.max_exceptions"),
    "ExceptionPolicy.max_days": (90, "exceptions.max_days"),
    "ExceptionPolicy.proposal": (("max_days",), "exceptions.proposal"),
}


def test_the_table_of_scoring_fields_is_the_models_fields() -> None:
    """A field added to the scoring policy's format must be added here, and to the diff."""
    from citcert.standards.model import (
        DecisionLevel,
        ExceptionPolicy,
        RatingLevel,
        RatingScale,
        ScoringPolicy,
    )

    models = (RatingLevel, RatingScale, DecisionLevel, ScoringPolicy, ExceptionPolicy)
    fields = {f"{m.__name__}.{name}" for m in models for name in m.model_fields}
    assert fields == set(_OTHER)


@pytest.mark.parametrize("name", [n for n, (_, field) in _OTHER.items() if field])
def test_every_field_of_the_scoring_policy_shows_in_the_diff(
    mini_standard: Standard, name: str
) -> None:
    """Changed on its own, each field is one line of the diff, under its own name."""
    model, field = name.split(".")
    value, shown = _OTHER[name]
    scoring = mini_standard.scoring
    if model == "RatingLevel":
        levels = list(scoring.scale.levels)
        met = next(i for i, level in enumerate(levels) if level.id == "met")
        levels[met] = levels[met].model_copy(update={field: value})
        scoring = scoring.model_copy(
            update={"scale": scoring.scale.model_copy(update={"levels": tuple(levels)})}
        )
    elif model == "RatingScale":
        scoring = scoring.model_copy(
            update={"scale": scoring.scale.model_copy(update={field: value})}
        )
    elif model == "DecisionLevel":
        levels = [
            lv.model_copy(update={field: value}) if lv.id == "certified" else lv
            for lv in scoring.decision_levels
        ]
        scoring = scoring.model_copy(update={"decision_levels": tuple(levels)})
    elif model == "ExceptionPolicy":
        policy = scoring.exceptions.model_copy(update={field: value})
        scoring = scoring.model_copy(update={"exceptions": policy})
    else:
        scoring = scoring.model_copy(update={field: value})
    changed = mini_standard.model_copy(update={"scoring": scoring})

    assert [c.field for c in diff(mini_standard, changed).scoring] == [shown]


class TestAlongTheLine:
    """2019.3 supersedes Core Elements through 2019.1 and 2019.2: ids map step by step."""

    def test_the_mapping_is_the_one_migrate_and_compare_follow(
        self, core_elements: Standard
    ) -> None:
        """
        Every pair is the line's (a requirement keeping its id is compared as itself), every
        Core Elements id is mapped or removed as in the direct diff to 2019.1, and backwards the
        same pairs turn round. Without a way to find the versions between, nothing is mapped.
        """
        from citcert.standards.succession import line

        current = find_standard("cit-best-practice@2019.3")
        result = diff(core_elements, current, find_standard)
        found = line(core_elements, current, find_standard)
        assert found is not None
        expected = {
            (o, n) for n, olds in found.predecessors().items() for o in olds if o != n
        }

        forward = {(m.id, new) for m in result.old_to_new for new in m.to}
        assert forward == expected
        assert result.mapped_by == (
            "cit-best-practice@2019.1, cit-best-practice@2019.2 and cit-best-practice@2019.3"
        )
        old_ids = {r.id for _, r in core_elements.requirements()}
        assert {m.id for m in result.old_to_new} | {r.id for r in result.removed} == old_ids
        assert "INS-01" in {m.id for m in result.old_to_new}  # not taken for 2019.3's INS-01
        backwards = diff(current, core_elements, find_standard)
        assert {(m.id, to) for m in backwards.old_to_new for to in m.to} == {
            (n, o) for o, n in expected
        }
        assert diff(core_elements, current).mapped_by is None

    def test_the_command_follows_the_line(self, runner: CliRunner) -> None:
        result = runner.invoke(
            cli, ["standards", "diff", "cit-core-elements@2007.1", "cit-best-practice@2019.3"]
        )

        assert result.exit_code == 0, result.output
        assert "Ids are mapped through the `replaces:` lists of cit-best-practice@2019.1, " in (
            result.stdout
        )
        assert "  INS-01 In-service training for CIT officers → INS-02\n" in result.stdout


class TestDiffCommand:
    """`citcert standards diff` with refs and files, in text and JSON."""

    def test_json_round_trips(self, runner: CliRunner) -> None:
        """The JSON output is the StandardDiff model, readable back."""
        result = runner.invoke(
            cli,
            ["standards", "diff", "cit-best-practice@2019.1", str(NORTHFIELD), "--format", "json"],
        )

        assert result.exit_code == 0
        parsed = StandardDiff.model_validate(json.loads(result.stdout))
        assert (parsed.old, parsed.new) == ("cit-best-practice@2019.1", "northfield-cit@2024.1")

    def test_text_names_the_tightening(self, runner: CliRunner) -> None:
        """The text output shows the tightened threshold of OFC-03."""
        result = runner.invoke(cli, ["standards", "diff", "cit-best-practice", str(NORTHFIELD)])

        assert result.exit_code == 0
        assert "    metric.met: 20 → 25 (tightened)\n" in result.stdout

    def test_unknown_ref_is_exit_2(self, runner: CliRunner) -> None:
        """A standard that does not exist is a plain error with exit 2."""
        result = runner.invoke(cli, ["standards", "diff", "cit-best-practice", "nope@1"])

        assert result.exit_code == 2
        assert result.stderr.startswith("Error: there is no standard nope.")


# -- every change, with its kind, through the command ------------------------------------------


NULLABLE_KEYS = tuple(RequirementOverride.model_fields)
"""A requirement override's keys, every one optional: written ``null``, each is refused."""


def _overlay(tmp_path: Path, body: str) -> Path:
    """An overlay file on cit-best-practice@2019.1 with `body` after its identity."""
    path = tmp_path / "state.yaml"
    path.write_text(OVERLAY_HEAD + body, encoding="utf-8")
    return path


def _next_version(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """cit-best-practice@2019.1 copied as 2019.4, each (old, new) text replaced exactly once."""
    text = BEST_PRACTICE_YAML.read_text(encoding="utf-8")
    for old, new in (('version: "2019.1"', 'version: "2019.4"'), *edits):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "cit-best-practice-2019.4.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _diff_text(old: str, new: Path) -> list[str]:
    result = CliRunner().invoke(cli, ["standards", "diff", old, str(new)])
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def _diff_json(old: str, new: Path) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["standards", "diff", old, str(new), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def _scoring(report: dict[str, Any]) -> list[tuple[str, Any, Any, str]]:
    return [(c["field"], c["old"], c["new"], c["kind"]) for c in report["scoring"]]


class TestExceptionPolicy:
    """Every change to the exception policy is listed with its kind, in text and JSON."""

    def test_an_overlay_with_fewer_and_shorter_exceptions(self, tmp_path: Path) -> None:
        """Fewer and shorter exceptions: two tightenings of the scoring policy."""
        path = _overlay(tmp_path, "scoring:\n  exceptions: {max_exceptions: 1, max_days: 90}\n")

        assert _diff_text("cit-best-practice@2019.1", path) == [
            "cit-best-practice@2019.1 → state-tailoring@1",
            "",
            "Scoring policy (3):",
            "  exceptions.max_exceptions: 3 → 1 (tightened)",
            "  exceptions.max_days: 365 → 90 (tightened)",
            "  exceptions.proposal: [max_exceptions; max_days] → []",
        ]
        assert _scoring(_diff_json("cit-best-practice@2019.1", path)) == [
            ("exceptions.max_exceptions", 3, 1, "tightened"),
            ("exceptions.max_days", 365, 90, "tightened"),
            ("exceptions.proposal", ["max_exceptions", "max_days"], [], "changed"),
        ]

    def test_an_overlay_that_allows_no_exceptions(self, tmp_path: Path) -> None:
        """No exceptions at all (the template drops its Exceptions sheet): a tightening."""
        path = _overlay(tmp_path, "scoring:\n  exceptions: {allowed: false}\n")

        assert _diff_text("cit-best-practice@2019.1", path)[2:] == [
            "Scoring policy (1):",
            "  exceptions.allowed: true → false (tightened)",
        ]
        report = _diff_json("cit-best-practice@2019.1", path)
        assert _scoring(report) == [("exceptions.allowed", True, False, "tightened")]

    def test_an_overlay_that_allows_longer_exceptions_with_a_reason(self, tmp_path: Path) -> None:
        """A longer term loosens: listed in the policy and among the declared weakenings."""
        body = "scoring:\n  exceptions:\n    max_days: 730\n    reason: Waivers run two years.\n"
        path = _overlay(tmp_path, body)

        assert _diff_text("cit-best-practice@2019.1", path)[2:] == [
            "Scoring policy (2):",
            "  exceptions.max_days: 365 → 730 (weakened)",
            "  exceptions.proposal: [max_exceptions; max_days] → [max_exceptions]",
            "",
            "Weakenings declared by the overlay (1):",
            "  ! scoring: loosens the exception policy's max_days from 365 to 730 "
            "(reason: Waivers run two years.)",
        ]
        assert _scoring(_diff_json("cit-best-practice@2019.1", path)) == [
            ("exceptions.max_days", 365, 730, "weakened"),
            ("exceptions.proposal", ["max_exceptions", "max_days"], ["max_exceptions"], "changed"),
        ]

    def test_a_limit_the_overlay_sets_is_no_longer_marked_as_citcerts_proposal(
        self, tmp_path: Path
    ) -> None:
        """
        2019.1's limits are citcert's proposal; a state that sets its own term makes that term
        its rule, while the count it kept is still the proposal, and the outline says which.
        """
        path = _overlay(tmp_path, "scoring:\n  exceptions: {max_days: 90}\n")

        assert find_standard("cit-best-practice@2019.1").scoring.exceptions.proposal == (
            "max_exceptions",
            "max_days",
        )
        assert load_file(path).scoring.exceptions.proposal == ("max_exceptions",)
        shown = CliRunner().invoke(cli, ["standards", "show", str(path)])
        assert shown.exit_code == 0, shown.output
        assert (
            "each running at most 90 days (about 3 months) from approval to expiry); the limit "
            "on how many is proposed by citcert, not a published rule."
        ) in " ".join(shown.stdout.split())

    def test_a_proposal_naming_a_limit_not_set_is_a_located_error(self, tmp_path: Path) -> None:
        path = _next_version(tmp_path, ("    max_days: 365\n", ""))

        result = CliRunner().invoke(cli, ["standards", "show", str(path)])

        assert result.exit_code == 2
        assert "cit-best-practice-2019.4.yaml:" in result.stderr
        assert (
            "scoring.exceptions: proposal names max_days, which this policy does not set"
        ) in result.stderr

    def test_a_limit_named_twice_in_the_proposal_is_a_located_error(self, tmp_path: Path) -> None:
        path = _next_version(
            tmp_path,
            ("    proposal: [max_exceptions, max_days]\n", "    proposal: [max_days, max_days]\n"),
        )

        result = CliRunner().invoke(cli, ["standards", "show", str(path)])

        assert result.exit_code == 2
        assert "scoring.exceptions: proposal names max_days twice; name each once" in result.stderr

    def test_a_limit_restated_by_the_overlay_is_its_own_rule(self, tmp_path: Path) -> None:
        """The same 365 days written in the overlay: no change, but the state's rule now."""
        path = _overlay(tmp_path, "scoring:\n  exceptions: {max_days: 365}\n")

        assert load_file(path).scoring.exceptions.proposal == ("max_exceptions",)

    def test_between_versions(self, tmp_path: Path) -> None:
        """More exceptions, and on core requirements too: two weakenings between versions."""
        path = _next_version(
            tmp_path,
            ("    max_exceptions: 3\n", "    core_allowed: true\n    max_exceptions: 10\n"),
        )

        assert _diff_text("cit-best-practice@2019.1", path) == [
            "cit-best-practice@2019.1 → cit-best-practice@2019.4",
            "",
            "Scoring policy (2):",
            "  exceptions.core_allowed: false → true (weakened)",
            "  exceptions.max_exceptions: 3 → 10 (weakened)",
        ]
        assert _scoring(_diff_json("cit-best-practice@2019.1", path)) == [
            ("exceptions.core_allowed", False, True, "weakened"),
            ("exceptions.max_exceptions", 3, 10, "weakened"),
        ]


class TestUnsupportedClaims:
    """The level an unbacked claim is scored as: more credit loosens, less tightens."""

    def test_full_credit_for_an_unbacked_claim_is_a_weakening(self, tmp_path: Path) -> None:
        """partially_met → met between versions: an unbacked claim now earns full credit."""
        path = _next_version(tmp_path, ("treat_as: partially_met", "treat_as: met"))

        assert _diff_text("cit-best-practice@2019.1", path)[2:] == [
            "Scoring policy (1):",
            "  unsupported_claim.treat_as: partially_met → met (weakened)",
        ]
        assert _scoring(_diff_json("cit-best-practice@2019.1", path)) == [
            ("unsupported_claim.treat_as", "partially_met", "met", "weakened")
        ]

    def test_less_credit_or_a_new_cap_tightens_and_no_cap_weakens(self, tmp_path: Path) -> None:
        """The other way round it tightens; dropping the rule leaves claims at full credit."""
        met = _next_version(tmp_path, ("treat_as: partially_met", "treat_as: met"))
        assert _scoring(_diff_json(str(met), BEST_PRACTICE_YAML)) == [
            ("unsupported_claim.treat_as", "met", "partially_met", "tightened")
        ]
        dropped = _next_version(
            tmp_path, ("  unsupported_claim:\n    treat_as: partially_met\n", "")
        )
        assert _diff_text("cit-best-practice@2019.1", dropped)[2:] == [
            "Scoring policy (1):",
            "  unsupported_claim.treat_as: partially_met → none (weakened)",
        ]

    def test_an_overlay_cannot_make_the_same_change(self, tmp_path: Path) -> None:
        """No overlay can loosen the rule unseen: the key is refused at its line."""
        path = _overlay(tmp_path, "scoring:\n  unsupported_claim: {treat_as: met}\n")

        result = CliRunner().invoke(cli, ["standards", "validate", str(path)])

        assert result.exit_code == 2
        assert (
            "state.yaml:10:3: scoring.unsupported_claim: is not a known key here (allowed: "
            "decision_levels, exceptions)"
        ) in result.stderr


class TestValidity:
    """A decision level's terms: longer loosens, shorter tightens."""

    def test_terms_and_review_intervals_between_versions(self, tmp_path: Path) -> None:
        """Ten years' validity weakens; a sooner review tightens, a later one weakens."""
        path = _next_version(
            tmp_path,
            ("valid_for_days: 1095", "valid_for_days: 3650"),
            (
                "review_every_days: 182\n        proposal: [valid_for_days,",
                "review_every_days: 90\n        proposal: [valid_for_days,",
            ),
            (
                "review_every_days: 182\n        proposal: [review_every_days]",
                "review_every_days: 365\n        proposal: [review_every_days]",
            ),
        )

        levels = "decision_levels"
        assert _diff_text("cit-best-practice@2019.1", path)[2:] == [
            "Scoring policy (3):",
            f"  {levels}.certified.validity.valid_for_days: 1095 → 3650 (weakened)",
            f"  {levels}.conditional.validity.review_every_days: 182 → 90 (tightened)",
            f"  {levels}.not_certified.validity.review_every_days: 182 → 365 (weakened)",
        ]
        assert _scoring(_diff_json("cit-best-practice@2019.1", path)) == [
            (f"{levels}.certified.validity.valid_for_days", 1095, 3650, "weakened"),
            (f"{levels}.conditional.validity.review_every_days", 182, 90, "tightened"),
            (f"{levels}.not_certified.validity.review_every_days", 182, 365, "weakened"),
        ]

    def test_a_review_is_judged_by_when_it_falls_due(self, tmp_path: Path) -> None:
        """
        With no review interval the review is due when the decision lapses: writing that same
        interval out only changes the file; no interim report any more loosens.
        """
        path = _next_version(
            tmp_path,
            (
                "valid_for_days: 1095\n        interim_report_every_days: 365\n"
                "        proposal: [interim_report_every_days]\n",
                "valid_for_days: 1095\n        review_every_days: 1095\n",
            ),
        )

        assert _diff_text("cit-best-practice@2019.1", path)[2:] == [
            "Scoring policy (3):",
            "  decision_levels.certified.validity.review_every_days: none → 1095",
            "  decision_levels.certified.validity.interim_report_every_days: 365 → none (weakened)",
            "  decision_levels.certified.validity.proposal: [interim_report_every_days] → []",
        ]


class TestDroppedPartialBand:
    """``partial: null`` drops the partial-credit band (a tightening); ``met: null`` is refused."""

    def test_dropping_the_band_is_a_tightening_in_the_overlay_and_the_diff(
        self, tmp_path: Path
    ) -> None:
        """The overlay records it as tightened and the diff lists it the same way."""
        path = _overlay(tmp_path, "override:\n  OFC-03:\n    metric: {partial: null}\n")

        assert _diff_text("cit-best-practice@2019.1", path) == [
            "cit-best-practice@2019.1 → state-tailoring@1",
            "",
            "Changed (1):",
            "  OFC-03 At least a fifth of patrol trained",
            "    metric.partial: 10 → none (tightened)",
        ]
        report = _diff_json("cit-best-practice@2019.1", path)
        assert [c["id"] for c in report["changed"]] == ["OFC-03"]
        assert report["changed"][0]["changes"] == [
            {"field": "metric.partial", "old": 10.0, "new": None, "kind": "tightened"}
        ]
        shown = CliRunner().invoke(cli, ["standards", "show", str(path), "--format", "json"])
        standard = json.loads(shown.stdout)
        assert standard["tailoring"]["changes"] == [
            {
                "kind": "tightened",
                "target": "OFC-03",
                "description": "drops the partial-credit threshold of 10 from OFC-03",
                "reason": None,
            }
        ]
        ofc03 = next(
            r for d in standard["domains"] for r in d["requirements"] if r["id"] == "OFC-03"
        )
        assert (ofc03["metric"]["met"], ofc03["metric"]["partial"]) == (20.0, None)

    def test_a_met_threshold_cannot_be_dropped(self, tmp_path: Path) -> None:
        """``met: null`` is refused at its line, in plain words."""
        path = _overlay(tmp_path, "override:\n  OFC-03:\n    metric: {met: null}\n")

        result = CliRunner().invoke(cli, ["standards", "validate", str(path)])

        assert result.exit_code == 2
        assert result.stderr.splitlines()[-1].endswith(
            "state.yaml:11:19: override.OFC-03.metric.met: a metric always has a met threshold, "
            "so it cannot be dropped; give a number, or leave `met:` out to keep the base's"
        )

    @pytest.mark.parametrize(
        ("lines", "where"),
        [
            *((f"    {key}: null\n", key) for key in NULLABLE_KEYS),
            ("    remediation:\n      owner: null\n", "remediation.owner"),
        ],
    )
    def test_any_other_key_written_null_is_refused_not_ignored(
        self, tmp_path: Path, lines: str, where: str
    ) -> None:
        """``weight: null`` was read as left out: validate said valid, the diff nothing."""
        path = _overlay(tmp_path, f"override:\n  OFC-03:\n{lines}")

        result = CliRunner().invoke(cli, ["standards", "validate", str(path)])

        assert result.exit_code == 2
        assert result.stderr.splitlines()[-1].endswith(
            f"override.OFC-03.{where}: `null` changes nothing here and removes nothing from the "
            "base; give a value, or leave the key out to keep the base's"
        )

    def test_a_band_that_is_not_there_cannot_be_dropped(self, tmp_path: Path) -> None:
        """Dropping the band again, in an overlay on the first, is refused at its line."""
        _overlay(tmp_path, "override:\n  OFC-03:\n    metric: {partial: null}\n")
        county = tmp_path / "county.yaml"
        county.write_text(
            OVERLAY_HEAD.replace("cit-best-practice@2019.1", "state-tailoring@1").replace(
                "id: state-tailoring", "id: county-tailoring"
            )
            + "override:\n  OFC-03:\n    metric:\n      partial: null\n",
            encoding="utf-8",
        )

        result = CliRunner().invoke(
            cli, ["--standards-dir", str(tmp_path), "standards", "validate", str(county)]
        )

        assert result.exit_code == 2
        assert (
            "county.yaml:12:16: override.OFC-03.metric.partial: OFC-03 has no partial-credit "
            "threshold to drop; leave `partial:` out"
        ) in result.stderr


class TestRemovalReasons:
    """A requirement the overlay removes is listed with the reason its entry gives."""

    def test_a_removed_requirement_carries_its_reason(self, tmp_path: Path) -> None:
        """Text and JSON name the reason next to the removal."""
        path = _overlay(tmp_path, "remove:\n  - {id: POP-02, reason: not relevant}\n")

        assert _diff_text("cit-best-practice@2019.1", path)[2:] == [
            "Removed (1):",
            "  - POP-02 Veterans and justice professionals (POP) (reason: not relevant)",
        ]
        removed = _diff_json("cit-best-practice@2019.1", path)["removed"]
        assert [(r["id"], r["core"], r["reason"]) for r in removed] == [
            ("POP-02", False, "not relevant")
        ]

    def test_a_removed_core_requirement_is_also_a_declared_weakening(self, tmp_path: Path) -> None:
        """Removing a core requirement weakens the base: the reason is in both places."""
        body = "remove:\n  - id: PART-01\n    reason: The county runs its own committee.\n"
        path = _overlay(tmp_path, body)

        lines = _diff_text("cit-best-practice@2019.1", path)

        removed = next(line for line in lines if line.startswith("  - PART-01 "))
        assert removed.endswith("[core] (reason: The county runs its own committee.)")
        weakening = lines[lines.index("Weakenings declared by the overlay (1):") + 1]
        assert weakening.startswith("  ! PART-01: removes core requirement PART-01 ")
        assert weakening.endswith("(reason: The county runs its own committee.)")
        removed_json = _diff_json("cit-best-practice@2019.1", path)["removed"]
        assert [r["reason"] for r in removed_json] == ["The county runs its own committee."]

    def test_between_versions_a_removal_has_no_reason(self, tmp_path: Path) -> None:
        """Two versions of a standard declare no reasons: the key is there, and null."""
        args = ["standards", "diff", "cit-best-practice@2019.1", "cit-core-elements@2007.1"]
        result = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)

        assert result["removed"] and all(r["reason"] is None for r in result["removed"])
