"""
The defaults of the standard format, held to a file: changing one is a decision taken on purpose.

A standard's digest leaves out values at their defaults (`citcert.standards.model.
standard_sha256`), so that a field added to the format does not change the digest of every
standard. The price: if a default changed, every standard relying on it would mean something
else with the same digest, and its workbooks would not warn. So each default is listed in
``format_defaults.json``; a field added with its default is added there too (run this module with
``CITCERT_UPDATE_DEFAULTS=1``), while a changed default also wants the affected standards to
state the old value, or a new version.
"""

from __future__ import annotations

import json
import os
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from citcert.standards.model import Standard

GOLDEN = Path(__file__).with_name("format_defaults.json")


def _defaults() -> dict[str, dict[str, Any]]:
    """Every model reachable from `Standard`, with each field's default (or ``<required>``)."""
    found: dict[str, dict[str, Any]] = {}

    def models_in(annotation: Any) -> list[type[BaseModel]]:
        if typing.get_origin(annotation) is None:
            is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
            return [annotation] if is_model else []
        return [m for arg in typing.get_args(annotation) for m in models_in(arg)]

    def walk(model: type[BaseModel]) -> None:
        if model.__name__ in found:
            return
        fields: dict[str, Any] = {}
        found[model.__name__] = fields
        for name, info in model.model_fields.items():
            default: Any = info.default
            if default is PydanticUndefined:
                factory = info.default_factory
                default = factory() if factory is not None else "<required>"  # type: ignore[call-arg]
            simple = isinstance(default, str | int | float | bool | type(None))
            fields[name] = default if simple else repr(default)
            for inner in models_in(info.annotation):
                walk(inner)

    walk(Standard)
    return found


def test_the_formats_defaults_are_the_ones_on_file() -> None:
    now = _defaults()
    if os.environ.get("CITCERT_UPDATE_DEFAULTS"):
        GOLDEN.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    on_file = json.loads(GOLDEN.read_text(encoding="utf-8"))

    changed = [
        f"{model}.{name}: {on_file[model][name]!r} → {value!r}"
        for model, fields in now.items()
        for name, value in fields.items()
        if model in on_file and name in on_file[model] and on_file[model][name] != value
    ]
    assert not changed, (
        "a default of the standard format changed; standards relying on it now mean something "
        f"else under the same digest: {changed}"
    )
    assert now == on_file, "a field was added or removed: update format_defaults.json"
