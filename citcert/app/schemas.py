"""
The JSON Schemas citcert publishes, as bytes: one path for every command that prints one.

``citcert schema assessment`` and ``citcert schema standard`` print them; ``citcert standards
schema`` writes the standard's (the same bytes) to a file or standard output.
"""

from __future__ import annotations

from typing import Literal

SchemaName = Literal["assessment", "standard"]
SCHEMAS: tuple[SchemaName, ...] = ("assessment", "standard")
"""The schemas there are: the audit's JSON report, and standard and overlay files."""


def schema_bytes(name: SchemaName) -> bytes:
    """The JSON Schema `name` as canonical JSON bytes (sorted keys, indent 2, final newline)."""
    from citcert.export.json import dumps

    if name == "assessment":
        from citcert.export.json import json_schema
    else:
        from citcert.standards.schema import json_schema
    return dumps(json_schema())
