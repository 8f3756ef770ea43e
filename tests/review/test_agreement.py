"""The agreement figures against values worked out by hand (the arithmetic is in each test)."""

from __future__ import annotations

import pytest

from citcert.audit.agreement import ALPHA, KAPPA, agreement, krippendorff_alpha, weighted_kappa


class TestTwoRaters:
    """Two raters: exact, within one level, and Cohen's kappa with linear weights."""

    A = (0, 0, 1, 2, 1)
    B = (0, 1, 1, 2, 2)

    def test_figures_match_the_hand_computation(self) -> None:
        """
        5 items on a 3-level scale. Exact: items 1, 3, 4 agree -> 3/5 = 0.6; no pair is two
        levels apart -> within one = 1.0. Linear weights w = 1, 0.5, 0 for 0, 1, 2 levels apart.
        Observed = (1 + .5 + 1 + 1 + .5) / 5 = 0.8. Marginals A = (.4, .4, .2), B = (.2, .4, .4).
        Expected = .4*(1*.2 + .5*.4) + .4*(.5*.2 + 1*.4 + .5*.4) + .2*(.5*.4 + 1*.4)
                 = .4*.4 + .4*.7 + .2*.6 = .16 + .28 + .12 = .56.
        kappa = (.8 - .56) / (1 - .56) = .24 / .44 = 6/11.
        """
        figures = agreement(list(zip(self.A, self.B, strict=True)), levels=3)

        assert (figures.items, figures.exact, figures.within_one) == (5, 0.6, 1.0)
        assert figures.statistic == KAPPA
        assert figures.value == pytest.approx(6 / 11)

    def test_perfect_agreement_is_one(self) -> None:
        """Identical ratings with some spread give kappa 1."""
        assert weighted_kappa([(0, 0), (1, 1), (2, 2)], 3) == pytest.approx(1.0)

    def test_no_spread_cannot_be_corrected_for_chance(self) -> None:
        """Every rating at one level: expected agreement is 1, so kappa is undefined (None)."""
        assert weighted_kappa([(0, 0), (0, 0)], 3) is None


class TestSeveralRaters:
    """Three or more raters: Krippendorff's alpha with the interval metric."""

    def test_alpha_matches_the_hand_computation(self) -> None:
        """
        Units (0,0,0), (0,1,1), (2,2,1): n = 9 values. Within units, ordered pairs' squared
        differences: unit 1: 0; unit 2: four pairs (0,1) -> 4, / (3 - 1) = 2; unit 3 likewise 2.
        D_o = (0 + 2 + 2) / 9 = 4/9. All values: four 0s, three 1s, two 2s; ordered pairs:
        2 * (4*3*1 + 4*2*4 + 3*2*1) = 2 * 50 = 100; D_e = 100 / (9 * 8) = 100/72.
        alpha = 1 - (4/9) / (100/72) = 1 - 288/900 = 0.68.
        """
        units = [(0, 0, 0), (0, 1, 1), (2, 2, 1)]

        figures = agreement(units, levels=3)

        assert figures.statistic == ALPHA
        assert figures.value == pytest.approx(0.68)
        assert (figures.exact, figures.within_one) == (pytest.approx(1 / 3), 1.0)

    def test_alpha_of_two_raters_agrees_with_its_definition(self) -> None:
        """
        Two raters (0,1), (1,1): n = 4; within: unit 1 has pairs (0,1),(1,0) -> 2 / 1 = 2,
        unit 2: 0; D_o = 2/4. Values 0,1,1,1: ordered pairs 2 * 1*3*1 = 6; D_e = 6/12.
        alpha = 1 - .5/.5 = 0.
        """
        assert krippendorff_alpha([(0, 1), (1, 1)]) == pytest.approx(0.0)

    def test_nothing_rated_gives_no_figures(self) -> None:
        """No item rated by every rater: the figures are None, not a division by zero."""
        figures = agreement([], levels=3)

        assert (figures.items, figures.exact, figures.value) == (0, None, None)
