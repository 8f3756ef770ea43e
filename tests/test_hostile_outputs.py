"""
Nothing lost: no command's output may replace its input, a batch deletes only what it wrote and
replaced, and a run that stops half-way (an error, a full disk, SIGTERM, a second run) leaves
the output folder as it was.

Each test tries to break one of the README's promises ("inputs are never modified", "reports
are written as one set", "a bad workbook never stops the run") with real files: workbooks filled
with openpyxl, the CLI run through click's runner and, for signals, as a subprocess.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from citcert._files import LOCK, Staging, lock_folder
from citcert.app.manifest import MANIFEST
from citcert.cli import cli
from citcert.errors import ExitCode, OutputError
from tests.audit.workbook_filler import MINI, blank, dump_yaml, fill, load_yaml, save, set_program

STEM = "riverton-cit-program"
"""The report stem of the filler's default program name (Riverton CIT Program)."""


@pytest.fixture(scope="module")
def standards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("standards")
    dump_yaml(load_yaml(MINI), folder / "mini.yaml")
    return folder


def invoke(standards: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--standards-dir", str(standards), *args])


def workbook(path: Path, name: str = "Riverton CIT Program") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book = fill(blank())
    set_program(book, "program_name", name)
    return save(book, path)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (symlinks not followed) → SHA-256 of its bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[path.relative_to(folder).as_posix()] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    return found


def temporaries(folder: Path) -> list[Path]:
    return list(folder.rglob("*.tmp"))


# ---------------------------------------------------------------------------------------------
# Inputs are never modified


class TestOutputsNeverReplaceInputs:
    """Every command refuses, before writing anything, an output that is one of its inputs."""

    def test_audit_into_the_workbooks_own_folder_keeps_the_workbook(
        self, tmp_path: Path, standards: Path
    ) -> None:
        """`audit riverton-cit-program.xlsx -o .` would put the tracker on the workbook."""
        book = workbook(tmp_path / f"{STEM}.xlsx")
        before = book.read_bytes()

        result = invoke(standards, "audit", str(book), "-o", str(tmp_path))

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert f"this would replace the input {STEM}.xlsx" in result.stderr
        assert book.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == [f"{STEM}.xlsx"]

    @pytest.mark.parametrize("how", ["symlinked folder", "symlinked file", "hard link"])
    def test_audit_through_links_keeps_the_workbook(
        self, tmp_path: Path, standards: Path, how: str
    ) -> None:
        """A symlinked output folder, a link where the report goes, a hard link: all refused."""
        book = workbook(tmp_path / "in" / f"{STEM}.xlsx")
        before = book.read_bytes()
        out = tmp_path / "out"
        if how == "symlinked folder":
            out.symlink_to(tmp_path / "in")
        else:
            out.mkdir()
            link = out / f"{STEM}.xlsx"
            link.symlink_to(book) if how == "symlinked file" else os.link(book, link)

        result = invoke(standards, "audit", str(book), "-o", str(out), "--format", "xlsx,json")

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert "this would replace the input" in result.stderr
        assert book.read_bytes() == before
        assert not (tmp_path / "in" / f"{STEM}.json").exists()

    @pytest.mark.parametrize("side", ["old", "new", "old through a symlink"])
    def test_compare_output_on_an_input_is_refused(
        self, tmp_path: Path, standards: Path, side: str
    ) -> None:
        book = workbook(tmp_path / "p.xlsx")
        out = tmp_path / "reports"
        assert (
            invoke(standards, "audit", str(book), "-o", str(out), "--format", "json").exit_code == 0
        )
        old = out / f"{STEM}.json"
        new = tmp_path / "new.json"
        new.write_bytes(old.read_bytes())
        target = {"old": old, "new": new}.get(side)
        if target is None:
            target = tmp_path / "alias.json"
            target.symlink_to(old)
        before = old.read_bytes(), new.read_bytes()

        result = invoke(
            standards, "compare", str(old), str(new), "--format", "md", "-o", str(target)
        )

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert "this would replace the input" in result.stderr
        assert (old.read_bytes(), new.read_bytes()) == before

    def test_template_force_onto_its_own_overlay_is_refused(
        self, tmp_path: Path, standards: Path
    ) -> None:
        overlay = tmp_path / "state.yaml"
        dump_yaml(
            {
                "overlay": "mini-standard@1.0",
                "id": "mini-state",
                "version": "1.0",
                "title": "State",
            },
            overlay,
        )
        before = overlay.read_bytes()

        result = invoke(
            standards, "template", "--overlay", str(overlay), "-o", str(overlay), "--force"
        )

        assert result.exit_code == ExitCode.INPUT_ERROR
        assert overlay.read_bytes() == before

    def test_migrate_onto_a_symlink_of_its_input_is_refused(
        self, tmp_path: Path, standards: Path
    ) -> None:
        book = workbook(tmp_path / "p.xlsx")
        alias = tmp_path / "alias.xlsx"
        alias.symlink_to(book)
        before = book.read_bytes()

        result = invoke(
            standards,
            "migrate",
            str(book),
            "--to",
            "mini-standard@1.0",
            "-o",
            str(alias),
            "--force",
        )

        assert result.exit_code == ExitCode.INPUT_ERROR
        assert book.read_bytes() == before

    def test_staging_refuses_an_input_before_writing_anything(self, tmp_path: Path) -> None:
        """The shared guard: of two files, the good one is not written when the other clashes."""
        source = tmp_path / "input.xlsx"
        source.write_bytes(b"answers")

        files = {tmp_path / "fine.json": b"{}", tmp_path / "input.xlsx": b"report"}
        with (
            pytest.raises(OutputError, match=r"would replace the input input\.xlsx"),
            Staging([source]) as staging,
        ):
            staging.add(files)

        assert source.read_bytes() == b"answers"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["input.xlsx"]


# ---------------------------------------------------------------------------------------------
# One output file: never over a file unasked, never over what is not a file


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory, standards: Path) -> dict[str, list[str]]:
    """Every command that writes one file with ``-o FILE``: its arguments, all but ``-o``."""
    folder = tmp_path_factory.mktemp("single")
    book = workbook(folder / "program.xlsx")
    later = folder / "program-later.xlsx"
    later.write_bytes(book.read_bytes())
    reviews = [folder / "review-a.xlsx", folder / "review-b.xlsx"]
    for review, name in zip(reviews, ("A. Morgan", "S. Lee"), strict=True):
        started = invoke(
            standards, "review", "start", str(book), "--reviewer", name, "--date", "2024-05-20",
            "-o", str(review),
        )  # fmt: skip
        assert started.exit_code == 0, started.output
    return {
        "template": ["template", "--standard", "mini-standard@1.0"],
        "migrate": ["migrate", str(book), "--to", "mini-standard@1.0"],
        "review start": ["review", "start", str(book), "--reviewer", "A. Morgan"],
        "review reconcile": ["review", "reconcile", *map(str, reviews)],
        "compare": ["compare", str(book), str(later), "--format", "md"],
        "standards schema": ["standards", "schema"],
    }


SINGLE = ["template", "migrate", "review start", "review reconcile", "compare", "standards schema"]


_KINDS = {"link": stat.S_ISLNK, "fifo": stat.S_ISFIFO, "device": stat.S_ISCHR, "file": stat.S_ISREG}


def _kind(path: Path) -> str:
    """What stands at `path`, without following a link."""
    mode = path.lstat().st_mode
    return next(name for name, test in _KINDS.items() if test(mode))


@pytest.mark.parametrize("command", SINGLE)
class TestOneOutputFile:
    """
    ``-o FILE`` keeps one rule in every command: an existing file is replaced only with
    --force, and what is not a regular file (a named pipe, a device, a link) never, not even
    with it. Refused: exit status 2, one located line, nothing written, nothing touched.
    """

    def test_an_existing_file_is_kept_without_force(
        self, tmp_path: Path, standards: Path, single: dict[str, list[str]], command: str
    ) -> None:
        target = tmp_path / "notes.txt"
        target.write_bytes(b"someone's notes")

        result = invoke(standards, *single[command], "-o", str(target))

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert result.stderr == (
            f"Error: {target}: already exists; choose another name or add --force to replace it\n"
        )
        assert target.read_bytes() == b"someone's notes"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]

    def test_an_existing_file_is_replaced_with_force(
        self, tmp_path: Path, standards: Path, single: dict[str, list[str]], command: str
    ) -> None:
        target = tmp_path / "out"
        target.write_bytes(b"an older output")

        result = invoke(standards, *single[command], "-o", str(target), "--force")

        assert result.exit_code == 0, result.output
        assert target.read_bytes() not in (b"", b"an older output")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]

    @pytest.mark.parametrize("force", [(), ("--force",)], ids=["", "force"])
    @pytest.mark.parametrize("kind", ["fifo", "link", "device"])
    def test_what_is_not_a_file_is_left_as_it_is(
        self,
        tmp_path: Path,
        standards: Path,
        single: dict[str, list[str]],
        command: str,
        kind: str,
        force: tuple[str, ...],
    ) -> None:
        """A named pipe, a link to a file, a device such as /dev/full: refused, left alone."""
        kept = tmp_path / "kept.txt"
        kept.write_bytes(b"what the link points at")
        target = tmp_path / "out"
        if kind == "fifo":
            os.mkfifo(target)
        elif kind == "link":
            target.symlink_to(kept)
        else:
            try:  # the null device's numbers, in a folder of the test's own
                os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))
            except (PermissionError, AttributeError, OSError) as why:
                pytest.skip(f"cannot make a device here ({why}): only root can")
        named = {"fifo": "a named pipe", "link": "a symbolic link", "device": "a device"}[kind]

        result = invoke(standards, *single[command], "-o", str(target), *force)

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert result.stderr.startswith(f"Error: {target}: is {named}, not a file: ")
        assert result.stderr.endswith("(or - for standard output)\n")
        assert result.stderr.count("\n") == 1
        assert _kind(target) == kind
        assert kind != "link" or os.readlink(target) == str(kept)
        assert kept.read_bytes() == b"what the link points at"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.txt", "out"]


@pytest.mark.parametrize("kind", ["fifo", "/dev/stdout"])
def test_a_run_of_the_program_refuses_a_named_pipe_or_stdouts_link(
    tmp_path: Path, standards: Path, kind: str
) -> None:
    """
    As a shell runs it: ``-o fifo --force`` must not hang or replace the pipe, and a link such
    as /dev/stdout is refused with a pointer to ``-o -`` (click's "not readable" said nothing).
    """
    target = tmp_path / "out"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/proc/self/fd/1")  # what /dev/stdout is on Linux
    command = [
        sys.executable, "-m", "citcert", "--standards-dir", str(standards),
        "standards", "schema", "-o", str(target), "--force",
    ]  # fmt: skip

    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)

    assert done.returncode == ExitCode.INPUT_ERROR, done.stderr
    assert done.stderr.startswith(f"Error: {target}: is a ")
    assert "(or - for standard output)" in done.stderr
    assert done.stdout == ""
    assert _kind(target) == ("fifo" if kind == "fifo" else "link")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


class TestBatchIntoItsInputFolder:
    """`batch in -o in` is allowed, but never replaces or silently skips a workbook."""

    def test_a_workbook_named_like_the_rollup_stops_the_run_before_anything_is_written(
        self, tmp_path: Path, standards: Path
    ) -> None:
        folder = tmp_path / "in"
        workbook(folder / "a.xlsx", "County A CIT")
        rollup_named = workbook(folder / "summary.xlsx", "County S CIT")
        before = snapshot(folder)

        result = invoke(standards, "batch", str(folder), "-o", str(folder), "--format", "json")

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert "summary.xlsx: this would replace the input summary.xlsx" in result.stderr
        assert snapshot(folder) == before
        assert rollup_named.exists()

    def test_a_program_whose_report_would_replace_a_workbook_gets_an_error_row(
        self, tmp_path: Path, standards: Path
    ) -> None:
        """The workbook sits where its own tracker would go: that row fails, the rest is done."""
        folder = tmp_path / "in"
        workbook(folder / "other.xlsx", "Other County CIT")
        trap = workbook(folder / STEM / f"{STEM}.xlsx")
        before = trap.read_bytes()

        result = invoke(standards, "batch", str(folder), "-o", str(folder), "--format", "xlsx")

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert f"this would replace the input {STEM}.xlsx" in result.stderr
        assert trap.read_bytes() == before
        assert (folder / "other-county-cit" / "other-county-cit.xlsx").exists()
        rows = json.loads((folder / "summary.json").read_text(encoding="utf-8"))["rows"]
        assert [bool(r["errors"]) for r in rows] == [False, True]

    def test_a_workbook_saved_over_a_report_is_audited_not_skipped(
        self, tmp_path: Path, standards: Path
    ) -> None:
        """Only files still exactly as citcert wrote them are left out of the next run."""
        folder = tmp_path / "in"
        workbook(folder / "a.xlsx", "County A CIT")
        args = ("batch", str(folder), "-o", str(folder), "--format", "xlsx,json")
        assert invoke(standards, *args).exit_code == ExitCode.OK
        tracker = folder / "county-a-cit" / "county-a-cit.xlsx"
        workbook(tracker, "County B CIT")  # a coordinator saved a real workbook there
        saved = tracker.read_bytes()

        result = invoke(standards, *args)

        assert "2 workbooks: 1 audited" in result.stdout, result.output
        assert "county-b-cit/county-b-cit.json" in result.stdout + str(snapshot(folder))
        assert tracker.read_bytes() == saved  # and a.xlsx's new tracker may not replace it


# ---------------------------------------------------------------------------------------------
# Cleaning an output folder deletes only what citcert wrote and replaced


@pytest.mark.parametrize("command", ["audit", "batch"])
def test_a_named_pipe_where_a_report_goes_is_left_as_it_is(
    tmp_path: Path, standards: Path, command: str
) -> None:
    """Renaming a report over it would destroy it: refused and named (a batch's error row)."""
    book = workbook(tmp_path / "in" / "a.xlsx")
    out = tmp_path / "out"
    target = out / (f"{STEM}.json" if command == "audit" else f"{STEM}/{STEM}.json")
    target.parent.mkdir(parents=True)
    os.mkfifo(target)
    given = str(book) if command == "audit" else str(book.parent)

    result = invoke(standards, command, given, "-o", str(out), "--format", "json")

    assert result.exit_code == ExitCode.INPUT_ERROR, result.output
    assert (
        f"{target}: is a named pipe, not a file: citcert does not replace it; move it away or "
        "write the reports to another folder"
    ) in result.stderr
    assert stat.S_ISFIFO(os.lstat(target).st_mode)
    if command == "audit":
        assert [p.name for p in out.iterdir()] == [target.name]


def test_a_file_where_a_programs_folder_goes_is_named_and_nothing_is_written(
    tmp_path: Path, standards: Path
) -> None:
    """Not "cannot write here: File exists": which file is in the way, and what to do."""
    folder, out = tmp_path / "in", tmp_path / "out"
    workbook(folder / "a.xlsx")
    out.mkdir()
    (out / STEM).write_text("a note someone left\n", encoding="utf-8")
    before = snapshot(out)

    result = invoke(standards, "batch", str(folder), "-o", str(out), "--format", "json")

    assert result.exit_code == ExitCode.INPUT_ERROR, result.output
    assert result.stderr == (
        f"Error: {out / STEM}: is a file where citcert needs a folder of that name; move it "
        "away or write to another output folder\n"
    )
    assert {k: v for k, v in snapshot(out).items() if not k.startswith(".citcert")} == before


class TestManifestIsNotTrusted:
    @pytest.fixture
    def ran(self, tmp_path: Path, standards: Path) -> tuple[Path, Path]:
        folder = tmp_path / "in"
        workbook(folder / "a.xlsx", "County A CIT")
        out = tmp_path / "out"
        assert (
            invoke(standards, "batch", str(folder), "-o", str(out), "--format", "json").exit_code
            == 0
        )
        return folder, out

    def rerun(self, standards: Path, folder: Path, out: Path) -> Result:
        return invoke(standards, "batch", str(folder), "-o", str(out), "--format", "json")

    def forge(self, out: Path, files: dict[str, str]) -> None:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        manifest["files"] += list(files)
        manifest["sha256"].update(files)
        (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")

    def test_a_symlinked_folder_in_the_output_cannot_reach_a_file_elsewhere(
        self, ran: tuple[Path, Path], tmp_path: Path, standards: Path
    ) -> None:
        folder, out = ran
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        victim = elsewhere / "county-a-cit.md"
        victim.write_text("precious", encoding="utf-8")
        (out / "county-a-cit" / "link").symlink_to(elsewhere)
        (out / "linked-program").symlink_to(elsewhere)
        sha = hashlib.sha256(b"precious").hexdigest()
        self.forge(
            out, {"county-a-cit/link/county-a-cit.md": sha, "linked-program/county-a-cit.md": sha}
        )

        self.rerun(standards, folder, out)

        assert victim.read_text(encoding="utf-8") == "precious"

    def test_a_file_the_manifest_names_but_citcert_did_not_write_is_kept(
        self, ran: tuple[Path, Path], standards: Path
    ) -> None:
        """A user's file listed in the manifest (wrong, or no, hash) survives the re-run."""
        folder, out = ran
        notes = out / "county-a-cit" / "notes.md"
        notes.write_text("reviewer's notes", encoding="utf-8")
        other = out / "county-a-cit" / "minutes.md"
        other.write_text("minutes", encoding="utf-8")
        self.forge(out, {"county-a-cit/notes.md": "0" * 64, "county-a-cit/minutes.md": ""})

        self.rerun(standards, folder, out)

        assert notes.read_text(encoding="utf-8") == "reviewer's notes"
        assert other.exists()

    def test_a_report_a_user_edited_is_not_deleted(
        self, ran: tuple[Path, Path], standards: Path
    ) -> None:
        """A report citcert wrote, then a person edited, is no longer citcert's to delete."""
        folder, out = ran
        report = out / "county-a-cit" / "county-a-cit.json"
        report.write_text('{"edited": true}', encoding="utf-8")
        # the program is renamed, so the old report is stale
        workbook(folder / "a.xlsx", "County A Crisis Team")

        self.rerun(standards, folder, out)

        assert report.read_text(encoding="utf-8") == '{"edited": true}'

    @pytest.mark.parametrize("kind", ["fifo", "huge", "not json", "a folder of files"])
    def test_a_manifest_that_is_not_one_is_ignored_and_deletes_nothing(
        self, ran: tuple[Path, Path], standards: Path, kind: str
    ) -> None:
        """A FIFO would hang a plain read; a huge file would fill memory; neither does."""
        folder, out = ran
        (out / MANIFEST).unlink()
        if kind == "fifo":
            os.mkfifo(out / MANIFEST)
        elif kind == "huge":
            (out / MANIFEST).write_bytes(b'{"files": [' + b" " * (17 << 20) + b"]}")
        elif kind == "not json":
            (out / MANIFEST).write_bytes(b"\xff\xfe garbage")
        else:
            (out / MANIFEST).write_text(json.dumps({"files": {"a": 1}}), encoding="utf-8")
        (out / "county-a-cit" / "old.json").write_text("{}", encoding="utf-8")

        result = self.rerun(standards, folder, out)

        assert result.exit_code == ExitCode.OK, result.output
        assert (out / "county-a-cit" / "old.json").exists()
        assert json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]


class TestPreviousReportsAreKeptUntilReplaced:
    """Issue 12: a typo or a failing workbook never costs the last run's reports."""

    @pytest.fixture
    def ran(self, tmp_path: Path, standards: Path) -> tuple[Path, Path]:
        folder = tmp_path / "in"
        workbook(folder / "a.xlsx", "County A CIT")
        workbook(folder / "b.xlsx", "County B CIT")
        out = tmp_path / "out"
        args = ("batch", str(folder), "-o", str(out), "--format", "json,md")
        assert invoke(standards, *args).exit_code == 0
        return folder, out

    @pytest.mark.parametrize("level", ["gold", "Certifed", ""])
    def test_a_fail_below_typo_stops_before_anything_is_read_or_written(
        self, ran: tuple[Path, Path], standards: Path, level: str
    ) -> None:
        folder, out = ran
        before = snapshot(out)

        result = invoke(
            standards,
            "batch",
            str(folder),
            "-o",
            str(out),
            "--format",
            "json",
            "--fail-below",
            level,
        )

        assert result.exit_code == ExitCode.INPUT_ERROR, result.output
        assert "--fail-below" in result.stderr
        assert "is not a decision level of any standard" in result.stderr
        assert "certified" in result.stderr
        assert snapshot(out) == before

    def test_a_workbook_that_fails_now_keeps_its_earlier_reports(
        self, ran: tuple[Path, Path], standards: Path
    ) -> None:
        folder, out = ran
        kept = snapshot(out / "county-b-cit")
        (folder / "b.xlsx").write_bytes(b"damaged in transit")

        result = invoke(standards, "batch", str(folder), "-o", str(out), "--format", "json")

        assert result.exit_code == ExitCode.INPUT_ERROR
        assert snapshot(out / "county-b-cit") == kept
        assert "Kept the earlier reports county-b-cit/" in result.stderr
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        assert "county-b-cit/county-b-cit.md" in manifest["files"]

    def test_a_renamed_program_replaces_its_old_files_only_within_a_new_set(
        self, ran: tuple[Path, Path], standards: Path
    ) -> None:
        """Fewer formats this time: the folder's old Markdown goes, a new set took its place."""
        folder, out = ran

        invoke(standards, "batch", str(folder), "-o", str(out), "--format", "json")

        assert (out / "county-a-cit" / "county-a-cit.json").exists()
        assert not (out / "county-a-cit" / "county-a-cit.md").exists()


# ---------------------------------------------------------------------------------------------
# Reports are written as one set


class TestOneSet:
    @pytest.fixture
    def ran(self, tmp_path: Path, standards: Path) -> tuple[Path, Path]:
        folder = tmp_path / "in"
        for letter in "abc":
            workbook(folder / f"{letter}.xlsx", f"County {letter.upper()} CIT")
        out = tmp_path / "out"
        assert (
            invoke(standards, "batch", str(folder), "-o", str(out), "--format", "json").exit_code
            == 0
        )
        return folder, out

    @pytest.mark.parametrize("fail_at", [1, 3, 5])
    def test_a_full_disk_mid_run_leaves_the_previous_run_as_it_was(
        self, ran: tuple[Path, Path], standards: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int
    ) -> None:
        """The n-th file cannot be written: no new report sits beside the old roll-up."""
        import citcert._files as files

        folder, out = ran
        workbook(folder / "a.xlsx", "County A Renamed CIT")
        before = snapshot(out)
        real, calls = files._stage, [0]

        def full_disk(target: Path, data: bytes) -> str:
            calls[0] += 1
            if calls[0] == fail_at:
                raise OutputError.single("cannot write here: No space left on device")
            return real(target, data)

        monkeypatch.setattr(files, "_stage", full_disk)

        result = invoke(standards, "batch", str(folder), "-o", str(out), "--format", "json")

        assert result.exit_code == ExitCode.INPUT_ERROR
        assert "No space left on device" in result.stderr
        assert snapshot(out) == before
        assert temporaries(out) == []

    def test_a_second_run_into_a_locked_folder_stops_with_a_clear_message(
        self, ran: tuple[Path, Path], standards: Path
    ) -> None:
        folder, out = ran
        before = snapshot(out)
        script = (
            "import sys, time; from pathlib import Path; from citcert._files import lock_folder\n"
            "with lock_folder(Path(sys.argv[1])):\n"
            "    print('locked', flush=True); time.sleep(30)\n"
        )
        holder = subprocess.Popen(
            [sys.executable, "-c", script, str(out)], stdout=subprocess.PIPE, text=True
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "locked\n"

            result = invoke(standards, "batch", str(folder), "-o", str(out), "--format", "json")
        finally:
            holder.kill()
            holder.communicate()  # waits, and closes the pipe

        assert result.exit_code == ExitCode.INPUT_ERROR
        assert "another citcert run is writing its reports to this folder" in result.stderr
        assert snapshot(out) == before

    def test_the_lock_is_released_when_its_holder_dies(self, tmp_path: Path) -> None:
        with lock_folder(tmp_path):
            pass
        with lock_folder(tmp_path):  # the same process again: released on leaving
            assert (tmp_path / LOCK).exists()

    def test_sigterm_ends_the_workers_and_writes_nothing(
        self, tmp_path: Path, standards: Path
    ) -> None:
        """A real run, two worker processes, SIGTERM mid-run: exit 130, no process, no file."""
        folder = tmp_path / "in"
        for index in range(12):
            workbook(folder / f"w{index:02d}.xlsx", f"County {index:02d} CIT")
        out = tmp_path / "out"
        command = [
            sys.executable, "-m", "citcert", "--standards-dir", str(standards),
            "batch", str(folder), "-o", str(out), "--jobs", "2", "--format", "pdf,json",
        ]  # fmt: skip
        run = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while not temporaries(out) and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert run.poll() is None, "the run ended before it could be stopped"
        run.send_signal(signal.SIGTERM)
        _, stderr = run.communicate(timeout=60)

        assert run.returncode == 130, stderr
        assert b"nothing of this run was written" in stderr
        assert _group_is_gone(run.pid)
        assert {p.name for p in out.iterdir()} <= {LOCK}
        assert temporaries(out) == []


def _group_is_gone(pgid: int, wait: float = 10.0) -> bool:
    """True once no process of the group is left (the workers included)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False
