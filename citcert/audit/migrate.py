"""
Carry a workbook's answers to another standard or version (`citcert migrate`).

A requirement of the new standard takes its answers from the old requirements its ``replaces:``
list names (when the new standard says it supersedes the old one), or else from the old
requirement with the same id. One predecessor: its answers move over as they are. Several:
their evidence is combined, and a rating is kept only when they all agree. Nothing is dropped:
whatever cannot be carried is listed (for the command to print), written into the Notes column
of the row it concerns, or, for requirements that no longer exist, on the Instructions sheet.

Migrating copies what people typed; it does not judge it. The old workbook need not be complete
(run `citcert validate` on the result). The old file is only read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from citcert.audit import layout as L
from citcert.audit.evidence import NotApplicableAnswer, Rated
from citcert.audit.ratings import Invalid, clean_text, is_blank, parse_answer, quoted
from citcert.audit.sheets import Book, Findings, Table, find_table, keyed_rows
from citcert.errors import Location, StandardMismatchError, WorkbookError
from citcert.standards.model import Metric, MetricCompute, Requirement, Standard

_ANSWERS = ("self_rating", "evidence_summary", "documents", "metric_value", "reviewer_rating")
_CARRIED = (*_ANSWERS, "reviewer_comment", "notes")
_RATINGS = ("self_rating", "reviewer_rating")

OldRows = dict[str, dict[str, object]]
"""Old requirement id → column key → the raw value typed (blank cells left out)."""


@dataclass(frozen=True, slots=True)
class Migration:
    """The migrated workbook and, in plain sentences, what happened to every answer."""

    workbook: bytes
    source_ref: str
    target_ref: str
    carried: tuple[str, ...]
    """One line per new requirement that received answers, e.g. ``TRN-01 ← TRN-01, TRN-02``."""
    unanswered: tuple[str, ...]
    """New requirements with nothing to carry (new in the standard, or never answered)."""
    not_carried: tuple[str, ...]
    """Every answer that could not be carried, with where it was kept."""
    notes: tuple[str, ...] = ()
    """Ratings and metric values left in a row's Notes column, as ``ID: what``."""

    def report(self) -> str:
        """What happened, for a person: counts, then every answer that did not move cleanly."""
        lines = [
            f"Moved from {self.source_ref} to {self.target_ref}: answers carried for "
            f"{len(self.carried)} requirement{'s' if len(self.carried) != 1 else ''}."
        ]
        if self.unanswered:
            lines.append(f"To answer afresh ({len(self.unanswered)}): {', '.join(self.unanswered)}")
        if self.notes:
            lines.append(f"Left in the Notes column ({len(self.notes)}):")
            lines += [f"  {line}" for line in self.notes]
        if self.not_carried:
            lines.append(f"Not carried, kept on the Instructions sheet ({len(self.not_carried)}):")
            lines += [f"  {line}" for line in self.not_carried]
        return "\n".join(lines)


@dataclass
class _Target:
    """What one new requirement's row receives."""

    values: dict[str, object] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


def migrate_workbook(path: Path, old: Standard, new: Standard) -> Migration:
    """Read the workbook at `path` (made for `old`) and render its answers into a `new` workbook."""
    from citcert.audit.workbook import open_book, read_metadata

    book = open_book(
        Path(path), (L.PROGRAM_SHEET, L.EVIDENCE_SHEET, L.DOCUMENTS_SHEET, L.METADATA_SHEET)
    )
    made_for = read_metadata(book)[L.Meta.STANDARD_REF]
    if made_for != old.ref:
        raise StandardMismatchError.single(
            f"this workbook was made for {made_for}, not {old.ref}", Location(file=book.name)
        )
    sources = mapping(old, new)
    program, rows, documents = _read_old(book, old)
    targets, lost = plan(rows, old, new, sources)
    lost += [
        f"Program: {key} = {quoted(value)} (not asked by {new.ref})"
        for key, value in program.items()
        if not _known(new, key)
    ]
    notes = _instruction_notes(book.name, old, new, targets, lost)
    data = _render(new, program, targets, documents, notes, old.ref)
    return Migration(
        workbook=data,
        source_ref=old.ref,
        target_ref=new.ref,
        carried=tuple(f"{rid} ← {', '.join(t.sources)}" for rid, t in targets.items() if t.values),
        unanswered=tuple(rid for rid, target in targets.items() if not target.values),
        not_carried=tuple(lost),
        notes=tuple(f"{rid}: {note}" for rid, t in targets.items() for note in t.notes),
    )


def mapping(old: Standard, new: Standard) -> dict[str, tuple[str, ...]]:
    """
    New requirement id → the old requirement ids it takes answers from.

    ``replaces:`` lists count only when the new standard supersedes exactly the old one; otherwise
    requirements are matched by equal ids (a new version of the same standard).
    """
    old_ids = {r.id for _, r in old.requirements()}
    use_replaces = new.supersedes == old.ref
    result: dict[str, tuple[str, ...]] = {}
    for _, requirement in new.requirements():
        if use_replaces and requirement.replaces:
            result[requirement.id] = tuple(r for r in requirement.replaces if r in old_ids)
        else:
            result[requirement.id] = (requirement.id,) if requirement.id in old_ids else ()
    if not any(result.values()):
        raise WorkbookError.single(
            f"nothing can be carried from {old.ref} to {new.ref}: {new.ref} does not say it "
            f"supersedes {old.ref} and the two share no requirement ids"
        )
    return result


def _known(standard: Standard, key: str) -> bool:
    return any(f.key == key for f in L.PROFILE_FIELDS) or any(
        n.id == key for n in standard.program_numbers
    )


# --- reading the old workbook (raw values, no judgement) ------------------------------------


def _read_old(
    book: Book, old: Standard
) -> tuple[dict[str, object], OldRows, list[dict[str, object]]]:
    findings = Findings(book.name)
    program = find_table(book, L.PROGRAM_SHEET, L.PROGRAM_COLUMNS, findings)
    evidence = find_table(book, L.EVIDENCE_SHEET, L.EVIDENCE_COLUMNS, findings)
    keys = [f.key for f in L.PROFILE_FIELDS] + [n.id for n in old.program_numbers]
    values = _program_values(program, keys, findings) if program else {}
    rows = _evidence_rows(evidence, old, findings) if evidence else {}
    documents = _document_rows(book, findings)
    if findings.errors:
        raise WorkbookError(findings.errors, headline=f"{book.name} cannot be migrated as it is")
    return values, rows, documents


def _program_values(table: Table, keys: list[str], findings: Findings) -> dict[str, object]:
    rows = keyed_rows(table, keys, findings)
    found = {key: table.get(row, "value").value for key, (_, row) in rows.items()}
    return {key: value for key, value in found.items() if not is_blank(value)}


def _evidence_rows(table: Table, old: Standard, findings: Findings) -> OldRows:
    ids = {r.id for _, r in old.requirements()}
    rows: OldRows = {}
    for number, row in table.rows:
        rid = clean_text(table.get(row, "id").value).upper().replace(" ", "")
        if rid in ids and rid not in rows:
            values = {key: table.get(row, key).value for key in _CARRIED}
            rows[rid] = {key: value for key, value in values.items() if not is_blank(value)}
        elif rid:
            findings.warn(
                table.sheet,
                table.cell(number, "id"),
                f"{rid} was not carried (unknown or repeated)",
            )
    return rows


def _document_rows(book: Book, findings: Findings) -> list[dict[str, object]]:
    if L.DOCUMENTS_SHEET not in book.sheets:
        return []
    table = find_table(book, L.DOCUMENTS_SHEET, L.DOCUMENT_COLUMNS, findings)
    if table is None:
        return []
    rows = ({key: table.get(row, key).value for key in table.columns} for _, row in table.rows)
    return [row for row in rows if not all(is_blank(v) for v in row.values())]


# --- the plan (pure) ------------------------------------------------------------------------


def plan(
    rows: OldRows, old: Standard, new: Standard, sources: dict[str, tuple[str, ...]]
) -> tuple[dict[str, _Target], list[str]]:
    """What each new requirement receives, and the answers with no new requirement to go to."""
    targets = {
        rid: _target(new.requirement(rid), ids, rows, old, new) for rid, ids in sources.items()
    }
    used = {s for ids in sources.values() for s in ids}
    lost = []
    for rid, values in rows.items():
        if rid not in used and any(key in values for key in _ANSWERS):
            summary = "; ".join(f"{_label(key)} {quoted(v)}" for key, v in values.items())
            lost.append(
                f"{rid} ({old.requirement(rid).title}) has no successor in {new.ref}: {summary}"
            )
    return targets, lost


def _label(key: str) -> str:
    return next(c.subject for c in L.EVIDENCE_COLUMNS if c.key == key)


def _target(
    requirement: Requirement, ids: Sequence[str], rows: OldRows, old: Standard, new: Standard
) -> _Target:
    answered = [rid for rid in ids if rows.get(rid)]
    target = _Target(sources=tuple(answered))
    if not answered:
        return target
    for key in _RATINGS:
        _carry_rating(target, key, requirement, ids, rows, old, new)
    for key in ("evidence_summary", "reviewer_comment", "notes"):
        _carry_text(target, key, answered, rows)
    documents = [
        line for rid in answered for line in clean_text(rows[rid].get("documents")).split("\n")
    ]
    if any(documents):
        target.values["documents"] = "\n".join(
            dict.fromkeys(d.strip() for d in documents if d.strip())
        )
    _carry_metric(target, requirement, answered, rows, old)
    return target


def _carry_rating(
    target: _Target,
    key: str,
    requirement: Requirement,
    ids: Sequence[str],
    rows: OldRows,
    old: Standard,
    new: Standard,
) -> None:
    raws = {rid: rows.get(rid, {})[key] for rid in ids if key in rows.get(rid, {})}
    if not raws:
        return
    labels = {rid: _new_label(raw, old, new, requirement) for rid, raw in raws.items()}
    chosen = set(labels.values())
    if (
        len(chosen) == 1
        and len(raws) == len(ids)
        and not isinstance(label := chosen.pop(), Invalid)
    ):
        target.values[key] = label
        return
    problems = [v.message for v in labels.values() if isinstance(v, Invalid)]
    if problems:
        why = "; ".join(problems)
    elif len(raws) < len(ids):
        why = f"only some of {', '.join(ids)} were rated"
    else:
        why = "the old ratings differ"
    texts = ", ".join(f"{rid} {quoted(raw)}" for rid, raw in raws.items())
    target.notes.append(f"{_label(key)} not carried ({why}): {texts}")


def _new_label(
    raw: object, old: Standard, new: Standard, requirement: Requirement
) -> str | Invalid:
    answer = parse_answer(raw, old.scoring.scale)
    scale = new.scoring.scale
    if isinstance(answer, Rated):
        if not any(level.id == answer.level for level in scale.levels):
            return Invalid(f"{quoted(raw)} has no equivalent on the new rating scale")
        return scale.level(answer.level).label
    if isinstance(answer, NotApplicableAnswer):
        if not requirement.not_applicable.allowed:
            return Invalid(f"{requirement.id} may no longer be rated not applicable")
        return scale.not_applicable_label
    return Invalid(f"{quoted(raw)} could not be read as a rating")


def _carry_text(target: _Target, key: str, ids: Sequence[str], rows: OldRows) -> None:
    texts = [(rid, clean_text(rows[rid][key])) for rid in ids if key in rows[rid]]
    if len(texts) == 1 and len(ids) == 1:
        target.values[key] = texts[0][1]
    elif texts:
        target.values[key] = "\n\n".join(f"From {rid}: {text}" for rid, text in texts)


def _carry_metric(
    target: _Target, requirement: Requirement, ids: Sequence[str], rows: OldRows, old: Standard
) -> None:
    values = {rid: rows[rid]["metric_value"] for rid in ids if "metric_value" in rows[rid]}
    if not values:
        return
    if len(values) == 1 and _same_metric(
        old.requirement(next(iter(values))).metric, requirement.metric
    ):
        target.values["metric_value"] = next(iter(values.values()))
        return
    texts = ", ".join(f"{rid} {quoted(v)}" for rid, v in values.items())
    target.notes.append(f"metric value not carried (the metric changed): {texts}")


def _same_metric(before: Metric | None, after: Metric | None) -> bool:
    """True when both metrics take a value typed in the row, in the same unit."""
    if before is None or after is None:
        return False
    typed = all(m.compute is MetricCompute.VALUE and not m.inputs for m in (before, after))
    return typed and before.unit == after.unit


# --- writing the new workbook ----------------------------------------------------------------


def _instruction_notes(
    name: str, old: Standard, new: Standard, targets: dict[str, _Target], lost: Sequence[str]
) -> list[str]:
    carried = [f"{rid} ← {', '.join(t.sources)}" for rid, t in targets.items() if t.values]
    fresh = [rid for rid, t in targets.items() if not t.values]
    notes = [
        f"This workbook was migrated by citcert migrate from {name}, made for {old.ref}, "
        f"to {new.ref}.",
        f"Answers carried ({len(carried)}): {'; '.join(carried) or 'none'}.",
        f"Requirements to answer afresh ({len(fresh)}): {', '.join(fresh) or 'none'}.",
        "Ratings that could not be carried are explained in the Notes column of their row.",
    ]
    if lost:
        notes.append("Answers with no place in the new standard (kept here so nothing is lost):")
        notes += [f"• {line}" for line in lost]
    return notes


def _render(
    new: Standard,
    program: dict[str, object],
    targets: dict[str, _Target],
    documents: list[dict[str, object]],
    notes: list[str],
    old_ref: str,
) -> bytes:
    from citcert.export.template import build_workbook, fixed_time, workbook_bytes
    from citcert.export.template_filling import fill_workbook

    rows = {}
    for rid, target in targets.items():
        values = dict(target.values)
        if target.notes:
            values["notes"] = "\n".join(
                filter(None, [clean_text(values.get("notes")), *target.notes])
            )
        rows[rid] = values
    book = build_workbook(new, notes=notes, migrated_from=old_ref)
    fill_workbook(book, program=program, rows=rows, documents=documents)
    return workbook_bytes(book, fixed_time(new))
