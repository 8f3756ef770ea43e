"""
Every JSON document citcert writes, with its published JSON Schema (``citcert schema NAME``).

One place names them all, so that `citcert schema` offers exactly the documents there are and a
test can hold each schema against the real output of its command. Each schema is made from the
same model the output is written from, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _assessment() -> dict[str, Any]:
    from citcert.export.json import json_schema

    return json_schema()


def _standard() -> dict[str, Any]:
    from citcert.standards.schema import json_schema

    return json_schema()


def _validation() -> dict[str, Any]:
    from citcert.app.check import ValidationReport

    return ValidationReport.model_json_schema()


def _migration() -> dict[str, Any]:
    from citcert.app.migration import MigrationReport

    return _dialect(MigrationReport.model_json_schema())


def _rollup() -> dict[str, Any]:
    from citcert.audit.rollup import Rollup

    return _dialect(Rollup.model_json_schema())


def _comparison() -> dict[str, Any]:
    from citcert.audit.compare import Comparison

    return _dialect(Comparison.model_json_schema())


def _standards_list() -> dict[str, Any]:
    from pydantic import TypeAdapter

    from citcert.standards.listing import StandardListed

    schema = TypeAdapter(list[StandardListed]).json_schema()
    return _dialect({"title": "citcert standards list", **schema})


def _standards_diff() -> dict[str, Any]:
    from citcert.standards.diff import StandardDiff

    return _dialect(StandardDiff.model_json_schema())


def _dialect(schema: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": SCHEMA_DIALECT, **schema}


SCHEMAS: Mapping[str, tuple[str, Callable[[], dict[str, Any]]]] = MappingProxyType(
    {
        "assessment": ("the JSON report of `citcert audit`", _assessment),
        "comparison": ("`citcert compare --format json`", _comparison),
        "migration": ("`citcert migrate --format json`", _migration),
        "rollup": ("the `summary.json` of `citcert batch`", _rollup),
        "standard": ("standard and overlay YAML files", _standard),
        "standards-diff": ("`citcert standards diff --format json`", _standards_diff),
        "standards-list": ("`citcert standards list --format json`", _standards_list),
        "validation": ("`citcert validate --format json`", _validation),
    }
)
"""Each schema's name, what it describes, and how to make it."""


def json_schema(name: str) -> dict[str, Any]:
    """The published JSON Schema called `name` (one of `SCHEMAS`)."""
    return SCHEMAS[name][1]()


def schema_bytes(name: str) -> bytes:
    """The JSON Schema `name` as canonical JSON bytes (sorted keys, indent 2, final newline)."""
    from citcert.export.json import dumps

    return dumps(json_schema(name))
