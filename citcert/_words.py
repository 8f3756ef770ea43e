"""
The words numbers are written in, the same in every sentence the core builds and every report.

Pure string helpers, with no knowledge of the models, so every layer may use them (a leaf
module): counts (``1 gap``, ``3 gaps``), lists (``a, b and c``), spans of days (``1,095 days
(3 years)``), scores as people write them (``71%``, ``79.5%``) and as tables show them side by
side (``71.0%``), and changes of score (``+3.5 points``). The writers take them through
`citcert.export.wording`, so a report never words a number differently from the core.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def plural(count: int, noun: str, nouns: str | None = None, *, none: bool = False) -> str:
    """
    ``1 gap``, ``3 gaps``; ``0 gaps``, or ``no gaps`` with `none` (for a sentence).

    Pass `nouns` for an irregular plural. Zero stays a number by default, for counts read side
    by side ("1 gap closed, 0 opened"); a sentence that stands alone says "no gaps".
    """
    many = nouns or f"{noun}s"
    if count == 0 and none:
        return f"no {many}"
    return f"{count} {noun if count == 1 else many}"


def span(days: int) -> str:
    """
    A span of days as a standard sets it and as people think of it: ``1,095 days (3 years)``,
    ``182 days (about 6 months)``, ``45 days``. The days stay, as every date is counted in them.
    """
    exact = f"{days:,} {'day' if days == 1 else 'days'}"
    years, rest = divmod(days, 365)
    if years and not rest:
        return f"{exact} ({plural(years, 'year')})"
    months = round(days / _MONTH)
    if months >= 12 and not months % 12 and abs(months * _MONTH - days) <= 2:
        return f"{exact} (about {plural(months // 12, 'year')})"
    if months >= 2 and abs(months * _MONTH - days) <= 2:
        return f"{exact} (about {months} months)"
    return exact


_MONTH = 365.25 / 12
"""The mean month in days, to tell whether a span is a whole number of months."""


def plain_name(name: str) -> str:
    """
    A name as people read it, to tell whether two are the same: case, spacing and Unicode form
    aside ("Peña" typed as one character or as n and a combining tilde is one name).
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


def join_words(parts: Sequence[str]) -> str:
    """A list in words: ``a``, ``a and b``, ``a, b and c``."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def percent(value: float) -> str:
    """A score or threshold as people write it: ``71%``, ``79.5%``."""
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text}%"


def score_words(value: float | None) -> str:
    """A score with one decimal, ``71.0%``, for scores shown side by side; ``—`` for none."""
    return "—" if value is None else f"{value:.1f}%"


def change_words(value: float | None) -> str:
    """
    A change of score rounded once, here: ``+3.5 points``, ``-2.0 points``, ``+1.0 point``,
    ``no change``; ``n/a`` for none. Pass the exact change, not a difference of rounded scores.
    """
    if value is None:
        return "n/a"
    shown = round(value, 1)
    if not shown:
        return "no change"
    return f"{shown:+.1f} {'point' if abs(shown) == 1 else 'points'}"


def points(value: float, *, signed: bool = False) -> str:
    """Points as people write them: ``1 point``, ``2.5 points``; ``+1 point`` with `signed`."""
    shown = round(value, 1)
    text = f"{shown:+.1f}" if signed else f"{shown:.1f}"
    noun = "point" if abs(shown) == 1 else "points"
    return f"{text.removesuffix('.0')} {noun}"


def number(value: float) -> str:
    """A number as people write it: ``120``, ``36.5``, ``15``."""
    if isinstance(value, int):
        return str(value)
    return f"{value:.2f}".rstrip("0").rstrip(".")


def quantity(value: float, unit: str) -> str:
    """A number with its unit: ``90%``, ``365 days``."""
    return f"{number(value)}{unit if unit == '%' else f' {unit}'}"
