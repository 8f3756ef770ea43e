"""
`citcert compare`: two audits of one program, read from files, compared by the pure core.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from citcert.app.reports import load_audit
from citcert.app.workbook import StandardChoice
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

    def standard_for(ref: str) -> Standard:
        return choice.named(ref)

    (old_a, old_s), (new_a, new_s) = (
        load_audit(old, standard_for),
        load_audit(new, standard_for),
    )
    if old_a.provenance.standard_ref != new_a.provenance.standard_ref:
        old_s = old_s or _maybe(standard_for, old_a.provenance.standard_ref)
        new_s = new_s or _maybe(standard_for, new_a.provenance.standard_ref)
    return compare(old_a, new_a, old_standard=old_s, new_standard=new_s)


def _maybe(standard_for: Callable[[str], Standard], ref: str) -> Standard | None:
    try:
        return standard_for(ref)
    except StandardNotFoundError:
        return None
