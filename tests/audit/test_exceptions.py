"""
Exceptions (waivers) end to end: typed into the Exceptions sheet of a real workbook with
openpyxl, audited through the command line, and read back from every report.

The example Brennan County workbook (cit-best-practice@2019.1, as of 2025-08-20) is
conditionally certified with 71.1%. The standard lets an approver except at most 3 requirements
that are not core, each for at most 365 days.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from citcert.cli import cli
from citcert.standards.store import StandardsStore
from tests.audit import workbook_filler as wb

EXAMPLES = Path(__file__).parent.parent.parent / "examples"
STEM = "brennan-county-crisis-intervention-team"

Row = tuple[object, object, object, object, object]


def book_with(tmp_path: Path, rows: Sequence[Row], name: str = "brennan.xlsx") -> Path:
    """A copy of the Brennan County workbook with `rows` typed into its Exceptions sheet."""
    from openpyxl import load_workbook

    path = tmp_path / name
    shutil.copyfile(EXAMPLES / "brennan-county.xlsx", path)
    book = load_workbook(path)
    ws = book["Exceptions"]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            ws.cell(4 + offset, column).value = value
    book.save(path)
    return path


def audit(runner: CliRunner, book: Path, *args: str | Path) -> Result:
    return runner.invoke(cli, ["audit", str(book), *map(str, args)])


APPROVED = dt.datetime(2025, 3, 1)
IN_FORCE: Row = (
    "dsp-04",  # typed in lower case: the reader takes the id in any case
    "The county crisis line is being re-procured; no partner can take transfers until 2026.",
    "Chair, Brennan County CIT steering committee",
    APPROVED,
    dt.datetime(2026, 2, 28),
)
EXPIRED: Row = (
    "PART-04",
    "Mapping postponed while the county merged its crisis services.",
    "State CIT coordinator",
    dt.datetime(2024, 9, 1),
    "2025-08-01",  # typed as text, before the as-of date 2025-08-20
)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every report of the workbook with one exception in force and one expired."""
    folder = tmp_path_factory.mktemp("exceptions")
    book = book_with(folder, [IN_FORCE, EXPIRED])
    out = folder / "reports"
    result = audit(CliRunner(), book, "-o", out)
    assert result.exit_code == 0, result.output
    return {p.suffix: p for p in out.iterdir()}


def test_an_exception_in_force_leaves_the_score_like_not_applicable(
    reports: dict[str, Path],
) -> None:
    report = json.loads(reports[".json"].read_text(encoding="utf-8"))
    results = {r["requirement_id"]: r for r in report["results"]}
    dsp = results["DSP-04"]
    assert (dsp["excepted"], dsp["applicable"], dsp["status"]) == (True, False, "not_applicable")
    assert dsp["level_label"] == "Excepted until 2026-02-28"
    assert "DSP-04" not in {g["requirement_id"] for g in report["gaps"]}


def test_an_expired_exception_is_a_finding_and_counts_as_not_met(
    reports: dict[str, Path],
) -> None:
    report = json.loads(reports[".json"].read_text(encoding="utf-8"))
    part = next(r for r in report["results"] if r["requirement_id"] == "PART-04")
    assert (part["status"], part["credit"], part["excepted"]) == ("not_met", 0.0, False)
    kinds = [f["kind"] for f in part["findings"]]
    assert "exception_expired" in kinds
    message = next(f["message"] for f in part["findings"] if f["kind"] == "exception_expired")
    assert message.startswith(
        "The exception approved by State CIT coordinator expired on 2025-08-01"
    )
    view = report["exceptions"]
    assert (view["in_force"], view["expired"]) == (1, 1)
    assert [i["cell"] for i in view["items"]] == ["Exceptions!A4", "Exceptions!A5"]


def test_every_format_shows_the_decision_with_and_without_exceptions(
    reports: dict[str, Path], tmp_path: Path
) -> None:
    """JSON, Markdown, PDF, XLSX and the terminal give both decisions and list each exception."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    report = json.loads(reports[".json"].read_text(encoding="utf-8"))
    with_score = report["overall_score"]
    without = report["exceptions"]
    # DSP-04 (not met, weight counted) leaves the score, so the score with it is higher.
    assert with_score > without["overall_without"]
    assert without["decision_without"]["label"] == "Close to the standard"
    sentence = without["sentence"]
    assert sentence.startswith("With 1 exception in force: Close to the standard (")
    assert "without any exception: Close to the standard (" in sentence

    md = reports[".md"].read_text(encoding="utf-8")
    assert "## Exceptions" in md
    assert (
        f"| Without exceptions | Close to the standard ({without['overall_without']:.1f}%) |" in md
    )
    assert "| DSP-04 " in md and "| expired: counts as not met |" in md

    pdf = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(reports[".pdf"]).pages
    )
    assert "Without exceptions" in pdf and "With exceptions" in pdf
    assert "PART-04" in pdf and "2026-02-28" in pdf

    summary = load_workbook(reports[".xlsx"])["Summary"]
    cells = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row[0]}
    assert (
        cells["Without exceptions"] == f"Close to the standard ({without['overall_without']:.1f}%)"
    )
    assert "DSP-04" in cells["Exceptions"] and "PART-04" in cells["Exceptions"]

    book = book_with(tmp_path, [IN_FORCE, EXPIRED])
    terminal = audit(CliRunner(), book)
    assert terminal.exit_code == 0, terminal.output
    assert sentence in terminal.stdout
    assert "⚑ DSP-04" in terminal.stdout


def _refused(tmp_path: Path, rows: Sequence[Row]) -> str:
    book = book_with(tmp_path, rows)
    before = book.read_bytes()
    result = audit(CliRunner(), book, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out").exists()
    assert book.read_bytes() == before
    return result.stderr


def test_a_core_requirement_cannot_be_excepted(tmp_path: Path) -> None:
    row: Row = ("DSP-01", "No dispatch partner.", "Chair", APPROVED, dt.datetime(2025, 12, 1))
    stderr = _refused(tmp_path, [row])
    assert (
        "brennan.xlsx: Exceptions!A4 (exception): DSP-01 is a core requirement, and "
        "cit-best-practice@2019.1 never lets a core requirement be excepted"
    ) in stderr


def test_more_exceptions_than_the_standard_allows_is_refused_at_the_first_over(
    tmp_path: Path,
) -> None:
    rows: list[Row] = [
        (rid, "Waiting for the new budget.", "Chair", APPROVED, dt.datetime(2025, 12, 1))
        for rid in ("DSP-04", "INS-02", "PART-04", "CRS-02")
    ]
    stderr = _refused(tmp_path, rows)
    assert (
        "Exceptions!A7 (exception): cit-best-practice@2019.1 allows at most 3 exceptions; "
        "this one is over the limit"
    ) in stderr
    assert "Exceptions!A6" not in stderr


def test_an_exception_longer_than_the_standard_allows_is_refused_at_its_expiry(
    tmp_path: Path,
) -> None:
    row: Row = ("DSP-04", "Re-procurement.", "Chair", APPROVED, dt.datetime(2026, 4, 1))
    stderr = _refused(tmp_path, [row])
    # 2025-03-01 to 2026-04-01 is 396 days; the last allowed expiry is 2025-03-01 + 365 days.
    assert (
        "Exceptions!E4 (exception): this exception runs 396 days, longer than the 365 days "
        "cit-best-practice@2019.1 allows; expire it by 2026-03-01"
    ) in stderr


def test_every_bad_row_is_named_at_its_cell(tmp_path: Path) -> None:
    rows: list[Row] = [
        ("XYZ-99", "Typo in the id.", "Chair", APPROVED, dt.datetime(2025, 12, 1)),
        ("INS-02", "", "", APPROVED, dt.datetime(2025, 1, 1)),
        ("CRS-02", "Future approval.", "Chair", dt.datetime(2030, 1, 1), dt.datetime(2030, 6, 1)),
        ("DSP-04", "Once.", "Chair", APPROVED, dt.datetime(2025, 12, 1)),
        ("DSP-04", "Twice.", "Chair", APPROVED, dt.datetime(2025, 12, 1)),
    ]
    stderr = _refused(tmp_path, rows)
    assert (
        "Exceptions!A4 (exception): XYZ-99 is not a requirement of cit-best-practice@2019.1"
        in stderr
    )
    assert "Exceptions!B5 (exception): an exception needs why the requirement is excepted" in stderr
    assert "Exceptions!C5 (exception): an exception needs who approved the exception" in stderr
    assert "Exceptions!E5 (exception): the expiry date must come after the approval date" in stderr
    assert "Exceptions!D6 (exception):" in stderr
    assert "Exceptions!A8 (exception): DSP-04 is already excepted at Exceptions!A7" in stderr


def test_a_standard_that_allows_no_exceptions_refuses_the_sheet(tmp_path: Path) -> None:
    """The mini standard sets no exception policy: an Exceptions sheet added by hand is refused."""
    from citcert.workbook import layout as L

    book = wb.fill(wb.blank())
    ws = book.create_sheet("Exceptions")
    for column, c in enumerate(L.EXCEPTION_COLUMNS, start=1):
        ws.cell(3, column).value = c.header
    for column, value in enumerate(
        ("TRN-03", "No schools.", "Chair", dt.datetime(2024, 1, 2), dt.datetime(2024, 12, 1)), 1
    ):
        ws.cell(4, column).value = value
    path = wb.save(book, tmp_path / "program.xlsx")
    result = CliRunner().invoke(cli, ["--standards-dir", str(wb.MINI.parent), "audit", str(path)])
    assert result.exit_code == 2, result.output
    assert (
        "Exceptions!A4 (exception): mini-standard@1.0 does not allow exceptions; remove this row"
        in (result.stderr)
    )


def test_the_template_states_the_policy_and_no_sheet_means_no_exceptions(
    runner: CliRunner, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    assert runner.invoke(cli, ["template", "-o", str(out)]).exit_code == 0
    ws = load_workbook(out)["Exceptions"]
    assert [c.value for c in ws[3]] == [
        "Requirement ID", "Justification", "Approved by", "Approved on", "Expires on"
    ]  # fmt: skip
    assert (
        "Core requirements cannot be excepted. At most 3. Each for at most 365 days. These "
        "limits are proposed by citcert, not a published rule."
    ) in str(ws["A2"].value)
    plain = json.loads(
        audit(runner, EXAMPLES / "brennan-county.xlsx", "-o", "-", "--format", "json").stdout
    )
    assert plain["exceptions"] is None


OVERLAY_HEAD = """\
extends: mini-standard@1.0
id: mini-state
version: "2024.1"
title: Mini state overlay
publisher: Tests state office
effective: 2024-06-01
status: current
summary: Changes the exception policy only.
scoring:
  exceptions:
"""


def _overlay(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "state.yaml"
    path.write_text(OVERLAY_HEAD + body, encoding="utf-8")
    return path


def test_an_overlay_that_allows_more_exceptions_needs_a_reason(tmp_path: Path) -> None:
    """Allowing exceptions the base refuses weakens it: an error at its line without a reason."""
    from citcert.errors import OverlayError
    from citcert.standards.loader import load_file

    path = _overlay(tmp_path, "    allowed: true\n    max_exceptions: 1\n")
    with pytest.raises(OverlayError) as caught:
        load_file(path, store=StandardsStore([wb.MINI.parent]))
    assert (
        "state.yaml:11:14: scoring.exceptions.allowed: loosens the exception policy's allowed "
        "from false to true, which weakens mini-standard@1.0; give a `reason:` for this change "
        "to allow it"
    ) in str(caught.value)


def test_an_overlay_tightens_the_policy_and_the_reader_follows_it(tmp_path: Path) -> None:
    """With a reason the overlay allows 1 exception; a second row is refused at its cell."""
    from citcert.standards.loader import load_file
    from citcert.standards.model import ChangeKind
    from citcert.workbook import layout as L
    from citcert.workbook.template import render_template

    body = "    allowed: true\n    max_exceptions: 1\n    max_days: 180\n"
    body += "    reason: The state office approves waivers itself.\n"
    state = load_file(_overlay(tmp_path, body), store=StandardsStore([wb.MINI.parent]))
    policy = state.scoring.exceptions
    assert (policy.allowed, policy.max_exceptions, policy.max_days) == (True, 1, 180)
    assert state.tailoring is not None
    kinds = {c.description: c.kind for c in state.tailoring.changes}
    assert (
        kinds["tightens the exception policy's max_days from none to 180"] is ChangeKind.TIGHTENED
    )
    assert kinds["loosens the exception policy's allowed from false to true"] is ChangeKind.WEAKENED

    import io

    from openpyxl import load_workbook

    book = wb.fill(load_workbook(io.BytesIO(render_template(state))))
    ws = book[L.EXCEPTIONS_SHEET]
    approved = dt.datetime(2024, 1, 2)
    for offset, rid in enumerate(("TRN-03", "PART-02")):
        row = (
            rid,
            "Waiting for the state module.",
            "State office",
            approved,
            dt.datetime(2024, 6, 1),
        )
        for column, value in enumerate(row, start=1):
            ws.cell(4 + offset, column).value = value
    path = wb.save(book, tmp_path / "program.xlsx")
    result = CliRunner().invoke(
        cli,
        ["--standards-dir", str(wb.MINI.parent), "audit", str(path), "--overlay",
         str(tmp_path / "state.yaml")],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert (
        "Exceptions!A5 (exception): mini-state@2024.1 allows at most 1 exception; this one is "
        "over the limit"
    ) in result.stderr


@pytest.mark.parametrize("key", ["allowed", "core_allowed"])
def test_an_overlay_may_not_set_a_yes_or_no_term_to_null(tmp_path: Path, key: str) -> None:
    """`allowed: null` would leave the policy neither yes nor no: refused at its line."""
    result = CliRunner().invoke(
        cli,
        ["--standards-dir", str(wb.MINI.parent), "standards", "validate",
         str(_overlay(tmp_path, f"    {key}: null\n"))],
    )  # fmt: skip

    assert result.exit_code == 2
    assert (
        f"state.yaml:11:{7 + len(key)}: scoring.exceptions.{key}: must be true or false; leave "
        "the key out to keep the base's"
    ) in result.stderr
