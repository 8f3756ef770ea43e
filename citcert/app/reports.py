"""
Reading an audit back, for `citcert compare`: an audit JSON report, or a workbook audited now.

This is an edge: files in, validated `Assessment`s out. A JSON report is recognised by its
suffix or by its first bytes, refused before it is read when it is too large, and explained in
plain words when it is not a report citcert wrote (never pydantic's raw text).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from citcert.audit.assessment import Assessment
from citcert.errors import CitcertError, Location
from citcert.standards.model import Standard

MAX_JSON_BYTES = 50 * 1024 * 1024
"""A larger file is not an audit report; refused before it is read."""


def load_audit(
    path: Path, standard_for: Callable[[str], Standard]
) -> tuple[Assessment, Standard | None]:
    """One side of a comparison: a JSON report as it is, or a workbook audited now."""
    if path.suffix.lower() == ".json":
        return _read_report(path, _read_json(path)), None
    from citcert._files import read_regular
    from citcert.app.workbook import open_submission, read_evidence
    from citcert.audit.scoring import assess
    from citcert.workbook.layout import MAX_FILE_BYTES

    data = read_regular(path, max(MAX_JSON_BYTES, MAX_FILE_BYTES), what="report or workbook")
    if data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _read_report(path, _read_json(path)), None
    submission = open_submission(path)
    standard = standard_for(submission.standard_ref)
    return assess(standard, read_evidence(submission, standard)), standard


def _read_json(path: Path) -> bytes:
    """A regular file of at most `MAX_JSON_BYTES` (never a pipe or a device)."""
    from citcert._files import read_regular

    return read_regular(path, MAX_JSON_BYTES, what="audit report")


def _read_report(path: Path, data: bytes) -> Assessment:
    """An audit JSON report, validated; a plain message when it is not one."""
    where = Location(file=path.name)
    try:
        report = Assessment.model_validate_json(data)
    except ValidationError as error:
        raise CitcertError.single(_not_a_report(error), where) from None
    if "schema_version" not in report.model_fields_set:
        raise CitcertError.single(
            "records no schema_version, which every audit report citcert writes has; "
            "audit the workbook again",
            where,
        )
    seen: set[str] = set()
    for index, result in enumerate(report.results):
        if result.requirement_id in seen:
            raise CitcertError.single(
                f"is not an audit report written by `citcert audit --format json` (at "
                f"results.{index}: {result.requirement_id} is listed twice)",
                where,
            )
        seen.add(result.requirement_id)
    return report


def _not_a_report(error: ValidationError) -> str:
    return json_problem(
        error,
        what="an audit report written by `citcert audit --format json`",
        other_version=(
            "was written by another version of citcert (its schema_version differs); "
            "audit the workbook again"
        ),
    )


def json_problem(error: ValidationError, *, what: str, other_version: str) -> str:
    """
    Why a JSON document citcert wrote and reads back (a report, a roll-up) is not `what`: not
    JSON at all, of another schema version (`other_version` says what to do), or its first
    wrong value, where it is.
    """
    first = error.errors()[0]
    if first["type"] == "json_invalid":
        return f"is not valid JSON; give {what}"
    if first["loc"][:1] == ("schema_version",):
        return other_version
    place = ".".join(str(p) for p in first["loc"]) or "the top level"
    why = str(first["ctx"]["error"]) if first["type"] == "value_error" else first["msg"].lower()
    return f"is not {what} (at {place}: {why})"
