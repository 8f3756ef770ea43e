"""
The JSON report: the whole `Assessment`, canonical and deterministic.

``assessment.model_dump(mode="json")`` with sorted keys, two-space indent and a final newline:
the same inputs give the same bytes (no wall-clock time anywhere; the assessment date comes from
the input), so the file can be diffed, hashed and kept as a golden file. It carries the model's
``schema_version``; ``citcert schema assessment`` prints the matching JSON Schema.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from citcert.audit.assessment import Assessment

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def render(assessment: Assessment) -> bytes:
    """The assessment as canonical UTF-8 JSON."""
    return dumps(assessment.model_dump(mode="json"))


def dumps(data: object) -> bytes:
    """Canonical JSON bytes of plain data: sorted keys, indent 2, UTF-8, final newline."""
    text = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    return f"{text}\n".encode()


def json_schema() -> dict[str, Any]:
    """The published JSON Schema of the report (what ``citcert schema assessment`` prints)."""
    from citcert.audit.assessment import Assessment

    return {"$schema": SCHEMA_DIALECT, **Assessment.model_json_schema()}
