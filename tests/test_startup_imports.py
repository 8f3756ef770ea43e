"""
Start-up stays light: the commands people run most often import no heavy library.

Each command runs in a fresh `python -m citcert` process through a small wrapper that, once the
command has finished, prints which top-level modules were imported. reportlab and openpyxl
(and Pillow, which they pull in) must only be imported by the commands that write or read a
PDF or a workbook (ARCHITECTURE, "Rules every part keeps"); ``--help`` also stays clear of
pydantic, YAML and package metadata, which is what keeps it close to the cost of importing click
(`make bench` measures it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import data

_WRAPPER = """
import json, runpy, sys
sys.argv = ["citcert", *sys.argv[1:]]
try:
    runpy.run_module("citcert", run_name="__main__")
except SystemExit as exit:
    code = exit.code
else:
    code = 0
print(json.dumps({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}),
      file=sys.stderr)
"""

HEAVY = {"reportlab", "openpyxl", "PIL", "pypdf", "hypothesis"}


def imported(*args: str, cache: Path | None = None) -> tuple[int, set[str]]:
    """
    The exit code of ``citcert ARGS`` in a fresh process, and the top-level modules it loaded.

    With `cache`, the process uses that standards cache folder instead of the test run's.
    """
    env = dict(os.environ)
    if cache is not None:
        env["CITCERT_CACHE_DIR"] = str(cache)
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


@pytest.fixture(scope="module")
def help_modules() -> set[str]:
    """The modules ``citcert --help`` imports."""
    code, modules = imported("--help")
    assert code == 0
    return modules


def test_help_imports_no_heavy_library(help_modules: set[str]) -> None:
    """``citcert --help`` leaves reportlab, openpyxl and Pillow out of sys.modules."""
    assert set() == help_modules & HEAVY


def test_help_imports_no_models_yaml_or_metadata(help_modules: set[str]) -> None:
    """``--help`` builds no pydantic model, loads no YAML and reads no package metadata."""
    assert "click" in help_modules
    assert set() == help_modules & {"pydantic", "ruamel", "email"}


def test_standards_list_imports_no_heavy_library(tmp_path: Path) -> None:
    """
    ``citcert standards list`` never imports reportlab or openpyxl.

    The first time it parses the YAML; from then on its standards cache serves it, so it
    builds no model and parses no YAML either, which keeps it near the cost of ``--help``.
    """
    cold_code, cold = imported("standards", "list", cache=tmp_path)
    warm_code, warm = imported("standards", "list", cache=tmp_path)

    assert cold_code == warm_code == 0
    assert set() == (cold | warm) & HEAVY
    assert {"ruamel", "pydantic"} <= cold
    assert set() == warm & {"ruamel", "pydantic", "email"}
    assert set() == warm & {"tempfile", "shutil"}, "it writes no file, so needs no temporary one"


def test_validate_and_a_json_audit_read_a_workbook_without_openpyxl(tmp_path: Path) -> None:
    """
    ``citcert validate`` and ``audit --format json`` read a workbook citcert made with
    python-calamine (`citcert.workbook.fast_sheet`), importing neither openpyxl nor reportlab:
    a coordinator re-validates after every edit, and openpyxl's import alone is a fifth of a
    second. The tracker (XLSX) and the PDF still import their writers.
    """
    from tests.audit.workbook_filler import filled_path

    workbook = filled_path(tmp_path)
    standards = ("--standards-dir", str(data("standards")))

    code, modules = imported(*standards, "validate", str(workbook))
    assert code == 0
    assert "python_calamine" in modules
    assert set() == modules & {"openpyxl", "reportlab", "PIL"}

    out = tmp_path / "out"
    code, modules = imported(*standards, "audit", str(workbook), "--format", "json", "-o", str(out))
    assert code == 0
    assert set() == modules & {"openpyxl", "reportlab", "PIL"}

    code, modules = imported(*standards, "audit", str(workbook), "--format", "xlsx", "-o", str(out))
    assert code == 0
    assert "openpyxl" in modules


def test_a_workbook_the_fast_reader_cannot_vouch_for_is_read_by_openpyxl(tmp_path: Path) -> None:
    """An error value in the Evidence sheet (calamine reads it as blank) sends it to openpyxl."""
    from openpyxl import load_workbook

    from tests.audit.workbook_filler import filled_path

    workbook = filled_path(tmp_path)
    book = load_workbook(workbook)
    book["Evidence"]["J5"] = "#N/A"
    book.save(workbook)

    code, modules = imported("--standards-dir", str(data("standards")), "validate", str(workbook))

    assert "openpyxl" in modules
    assert "reportlab" not in modules
    assert code in (0, 2)


def test_version_is_still_shown() -> None:
    """``--version`` (its lookup is deferred to keep start-up fast) prints the package version."""
    from importlib.metadata import version

    done = subprocess.run(
        [sys.executable, "-m", "citcert", "--version"], capture_output=True, text=True, check=True
    )

    assert f"citcert, version {version('citcert')}\n" == done.stdout
