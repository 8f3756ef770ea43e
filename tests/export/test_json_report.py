"""The JSON report: canonical bytes, the whole model, and valid against the published schema."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from citcert.audit.assessment import Assessment
from citcert.audit.scoring import assess
from citcert.export import json as json_report
from citcert.standards.model import Standard
from tests.audit.builders import sample_evidence

ANNOTATIONS = {"$schema", "title", "description", "default", "examples", "discriminator"}
TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def check(instance: Any, schema: dict[str, Any], root: dict[str, Any], at: str = "$") -> list[str]:
    """
    The problems of `instance` against a JSON Schema, for the subset pydantic emits.

    An unknown keyword is itself a problem, so a schema feature this checker cannot judge fails
    the test instead of passing silently.
    """
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return check(instance, root["$defs"][name], root, at)
    problems = [f"{at}: unsupported keyword {k}" for k in schema if k not in KEYWORDS | ANNOTATIONS]
    for keyword, judge in CHECKS.items():
        if keyword in schema:
            problems += judge(instance, schema, root, at)
    return problems


def _type(instance: Any, schema: dict[str, Any], root: dict[str, Any], at: str) -> list[str]:
    wanted = schema["type"]
    if wanted == "integer":
        ok = isinstance(instance, int) and not isinstance(instance, bool)
    elif wanted == "number":
        ok = isinstance(instance, int | float) and not isinstance(instance, bool)
    else:
        ok = isinstance(instance, TYPES[wanted])
        ok = ok and not (wanted != "boolean" and isinstance(instance, bool))
    return [] if ok else [f"{at}: {instance!r} is not of type {wanted}"]


def _properties(instance: Any, schema: dict[str, Any], root: dict[str, Any], at: str) -> list[str]:
    if not isinstance(instance, dict):
        return []
    problems = [f"{at}: missing {k}" for k in schema.get("required", ()) if k not in instance]
    for key, value in instance.items():
        if key in schema["properties"]:
            problems += check(value, schema["properties"][key], root, f"{at}.{key}")
        elif schema.get("additionalProperties") is False:
            problems.append(f"{at}: unexpected key {key}")
    return problems


def _items(instance: Any, schema: dict[str, Any], root: dict[str, Any], at: str) -> list[str]:
    if not isinstance(instance, list):
        return []
    item = schema["items"]
    return [p for i, v in enumerate(instance) for p in check(v, item, root, f"{at}[{i}]")]


def _any_of(instance: Any, schema: dict[str, Any], root: dict[str, Any], at: str) -> list[str]:
    if any(not check(instance, option, root, at) for option in schema["anyOf"]):
        return []
    return [f"{at}: {instance!r} matches no allowed form"]


def _const(instance: Any, schema: dict[str, Any], root: dict[str, Any], at: str) -> list[str]:
    return [] if instance == schema["const"] else [f"{at}: {instance!r} is not {schema['const']!r}"]


def _enum(instance: Any, schema: dict[str, Any], root: dict[str, Any], at: str) -> list[str]:
    return [] if instance in schema["enum"] else [f"{at}: {instance!r} not in {schema['enum']}"]


def _bounds(instance: Any, schema: dict[str, Any], root: dict[str, Any], at: str) -> list[str]:
    if not isinstance(instance, int | float) or isinstance(instance, bool):
        return []
    low, high = schema.get("minimum"), schema.get("maximum")
    if (low is not None and instance < low) or (high is not None and instance > high):
        return [f"{at}: {instance} outside [{low}, {high}]"]
    return []


def _min_length(instance: Any, schema: dict[str, Any], root: dict[str, Any], at: str) -> list[str]:
    short = isinstance(instance, str) and len(instance) < schema["minLength"]
    return [f"{at}: shorter than {schema['minLength']}"] if short else []


def _format(instance: Any, schema: dict[str, Any], root: dict[str, Any], at: str) -> list[str]:
    assert schema["format"] == "date", schema["format"]
    if isinstance(instance, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", instance):
        dt.date.fromisoformat(instance)
        return []
    return [f"{at}: {instance!r} is not a date"]


CHECKS = {
    "type": _type,
    "properties": _properties,
    "items": _items,
    "anyOf": _any_of,
    "const": _const,
    "enum": _enum,
    "minimum": _bounds,
    "maximum": _bounds,
    "minLength": _min_length,
    "format": _format,
}
KEYWORDS = {*CHECKS, "required", "additionalProperties", "$defs"}


@pytest.fixture(scope="module")
def assessment(mini_standard: Standard) -> Assessment:
    """The mixed review of the mini standard."""
    return assess(mini_standard, sample_evidence(mini_standard))


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    """The published JSON Schema of the assessment (what `citcert schema assessment` prints)."""
    published = json_report.json_schema()
    assert published["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    return published


def test_the_report_is_canonical_json(assessment: Assessment) -> None:
    """Sorted keys, two-space indent, UTF-8 (not escaped), one final newline, schema_version."""
    data = json_report.render(assessment)
    text = data.decode("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    parsed = json.loads(text)
    assert text == json.dumps(parsed, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert parsed["schema_version"] == "1.0"
    assert parsed["profile"]["program_name"] == "Riverside & Lake County CIT"


def test_the_report_holds_the_whole_assessment(assessment: Assessment) -> None:
    """Every field of the model is in the report, and it reads back into an equal model."""
    parsed = json.loads(json_report.render(assessment))
    assert set(parsed) == set(Assessment.model_fields)
    assert Assessment.model_validate(parsed) == assessment


def test_the_report_validates_against_the_schema(
    assessment: Assessment, schema: dict[str, Any]
) -> None:
    """The JSON report satisfies the JSON Schema that `citcert schema assessment` publishes."""
    assert check(json.loads(json_report.render(assessment)), schema, schema) == []


def test_the_schema_checker_catches_broken_reports(
    assessment: Assessment, schema: dict[str, Any]
) -> None:
    """A missing field, a wrong type, a bad enum value and an unknown key are all caught."""
    parsed = json.loads(json_report.render(assessment))
    del parsed["headline"]
    parsed["overall_score"] = "high"
    parsed["gaps"][0]["severity"] = "dire"
    parsed["counts"]["extra"] = 1
    parsed["provenance"]["as_of"] = "June"
    problems = check(parsed, schema, schema)
    assert "$: missing headline" in problems
    assert any(p.startswith("$.overall_score") for p in problems)
    assert any(p.startswith("$.gaps[0].severity") for p in problems)
    assert "$.counts: unexpected key extra" in problems
    assert any(p.startswith("$.provenance.as_of") for p in problems)


def test_no_wall_clock_time_in_the_report(assessment: Assessment) -> None:
    """The only dates in the report come from the input (as-of and target dates)."""
    text = json_report.render(assessment).decode("utf-8")
    dates = set(re.findall(r"\d{4}-\d{2}-\d{2}", text))
    allowed = {"2024-06-01", "2019-05-01", "2024-02-02"}
    allowed |= {s.target_date.isoformat() for s in assessment.plan.steps}
    assert dates <= allowed
