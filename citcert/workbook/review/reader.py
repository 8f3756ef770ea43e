"""
Read a reviewer's (or consensus) workbook back: the program's evidence, checked against the
submission it was made from, and the `Review`, with every problem located as ``Sheet!Cell``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from citcert.errors import Location, StandardMismatchError, WorkbookError
from citcert.standards.model import RequirementId, Standard
from citcert.workbook import layout as L
from citcert.workbook.evidence import Answer, CellRef, Evidence, NotApplicableAnswer, Unanswered
from citcert.workbook.program_sheet import number_parser
from citcert.workbook.ratings import (
    Invalid,
    clean_text,
    is_blank,
    parse_answer,
    parse_date,
    parse_number,
    parse_text,
)
from citcert.workbook.review import layout as R
from citcert.workbook.review.model import Correction, RaterRating, RequirementReview, Review
from citcert.workbook.review.writer import evidence_sha256
from citcert.workbook.sheets import Book, Findings, Row, Table, find_table, keyed_rows


def review_meta(book: Book) -> dict[str, str]:
    """The review metadata sheet as key → text."""
    rows = book.sheets.get(R.REVIEW_META_SHEET) or []
    return {
        clean_text(r[0].value): clean_text(r[1].value) for r in rows if len(r) > 1 and r[0].value
    }


def meta_cell(key: R.ReviewMeta) -> str:
    """The cell of a metadata key's value, for messages."""
    return f"B{list(R.ReviewMeta).index(key) + 1}"


def check_standard(book: Book, standard: Standard) -> None:
    """Refuse a review made for another standard or version than `standard`."""
    made_for = review_meta(book).get(R.ReviewMeta.STANDARD_REF, "")
    if made_for != standard.ref:
        raise StandardMismatchError.single(
            f"this review workbook was made for {made_for or 'an unknown standard'}, not "
            f"{standard.ref}; every review of one submission must rate the same standard version. "
            f"Make it again with: citcert review start SUBMISSION.xlsx --reviewer NAME",
            _where(book, R.ReviewMeta.STANDARD_REF),
        )


def _where(book: Book, key: R.ReviewMeta) -> Location:
    return Location(file=book.name, sheet=R.REVIEW_META_SHEET, cell=meta_cell(key))


def check_submission(book: Book, evidence: Evidence, submission: Book | None = None) -> None:
    """
    Refuse a review whose program part was edited, or that was made from another submission.

    The evidence read from the review's locked sheets must be the evidence it was made from
    (its fingerprint); with `submission`, that file must be the very file (its SHA-256).
    """
    meta = review_meta(book)
    if meta.get(R.ReviewMeta.EVIDENCE_SHA256) != evidence_sha256(evidence):
        raise WorkbookError.single(
            "the program's answers in this review workbook were changed after it was made "
            f"from {meta.get(R.ReviewMeta.SUBMISSION_NAME, 'its submission')}; make the review "
            "workbook again with `citcert review start` and copy the reviewer's cells into it",
            _where(book, R.ReviewMeta.EVIDENCE_SHA256),
        )
    made_from = meta.get(R.ReviewMeta.SUBMISSION_SHA256, "")
    if submission is not None and submission.sha256 != made_from:
        raise WorkbookError.single(
            f"this review was made from {meta.get(R.ReviewMeta.SUBMISSION_NAME)} with SHA-256 "
            f"{made_from[:12]}…, but {submission.name} has SHA-256 {submission.sha256[:12]}…: "
            "it is a different or edited submission. Start a new review from the submission "
            "as it is now (citcert review start)",
            _where(book, R.ReviewMeta.SUBMISSION_SHA256),
        )


def read_review(book: Book, standard: Standard, evidence: Evidence) -> Review:
    """The review sheets of `book` for `standard`; raises with every located problem."""
    meta = review_meta(book)
    kind = R.Kind(meta.get(R.ReviewMeta.KIND, "review"))
    raters = tuple(n for n in meta.get(R.ReviewMeta.RATERS, "").split("\n") if n)
    findings = Findings(book.name)
    reader = _Reader(standard, findings, kind, raters)
    requirements = reader.requirements(book)
    corrections = reader.corrections(book, evidence)
    who = reader.reviewer(book, evidence.profile.assessment_date)
    if findings.errors:
        number = len(findings.errors)
        count = f"{number} problem{'' if number == 1 else 's'}"
        raise WorkbookError(
            findings.errors,
            headline=f"{book.name} cannot be audited yet: {count} to fix",
        )
    return Review(
        kind=kind,
        file_name=book.name,
        workbook_sha256=book.sha256,
        submission_name=meta.get(R.ReviewMeta.SUBMISSION_NAME, ""),
        submission_sha256=meta.get(R.ReviewMeta.SUBMISSION_SHA256, ""),
        requirements=requirements,
        corrections=corrections,
        **who,
    )


@dataclass
class _Reader:
    standard: Standard
    findings: Findings
    kind: R.Kind
    raters: tuple[str, ...]

    def _columns(self) -> tuple[L.Column, ...]:
        extra = tuple(
            L.Column(f"rater{i}", f"{R.RATER_PREFIX}{name}", 16, required=True, subject="rating")
            for i, name in enumerate(self.raters)
        )
        return (*R.REVIEW_COLUMNS, *extra)

    def _text(self, table: Table, number: int, row: Row, key: str) -> str:
        if key not in table.columns:
            return ""
        value = parse_text(table.get(row, key).value)
        if isinstance(value, Invalid):
            self.findings.error(table.sheet, table.cell(number, key), value.message)
            return ""
        return value

    def _answer(self, table: Table, number: int, row: Row, key: str, rid: RequirementId) -> Answer:
        raw = table.get(row, key).value
        scale = self.standard.scoring.scale
        answer = parse_answer(raw, scale)
        if isinstance(answer, Invalid):
            self.findings.error(table.sheet, table.cell(number, key), answer.message)
            return Unanswered()
        if isinstance(answer, NotApplicableAnswer) and not (
            self.standard.requirement(rid).not_applicable.allowed
        ):
            self.findings.error(
                table.sheet,
                table.cell(number, key),
                f'"{scale.not_applicable_label}" is not allowed here: every program must meet '
                f"{rid}",
            )
        return answer

    def requirements(self, book: Book) -> tuple[RequirementReview, ...]:
        """One `RequirementReview` per requirement of the standard, in its order."""
        table = find_table(book, R.REVIEW_SHEET, self._columns(), self.findings)
        if table is None:
            return ()
        wanted = {r.id for _, r in self.standard.requirements()}
        found: dict[RequirementId, RequirementReview] = {}
        for number, row in table.rows:
            rid = RequirementId(clean_text(table.get(row, "id").value).upper())
            if rid not in wanted or rid in found:
                if rid:
                    self.findings.error(
                        table.sheet, table.cell(number, "id"), f"{rid} is unknown or repeated"
                    )
                continue
            found[rid] = self._row(table, number, row, rid)
        return tuple(found[r.id] for _, r in self.standard.requirements() if r.id in found)

    def _row(self, table: Table, number: int, row: Row, rid: RequirementId) -> RequirementReview:
        item = RequirementReview(
            requirement_id=rid,
            rating=self._answer(table, number, row, "rating", rid),
            comment=self._text(table, number, row, "comment"),
            note=self._text(table, number, row, "note"),
            strength=self._text(table, number, row, "strength"),
            reason=self._text(table, number, row, "reason"),
            raters=tuple(
                RaterRating(rater=name, rating=self._answer(table, number, row, f"rater{i}", rid))
                for i, name in enumerate(self.raters)
            ),
            cell=CellRef(sheet=table.sheet, cell=table.cell(number, "rating")),
        )
        if self.kind is R.Kind.CONSENSUS:
            self._check_resolved(table, number, item)
        return item

    def _check_resolved(self, table: Table, number: int, item: RequirementReview) -> None:
        ratings = {r.rating.model_dump_json() for r in item.raters}
        if len(ratings) < 2:
            return
        cell = table.cell(number, "rating")
        if isinstance(item.rating, Unanswered):
            self.findings.error(
                table.sheet,
                cell,
                f"{item.requirement_id}: the raters disagree and no consensus rating is given; "
                "choose one",
            )
        if not item.reason:
            self.findings.error(
                table.sheet,
                table.cell(number, "reason") if "reason" in table.columns else cell,
                f"{item.requirement_id}: the raters disagree; give the reason for the consensus",
            )

    def corrections(self, book: Book, evidence: Evidence) -> tuple[Correction, ...]:
        """The corrected program numbers (rows with a corrected value)."""
        table = find_table(book, R.CORRECTIONS_SHEET, R.CORRECTION_COLUMNS, self.findings)
        if table is None:
            return ()
        numbers = {n.id: n for n in self.standard.program_numbers}
        out = []
        for key, (number, row) in keyed_rows(table, list(numbers), self.findings).items():
            raw = table.get(row, "value").value
            if is_blank(raw):
                if self._text(table, number, row, "reason").startswith(R.DIFFERING_CORRECTION):
                    self.findings.error(
                        table.sheet,
                        table.cell(number, "value"),
                        f"{key}: the raters corrected this number differently; type the "
                        "consensus value (or clear the reason to keep the program's)",
                    )
                continue
            value = number_parser(numbers[key])(raw)
            reason = self._text(table, number, row, "reason")
            if isinstance(value, Invalid):
                self.findings.error(table.sheet, table.cell(number, "value"), value.message)
                continue
            if not reason:
                self.findings.error(
                    table.sheet,
                    table.cell(number, "reason"),
                    f"{key}: a corrected number needs a reason",
                )
            elif reason.startswith(R.DIFFERING_CORRECTION):
                self.findings.error(
                    table.sheet,
                    table.cell(number, "reason"),
                    f"{key}: the reason still lists each rater's number; replace it with the "
                    "consensus's reason (it goes into the program's report)",
                )
            given = evidence.numbers.get(key)
            assert isinstance(value, int | float | dt.date | str)
            out.append(
                Correction(
                    number_id=key,
                    label=numbers[key].label,
                    program_value="" if given is None else clean_text(given),
                    value=value,
                    reason=reason,
                    cell=CellRef(sheet=table.sheet, cell=table.cell(number, "value")),
                )
            )
        self._check_bounds(evidence, out)
        return tuple(out)

    def _check_bounds(self, evidence: Evidence, corrections: Sequence[Correction]) -> None:
        """No number may exceed the one it is part of (``not_more_than``) once corrected."""
        corrected = {c.number_id: c for c in corrections}
        numbers = dict(evidence.numbers) | {c.number_id: c.value for c in corrections}
        for spec in self.standard.program_numbers:
            limit_id = spec.not_more_than or ""
            value, limit = numbers.get(spec.id), numbers.get(limit_id)
            where = corrected.get(spec.id) or corrected.get(limit_id)
            if where is None or not isinstance(value, int | float):
                continue
            if isinstance(limit, int | float) and value > limit:
                partner = self.standard.number(limit_id)
                part, whole = (clean_text(value), clean_text(limit))
                problem = (
                    f"{spec.label} would be {part}, more than {partner.label} ({whole})"
                    if where.number_id == spec.id
                    else f"{partner.label} would be {whole}, fewer than {spec.label} ({part})"
                )
                self.findings.error(
                    where.cell.sheet,
                    where.cell.cell,
                    f"{where.number_id}: {problem}; check both numbers",
                )

    def reviewer(self, book: Book, assessed: dt.date) -> dict[str, object]:
        """
        Name(s), review date, status, response window and decision date; a review dated before
        the assessment it reviews (`assessed`) is refused at its cell, as a decision dated
        before the review is.
        """
        rows = book.sheets.get(R.REVIEWER_SHEET) or []
        raw = {clean_text(r[0].value): (n, r[2].value) for n, r in enumerate(rows, 1) if len(r) > 2}
        sheet = R.REVIEWER_SHEET

        def value(key: str) -> tuple[str, object]:
            number, cell = raw.get(key, (0, None))
            return f"C{number}" if number else "C", cell

        where, names = value("reviewer")
        reviewers = tuple(n for n in clean_text(names).split("\n") if n.strip())
        if not reviewers:
            self.findings.error(sheet, where, "the reviewer's name is missing")
        where, typed = value("review_date")
        date = parse_date(typed) if not is_blank(typed) else Invalid("the review date is missing")
        if isinstance(date, Invalid):
            self.findings.error(sheet, where, date.message)
            date = dt.date(1970, 1, 1)
        elif date < assessed:
            self.findings.error(
                sheet,
                where,
                f"the review date {date.isoformat()} is before the assessment date "
                f"{assessed.isoformat()} of the workbook it reviews; check the year",
            )
        where, status = value("status")
        final = clean_text(status).casefold() == "final"
        if clean_text(status).casefold() not in ("draft", "final", ""):
            self.findings.error(sheet, where, f'"{clean_text(status)}" is not Draft or Final')
        where, days = value("response_days")
        window = parse_number(days if not is_blank(days) else R.DEFAULT_RESPONSE_DAYS)
        if isinstance(window, Invalid) or window < 0:
            self.findings.error(sheet, where, "the response window is not a number of days")
            window = R.DEFAULT_RESPONSE_DAYS
        where, decided = value("decision_date")
        decision = None if is_blank(decided) else parse_date(decided)
        if isinstance(decision, Invalid):
            self.findings.error(sheet, where, decision.message)
            decision = None
        elif decision is not None and decision < date:
            self.findings.error(
                sheet,
                where,
                f"the decision date {decision.isoformat()} is before the review date "
                f"{date.isoformat()}; a decision follows the review",
            )
        if final and decision is None:
            decision = date
        return {
            "reviewers": reviewers,
            "review_date": date,
            "final": final,
            "response_days": int(window),
            "decision_date": decision,
        }
