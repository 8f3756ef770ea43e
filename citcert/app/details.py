"""
What ``-v``/``--verbose`` adds: the lines that say what a command read, used and wrote.

A coordinator who wants to know exactly what an audit rested on asks for them: the workbook
(its size and SHA-256, the digest every report records), the standard and the file it was
found in (built in, or a path), how many requirements were read and how they were answered,
and each file written with its size. The CLI prints them on standard error, only with
``--verbose``; they never change standard output or a file written.

Each value from a file (a file name, a standard's title) is made one line (`one_line`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from citcert._text import one_line
from citcert._words import plural

if TYPE_CHECKING:
    from citcert.app.batch import BatchResult, BatchStarted, WorkbookFinished
    from citcert.app.workbook import StandardChoice
    from citcert.audit.assessment import Assessment
    from citcert.audit.compare_model import Comparison
    from citcert.audit.progress import KeptProgress
    from citcert.standards.model import Standard
    from citcert.standards.store import StandardsStore
    from citcert.workbook.sheets import Book


def workbook_line(book: Book) -> str:
    """``Workbook: program.xlsx, 48,213 bytes, SHA-256 3f…``."""
    return f"Workbook: {one_line(book.name)}, {book.size:,} bytes, SHA-256 {book.sha256}."


def standard_line(standard: Standard, choice: StandardChoice, sha256: str | None = None) -> str:
    """The standard used, the file it came from, and the digest of its content (`sha256`)."""
    ref = f"{standard.ref} “{one_line(standard.title)}”"
    if standard.tailoring is not None and choice.overlay is not None:
        base = standard.tailoring.base
        overlay = one_line(str(choice.overlay))
        where = f"the overlay {overlay} on {base}, {origin(base, choice.store)}"
    else:
        where = origin(standard.ref, choice.store)
    return f"Standard: {ref}, {where}; SHA-256 of its content {sha256 or _sha(standard)}."


def origin(ref: str, store: StandardsStore) -> str:
    """Where the standard ``id@version`` `ref` was found: built in (and where), or its file."""
    from citcert.standards.registry import survey

    entries, _ = survey(store)
    for entry in entries:
        if entry.ref == ref:
            if entry.builtin:
                return f"built in to citcert ({one_line(str(entry.path))})"
            return f"from {one_line(str(entry.path))}"
    return "not found in the standards folders"


def reading_line(assessment: Assessment) -> str:
    """How many requirements were read and how they were answered, the mode and the date."""
    c, p = assessment.counts, assessment.provenance
    rated = c.requirements - c.not_applicable - c.unanswered
    return (
        f"Read: {plural(c.requirements, 'requirement')} in "
        f"{plural(len(assessment.domains), 'domain')} ({rated} rated, "
        f"{c.not_applicable} not applicable, {c.unanswered} not answered), "
        f"scored as a {p.mode.noun} as of {p.as_of.isoformat()}."
    )


def since_line(path: Path, since: Comparison) -> str:
    """The previous audit ``--since`` compared with: its file, date, standard and decision."""
    return (
        f"Compared with the previous audit {one_line(str(path))}: as of "
        f"{since.old_date.isoformat()} against {since.old_standard}, "
        f"{one_line(since.old_decision)}."
    )


def written_lines(files: Mapping[Path, int] | Iterable[tuple[Path, int]]) -> list[str]:
    """``Wrote reports/x.pdf (123,456 bytes).``, one line per file, in the order given."""
    pairs = files.items() if isinstance(files, Mapping) else files
    return [wrote_line(path, size) for path, size in pairs]


def wrote_line(path: Path, size: int) -> str:
    """``Wrote reports/x.pdf (123,456 bytes).``; ``-`` is standard output."""
    if str(path) == "-":
        return f"Wrote {size:,} bytes to standard output."
    return f"Wrote {one_line(str(path))} ({size:,} bytes)."


def tracker_line(path: Path, kept: KeptProgress | None) -> str:
    """The earlier tracker an audit looked for where its new one goes, and what it kept."""
    where = one_line(str(path))
    if kept is not None:
        from citcert.workbook.evidence import EARLIER_SHEET

        steps, earlier = plural(len(kept.steps), "step"), plural(len(kept.earlier), "step")
        return (
            f"Earlier tracker: {where}, read: progress kept on {steps}, "
            f"{earlier} on its {EARLIER_SHEET} sheet."
        )
    if path.is_file():
        return f"Earlier tracker: {where}, read: no progress typed in it, so nothing to keep."
    return f"Earlier tracker: none at {where}; the new tracker starts with no progress typed."


def audit_lines(
    book: Book, standard: Standard, choice: StandardChoice, assessment: Assessment
) -> list[str]:
    """What an audit or a check read: the workbook, the standard, the requirements."""
    return [
        workbook_line(book),
        standard_line(standard, choice, assessment.provenance.standard_sha256),
        reading_line(assessment),
    ]


def batch_standard_line(choice: StandardChoice) -> str:
    """The standard a batch audits every workbook against, or that each uses its own."""
    if not choice.fixed:
        return "Standard: each workbook's own, the one it records."
    return standard_line(choice.resolve(), choice)


def started_line(event: BatchStarted) -> str:
    """``Auditing 40 workbooks.``"""
    return f"Auditing {plural(event.total, 'workbook')}."


def finished_line(event: WorkbookFinished) -> str:
    """``2/40 north/riverside.xlsx: Conditionally certified (cit-best-practice@2019.2).``"""
    head = f"{event.done}/{event.total} {one_line(event.file)}"
    if event.failed or event.decision is None:
        return f"{head}: could not be audited."
    return f"{head}: {one_line(event.decision)} ({event.standard})."


def batch_written_lines(result: BatchResult) -> list[str]:
    """The programs' reports in one line, then each roll-up file with its size."""
    from citcert.export.rollup import FILES

    reports = {rel: n for rel, n in result.sizes.items() if rel not in FILES}
    programs = {rel.split("/", 1)[0] for rel in reports}
    lines = []
    if reports:
        lines.append(
            f"Wrote {plural(len(reports), 'report')} of {plural(len(programs), 'program')} "
            f"({sum(reports.values()):,} bytes) in their folders under "
            f"{one_line(str(result.outdir))}."
        )
    rollup = ((result.outdir / name, result.sizes[name]) for name in FILES if name in result.sizes)
    lines += written_lines(rollup)
    if result.removed:
        lines.append(f"Removed {plural(len(result.removed), 'file')} of the previous run.")
    return lines


def _sha(standard: Standard) -> str:
    from citcert.standards.model import standard_sha256

    return standard_sha256(standard)
