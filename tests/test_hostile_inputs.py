"""
One file never stops everything: whatever a workbook or a standards folder holds (a named pipe,
a link to /dev/zero, a folder named like a file, numbers and dates out of range, odd digits in
the hidden sheet), it is one located error, and in a batch one error row among the others.

Also the batch's folder names (`unique_slug`), by property tests: always found, never one of
citcert's own files or a name Windows reserves, unique under case and Unicode folding.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from citcert.app.discovery import _SAFE_NAME, folded, unique_slug
from citcert.cli import cli
from citcert.errors import ExitCode
from citcert.export import WINDOWS_RESERVED
from tests.audit.workbook_filler import MINI, blank, dump_yaml, fill, load_yaml, save, set_program

OWN_FILES = {"summary.pdf", "summary.xlsx", "summary.csv", "summary.json"}
OWN_FILES |= {".citcert-manifest.json", ".citcert-lock"}


@pytest.fixture(scope="module")
def standards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("standards")
    dump_yaml(load_yaml(MINI), folder / "mini.yaml")
    return folder


def invoke(standards: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--standards-dir", str(standards), *args])


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """citcert as a subprocess, with a timeout: a hang fails the test instead of the suite."""
    command = [sys.executable, "-m", "citcert", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def workbook(path: Path, name: str = "Riverton CIT Program", **program: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book = fill(blank())
    set_program(book, "program_name", name)
    for key, value in program.items():
        set_program(book, key, value)
    return save(book, path)


def with_meta(path: Path, key: str, value: object) -> Path:
    """Change one value of the hidden metadata sheet."""
    book = load_workbook(path)
    for row in book["citcert"].iter_rows():
        if row[0].value == key:
            row[1].value = value
    book.save(path)
    return path


# ---------------------------------------------------------------------------------------------
# Files that are not files


class TestOnlyRegularFilesAreRead:
    @pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
    def test_audit_of_something_that_is_not_a_file_is_one_located_error(
        self, tmp_path: Path, standards: Path, kind: str
    ) -> None:
        path = tmp_path / "program.xlsx"
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "dev-zero":
            path.symlink_to("/dev/zero")
        else:
            path.mkdir()

        done = run("--standards-dir", str(standards), "audit", str(path), timeout=60)

        assert done.returncode == ExitCode.INPUT_ERROR, done.stderr
        assert "program.xlsx" in done.stderr
        assert "Traceback" not in done.stderr

    @pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
    def test_a_standards_folder_holding_a_non_file_still_lists_its_standards(
        self, tmp_path: Path, standards: Path, kind: str
    ) -> None:
        folder = tmp_path / "more"
        folder.mkdir()
        dump_yaml(load_yaml(MINI), folder / "mini.yaml")
        odd = folder / "x.yaml"
        if kind == "fifo":
            os.mkfifo(odd)
        elif kind == "dev-zero":
            odd.symlink_to("/dev/zero")
        else:
            odd.mkdir()

        done = run("--standards-dir", str(folder), "standards", "list", timeout=60)

        assert done.returncode == ExitCode.OK, done.stderr
        assert "mini-standard" in done.stdout

    @pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
    def test_an_overlay_that_is_not_a_file_is_refused(
        self, tmp_path: Path, standards: Path, kind: str
    ) -> None:
        book = workbook(tmp_path / "p.xlsx")
        overlay = tmp_path / "state.yaml"
        os.mkfifo(overlay) if kind == "fifo" else overlay.symlink_to("/dev/zero")

        done = run(
            "--standards-dir", str(standards), "audit", str(book), "--overlay", str(overlay),
            timeout=60,
        )  # fmt: skip

        assert done.returncode == ExitCode.INPUT_ERROR, done.stderr
        assert "state.yaml" in done.stderr and "not a standard file" in done.stderr

    @pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
    def test_compare_of_a_pipe_is_refused(self, tmp_path: Path, standards: Path, kind: str) -> None:
        pipe = tmp_path / "old.json"
        os.mkfifo(pipe) if kind == "fifo" else pipe.symlink_to("/dev/zero")

        done = run("--standards-dir", str(standards), "compare", str(pipe), str(pipe), timeout=60)

        assert done.returncode == ExitCode.INPUT_ERROR, done.stderr
        assert "old.json" in done.stderr


# ---------------------------------------------------------------------------------------------
# Numbers and dates, checked where they enter


class TestRanges:
    @pytest.mark.parametrize(
        "value",
        ["1e999", "9" * 401, 10**30, 1e308, "inf", "-1e999", "1" + "0" * 13, "NaN"],
    )
    def test_a_number_out_of_range_is_a_located_error(
        self, tmp_path: Path, standards: Path, value: object
    ) -> None:
        book = workbook(tmp_path / "p.xlsx", patrol_officers=value)

        result = invoke(standards, "audit", str(book))

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert "Program!C15 (Patrol officers)" in result.stderr
        assert not isinstance(result.exception, ValueError | OverflowError)

    @pytest.mark.parametrize("date", ["1850-01-01", "0001-01-01", dt.datetime(1899, 12, 31)])
    def test_a_date_before_1900_is_a_located_error(
        self, tmp_path: Path, standards: Path, date: object
    ) -> None:
        book = workbook(tmp_path / "p.xlsx", last_committee_meeting=date)

        result = invoke(standards, "audit", str(book))

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert "Program!C17" in result.stderr

    @pytest.mark.parametrize(
        ("field", "cell"), [("assessment_date", "C12"), ("last_committee_meeting", "C17")]
    )
    @pytest.mark.parametrize("date", [dt.datetime(9999, 12, 31), dt.datetime(3000, 1, 1)])
    def test_a_date_after_2999_is_a_located_error(
        self, tmp_path: Path, standards: Path, field: str, cell: str, date: dt.datetime
    ) -> None:
        """Every deadline counted from it could not be dated (9999 crashed with exit 70)."""
        book = workbook(tmp_path / "p.xlsx", **{field: date})

        for command in ("validate", "audit"):
            result = invoke(standards, command, str(book))

            assert result.exit_code == ExitCode.INPUT_ERROR, result.output
            assert f"Program!{cell} " in result.stderr
            assert f"{date.date().isoformat()} is after 2999; check the year" in result.stderr

    @pytest.mark.parametrize("as_of", ["1975-03-01", "1979-12-31"])
    def test_reports_of_an_assessment_before_1980_are_written(
        self, tmp_path: Path, standards: Path, as_of: str
    ) -> None:
        """A zip holds no date before 1980; the XLSX tracker is dated at its earliest instead."""
        book = workbook(
            tmp_path / "p.xlsx",
            assessment_date=dt.datetime(1975, 3, 1),
            last_committee_meeting=dt.datetime(1975, 2, 1),
        )
        documents = load_workbook(book)
        documents["Documents"].delete_rows(4, 100)  # their dates lie after the as-of date
        documents.save(book)
        out = tmp_path / "out"

        result = invoke(standards, "audit", str(book), "--as-of", as_of, "-o", str(out))

        assert result.exit_code == ExitCode.OK, result.output
        tracker = load_workbook(out / "riverton-cit-program.xlsx")
        assert tracker.sheetnames

    @pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01"])
    def test_an_as_of_out_of_range_is_refused_before_the_workbook_is_read(
        self, tmp_path: Path, standards: Path, as_of: str
    ) -> None:
        missing_name_is_fine = tmp_path / "p.xlsx"
        missing_name_is_fine.write_bytes(b"not even a workbook")

        result = invoke(standards, "audit", str(missing_name_is_fine), "--as-of", as_of)

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert f"--as-of: {as_of}" in result.stderr

    @pytest.mark.parametrize("command", ["batch", "progress", "validate"])
    def test_every_as_of_has_the_same_range(
        self, tmp_path: Path, standards: Path, command: str
    ) -> None:
        """batch and progress took any day (9999-01-01: "4 reviews overdue"), validate crashed."""
        given = tmp_path / "in.xlsx"
        given.write_bytes(b"not even a workbook")
        out = tmp_path / "out"
        args = [str(given), "-o", str(out)] if command == "batch" else [str(given)]

        result = invoke(standards, command, *args, "--as-of", "9999-01-01")

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert "--as-of: 9999-01-01 is not a day citcert can judge dates by" in result.stderr
        assert not out.exists()

    @pytest.mark.parametrize(
        ("typed", "shown"),
        [
            (None, "nothing"),
            (42, "“42”"),
            ("mini-standard", "“mini-standard”"),
            ("a b@1", "“a b@1”"),
        ],
    )
    def test_a_standard_ref_changed_in_the_hidden_sheet_is_refused_at_its_cell(
        self, tmp_path: Path, standards: Path, typed: object, shown: str
    ) -> None:
        """Before, a blank cell read as the text "None": "there is no standard None"."""
        book = with_meta(workbook(tmp_path / "p.xlsx"), "standard_ref", typed)

        for command in ("validate", "audit"):
            result = invoke(standards, command, str(book))

            assert result.exit_code == ExitCode.INPUT_ERROR, result.output
            assert result.stderr == (
                "Error: p.xlsx: citcert!B2: its hidden citcert sheet was changed: it must record "
                f"the standard the workbook was made for as id@version, and holds {shown}. Make a "
                "fresh workbook with `citcert template` and copy your answers into it\n"
            )

    @pytest.mark.parametrize("version", ["²", "٣", "1e3", "", " 1 2", "1" * 40])
    def test_odd_digits_in_the_hidden_sheet_are_a_located_error(
        self, tmp_path: Path, standards: Path, version: str
    ) -> None:
        book = with_meta(workbook(tmp_path / "p.xlsx"), "layout_version", version)

        result = invoke(standards, "validate", str(book))

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert "p.xlsx:" in result.stderr
        assert isinstance(result.exception, SystemExit)


# ---------------------------------------------------------------------------------------------
# Folder names of a batch


_RESERVED = st.sampled_from(
    ["summary", "summary.pdf", "SUMMARY.json", "con", "CON", "nul", "aux", "com1", "LPT1", "prn"]
)
_STEMS = st.one_of(_RESERVED, st.text(max_size=12), st.text("aAsSßẞﬀK\u212a-._ ", max_size=6))


class TestFolderNames:
    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.tuples(_STEMS, st.text(max_size=8)), max_size=30))
    def test_every_name_is_found_allowed_and_unique_when_folded(
        self, programs: list[tuple[str, str]]
    ) -> None:
        taken: set[str] = set()
        slugs = [unique_slug(stem, name, taken) for stem, name in programs]

        keys = [folded(s) for s in slugs]
        assert len(set(keys)) == len(slugs)
        for slug, key in zip(slugs, keys, strict=True):
            assert _SAFE_NAME.fullmatch(slug), slug
            assert key not in {folded(n) for n in OWN_FILES}
            assert key.split(".")[0].rstrip() not in WINDOWS_RESERVED
            assert not slug.startswith(".")

    @settings(max_examples=300, deadline=None)
    @given(
        st.lists(st.tuples(_STEMS, st.text(max_size=8), st.text(max_size=12)), max_size=20),
    )
    def test_a_folder_read_from_a_manifest_keeps_every_rule(
        self, programs: list[tuple[str, str, str]]
    ) -> None:
        """Whatever an edited manifest says a workbook's folder was, the name keeps the rules."""
        taken: set[str] = set()
        slugs = [unique_slug(stem, name, taken, own) for stem, name, own in programs]

        assert len({folded(s) for s in slugs}) == len(slugs)
        for slug in slugs:
            assert _SAFE_NAME.fullmatch(slug), slug
            assert folded(slug) not in {folded(n) for n in OWN_FILES}
            assert folded(slug).split(".")[0].rstrip() not in WINDOWS_RESERVED

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.tuples(_STEMS, st.text(max_size=8)), min_size=1, max_size=12))
    def test_a_workbook_is_given_back_the_folder_it_had(
        self, programs: list[tuple[str, str]]
    ) -> None:
        """Run again in another order, each workbook gets the folder the first run gave it."""
        taken: set[str] = set()
        first = {(stem, name): unique_slug(stem, name, taken) for stem, name in programs}
        again: set[str] = set()
        for (stem, name), slug in reversed(first.items()):
            assert unique_slug(stem, name, again, slug) == slug

    def test_a_folder_of_another_program_is_not_taken_back(self) -> None:
        """A folder named for another program (an edited manifest) is not this workbook's."""
        taken: set[str] = set()

        assert unique_slug("Lake County CIT", "lake.xlsx", taken, "Hill County CIT") == (
            "Lake County CIT"
        )
        assert unique_slug("Lake County CIT", "b.xlsx", taken, "Lake County CIT-zz9") != (
            "Lake County CIT-zz9"
        )

    def test_many_programs_named_summary_each_get_a_folder(self) -> None:
        """The loop that never ended: every name starting with `summary`."""
        taken: set[str] = set()
        slugs = [unique_slug("summary", "same-file.xlsx", taken) for _ in range(200)]

        assert len(set(slugs)) == 200

    def test_names_differing_only_in_case_or_form_get_different_folders(self) -> None:
        taken: set[str] = set()
        first = unique_slug("Straße", "a.xlsx", taken)
        second = unique_slug("STRASSE", "b.xlsx", taken)
        third = unique_slug("stra\u00dfe", "c.xlsx", taken)

        assert len({folded(s) for s in (first, second, third)}) == 3


# ---------------------------------------------------------------------------------------------
# A bad workbook never stops the run


HOSTILE = 10


def hostile_state(root: Path) -> list[str]:
    """Twenty good workbooks (odd names among them) and ten hostile ones; the hostile names."""
    good = ["Summary", "summary county", "Summary.pdf CIT", "CON", "Nul", "Straße CIT"]
    good += ["STRASSE CIT", *(f"County {i:02d} CIT" for i in range(14))]
    for index, name in enumerate(good[:20]):
        workbook(root / f"good-{index:02d}.xlsx", name)
    bad = root / "bad"
    bad.mkdir()
    os.mkfifo(bad / "pipe.xlsx")
    (bad / "zero.xlsx").symlink_to("/dev/zero")
    with_meta(workbook(bad / "odd-digit.xlsx"), "layout_version", "²")
    workbook(bad / "overflow.xlsx", patrol_officers="1e999")
    workbook(bad / "digits.xlsx", patrol_officers="9" * 401)
    workbook(bad / "ancient.xlsx", last_committee_meeting="1850-01-01")
    (bad / "empty.xlsx").write_bytes(b"")
    (bad / "web-page.xlsx").write_text("<html><table></table></html>", encoding="utf-8")
    with_meta(workbook(bad / "unknown-standard.xlsx"), "standard_ref", "nope@9")
    workbook(bad / "huge-count.xlsx", cit_officers=10**30)
    (root / "folder.xlsx").mkdir()  # a folder named like a workbook is not one
    return sorted(f"bad/{p.name}" for p in bad.iterdir())


def test_a_batch_of_30_with_10_hostile_workbooks_completes(tmp_path: Path, standards: Path) -> None:
    """10 located error rows, exit 2, and every good program's reports intact."""
    root = tmp_path / "state"
    hostile = hostile_state(root)
    out = tmp_path / "out"

    done = run(
        "--standards-dir", str(standards), "batch", str(root), "-o", str(out),
        "--standard", "mini-standard@1.0", "--format", "json", "--jobs", "2", timeout=300,
    )  # fmt: skip

    assert done.returncode == ExitCode.INPUT_ERROR, done.stderr
    assert "Traceback" not in done.stderr
    rows = json.loads((out / "summary.json").read_text(encoding="utf-8"))["rows"]
    failed = sorted(r["file"] for r in rows if r["errors"])
    assert len(rows) == 30
    assert failed == hostile
    for row in rows:
        if row["errors"]:
            first = row["errors"][0]
            assert row["file"].split("/")[-1] in f"{first['file']}: {first['message']}", row
    audited = [r for r in rows if not r["errors"]]
    assert len(audited) == 30 - HOSTILE
    folders = {p.name for p in out.iterdir() if p.is_dir()}
    assert len(folders) == 30 - HOSTILE
    for folder in folders:
        report = json.loads((out / folder / f"{folder}.json").read_text(encoding="utf-8"))
        assert report["decision"]["label"]
    assert len({folded(f) for f in folders}) == len(folders)
    assert not {folded(f) for f in folders} & {"con", "nul"}


def test_an_unexpected_error_with_one_workbook_becomes_its_row(
    tmp_path: Path, standards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even a bug met by one workbook (not a CitcertError) only costs that workbook."""
    import citcert.app.batch as batch

    real = batch.render_reports

    def buggy(assessment, formats, **options):  # type: ignore[no-untyped-def]
        if assessment.profile.program_name == "County B CIT":
            raise RuntimeError("a bug in a writer")
        return real(assessment, formats, **options)

    monkeypatch.setattr(batch, "render_reports", buggy)
    for letter in "abc":
        workbook(tmp_path / "in" / f"{letter}.xlsx", f"County {letter.upper()} CIT")
    out = tmp_path / "out"

    result = invoke(
        standards, "batch", str(tmp_path / "in"), "-o", str(out), "--format", "json", "-j", "1"
    )

    assert result.exit_code == ExitCode.INPUT_ERROR, result.output
    assert "b.xlsx: citcert met an unexpected problem with this workbook (RuntimeError" in (
        result.stderr
    )
    assert (out / "county-a-cit" / "county-a-cit.json").exists()
    assert (out / "county-c-cit" / "county-c-cit.json").exists()


def test_a_worker_that_dies_costs_only_its_own_workbook(
    tmp_path: Path, standards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker process killed mid-audit (a crash, the memory killer): one error row, no more."""
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the crash is planted through fork; other start methods do not inherit it")
    import citcert.app.batch as batch

    real = batch.Auditor._audit

    def crash(self, workbook, *args):  # type: ignore[no-untyped-def]
        if workbook.name == "d.xlsx":
            os._exit(9)
        return real(self, workbook, *args)

    monkeypatch.setattr(batch.Auditor, "_audit", crash)
    for letter in "abcdefg":
        workbook(tmp_path / "in" / f"{letter}.xlsx", f"County {letter.upper()} CIT")
    out = tmp_path / "out"

    result = invoke(
        standards, "batch", str(tmp_path / "in"), "-o", str(out), "--format", "json", "-j", "2"
    )

    assert result.exit_code == ExitCode.INPUT_ERROR, result.output
    rows = json.loads((out / "summary.json").read_text(encoding="utf-8"))["rows"]
    assert [r["file"] for r in rows if r["errors"]] == ["d.xlsx"]
    (crash,) = rows[3]["errors"]
    assert crash["file"] == "d.xlsx"
    assert "the process auditing this workbook ended abruptly" in crash["message"]
    assert len([p for p in out.iterdir() if p.is_dir()]) == 6


def _worker_sigterm() -> object:
    import signal

    return signal.getsignal(signal.SIGTERM)


def test_a_worker_dies_of_sigterm_whatever_handler_the_batch_set_for_itself() -> None:
    """
    The executor ends the workers left over with SIGTERM when one dies. A forked worker that
    kept the batch's own SIGTERM handler (an interrupt) caught it while sending a result back,
    tried to send the error instead and waited forever on the queue's lock: the whole batch
    hung. Workers now take SIGTERM's default: they end.
    """
    import multiprocessing
    import signal
    from concurrent.futures import ProcessPoolExecutor

    import citcert.app.batch as batch

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("only a forked worker inherits the parent's handler")

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, interrupt)
    try:
        with ProcessPoolExecutor(
            1, initializer=batch._start_worker, initargs=(batch.BatchSettings(),)
        ) as pool:
            assert pool.submit(_worker_sigterm).result(timeout=60) == signal.SIG_DFL
    finally:
        signal.signal(signal.SIGTERM, before)
