"""
A re-audit into the same folder keeps the progress the program typed in its tracker.

The program keeps the XLSX tracker up to date (Status, Notes, Completed on, at times an Owner
or a Target date of its own), as a coordinator would in Excel (here with openpyxl, rows sorted
too); `citcert audit` and `citcert batch` run again into the same folder must carry it into
the new tracker, keep a closed step's progress visible on an Earlier steps sheet, refuse a file
they cannot carry from (exit 2, nothing written) and simply replace a tracker nothing was typed
in. Everything is read back with openpyxl and with `citcert progress`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from citcert.app.manifest import MANIFEST
from citcert.cli import cli
from citcert.errors import ExitCode
from tests.audit.workbook_filler import set_answer, set_program

EXAMPLES = Path(__file__).parent.parent / "examples"
BRENNAN = EXAMPLES / "brennan-county.xlsx"
STEM = "brennan-county-crisis-intervention-team"
"""The report stem of Brennan County (25 plan steps, audited as of 2025-08-20)."""
TRACKER = f"{STEM}.xlsx"
AS_OF = "2026-03-01"
DONE = {"DSP-04", "PART-04", "INS-01", "SUS-01"}
TYPED: dict[str, tuple[str, str, dt.datetime | None]] = {
    **{rid: ("Done", f"Evidence for {rid} filed with the committee.", dt.datetime(2026, 1, 15))
       for rid in DONE},
    "DSP-01": ("in progress", "-Waiting on the crisis line", None),
}  # fmt: skip
"""
What the coordinator types: four steps done, one in progress, whose note a spreadsheet could
take for a formula (the new tracker stores it behind a single quote, as all text from a file).
"""
PROGRESS = f"As of {AS_OF}: 4 of 25 steps done, 1 in progress, 20 not started"


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def audit(workbook: Path, out: Path, formats: str = "xlsx") -> Result:
    return run("audit", workbook, "-o", out, "--format", formats)


def type_progress(path: Path, typed: Mapping[str, tuple[str, str, Any]] = TYPED) -> None:
    """Type statuses, notes and dates as a coordinator would, sorting the plan's rows first."""
    book = load_workbook(path)
    ws = book["Remediation plan"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) for name in header}
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    rows.sort(key=lambda r: str(r[col["Requirement"]]), reverse=True)
    for row in rows:
        if row[col["Requirement"]] in typed:
            status, notes, completed = typed[row[col["Requirement"]]]
            row[col["Status"]], row[col["Notes"]], row[col["Completed on"]] = (
                status,
                notes,
                completed,
            )
    for number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            ws.cell(number, index).value = value
    book.save(path)


def typed_in(path: Path, sheet: str = "Remediation plan") -> dict[str, tuple[Any, Any, Any]]:
    """Requirement → (status, notes, completed on) of every row with anything typed."""
    ws = load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    found = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        got = dict(zip(header, row, strict=False))
        if got["Status"] != "Not started" or got["Notes"] or got["Completed on"]:
            found[got["Requirement"]] = (got["Status"], got["Notes"], got["Completed on"])
    return found


def progress_of(path: Path) -> str:
    result = run("progress", path, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return result.stdout


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def closed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Brennan County a while later: DSP-04 is met now, so its gap, and its plan step, are gone."""
    book = load_workbook(BRENNAN)
    set_answer(book, "DSP-04", "Self rating", "Met")
    path = tmp_path_factory.mktemp("closed") / "brennan-2026.xlsx"
    book.save(path)
    return path


@pytest.fixture
def kept(tmp_path: Path) -> Path:
    """A folder of last audit's reports whose tracker the program kept up to date."""
    out = tmp_path / "rg"
    assert audit(BRENNAN, out).exit_code == 0
    type_progress(out / TRACKER)
    assert PROGRESS in progress_of(out / TRACKER)
    return out


class TestAudit:
    def test_a_re_audit_keeps_the_progress_typed(self, kept: Path) -> None:
        """The tester's case: audit again with more formats; "4 of 25 steps done" stays."""
        result = audit(BRENNAN, kept, "xlsx,json")

        assert result.exit_code == 0, result.output
        assert PROGRESS in progress_of(kept / TRACKER)
        assert result.stderr == (
            f"Kept the progress typed in the earlier tracker ({TRACKER}): 5 steps.\n"
        )
        assert typed_in(kept / TRACKER) == {
            "DSP-01": ("In progress", "'-Waiting on the crisis line", None),
            **{rid: ("Done", f"Evidence for {rid} filed with the committee.",
                     dt.datetime(2026, 1, 15)) for rid in DONE},
        }  # fmt: skip
        ws = load_workbook(kept / TRACKER)["Remediation plan"]
        assert ws.cell(2, 2).value == "DSP-01"  # the plan's own order again, not the sorted one
        same = run("progress", kept / TRACKER, "--audit", kept / f"{STEM}.json", "--as-of", AS_OF)
        assert same.exit_code == 0, same.output  # it holds the very plan of that audit
        assert ws.cell(2, 14).value == "In progress" and ws.cell(2, 15).data_type == "s"

    def test_an_owner_and_a_target_date_typed_over_are_kept(
        self, tmp_path: Path, kept: Path
    ) -> None:
        """
        The program names an officer for a step it typed nothing else on, and agrees a date for
        INS-01; audited again a month later, those stay as typed, while every other step's
        owner and target date is the new audit's (its target dates a month later too).
        """
        ws_book = load_workbook(kept / TRACKER)
        ws = ws_book["Remediation plan"]
        header = [c.value for c in ws[1]]
        owner, target = header.index("Owner") + 1, header.index("Target date") + 1
        rows = {ws.cell(r, 2).value: r for r in range(2, ws.max_row + 1)}
        before = {rid: ws.cell(r, target).value for rid, r in rows.items()}
        named = next(rid for rid in rows if rid not in TYPED)
        ws.cell(rows[named], owner).value = "Sgt. Ana Rivera"
        ws.cell(rows["INS-01"], target).value = dt.datetime(2026, 6, 30)
        ws_book.save(kept / TRACKER)
        later = load_workbook(BRENNAN)
        set_program(later, "assessment_date", dt.datetime(2025, 9, 20))
        workbook = tmp_path / "brennan-september.xlsx"
        later.save(workbook)

        result = audit(workbook, kept)

        assert result.exit_code == 0, result.output
        ids = ", ".join(sorted(["INS-01", named]))
        assert result.stderr == (
            f"Kept the progress typed in the earlier tracker ({TRACKER}): 6 steps. Kept as "
            f"typed: the owner or target date of 2 steps ({ids}).\n"
        )
        ws = load_workbook(kept / TRACKER)["Remediation plan"]
        rows = {ws.cell(r, 2).value: r for r in range(2, ws.max_row + 1)}
        assert ws.cell(rows[named], owner).value == "Sgt. Ana Rivera"
        assert ws.cell(rows["INS-01"], target).value == dt.datetime(2026, 6, 30)
        owners = {ws.cell(r, owner).value for rid, r in rows.items() if rid != named}
        assert "Sgt. Ana Rivera" not in owners
        for rid, r in rows.items():
            if rid != "INS-01":
                assert ws.cell(r, target).value == before[rid] + dt.timedelta(days=31), rid
        assert "As of 2026-03-01: 4 of 25 steps done" in progress_of(kept / TRACKER)

    def test_verbose_names_the_earlier_tracker_read_and_what_it_kept(
        self, tmp_path: Path, kept: Path, closed: Path
    ) -> None:
        """-v says which tracker was looked for, whether it was there, and what was kept."""
        out = tmp_path / "new"
        none = run("audit", "-v", BRENNAN, "-o", out, "--format", "xlsx")
        empty = run("audit", "-v", BRENNAN, "-o", out, "--format", "xlsx")
        typed = run("audit", "-v", closed, "-o", kept, "--format", "xlsx")

        assert none.exit_code == empty.exit_code == typed.exit_code == 0
        line = f"Earlier tracker: none at {out / TRACKER}; the new tracker starts with no progress"
        assert f"{line} typed." in none.stderr.splitlines()
        line = f"Earlier tracker: {out / TRACKER}, read: no progress typed in it, so nothing to"
        assert f"{line} keep." in empty.stderr.splitlines()
        line = f"Earlier tracker: {kept / TRACKER}, read: progress kept on 4 steps, 1 step on its"
        assert f"{line} Earlier steps sheet." in typed.stderr.splitlines()
        plain = run("audit", BRENNAN, "-o", tmp_path / "plain", "--format", "xlsx")
        assert "Earlier tracker" not in plain.stderr

    def test_a_closed_steps_progress_stays_visible(self, kept: Path, closed: Path) -> None:
        """DSP-04's gap closed: its step leaves the plan, its progress goes to Earlier steps."""
        result = audit(closed, kept)

        assert result.exit_code == 0, result.output
        assert result.stderr == (
            f"Kept the progress typed in the earlier tracker ({TRACKER}): 4 steps. 1 step with "
            "progress is no longer in the plan (typically its gap closed): it is listed on the "
            "tracker's Earlier steps sheet.\n"
        )
        assert f"As of {AS_OF}: 3 of 24 steps done, 1 in progress" in progress_of(kept / TRACKER)
        book = load_workbook(kept / TRACKER)
        assert book.sheetnames[3:5] == ["Remediation plan", "Earlier steps"]
        rows = list(book["Earlier steps"].iter_rows(values_only=True))
        assert rows == [
            ("Step", "Requirement", "Title", "Owner", "Target date", "Status", "Notes",
             "Completed on", "In the plan of the audit as of"),
            (16, "DSP-04", "Calls routed to crisis services when police are not needed",
             "Communications center manager, with the mental health partner lead",
             dt.datetime(2026, 8, 20), "Done", "Evidence for DSP-04 filed with the committee.",
             dt.datetime(2026, 1, 15), dt.datetime(2025, 8, 20)),
        ]  # fmt: skip
        summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0]}
        assert "1 step of an earlier plan" in summary["Earlier steps"]

        again = audit(closed, kept)  # the earlier steps are kept from tracker to tracker
        assert again.exit_code == 0, again.output
        assert "Its Earlier steps sheet (1 step) is kept too." in again.stderr
        assert (
            list(load_workbook(kept / TRACKER)["Earlier steps"].iter_rows(values_only=True)) == rows
        )
        book = load_workbook(kept / TRACKER)  # the plan's progress undone: the sheet alone stays
        plan = book["Remediation plan"]
        header = [c.value for c in plan[1]]
        for row in plan.iter_rows(min_row=2):
            row[header.index("Status")].value = "Not started"
            row[header.index("Notes")].value = None
            row[header.index("Completed on")].value = None
        book.save(kept / TRACKER)
        third = audit(closed, kept)
        assert third.stderr == (
            f"Kept the Earlier steps sheet of the earlier tracker ({TRACKER}): 1 step.\n"
        )

    def test_an_earlier_steps_sheet_without_owner_or_target_date_still_reads(
        self, kept: Path, closed: Path
    ) -> None:
        """A tracker written before Earlier steps kept Owner and Target date: its rows stay."""
        assert audit(closed, kept).exit_code == 0
        book = load_workbook(kept / TRACKER)
        book["Earlier steps"].delete_cols(4, 2)
        book.save(kept / TRACKER)
        assert [c.value for c in book["Earlier steps"][1]][3] == "Status"

        again = audit(closed, kept)

        assert again.exit_code == 0, again.output
        assert "Its Earlier steps sheet (1 step) is kept too." in again.stderr
        rows = list(load_workbook(kept / TRACKER)["Earlier steps"].iter_rows(values_only=True))
        assert rows[1] == (
            16, "DSP-04", "Calls routed to crisis services when police are not needed", None,
            None, "Done", "Evidence for DSP-04 filed with the committee.",
            dt.datetime(2026, 1, 15), dt.datetime(2025, 8, 20),
        )  # fmt: skip
        assert "3 of 24 steps done, 1 in progress" in progress_of(kept / TRACKER)

    def test_the_same_progress_gives_the_same_bytes(self, kept: Path, tmp_path: Path) -> None:
        """The progress kept is an input like the workbook: the same ones, the same tracker."""
        other = tmp_path / "copy"
        other.mkdir()
        shutil.copy(kept / TRACKER, other / TRACKER)
        assert audit(BRENNAN, kept).exit_code == 0
        assert audit(BRENNAN, other).exit_code == 0
        first = (kept / TRACKER).read_bytes()
        assert first == (other / TRACKER).read_bytes()
        assert len(typed_in(other / TRACKER)) == 5
        assert audit(BRENNAN, kept).exit_code == 0  # and once more from the tracker it wrote
        assert (kept / TRACKER).read_bytes() == first

    def test_an_untouched_tracker_is_simply_replaced(self, tmp_path: Path) -> None:
        """Nothing typed in it, nothing to keep: the same tracker a first audit writes."""
        fresh, out = tmp_path / "fresh", tmp_path / "out"
        assert audit(BRENNAN, fresh).exit_code == 0
        assert audit(BRENNAN, out).exit_code == 0
        result = audit(BRENNAN, out)
        assert result.exit_code == 0, result.output
        assert result.stderr == ""
        assert (out / TRACKER).read_bytes() == (fresh / TRACKER).read_bytes()

    def test_another_programs_untouched_tracker_is_replaced(self, tmp_path: Path) -> None:
        out = tmp_path / "out"
        assert audit(EXAMPLES / "lakemont-metro.xlsx", out).exit_code == 0
        (lakemont,) = out.iterdir()
        lakemont.rename(out / TRACKER)
        result = audit(BRENNAN, out)
        assert result.exit_code == 0, result.output
        assert "Brennan" in load_workbook(out / TRACKER)["Summary"]["B3"].value

    @pytest.mark.parametrize("what", ["workbook", "other program", "bad status"])
    def test_a_file_it_cannot_carry_from_is_refused(
        self, kept: Path, tmp_path: Path, what: str
    ) -> None:
        """Exit 2, one message naming the file and what to do, and nothing written or changed."""
        assert audit(BRENNAN, kept, "json,md").exit_code == 0  # the rest of last time's set
        if what == "workbook":  # an evidence workbook saved under the tracker's name
            shutil.copy(BRENNAN, kept / TRACKER)
        elif what == "other program":  # Lakemont's tracker, progress typed, under this name
            other = tmp_path / "other"
            assert audit(EXAMPLES / "lakemont-metro.xlsx", other).exit_code == 0
            (path,) = other.iterdir()
            first = load_workbook(path)["Remediation plan"]["B2"].value
            type_progress(path, {first: ("Done", "Lakemont's own note", None)})
            shutil.copy(path, kept / TRACKER)
        else:
            book = load_workbook(kept / TRACKER)
            book["Remediation plan"]["N3"] = "Nearly"
            book.save(kept / TRACKER)
        before = tree(kept)

        result = audit(BRENNAN, kept, "xlsx,json,md")

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert tree(kept) == before
        lines = result.stderr.splitlines()
        assert lines[0].startswith(f"Error: {kept / TRACKER} ")
        assert lines[0].endswith("nothing was written")
        assert lines[-1].endswith(
            "move it out of the folder (or write the reports to another folder with -o) and "
            "audit again"
        )
        if what != "other program":  # a file of this program's: what to correct comes first
            assert "Correct what is named above and audit again" in lines[-1]
        if what == "workbook":
            assert "not a citcert remediation tracker" in result.stderr
        elif what == "other program":
            assert "of 'Lakemont Metro" in result.stderr and "with progress typed in it" in lines[1]
        else:
            assert "Remediation plan!N3" in result.stderr and '"Nearly" is not a status' in lines[1]

    def test_a_workbook_migrated_to_a_new_version_keeps_its_trackers_progress(
        self, kept: Path, tmp_path: Path
    ) -> None:
        """
        The usual upgrade: the program migrates its workbook to 2019.3 and audits it into the
        same folder. Its 2019.1 tracker's progress follows each requirement along the line of
        succession; it is not refused as "another standard's tracker".
        """
        from tests.audit.workbook_filler import set_program

        newer = tmp_path / "brennan-2019.3.xlsx"
        moved = run("migrate", BRENNAN, "--to", "cit-best-practice@2019.3", "-o", newer)
        assert moved.exit_code == 0, moved.output
        book = load_workbook(newer)
        set_program(book, "program_structure", "Regional program")
        book.save(newer)
        assert audit(BRENNAN, kept).exit_code == 0  # as the carried progress reads
        before = typed_in(kept / TRACKER)

        result = audit(newer, kept)

        assert result.exit_code == 0, result.output
        assert f"Kept the progress typed in the earlier tracker ({TRACKER}): " in result.stderr
        assert "typed over" not in result.stderr  # 2019.1's owners and dates are not typed
        after = typed_in(kept / TRACKER)
        earlier = typed_in(kept / TRACKER, "Earlier steps")
        assert set(before) == {*DONE, "DSP-01"}
        assert {**after, **earlier} == before  # each where 2019.3's plan has it, none lost
        assert len(after) >= 4 and not set(after) & set(earlier)
        assert load_workbook(kept / TRACKER)["citcert tracker"]["B3"].value == (
            "cit-best-practice@2019.3"
        )

    def test_a_state_overlay_of_the_standard_keeps_the_progress_by_requirement(
        self, kept: Path, tmp_path: Path
    ) -> None:
        """
        The program moves from cit-best-practice@2019.1 to its state's overlay of it: the two
        share every requirement id, and no line of succession joins a standard and its own
        overlay, so steps continue by id (not all set aside as "no longer in the plan").
        """
        from tests.audit.workbook_filler import set_program

        standards = tmp_path / "standards"
        standards.mkdir()
        overlay = EXAMPLES / "overlays" / "northfield-state-2024.yaml"
        (standards / overlay.name).write_bytes(overlay.read_bytes())
        state = tmp_path / "brennan-northfield.xlsx"
        moved = run("--standards-dir", standards, "migrate", BRENNAN, "--to",
                    "northfield-cit@2024.1", "-o", state)  # fmt: skip
        assert moved.exit_code == 0, moved.output
        book = load_workbook(state)
        set_program(book, "state_data_submissions_12m", 4)
        book.save(state)
        assert audit(BRENNAN, kept).exit_code == 0  # as the carried progress reads
        before = typed_in(kept / TRACKER)

        result = run("--standards-dir", standards, "audit", state, "-o", kept, "--format", "xlsx")

        assert result.exit_code == 0, result.output
        after = typed_in(kept / TRACKER)
        sheets = load_workbook(kept / TRACKER).sheetnames
        earlier = typed_in(kept / TRACKER, "Earlier steps") if "Earlier steps" in sheets else {}
        assert {**after, **earlier} == before
        assert len(after) >= 4, result.stderr
        assert "no one requirement" not in result.stderr

    def test_renamed_and_merged_requirements_across_versions(self, tmp_path: Path) -> None:
        """
        Mini 1.0 to 2.0: PART-02 is renamed PART-03, TRN-01 and TRN-02 are merged into TRN-10.
        PART-02's progress goes to PART-03's step; the merged ones' cannot go to one step, so
        they are kept on Earlier steps and the message says why, not "their gap closed".
        """
        from tests.audit.test_migrate import _version_two
        from tests.audit.workbook_filler import MINI, blank, dump_yaml, fill, save

        standards = tmp_path / "standards"
        standards.mkdir()
        (standards / "mini.yaml").write_bytes(MINI.read_bytes())
        dump_yaml(_version_two(), standards / "mini-2.yaml")
        answers = {rid: {"Self rating": "Partially met", "Evidence summary": "Some."}
                   for rid in ("PART-01", "PART-02", "TRN-01", "TRN-02", "TRN-03")}  # fmt: skip
        numbers = {  # 5 of 120 trained, a meeting 2 years back: both metrics not met
            "patrol_officers": 120,
            "cit_officers": 5,
            "last_committee_meeting": dt.datetime(2022, 4, 2),
        }
        book = fill(blank(), answers=answers, numbers=numbers)
        source = save(book, tmp_path / "program.xlsx")
        out = tmp_path / "out"
        first = run("--standards-dir", standards, "audit", source, "-o", out, "--format", "xlsx")
        assert first.exit_code == 0, first.output
        (tracker,) = out.iterdir()
        plan = list(load_workbook(tracker)["Remediation plan"].iter_rows(values_only=True))
        steps = [row[1] for row in plan[1:]]
        assert {"PART-02", "TRN-01", "TRN-02"} <= set(steps)
        type_progress(tracker, {rid: ("In progress", f"On {rid}", None) for rid in steps})
        newer = tmp_path / "program-2.xlsx"
        moved = run("--standards-dir", standards, "migrate", source, "--to",
                    "mini-standard@2.0", "-o", newer)  # fmt: skip
        assert moved.exit_code == 0, moved.output

        result = run("--standards-dir", standards, "audit", newer, "-o", out, "--format", "xlsx")

        assert result.exit_code == 0, result.output
        after = typed_in(tracker)
        assert after["PART-03"] == ("In progress", "On PART-02", None)
        earlier = typed_in(tracker, "Earlier steps")
        assert {"TRN-01", "TRN-02"} <= set(earlier)
        said = " ".join(result.stderr.split())
        assert "of mini-standard@1.0 are on requirements that no one requirement of this " in said
        assert "(merged, split or dropped)" in said

    def test_a_completion_date_after_today_is_no_reason_to_refuse(self, kept: Path) -> None:
        """`progress` refuses a date after today; carrying it never depends on the day."""
        type_progress(kept / TRACKER, {"POP-02": ("Done", "", dt.datetime(2999, 1, 1))})
        result = audit(BRENNAN, kept)
        assert result.exit_code == 0, result.output
        assert typed_in(kept / TRACKER)["POP-02"] == ("Done", None, dt.datetime(2999, 1, 1))


def two_typed(tmp_path: Path, closed: Path, formats: str) -> tuple[Path, Path, Path, Path]:
    """
    A batch of one program's 2025 and 2026 workbooks, run once with `formats`, and progress
    typed in both trackers: the input folder, the output folder, and the two trackers.
    """
    state, out = tmp_path / "state", tmp_path / "out"
    state.mkdir()
    shutil.copy(BRENNAN, state / "a-2025.xlsx")
    shutil.copy(closed, state / "b-2026.xlsx")
    assert run("batch", state, "-o", out, "--format", formats).exit_code == 0
    one, two = out / STEM / TRACKER, next(out.glob(f"{STEM}-*/*.xlsx"))
    type_progress(one)
    type_progress(two, {"SUS-01": ("Done", "The 2026 assessment's own", None)})
    return state, out, one, two


class TestBatch:
    def test_a_re_run_keeps_each_programs_progress(self, tmp_path: Path, closed: Path) -> None:
        """Two assessments of one program take two folders; each tracker keeps its own."""
        state, out = tmp_path / "state", tmp_path / "out"
        state.mkdir()
        shutil.copy(BRENNAN, state / "a-2025.xlsx")
        shutil.copy(closed, state / "b-2026.xlsx")
        first = run("batch", state, "-o", out, "--format", "xlsx,json", "--jobs", "2")
        assert first.exit_code == 0, first.output
        (one, two) = sorted(out.glob(f"{STEM}*/{STEM}*.xlsx"), key=lambda p: len(p.name))
        type_progress(one)
        type_progress(two, {"SUS-01": ("Done", "The 2026 assessment's own", None)})

        result = run("batch", state, "-o", out, "--format", "xlsx,json", "--jobs", "2")

        assert result.exit_code == 0, result.output
        assert PROGRESS in progress_of(one)
        assert "1 of 24 steps done" in progress_of(two)
        assert typed_in(two) == {"SUS-01": ("Done", "The 2026 assessment's own", None)}
        assert (
            f"Kept the progress typed in the earlier tracker ({STEM}/{TRACKER}): 5 steps."
            in result.stderr
        )
        assert f"({two.parent.name}/{two.name}): 1 step." in result.stderr
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        assert (
            manifest["sha256"][f"{STEM}/{TRACKER}"] == hashlib.sha256(one.read_bytes()).hexdigest()
        )

    def test_a_folder_stays_with_its_workbook_when_the_other_leaves(
        self, tmp_path: Path, closed: Path
    ) -> None:
        """
        The program's 2025 workbook leaves the batch: the 2026 one keeps its own folder and
        progress, and the 2025 reports and tracker stay as they were (it used to move into the
        plain folder, replace them, and carry the 2025 tracker's progress into its own).
        """
        state, out, one, two = two_typed(tmp_path, closed, "xlsx,json")
        before = tree(out / STEM)
        (state / "a-2025.xlsx").unlink()

        result = run("batch", state, "-o", out, "--format", "xlsx,json", "--jobs", "2")

        assert result.exit_code == 0, result.output
        assert tree(out / STEM) == before
        assert typed_in(two) == {"SUS-01": ("Done", "The 2026 assessment's own", None)}
        assert f"({two.parent.name}/{two.name}): 1 step." in result.stderr
        assert f"Kept the earlier reports {STEM}/" in result.stderr
        rows = json.loads((out / "summary.json").read_text(encoding="utf-8"))["rows"]
        assert [(r["file"], r["reports"]) for r in rows] == [("b-2026.xlsx", two.parent.name)]
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        assert manifest["folders"] == {"a-2025.xlsx": STEM, "b-2026.xlsx": two.parent.name}

        (state / "a-2025.xlsx").write_bytes(BRENNAN.read_bytes())  # and comes back
        again = run("batch", state, "-o", out, "--format", "xlsx,json")

        assert again.exit_code == 0, again.output
        assert PROGRESS in progress_of(one)
        assert typed_in(two) == {"SUS-01": ("Done", "The 2026 assessment's own", None)}

    def test_a_folder_is_kept_for_its_workbook_over_a_run_it_misses(
        self, tmp_path: Path, closed: Path
    ) -> None:
        """
        With only the tracker written, the 2026 workbook misses a run, then comes back as the
        2025 one leaves: it finds its own folder and progress, not the 2025 one's (its claim
        used to lapse once its typed-into tracker was no longer as citcert wrote it).
        """
        state, out, one, two = two_typed(tmp_path, closed, "xlsx")
        (state / "b-2026.xlsx").rename(tmp_path / "b-2026.xlsx")

        missed = run("batch", state, "-o", out, "--format", "xlsx")

        assert missed.exit_code == 0, missed.output
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        assert manifest["folders"] == {"a-2025.xlsx": STEM, "b-2026.xlsx": two.parent.name}
        (state / "a-2025.xlsx").unlink()
        (tmp_path / "b-2026.xlsx").rename(state / "b-2026.xlsx")
        before = tree(out / STEM)

        back = run("batch", state, "-o", out, "--format", "xlsx")

        assert back.exit_code == 0, back.output
        assert tree(out / STEM) == before
        assert PROGRESS in progress_of(one)
        assert typed_in(two) == {"SUS-01": ("Done", "The 2026 assessment's own", None)}
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        assert manifest["folders"] == {"a-2025.xlsx": STEM, "b-2026.xlsx": two.parent.name}

    def test_a_subfolder_emptied_renames_no_other_workbook(
        self, tmp_path: Path, closed: Path
    ) -> None:
        """
        The 2025 subfolder goes: the 2026 workbook is still `2026/brennan.xlsx` (its name used
        to be the folder its files share, so it lost its claim) and keeps its own folder.
        """
        state, out = tmp_path / "state", tmp_path / "out"
        (state / "2025").mkdir(parents=True)
        (state / "2026").mkdir()
        shutil.copy(BRENNAN, state / "2025" / "brennan.xlsx")
        shutil.copy(closed, state / "2026" / "brennan.xlsx")
        assert run("batch", state, "-o", out, "--format", "xlsx").exit_code == 0
        one, two = out / STEM / TRACKER, next(out.glob(f"{STEM}-*/*.xlsx"))
        type_progress(one)
        type_progress(two, {"SUS-01": ("Done", "The 2026 assessment's own", None)})
        before = tree(out / STEM)
        shutil.rmtree(state / "2025")

        result = run("batch", state, "-o", out, "--format", "xlsx")

        assert result.exit_code == 0, result.output
        assert tree(out / STEM) == before
        assert typed_in(two) == {"SUS-01": ("Done", "The 2026 assessment's own", None)}
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        folders = {"2025/brennan.xlsx": STEM, "2026/brennan.xlsx": two.parent.name}
        assert manifest["folders"] == folders

    def test_files_listed_one_by_one_keep_their_folders_when_one_goes(
        self, tmp_path: Path, closed: Path
    ) -> None:
        """
        A shell expands `state/*/*.xlsx` to the files: once the 2025 one is gone, the 2026 one
        is named `brennan.xlsx` below its own folder, and its earlier name, the end of its
        path, keeps it its folder (it took the 2025 one's and carried that progress).
        """
        state, out = tmp_path / "state", tmp_path / "out"
        for year, source in (("2025", BRENNAN), ("2026", closed)):
            (state / year).mkdir(parents=True)
            shutil.copy(source, state / year / "brennan.xlsx")
        files = [state / "2025" / "brennan.xlsx", state / "2026" / "brennan.xlsx"]
        assert run("batch", *files, "-o", out, "--format", "xlsx").exit_code == 0
        one, two = out / STEM / TRACKER, next(out.glob(f"{STEM}-*/*.xlsx"))
        type_progress(one)
        type_progress(two, {"SUS-01": ("Done", "The 2026 assessment's own", None)})
        before = tree(out / STEM)
        shutil.rmtree(state / "2025")

        result = run("batch", files[1], "-o", out, "--format", "xlsx")

        assert result.exit_code == 0, result.output
        assert tree(out / STEM) == before
        assert typed_in(two) == {"SUS-01": ("Done", "The 2026 assessment's own", None)}
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        assert manifest["folders"] == {"2025/brennan.xlsx": STEM, "brennan.xlsx": two.parent.name}

    def test_a_folder_given_another_way_keeps_each_workbooks_folder(
        self, tmp_path: Path, closed: Path
    ) -> None:
        """`batch state/subs`, then `batch state`: every name grows `subs/`, no folder moves."""
        state, out = tmp_path / "state", tmp_path / "out"
        (state / "subs").mkdir(parents=True)
        shutil.copy(BRENNAN, state / "subs" / "a-2025.xlsx")
        shutil.copy(closed, state / "subs" / "b-2026.xlsx")
        assert run("batch", state / "subs", "-o", out, "--format", "xlsx").exit_code == 0
        one, two = out / STEM / TRACKER, next(out.glob(f"{STEM}-*/*.xlsx"))
        type_progress(one)
        type_progress(two, {"SUS-01": ("Done", "The 2026 assessment's own", None)})

        result = run("batch", state, "-o", out, "--format", "xlsx")

        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [STEM, two.parent.name]
        assert PROGRESS in progress_of(one)
        assert typed_in(two) == {"SUS-01": ("Done", "The 2026 assessment's own", None)}
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        folders = {"subs/a-2025.xlsx": STEM, "subs/b-2026.xlsx": two.parent.name}
        assert manifest["folders"] == folders

    def test_a_renamed_workbook_takes_its_folder_and_progress(self, tmp_path: Path) -> None:
        """A new name for the same program's file: it is its folder, and its tracker."""
        state, out = tmp_path / "state", tmp_path / "out"
        state.mkdir()
        shutil.copy(BRENNAN, state / "brennan-2025.xlsx")
        assert run("batch", state, "-o", out, "--format", "xlsx").exit_code == 0
        type_progress(out / STEM / TRACKER)
        (state / "brennan-2025.xlsx").rename(state / "brennan-county.xlsx")

        result = run("batch", state, "-o", out, "--format", "xlsx")

        assert result.exit_code == 0, result.output
        assert PROGRESS in progress_of(out / STEM / TRACKER)
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        assert manifest["folders"] == {"brennan-county.xlsx": STEM}

    def test_a_manifest_naming_another_folder_for_a_workbook_is_not_followed(
        self, tmp_path: Path
    ) -> None:
        """An edited manifest cannot send a program's reports into another folder."""
        state, out = tmp_path / "state", tmp_path / "out"
        state.mkdir()
        shutil.copy(BRENNAN, state / "brennan.xlsx")
        shutil.copy(EXAMPLES / "pine-hollow-rural.xlsx", state / "pine.xlsx")
        assert run("batch", state, "-o", out, "--format", "xlsx").exit_code == 0
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        pine = manifest["folders"]["pine.xlsx"]
        for folder in (pine, "../elsewhere", "con", f"{STEM}-not-a-hash"):
            manifest["folders"]["brennan.xlsx"] = folder
            (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")

            result = run("batch", state, "-o", out, "--format", "xlsx")

            assert result.exit_code == 0, result.output
            written = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["folders"]
            assert written == {"brennan.xlsx": STEM, "pine.xlsx": pine}
            assert sorted(p.name for p in out.iterdir() if p.is_dir()) == sorted([STEM, pine])

    def test_a_file_it_cannot_carry_from_fails_that_program_only(self, tmp_path: Path) -> None:
        state, out = tmp_path / "state", tmp_path / "out"
        state.mkdir()
        shutil.copy(BRENNAN, state / "brennan.xlsx")
        shutil.copy(EXAMPLES / "pine-hollow-rural.xlsx", state / "pine.xlsx")
        assert run("batch", state, "-o", out, "--format", "xlsx,json").exit_code == 0
        shutil.copy(BRENNAN, out / STEM / TRACKER)  # a workbook saved under the tracker's name
        before = tree(out / STEM)

        result = run("batch", state, "-o", out, "--format", "xlsx,json")

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert tree(out / STEM) == before
        assert "Could not audit brennan.xlsx:" in result.stderr
        assert "not a citcert remediation tracker" in result.stderr
        assert f"Kept the earlier reports {STEM}/" in result.stderr
        rows = json.loads((out / "summary.json").read_text(encoding="utf-8"))["rows"]
        assert [r["audited"] for r in rows] == [False, True]

    def test_a_tracker_still_as_citcert_wrote_it_is_replaced(self, tmp_path: Path) -> None:
        """One the manifest vouches for (an older citcert's, say) holds nothing typed."""
        state, out = tmp_path / "state", tmp_path / "out"
        state.mkdir()
        shutil.copy(BRENNAN, state / "brennan.xlsx")
        assert run("batch", state, "-o", out, "--format", "xlsx").exit_code == 0
        fresh = (out / STEM / TRACKER).read_bytes()
        book = load_workbook(out / STEM / TRACKER)  # no hidden sheet, as before citcert had one
        del book["citcert tracker"]
        book.save(out / STEM / TRACKER)
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        sha = hashlib.sha256((out / STEM / TRACKER).read_bytes()).hexdigest()
        manifest["sha256"][f"{STEM}/{TRACKER}"] = sha
        (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")

        result = run("batch", state, "-o", out, "--format", "xlsx")

        assert result.exit_code == 0, result.output
        assert (out / STEM / TRACKER).read_bytes() == fresh


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, ...]:
    """
    The tracker and plan of one audit of Brennan County, its standard, the folder of its
    reports, and the assessment.
    """
    from citcert.audit.assessment import Assessment
    from citcert.standards import find_standard
    from citcert.workbook.tracker import read_tracker

    out = tmp_path_factory.mktemp("retyped")
    assert audit(BRENNAN, out, "xlsx,json").exit_code == 0
    tracker = read_tracker(out / TRACKER, today=dt.date(2999, 1, 1))
    assessment = Assessment.model_validate_json((out / f"{STEM}.json").read_bytes())
    return tracker, assessment.plan, find_standard(tracker.standard_ref), out, assessment


def typed_owner(source: Path, path: Path, row: int = 2, owner: str = "Lt. Okafor") -> Path:
    """A copy of the tracker `source` with only the Owner of one step typed over."""
    book = load_workbook(source)
    ws = book["Remediation plan"]
    column = [c.value for c in ws[1]].index("Owner") + 1
    ws.cell(row, column).value = owner
    book.save(path)
    return path


class TestRetyped:
    """Which owners and target dates `keep_progress` takes for the program's own."""

    def test_what_the_audit_wrote_is_not_taken_for_typed(self, written: tuple[Any, ...]) -> None:
        from citcert.audit.progress import keep_progress

        tracker, plan, standard, *_ = written

        assert keep_progress(tracker, plan, None, standard).steps == {}
        assert keep_progress(tracker, plan).steps == {}

    def test_an_older_versions_owner_is_not_taken_for_typed(
        self, written: tuple[Any, ...]
    ) -> None:
        """
        The tracker holds the owner an older standard gave the step, the new plan another:
        the older one is not the program's, and the new plan's owner stays. Typed over what
        either wrote, it is kept; without the older standard the new plan's owner stays, and the
        earlier one is added to the step's notes (it may have been typed: it is not lost).
        """
        from citcert.audit.progress import keep_progress

        tracker, plan, standard, *_ = written
        first = plan.steps[0]
        renamed = plan.model_copy(
            update={"steps": (first.model_copy(update={"owner": "CIT board"}), *plan.steps[1:])}
        )
        assert keep_progress(tracker, renamed, None, standard).steps == {}

        step = tracker.steps[0].model_copy(update={"owner": "Lt. Okafor"})
        typed_over = tracker.model_copy(update={"steps": (step, *tracker.steps[1:])})
        kept = keep_progress(typed_over, renamed, None, standard).steps

        assert {rid: (t.owner, t.target_date) for rid, t in kept.items()} == {
            first.requirement_id: ("Lt. Okafor", None)
        }
        unjudged = keep_progress(typed_over, renamed)
        note = f"Earlier tracker (as of {tracker.as_of}): owner Lt. Okafor."
        assert {rid: (t.owner, t.notes) for rid, t in unjudged.steps.items()} == {
            first.requirement_id: (None, note)
        }
        assert unjudged.noted == (first.requirement_id,)

    def test_a_standard_changed_under_its_version_makes_no_date_look_typed(
        self, written: tuple[Any, ...], tmp_path: Path
    ) -> None:
        """
        The same id@version, one horizon changed since the tracker was written: its dates are
        not taken for typed (each would otherwise be frozen into the new tracker), and the
        message says owners and target dates could not be told apart.
        """
        from citcert.app.carry import earlier_progress, kept_sentence

        _, plan, standard, out, assessment = written
        planned = plan.steps[0].requirement_id

        def later(req: Any) -> Any:
            if req.id != planned:
                return req
            horizon = req.remediation.horizon_days + 15
            return req.model_copy(
                update={"remediation": req.remediation.model_copy(update={"horizon_days": horizon})}
            )

        moved = standard.model_copy(
            update={
                "domains": tuple(
                    d.model_copy(update={"requirements": tuple(map(later, d.requirements))})
                    for d in standard.domains
                )
            }
        )
        assert moved.requirement(planned) != standard.requirement(planned)
        path = tmp_path / TRACKER
        shutil.copy(out / TRACKER, path)
        type_progress(path)

        kept = earlier_progress(path, assessment, standard=moved)
        same = earlier_progress(path, assessment, standard=standard)

        assert kept is not None and same is not None
        assert not kept.owners_judged and same.owners_judged
        assert kept.retyped == same.retyped == ()
        assert "citcert cannot tell which were typed over" in kept_sentence(kept, TRACKER)
        assert "cannot tell" not in kept_sentence(same, TRACKER)
        assert {t.target_date for t in kept.steps.values()} == {None}
        assert kept.noted == ()  # every owner and date is what this audit's standard writes

    def test_an_owner_typed_alone_is_not_lost_when_the_standard_changed(
        self, written: tuple[Any, ...], tmp_path: Path
    ) -> None:
        """
        Only an owner typed over, and the standard changed under its version since: which owners
        were typed cannot be told, so the new plan's stays, and the earlier one goes into the
        step's notes, which the message names, rather than being dropped with the old file.
        """
        from citcert.app.carry import earlier_progress, kept_sentence

        _, plan, standard, out, assessment = written
        moved = standard.model_copy(update={"summary": f"{standard.summary} Revised."})
        path = typed_owner(out / TRACKER, tmp_path / TRACKER)
        first = plan.steps[0].requirement_id

        kept = earlier_progress(path, assessment, standard=moved)

        assert kept is not None and not kept.owners_judged
        assert kept.noted == (first,) and kept.steps[first].owner is None
        assert kept.steps[first].notes.endswith("owner Lt. Okafor.")
        said = kept_sentence(kept, TRACKER)
        assert f"differ (1 step: {first}), they are added to the step's Notes" in said

    def test_another_programs_tracker_with_an_owner_typed_is_refused(
        self, written: tuple[Any, ...], tmp_path: Path
    ) -> None:
        """
        Only an owner typed in another program's tracker is still something typed: refused
        (exit 2 from the command), not replaced; with nothing typed it is simply replaced.
        """
        from citcert.app.carry import earlier_progress
        from citcert.errors import OutputError

        _, _, standard, out, assessment = written
        profile = assessment.profile.model_copy(update={"program_name": "Pine Hollow CIT"})
        other = assessment.model_copy(update={"profile": profile})
        path = typed_owner(out / TRACKER, tmp_path / TRACKER)

        with pytest.raises(OutputError, match="another program's tracker"):
            earlier_progress(path, other, standard=standard)
        assert earlier_progress(out / TRACKER, other, standard=standard) is None
