"""Score changes are computed on the unrounded scores and rounded once; points read as words."""

from __future__ import annotations

from citcert._words import change_words, points
from citcert.audit.assessment import Assessment
from citcert.audit.compare import compare
from citcert.audit.scoring import assess
from citcert.standards.model import Standard
from tests.audit.builders import make_evidence


def _scored(a: Assessment, overall: float, domain: float) -> Assessment:
    """`a` with every score set to an unrounded value and its one-decimal rounding."""
    domains = tuple(
        d.model_copy(update={"score": round(domain, 1), "exact_score": domain}) for d in a.domains
    )
    return a.model_copy(
        update={
            "overall_score": round(overall, 1),
            "exact_overall_score": overall,
            "domains": domains,
        }
    )


def test_a_change_from_two_thirds_to_five_sixths_is_16_7_points(mini_standard: Standard) -> None:
    """66.7% → 83.3% is +16.7 points (the exact change), not 83.3 − 66.7 = +16.6."""
    base = assess(mini_standard, make_evidence(mini_standard))
    old = _scored(base, 200 / 3, 200 / 3)
    new = _scored(base, 250 / 3, 250 / 3)

    c = compare(old, new)

    assert c.overall.change == 16.7
    assert {s.change for s in c.domains} == {16.7}
    assert "+16.7 points" in c.headline


def test_an_audit_file_without_exact_scores_still_compares(mini_standard: Standard) -> None:
    """An audit saved before exact scores were kept falls back to its rounded scores."""
    base = assess(mini_standard, make_evidence(mini_standard))
    old = _scored(base, 200 / 3, 200 / 3).model_copy(update={"exact_overall_score": None})
    new = _scored(base, 250 / 3, 250 / 3)

    assert compare(old, new).overall.change == 16.6


def test_the_assessment_keeps_the_unrounded_scores(mini_standard: Standard) -> None:
    """The rounded score is the exact one rounded to one decimal, for overall and each domain."""
    a = assess(mini_standard, make_evidence(mini_standard))

    assert a.exact_overall_score is not None
    assert round(a.exact_overall_score, 1) == a.overall_score
    for d in a.domains:
        assert d.exact_score is not None and d.score == round(d.exact_score, 1)


def test_one_point_is_singular() -> None:
    """``+1 point``, never ``+1 points``; other amounts stay plural."""
    assert points(1.0, signed=True) == "+1 point"
    assert points(2.5) == "2.5 points"
    assert points(0.0) == "0 points"
    assert change_words(1.0) == "+1.0 point"
    assert change_words(-2.0) == "-2.0 points"
    assert change_words(200 / 3 - 50) == "+16.7 points"
