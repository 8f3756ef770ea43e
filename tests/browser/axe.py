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
import tempfile
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
_ENVIRONMENT = dict(os.environ)
"""
The environment Chromium runs in, copied once at import: the runs happen in worker threads
while the main thread's fixtures set and unset variables, and reading `os.environ` while another
thread changes it can raise KeyError halfway through the copy.
"""
_RESULT = re.compile(r'data-axe-(result|error)="([^"]*)"')
_RUNNER = """
<script>
function done(key, value) {
  document.documentElement.setAttribute("data-axe-" + key, JSON.stringify(value));
}
function measure(violations) {
  var frame = document.createElement("iframe");
  frame.style.cssText = "position:absolute;left:0;top:0;border:0;width:%(width)dpx;height:900px";
  frame.onload = function () {
    var doc = frame.contentDocument;
    done("result", {violations: violations, viewport: frame.contentWindow.innerWidth,
                    width: doc.documentElement.scrollWidth});
  };
  frame.src = "frame.html";
  document.body.appendChild(frame);
}
axe.run(document, {runOnly: {type: "tag", values: %(tags)s}, resultTypes: ["violations"]}).then(
  function (r) {
    measure(r.violations.map(function (v) {
      return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(
        function (n) { return n.target.join(" ") + " :: " + n.failureSummary; })};
    }));
  },
  function (e) { done("error", String(e)); });
</script>
"""
"""
Runs axe-core on the page, then loads a clean copy of it in a frame as wide as a phone and
measures it there (a headless window is never narrower than 500 px; a frame can be).
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
    profile = tempfile.mkdtemp(prefix="profile-", dir=work)  # fresh, also for parallel runs
    command = [chromium() or "chromium", *FLAGS, f"--user-data-dir={profile}", *args]
    env = {**_ENVIRONMENT, "HOME": str(work)}
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, env=env
    )


@dataclass(frozen=True)
class Check:
    """What one page showed in Chromium: axe-core's violations, and its width on a phone."""

    violations: tuple[Violation, ...]
    viewport: int
    width: int


def check(page: Path, work: Path, phone: int) -> Check:
    """
    Run axe-core (WCAG 2.1 A and AA) on `page` in headless Chromium, and measure the page in a
    frame `phone` pixels wide; one browser launch.
    """
    source = page.read_text(encoding="utf-8")
    at = source.rfind("</body>")
    assert at >= 0, f"{page.name} has no </body>"
    folder = Path(tempfile.mkdtemp(prefix="probe-", dir=work))
    (folder / "frame.html").write_text(source, encoding="utf-8")
    script = f"<script>{AXE.read_text(encoding='utf-8')}</script>"
    script += _RUNNER % {"width": phone, "tags": json.dumps(TAGS)}
    probe = folder / page.name
    probe.write_text(source[:at] + script + source[at:], encoding="utf-8")
    args = ["--allow-file-access-from-files", "--virtual-time-budget=60000", "--dump-dom"]
    done = _run([*args, probe.as_uri()], work)
    found = _RESULT.search(done.stdout)
    assert found, f"no result from the page {page.name}:\n{done.stderr[-2000:]}"
    data = html.unescape(found.group(2))
    assert found.group(1) == "result", f"axe-core failed on {page.name}: {data}"
    result = json.loads(data)
    violations = tuple(
        Violation(v["id"], v["impact"] or "", v["help"], tuple(v["nodes"]))
        for v in result["violations"]
    )
    return Check(violations, int(result["viewport"]), int(result["width"]))


def screenshot(page: Path, png: Path, width: int, work: Path, height: int = 2400) -> Path:
    """A screenshot of the top of `page` at `width` pixels, written to `png`."""
    args = [f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri()]
    done = _run(args, work)
    assert png.is_file(), f"no screenshot of {page.name}:\n{done.stderr[-2000:]}"
    return png
