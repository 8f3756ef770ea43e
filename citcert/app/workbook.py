"""
One workbook, one way through: open it once, resolve its standard once, read, assess, render.

Every command that takes an evidence workbook comes through here (`audit`, `validate`,
`compare` of a workbook, the batch's workers, `migrate`), so each one resolves the standard the
same way, names its reports the same way and reads ``--fail-below`` the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from citcert.errors import CitcertError
from citcert.export import Format, render
from citcert.standards.identity import LevelId
from citcert.standards.store import StandardsStore

if TYPE_CHECKING:
    from citcert.audit.assessment import Assessment
    from citcert.audit.progress import KeptProgress
    from citcert.standards.model import Standard
    from citcert.workbook.evidence import Evidence, Mode
    from citcert.workbook.migrate import Migration
    from citcert.workbook.sheets import Book


@dataclass(frozen=True, slots=True)
class StandardChoice:
    """Which standard a command was told to use: a reference, an overlay, the store to look in."""

    ref: str | None = None
    """``id`` or ``id@version``; None with no overlay means the workbook's recorded standard."""
    overlay: Path | None = None
    store: StandardsStore = field(default_factory=StandardsStore)
    """Where standards are looked for (built by `citcert.app.settings.standards_store`)."""

    @property
    def fixed(self) -> bool:
        """True when one standard is named for every workbook (else each names its own)."""
        return self.ref is not None or self.overlay is not None

    def resolve(self, recorded: str | None = None) -> Standard:
        """The standard: the named one, or `recorded` (a workbook's own) when none is named."""
        from citcert.standards import find_standard

        ref = self.ref or (None if self.overlay else recorded)
        return find_standard(ref, overlay=self.overlay, store=self.store)

    def named(self, ref: str) -> Standard:
        """The standard `ref` names, looked up in the same store (no overlay applied)."""
        return StandardChoice(ref, None, self.store).resolve()


@dataclass(frozen=True, slots=True)
class Submission:
    """An evidence workbook opened once: where it is, its rows, SHA-256 and recorded standard."""

    path: Path
    book: Book
    standard_ref: str

    @property
    def name(self) -> str:
        """The file's name, as messages and reports give it."""
        return self.book.name


def open_submission(path: Path) -> Submission:
    """
    Check and read the workbook at `path` once; refuses a file citcert did not make.

    ``-`` reads the workbook from standard input (bounded, as a file is).
    """
    import sys

    from citcert.workbook.reader import open_book, open_stream, read_standard_ref

    book = open_stream(sys.stdin.buffer) if str(path) == "-" else open_book(Path(path))
    return Submission(Path(path), book, read_standard_ref(book))


def read_evidence(
    submission: Submission, standard: Standard, *, as_of: dt.date | None = None
) -> Evidence:
    """
    The submission's evidence for `standard`; raises with every located problem.

    Dates are judged as of `as_of`, else the workbook's assessment date (never the clock). A
    review or consensus workbook gives the evidence as its reviewers rated it (an unresolved
    consensus is refused with every unresolved cell).
    """
    from citcert.workbook.reader import read_workbook
    from citcert.workbook.review.layout import is_review

    if is_review(submission.book):
        from citcert.app.review import read_reviewed

        return read_reviewed(submission.book, standard, as_of=as_of).evidence
    return read_workbook(submission.book, standard, as_of=as_of)


def fail_level(standard: Standard, typed: str | None) -> LevelId | None:
    """
    The id of the decision level ``--fail-below`` names, by id or label; None for no option.

    Raises a `CitcertError` naming the value and the standard's levels when it names none.
    """
    from citcert.audit.decision import level_named

    if typed is None:
        return None
    try:
        return level_named(standard, typed)
    except ValueError as error:
        raise CitcertError.single(str(error), subject="--fail-below") from None


def check_as_of(as_of: dt.date | None) -> None:
    """Refuse an ``--as-of`` on a day no workbook may record (deadlines after it could not be
    dated): the range of `citcert.workbook.ratings.parse_date`."""
    from citcert.workbook.ratings import EARLIEST_DATE as first
    from citcert.workbook.ratings import LATEST_DATE as last

    if as_of is not None and not first <= as_of <= last:
        raise CitcertError.single(
            f"{as_of.isoformat()} is not a day citcert can judge dates by; give a day from "
            f"{first.isoformat()} to {last.isoformat()}",
            subject="--as-of",
        )


def is_below(standard: Standard, assessment: Assessment, required: LevelId | None) -> bool:
    """True when the decision is worse than the level id `required` (never when it is None)."""
    from citcert.audit.decision import is_below as below

    return required is not None and below(standard.scoring, assessment.decision.level_id, required)


@dataclass(frozen=True, slots=True)
class Audited:
    """One workbook audited: the standard used, the assessment, and the ``--fail-below`` bar."""

    standard: Standard
    assessment: Assessment
    required: LevelId | None = None

    @property
    def below(self) -> bool:
        """True when the decision is below the ``--fail-below`` level."""
        return is_below(self.standard, self.assessment, self.required)


def audit_submission(
    submission: Submission,
    choice: StandardChoice,
    *,
    mode: Mode | None = None,
    as_of: dt.date | None = None,
    fail_below: str | None = None,
    standard: Standard | None = None,
) -> Audited:
    """
    Resolve the standard (unless given), check ``--fail-below`` against it, read and assess.

    The option is checked before the evidence is read, so a typo is reported on its own.
    """
    from citcert.audit.scoring import assess
    from citcert.workbook.review.layout import is_review

    check_as_of(as_of)
    standard = standard or choice.resolve(submission.standard_ref)
    required = fail_level(standard, fail_below)
    if is_review(submission.book):
        from citcert.app.review import assess_reviewed, read_reviewed

        reviewed = read_reviewed(submission.book, standard, as_of=as_of)
        assessment = assess_reviewed(standard, reviewed, as_of=as_of, mode=mode)
        evidence = reviewed.evidence
    else:
        evidence = read_evidence(submission, standard, as_of=as_of)
        assessment = assess(standard, evidence, as_of=as_of, mode=mode)
    assessment = _with_base_decision(choice, standard, assessment, evidence, as_of, mode)
    return Audited(standard, assessment, required)


def _with_base_decision(
    choice: StandardChoice,
    standard: Standard,
    assessment: Assessment,
    evidence: Evidence,
    as_of: dt.date | None,
    mode: Mode | None,
) -> Assessment:
    """
    When the standard is an overlay, the assessment with the decision its base alone gives the
    same evidence, so the reports can say when the overlay made the difference.
    """
    if standard.tailoring is None:
        return assessment
    from citcert.audit.overlay_effect import without_overlay

    base = choice.named(standard.tailoring.base)
    effect = without_overlay(base, assessment, evidence, as_of=as_of, mode=mode)
    return assessment.model_copy(update={"without_overlay": effect})


def render_reports(
    assessment: Assessment,
    formats: Sequence[Format],
    audience: str = "applicant",
    kept: KeptProgress | None = None,
) -> dict[Format, bytes]:
    """
    Every asked-for format rendered for `audience`, in the order asked (nothing on disk); the
    tracker holds the progress `kept` from the one it replaces.
    """
    return {fmt: render(assessment, fmt, audience, kept) for fmt in formats}


def report_files(stem: str, rendered: Mapping[Format, bytes]) -> dict[str, bytes]:
    """The report files of one program, by file name (``stem.pdf`` …); the terminal is printed."""
    from citcert.export import SUFFIX

    return {
        f"{stem}.{SUFFIX[fmt]}": data
        for fmt, data in rendered.items()
        if fmt is not Format.TERMINAL
    }


def template_bytes(standard: Standard) -> bytes:
    """The blank evidence workbook for `standard`, as the bytes of an .xlsx file."""
    from citcert.workbook.template import render_template

    return render_template(standard)


def migrate_submission(submission: Submission, choice: StandardChoice, to: str) -> Migration:
    """The submission's answers carried to the standard `to` names, in a new workbook."""
    from citcert.standards.succession import line
    from citcert.workbook.migrate import migrate_workbook

    old = choice.named(submission.standard_ref)
    new = choice.named(to)
    found = line(old, new, choice.named)
    between = found.between if found is not None and found.newer is new else ()
    return migrate_workbook(submission.book, old, new, between)
