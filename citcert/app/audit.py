"""
`citcert audit`: one workbook scored, its reports rendered and written as one set.

A tracker already at the new tracker's name gives the new one the progress typed in it
(`citcert.app.carry`), or stops the audit before anything is written when it cannot.
"""

from __future__ import annotations

import datetime as dt
import glob
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from citcert.app.workbook import (
    Audited,
    StandardChoice,
    audit_submission,
    open_submission,
    render_reports,
    report_files,
)
from citcert.export import Format

if TYPE_CHECKING:
    from citcert.workbook.evidence import Mode
    from citcert.workbook.sheets import Book

STDOUT = Path("-")
"""``-o -``: one report on standard output instead of files."""


@dataclass(frozen=True, slots=True)
class AuditRun:
    """What `run_audit` did: the audit, the terminal text, and the files written or printed."""

    audited: Audited
    terminal: str
    """The terminal report, with a line naming the files written, if any."""
    printed: bytes | None = None
    """The one report for standard output (``-o -``), else None."""
    book: Book | None = None
    """The workbook as read (its name, size and SHA-256, for ``--verbose``)."""
    written: tuple[tuple[Path, int], ...] = ()
    """Each file written and its size in bytes, in the order written."""
    kept_note: str = ""
    """What progress the new tracker kept from the earlier one, in words ("" for none)."""
    tracker: str = ""
    """For ``--verbose``: the earlier tracker looked for, and what was kept of it ("" when no
    tracker was written)."""
    beside_panel: str = ""
    """The warning when the program's reports went into a folder holding the panel's ("")."""

    def details(self, choice: StandardChoice, since: Path | None = None) -> list[str]:
        """What ``--verbose`` says of the run: what was read and used, and what was written."""
        from citcert.app.details import audit_lines, since_line, written_lines

        lines = []
        if self.book is not None:
            a = self.audited
            lines += audit_lines(self.book, a.standard, choice, a.assessment)
        if since is not None and self.audited.assessment.since is not None:
            lines.append(since_line(since, self.audited.assessment.since))
        if self.tracker:
            lines.append(self.tracker)
        return lines + written_lines(self.written)


def run_audit(
    path: Path,
    choice: StandardChoice,
    *,
    formats: Sequence[Format],
    outdir: Path,
    mode: Mode | None = None,
    as_of: dt.date | None = None,
    fail_below: str | None = None,
    audience: str = "applicant",
    since: Path | None = None,
) -> AuditRun:
    """
    Audit the workbook at `path` and write its reports into `outdir` as one set.

    With `outdir` ``-`` nothing is written: the one format asked for is returned as `printed`.
    `audience` (applicant or panel) chooses what of a review the reports show. With `since`
    (the previous audit's JSON report or workbook), every report adds what changed since it.
    """
    from citcert._files import write_all_atomic
    from citcert.app.workbook import check_as_of
    from citcert.export import SUFFIX, report_stem

    check_as_of(as_of)  # every option before the workbook is read
    submission = open_submission(path)
    audited = audit_submission(submission, choice, mode=mode, as_of=as_of, fail_below=fail_below)
    if since is not None:
        audited = _with_since(audited, since, choice)
    if outdir == STDOUT:
        rendered = render_reports(audited.assessment, formats, audience)
        return AuditRun(audited, "", rendered[formats[0]], submission.book)
    stem = report_stem(audited.assessment)
    if audited.assessment.review is not None and audience == "panel":
        stem += "-panel"  # NOTE: never the applicant's file name, so one cannot replace the other
    inputs = (path, *([choice.overlay] if choice.overlay else []), *([since] if since else []))
    kept, kept_note, looked = None, "", ""
    if Format.XLSX in formats:
        from citcert._files import Staging
        from citcert.app.carry import earlier_progress, kept_sentence
        from citcert.app.details import tracker_line

        tracker = outdir / f"{stem}.{SUFFIX[Format.XLSX]}"
        Staging(inputs).check([tracker])  # NOTE: an input there is refused as one, never read
        kept = earlier_progress(
            tracker, audited.assessment, standard=audited.standard, named=choice.named
        )
        kept_note = kept_sentence(kept, tracker.name) if kept else ""
        looked = tracker_line(tracker, kept)
    rendered = render_reports(audited.assessment, formats, audience, kept)
    files = report_files(stem, rendered)
    write_all_atomic({outdir / name: data for name, data in files.items()}, inputs=inputs)
    terminal = rendered.get(Format.TERMINAL, b"").decode("utf-8")
    if files:
        # NOTE: a blank line parts the list of files from the summary; alone, it has none.
        gap = "\n" if terminal else ""
        terminal += f"{gap}Reports written to {outdir}: {', '.join(files)}\n"
    written = tuple((outdir / name, len(data)) for name, data in files.items())
    beside = _beside_panel(outdir, stem) if audited.assessment.review is not None else ""
    return AuditRun(
        audited,
        terminal,
        None,
        submission.book,
        written,
        kept_note=kept_note,
        tracker=looked,
        beside_panel="" if stem.endswith("-panel") else beside,
    )


def _beside_panel(outdir: Path, stem: str) -> str:
    """
    The warning when `outdir`, where the program's reports of a review were just written, also
    holds the panel's (``STEM-panel.*``): a folder sent on as it is would carry the internal
    notes and each rater's rating with it.
    """
    panel = sorted(p.name for p in outdir.glob(f"{glob.escape(stem)}-panel.*") if p.is_file())
    if not panel:
        return ""
    return (
        f"Warning: {outdir} also holds the panel's reports ({', '.join(panel)}), which are not "
        "for the program: send the program its own files only, or keep the two in separate "
        "folders (-o)."
    )


def _with_since(audited: Audited, since: Path, choice: StandardChoice) -> Audited:
    """The audit with what changed since the previous one (`since`) in its assessment."""
    from citcert.app.compare import compare_since

    comparison = compare_since(since, audited.assessment, audited.standard, choice)
    assessment = audited.assessment.model_copy(update={"since": comparison})
    return Audited(audited.standard, assessment, audited.required)
