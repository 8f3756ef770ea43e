"""
The content of the two built-in CIT standards: complete, traceable and consistent.

These tests read the real files under standards/ through the real loader (which also runs
`cross_check`), and hold the promises the standards make to reviewers: every requirement
cites its sources and says what each rating means and how to fix a shortfall, the research's
14 gates are the core requirements, every 2007 requirement is carried forward, and every number
that is citcert's proposal rather than a published rule says so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from citcert.standards import find_standard, load_file
from citcert.standards.checks import cross_check
from citcert.standards.model import (
    NumberKind,
    Requirement,
    Standard,
    StandardStatus,
    Verification,
)

STANDARDS = Path(__file__).resolve().parents[2] / "standards"
OLD_FILE = STANDARDS / "cit-core-elements-2007.1.yaml"
NEW_FILE = STANDARDS / "cit-best-practice-2019.1.yaml"

GATES = {
    "PART-01",
    "COORD-01",
    "POL-01",
    "POL-02",
    "OFC-01",
    "OFC-02",
    "TRN-01",
    "TRN-03",
    "DSP-01",
    "CRS-01",
    "DATA-01",
    "INS-01",
    "LEX-01",
}
"""The research's 14 gates (section 6), under this standard's ids."""

DOMAINS_2019 = {
    "PART",
    "COORD",
    "LEX",
    "POL",
    "OFC",
    "TRN",
    "DSP",
    "CRS",
    "DATA",
    "INS",
    "REC",
    "SUS",
    "POP",
}

PROPOSAL_WORDS = "proposed by citcert, not a published rule"
RESEARCH_ID = re.compile(r"\bG-[A-O]\d\b|section 5|Core Element")


@pytest.fixture(scope="session")
def old() -> Standard:
    """The 2007 Core Elements standard, loaded by the real loader."""
    return load_file(OLD_FILE)


@pytest.fixture(scope="session")
def new() -> Standard:
    """The 2019 best-practice standard, loaded by the real loader."""
    return load_file(NEW_FILE)


@pytest.fixture(scope="session", params=["2007", "2019"])
def builtin(request: pytest.FixtureRequest, old: Standard, new: Standard) -> Standard:
    """Each built-in standard in turn."""
    return old if request.param == "2007" else new


def _requirements(standard: Standard) -> list[Requirement]:
    return [requirement for _, requirement in standard.requirements()]


class TestBothStandardsAreWellFormed:
    """Checks every built-in standard passes, whichever it is."""

    def test_loads_without_cross_check_problems(self, builtin: Standard) -> None:
        """The file passes the model and every cross-check (ids, dependencies, thresholds)."""
        assert cross_check(builtin) == []

    def test_every_requirement_cites_a_source_with_a_research_reference(
        self, builtin: Standard
    ) -> None:
        """Each requirement names at least one http(s) source and the research items behind it."""
        for requirement in _requirements(builtin):
            assert requirement.sources, requirement.id
            assert all(s.url.startswith(("http://", "https://")) for s in requirement.sources)
            assert all(s.note for s in requirement.sources), requirement.id
            assert requirement.reference, requirement.id
            assert RESEARCH_ID.search(requirement.reference), requirement.id

    def test_every_requirement_has_an_anchor_for_every_level(self, builtin: Standard) -> None:
        """A reviewer can read what Met, Partially met and Not met mean for each requirement."""
        levels = {level.id for level in builtin.scoring.scale.levels}
        for requirement in _requirements(builtin):
            assert levels == set(requirement.anchors), requirement.id

    def test_every_requirement_has_evidence_and_remediation(self, builtin: Standard) -> None:
        """Each requirement lists the evidence expected and concrete, owned remediation."""
        for requirement in _requirements(builtin):
            remedy = requirement.remediation
            assert requirement.evidence, requirement.id
            assert remedy.actions and remedy.owner, requirement.id
            assert 30 <= remedy.horizon_days <= 365, requirement.id

    def test_unverified_sources_ask_to_be_checked(self, builtin: Standard) -> None:
        """A source that could not be read says, in its note, that it must be checked."""
        for requirement in _requirements(builtin):
            for source in requirement.sources:
                if source.verification is Verification.UNVERIFIED:
                    assert "check" in (source.note or "").lower(), requirement.id

    def test_every_metric_input_is_a_declared_number_of_the_right_kind(
        self, builtin: Standard
    ) -> None:
        """Metrics read only program numbers the standard asks for, dates only for day counts."""
        kinds = {number.id: number.kind for number in builtin.program_numbers}
        for requirement in _requirements(builtin):
            metric = requirement.metric
            if metric is None:
                continue
            for name in metric.inputs:
                assert name in kinds, (requirement.id, name)
                is_date = kinds[name] is NumberKind.DATE
                assert is_date == (metric.compute.value == "days_since"), (requirement.id, name)

    def test_metric_bands_that_are_proposals_say_so(self, builtin: Standard) -> None:
        """Every measurable requirement says which of its lines is citcert's proposal."""
        for requirement in _requirements(builtin):
            if requirement.metric is not None:
                anchors = " ".join(requirement.anchors.values())
                assert PROPOSAL_WORDS in anchors, requirement.id

    def test_scoring_policy_names_its_proposals(self, builtin: Standard) -> None:
        """The decision rules carry a note saying which thresholds are citcert's proposal."""
        note = builtin.scoring.proposal_note or ""

        assert "proposed by citcert" in note

    def test_not_applicable_is_only_allowed_with_a_stated_condition(
        self, builtin: Standard
    ) -> None:
        """Where a requirement may be not applicable, the standard says when."""
        for requirement in _requirements(builtin):
            if requirement.not_applicable.allowed:
                assert requirement.not_applicable.when, requirement.id

    def test_typed_ratings_map_to_one_level_each(self, builtin: Standard) -> None:
        """The words people type (yes, partly, no …) each name exactly one level."""
        scale = builtin.scoring.scale
        seen: dict[str, str] = {}
        for level in scale.levels:
            for spelling in (level.label, *level.aliases):
                key = re.sub(r"[\s_-]+", "", spelling.lower())
                assert seen.setdefault(key, level.id) == level.id, spelling
        for spelling in ("yes", "fullymet", "partial", "partly", "no"):
            assert spelling in seen, spelling

    def test_titles_fit_on_a_report_line(self, builtin: Standard) -> None:
        """Requirement titles stay short enough for report tables and the workbook."""
        for requirement in _requirements(builtin):
            assert len(requirement.title) <= 80, requirement.id


class TestCoreElements2007:
    """The superseded 2007 Core Elements standard."""

    def test_is_superseded_with_the_three_groups_as_domains(self, old: Standard) -> None:
        """The ten elements sit in their three groups: ongoing, operational, sustaining."""
        assert old.status == StandardStatus.SUPERSEDED
        assert [domain.id for domain in old.domains] == ["ONG", "OPR", "SUS"]

    def test_each_of_the_ten_elements_has_a_core_requirement(self, old: Standard) -> None:
        """One core requirement per element; the CIT element has one per role."""
        core = {requirement.id for requirement in _requirements(old) if requirement.core}

        assert {
            "PART-01",
            "OWN-01",
            "POL-01",
            "CIT-01",
            "CIT-02",
            "CIT-03",
            "CUR-01",
            "MHF-01",
            "EVAL-01",
            "INS-01",
            "REC-01",
            "OUT-01",
        } == core


class TestBestPractice2019:
    """The current 2019 best-practice standard."""

    def test_is_superseded_by_2019_2_and_supersedes_2007(
        self, new: Standard, old: Standard
    ) -> None:
        """2019.2 is now current; 2019.1 still names the 2007 standard it replaces."""
        assert new.status == StandardStatus.SUPERSEDED
        assert old.ref == new.supersedes

    def test_the_thirteen_gates_are_exactly_the_core_requirements(self, new: Standard) -> None:
        """
        The research's gates, and nothing else, must all be met for the top decision level.

        The research proposed 14; PART-05 (a signed agreement) is no longer one, because the
        Memphis toolkit says a formal agreement is not always needed (guide-check, PART-05).
        """
        core = {requirement.id for requirement in _requirements(new) if requirement.core}

        assert core == GATES

    def test_covers_the_research_domains(self, new: Standard) -> None:
        """About 40 requirements in the 13 domains of the research's audit table."""
        ids = [requirement.id for requirement in _requirements(new)]

        assert {domain.id for domain in new.domains} == DOMAINS_2019
        assert 40 <= len(ids) <= 50
        for domain in new.domains:
            for requirement in domain.requirements:
                assert requirement.id.startswith(f"{domain.id}-"), requirement.id

    def test_scored_requirements_are_weighted_one_to_three(self, new: Standard) -> None:
        """Non-core requirements carry a weight of 1, 2 or 3 by importance."""
        for requirement in _requirements(new):
            if not requirement.core:
                assert requirement.weight in (1, 2, 3), requirement.id

    def test_every_2007_requirement_is_carried_forward(self, new: Standard, old: Standard) -> None:
        """Each 2007 id is replaced by at least one 2019 requirement, so the diff is complete."""
        old_ids = {requirement.id for requirement in _requirements(old)}
        replaced = {rid for requirement in _requirements(new) for rid in requirement.replaces}

        assert old_ids == replaced

    def test_published_numbers_are_the_met_thresholds(self, new: Standard) -> None:
        """The published benchmarks (40 h, 20%, every shift, 8 h, 2 years, quarterly) rate Met."""
        expected = {
            "TRN-01": 40,
            "OFC-03": 20,
            "OFC-02": 100,
            "DSP-02": 8,
            "INS-01": 730,
            "PART-02": 4,
            "DATA-03": 4,
        }
        actual = {}
        for rid in expected:
            metric = new.requirement(rid).metric
            assert metric is not None and not metric.proposal, rid
            actual[rid] = metric.met

        assert expected == actual

    def test_the_share_of_patrol_is_capped_by_patrol(self, new: Standard) -> None:
        """Trained patrol cannot exceed patrol, nor covered shifts or trained dispatchers theirs."""
        limits = {n.id: n.not_more_than for n in new.program_numbers if n.not_more_than}

        assert limits["cit_patrol_officers"] == "patrol_officers"
        assert limits["shifts_with_cit"] == "shifts"
        assert limits["cit_dispatchers"] == "dispatchers"

    def test_decision_levels_follow_the_suggested_pass_rule(self, new: Standard) -> None:
        """Certified needs every core met, 80% overall and 60% per domain; the last is open."""
        certified, conditional, last = new.scoring.decision_levels
        conditions = certified.conditions

        assert (
            conditions.all_core_met,
            conditions.min_overall,
            conditions.min_domain,
        ) == (True, 80, 60)
        assert (conditional.conditions.max_core_gaps, conditional.conditions.min_overall) == (2, 65)
        assert last.conditions.is_unconditional()
        assert (new.scoring.unsupported_claim or pytest.fail()).treat_as == "partially_met"

    def test_not_applicable_only_for_dispatch_and_special_populations(self, new: Standard) -> None:
        """Only dispatch (no own center) and the special-population extensions may be skipped."""
        allowed = {r.id for r in _requirements(new) if r.not_applicable.allowed}

        assert {"DSP-01", "DSP-02", "DSP-03", "DSP-04", "POP-01", "POP-02"} == allowed

    def test_dependencies_named_in_the_brief_hold(self, new: Standard) -> None:
        """Data reports need a data plan, duties a coordinator, in-service the basic course."""
        assert "DATA-01" in new.requirement("DATA-03").depends_on
        assert "COORD-01" in new.requirement("COORD-03").depends_on
        assert "TRN-01" in new.requirement("INS-01").depends_on

    def test_is_the_default_builtin_standard(
        self, new: Standard, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """No standard, or the id alone, gives 2019.3 (newest current); 2019.1 by its version."""
        monkeypatch.delenv("CITCERT_STANDARDS_PATH", raising=False)

        assert find_standard().ref == "cit-best-practice@2019.3"
        assert find_standard("cit-best-practice").ref == "cit-best-practice@2019.3"
        assert new.ref == find_standard("cit-best-practice@2019.1").ref
        assert find_standard("cit-core-elements@2007.1").ref == "cit-core-elements@2007.1"
