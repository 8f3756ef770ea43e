"""
The JSON Schemas citcert publishes, as bytes: one path for every command that prints one.

``citcert schema assessment`` and ``citcert schema standard`` print them; ``citcert standards
schema`` writes the standard's (the same bytes) to a file or standard output.
"""

from __future__ import annotations

from typing import Literal

SchemaName = Literal["assessment", "standard", "validation"]
SCHEMAS: tuple[SchemaName, ...] = ("assessment", "standard", "validation")
"""The schemas there are: the audit's JSON report, standard and overlay files, validate's JSON."""


def schema_bytes(name: SchemaName) -> bytes:
    """The JSON Schema `name` as canonical JSON bytes (sorted keys, indent 2, final newline)."""
    from citcert.export.json import dumps

    match name:
        case "assessment":
            from citcert.export.json import json_schema

            return dumps(json_schema())
        case "validation":
            from citcert.app.check import ValidationReport
            from citcert.export.json import SCHEMA_DIALECT

            return dumps({"$schema": SCHEMA_DIALECT, **ValidationReport.model_json_schema()})
        case "standard":
            from citcert.standards.schema import json_schema

            return dumps(json_schema())
