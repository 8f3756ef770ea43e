"""
Pure normalisation of raw cell values: ratings, numbers, percentages, dates and text.

People type what they mean, not what a parser wants: "yes", " MET ", "N/A", "25%", "1,200",
"03/31/2024". Each function here turns one raw value (as openpyxl reads it) into a clean value
or an `Invalid` holding a plain sentence saying what is wrong; the workbook reader adds where.
No I/O, no openpyxl, no clock.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from citcert.standards.model import RatingScale
from citcert.standards.names import scale_spellings
from citcert.workbook.evidence import Answer, NotApplicableAnswer, Rated, Unanswered
from citcert.workbook.layout import MAX_CELL_CHARS, normalise_header


@dataclass(frozen=True, slots=True)
class Invalid:
    """A value that cannot be used, and why, in words a coordinator understands."""

    message: str


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_RANGE = (32_874, 73_051)
"""Excel serial numbers read as dates: 1990-01-01 to 2100-01-01; anything else is a mistake."""

DATE_HINT = "write dates like 2024-03-31 or 03/31/2024"


def quoted(raw: object) -> str:
    """A raw value as messages show it: text in quotes, shortened when long."""
    text = clean_text(raw) if not isinstance(raw, Invalid) else raw.message
    if len(text) > 60:
        text = text[:57] + "..."
    return f'"{text}"'


def is_blank(raw: object) -> bool:
    """True for an empty cell or one holding only spaces (or other characters that show nothing)."""
    return raw is None or (isinstance(raw, str) and not has_visible_text(raw))


def clean_text(raw: object) -> str:
    """
    A cell as text: control characters removed (newline and tab kept), unicode kept, trimmed.

    Numbers lose a trailing ``.0`` and dates print as ISO, so a number typed in a text column reads
    the way it was typed.
    """
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, dt.datetime) and raw.time() == dt.time():
        raw = raw.date()
    text = raw.isoformat() if isinstance(raw, dt.date) else str(raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text).strip()
    return text if has_visible_text(text) else ""


_ASCII_VISIBLE = re.compile("[!-~]")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
_BLANK_LETTERS = frozenset("\u2800\u3164\u115f\u1160\uffa0\u17b4\u17b5\u180e\U0001d159")
"""Characters Unicode files as letters or symbols that print as nothing: the Braille blank,
the Hangul fillers, Khmer inherent vowels, the Mongolian vowel separator."""


def has_visible_text(text: str) -> bool:
    """
    True when `text` shows something: not only spaces, zero-width and format characters,
    combining marks, blank "letters" (Braille blank, Hangul filler) or unassigned code points.

    A cell of only such characters looks empty to a reviewer, so it is read as empty: an
    evidence summary of zero-width spaces is no evidence.
    """
    if text.isascii():  # NOTE: most cells; in ASCII only ! to ~ show (the rest are Cc or a space)
        return _ASCII_VISIBLE.search(text) is not None
    return any(
        c not in _BLANK_LETTERS and unicodedata.category(c) not in _INVISIBLE_CATEGORIES
        for c in text
    )


EXCEL_ERRORS = frozenset(
    {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
    | {"#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)
"""The error values a spreadsheet shows in a cell whose formula failed."""


def is_error_value(raw: object) -> bool:
    """True when a cell holds a spreadsheet error value such as ``#N/A`` (never evidence)."""
    return isinstance(raw, str) and raw.strip().upper() in EXCEL_ERRORS


def parse_text(raw: object) -> str | Invalid:
    """Text for a free-text cell, refused only when longer than Excel allows."""
    text = clean_text(raw)
    if len(text) > MAX_CELL_CHARS:
        return Invalid(
            f"the text is {len(text):,} characters long; a cell holds at most {MAX_CELL_CHARS:,}. "
            "Shorten it and list the rest in a document"
        )
    return text


def split_documents(text: str) -> tuple[str, ...]:
    """Document references typed one per line (or separated by semicolons), without empties."""
    parts = re.split(r"[\n;]", text)
    return tuple(part.strip() for part in parts if part.strip())


@functools.lru_cache(maxsize=8)
def _scale_keys(scale: RatingScale) -> Mapping[str, str | None]:
    """
    Every accepted spelling → level id (``None`` meaning not applicable).

    Remembered for each scale (a frozen model, hashed by its content): a workbook asks it for
    every rating cell.
    """
    keys: dict[str, str | None] = {}
    for _, spelling, level_id in scale_spellings(scale):
        keys.setdefault(normalise_header(spelling), level_id)
    return keys


def parse_answer(raw: object, scale: RatingScale, *, reason: str = "") -> Answer | Invalid:
    """
    A rating cell as an answer: a level of the scale, not applicable (with `reason`) or unanswered.

    Case, spaces, dashes and the scale's aliases are forgiven; anything else is `Invalid`, with a
    suggestion when the text is close to an accepted spelling.
    """
    if is_blank(raw):
        return Unanswered()
    key = normalise_header(clean_text(raw))
    keys = _scale_keys(scale)
    if key in keys:
        level_id = keys[key]
        return NotApplicableAnswer(reason=reason) if level_id is None else Rated(level=level_id)
    message = f"{quoted(raw)} is not one of {', '.join(scale.labels)}"
    close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.75)
    if close:
        level_id = keys[close[0]]
        label = scale.not_applicable_label if level_id is None else scale.level(level_id).label
        message += f' (did you mean "{label}"?)'
    return Invalid(message)


def _number_text(text: str) -> float | None:
    text = text.replace(" ", "").replace("\u00a0", "")
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if _NUMBER.match(text):
        return float(text)
    return None


MAX_NUMBER = 1e12
"""The largest number a workbook may hold (no count, hours or days comes near it)."""


def parse_number(raw: object) -> float | Invalid:
    """
    A number from a number cell or from text such as ``1,200`` or ``12.5``.

    Its range is checked here, where it enters: beyond `MAX_NUMBER` (``1e999``, a 401-digit
    count, infinity, not-a-number) it is `Invalid`, so no later sum or ratio can overflow.
    """
    if isinstance(raw, bool) or raw is None:
        return Invalid(f"{quoted(raw)} is not a number")
    if isinstance(raw, int | float):
        value: float | None = float(raw) if abs(raw) <= MAX_NUMBER else math.inf
    else:
        try:
            value = _number_text(clean_text(raw))
        except OverflowError:  # NOTE: float() of a long digit string gives inf, never this
            value = math.inf
    if value is None or math.isnan(value):
        return Invalid(f"{quoted(raw)} is not a number")
    if abs(value) > MAX_NUMBER:
        return Invalid(f"{quoted(raw)} is too large; a number here is at most {MAX_NUMBER:,.0f}")
    return value


def parse_amount(raw: object) -> float | Invalid:
    """A number that cannot be negative (a count, hours, days)."""
    value = parse_number(raw)
    if isinstance(value, float) and value < 0:
        return Invalid(f"{quoted(raw)} is negative; enter 0 or more")
    return value


def parse_whole(raw: object) -> int | Invalid:
    """A whole number of 0 or more, e.g. a count of officers."""
    value = parse_amount(raw)
    if isinstance(value, Invalid):
        return value
    if not value.is_integer():
        return Invalid(f"{quoted(raw)} is not a whole number")
    return int(value)


def parse_percent(raw: object, *, percent_format: bool = False) -> float | Invalid:
    """
    A percentage from 0 to 100, however it was typed.

    ``25%`` and ``25`` give 25. A cell formatted as a percentage holds a fraction, so does a value
    below 1 (``0.25`` gives 25); a person writing half a percent writes ``0.5%``.
    """
    text = clean_text(raw) if isinstance(raw, str) else ""
    explicit = text.endswith("%")
    value = parse_amount(text.removesuffix("%") if explicit else raw)
    if isinstance(value, Invalid):
        return (
            Invalid(f"{quoted(raw)} is not a percentage")
            if "negative" not in value.message
            else value
        )
    if not explicit and (percent_format or 0 < value < 1):
        value *= 100
    if value > 100:
        return Invalid(f"{quoted(raw)} is more than 100%")
    return value


EARLIEST_DATE = dt.date(1900, 1, 1)
"""No date a workbook records (an assessment, a meeting, a document) lies before this one."""
LATEST_DATE = dt.date(2999, 12, 31)
"""Nor after this one, which leaves room for every deadline counted from it (a review due, an
expiry, a plan step's target date)."""


def parse_date(raw: object) -> dt.date | Invalid:
    """
    A date from a date cell, an Excel serial number, or ISO or US (MM/DD/YYYY) text.

    A date before `EARLIEST_DATE` or after `LATEST_DATE` is `Invalid` (a mistyped year), checked
    where it enters.
    """
    value = _parse_date(raw)
    if isinstance(value, dt.date) and value < EARLIEST_DATE:
        return Invalid(f"{value.isoformat()} is before 1900; check the year")
    if isinstance(value, dt.date) and value > LATEST_DATE:
        return Invalid(f"{value.isoformat()} is after 2999; check the year")
    return value


def _parse_date(raw: object) -> dt.date | Invalid:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if _SERIAL_RANGE[0] <= raw < _SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        return Invalid(f"{quoted(raw)} is not a date; {DATE_HINT}")
    return _date_text(clean_text(raw), raw)


def either_way(raw: object) -> tuple[dt.date, dt.date] | None:
    """
    For a date typed as text that reads as a real date month first and day first alike
    (``03/04/2026``): the date it is read as (month first), and the other; else None.
    """
    us = _US_DATE.match(clean_text(raw)) if isinstance(raw, str) else None
    if us is None or us[1] == us[2] or int(us[1]) > 12 or int(us[2]) > 12:
        return None
    try:
        read = dt.date(int(us[3]), int(us[1]), int(us[2]))
        other = dt.date(int(us[3]), int(us[2]), int(us[1]))
    except ValueError:
        return None
    return (read, other) if read != other else None


def _day_first(us: re.Match[str], raw: object) -> Invalid:
    """The error for a date written day first (31/03/2024), with its month-first spelling."""
    try:
        meant = dt.date(int(us[3]), int(us[2]), int(us[1]))
    except ValueError:
        return Invalid(f"{quoted(raw)} is not a real date; {DATE_HINT}")
    return Invalid(
        f"{quoted(raw)} is written day first, but dates typed as text are read month first "
        f"(MM/DD/YYYY); if {meant.day} is the day, write {meant.isoformat()}. "
        "Check the other dates typed this way: one whose day is 12 or less is read month first"
    )


def _date_text(text: str, raw: object) -> dt.date | Invalid:
    iso = _ISO_DATE.match(text)
    us = _US_DATE.match(text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if us:
            return dt.date(int(us[3]), int(us[1]), int(us[2]))
    except ValueError:
        if us and int(us[1]) > 12 and 1 <= int(us[2]) <= 12:
            return _day_first(us, raw)
        return Invalid(f"{quoted(raw)} is not a real date; {DATE_HINT}")
    return Invalid(f"{quoted(raw)} is not a date; {DATE_HINT}")
