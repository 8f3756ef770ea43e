"""
`citcert validate`: each workbook checked as the audit will read it, problems kept structured.

A check never raises for a workbook's own problems: they become the `Checked` result's errors,
each with its file, sheet and cell, so several workbooks can be checked in one run and the
result printed as text or JSON. Beyond what the reader refuses, it warns of what the audit will
mark down (`audit_warnings`): a core requirement claimed as met with nothing to show, a document
reference the Documents sheet does not list, and a review with no reviewer rating at all (or
some left blank).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from citcert.app.workbook import StandardChoice, Submission, open_submission
from citcert.errors import CitcertError, Location, Problem
from citcert.standards.model import Model, RequirementId
from citcert.workbook.evidence import Mode

if TYPE_CHECKING:
    from citcert.audit.assessment import Assessment
    from citcert.standards.model import Standard
    from citcert.workbook.evidence import Evidence
    from citcert.workbook.review.model import Review
    from citcert.workbook.sheets import Row

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Checked:
    """One workbook checked: the standard it was checked against, its errors and warnings."""

    file: str
    standard_ref: str | None
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    error: CitcertError | None = None
    """The error the errors came from (its text has the headline and one line each)."""
    details: tuple[str, ...] = ()
    """What ``--verbose`` says of the check: the workbook, the standard, what was read."""

    @property
    def ready(self) -> bool:
        """True when the workbook can be audited (warnings do not stop it)."""
        return not self.errors


def check_workbook(
    path: Path,
    choice: StandardChoice,
    *,
    mode: Mode | None = None,
    as_of: dt.date | None = None,
    today: dt.date | None = None,
) -> Checked:
    """
    Check the workbook at `path`; its problems are returned, never raised. With `today`, an
    assessment date after it is a warning (a year typed wrong moves every date's judgement).
    """
    from citcert.app.details import standard_line, workbook_line

    name = Path(path).name
    standard: Standard | None = None
    details: list[str] = []
    try:
        submission = open_submission(path)
        details.append(workbook_line(submission.book))
        standard = choice.resolve(submission.standard_ref)
        details.append(standard_line(standard, choice))
        return _checked(submission, standard, mode, as_of, details, today)
    except CitcertError as error:
        problems = tuple(error.problems) or (Problem(Location(file=name), str(error)),)
        ref = standard.ref if standard else None
        return Checked(name, ref, problems, (), error, tuple(details))


def _checked(
    submission: Submission,
    standard: Standard,
    mode: Mode | None,
    as_of: dt.date | None,
    details: list[str],
    today: dt.date | None = None,
) -> Checked:
    from citcert.audit.scoring import assess
    from citcert.workbook.reader import inspect_workbook
    from citcert.workbook.review.layout import is_review

    review: Review | None = None
    if is_review(submission.book):  # a reviewer's or consensus workbook: open items refused
        from citcert.app.review import read_reviewed

        reviewed = read_reviewed(submission.book, standard, as_of=as_of)
        evidence, warnings, review = reviewed.evidence, reviewed.warnings, reviewed.review
    else:
        evidence, warnings = inspect_workbook(submission.book, standard, as_of=as_of)
    from citcert.app.details import reading_line

    assessment = assess(standard, evidence, as_of=as_of, mode=mode)
    extra = audit_warnings(submission, evidence, assessment)
    if review is not None:
        extra = (*extra, *_blank_ratings(review, assessment), *_raters_texts(submission, review))
        if today is not None:
            extra = (*_review_after(submission, review, today), *extra)
    if today is not None and evidence.profile.assessment_date > today:
        extra = (_future(submission, evidence.profile.assessment_date, today), *extra)
    details = [*details, reading_line(assessment)]
    return Checked(
        submission.name, standard.ref, warnings=(*warnings, *extra), details=tuple(details)
    )


def audit_warnings(
    submission: Submission, evidence: Evidence, assessment: Assessment
) -> tuple[Problem, ...]:
    """What the audit will mark down that the reader accepts, each at its cell."""
    from citcert.audit.assessment import FindingKind

    file = submission.name
    found = [
        Problem(
            Location(file=file, sheet=_sheet(result.cell), cell=_cell(result.cell)),
            f"a core requirement, and the audit will mark it down: {finding.message}",
            f"{result.requirement_id}, rating",
        )
        for result in assessment.results
        if result.core
        for finding in result.findings
        if finding.kind is FindingKind.UNSUPPORTED_CLAIM
    ]
    found += _contradicted(submission, assessment)
    found += _unlisted_documents(submission, evidence)
    found += _either_way(submission)
    review = no_reviewer_ratings(evidence, assessment.provenance.mode, submission)
    if review is not None:
        found.append(review)
    return tuple(found)


def no_reviewer_ratings(evidence: Evidence, mode: Mode, submission: Submission) -> Problem | None:
    """The warning for a review whose workbook holds no reviewer rating at all, else None."""
    from citcert.workbook.evidence import Unanswered
    from citcert.workbook.review.layout import REVIEW_SHEET, is_review

    if mode is not Mode.REVIEW or not evidence.requirements:
        return None
    if any(not isinstance(r.reviewer_rating, Unanswered) for r in evidence.requirements):
        return None
    if is_review(submission.book):
        return Problem(
            Location(file=evidence.file_name, sheet=REVIEW_SHEET),
            "no rating is filled in yet: every requirement will be scored on the program's own "
            "rating, marked unverified. Fill in the Rating column",
            "Rating",
        )
    return Problem(
        Location(file=evidence.file_name, sheet="Evidence"),
        "a review (--mode review or the workbook's assessment type), but no reviewer rating is "
        "filled in: every requirement will be scored on the program's own rating, marked "
        "unverified. Fill in the Reviewer rating column, or audit with --mode self",
        "Reviewer rating",
    )


def review_without_ratings(assessment: Assessment) -> str | None:
    """For `audit`: the warning when a review's workbook holds no reviewer rating, else None."""
    if assessment.provenance.mode is not Mode.REVIEW or not assessment.results:
        return None
    if any(r.reviewer_level is not None for r in assessment.results):
        return None
    return (
        f"Warning: {assessment.provenance.workbook_name}: a review, but no reviewer rating is "
        "filled in: every requirement is scored on the program's own rating, marked unverified"
    )


def _blank_ratings(review: Review, assessment: Assessment) -> list[Problem]:
    """
    A warning at each rating a review leaves blank when it rates others (one rating none of
    them is `no_reviewer_ratings`'s): the audit scores that requirement on the program's own
    rating, marked unverified. A requirement the standard leaves out for the program is none.
    """
    from citcert.audit.assessment import FindingKind
    from citcert.workbook.evidence import Unanswered

    blank = [r for r in review.requirements if isinstance(r.rating, Unanswered)]
    if len(blank) == len(review.requirements):
        return []
    left_out = {
        result.requirement_id
        for result in assessment.results
        if any(f.kind is FindingKind.NOT_FOR_THIS_PROGRAM for f in result.findings)
    }
    return [
        Problem(
            Location(file=review.file_name, sheet=r.cell.sheet, cell=r.cell.cell),
            "no rating: the audit will score this requirement on the program's own rating, "
            "marked unverified",
            f"{r.requirement_id}, rating",
        )
        for r in blank
        if r.cell is not None and r.requirement_id not in left_out
    ]


def _raters_texts(submission: Submission, review: Review) -> list[Problem]:
    """
    A warning at each comment or strength of a consensus that is still each rater's own text
    under their name, as `review reconcile` joined them: those go to the program, which would
    read who said what (and so how the raters split) instead of the panel's one word.
    """
    from citcert.workbook.review import layout as R
    from citcert.workbook.sheets import Findings, find_table

    if review.kind is not R.Kind.CONSENSUS or len(review.reviewers) < 2:
        return []
    table = find_table(submission.book, R.REVIEW_SHEET, R.REVIEW_COLUMNS, Findings(""))
    if table is None:
        return []
    found = []
    for item in review.requirements:
        for key, text in (("comment", item.comment), ("strength", item.strength)):
            lines = [line for line in text.split("\n") if line.strip()]
            named = [any(line.startswith(f"{n}: ") for n in review.reviewers) for line in lines]
            if len(lines) < 2 or not all(named) or item.cell is None:
                continue
            number = int("".join(c for c in item.cell.cell if c.isdigit()))
            cell = table.cell(number, key)
            found.append(
                Problem(
                    Location(file=review.file_name, sheet=table.sheet, cell=cell),
                    f"still each rater's own {key} under their name: the program reads this, "
                    f"so write the panel's one {key} instead",
                    f"{item.requirement_id}, {key}",
                )
            )
    return found


def _either_way(submission: Submission) -> list[Problem]:
    """
    A warning at each date typed as text that reads both ways (``03/04/2026``): the audit reads
    it month first, which a reviewer who writes the day first would not mean. Said once per
    workbook in full; the cells after the first say which date they are read as.
    """
    from citcert.workbook.layout import cell_name
    from citcert.workbook.ratings import either_way

    found: list[Problem] = []
    for sheet, rows in submission.book.sheets.items():
        for number, row in enumerate(rows, start=1):
            for column, cell in enumerate(row, start=1):
                dates = either_way(cell.value)
                if dates is None:
                    continue
                read, other = dates
                text = (
                    f"typed as text, read month first as {read:%B} {read.day}, {read.year}; "
                    f"if {other.day} is the month, type {other.isoformat()} (or enter it as a "
                    "date)"
                )
                if found:
                    text = f"read month first as {read.isoformat()} (typed as text)"
                where = Location(file=submission.name, sheet=sheet, cell=cell_name(column, number))
                found.append(Problem(where, text, _label(rows, sheet, number, column)))
    return found


def _label(rows: Sequence[Row], sheet: str, number: int, column: int) -> str | None:
    """What a cell holds, as its sheet names it: a Program row's label, else its column header."""
    from citcert.workbook import layout as L
    from citcert.workbook.ratings import clean_text

    row, at = (number, 2) if sheet == L.PROGRAM_SHEET else (L.HEADER_ROW, column)
    if (number <= L.HEADER_ROW and sheet != L.PROGRAM_SHEET) or len(rows[row - 1]) < at:
        return None
    return clean_text(rows[row - 1][at - 1].value) or None


def _unlisted_documents(submission: Submission, evidence: Evidence) -> list[Problem]:
    """A warning per document reference that the Documents sheet does not list."""
    from citcert.audit.context import document_key
    from citcert.workbook import layout as L
    from citcert.workbook.sheets import Findings, find_table

    listed = {document_key(d.name) for d in evidence.documents}
    table = find_table(submission.book, L.EVIDENCE_SHEET, L.EVIDENCE_COLUMNS, Findings(""))
    if table is None:
        return []
    found = []
    for item in evidence.requirements:
        if item.row is None:
            continue
        number = int("".join(c for c in item.row.cell if c.isdigit()))
        where = Location(
            file=submission.name, sheet=table.sheet, cell=table.cell(number, "documents")
        )
        found += [
            Problem(
                where,
                f"“{name}” is not listed in the Documents sheet, so the audit cannot date it "
                "or link to it; add it there (or correct the name)",
                f"{item.requirement_id}, document references",
            )
            for name in item.documents
            if document_key(name) not in listed
        ]
    return found


def _program_cell(submission: Submission, key: str) -> Location:
    """The Program sheet's value cell of the row `key` (the sheet alone when it is not found)."""
    from citcert.workbook import layout as L
    from citcert.workbook.sheets import Findings, find_table, keyed_rows

    table = find_table(submission.book, L.PROGRAM_SHEET, L.PROGRAM_COLUMNS, Findings(""))
    rows = keyed_rows(table, [key], Findings("")) if table else {}
    cell = table.cell(rows[key][0], "value") if table and key in rows else None
    return Location(file=submission.name, sheet=L.PROGRAM_SHEET, cell=cell)


def _contradicted(submission: Submission, assessment: Assessment) -> list[Problem]:
    """A warning per number typed on the Program sheet that its record sheet contradicts."""
    from citcert.audit.findings import shown

    return [
        Problem(
            _program_cell(submission, item.number_id),
            f"{shown(item.typed)} is typed here, but the {item.sheet} sheet gives "
            f"{shown(item.value)} ({item.working}); the audit uses the records' figure. "
            "Correct the one that is wrong",
            item.label,
        )
        for item in assessment.derived_numbers
        if item.agrees is False
    ]


def _future(submission: Submission, day: dt.date, today: dt.date) -> Problem:
    """The warning for an assessment date after today, at its cell."""
    from citcert.workbook.program_sheet import ASSESSMENT_DATE

    return Problem(
        _program_cell(submission, ASSESSMENT_DATE),
        f"{day.isoformat()} is after today ({today.isoformat()}): every date and every "
        '"in the last 12 months" is judged as of it. Check the year, or leave it if the '
        "assessment is planned for that day",
        "Assessment date",
    )


def _review_after(submission: Submission, review: Review, today: dt.date) -> list[Problem]:
    """A warning at a review or decision date after today (a year typed wrong), at its cell."""
    from citcert.workbook.ratings import clean_text
    from citcert.workbook.review import layout as R

    rows = submission.book.sheets.get(R.REVIEWER_SHEET) or []
    where = {clean_text(r[0].value): f"C{n}" for n, r in enumerate(rows, 1) if r}
    dates = (
        ("review_date", "Review date", review.review_date, "the program's response window"),
        ("decision_date", "Decision date", review.decision_date, "the decision"),
    )
    told = {review.review_date}  # a final review's decision date defaults to its review date
    return [
        Problem(
            Location(file=submission.name, sheet=R.REVIEWER_SHEET, cell=where.get(key)),
            f"{day.isoformat()} is after today ({today.isoformat()}), and {what} is dated from "
            "it: check the year",
            label,
        )
        for key, label, day, what in dates
        if day is not None and day > today and (key == "review_date" or day not in told)
    ]


def _sheet(cell: str | None) -> str | None:
    return cell.split("!", 1)[0] if cell and "!" in cell else None


def _cell(cell: str | None) -> str | None:
    return cell.split("!", 1)[1] if cell and "!" in cell else None


def requirement_id(problem: Problem) -> RequirementId | None:
    """The requirement a problem is about (from its subject, ``TRN-01, self rating``), if any."""
    if not problem.subject:
        return None
    head = problem.subject.split(",", 1)[0].strip()
    return (
        RequirementId(head) if head[:1].isalpha() and "-" in head and head.upper() == head else None
    )


# ---------------------------------------------------------------------------------------------
# The JSON output of ``validate --format json`` and its schema (``citcert schema validation``)


class ProblemOut(Model):
    """One problem: where it is, what it concerns, how serious, and what to do."""

    file: str | None
    sheet: str | None
    cell: str | None
    line: int | None
    column: int | None
    requirement_id: RequirementId | None
    subject: str | None
    severity: Severity
    message: str


class FileOut(Model):
    """One workbook checked."""

    file: str
    standard: str | None
    ready: bool
    """True when it can be audited (warnings do not stop it)."""
    errors: int
    warnings: int
    problems: tuple[ProblemOut, ...]


class ValidationReport(Model):
    """What ``citcert validate --format json`` prints: every workbook checked, in order."""

    schema_version: Literal["1.0"] = "1.0"
    ready: bool
    """True when every workbook can be audited (exit status 0)."""
    files: tuple[FileOut, ...]


def validation_report(results: Sequence[Checked]) -> ValidationReport:
    """The checks of several workbooks as the JSON document ``validate`` prints."""
    return ValidationReport(
        ready=all(r.ready for r in results),
        files=tuple(
            FileOut(
                file=r.file,
                standard=r.standard_ref,
                ready=r.ready,
                errors=len(r.errors),
                warnings=len(r.warnings),
                problems=(
                    *(_out(p, "error") for p in r.errors),
                    *(_out(p, "warning") for p in r.warnings),
                ),
            )
            for r in results
        ),
    )


def _out(problem: Problem, severity: Severity) -> ProblemOut:
    return ProblemOut(**problem.fields(), requirement_id=requirement_id(problem), severity=severity)
