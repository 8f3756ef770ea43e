"""
Agreement between raters who rated the same requirements on one ordinal scale (pure).

Fidelity reviews (IPS, TMACT, CIT peer reviews) have two or more raters rate independently and
then agree a consensus; how far they agreed before talking is worth knowing. This module gives
the figures reviewers and panels quote:

- **exact agreement**: the share of requirements every rater rated at the same level;
- **within one level**: the share where the highest and lowest rating are at most one level
  apart;
- a **chance-corrected statistic**: for two raters, Cohen's kappa with **linear** weights
  (``w = 1 - |i - j| / (k - 1)`` over the k levels of the scale); for three or more,
  Krippendorff's alpha with the **interval** metric (``δ² = (i - j)²``) on the level positions.

Levels are given as their position on the scale (0 = the best level, as the standard lists
them). Only requirements every rater rated at a level count towards the statistic; "not
applicable" or an empty rating is left out of it (and reported as a disagreement where the
raters differ). ``None`` means a statistic cannot be computed (no variation at all, or too few
ratings): a report says so rather than dividing by zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import permutations

KAPPA = "weighted Cohen's kappa (linear weights)"
ALPHA = "Krippendorff's alpha (interval metric)"


@dataclass(frozen=True, slots=True)
class Figures:
    """The agreement over a set of items, each a tuple of one level position per rater."""

    items: int
    exact: float | None
    """Share (0-1) of items with every rater at the same level."""
    within_one: float | None
    statistic: str
    """`KAPPA` for two raters, `ALPHA` for more."""
    value: float | None


def agreement(ratings: Sequence[Sequence[int]], levels: int) -> Figures:
    """
    The figures for `ratings` (one row per item, one level position per rater) on a scale of
    `levels` levels.
    """
    raters = len(ratings[0]) if ratings else 2
    statistic = KAPPA if raters == 2 else ALPHA
    if not ratings:
        return Figures(0, None, None, statistic, None)
    exact = sum(len(set(row)) == 1 for row in ratings) / len(ratings)
    within = sum(max(row) - min(row) <= 1 for row in ratings) / len(ratings)
    value = (
        weighted_kappa([(a, b) for a, b in ratings], levels)
        if raters == 2
        else krippendorff_alpha(ratings)
    )
    return Figures(len(ratings), exact, within, statistic, value)


def weighted_kappa(pairs: Sequence[tuple[int, int]], levels: int) -> float | None:
    """Cohen's kappa with linear weights for two raters' level positions (0 … levels-1)."""
    if not pairs or levels < 2:
        return None
    n = len(pairs)
    first = [sum(a == i for a, _ in pairs) / n for i in range(levels)]
    second = [sum(b == j for _, b in pairs) / n for j in range(levels)]

    def weight(i: int, j: int) -> float:
        return 1 - abs(i - j) / (levels - 1)

    observed = sum(weight(a, b) for a, b in pairs) / n
    expected = sum(
        weight(i, j) * first[i] * second[j] for i in range(levels) for j in range(levels)
    )
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(units: Sequence[Sequence[int]]) -> float | None:
    """
    Krippendorff's alpha, interval metric, for units rated by any number of raters.

    ``alpha = 1 - D_o / D_e``: D_o is the mean squared difference between values paired within a
    unit (each unit's pairs weighted by ``1 / (m_u - 1)``), D_e the same over all pairable values.
    """
    pairable = [list(unit) for unit in units if len(unit) >= 2]
    values = [v for unit in pairable for v in unit]
    n = len(values)
    if n < 2:
        return None
    within = sum(
        sum((a - b) ** 2 for a, b in permutations(unit, 2)) / (len(unit) - 1) for unit in pairable
    )
    between = sum((a - b) ** 2 for a, b in permutations(values, 2))
    if between == 0:
        return None
    observed = within / n
    expected = between / (n * (n - 1))
    return 1 - observed / expected
