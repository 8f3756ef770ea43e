"""
Output safety for text that came from a workbook, shared by the writers.

Whatever a coordinator typed is data. Before it reaches an output it is cleaned of characters
no output can hold (control characters, lone surrogates), escaped before it goes into PDF
paragraph markup, and neutralised before it goes into a spreadsheet cell where it could be read
as a formula. The wording helpers keep counts and enum values reading plainly ("1 gap",
"Self-assessment by the program") and the same in every report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from citcert._words import change_words, join_words, percent, plural, points, score_words
from citcert.audit.assessment import (
    Assessment,
    Finding,
    LevelResult,
    MetricResult,
    QuarterOutcomes,
    RatingSource,
    Status,
)
from citcert.standards.model import ChangeKind, LevelId, TailoringChange
from citcert.workbook.evidence import Mode

RESCORED_WORDS = (
    "change how scores are formed (an added requirement or a changed weight moves every score "
    "of its domain), so a program may score higher or lower for them"
)
"""What an overlay's rescorings do, in the words every report uses after their count."""


def overlay_effect(a: Assessment) -> str | None:
    """
    The sentence saying that the overlay, not the program, made the decision better than its
    base alone would; ``None`` when it did not (or there is no overlay).
    """
    view = a.without_overlay
    return view.sentence if view is not None and view.better else None


def overlay_line(changes: Sequence[TailoringChange]) -> str | None:
    """
    One line for the terminal, which lists no changes: how many loosen the base and how many
    change the scoring; ``None`` when there are none of either.
    """
    weakened = sum(1 for c in changes if c.kind is ChangeKind.WEAKENED)
    rescored = sum(1 for c in changes if c.kind is ChangeKind.RESCORED)
    parts = []
    if weakened:
        parts.append(
            f"{plural(weakened, 'change')} {'loosens' if weakened == 1 else 'loosen'} its base"
        )
    if rescored:
        verb = "changes" if rescored == 1 else "change"
        parts.append(f"{plural(rescored, 'change')} {verb} how scores are formed")
    if not parts:
        return None
    return f"This standard is an overlay: {' and '.join(parts)} (the reports list each change)."


def tailoring_summary(changes: Sequence[TailoringChange]) -> tuple[str, ...]:
    """
    How many of an overlay's changes loosen its base and how many change the scoring: the
    sentences every report prints under its list of changes, so none hides either.
    """
    weakened = sum(1 for c in changes if c.kind is ChangeKind.WEAKENED)
    rescored = sum(1 for c in changes if c.kind is ChangeKind.RESCORED)
    lines = []
    if weakened:
        lines.append(f"{weakened} of these changes loosen the base standard.")
    if rescored:
        lines.append(f"{rescored} of these changes {RESCORED_WORDS}.")
    return tuple(lines)


REPLACEMENT = "\ufffd"
"""What a character that cannot be shown becomes (the Unicode replacement character)."""

FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
"""
First characters that make a spreadsheet read a cell as a formula (OWASP's CSV-injection list:
``=`` ``+`` ``-`` ``@`` tab and carriage return, plus line feed and the full-width forms that
some input methods turn into them).
"""

# C0 and C1 controls except tab, line feed and carriage return, DEL, the non-characters U+FFFE
# and U+FFFF, and lone surrogates: no XML document (PDF markup, XLSX) may hold them, and none
# of them shows anything.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]|[\ud800-\udfff]")
_INVISIBLE = frozenset("\u200d\ufe0e\ufe0f")
"""Joiners and emoji variation selectors: dropped rather than replaced where unsupported."""
_NEWLINES = re.compile(r"\r\n?")


def clean(text: str) -> str:
    """
    `text` with every character no output can hold removed, and line breaks made ``\\n``.

    Lone surrogates (possible in JSON input) become the replacement character so that their
    position stays visible; other control characters are dropped.
    """

    def _swap(match: re.Match[str]) -> str:
        return REPLACEMENT if "\ud800" <= match.group() <= "\udfff" else ""

    return _NEWLINES.sub("\n", _UNSHOWABLE.sub(_swap, text))


def neutralise_formula(text: str) -> str:
    """
    Cleaned `text`, prefixed with a single quote when a spreadsheet could read it as a formula.

    This is OWASP's recommendation against CSV and formula injection: the quote makes the cell
    plain text in Excel and LibreOffice, also after an edit or a CSV export.
    """
    cleaned = clean(text)
    if cleaned and cleaned[0] in FORMULA_TRIGGERS:
        return "'" + cleaned
    return cleaned


def of_standard(text: str, standard_id: str, *, mixed: bool) -> str:
    """
    A roll-up's name for one standard's requirement, domain or level: in a roll-up of more
    than one standard (`mixed`) after its standard's id (``cit-core-elements: SUS · Sustaining
    elements``), lest two standards' items of one id read alike; else `text` as it is.
    """
    return f"{standard_id}: {text}" if mixed else text


def replace_unsupported(text: str, supported: Callable[[int], bool]) -> tuple[str, frozenset[str]]:
    """
    `text` with each character a font cannot draw replaced by the replacement character.

    Returns the new text and the set of characters that were replaced, so that a report can say
    visibly that some text could not be shown. Line breaks and tabs are kept for the caller.
    """
    missing: set[str] = set()
    out: list[str] = []
    for char in text:
        if char in "\n\t" or supported(ord(char)):
            out.append(char)
        elif char in _INVISIBLE:
            continue
        else:
            missing.add(char)
            out.append(REPLACEMENT)
    return "".join(out), frozenset(missing)


def pdf_escape(text: str) -> str:
    """
    Cleaned `text` made safe for reportlab paragraph markup: ``&``, ``<`` and ``>`` escaped,
    line breaks turned into ``<br/>`` and tabs into spaces, so it shows exactly as typed.
    """
    escaped = escape(clean(text)).replace("\t", "    ")
    return escaped.replace("\n", "<br/>")


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    rest = len(text) - limit
    word = "character" if rest == 1 else "characters"
    return f"{text[:limit].rstrip()}… [{rest:,} more {word}]"


def mode_words(mode: Mode) -> str:
    """What the assessment mode means, in words."""
    by = "the program" if mode is Mode.SELF else "a reviewer"
    return f"{mode.noun.capitalize()} by {by}"


def source_words(source: RatingSource) -> str:
    """Where a requirement's rating came from, in words."""
    match source:
        case RatingSource.REVIEWER:
            return "Reviewer"
        case RatingSource.SELF:
            return "Self-rating"
        case RatingSource.METRIC:
            return "Metric"
        case RatingSource.NONE:
            return "—"


def status_words(status: Status) -> str:
    """A requirement's outcome in words."""
    match status:
        case Status.MET:
            return "Met"
        case Status.PARTIAL:
            return "Partially met"
        case Status.NOT_MET:
            return "Not met"
        case Status.NOT_APPLICABLE:
            return "Not applicable"
        case Status.UNANSWERED:
            return "Not answered"


def level_words(level_id: str | None) -> str:
    """A rating level id as words (``partially_met`` -> ``Partially met``); empty for none."""
    return level_id.replace("_", " ").capitalize() if level_id else ""


DOMAIN_MINIMUM = "the standard's minimum score for a domain"
"""
What the mark on each bar of a domain chart is (a domain's `threshold`): the per-domain
minimum the standard sets, which may belong to a level above the next one, or to the top level
when the program is already there. Never "what the next level needs".
"""


QUARTER_CHARTS = (
    ("CIT calls resolved on scene, by quarter", "resolved"),
    ("CIT calls referred or taken to treatment, by quarter", "treatment"),
)
"""The outcome shares every report charts per quarter: the title and the field of each."""


def quarters_sentence(quarters: Sequence[QuarterOutcomes]) -> str:
    """``From the Quarterly data sheet: 4 quarters reported, 3 of 4 on time.``"""
    on_time = sum(q.on_time is True for q in quarters)
    known = sum(q.on_time is not None for q in quarters)
    text = f"From the Quarterly data sheet: {plural(len(quarters), 'quarter')} reported"
    return f"{text}, {on_time} of {known} on time." if known else f"{text}."


def on_time_words(on_time: bool | None, sent: dt.date | None) -> str:
    """Whether a quarter's report reached the committee on time, in words, with its date."""
    when = f" ({sent.isoformat()})" if sent else ""
    match on_time:
        case True:
            return f"Yes{when}"
        case False:
            return f"No{when}"
        case None:
            return f"Not known{when}" if sent else "Not sent"


def level_standing(level: LevelResult, decided: LevelId) -> str:
    """
    Where a decision level stands: ``decided``; ``conditions hold`` for one below the decision
    (its conditions hold, but a better level was decided); or ``not reached``.
    """
    if level.level_id == decided:
        return "decided"
    return "conditions hold" if level.reached else "not reached"


def calls_words(value: float | None) -> str:
    """A quarter's CIT calls: ``412`` (never ``1.23457e+06``); ``—`` when none were given."""
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def share_words(value: float | None) -> str:
    """A share of calls: ``62.5%``; ``no calls reported`` when there were none to share."""
    return "no calls reported" if value is None else f"{value:.1f}%"


def beside_metric(finding: Finding, metric: MetricResult | None) -> str:
    """
    A finding without the metric sentence it opens with, for a cell that shows the metric's
    working just above it (a requirement's row); the whole finding everywhere else.
    """
    if metric is None:
        return finding.message
    repeated = f"{metric.label}: {metric.display}; "
    rest = finding.message.removeprefix(repeated)
    return rest[:1].upper() + rest[1:] if rest != finding.message else finding.message


__all__ = [
    "DOMAIN_MINIMUM",
    "QUARTER_CHARTS",
    "REPLACEMENT",
    "beside_metric",
    "calls_words",
    "change_words",
    "clean",
    "join_words",
    "level_standing",
    "level_words",
    "mode_words",
    "neutralise_formula",
    "on_time_words",
    "pdf_escape",
    "percent",
    "plural",
    "points",
    "quarters_sentence",
    "replace_unsupported",
    "score_words",
    "share_words",
    "shorten",
    "source_words",
    "status_words",
]
