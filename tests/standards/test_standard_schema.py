"""
The JSON Schema of the standard format: the built-in standards, the test standard and the
example overlay validate against it, and bad files do not. A tiny validator for the subset of
JSON Schema the models produce stands in for a jsonschema dependency.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from citcert.app.schemas import schema_bytes
from citcert.cli import cli
from citcert.standards.document import read_document
from citcert.standards.messages import PATTERN_HINTS
from citcert.standards.registry import builtin_dir
from citcert.standards.schema import json_schema
from tests.conftest import DATA

ROOT = Path(__file__).parents[2]
TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


class TinyValidator:
    """The JSON Schema keywords pydantic emits for our models, and nothing more."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.root = schema

    def errors(self, value: Any, schema: dict[str, Any] | None = None, at: str = "") -> list[str]:
        """Every way `value` breaks `schema`, each with its JSON path."""
        schema = self.root if schema is None else schema
        if "$ref" in schema:
            name = schema["$ref"].removeprefix("#/$defs/")
            return self.errors(value, self.root["$defs"][name], at)
        if "anyOf" in schema:
            options = [self.errors(value, option, at) for option in schema["anyOf"]]
            return [] if any(not o for o in options) else [f"{at}: matches no option"]
        found = self.type_errors(value, schema, at)
        if found:
            return found
        return [
            *self.scalar_errors(value, schema, at),
            *self.object_errors(value, schema, at),
            *self.array_errors(value, schema, at),
        ]

    def type_errors(self, value: Any, schema: dict[str, Any], at: str) -> list[str]:
        wanted = schema.get("type")
        if wanted is None:
            return []
        if isinstance(value, bool) and wanted in ("integer", "number"):
            return [f"{at}: a boolean is not a {wanted}"]
        ok = isinstance(value, TYPES[wanted])
        return [] if ok else [f"{at}: expected {wanted}, got {type(value).__name__}"]

    def scalar_errors(self, value: Any, schema: dict[str, Any], at: str) -> list[str]:
        checks = [
            ("enum", lambda v, s: v in s),
            ("pattern", lambda v, s: re.search(s, v) is not None),
            ("minLength", lambda v, s: len(v.strip()) >= s),
            ("maxLength", lambda v, s: len(v) <= s),
            ("minimum", lambda v, s: v >= s),
            ("maximum", lambda v, s: v <= s),
            ("exclusiveMinimum", lambda v, s: v > s),
            ("format", lambda v, s: s != "date" or bool(dt.date.fromisoformat(v))),
        ]
        return [
            f"{at}: breaks {key}"
            for key, ok in checks
            if key in schema and not ok(value, schema[key])
        ]

    def object_errors(self, value: Any, schema: dict[str, Any], at: str) -> list[str]:
        if not isinstance(value, dict):
            return []
        found = [f"{at}.{key}: missing" for key in schema.get("required", ()) if key not in value]
        properties = schema.get("properties", {})
        for key, item in value.items():
            where = f"{at}.{key}"
            if key in properties:
                found += self.errors(item, properties[key], where)
                continue
            for pattern, sub in schema.get("patternProperties", {}).items():
                if re.search(pattern, key):
                    found += self.errors(item, sub, where)
            if "propertyNames" in schema:
                found += self.errors(key, schema["propertyNames"], f"{where} (key)")
            extra = schema.get("additionalProperties", True)
            if extra is False and not schema.get("patternProperties"):
                found.append(f"{where}: not allowed")
            elif isinstance(extra, dict):
                found += self.errors(item, extra, where)
        return found

    def array_errors(self, value: Any, schema: dict[str, Any], at: str) -> list[str]:
        if not isinstance(value, list):
            return []
        found = [f"{at}: too few items"] if len(value) < schema.get("minItems", 0) else []
        for i, item in enumerate(value):
            found += self.errors(item, schema.get("items", {}), f"{at}[{i}]")
        return found


def _as_json_data(value: Any) -> Any:
    """YAML data as JSON would hold it (dates as ISO text)."""
    if isinstance(value, dict):
        return {k: _as_json_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json_data(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _errors(path: Path, definition: str | None = None) -> list[str]:
    """The schema errors of a file, against the whole schema or one of its definitions."""
    validator = TinyValidator(json_schema())
    schema = {"$ref": f"#/$defs/{definition}"} if definition else None
    return validator.errors(_as_json_data(read_document(path).data), schema)


GOOD_FILES = [
    *sorted(builtin_dir().glob("*.yaml")),
    DATA / "standards" / "mini.yaml",
    ROOT / "examples" / "overlays" / "northfield-state-2024.yaml",
]


class TestSchemaAcceptsTheRealFiles:
    """The schema is true to the format: every real file passes."""

    def test_there_are_built_in_standards_to_check(self) -> None:
        """The built-in folder holds the two shipped standards."""
        names = {p.name for p in GOOD_FILES}

        assert {"cit-core-elements-2007.1.yaml", "cit-best-practice-2019.1.yaml"} <= names

    @pytest.mark.parametrize("path", GOOD_FILES, ids=[p.name for p in GOOD_FILES])
    def test_valid_file_validates_against_the_schema(self, path: Path) -> None:
        """A standard or overlay citcert loads also validates against the exported schema."""
        assert _errors(path) == []


class TestSchemaRejectsBadFiles:
    """The schema catches what the models catch (the cross-checks are beyond any schema)."""

    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("weight-zero.yaml", ".domains[0].requirements[0].weight: breaks exclusiveMinimum"),
            ("unknown-key-typo.yaml", ".domains[0].requirments: not allowed"),
            ("bad-status.yaml", ".status: breaks enum"),
            ("bad-colour.yaml", ".scoring.decision_levels[0].colour: breaks pattern"),
        ],
    )
    def test_bad_file_fails_the_schema(self, name: str, expected: str) -> None:
        """Each bad file breaks the schema at the same place the loader reports."""
        whole = _errors(DATA / "standards" / "bad" / name)
        found = _errors(DATA / "standards" / "bad" / name, "Standard")

        assert whole == [": matches no option"]
        assert expected in found


class TestSchemaOutput:
    """`citcert standards schema` and the schema's own shape."""

    def test_every_pattern_has_a_plain_language_hint(self) -> None:
        """Each pattern the models use has a sentence in the loader's message table."""
        patterns = set(
            re.findall(r'"pattern": "((?:[^"\\]|\\.)*)"', schema_bytes("standard").decode())
        )

        assert {json.loads(f'"{p}"') for p in patterns} <= set(PATTERN_HINTS)

    def test_command_prints_the_schema(self, runner: CliRunner) -> None:
        """The command prints exactly the schema, as JSON, on stdout."""
        result = runner.invoke(cli, ["standards", "schema"])

        assert result.exit_code == 0
        assert json.loads(result.stdout) == json_schema()

    def test_command_writes_the_schema_to_a_file(self, runner: CliRunner, tmp_path: Path) -> None:
        """With -o the schema goes to the file, byte for byte the same as rendered."""
        target = tmp_path / "schema.json"

        result = runner.invoke(cli, ["standards", "schema", "-o", str(target)])

        assert result.exit_code == 0
        assert target.read_bytes() == schema_bytes("standard")

    def test_schema_covers_standards_and_overlays(self) -> None:
        """The top level accepts either a standard or an overlay."""
        refs = [option["$ref"] for option in json_schema()["anyOf"]]

        assert refs == ["#/$defs/Standard", "#/$defs/Overlay"]


class TestSchemaRefusesNullWhereTheLoaderDoes:
    """An override key written as ``null`` is refused at its line; the schema says so too."""

    HEAD = (
        "extends: cit-best-practice@2019.1\nid: state-tailoring\nversion: '1'\n"
        "title: State tailoring\npublisher: State\neffective: 2024-01-01\nstatus: draft\n"
        "summary: A state's tailoring.\n"
    )

    @pytest.mark.parametrize(
        ("body", "where"),
        [
            (
                "override:\n  TRN-01: {weight: null}\n",
                ".override.TRN-01.weight: expected number, got NoneType",
            ),
            (
                "override:\n  TRN-01: {remediation: {owner: null}}\n",
                ".override.TRN-01.remediation.owner: expected string, got NoneType",
            ),
            (
                "scoring:\n  exceptions: {allowed: null}\n",
                ".scoring.exceptions: matches no option",  # its only option refuses the null
            ),
        ],
    )
    def test_a_null_override_breaks_the_schema_and_the_loader(
        self, tmp_path: Path, body: str, where: str
    ) -> None:
        from citcert.errors import StandardFileError
        from citcert.standards.loader import load_file

        path = tmp_path / "state.yaml"
        path.write_text(self.HEAD + body, encoding="utf-8")

        assert _errors(path, "Overlay") == [where]
        with pytest.raises(StandardFileError) as caught:
            load_file(path)
        assert "state.yaml:10:" in str(caught.value)

    def test_a_limit_set_to_null_is_allowed_by_both(self, tmp_path: Path) -> None:
        """``max_days: null`` drops the limit (a loosening, with its reason): not a refusal."""
        from citcert.standards.loader import load_file

        path = tmp_path / "state.yaml"
        body = "scoring:\n  exceptions:\n    max_days: null\n    reason: Waivers run to term.\n"
        path.write_text(self.HEAD + body, encoding="utf-8")

        assert _errors(path, "Overlay") == []
        assert load_file(path).scoring.exceptions.max_days is None
