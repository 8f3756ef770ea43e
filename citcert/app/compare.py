"""
`citcert compare` and `citcert audit --since`: audits of one program read from files and
compared by the pure core (`citcert.audit.compare`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from citcert.app.reports import load_audit
from citcert.app.workbook import StandardChoice
from citcert.audit.assessment import Assessment
from citcert.audit.compare import Comparison, compare
from citcert.errors import StandardNotFoundError
from citcert.standards.model import Standard


def compare_files(old: Path, new: Path, choice: StandardChoice) -> Comparison:
    """
    Compare two audits given as files: audit JSON reports or evidence workbooks.

    A workbook is audited on the fly against the standard it records (`standard_for` resolves
    an ``id@version``); a JSON report's standard is looked up only when the two differ, and
    its absence is a warning, not an error. Only `choice`'s search folders are used: each
    audit is compared against the standard it was made for.
    """
    earlier = load_audit(old, choice.named)
    return _compare(earlier, load_audit(new, choice.named), choice)


def compare_since(
    old: Path, new: Assessment, standard: Standard, choice: StandardChoice
) -> Comparison:
    """
    What changed from the audit in file `old` (a JSON report or a workbook) to `new`, which
    was just made against `standard`: the ``--since`` part of a report.
    """
    return _compare(load_audit(old, choice.named), (new, standard), choice)


def _compare(
    old: tuple[Assessment, Standard | None],
    new: tuple[Assessment, Standard | None],
    choice: StandardChoice,
) -> Comparison:
    """The comparison, with each side's standard looked up when the two audits' differ."""
    from citcert.standards.succession import line

    (old_a, old_s), (new_a, new_s) = old, new
    found = None
    if old_a.provenance.standard_ref != new_a.provenance.standard_ref:
        old_s = old_s or _maybe(choice.named, old_a.provenance.standard_ref)
        new_s = new_s or _maybe(choice.named, new_a.provenance.standard_ref)
        found = line(old_s, new_s, choice.named) if old_s and new_s else None
    return compare(old_a, new_a, old_standard=old_s, new_standard=new_s, succession=found)


def _maybe(standard_for: Callable[[str], Standard], ref: str) -> Standard | None:
    try:
        return standard_for(ref)
    except StandardNotFoundError:
        return None
