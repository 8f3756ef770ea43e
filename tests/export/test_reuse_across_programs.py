"""
What the writers reuse from one program to the next cannot change a report's bytes.

The PDF writer keeps the parses and line breaks of the paragraphs it has laid out (most text is
the standard's own, the same in every report) and the XLSX writer shares its style objects. So
the 50th program of a batch, rendered in the same process after 49 others, must give the very
bytes it gives when it is rendered alone in a fresh process. The programs' texts are chosen to
reach every path of the reuse: text shared between programs in other places and styles, long
words reportlab splits, soft hyphens, right-to-left text, bullets, markup-like text.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from citcert.audit.assessment import Assessment
from citcert.cli import cli
from tests.audit.workbook_filler import MINI, blank, dump_yaml, fill, load_yaml, save

PROGRAMS = 50
LEVELS = ("Met", "Partially met", "Not met")
TEXTS = (
    "In the program binder.",
    "Chartered committee: police, NAMI Riverton, Riverton behavioral health.",
    "Supercalifragilisticexpialidocious" * 6,
    "Re\u00adcer\u00adti\u00adfi\u00adca\u00adtion of every officer, twice a year, in­service.",
    "برنامج التدخل في الأزمات — reviewed with every partner agency.",
    '<b>bold</b> & <font size="40">big</font> = "quoted"',
    "Met in January 2024.\nMinutes filed; second line of the summary.",
    "A long account of the training: " + "forty hours with role play and site visits, " * 12,
)


def _program(index: int, rng: random.Random) -> dict[str, Any]:
    """
    One program's answers; texts drawn from `TEXTS`, so programs share them in other rows.

    The last program names its agencies with the long text the others use only as evidence,
    so that text is laid out at another width (the cover's) than every time before it.
    """
    last = index == PROGRAMS - 1
    answers: dict[str, dict[str, object]] = {
        rid: {
            "Self rating": rng.choice(LEVELS),
            "Evidence summary": TEXTS[0] if last else rng.choice(TEXTS),
        }
        for rid in ("PART-01", "PART-02", "TRN-01", "TRN-02", "TRN-03")
    }
    answers["TRN-02"]["Metric value"] = rng.choice((24, 34, 40, 48))
    answers["PART-01"]["Document references"] = f"{rng.choice(TEXTS)[:60]}\nCharter {index}"
    patrol = rng.randint(40, 200)
    return {
        "profile": {
            "program_name": rng.choice(TEXTS)[:40] + f" {index}",
            "jurisdiction": f"County {index:02d}",
            "state": "OH",
            "agencies": TEXTS[-1] if last else rng.choice(TEXTS[:-1]),
            "coordinator": "Coordinator",
            "contact": "cit@example.org",
            "assessment_type": "Self-assessment",
            "assessment_date": f"2024-05-{1 + index % 28:02d}",
        },
        "numbers": {
            "patrol_officers": patrol,
            "cit_officers": rng.randint(0, patrol // 2),
            "last_committee_meeting": "2024-03-01",
        },
        "answers": answers,
    }


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A standards folder with the mini standard, and a folder of `PROGRAMS` workbooks."""
    standards = tmp_path_factory.mktemp("standards")
    dump_yaml(load_yaml(MINI), standards / "mini.yaml")
    folder = tmp_path_factory.mktemp("state")
    rng = random.Random(50)
    for index in range(PROGRAMS):
        save(fill(blank(), documents=(), **_program(index, rng)), folder / f"p{index:02d}.xlsx")
    return standards, folder


def _reports(folder: Path) -> dict[str, bytes]:
    return {path.suffix: path.read_bytes() for path in folder.iterdir() if path.is_file()}


def test_the_50th_program_of_a_batch_gets_the_bytes_it_gets_alone(
    state: tuple[Path, Path], tmp_path: Path
) -> None:
    """PDF and XLSX of the last program, after 49 others in one process, equal a fresh run's."""
    standards, folder = state
    batch = tmp_path / "batch"
    args = ["--standards-dir", str(standards), "batch", str(folder), "-o", str(batch)]
    done = CliRunner().invoke(cli, [*args, "--format", "pdf,xlsx", "--jobs", "1"])
    assert done.exit_code == 0, done.output
    last = f"p{PROGRAMS - 1:02d}.xlsx"
    env = {**os.environ, "CITCERT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("CITCERT_STANDARDS_PATH", None)
    alone = tmp_path / "alone"
    command = [sys.executable, "-m", "citcert", "--standards-dir", str(standards), "audit"]
    command += [str(folder / last), "-o", str(alone), "--format", "pdf,xlsx"]
    run = subprocess.run(command, env=env, capture_output=True, check=False, timeout=300)
    assert run.returncode == 0, run.stderr.decode()
    rows = json.loads((batch / "summary.json").read_text(encoding="utf-8"))["rows"]
    (reports,) = [row["reports"] for row in rows if row["file"] == last]

    assert sorted(_reports(alone)) == [".pdf", ".xlsx"]
    assert _reports(batch / reports) == _reports(alone)


def test_reused_paragraphs_draw_what_reportlab_draws_afresh(
    hostile_assessment: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gap report with parses and line breaks reused equals one made with none reused."""
    from reportlab.platypus import Paragraph

    from citcert.export import pdf
    from citcert.export.pdf import reuse

    pdf.render(hostile_assessment)  # the second render below reuses what this one kept
    reused = pdf.render(hostile_assessment)
    monkeypatch.setattr(reuse, "paragraph_class", lambda: Paragraph)
    afresh = pdf.render(hostile_assessment)

    assert reused == afresh
