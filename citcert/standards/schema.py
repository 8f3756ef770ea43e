"""
The JSON Schema of the standard format, for editors and CI checks.

One schema covers both kinds of file an author writes: a full standard, or an overlay that
``extends:`` one. It is generated from the same pydantic models the loader validates with, so
it cannot drift from what citcert accepts. Point an editor's YAML support at it (for example a
``# yaml-language-server: $schema=citcert-standard.schema.json`` comment) to get completion and
checks while typing.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from citcert.standards.model import Standard
from citcert.standards.overlay import Overlay

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> dict[str, Any]:
    """The JSON Schema accepting a standard file or an overlay file."""
    _, top = models_json_schema(
        [(Standard, "validation"), (Overlay, "validation")],
        ref_template="#/$defs/{model}",
    )
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "citcert standard or overlay",
        "description": (
            "A citcert standard (id, version, scoring policy, domains of requirements) or an "
            "overlay that `extends: id@version` and adds, removes or overrides requirements."
        ),
        "anyOf": [{"$ref": "#/$defs/Standard"}, {"$ref": "#/$defs/Overlay"}],
        "$defs": top["$defs"],
    }
