"""
Plain-language messages for pydantic validation errors in a standard or overlay file.

Standard authors are not all programmers, so pydantic's own text is never shown: each common
error type has a sentence here, unknown keys get a "did you mean" from the model's field names
(difflib ratio >= 0.8, as build's `_find_typo` does), and a required key that is only misspelt is
reported once, as the misspelling.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails
from pydantic_core.core_schema import ErrorType

Loc = tuple[str | int, ...]
Translated = tuple[Loc, str, bool]
"""A problem's path, its message, and whether it points at the key rather than the value."""

PATTERN_HINTS: Mapping[str, str] = {
    r"^[A-Z][A-Z0-9]{1,7}-[0-9]{2}[a-z]?$": (
        "must be a requirement id like `TRN-01`: 2 to 8 capital letters or digits, a dash, "
        "two digits"
    ),
    r"^[A-Z][A-Z0-9]{1,7}$": "must be a domain id like `TRN`: 2 to 8 capital letters or digits",
    r"^[a-z][a-z0-9_]*$": (
        "must be a lower-case name like `partially_met` (letters, digits and underscores, "
        "starting with a letter)"
    ),
    r"^[a-z0-9][a-z0-9-]*[a-z0-9]$": (
        "must be a lower-case id like `cit-best-practice`: two or more letters and digits, "
        "dashes only between them"
    ),
    r"^[0-9A-Za-z][0-9A-Za-z.\-]*$": "must be a version like `2019.1` (letters, digits, dots)",
    r"^https?://\S+$": "must be a web address starting with https:// (or http://)",
    r"^#[0-9A-Fa-f]{6}$": "must be a colour like `#1B7F3B` (# and six hexadecimal digits)",
    r"^[a-z0-9][a-z0-9-]*[a-z0-9]@[0-9A-Za-z][0-9A-Za-z.\-]*$": (
        "must name a standard as `id@version`, like `cit-best-practice@2019.1`"
    ),
}
"""What each pattern used by the models means, in words (a test keeps this complete)."""

_BUILTIN_TYPES = frozenset(get_args(ErrorType))
_DATE_TYPES = frozenset({"date_parsing", "date_from_datetime_parsing"})
_LOOKS_LIKE_DATE = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$")
_DATE = "must be a date written as YYYY-MM-DD, like 2024-07-01"
_TEXT = 'must be text; put it in quotes, like "2019.1", so YAML does not read it as {kind}'
_LIST = "must be a list (one `- item` per line), not {kind}"
_MAPPING = "must be a set of `key: value` lines, not {kind}"

_TEMPLATES: Mapping[str, str] = {
    "missing": "is required but missing",
    "greater_than": "must be greater than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long (at most {max_length} characters)",
    "too_long": "may list at most {max_length} items",
    "enum": "must be one of {expected}, not {input}",
    "literal_error": "must be one of {expected}, not {input}",
    "date_parsing": _DATE,
    "date_type": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": "must be a date without a time of day (YYYY-MM-DD)",
    "string_type": _TEXT,
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be an ordinary number, not {input}",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "dict_type": _MAPPING,
    "tuple_type": _LIST,
    "list_type": _LIST,
    "iterable_type": _LIST,
}


def translate(errors: Sequence[ErrorDetails], model: type[BaseModel]) -> list[Translated]:
    """Every pydantic error as (path, plain message, points-at-key), misspelt keys once."""
    typo_targets: set[Loc] = set()
    result: list[Translated] = []
    for error in errors:
        loc = tuple(error["loc"])
        if _is_echo(error):
            continue
        if error["type"] == "extra_forbidden":
            message, suggestion = _unknown_key(loc, model)
            if suggestion is not None:
                typo_targets.add((*loc[:-1], suggestion))
            result.append((loc, message, True))
        else:
            result.append((loc, _message(error), False))
    return [item for item in result if not _is_typo_twin(item, typo_targets)]


def _is_echo(error: ErrorDetails) -> bool:
    """
    A length error that only echoes a nested error.

    pydantic reports a list with an invalid item as too short (it counts only the valid
    items); the list itself is long enough, and the item's own error says what is wrong.
    """
    if error["type"] != "too_short":
        return False
    value = error.get("input")
    minimum = int((error.get("ctx") or {}).get("min_length", 0))
    return isinstance(value, list | tuple) and len(value) >= minimum


def _is_typo_twin(item: Translated, typo_targets: set[Loc]) -> bool:
    loc, message, _ = item
    return loc in typo_targets and message == _TEMPLATES["missing"]


def _message(error: ErrorDetails) -> str:
    """One pydantic error as a plain sentence."""
    kind = error["type"]
    value = error.get("input")
    ctx = dict(error.get("ctx") or {})
    if kind not in _BUILTIN_TYPES:
        return str(error["msg"])  # our own PydanticCustomError: already plain words
    if value is None and kind != "missing":
        return "is empty; give a value here"
    if kind in _DATE_TYPES and isinstance(value, str) and _LOOKS_LIKE_DATE.match(value):
        return f"{value} is not a real date"
    if kind == "string_pattern_mismatch":
        return PATTERN_HINTS.get(str(ctx.get("pattern")), "does not have the expected form")
    if kind == "too_short":
        minimum = int(ctx.get("min_length", 1))
        return "must not be empty" if minimum <= 1 else f"must list at least {minimum} items"
    template = _TEMPLATES.get(kind)
    if template is None:
        return f"is not a valid value here ({kind_of(value)})"
    fields = {key: _show(val) for key, val in ctx.items()}
    return template.format(**fields, input=_quote(value), kind=kind_of(value))


def _unknown_key(loc: Loc, model: type[BaseModel]) -> tuple[str, str | None]:
    """The message for an unknown key, and the field it is probably a misspelling of."""
    key = str(loc[-1])
    owner = model_at(model, loc[:-1])
    names = list(owner.model_fields) if owner is not None else []
    matches = difflib.get_close_matches(key, names, n=1, cutoff=0.8)
    if matches:
        return f"is not a known key; did you mean `{matches[0]}`?", matches[0]
    if names:
        return f"is not a known key here (allowed: {', '.join(names)})", None
    return "is not a known key here", None


def model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that validates the mapping at `loc` under `root`, if there is one."""
    current: Any = root
    for step in loc:
        current = _unwrap(current)
        if isinstance(step, str) and _is_model(current):
            field = current.model_fields.get(step)
            if field is None:
                return None
            current = field.annotation
        elif get_origin(current) in (tuple, list) and isinstance(step, int):
            current = get_args(current)[0]
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        else:
            return None
    current = _unwrap(current)
    return current if _is_model(current) else None


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``| None`` from an annotation."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def kind_of(value: object) -> str:
    """What a YAML value is, in words: ``a list``, ``text``, ``a number`` …"""
    kinds: Sequence[tuple[type | tuple[type, ...], str]] = (
        (bool, "true/false"),
        ((int, float), "a number"),
        (str, "text"),
        (dict, "a mapping"),
        (list, "a list"),
        ((dt.date, dt.datetime), "a date"),
        (type(None), "an empty value"),
    )
    for kind, words in kinds:
        if isinstance(value, kind):
            return words
    return "this kind of value"


def _quote(value: object) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    return _show(value)


def _number(value: float) -> str:
    """A number as a standard's YAML writes it (``.nan``, ``-.inf`` for the ones that are not)."""
    if math.isfinite(value):
        return f"{value:g}"
    if math.isnan(value):
        return ".nan"
    return "-.inf" if value < 0 else ".inf"


_SHOW: Mapping[type, Callable[[Any], str]] = {
    bool: lambda v: str(v).lower(),
    float: _number,
}


def _show(value: object) -> str:
    for kind, show in _SHOW.items():
        if isinstance(value, kind):
            return show(value)
    return str(value)


__all__ = ["PATTERN_HINTS", "Translated", "kind_of", "model_at", "translate"]
