"""
The architecture, kept by the code's own imports (ARCHITECTURE.md, "Packages and what each may
import").

Every module under ``citcert/`` is parsed and each of its imports, at the top or inside a
function, is checked against the arrows the architecture allows. A forbidden arrow fails with
the module, the line and the rule it breaks. The checker itself is tested on a small tree with a
forbidden import planted in it, so this test cannot pass by checking nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "citcert"

LEAVES = (
    "citcert.errors",
    "citcert._files",
    "citcert._spreadsheet",
    "citcert._text",
    "citcert._words",
    "citcert.data",
)
"""Modules of no layer: any layer may import them (they import nothing of citcert's layers)."""

ALLOWED: dict[str, tuple[str, ...]] = {
    "cli": ("cli", "app", "errors", "export", "standards", "workbook.evidence"),
    "app": ("app", "audit", "export", "standards", "workbook"),
    "standards": ("standards",),
    "workbook": ("workbook", "standards"),
    "audit": (
        "audit",
        "standards.identity",
        "standards.model",
        "standards.records",
        "standards.succession",
        "workbook.evidence",
        "workbook.review.model",
    ),
    "export": ("export", "audit", "standards.model", "workbook.evidence"),
    "errors": (),
    "_files": (),
    "_spreadsheet": (),
    "_text": (),
    "_words": (),
    "data": (),
}
"""Per layer, the citcert packages or modules its modules may import (besides the leaves)."""

FORBIDDEN_LIBRARIES: dict[str, tuple[str, ...]] = {
    "audit": ("click", "openpyxl", "reportlab", "jinja2", "ruamel"),
    "standards": ("click", "openpyxl", "reportlab", "jinja2"),
    "workbook": ("click", "reportlab", "jinja2"),
    "export": ("click",),
    "app": ("click",),
    "errors": ("click", "openpyxl", "reportlab", "pydantic"),
}
"""Per layer, third-party libraries it must not import (click belongs to the CLI alone)."""

CLICK_STYLE_ALLOWED = ("citcert.export.terminal",)
"""The terminal writer may colour with ``click.style``; the CLI tells it whether to."""

IMPURE_CALLS = frozenset(
    {"open", "read_text", "read_bytes", "write_text", "write_bytes", "today", "now"}
)
"""Calls the pure core never makes: no file is opened there and no clock is read."""

ENVIRONMENT_READERS: set[str] = set()
"""Modules below `app` that still read the environment (to be emptied, never grown)."""


@dataclass(frozen=True)
class Arrow:
    """One import: which module imports what, on which line."""

    module: str
    target: str
    line: int


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def arrows(root: Path) -> Iterator[tuple[Arrow, ast.Module]]:
    """Every import of every module under `root`, with the module's tree."""
    for path in sorted(root.rglob("*.py")):
        name = module_name(root, path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield Arrow(name, alias.name, node.lineno), tree
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(
                        [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                    ).rstrip(".")
                yield Arrow(name, base, node.lineno), tree


def layer(module: str) -> str:
    """``citcert.audit.scoring`` -> ``audit``; ``citcert`` itself -> ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _within(target: str, allowed: str) -> bool:
    full = f"citcert.{allowed}"
    return target == full or target.startswith(full + ".")


def violations(root: Path) -> list[str]:
    """Every import the architecture forbids, as ``module:line: imports X (rule)``."""
    found: list[str] = []
    for arrow, _ in arrows(root):
        source = layer(arrow.module)
        target = arrow.target
        where = f"{arrow.module}:{arrow.line}"
        if target.startswith("citcert."):
            if any(_within(target, leaf.removeprefix("citcert.")) for leaf in LEAVES):
                continue
            if source not in ALLOWED:
                continue
            if not any(_within(target, allowed) for allowed in ALLOWED[source]):
                found.append(
                    f"{where}: imports {target} ({source} may import only {ALLOWED[source]})"
                )
        else:
            library = target.split(".")[0]
            if library in FORBIDDEN_LIBRARIES.get(source, ()):
                if library == "click" and arrow.module in CLICK_STYLE_ALLOWED:
                    continue
                found.append(f"{where}: imports {library} (not in the {source} layer)")
    return sorted(set(found))


def impure_calls(root: Path) -> list[str]:
    """Calls in the pure core that open a file or read the clock."""
    found = []
    for path in sorted((root / "audit").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name in IMPURE_CALLS:
                    found.append(f"{module_name(root, path)}:{node.lineno}: calls {name}()")
    return found


def environment_reads(root: Path) -> set[str]:
    """Modules below `app` and `cli` that read ``os.environ`` or call ``os.getenv``."""
    found = set()
    for path in sorted(root.rglob("*.py")):
        name = module_name(root, path)
        if layer(name) in ("app", "cli"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
                found.add(name)
    return found


def test_every_import_follows_the_architecture() -> None:
    assert violations(ROOT) == []


def test_the_core_opens_no_file_and_reads_no_clock() -> None:
    assert impure_calls(ROOT) == []


def test_no_environment_read_below_the_application_layer() -> None:
    assert environment_reads(ROOT) <= ENVIRONMENT_READERS


def test_every_package_is_a_known_layer() -> None:
    """A new package must be placed in the architecture before it is used."""
    packages = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in ROOT.glob("_*.py") if p.stem != "__init__"} | {"errors"}
    assert packages | modules - {"__main__"} <= set(ALLOWED)


@pytest.mark.parametrize(
    ("module", "source", "rule"),
    [
        ("audit/scoring2.py", "from citcert.export import render\n", "audit may import only"),
        ("audit/peek.py", "def f():\n    import openpyxl\n", "imports openpyxl"),
        ("workbook/r.py", "from citcert.export.pdf import kit\n", "workbook may import only"),
        ("standards/s.py", "from citcert.audit import scoring\n", "standards may import only"),
        ("export/x.py", "from citcert.cli import main\n", "export may import only"),
        ("app/a.py", "import click\n", "imports click"),
        ("audit/rel.py", "from ..export import render\n", "audit may import only"),
    ],
)
def test_a_forbidden_import_is_caught(tmp_path: Path, module: str, source: str, rule: str) -> None:
    """The checker finds a planted forbidden arrow, at its line, naming the rule."""
    root = tmp_path / "citcert"
    target = root / module
    target.parent.mkdir(parents=True)
    for folder in (root, target.parent):
        (folder / "__init__.py").write_text("", encoding="utf-8")
    target.write_text(source, encoding="utf-8")
    (found,) = violations(root)
    assert found.startswith(f"citcert.{module[:-3].replace('/', '.')}:")
    assert rule in found


def test_an_impure_call_in_the_core_is_caught(tmp_path: Path) -> None:
    root = tmp_path / "citcert"
    (root / "audit").mkdir(parents=True)
    (root / "audit" / "x.py").write_text(
        "import datetime as dt\ndef f(p):\n    return dt.date.today(), open(p)\n", encoding="utf-8"
    )
    assert impure_calls(root) == [
        "citcert.audit.x:3: calls today()",
        "citcert.audit.x:3: calls open()",
    ]


def test_every_package_ships_in_the_wheel() -> None:
    """A package missing from pyproject's list installs nowhere: an installed citcert crashes."""
    import tomllib

    config = tomllib.loads((ROOT.parent / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT.parent).parts) for p in ROOT.rglob("__init__.py")}
    assert found - listed == set()
