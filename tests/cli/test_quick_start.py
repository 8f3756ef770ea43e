"""
The README's quick start leaves a newcomer able to type the commands the README shows next.

`make demo` installs citcert into `.venv`, where `citcert` is not on the PATH: the demo's last
lines and the quick start both say how to run it.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _quick_start() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Quick start", 1)[1].split("\n## ", 1)[0]


def test_the_quick_start_says_how_to_run_the_installed_command() -> None:
    section = _quick_start()

    assert "source .venv/bin/activate" in section
    assert ".venv/bin/citcert --help" in section


def test_the_demo_ends_by_saying_how_to_run_citcert(tmp_path: Path) -> None:
    """The last lines name an activate script and a citcert command that both exist."""
    spec = importlib.util.spec_from_file_location("demo", ROOT / "examples" / "demo.py")
    assert spec and spec.loader
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)

    text = demo.how_to_run()

    activate = re.search(r"source (\S+)", text)
    command = re.search(r"full path: (\S+) --help", text)
    assert activate and command, text
    assert Path(activate.group(1)).is_file()
    ran = subprocess.run([command.group(1), "--version"], capture_output=True, text=True)
    assert ran.returncode == 0 and ran.stdout.startswith("citcert, version"), ran
    assert Path(sys.executable).parent.samefile(Path(command.group(1)).parent)
