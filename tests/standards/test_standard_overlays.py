# ruff: noqa: E501  (the table holds the exact one-line messages users see; kept unsplit to read)
"""
Overlays: resolving onto a base, the tailoring record, and the guardrails against unjustified
weakening, each bad overlay under tests/data/standards/overlays/ with its exact located message.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from citcert.cli import cli
from citcert.errors import OverlayError
from citcert.standards import find_standard, load_file
from citcert.standards.model import ChangeKind, Standard
from citcert.standards.store import StandardsStore
from tests.conftest import DATA

STANDARDS = DATA / "standards"
OVERLAYS = STANDARDS / "overlays"

CASES = [
    (
        "add-existing-domain.yaml",
        "add-existing-domain.yaml:12:11: add.domains[0].id: mini-standard@1.0 already has a domain TRN; add requirements to it under `add: requirements:` instead",
    ),
    (
        "add-existing-id.yaml",
        "add-existing-id.yaml:13:11: add.requirements[0].id: TRN-02 is already a requirement of mini-standard@1.0; change it under `override:` or choose a new id",
    ),
    (
        "add-existing-number.yaml",
        "add-existing-number.yaml:12:12: add.program_numbers[0].id: mini-standard@1.0 already asks for `patrol_officers`",
    ),
    (
        "add-to-unknown-domain.yaml",
        "add-to-unknown-domain.yaml:12:15: add.requirements[0].domain: there is no domain DATA (PART, TRN)",
    ),
    (
        "added-depends-on-missing.yaml",
        "added-depends-on-missing.yaml:14:20: add.requirements[0].depends_on[0]: depends on TRN-99, which is not a requirement of this standard",
    ),
    (
        "allow-not-applicable-without-reason.yaml",
        "allow-not-applicable-without-reason.yaml:12:21: override.TRN-02.not_applicable: lets TRN-02 be rated not applicable, which weakens mini-standard@1.0; give a `reason:` for this change to allow it",
    ),
    (
        "always-met-added-count.yaml",
        "always-met-added-count.yaml:19:94: add.requirements[0].metric.met: a met threshold of at least 0 visits is reached by every possible value (no value is below 0), so every program meets TRN-09 whatever it does; no reason can allow a threshold that asks nothing: leave it out, or set a threshold a program has to reach",
    ),
    (
        "always-met-at-most-past-100.yaml",
        "always-met-at-most-past-100.yaml:22:14: add.requirements[0].metric.met: a met threshold of at most 150% is reached by every possible value (“CIT-trained patrol officers” may not exceed “Patrol officers”, so the share is at most 100%), so every program meets TRN-09 whatever it does; no reason can allow a threshold that asks nothing: leave it out, or set a threshold a program has to reach",
    ),
    (
        "always-met-at-most-share.yaml",
        "always-met-at-most-share.yaml:16:97: add.requirements[0].metric.met: a met threshold of at most 100% is reached by every possible value (a share typed on the requirement's row is at most 100%), so every program meets TRN-09 whatever it does; no reason can allow a threshold that asks nothing: leave it out, or set a threshold a program has to reach",
    ),
    (
        "always-met-below-minimum.yaml",
        "always-met-below-minimum.yaml:16:55: add.requirements[0].metric.met: a met threshold of at least -5 hours is reached by every possible value (no value is below 0), so every program meets PART-09 whatever it does; no reason can allow a threshold that asks nothing: leave it out, or set a threshold a program has to reach",
    ),
    (
        "always-met-in-added-domain.yaml",
        "always-met-in-added-domain.yaml:24:18: add.domains[0].requirements[0].metric.met: a met threshold of at least 0% is reached by every possible value (no value is below 0), so every program meets STATE-01 whatever it does; no reason can allow a threshold that asks nothing: leave it out, or set a threshold a program has to reach",
    ),
    (
        "always-met-override-with-reason.yaml",
        "always-met-override-with-reason.yaml:12:19: override.TRN-01.metric.met: a met threshold of at least 0% is reached by every possible value (no value is below 0), so every program meets TRN-01 whatever it does; no reason can allow a threshold that asks nothing: to drop TRN-01, remove it under `remove:` with a `reason:`",
    ),
    (
        "always-partial-override.yaml",
        "always-partial-override.yaml:12:23: override.TRN-02.metric.partial: a partial threshold of at least 0 hours is reached by every possible value (no value is below 0), so every program earns at least partial credit for TRN-02 whatever it does; no reason can allow a threshold that asks nothing: to drop TRN-02, remove it under `remove:` with a `reason:`",
    ),
    (
        "dropped-condition-without-reason.yaml",
        "dropped-condition-without-reason.yaml:13:32: scoring.decision_levels.certified.conditions.min_domain: drops the condition min_domain of decision level certified (60), which weakens mini-standard@1.0; give a `reason:` for this change to allow it",
    ),
    (
        "extends-bad-ref.yaml",
        "extends-bad-ref.yaml:2:10: extends: must name a standard as `id@version`, like `cit-best-practice@2019.1`",
    ),
    (
        "extends-itself.yaml",
        "extends-itself.yaml:2:10: overlays extend each other in a circle: mini-state@1.0 → mini-state@1.0",
    ),
    (
        "extends-unknown.yaml",
        "extends-unknown.yaml:2:10: the base standard cannot be found: mini-standard has no version 9.9; available: 1.0 (current)",
    ),
    ("key-typo.yaml", "key-typo.yaml:10:1: overide: is not a known key; did you mean `override`?"),
    (
        "looser-at-most-without-reason.yaml",
        "looser-at-most-without-reason.yaml:12:19: override.PART-02.metric.met: loosens the met threshold of PART-02 from 92 to 120, which weakens mini-standard@1.0; give a `reason:` for this change to allow it",
    ),
    (
        "looser-decision-without-reason.yaml",
        "looser-decision-without-reason.yaml:13:33: scoring.decision_levels.certified.conditions.min_overall: loosens the condition min_overall of decision level certified from 80 to 75, which weakens mini-standard@1.0; give a `reason:` for this change to allow it",
    ),
    (
        "looser-threshold-without-reason.yaml",
        "looser-threshold-without-reason.yaml:12:19: override.TRN-01.metric.met: loosens the met threshold of TRN-01 from 20 to 15, which weakens mini-standard@1.0; give a `reason:` for this change to allow it",
    ),
    (
        "not-core-without-reason.yaml",
        "not-core-without-reason.yaml:12:11: override.PART-01.core: makes core requirement PART-01 no longer core, which weakens mini-standard@1.0; give a `reason:` for this change to allow it",
    ),
    (
        "override-removed.yaml",
        "override-removed.yaml:14:3: override.TRN-03: TRN-03 is removed by this overlay",
    ),
    (
        "override-unknown-requirement.yaml",
        "override-unknown-requirement.yaml:11:3: override.TRN-04: mini-standard@1.0 has no requirement TRN-04; did you mean TRN-03?",
    ),
    ("remove-twice.yaml", "remove-twice.yaml:13:9: remove[1].id: TRN-03 is already removed above"),
    (
        "remove-unknown.yaml",
        "remove-unknown.yaml:11:9: remove[0].id: mini-standard@1.0 has no requirement TRN-09; did you mean TRN-03?",
    ),
    (
        "remove-without-reason.yaml",
        "remove-without-reason.yaml:11:5: remove[0].reason: is required but missing",
    ),
    (
        "resolved-thresholds-unordered.yaml",
        "resolved-thresholds-unordered.yaml:12:23: override.TRN-01.metric.partial: the partial threshold (30) must not be above the met threshold (20) when higher is better (at_least)",
    ),
    (
        "threshold-without-metric.yaml",
        "threshold-without-metric.yaml:12:13: override.TRN-03.metric: TRN-03 has no metric, so it has no thresholds to change",
    ),
    (
        "unknown-decision-level.yaml",
        "unknown-decision-level.yaml:12:5: scoring.decision_levels.gold: mini-standard@1.0 has no decision level gold (certified, conditional, not_certified)",
    ),
    (
        "heavier-weight-without-reason.yaml",
        "heavier-weight-without-reason.yaml:12:13: override.TRN-02.weight: raises the weight of TRN-02 from 1 to 5, which changes how mini-standard@1.0 weighs its requirements in the scores and may lift a program's score or decision; give a `reason:` for this change to allow it",
    ),
    (
        "weaker-weight-without-reason.yaml",
        "weaker-weight-without-reason.yaml:12:13: override.PART-02.weight: lowers the weight of PART-02 from 2 to 1, which changes how mini-standard@1.0 weighs its requirements in the scores and may lift a program's score or decision; give a `reason:` for this change to allow it",
    ),
]

GOOD = """\
extends: mini-standard@1.0
id: mini-state
version: "2024.1"
title: Mini state overlay
publisher: Tests state office
effective: 2024-06-01
status: current
summary: Tightens, adds, and justifies its weakenings.
citation: [{title: State rules, publisher: Tests state office, year: 2024}]
add:
  program_numbers:
    - {id: state_hours, label: Hours of the state module, unit: hours}
  domains:
    - id: STATE
      title: State requirements
      description: Requirements of the state office.
      requirements:
        - id: STATE-01
          title: State registry
          statement: The program is registered with the state office.
          core: true
          anchors: {met: Registered., not_met: Not registered.}
          evidence: [Registration letter]
          remediation: {actions: [Register.], owner: Coordinator, effort: low, horizon_days: 30}
          sources: [{url: "https://example.org/state", verification: unverified}]
  requirements:
    - domain: TRN
      id: TRN-09
      title: State module
      statement: The course teaches the state module.
      metric: {label: Hours of the state module, unit: hours, inputs: [state_hours], met: 4}
      anchors: {met: Taught., not_met: Not taught.}
      evidence: [Agenda]
      remediation: {actions: [Teach it.], owner: Coordinator, effort: low, horizon_days: 30}
      sources: [{url: "https://example.org/state", verification: unverified}]
remove:
  - id: PART-01
    reason: The state charters every committee itself.
override:
  TRN-01:
    metric: {met: 25, partial: 15}
  TRN-02:
    weight: 0.5
    evidence: [Course agenda, Instructor roster]
    reason: Course length is set by state law.
scoring:
  decision_levels:
    certified:
      conditions: {min_overall: 85, max_gaps: 2}
"""


def _validate(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["--standards-dir", str(STANDARDS), "standards", "validate", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> Standard:
    """The valid overlay above, resolved against mini-standard@1.0."""
    path = tmp_path_factory.mktemp("overlay") / "state.yaml"
    path.write_text(GOOD, encoding="utf-8")
    return load_file(path, store=StandardsStore([STANDARDS]))


class TestGuardrails:
    """The parametrized table of bad overlays and their messages."""

    @pytest.mark.parametrize(("name", "expected"), CASES, ids=[c[0] for c in CASES])
    def test_bad_overlay_gives_its_located_message_and_exit_2(
        self, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, name: str, expected: str
    ) -> None:
        """Each bad overlay is refused with exit 2 and one plain message at its line."""
        monkeypatch.chdir(OVERLAYS)

        code, out, err = _validate(runner, name)

        assert code == 2
        assert out == ""
        assert expected in [line.removeprefix("Error: ") for line in err.splitlines()]

    def test_every_bad_overlay_is_in_the_table(self) -> None:
        """No bad overlay fixture is left without an expected message."""
        assert sorted(c[0] for c in CASES) == sorted(p.name for p in OVERLAYS.glob("*.yaml"))

    @pytest.mark.parametrize(
        ("name", "kind"),
        [
            ("weaker-weight-without-reason.yaml", ChangeKind.RESCORED),
            ("heavier-weight-without-reason.yaml", ChangeKind.RESCORED),
            ("not-core-without-reason.yaml", ChangeKind.WEAKENED),
            ("looser-threshold-without-reason.yaml", ChangeKind.WEAKENED),
        ],
    )
    def test_a_reason_turns_a_refused_change_into_a_recorded_one(
        self, tmp_path: Path, name: str, kind: ChangeKind
    ) -> None:
        """The same change that is refused without a reason is accepted, and kept, with one."""
        text = (OVERLAYS / name).read_text(encoding="utf-8")
        path = tmp_path / "ok.yaml"
        path.write_text(text + "    reason: Our state's own rule.\n", encoding="utf-8")

        standard = load_file(path, store=StandardsStore([STANDARDS]))

        assert standard.tailoring is not None
        (change,) = standard.tailoring.changes
        assert (change.kind, change.reason) == (kind, "Our state's own rule.")


class TestResolution:
    """What a valid overlay resolves to."""

    def test_identity_comes_from_the_overlay_and_base_is_recorded(self, state: Standard) -> None:
        """The resolved standard has the overlay's id and version and names its base."""
        assert state.ref == "mini-state@2024.1"
        assert state.tailoring is not None
        assert state.tailoring.base == "mini-standard@1.0"
        assert len(state.tailoring.base_sha256) == 64
        assert [c.title for c in state.citation] == ["Test citation", "State rules"]

    def test_requirements_are_added_removed_and_overridden(self, state: Standard) -> None:
        """Added requirements are in place, removed ones gone, overrides applied."""
        ids = {domain.id: [r.id for r in domain.requirements] for domain in state.domains}
        trn01 = state.requirement("TRN-01")
        trn02 = state.requirement("TRN-02")

        assert ids == {
            "PART": ["PART-02"],
            "TRN": ["TRN-01", "TRN-02", "TRN-03", "TRN-09"],
            "STATE": ["STATE-01"],
        }
        assert trn01.metric is not None
        assert (trn01.metric.met, trn01.metric.partial) == (25, 15)
        assert trn02.weight == 0.5
        assert [n.id for n in state.program_numbers][-1] == "state_hours"
        certified = state.scoring.decision_levels[0].conditions
        assert (certified.min_overall, certified.max_gaps, certified.min_domain) == (85, 2, 60)

    def test_a_dependency_on_a_removed_requirement_is_dropped_and_recorded(
        self, state: Standard
    ) -> None:
        """PART-02 depended on the removed PART-01; the dependency goes, and says so."""
        assert state.tailoring is not None
        descriptions = [c.description for c in state.tailoring.changes]

        assert state.requirement("PART-02").depends_on == ()
        assert "PART-02 no longer depends on PART-01 (removed)" in descriptions

    def test_every_change_is_recorded_with_its_kind(self, state: Standard) -> None:
        """The tailoring lists each change once, with the right kind and reason."""
        assert state.tailoring is not None
        kinds = [(c.kind, c.target) for c in state.tailoring.changes]

        assert kinds == [
            (ChangeKind.WEAKENED, "PART-01"),
            (ChangeKind.TIGHTENED, "TRN-01"),
            (ChangeKind.TIGHTENED, "TRN-01"),
            (ChangeKind.RESCORED, "TRN-02"),
            (ChangeKind.TIGHTENED, "TRN-02"),
            (ChangeKind.ADDED, "program_numbers"),
            (ChangeKind.RESCORED, "STATE-01"),
            (ChangeKind.RESCORED, "TRN-09"),
            (ChangeKind.TIGHTENED, "scoring"),
            (ChangeKind.TIGHTENED, "scoring"),
            (ChangeKind.CHANGED, "PART-02"),
        ]
        reasons = {c.target: c.reason for c in state.tailoring.weakenings}
        assert reasons == {"PART-01": "The state charters every committee itself."}
        rescored = [(c.target, c.reason) for c in state.tailoring.rescorings]
        assert rescored == [
            ("TRN-02", "Course length is set by state law."),
            ("STATE-01", None),
            ("TRN-09", None),
        ]

    def test_resolving_twice_gives_the_same_standard(self, state: Standard, tmp_path: Path) -> None:
        """Resolution is deterministic: same overlay, same base, equal result."""
        path = tmp_path / "again.yaml"
        path.write_text(GOOD, encoding="utf-8")

        assert load_file(path, store=StandardsStore([STANDARDS])) == state


class TestShown:
    """`standards show` names each change's kind and counts the weakenings and rescorings."""

    def test_show_lists_rescorings_and_counts_them(self, runner: CliRunner, tmp_path: Path) -> None:
        path = tmp_path / "state.yaml"
        path.write_text(GOOD, encoding="utf-8")

        result = runner.invoke(
            cli, ["--standards-dir", str(STANDARDS), "standards", "show", str(path)]
        )

        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert (
            "  RESCORED: lowers the weight of TRN-02 from 1 to 0.5. Reason: Course length is set by state law."
            in lines
        )
        assert "  RESCORED: adds requirement TRN-09 “State module” to TRN, weight 1." in lines
        assert "This overlay weakens mini-standard@1.0 in 1 place(s)." in lines
        assert (
            "This overlay changes how mini-standard@1.0 forms its scores in 3 place(s) (added "
            "requirements, changed weights), so a program may score higher or lower under it."
        ) in lines


class TestFindWithOverlay:
    """find_standard's overlay argument, as commands use it through `_standard()`."""

    def test_overlay_resolves_with_or_without_the_matching_base_ref(self, tmp_path: Path) -> None:
        """Naming the base (by id or id@version) or nothing gives the same resolved standard."""
        path = tmp_path / "state.yaml"
        path.write_text(GOOD, encoding="utf-8")

        results = {
            find_standard(ref, overlay=path, store=StandardsStore([STANDARDS])).ref
            for ref in (None, "mini-standard", "mini-standard@1.0")
        }

        assert results == {"mini-state@2024.1"}

    def test_overlay_on_another_base_than_named_is_an_error(self, tmp_path: Path) -> None:
        """Asking for one standard with an overlay made for another is refused plainly."""
        path = tmp_path / "state.yaml"
        path.write_text(GOOD, encoding="utf-8")

        with pytest.raises(OverlayError) as caught:
            find_standard("cit-best-practice", overlay=path, store=StandardsStore([STANDARDS]))

        assert str(caught.value) == (
            f"{path}: this overlay extends mini-standard@1.0, not cit-best-practice"
        )

    def test_a_full_standard_is_not_accepted_as_an_overlay(self) -> None:
        """A standard file passed as an overlay says how to use it instead."""
        with pytest.raises(OverlayError) as caught:
            find_standard(overlay=STANDARDS / "mini.yaml")

        assert "is a standard, not an overlay" in str(caught.value)


VALIDITY_HEAD = """\
extends: cit-best-practice@2019.1
id: state-terms
version: "1"
title: State recognition terms
publisher: Tests state office
effective: 2024-06-01
status: current
summary: The state's own terms for its decisions.
scoring:
  decision_levels:
"""


class TestValidity:
    """A state's own terms for how long a decision lasts and when it is looked at again."""

    @staticmethod
    def _overlay(tmp_path: Path, levels: str) -> Path:
        path = tmp_path / "state-terms.yaml"
        path.write_text(VALIDITY_HEAD + levels, encoding="utf-8")
        return path

    def test_sooner_is_free_and_the_named_terms_are_the_overlays_own(self, tmp_path: Path) -> None:
        """
        A shorter validity and an interim report where the base asks none are tightenings,
        with no reason; the terms are no longer marked citcert's proposal, and the basis is the
        overlay's.
        """
        path = self._overlay(
            tmp_path,
            "    certified:\n"
            "      validity: {valid_for_days: 730, basis: the state recognises for two years}\n"
            "    conditional:\n"
            "      validity: {interim_report_every_days: 90}\n",
        )

        standard = load_file(path)

        levels = {level.id: level for level in standard.scoring.decision_levels}
        certified, conditional = levels["certified"].validity, levels["conditional"].validity
        assert certified is not None and conditional is not None
        assert (certified.valid_for_days, certified.interim_report_every_days) == (730, 365)
        assert certified.proposal == ("interim_report_every_days",)
        assert certified.basis == "the state recognises for two years"
        assert (conditional.valid_for_days, conditional.review_every_days) == (365, 182)
        assert conditional.interim_report_every_days == 90
        assert standard.tailoring is not None
        assert [(c.kind, c.description) for c in standard.tailoring.changes] == [
            (
                ChangeKind.TIGHTENED,
                "tightens how long the decision lasts at decision level certified from 1095 "
                "days to 730 days",
            ),
            (
                ChangeKind.TIGHTENED,
                "tightens the days between interim reports at decision level conditional from "
                "none to 90 days",
            ),
        ]

    @pytest.mark.parametrize(
        ("levels", "message"),
        [
            (
                "    certified:\n      validity: {valid_for_days: 1460}\n",
                "state-terms.yaml:12:34: scoring.decision_levels.certified.validity."
                "valid_for_days: loosens how long the decision lasts at decision level "
                "certified from 1095 days to 1460 days, which weakens cit-best-practice@2019.1; "
                "give a `reason:` for this change to allow it",
            ),
            (
                "    certified:\n      validity: {interim_report_every_days: null}\n",
                "state-terms.yaml:12:45: scoring.decision_levels.certified.validity."
                "interim_report_every_days: loosens the days between interim reports at "
                "decision level certified from 365 days to none, which weakens "
                "cit-best-practice@2019.1; give a `reason:` for this change to allow it",
            ),
            (
                "    conditional:\n      validity: {review_every_days: 300}\n",
                "state-terms.yaml:12:37: scoring.decision_levels.conditional.validity."
                "review_every_days: loosens the days until the next review at decision level "
                "conditional from 182 days to 300 days, which weakens cit-best-practice@2019.1; "
                "give a `reason:` for this change to allow it",
            ),
        ],
    )
    def test_later_is_refused_at_its_line_without_a_reason(
        self, runner: CliRunner, tmp_path: Path, levels: str, message: str
    ) -> None:
        path = self._overlay(tmp_path, levels)

        result = runner.invoke(cli, ["standards", "validate", str(path)])

        assert result.exit_code == 2
        assert message in " ".join(result.stderr.split())
        reasoned = self._overlay(tmp_path, levels + "      reason: The state's own cycle.\n")
        assert runner.invoke(cli, ["standards", "validate", str(reasoned)]).exit_code == 0

    @pytest.mark.parametrize("key", ["validity", "reason"])
    def test_a_null_validity_or_reason_is_refused_at_its_line(
        self, runner: CliRunner, tmp_path: Path, key: str
    ) -> None:
        """``validity: null`` drops no term (each term's own null does): said, not ignored."""
        path = self._overlay(tmp_path, f"    certified:\n      {key}: null\n")

        result = runner.invoke(cli, ["standards", "validate", str(path)])

        assert result.exit_code == 2
        said = " ".join(result.stderr.split())
        assert f"state-terms.yaml:12:{9 + len(key)}: scoring.decision_levels.certified.{key}:" in said
        assert "leave the key out" in said
        if key == "validity":
            assert "write it as null inside validity" in said

    def test_an_audit_under_the_overlay_counts_from_its_terms(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """Brennan County is close to the standard: under the state's terms, a year longer."""
        path = self._overlay(
            tmp_path,
            "    conditional:\n"
            "      validity: {valid_for_days: 730, review_every_days: 365}\n"
            "      reason: The state reviews every program once a year.\n",
        )
        workbook = Path(__file__).parents[2] / "examples" / "brennan-county.xlsx"
        moved = tmp_path / "brennan-state.xlsx"
        state = ["--standards-dir", str(tmp_path)]
        migrate = ["migrate", str(workbook), "--to", "state-terms@1", "-o", str(moved)]
        assert runner.invoke(cli, [*state, *migrate]).exit_code == 0

        base = runner.invoke(cli, ["audit", str(workbook)])
        tailored = runner.invoke(cli, [*state, "audit", str(moved), "--overlay", str(path)])

        assert base.exit_code == tailored.exit_code == 0, tailored.output
        assert "Valid until 2026-08-20 · Next review due 2026-02-18" in base.stdout
        assert "Valid until 2027-08-20 · Next review due 2026-08-20" in tailored.stdout
