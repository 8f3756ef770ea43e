"""
The overlay guardrails judged by their effect on the decision, not by the overlay's syntax.

The property (README, "Overlays"): an overlay whose recorded changes are all tightenings (or
plain changes of wording, or program numbers added) never gives any program a better decision,
a higher score, a higher domain score or more points than its base does. Hypothesis generates
overlays from every kind of change that *looks* like tightening (a higher weight, a new core
requirement, a stricter threshold or decision condition, more evidence, no more "not
applicable") on bases scored in each way (core requirements in the scores or not, overall by
requirements or by domains, with points), and programs with every kind of answer; whatever
lifts some program must have been recorded as something else (a rescoring or a weakening).
It lives in tests/ because it needs both the standards and the audit core.

The attack of issue 11 (item 9) is reproduced end to end below it.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st

from citcert.audit.decision import rank
from citcert.audit.overlay_effect import without_overlay
from citcert.audit.scoring import assess
from citcert.errors import OverlayError
from citcert.standards import load_file
from citcert.standards.document import read_document
from citcert.standards.loader import validate
from citcert.standards.model import ChangeKind, Standard
from citcert.standards.overlay import Overlay
from citcert.standards.tailoring import apply_overlay
from tests.audit.builders import AS_OF, make_evidence, variant
from tests.conftest import DATA

STANDARDS = DATA / "standards"
MINI = load_file(STANDARDS / "mini.yaml")
IDS = [r.id for _, r in MINI.requirements()]
METRICS = {r.id: r.metric for _, r in MINI.requirements() if r.metric is not None}

SOUND = {ChangeKind.TIGHTENED, ChangeKind.CHANGED, ChangeKind.ADDED}
"""The kinds of change the property says can never lift a program."""

REASON = "Generated for the soundness property."

MET_HEAVY = ("PART-01", "TRN-02", "TRN-03")
"""Requirements the program of the weight test meets; their weight is raised to 100."""


# -- bases --------------------------------------------------------------------------------


def _with_points(raw: dict[str, Any]) -> None:
    for level, points in zip(raw["scoring"]["scale"]["levels"], (4, 2, 0), strict=True):
        level["points"] = points
    raw["scoring"]["decision_levels"][0]["conditions"]["min_points"] = 20


@st.composite
def bases(draw: st.DrawFn) -> Standard:
    """The mini standard scored in each way an overlay's change could interact with."""
    core_scored = draw(st.booleans())
    overall = draw(st.sampled_from(["requirements", "domains"]))
    points = draw(st.booleans())

    def change(raw: dict[str, Any]) -> None:
        raw["scoring"]["include_core_in_scores"] = core_scored
        raw["scoring"]["overall"] = overall
        if points:
            _with_points(raw)

    return variant(MINI, change)


# -- overlays: every change that looks like tightening -----------------------------------


def _requirement_overrides(draw: st.DrawFn, base: Standard) -> dict[str, Any]:
    override: dict[str, Any] = {}
    for requirement_id in draw(st.lists(st.sampled_from(IDS), unique=True, max_size=4)):
        req = base.requirement(requirement_id)
        entry: dict[str, Any] = {}
        if draw(st.booleans()):
            entry["weight"] = draw(st.sampled_from([req.weight * 2, req.weight + 1, 10, 100]))
        if not req.core and draw(st.booleans()):
            entry["core"] = True
        if req.metric is not None and draw(st.booleans()):
            entry["metric"] = _stricter_thresholds(draw, req.metric)
        if req.not_applicable.allowed and draw(st.booleans()):
            entry["not_applicable"] = {"allowed": False}
        if draw(st.booleans()):
            entry["evidence"] = [*req.evidence, "A second item the state asks for"]
        if draw(st.booleans()):
            entry["title"] = f"{req.title} (state wording)"
        if entry and draw(st.booleans()):
            entry["reason"] = REASON
        if entry:
            override[requirement_id] = entry
    return override


def _stricter_thresholds(draw: st.DrawFn, metric: Any) -> dict[str, float | None]:
    """A met threshold further in the strict direction, and a partial band raised or dropped."""
    sign = 1 if metric.direction.value == "at_least" else -1
    step = draw(st.sampled_from([0, 1, 5, 10, 30]))
    met = metric.met + sign * step
    thresholds: dict[str, float | None] = {"met": met}
    if metric.partial is not None and draw(st.booleans()):
        partial = metric.partial + sign * draw(st.sampled_from([0, 1, 5]))
        # keep the band on the loose side of met, as the cross-checks require
        thresholds["partial"] = min(partial, met) if sign > 0 else max(partial, met)
    elif metric.partial is not None and draw(st.booleans()):
        thresholds["partial"] = None  # `partial: null` drops the band
    return thresholds


def _decision_overrides(draw: st.DrawFn, base: Standard) -> dict[str, Any]:
    levels: dict[str, Any] = {}
    for level in base.scoring.decision_levels[:-1]:
        c = level.conditions
        conditions: dict[str, Any] = {}
        if draw(st.booleans()):
            conditions["min_overall"] = min(
                100, (c.min_overall or 0) + draw(st.sampled_from([1, 5, 15]))
            )
        if draw(st.booleans()):
            conditions["min_domain"] = min(
                100, (c.min_domain or 0) + draw(st.sampled_from([5, 30]))
            )
        if draw(st.booleans()):
            conditions["all_core_met"] = True
        if draw(st.booleans()):
            conditions["max_gaps"] = draw(st.integers(0, 3))
        if draw(st.booleans()):
            conditions["max_unanswered"] = draw(st.integers(0, 2))
        if c.max_core_gaps is not None and draw(st.booleans()):
            conditions["max_core_gaps"] = max(0, c.max_core_gaps - 1)
        if conditions:
            levels[level.id] = {"conditions": conditions}
    return levels


@st.composite
def overlays(draw: st.DrawFn, base: Standard) -> dict[str, Any]:
    """An overlay on `base` made of changes that each look like a tightening."""
    overlay: dict[str, Any] = {
        "extends": base.ref,
        "id": "generated-state",
        "version": "1",
        "title": "Generated overlay",
        "publisher": "Tests",
        "effective": "2024-06-01",
        "status": "current",
        "summary": "Generated.",
        "override": _requirement_overrides(draw, base),
        "scoring": {"decision_levels": _decision_overrides(draw, base)},
    }
    if draw(st.booleans()):
        overlay["add"] = {
            "program_numbers": [{"id": "state_visits", "label": "State visits", "unit": "visits"}]
        }
    return overlay


def _resolve(base: Standard, overlay: dict[str, Any]) -> Standard:
    """The overlay resolved on `base` through the real reader (positions and all)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "overlay.yaml"
        path.write_text(json.dumps(overlay), encoding="utf-8")  # JSON is YAML
        document = read_document(path)
        return apply_overlay(base, validate(Overlay, document), document)


# -- programs ---------------------------------------------------------------------------


@st.composite
def programs(draw: st.DrawFn) -> dict[str, Any]:
    """A program's answers: any rating, not applicable, unanswered, any numbers."""
    patrol = draw(st.integers(0, 200))
    days = draw(st.none() | st.integers(0, 400))
    return {
        "ratings": {
            rid: draw(st.sampled_from(["met", "partially_met", "not_met", "n/a", None]))
            for rid in IDS
        },
        "numbers": {
            "patrol_officers": patrol,
            "cit_officers": draw(st.integers(0, patrol)),
            "last_committee_meeting": None if days is None else AS_OF - dt.timedelta(days=days),
        },
        "metric_values": {"TRN-02": draw(st.none() | st.integers(0, 60).map(float))},
        "summaries": {rid: "" for rid in IDS if draw(st.booleans())},
    }


def _audit(standard: Standard, program: dict[str, Any]) -> Any:
    return assess(standard, make_evidence(standard, **program))


# -- the property ---------------------------------------------------------------------------


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_an_overlay_of_tightenings_never_lifts_any_program(data: st.DataObject) -> None:
    """
    Only tightenings recorded: no program gets a better decision, score or points, and the
    reports' "without the overlay" comparison never says the overlay made it better.
    """
    base = data.draw(bases())
    overlay = data.draw(overlays(base))
    try:
        tailored = _resolve(base, overlay)
    except OverlayError:
        reject()  # a change the guardrails refuse (e.g. a weight without a reason)
    assert tailored.tailoring is not None
    kinds = {change.kind for change in tailored.tailoring.changes}
    if not kinds <= SOUND:
        # Something other than a tightening was recorded: the property does not apply, but it
        # must be shown as such. (Weights, and core where core is not scored, land here.)
        assert kinds & {ChangeKind.RESCORED, ChangeKind.WEAKENED}
        event("recorded as more than tightenings")
        return
    event("tightenings only: the property checked")
    for program in data.draw(st.lists(programs(), min_size=1, max_size=4)):
        before, after = _audit(base, program), _audit(tailored, program)
        effect = without_overlay(base, after, make_evidence(tailored, **program))
        assert not effect.better, effect.sentence
        policy = tailored.scoring
        assert rank(policy, after.decision.level_id) >= rank(base.scoring, before.decision.level_id)
        assert after.overall_score <= before.overall_score
        for was, now in zip(before.domains, after.domains, strict=True):
            assert now.score is None or (was.score is not None and now.score <= was.score)
        if before.points is not None:
            assert after.points is not None and after.points <= before.points


_TYPICAL = {
    "numbers": {
        "patrol_officers": 100,
        "cit_officers": 25,
        "last_committee_meeting": AS_OF - dt.timedelta(days=300),
    },
    "metric_values": {"TRN-02": 40.0},
    "summaries": {},
}
"""The numbers, metric value and summaries of a program that only its ratings tell apart."""


def test_the_property_can_fail_on_a_weight_raise_recorded_as_a_tightening() -> None:
    """
    The check above is not vacuous: a heavier weight on a met requirement does lift a program
    (so recording it as a tightening, as citcert once did, would break the property).
    """
    base = MINI
    overlay = {
        "extends": base.ref, "id": "heavy", "version": "1", "title": "Heavy", "publisher": "T",
        "effective": "2024-06-01", "status": "current", "summary": "S.",
        "override": {rid: {"weight": 100, "reason": REASON} for rid in MET_HEAVY},
    }  # fmt: skip
    program = {
        "ratings": {"PART-01": "met", "PART-02": "not_met", "TRN-01": "met", "TRN-02": "met",
                    "TRN-03": "met"},
        **_TYPICAL,
    }  # fmt: skip
    tailored = _resolve(base, overlay)
    before, after = _audit(base, program), _audit(tailored, program)

    assert after.overall_score > before.overall_score
    assert rank(tailored.scoring, after.decision.level_id) < rank(
        base.scoring, before.decision.level_id
    )
    assert tailored.tailoring is not None
    assert {c.kind for c in tailored.tailoring.changes} == {ChangeKind.RESCORED}


def test_making_a_requirement_core_where_core_is_not_scored_is_a_rescoring() -> None:
    """
    Where core requirements are left out of the scores, making a missed one core lifts the
    score: so it is recorded as a rescoring (and needs a reason), not as a tightening.
    """
    base = variant(MINI, lambda raw: raw["scoring"].update(include_core_in_scores=False))
    overlay = {
        "extends": base.ref, "id": "core", "version": "1", "title": "Core", "publisher": "T",
        "effective": "2024-06-01", "status": "current", "summary": "S.",
        "override": {"PART-02": {"core": True, "reason": REASON}},
    }  # fmt: skip
    program = {
        "ratings": dict.fromkeys(IDS, "met"),
        **_TYPICAL,
    }  # fmt: skip
    tailored = _resolve(base, overlay)

    assert _audit(tailored, program).overall_score > _audit(base, program).overall_score
    assert tailored.tailoring is not None
    assert [c.kind for c in tailored.tailoring.changes] == [ChangeKind.RESCORED]
    del overlay["override"]["PART-02"]["reason"]
    with pytest.raises(OverlayError, match=r"changes how mini-standard@1\.0 weighs"):
        _resolve(base, overlay)
