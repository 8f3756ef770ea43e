"""
Carry a workbook's answers to another standard or version (`citcert migrate`).

Answers follow the new standard's ``replaces:`` lists, or else equal ids; `carryover` decides
what each new requirement's row receives. Documents and the record sheets' rows (the same
columns in every standard) are copied, and exceptions into a fresh workbook of the same
standard (another version approves them again). Nothing is dropped: whatever cannot be carried
is listed (for the command to print), written into the Notes column of the row it concerns, or,
for requirements that no longer exist and for record sheets and exceptions the new standard has
no place for, on the Instructions sheet. This module reads the old workbook's raw values and
writes the new workbook with those notes.

Migrating copies what people typed; it does not judge it. The old workbook need not be complete
(run `citcert validate` on the result). The old file is only read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from citcert._text import one_line
from citcert.errors import Location, StandardMismatchError, WorkbookError
from citcert.standards.model import RequirementId, Standard
from citcert.workbook import layout as L
from citcert.workbook.carryover import CARRIED, OldRows, TargetRow, carry_answers, predecessors
from citcert.workbook.ratings import clean_text, is_blank, quoted
from citcert.workbook.sheets import Book, Findings, Table, find_table, keyed_rows


@dataclass(frozen=True, slots=True)
class Migration:
    """The migrated workbook and, in plain sentences, what happened to every answer."""

    workbook: bytes
    source_ref: str
    target_ref: str
    carried_from: tuple[tuple[RequirementId, tuple[RequirementId, ...]], ...]
    """Each new requirement that received answers, with the old ids its answers came from."""
    unanswered: tuple[RequirementId, ...]
    """New requirements with nothing to carry (new in the standard, or never answered)."""
    not_carried: tuple[str, ...]
    """Every answer that could not be carried, with where it was kept."""
    row_notes: tuple[tuple[str, str], ...] = ()
    """The requirement id and what was left in its row's Notes column, one pair a note."""
    new_numbers: tuple[str, ...] = ()
    """Program numbers the new standard asks that the old one did not (``Label (id)``)."""
    computed_numbers: tuple[tuple[str, str], ...] = ()
    """Of those, each one a carried record sheet with rows computes (nothing to type for it),
    with that sheet's title: ``("Label (id)", "Officers")``."""
    through: tuple[str, ...] = ()
    """The standards the target supersedes the source through, oldest first (often none)."""

    @property
    def carried(self) -> tuple[str, ...]:
        """One line per new requirement that received answers, e.g. ``TRN-01 ← TRN-01, TRN-02``."""
        return tuple(_carried_line(rid, sources) for rid, sources in self.carried_from)

    @property
    def notes(self) -> tuple[str, ...]:
        """Ratings and metric values left in a row's Notes column, as ``ID: what``."""
        return tuple(f"{rid}: {note}" for rid, note in self.row_notes)

    def report(self) -> str:
        """What happened, for a person: counts, then every answer that did not move cleanly."""
        moved = (
            f"Copied into a fresh workbook for the same standard, {self.target_ref}"
            if self.source_ref == self.target_ref
            else f"Moved from {self.source_ref} to {self.target_ref}{_through(self.through)}"
        )
        count = len(self.carried)
        lines = [f"{moved}: answers carried for {count} requirement{'s' if count != 1 else ''}."]
        if self.unanswered:
            lines.append(f"To answer afresh ({len(self.unanswered)}): {', '.join(self.unanswered)}")
        typed = _typed(self.new_numbers, self.computed_numbers)
        if typed:
            lines.append(f"New on the Program sheet, to fill in ({len(typed)}): {', '.join(typed)}")
        if self.computed_numbers:
            found = "; ".join(f"{n}, from the {sheet} sheet" for n, sheet in self.computed_numbers)
            count = len(self.computed_numbers)
            lines.append(f"New, computed from the record sheets ({count}): {found}")
        if self.notes:
            lines.append(f"Left in the Notes column ({len(self.notes)}):")
            lines += [f"  {one_line(line)}" for line in self.notes]
        if self.not_carried:
            lines.append(f"Not carried, kept on the Instructions sheet ({len(self.not_carried)}):")
            lines += [f"  {one_line(line)}" for line in self.not_carried]
        return "\n".join(lines)


def migrate_workbook(
    book: Book, old: Standard, new: Standard, between: tuple[Standard, ...] = ()
) -> Migration:
    """
    Render the answers of the opened workbook `book` (made for `old`) into a `new` workbook;
    `between` are the standards `new` supersedes `old` through, oldest first (often none).
    """
    _check_made_for(book, old)
    sources = predecessors(old, new, between)
    program, rows, documents = _read_old(book, old)
    targets, lost = carry_answers(rows, old, new, sources)
    records, lost_records = _carry_records(book, old, new)
    exceptions, lost_exceptions = _carry_exceptions(book, old, new)
    lost += lost_records + lost_exceptions
    lost += [
        f"Program: {key} = {quoted(value)} (not asked by {new.ref})"
        for key, value in program.items()
        if not _known(new, key)
    ]
    known = {n.id for n in old.program_numbers}
    fresh = tuple(f"{n.label} ({n.id})" for n in new.program_numbers if n.id not in known)
    computed = _computed(new, known, records)
    through = tuple(s.ref for s in between)
    notes = _instruction_notes(book.name, old, new, targets, lost, through)
    typed = _typed(fresh, computed)
    if typed:
        notes.insert(3, f"New on the Program sheet, to fill in: {', '.join(typed)}.")
    data = _render(new, program, targets, (documents, records, exceptions), notes, old.ref)
    return Migration(
        workbook=data,
        source_ref=old.ref,
        target_ref=new.ref,
        carried_from=tuple((rid, tuple(t.sources)) for rid, t in targets.items() if t.values),
        unanswered=tuple(rid for rid, target in targets.items() if not target.values),
        not_carried=tuple(lost),
        row_notes=tuple((rid, note) for rid, t in targets.items() for note in t.notes),
        new_numbers=fresh,
        computed_numbers=computed,
        through=through,
    )


def _through(refs: Sequence[str]) -> str:
    """`` (through cit-best-practice@2019.1, cit-best-practice@2019.2)``, or ``''``."""
    return f" (through {', '.join(refs)})" if refs else ""


def _carried_line(rid: RequirementId, sources: Sequence[RequirementId]) -> str:
    """A new requirement and the old ones its answers came from: ``TRN-10 ← TRN-01, TRN-02``."""
    return f"{rid} ← {', '.join(sources)}"


def _check_made_for(book: Book, old: Standard) -> None:
    """Refuse a workbook made for another standard than `old`: its answers would be misread."""
    from citcert.workbook.reader import read_metadata

    made_for = read_metadata(book)[L.Meta.STANDARD_REF]
    if made_for != old.ref:
        raise StandardMismatchError.single(
            f"this workbook was made for {made_for}, not {old.ref}", Location(file=book.name)
        )


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
    evidence = find_table(book, L.EVIDENCE_SHEET, L.READ_EVIDENCE_COLUMNS, findings)
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
        rid = RequirementId(clean_text(table.get(row, "id").value).upper().replace(" ", ""))
        if rid in ids and rid not in rows:
            values = {key: table.get(row, key).value for key in CARRIED}
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
    return [values for _, values in table.filled_rows()]


def _computed(
    new: Standard, known: set[str], records: dict[str, list[dict[str, object]]]
) -> tuple[tuple[str, str], ...]:
    """The new program numbers that a carried record sheet with rows computes, and its title."""
    from citcert.standards.records import RECORD_SHEETS

    return tuple(
        (f"{n.label} ({n.id})", RECORD_SHEETS[n.from_records.sheet].title)
        for n in new.program_numbers
        if n.id not in known and n.from_records is not None and records.get(n.from_records.sheet)
    )


def _typed(fresh: Sequence[str], computed: Sequence[tuple[str, str]]) -> list[str]:
    """The new numbers to type: those no carried record sheet computes."""
    done = {name for name, _ in computed}
    return [name for name in fresh if name not in done]


def _carry_records(
    book: Book, old: Standard, new: Standard
) -> tuple[dict[str, list[dict[str, object]]], list[str]]:
    """
    Every filled row of the old workbook's record sheets, for the sheets the new standard keeps
    (their columns are the same in every standard); a sheet it does not keep, or one whose
    headers cannot be read, is listed with its count of rows instead.
    """
    from citcert.standards.records import RECORD_SHEETS
    from citcert.workbook.records_sheet import record_columns

    carried: dict[str, list[dict[str, object]]] = {}
    lost = []
    for sheet_id in old.records:
        sheet = RECORD_SHEETS[sheet_id]
        if sheet.title not in book.sheets:
            continue
        table = find_table(book, sheet.title, record_columns(sheet), Findings(book.name))
        if table is None:
            lost.append(
                f"{sheet.title}: its header row could not be read, so its rows were not carried; "
                f"they are still in {book.name}"
            )
            continue
        rows = [values for _, values in table.filled_rows()]
        if rows and sheet_id in new.records:
            carried[sheet_id] = rows
        elif rows:
            rows_are = (
                "1 row not carried; it is"
                if len(rows) == 1
                else f"{len(rows)} rows not carried; they are"
            )
            lost.append(
                f"{sheet.title}: {rows_are} still in {book.name} ({new.ref} has no "
                f"{sheet.title} sheet)"
            )
    return carried, lost


_HEADERS = {c.key: c.header for c in L.EXCEPTION_COLUMNS}


def _carry_exceptions(
    book: Book, old: Standard, new: Standard
) -> tuple[list[dict[str, object]], list[str]]:
    """
    The old Exceptions sheet's rows: copied into a fresh workbook of the same standard; for
    another standard or version each is listed with its values, since an exception is approved
    against one version's requirement and must be approved again for the new one.
    """
    if L.EXCEPTIONS_SHEET not in book.sheets:
        return [], []
    table = find_table(book, L.EXCEPTIONS_SHEET, L.EXCEPTION_COLUMNS, Findings(book.name))
    if table is None:
        unread = f"{L.EXCEPTIONS_SHEET}: its header row could not be read, so it was not carried"
        return [], [unread]
    rows = [values for _, values in table.filled_rows()]
    if old.ref == new.ref:
        return rows, []
    why = (
        f"{new.ref} accepts no exceptions"
        if not new.scoring.exceptions.allowed
        else f"approved for {old.ref}; if it still holds, approve it again for {new.ref}"
    )
    return [], [f"Exception ({_shown(values)}): {why}" for values in rows]


def _shown(values: dict[str, object]) -> str:
    """An Exceptions row in words: each filled cell under its header."""
    return "; ".join(f"{_HEADERS[key]} {quoted(v)}" for key, v in values.items() if not is_blank(v))


# --- writing the new workbook ----------------------------------------------------------------


def _instruction_notes(
    name: str,
    old: Standard,
    new: Standard,
    targets: dict[RequirementId, TargetRow],
    lost: Sequence[str],
    through: Sequence[str],
) -> list[str]:
    carried = [_carried_line(rid, t.sources) for rid, t in targets.items() if t.values]
    fresh = [rid for rid, t in targets.items() if not t.values]
    notes = [
        f"This workbook was migrated by citcert migrate from {name}, made for {old.ref}, "
        f"to {new.ref}{_through(through)}.",
        f"Answers carried ({len(carried)}): {'; '.join(carried) or 'none'}.",
        f"Requirements to answer afresh ({len(fresh)}): {', '.join(fresh) or 'none'}.",
        "Ratings that could not be carried are explained in the Notes column of their row.",
    ]
    if lost:
        notes.append("Answers with no place in the new standard (kept here so nothing is lost):")
        notes += [f"• {line}" for line in lost]
    return notes


_Entries = tuple[
    list[dict[str, object]], dict[str, list[dict[str, object]]], list[dict[str, object]]
]
"""The rows carried into sheets of entries: documents, records by sheet id, exceptions."""


def _render(
    new: Standard,
    program: dict[str, object],
    targets: dict[RequirementId, TargetRow],
    entries: _Entries,
    notes: list[str],
    old_ref: str,
) -> bytes:
    from citcert._spreadsheet import workbook_bytes
    from citcert.workbook.template import build_workbook, fixed_time
    from citcert.workbook.template.filling import fill_workbook

    rows = {}
    for rid, target in targets.items():
        values = dict(target.values)
        if target.notes:
            values["notes"] = "\n".join(
                filter(None, [clean_text(values.get("notes")), *target.notes])
            )
        rows[rid] = values
    documents, records, exceptions = entries
    book = build_workbook(new, notes=notes, migrated_from=old_ref)
    fill_workbook(
        book,
        program=program,
        rows=rows,
        documents=documents,
        records=records,
        exceptions=exceptions,
    )
    return workbook_bytes(book, fixed_time(new))
