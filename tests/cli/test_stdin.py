"""`-` reads a workbook from standard input, bounded: ``citcert audit - < program.xlsx``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import ClassVar

from click.testing import CliRunner

from citcert.cli import cli
from citcert.workbook import layout as L

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "brennan-county.xlsx"
CITCERT = Path(sys.executable).parent / "citcert"


def test_audit_reads_a_workbook_through_a_pipe() -> None:
    with EXAMPLE.open("rb") as stdin:
        done = subprocess.run(
            [str(CITCERT), "--no-color", "audit", "-"],
            stdin=stdin,
            capture_output=True,
            timeout=120,
        )
    direct = CliRunner().invoke(cli, ["--no-color", "audit", str(EXAMPLE)])

    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == direct.stdout


def test_validate_reads_standard_input_and_names_it() -> None:
    result = CliRunner().invoke(cli, ["validate", "-"], input=EXAMPLE.read_bytes())

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("standard input is ready to audit against")


def test_what_arrives_is_checked_as_a_file_is() -> None:
    result = CliRunner().invoke(cli, ["validate", "-"], input=b"")

    assert result.exit_code == 2
    assert result.stderr == "Error: standard input: the file is empty\n"


def test_too_much_on_standard_input_is_refused_without_reading_it_all() -> None:
    class Endless:
        read_sizes: ClassVar[list[int]] = []

        def read(self, size: int = -1) -> bytes:
            self.read_sizes.append(size)
            return b"PK\x03\x04" + b"\0" * (size - 4)

    from citcert.errors import WorkbookError
    from citcert.workbook.container import read_stream_checked

    stream = Endless()
    try:
        read_stream_checked(stream)  # type: ignore[arg-type]
    except WorkbookError as error:
        assert "more than 20 MB arrived" in str(error)
    else:
        raise AssertionError("not refused")
    assert stream.read_sizes == [L.MAX_FILE_BYTES + 1]
