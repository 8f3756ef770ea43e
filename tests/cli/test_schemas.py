"""
`citcert schema NAME`: every JSON document citcert writes has a published schema, and the real
output of each command is valid against it (the roll-up's `summary.json` is checked in
tests/audit/test_batch_run.py, `validate` in test_validate_more.py, `migrate` in test_migrate.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from citcert.app.schemas import SCHEMAS
from citcert.cli import cli
from citcert.standards.listing import StandardListed

EXAMPLE = Path(__file__).parents[2] / "examples" / "brennan-county.xlsx"


def _run(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _schema(name: str) -> Any:
    return _run("schema", name)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_schema_is_a_valid_json_schema_and_listed_in_help(name: str) -> None:
    """Each schema checks as a draft 2020-12 schema, and `schema --help` says what it is for."""
    jsonschema.Draft202012Validator.check_schema(_schema(name))

    assert name in CliRunner().invoke(cli, ["schema", "--help"]).stdout


def test_an_unknown_schema_name_is_a_usage_error() -> None:
    """A name with no schema exits 2 and lists the names there are."""
    result = CliRunner().invoke(cli, ["schema", "summary"])

    assert result.exit_code == 2
    assert "'rollup'" in result.stderr and "'migration'" in result.stderr


OUTPUTS = {
    "assessment": ("audit", str(EXAMPLE), "-o", "-"),
    "comparison": ("compare", str(EXAMPLE), str(EXAMPLE), "--format", "json"),
    "standards-list": ("standards", "list", "--format", "json"),
    "standards-diff": (
        "standards",
        "diff",
        "cit-best-practice@2019.1",
        "cit-best-practice@2019.2",
        "--format",
        "json",
    ),
    "standard": ("standards", "show", "cit-best-practice", "--format", "json"),
}


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_the_real_output_is_valid_against_its_schema(name: str) -> None:
    """The command's JSON output on the bundled example and standards fits its schema."""
    jsonschema.validate(_run(*OUTPUTS[name]), _schema(name))


def test_an_overlays_diff_is_valid_against_its_schema(tmp_path: Path) -> None:
    """
    The diff of an overlay that removes a requirement (with its reason), drops a partial band
    and tightens the exception policy fits the schema, which names the removal's reason.
    """
    overlay = tmp_path / "state.yaml"
    overlay.write_text(
        "extends: cit-best-practice@2019.1\nid: state\nversion: '1'\ntitle: State\n"
        "publisher: P\neffective: 2024-06-01\nstatus: draft\nsummary: S.\n"
        "remove:\n  - {id: POP-02, reason: not relevant}\n"
        "override:\n  OFC-03:\n    metric: {partial: null}\n"
        "scoring:\n  exceptions: {max_exceptions: 1}\n",
        encoding="utf-8",
    )
    schema = _schema("standards-diff")
    output = _run("standards", "diff", "cit-best-practice@2019.1", str(overlay), "--format", "json")

    jsonschema.validate(output, schema)
    assert [r["reason"] for r in output["removed"]] == ["not relevant"]
    assert [c["field"] for c in output["scoring"]] == [
        "exceptions.max_exceptions",
        "exceptions.proposal",  # the limit the overlay sets is its own rule
    ]
    assert "reason" in schema["$defs"]["RemovedRequirement"]["properties"]


def test_the_schema_would_catch_a_changed_output() -> None:
    """The check has teeth: a listing missing a key, or with a wrong type, is refused."""
    listing = _run(*OUTPUTS["standards-list"])
    schema = _schema("standards-list")
    del listing[0]["ref"]
    listing[1]["core"] = "13"

    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(listing))

    assert len(errors) == 2


def test_the_listing_model_describes_every_row_exactly() -> None:
    """Each row of `standards list --format json` is the listing model, no key more or less."""
    for row in _run(*OUTPUTS["standards-list"]):
        assert StandardListed.model_validate(row).model_dump(mode="json") == row
