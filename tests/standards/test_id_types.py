"""
Requirement, domain and decision-level ids are distinct types, and mypy enforces it.

All three are text, so a mix-up (a level id handed to a requirement lookup) would otherwise
type-check and only show as a silent miss. The snippet below is checked by mypy itself, with the
project's own configuration (strict, pydantic plugin), against this checkout's `citcert`: each
call marked ``# wrong`` must be reported on its line, and the correct calls must pass.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from mypy import api as mypy_api

ROOT = Path(__file__).resolve().parents[2]

SNIPPET = """\
from citcert.audit.decision import is_below, rank
from citcert.standards.model import DomainId, LevelId, RequirementId, Standard
from citcert.workbook.evidence import Evidence


def right(standard: Standard, evidence: Evidence, level: LevelId, rid: RequirementId) -> None:
    standard.requirement(rid)
    evidence.for_requirement(standard.domains[0].requirements[0].id)
    rank(standard.scoring, standard.scoring.decision_levels[0].id)
    is_below(standard.scoring, level, LevelId("certified"))
    domain: DomainId = standard.domains[0].id
    print(domain, len(rid))


def wrong(standard: Standard, evidence: Evidence, level: LevelId, rid: RequirementId) -> None:
    standard.requirement(level)  # wrong
    evidence.for_requirement(standard.domains[0].id)  # wrong
    rank(standard.scoring, rid)  # wrong
    is_below(standard.scoring, level, "certified")  # wrong
    standard.requirement("TRN-01")  # wrong
    domain: DomainId = standard.scoring.decision_levels[0].id  # wrong
    print(domain)
"""


def _wrong_lines(source: str) -> set[int]:
    return {n for n, line in enumerate(source.splitlines(), 1) if line.endswith("# wrong")}


def test_mypy_refuses_one_kind_of_id_where_another_is_expected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snippet = tmp_path / "ids_snippet.py"
    snippet.write_text(SNIPPET, encoding="utf-8")
    # mypy looks in the working directory before site-packages: this checkout's citcert, not an
    # installed one.
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("MYPYPATH", raising=False)
    stdout, stderr, status = mypy_api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            "--follow-imports",
            "silent",
            "--no-error-summary",
            "--hide-error-context",
            os.fspath(snippet),
        ]
    )
    assert stderr == ""
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    reported = {int(m.group(1)) for e in errors if (m := re.search(r"\.py:(\d+): error:", e))}
    assert reported == _wrong_lines(SNIPPET), stdout
    assert all(e.startswith(os.fspath(snippet)) for e in errors), stdout
    assert all("[arg-type]" in e or "[assignment]" in e for e in errors), stdout
    assert status == 1
