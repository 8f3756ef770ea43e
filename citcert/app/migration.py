"""
The JSON output of ``citcert migrate --format json`` and its schema (``citcert schema migration``).

The same facts the text report gives, as fields a script can read: what was carried from where,
what is to answer afresh, what was left in a row's Notes column, and what could not be carried.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from citcert.standards.model import Model, RequirementId

if TYPE_CHECKING:
    from citcert.workbook.migrate import Migration


class CarriedOut(Model):
    """A requirement of the new standard that received answers, and where they came from."""

    requirement_id: RequirementId
    sources: tuple[str, ...]
    """The old workbook's requirement ids whose answers it received."""


class NoteOut(Model):
    """What was left in a row's Notes column (a rating or value that could not be carried)."""

    requirement_id: RequirementId
    note: str


class MigrationReport(Model):
    """What ``citcert migrate --format json`` prints once the new workbook is written."""

    schema_version: Literal["1.0"] = "1.0"
    workbook: str
    """The workbook migrated (it is not changed)."""
    output: str
    """The new workbook written."""
    source_standard: str
    """The ``id@version`` the old workbook was made for."""
    target_standard: str
    """The ``id@version`` the new workbook is made for."""
    carried: tuple[CarriedOut, ...]
    unanswered: tuple[RequirementId, ...]
    """Requirement ids with nothing to carry (new in the standard, or never answered)."""
    notes: tuple[NoteOut, ...]
    not_carried: tuple[str, ...]
    """Each answer with no place in the new standard, as the Instructions sheet keeps it."""
    new_program_numbers: tuple[str, ...]
    """Program numbers the new standard asks for that the old one did not, ``Label (ID)``."""
    computed_program_numbers: tuple[str, ...] = ()
    """Of those, the ones a carried record sheet with rows computes (nothing to type for
    them), ``Label (ID)``."""
    summary: str
    """The text `migrate` prints without ``--format json``."""


def migration_report(migration: Migration, workbook: str, output: str) -> MigrationReport:
    """The migration of `workbook` into `output` as the JSON document ``migrate`` prints."""
    return MigrationReport(
        workbook=workbook,
        output=output,
        source_standard=migration.source_ref,
        target_standard=migration.target_ref,
        carried=tuple(
            CarriedOut(requirement_id=rid, sources=sources)
            for rid, sources in migration.carried_from
        ),
        unanswered=migration.unanswered,
        notes=tuple(NoteOut(requirement_id=rid, note=note) for rid, note in migration.row_notes),
        not_carried=migration.not_carried,
        new_program_numbers=migration.new_numbers,
        computed_program_numbers=tuple(name for name, _ in migration.computed_numbers),
        summary=migration.report(),
    )
