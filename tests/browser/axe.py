"""
Running axe-core on an HTML file in headless Chromium, and taking screenshots of it.

Chromium is Debian's ``chromium`` and axe-core the npm package that ``make test-browser``
installs into ``.browser/node_modules``. The page is a copy of the report with axe-core and a
few lines that run it appended; the results are written into an attribute of the page's root
element, and ``--dump-dom`` prints the page once the run has finished (``--virtual-time-budget``
lets the promise settle before the dump). No DevTools connection, no network, no profile kept:
each run gets a fresh ``--user-data-dir``.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".browser" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
"""WCAG 2.1 levels A and AA, as axe-core tags its rules."""
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
_RESULT = re.compile(r'data-axe-(result|error)="([^"]*)"')
_RUNNER = """
<script>
axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]}).then(
  function (r) {
    var out = r.violations.map(function (v) {
      return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(
        function (n) { return n.target.join(" ") + " :: " + n.failureSummary; })};
    });
    document.documentElement.setAttribute("data-axe-result", JSON.stringify(out));
  },
  function (e) { document.documentElement.setAttribute("data-axe-error", String(e)); });
</script>
"""


def chromium() -> str | None:
    """The Chromium executable, or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if chromium() is None:
        return "Chromium is not installed (make test-browser installs Debian's chromium)"
    if not AXE.is_file():
        return "axe-core is not installed (make test-browser installs it into .browser/)"
    return None


@dataclass(frozen=True)
class Violation:
    """One axe-core rule the page breaks, with where."""

    id: str
    impact: str
    help: str
    nodes: tuple[str, ...]

    def __str__(self) -> str:
        where = "\n    ".join(self.nodes)
        return f"{self.id} ({self.impact}): {self.help}\n    {where}"


def _run(args: list[str], work: Path) -> subprocess.CompletedProcess[str]:
    profile = work / f"profile-{len(list(work.glob('profile-*')))}"
    command = [chromium() or "chromium", *FLAGS, f"--user-data-dir={profile}", *args]
    env = {**os.environ, "HOME": str(work)}
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, env=env
    )


def axe_violations(page: Path, work: Path) -> list[Violation]:
    """The WCAG 2.1 A and AA violations axe-core finds in `page`, rendered in Chromium."""
    source = page.read_text(encoding="utf-8")
    script = f"<script>{AXE.read_text(encoding='utf-8')}</script>" + _RUNNER % json.dumps(TAGS)
    at = source.rfind("</body>")
    assert at >= 0, f"{page.name} has no </body>"
    probe = page.with_name(f"axe-{page.name}")
    probe.write_text(source[:at] + script + source[at:], encoding="utf-8")
    done = _run(["--virtual-time-budget=60000", "--dump-dom", probe.as_uri()], work)
    found = _RESULT.search(done.stdout)
    assert found, f"axe-core gave no result for {page.name}:\n{done.stderr[-2000:]}"
    data = html.unescape(found.group(2))
    assert found.group(1) == "result", f"axe-core failed on {page.name}: {data}"
    return [
        Violation(v["id"], v["impact"] or "", v["help"], tuple(v["nodes"]))
        for v in json.loads(data)
    ]


def screenshot(page: Path, png: Path, width: int, height: int = 2400) -> Path:
    """A screenshot of the top of `page` at `width` pixels, written to `png`."""
    args = [f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri()]
    done = _run(args, png.parent)
    assert png.is_file(), f"no screenshot of {page.name}:\n{done.stderr[-2000:]}"
    return png
