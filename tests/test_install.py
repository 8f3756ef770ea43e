"""
A non-editable install ships the built-in standards.

The source is copied to a temporary folder, built into a wheel and installed into another
folder with pip, all offline (``--no-index --no-build-isolation --no-deps``); citcert is then
run from an unrelated folder with only that install on its path. It takes a few seconds.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
STANDARDS = sorted(p.name for p in (ROOT / "standards").glob("*.yaml"))

pytestmark = pytest.mark.install


def _why_not_buildable() -> str | None:
    """Why a wheel cannot be built offline here, or None when it can."""
    if importlib.util.find_spec("setuptools") is None:
        return "setuptools is not installed in this environment"
    import setuptools

    major, minor = (int(part) for part in setuptools.__version__.split(".")[:2])
    if (major, minor) < (70, 1) and importlib.util.find_spec("wheel") is None:
        return (
            f"setuptools {setuptools.__version__} needs the `wheel` package to build a wheel "
            "offline; `make test` installs a newer setuptools that does not"
        )
    return None


def _pip(*args: str, cwd: Path) -> str:
    """Run pip offline; its standard error (the build's warnings) is returned."""
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}
    command = [sys.executable, "-m", "pip", *args, "--quiet", "--no-index", "--no-deps"]
    done = subprocess.run(
        command, cwd=cwd, env=env, check=True, capture_output=True, text=True, timeout=120
    )
    return done.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The wheel built from a copy of the source tree, and the folder it is installed in."""
    reason = _why_not_buildable()
    if reason:
        pytest.skip(reason)
    work = tmp_path_factory.mktemp("install")
    source = work / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    for name in ("citcert", "standards"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, source / name)
    log = _pip("wheel", "--no-build-isolation", "-w", str(work / "dist"), "./src", cwd=work)
    (work / "build.log").write_text(log, encoding="utf-8")
    (wheel,) = (work / "dist").glob("citcert-*.whl")
    _pip("install", "--target", str(work / "site"), str(wheel), cwd=work)
    return wheel, work / "site"


def _run(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run Python with only the installed copy of citcert importable (plus its dependencies)."""
    env = {k: v for k, v in os.environ.items() if k != "CITCERT_STANDARDS_PATH"}
    env["PYTHONPATH"] = str(site)
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


class TestWheel:
    """What the built wheel contains."""

    def test_every_built_in_standard_is_package_data(self, built: tuple[Path, Path]) -> None:
        """Each top-level standards/*.yaml is in the wheel under citcert/data/standards/."""
        wheel, _ = built
        names = zipfile.ZipFile(wheel).namelist()
        shipped = sorted(
            n.rsplit("/", 1)[1] for n in names if n.startswith("citcert/data/standards/")
        )

        assert shipped == STANDARDS
        assert "citcert/py.typed" in names

    def test_the_console_script_is_declared(self, built: tuple[Path, Path]) -> None:
        """The wheel declares the `citcert` command."""
        wheel, _ = built
        with zipfile.ZipFile(wheel) as archive:
            entry_points = archive.read("citcert-0.1.0.dist-info/entry_points.txt").decode()

        assert "citcert = citcert.cli:console" in entry_points

    def test_the_html_templates_are_package_data(self, built: tuple[Path, Path]) -> None:
        """The HTML report's templates and style sheet ship in the wheel."""
        wheel, _ = built
        names = set(zipfile.ZipFile(wheel).namelist())
        source = ROOT / "citcert" / "export" / "html" / "templates"

        expected = {f"citcert/export/html/templates/{p.name}" for p in source.iterdir()}
        assert expected and expected <= names


class TestInstalled:
    """citcert run from the installed copy, in a folder unrelated to the source tree."""

    def test_it_runs_from_the_install_not_the_source_tree(
        self, built: tuple[Path, Path], tmp_path: Path
    ) -> None:
        """The package and its built-in standards folder both come from the install folder."""
        _, site = built
        code = (
            "import citcert; from citcert.standards.registry import builtin_dir; "
            "print(citcert.__file__); print(builtin_dir())"
        )

        result = _run(site, "-c", code, cwd=tmp_path)

        module, folder = result.stdout.split()
        assert Path(module).is_relative_to(site)
        assert Path(folder) == site / "citcert" / "data" / "standards"

    def test_standards_list_finds_every_built_in_standard(
        self, built: tuple[Path, Path], tmp_path: Path
    ) -> None:
        """`citcert standards list` from an unrelated folder lists every shipped standard."""
        _, site = built

        result = _run(site, "-m", "citcert", "standards", "list", "--format", "json", cwd=tmp_path)

        assert result.returncode == 0, result.stderr
        rows = json.loads(result.stdout)
        assert len(rows) == len(STANDARDS)
        assert {row["source"] for row in rows} == {"built-in"}
        assert {"cit-best-practice@2019.1", "cit-core-elements@2007.1"} <= {
            row["ref"] for row in rows
        }

    def test_an_html_report_is_written_from_the_install(
        self, built: tuple[Path, Path], tmp_path: Path
    ) -> None:
        """`citcert audit --format html` finds its templates in the installed copy."""
        _, site = built
        workbook = ROOT / "examples" / "brennan-county.xlsx"

        result = _run(
            site,
            "-m",
            "citcert",
            "audit",
            str(workbook),
            "--format",
            "html",
            "-o",
            "out",
            cwd=tmp_path,
        )

        assert result.returncode == 0, result.stderr
        (page,) = (tmp_path / "out").glob("*.html")
        assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


class TestBuild:
    """Building citcert is quiet: the project's own configuration raises no warning."""

    def test_the_build_prints_no_setuptools_warning(self, built: tuple[Path, Path]) -> None:
        """No deprecated license table, no package left out of `packages`."""
        wheel, _ = built
        log = (wheel.parent.parent / "build.log").read_text(encoding="utf-8")

        assert "Warning" not in log, log

    def test_the_font_licence_ships_with_the_fonts(self, built: tuple[Path, Path]) -> None:
        """The DejaVu fonts and their licence are in the wheel."""
        wheel, _ = built
        names = zipfile.ZipFile(wheel).namelist()

        assert "citcert/data/fonts/DejaVuSans.ttf" in names
        assert "citcert/data/fonts/LICENSE.txt" in names
