"""
The "free changes" attack of issue 11 (item 9), end to end through the command line.

Two overlays lifted Brennan County's conditional decision with zero recorded weakenings: one
added, to every domain, a heavy requirement that is always met (a metric with ``met: 0``), the
other raised the weights of requirements the program already meets. The first is now refused at
its lines whatever its reasons; the second needs a reason for every weight, and once given is
shown as a change to the scoring in the reports, with the score it moved.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from citcert.cli import cli
from citcert.standards import find_standard

EXAMPLES = Path(__file__).parent.parent / "examples"
BRENNAN = EXAMPLES / "brennan-county.xlsx"
BASE = find_standard("cit-best-practice@2019.1")

HEADER = {
    "extends": BASE.ref,
    "version": "1",
    "title": "A state that wants everyone certified",
    "publisher": "Tests",
    "effective": "2024-06-01",
    "status": "current",
    "summary": "Free changes only.",
}


def _write(folder: Path, name: str, overlay: dict[str, Any]) -> Path:
    """The overlay as a YAML file, one key a line so that each entry has its own line."""
    path = folder / f"{name}.yaml"
    lines = [f"{key}: {json.dumps(value)}" for key, value in {"id": name, **overlay}.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(folder: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--standards-dir", str(folder), *args])


def _always_met(domain_id: str, weight: float, **metric: Any) -> dict[str, Any]:
    return {
        "domain": domain_id,
        "id": f"{domain_id}-90",
        "title": "Has officers",
        "statement": "The program has officers.",
        "weight": weight,
        "metric": {"label": "Sworn officers", "unit": "officers", **metric},
        "anchors": {"met": "Yes.", "not_met": "No."},
        "evidence": ["Roster"],
        "remediation": {
            "actions": ["Hire."],
            "owner": "Chief",
            "effort": "low",
            "horizon_days": 30,
        },
        "sources": [{"url": "https://example.org/state", "verification": "unverified"}],
    }


ALWAYS_MET = [
    pytest.param({"inputs": ["sworn_officers"], "met": 0}, id="met-0-on-a-count"),
    pytest.param({"inputs": ["sworn_officers"], "met": -1, "partial": -2}, id="below-the-floor"),
    pytest.param(
        {"inputs": ["cit_patrol_officers", "patrol_officers"], "compute": "ratio", "met": 0},
        id="met-0-on-a-share",
    ),
]


@pytest.mark.parametrize("metric", ALWAYS_MET)
def test_an_always_met_heavy_requirement_in_every_domain_is_refused(
    tmp_path: Path, metric: dict[str, Any]
) -> None:
    """Every added requirement is refused at its own line, reasons or not; nothing is written."""
    domains = [d.id for d in BASE.domains]
    requirements = [_always_met(d, 100, **metric) for d in domains]
    path = _write(tmp_path, "free-state", {**HEADER, "add": {"requirements": requirements}})
    out = tmp_path / "out"

    result = _run(tmp_path, "audit", str(BRENNAN), "--overlay", str(path), "-o", str(out))

    assert result.exit_code == 2
    assert result.stdout == ""
    assert not out.exists()
    problems = result.stderr.splitlines()
    for index, domain in enumerate(domains):
        located = re.compile(
            rf"free-state\.yaml:\d+:\d+: add\.requirements\[{index}\]\.metric\.met: .* is "
            rf"reached by every possible value .*, so every program meets {domain}-90 "
        )
        assert any(located.search(line) for line in problems), domain


def test_raising_the_weights_of_met_requirements_needs_a_reason_for_each(tmp_path: Path) -> None:
    """Every heavier weight is refused at its line without a reason."""
    heavy = {rid: {"weight": 100} for rid in ("LEX-01", "OFC-01")}
    path = _write(tmp_path, "heavy-state", {**HEADER, "override": heavy})

    result = _run(tmp_path, "standards", "validate", str(path))

    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    for rid in heavy:
        assert any(
            "heavy-state.yaml:" in line
            and f"override.{rid}.weight: raises the weight of {rid} from 3 to 100, which "
            "changes how cit-best-practice@2019.1 weighs its requirements"
            in line
            for line in lines
        ), rid


@pytest.fixture(scope="module")
def heavy_audit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Brennan County under an overlay that raises, with reasons, the weights of what it meets."""
    folder = tmp_path_factory.mktemp("heavy")
    met = ["LEX-01", "OFC-01", "OFC-02", "OFC-03", "POL-01", "TRN-01"]
    heavy = {rid: {"weight": 100, "reason": "The state cares most about these."} for rid in met}
    _write(folder, "heavy-state", {**HEADER, "override": heavy})
    moved = folder / "brennan-heavy.xlsx"
    migrated = _run(folder, "migrate", str(BRENNAN), "--to", "heavy-state@1", "-o", str(moved))
    assert migrated.exit_code == 0, migrated.output
    out = folder / "out"
    audited = _run(folder, "audit", str(moved), "-o", str(out), "--format", "json,md")
    assert audited.exit_code == 0, audited.output
    base = _run(folder, "audit", str(BRENNAN), "-o", "-")
    return {
        "base": json.loads(base.stdout),
        "json": json.loads(next(out.glob("*.json")).read_text(encoding="utf-8")),
        "md": next(out.glob("*.md")).read_text(encoding="utf-8"),
        "met": met,
    }


def test_heavier_weights_lift_the_score_and_are_recorded_as_rescoring(
    heavy_audit: dict[str, Any],
) -> None:
    """The lift is real, and every weight is recorded as a rescoring with its reason."""
    report = heavy_audit["json"]

    assert report["overall_score"] > heavy_audit["base"]["overall_score"]
    assert [(c["kind"], c["target"]) for c in report["tailoring"]] == [
        ("rescored", rid) for rid in heavy_audit["met"]
    ]
    assert {c["reason"] for c in report["tailoring"]} == {"The state cares most about these."}


def test_the_markdown_report_says_the_scoring_was_changed(heavy_audit: dict[str, Any]) -> None:
    """The report counts the changes to the scoring and says what they can do."""
    md = heavy_audit["md"]

    assert "- **rescored** LEX-01: raises the weight of LEX-01 from 3 to 100" in md
    assert (
        "**6 of these changes change how scores are formed (an added requirement or a changed "
        "weight moves every score of its domain), so a program may score higher or lower for "
        "them.**"
    ) in md
