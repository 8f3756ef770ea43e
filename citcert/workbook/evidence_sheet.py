"""
The Evidence sheet read back: one `RequirementEvidence` per requirement of the standard.

Each row is claimed by the requirement in its ID column; a row with answers but no ID, an ID
the standard does not have, a requirement listed twice and a requirement without a row are all
refused. Each claimed row is then read cell by cell (ratings against the standard's scale, "not
applicable" against the requirement's rule, the metric value against its unit), with every
problem and warning recorded against its cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from citcert.standards.model import MetricCompute, Requirement, RequirementId, Standard
from citcert.workbook import layout as L
from citcert.workbook.evidence import (
    Answer,
    CellRef,
    Mode,
    NotApplicableAnswer,
    RequirementEvidence,
    Unanswered,
)
from citcert.workbook.ratings import (
    Invalid,
    clean_text,
    is_blank,
    is_error_value,
    parse_amount,
    parse_answer,
    parse_percent,
    parse_text,
    quoted,
    split_documents,
)
from citcert.workbook.sheets import Findings, Row, Table, Value, suggest


def read_requirements(
    table: Table, standard: Standard, mode: Mode | None, findings: Findings
) -> tuple[RequirementEvidence, ...]:
    """The evidence of every requirement with a good row, in the standard's order."""
    ids = _RowIds(table, standard, findings)
    items: dict[RequirementId, RequirementEvidence] = {}
    for number, row in table.rows:
        rid = ids.claim(number, row)
        if rid is not None:
            requirement = ids.wanted[rid]
            reader = _RowReader(table, number, row, requirement, standard, mode, findings)
            items[rid] = reader.read()
    ids.report_unclaimed()
    return tuple(items[r.id] for _, r in standard.requirements() if r.id in items)


@dataclass
class _RowIds:
    """Which requirement each row is for: each one once, and every one of the standard."""

    table: Table
    standard: Standard
    findings: Findings
    wanted: dict[RequirementId, Requirement] = field(init=False)
    seen: dict[RequirementId, int] = field(default_factory=dict)
    """Requirement id → the row number that claimed it."""

    def __post_init__(self) -> None:
        self.wanted = {r.id: r for _, r in self.standard.requirements()}

    def claim(self, number: int, row: Row) -> RequirementId | None:
        """The requirement id row `number` is for, or ``None`` (blank, or refused and recorded)."""
        raw = self.table.get(row, "id").value
        rid = RequirementId(clean_text(raw).upper().replace(" ", ""))
        sheet, cell = self.table.sheet, self.table.cell(number, "id")
        if not rid:
            if self._has_answers(row):
                self.findings.error(
                    sheet, cell, "this row has answers but no requirement ID; put the ID back"
                )
        elif rid not in self.wanted:
            hint = suggest(rid, list(self.wanted))
            self.findings.error(
                sheet, cell, f"{quoted(raw)} is not a requirement of {self.standard.ref}{hint}"
            )
        elif rid in self.seen:
            first = self.table.cell(self.seen[rid], "id")
            self.findings.error(sheet, cell, f"{rid} appears twice (first at {first})")
        else:
            self.seen[rid] = number
            return rid
        return None

    def _has_answers(self, row: Row) -> bool:
        inputs = [
            c.key for c in L.READ_EVIDENCE_COLUMNS if c.editable and c.key in self.table.columns
        ]
        return any(not is_blank(self.table.get(row, key).value) for key in inputs)

    def report_unclaimed(self) -> None:
        """Record every requirement of the standard that no row claimed."""
        for rid, requirement in self.wanted.items():
            if rid not in self.seen:
                message = (
                    f"{rid} ({requirement.title}) has no row; add a row with {rid} in the ID column"
                )
                self.findings.error(self.table.sheet, None, message)


@dataclass
class _RowReader:
    """Reads one requirement's row, recording problems against its cells."""

    table: Table
    number: int
    row: Row
    requirement: Requirement
    standard: Standard
    mode: Mode | None
    findings: Findings

    def _raw(self, key: str) -> Value:
        return self.table.get(self.row, key)

    def _where(self, key: str) -> tuple[str, str, str]:
        column = next(c for c in L.READ_EVIDENCE_COLUMNS if c.key == key)
        return (
            self.table.sheet,
            self.table.cell(self.number, key),
            f"{self.requirement.id}, {column.subject}",
        )

    def _text(self, key: str) -> str:
        if key not in self.table.columns:
            return ""
        raw = self._raw(key).value
        if is_error_value(raw):
            self.findings.warn(
                *self._where(key)[:2],
                f"holds the error value {str(raw).strip()}, which is not evidence: it is read "
                "as blank. Type the text itself",
                self._where(key)[2],
            )
            return ""
        value = parse_text(raw)
        if isinstance(value, Invalid):
            self.findings.error(*self._where(key)[:2], value.message, self._where(key)[2])
            return ""
        return value

    def read(self) -> RequirementEvidence:
        summary, comment = self._text("evidence_summary"), self._text("reviewer_comment")
        return RequirementEvidence(
            requirement_id=self.requirement.id,
            self_rating=self._answer("self_rating", summary),
            evidence_summary=summary,
            documents=split_documents(self._text("documents")),
            metric_value=self._metric(),
            reviewer_rating=self._answer("reviewer_rating", comment),
            reviewer_comment=comment,
            notes=self._text("notes"),
            row=None
            if "self_rating" not in self.table.columns
            else CellRef(sheet=self.table.sheet, cell=self.table.cell(self.number, "self_rating")),
        )

    def _answer(self, key: str, reason: str) -> Answer:
        if key not in self.table.columns:
            return Unanswered()
        sheet, cell, subject = self._where(key)
        answer = parse_answer(self._raw(key).value, self.standard.scoring.scale, reason=reason)
        if isinstance(answer, Invalid):
            self.findings.error(sheet, cell, answer.message, subject)
            return Unanswered()
        if isinstance(answer, NotApplicableAnswer):
            self._check_not_applicable(answer, key, sheet, cell, subject)
        elif isinstance(answer, Unanswered) and key == "self_rating":
            self.findings.warn(sheet, cell, "not answered yet", subject)
        return answer

    def _check_not_applicable(
        self, answer: NotApplicableAnswer, key: str, sheet: str, cell: str, subject: str
    ) -> None:
        label = self.standard.scoring.scale.not_applicable_label
        rule = self.requirement.not_applicable
        if not rule.allowed:
            message = (
                f'"{label}" is not allowed here: every program must meet {self.requirement.id}'
            )
            self.findings.error(sheet, cell, message, subject)
        elif not answer.reason:
            where = "Evidence summary" if key == "self_rating" else "Reviewer comment"
            self.findings.warn(
                sheet, cell, f'"{label}" without a reason; say why in {where}', subject
            )

    def _metric(self) -> float | None:
        metric = self.requirement.metric
        raw = self._raw("metric_value")
        if is_blank(raw.value):
            if metric is not None and metric.compute is MetricCompute.VALUE and not metric.inputs:
                self.findings.warn(
                    *self._where("metric_value")[:2],
                    "no metric value yet",
                    self._where("metric_value")[2],
                )
            return None
        if metric is None or metric.inputs:
            return None
        percent = L.is_percent_unit(metric.unit)
        value = (
            parse_percent(raw.value, percent_format=raw.percent)
            if percent
            else parse_amount(raw.value)
        )
        if isinstance(value, Invalid):
            sheet, cell, subject = self._where("metric_value")
            self.findings.error(sheet, cell, value.message, subject)
            return None
        return value
