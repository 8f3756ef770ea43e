"""A JSON report or a README given as a workbook is named for what it is, never "a CSV"."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from citcert.cli import cli

README = (
    b"citcert audits a Crisis Intervention Team program, and tells it where it stands.\n\n"
    b"Run it, then read the reports; a, b and c are listed below.\n"
    b"One more line of prose.\n"
)
REPORT = b'{\n  "schema_version": 1,\n  "program": {"name": "Riverton, OH"}\n}\n'


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("audit.json", REPORT, "this is a JSON file (perhaps an audit report"),
        ("audit.xlsx", REPORT, "this is a JSON file (perhaps an audit report"),
        ("README.md", b"# citcert\n\n" + README, "this is a Markdown text file"),
        ("README.md", README, "this is a Markdown text file"),
        ("notes.xlsx", README, "this is a text file, not an Excel workbook"),
    ],
)
@pytest.mark.parametrize("command", ["validate", "audit"])
def test_the_file_is_named_for_its_kind(
    tmp_path: Path, command: str, name: str, content: bytes, said: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    result = CliRunner().invoke(cli, [command, str(path)])

    assert result.exit_code == 2
    assert f"Error: {name}: {said}" in result.stderr
    assert "CSV" not in result.stderr
