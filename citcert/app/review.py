"""
The review cycle's use cases: start a reviewer's workbook, read one back, reconcile several.

`citcert review start` copies a submitted evidence workbook into a reviewer's workbook bound to
it by SHA-256; `citcert review reconcile` measures the raters' agreement and writes the
consensus workbook; `citcert audit` and `citcert validate` of a review or consensus workbook
come through `read_reviewed`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from citcert.errors import Location, Problem, WorkbookError
from citcert.standards.identity import RequirementId

if TYPE_CHECKING:
    from citcert.audit.assessment import Assessment
    from citcert.audit.review_model import AgreementFigures
    from citcert.standards.model import Standard
    from citcert.standards.store import StandardsStore
    from citcert.workbook.evidence import Evidence, Mode
    from citcert.workbook.review.model import Review
    from citcert.workbook.review.writer import Prefill
    from citcert.workbook.sheets import Book


@dataclass(frozen=True, slots=True)
class Reviewed:
    """A review workbook read: the program's evidence as submitted, the review, and the two
    combined (the reviewers' ratings and corrected numbers in place) for scoring."""

    base: Evidence
    review: Review
    evidence: Evidence
    warnings: tuple[Problem, ...] = ()
    """What reading the program's sheets noticed, located (for `validate`)."""


def read_reviewed(
    book: Book, standard: Standard, *, as_of: dt.date | None = None, submission: Book | None = None
) -> Reviewed:
    """Read and check a review or consensus workbook; raises with located problems."""
    from citcert.workbook.reader import inspect_workbook
    from citcert.workbook.review.reader import check_standard, check_submission, read_review

    check_standard(book, standard)
    base, warnings = inspect_workbook(book, standard, as_of=as_of)
    check_submission(book, base, submission)
    review = read_review(book, standard, base)
    return Reviewed(base, review, apply_review(base, review), warnings)


def apply_review(evidence: Evidence, review: Review) -> Evidence:
    """The evidence as the reviewers see it: their ratings and comments, their numbers."""
    from citcert.workbook.evidence import Mode

    rows = tuple(
        row.model_copy(
            update={
                "reviewer_rating": review.for_requirement(row.requirement_id).rating,
                "reviewer_comment": review.for_requirement(row.requirement_id).comment,
            }
        )
        for row in evidence.requirements
    )
    numbers = dict(evidence.numbers) | {c.number_id: c.value for c in review.corrections}
    profile = evidence.profile.model_copy(
        update={"assessment_type": Mode.REVIEW, "reviewer": ", ".join(review.reviewers)}
    )
    return evidence.model_copy(
        update={
            "requirements": rows,
            "numbers": numbers,
            "corrected": frozenset(c.number_id for c in review.corrections),
            "profile": profile,
            "file_name": review.file_name,
            "workbook_sha256": review.workbook_sha256,
        }
    )


def assess_reviewed(
    standard: Standard, reviewed: Reviewed, *, as_of: dt.date | None, mode: Mode | None
) -> Assessment:
    """The assessment of the reviewers' ratings, with the review facts for every audience."""
    from citcert.audit.review_facts import review_facts
    from citcert.audit.scoring import assess

    assessment = assess(standard, reviewed.evidence, as_of=as_of, mode=mode)
    facts = review_facts(standard, reviewed.base, reviewed.review)
    return assessment.model_copy(update={"review": facts})


REVIEWER_LENGTH = 200
"""The longest reviewer name and role accepted, in characters."""


def _check_reviewer(reviewer: str) -> None:
    """Refuse a reviewer name that is empty, too long, or not plain one-line text."""
    from citcert._text import code, not_one_line

    if not reviewer.strip():
        raise WorkbookError.single("a reviewer's name is needed", subject="--reviewer")
    if len(reviewer) > REVIEWER_LENGTH:
        raise WorkbookError.single(
            f"{len(reviewer):,} characters is too long; give a name and role of at most "
            f"{REVIEWER_LENGTH}",
            subject="--reviewer",
        )
    char = not_one_line(reviewer)
    if char is not None:
        what = _NAMED.get(char, f"a character that is not text ({code(char)})")
        raise WorkbookError.single(
            f"the name holds {what}; type the name and role on one line, as they should read "
            "in the report",
            subject="--reviewer",
        )


_NAMED = {"\t": "a tab", "\n": "a line break", "\r": "a line break", "\u2028": "a line break"}
"""The characters people paste into a name by mistake, by their names."""


def start_review(
    path: Path,
    store: StandardsStore,
    reviewer: str,
    *,
    review_date: dt.date | None = None,
) -> bytes:
    """A reviewer's workbook for the submission at `path`, as .xlsx bytes."""
    from citcert.app.workbook import StandardChoice
    from citcert.workbook.container import read_checked
    from citcert.workbook.reader import open_book, read_standard_ref, read_workbook
    from citcert.workbook.review import layout as R
    from citcert.workbook.review.layout import is_review
    from citcert.workbook.review.writer import Plan, review_workbook

    _check_reviewer(reviewer)
    book = open_book(path)
    if is_review(book):
        raise WorkbookError.single(
            "this is already a review workbook; start a review from the program's submitted "
            "evidence workbook",
            Location(file=book.name),
        )
    standard = StandardChoice(None, None, store).resolve(read_standard_ref(book))
    evidence = read_workbook(book, standard)
    plan = Plan(
        kind=R.Kind.REVIEW,
        reviewers=(reviewer.strip(),),
        rows=_legacy_prefill(standard, evidence),
        review_date=review_date,
    )
    return review_workbook(read_checked(path), evidence, standard, plan)


def _legacy_prefill(standard: Standard, evidence: Evidence) -> dict[RequirementId, Prefill]:
    """A layout-1 workbook's Reviewer columns, carried into the reviewer's workbook."""
    from citcert.workbook.evidence import Unanswered
    from citcert.workbook.review.writer import Prefill, typed_label

    return {
        row.requirement_id: Prefill(
            rating=typed_label(standard, row.reviewer_rating), comment=row.reviewer_comment
        )
        for row in evidence.requirements
        if not isinstance(row.reviewer_rating, Unanswered) or row.reviewer_comment
    }


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """What `reconcile` made: the consensus workbook and the agreement figures, and whose."""

    workbook: bytes
    figures: AgreementFigures
    raters: tuple[str, ...]
    program_name: str = ""
    submission_name: str = ""
    """The submitted workbook's file name, as the reviews record it."""
    standard_ref: str = ""


def reconcile(
    paths: Sequence[Path],
    store: StandardsStore,
    *,
    submission: Path | None = None,
) -> Reconciliation:
    """Read every reviewer's workbook of one submission and write the consensus workbook."""
    from citcert.app.workbook import StandardChoice
    from citcert.workbook.container import read_checked
    from citcert.workbook.reader import open_book
    from citcert.workbook.review.reader import review_meta

    if len(paths) < 2:
        raise WorkbookError.single("reconcile needs at least two reviewers' workbooks")
    books = [_review_book(open_book(p)) for p in paths]
    ref = review_meta(books[0]).get("standard_ref") or None
    standard = StandardChoice(None, None, store).resolve(ref)
    given = open_book(submission) if submission else None
    reviewed = [read_reviewed(b, standard, submission=given) for b in books]
    _each_once(books, reviewed)
    _each_reviewer_once(books, reviewed)
    _same_submission(books, reviewed)
    raters = _rater_names(reviewed)
    data = _consensus_bytes(read_checked(paths[0]), standard, reviewed, raters)
    first = reviewed[0]
    return Reconciliation(
        data,
        _figures(standard, reviewed, raters),
        raters,
        program_name=first.base.profile.program_name,
        submission_name=first.review.submission_name,
        standard_ref=standard.ref,
    )


def _review_book(book: Book) -> Book:
    from citcert.workbook.review.layout import is_review
    from citcert.workbook.review.reader import review_meta

    if not is_review(book) or review_meta(book).get("kind") != "review":
        raise WorkbookError.single(
            "this is not a reviewer's workbook (make one with `citcert review start`)",
            Location(file=book.name),
        )
    return book


def _each_once(books: Sequence[Book], reviewed: Sequence[Reviewed]) -> None:
    """Refuse a review given twice (the same file, or a copy): it would count as two raters."""
    seen: dict[str, str] = {}
    for book, item in zip(books, reviewed, strict=True):
        earlier = seen.get(item.review.workbook_sha256)
        if earlier is not None:
            what = "given twice" if earlier == book.name else f"the same as {earlier} (a copy)"
            raise WorkbookError.single(
                f"this review is {what}; give each reviewer's workbook once",
                Location(file=book.name),
            )
        seen[item.review.workbook_sha256] = book.name


def _each_reviewer_once(books: Sequence[Book], reviewed: Sequence[Reviewed]) -> None:
    """
    Refuse two reviews by one reviewer (names as people read them): two drafts of one review,
    or a review saved twice after edits, would count one person as two raters agreeing.
    """
    from citcert._words import plain_name
    from citcert.workbook.review import layout as R

    seen: dict[str, str] = {}
    for book, item in zip(books, reviewed, strict=True):
        for name in item.review.reviewers:
            earlier = seen.get(plain_name(name))
            if earlier is not None:
                raise WorkbookError.single(
                    f"this review is by {name}, as {earlier} is: give each reviewer's workbook "
                    "once (of two drafts, the one to count; reviewers who share a name, each "
                    "with a name of their own on the Reviewer sheet)",
                    Location(file=book.name, sheet=R.REVIEWER_SHEET, cell=_reviewer_cell(book)),
                )
        seen.update((plain_name(name), book.name) for name in item.review.reviewers)


def _reviewer_cell(book: Book) -> str | None:
    """The cell of the reviewer's name on the Reviewer sheet (column C of its row)."""
    from citcert.workbook.ratings import clean_text
    from citcert.workbook.review import layout as R

    rows = book.sheets.get(R.REVIEWER_SHEET) or []
    found = (n for n, row in enumerate(rows, 1) if row and clean_text(row[0].value) == "reviewer")
    number = next(found, None)
    return f"C{number}" if number else None


def _same_submission(books: Sequence[Book], reviewed: Sequence[Reviewed]) -> None:
    from citcert.workbook.review import layout as R
    from citcert.workbook.review.reader import meta_cell

    first = reviewed[0].review
    for book, item in zip(books[1:], reviewed[1:], strict=True):
        if item.review.submission_sha256 != first.submission_sha256:
            raise WorkbookError.single(
                f"this review was made from another submission ({item.review.submission_name}, "
                f"SHA-256 {item.review.submission_sha256[:12]}…) than {books[0].name} "
                f"({first.submission_name}, {first.submission_sha256[:12]}…); reconcile only "
                "reviews of the same submitted workbook",
                Location(
                    file=book.name,
                    sheet=R.REVIEW_META_SHEET,
                    cell=meta_cell(R.ReviewMeta.SUBMISSION_SHA256),
                ),
            )


def _rater_names(reviewed: Sequence[Reviewed]) -> tuple[str, ...]:
    """Each review's reviewers as one rater (distinct: `_each_reviewer_once`)."""
    return tuple(" & ".join(item.review.reviewers) for item in reviewed)


def _figures(
    standard: Standard, reviewed: Sequence[Reviewed], raters: tuple[str, ...]
) -> AgreementFigures:
    from citcert.audit.review_facts import rater_agreement

    ratings = {
        rid: tuple(r.review.for_requirement(rid).rating for r in reviewed)
        for _, rid in ((d, q.id) for d, q in standard.requirements())
    }
    comments = {
        rid: tuple(r.review.for_requirement(rid).comment for r in reviewed) for rid in ratings
    }
    return rater_agreement(standard, raters, ratings, comments)


def _consensus_bytes(
    data: bytes, standard: Standard, reviewed: Sequence[Reviewed], raters: tuple[str, ...]
) -> bytes:
    from citcert.workbook.review import layout as R
    from citcert.workbook.review.writer import Plan, Prefill, review_workbook, typed_label

    rows = {}
    for _, requirement in standard.requirements():
        items = [r.review.for_requirement(requirement.id) for r in reviewed]
        labels = tuple(typed_label(standard, i.rating) for i in items)
        rows[requirement.id] = Prefill(
            rating=labels[0] if len(set(labels)) == 1 else "",
            comment=_joined(raters, [i.comment for i in items]),
            note=_joined(raters, [i.note for i in items]),
            strength=_joined(raters, [i.strength for i in items]),
            raters=labels,
        )
    first = reviewed[0].review
    plan = Plan(
        kind=R.Kind.CONSENSUS,
        reviewers=raters,
        rows=rows,
        corrections=_corrections(raters, reviewed),
        review_date=max(r.review.review_date for r in reviewed),
        submission=(first.submission_name, first.submission_sha256),
    )
    return review_workbook(data, reviewed[0].base, standard, plan)


def _joined(raters: Sequence[str], texts: Sequence[str]) -> str:
    """The raters' texts: one as it is, several each under the rater's name."""
    given = [(name, text) for name, text in zip(raters, texts, strict=True) if text]
    if len({text for _, text in given}) == 1:
        return given[0][1]
    return "\n".join(f"{name}: {text}" for name, text in given)


def _corrections(raters: Sequence[str], reviewed: Sequence[Reviewed]) -> dict[str, tuple[str, str]]:
    """Corrections the raters agree on are carried; differing ones wait for the consensus."""
    from citcert.workbook.ratings import clean_text
    from citcert.workbook.review import layout as R

    out: dict[str, tuple[str, str]] = {}
    ids = {c.number_id for r in reviewed for c in r.review.corrections}
    for number_id in sorted(ids):
        given = [
            (name, c)
            for name, r in zip(raters, reviewed, strict=True)
            for c in r.review.corrections
            if c.number_id == number_id
        ]
        values = {c.value for _, c in given}
        reasons = _joined([n for n, _ in given], [c.reason for _, c in given])
        if len(values) == 1 and len(given) == len(reviewed):
            out[number_id] = (clean_text(given[0][1].value), reasons)
        else:
            told = "; ".join(f"{n}: {clean_text(c.value)} ({c.reason})" for n, c in given)
            out[number_id] = ("", f"{R.DIFFERING_CORRECTION}: {told}")
    return out
