"""
A standard's SHA-256 is of its content: the same standard, however its YAML is written, has one.

A workbook records the digest of the standard it was made from, and warns when the standard it
is audited against has another. So the digest must not move when nothing the standard says has
moved: not for a field a newer citcert adds to the format (with its default), and not for a
version's status turning to superseded when the next one comes out.
"""

from __future__ import annotations

from pathlib import Path

from citcert.standards import Standard, find_standard, load_file, standard_sha256
from citcert.standards.model import StandardStatus
from tests.conftest import data

MINI = data("standards", "mini.yaml")


def _digest(tmp_path: Path, text: str) -> str:
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    return standard_sha256(load_file(path))


def test_a_field_a_later_citcert_adds_does_not_change_the_digest() -> None:
    """The same standard read by a format with one more (defaulted) field: the same digest."""

    class Later(Standard):
        later_field: str | None = None

    now = load_file(MINI)
    later = Later.model_validate(now.model_dump())

    assert "later_field" in later.model_dump()
    assert standard_sha256(later) == standard_sha256(now)


def test_a_version_superseded_by_the_next_keeps_its_digest() -> None:
    """2019.2's workbooks do not warn when 2019.3 supersedes it: it says what it said."""
    superseded = find_standard("cit-best-practice@2019.2")
    as_it_was = superseded.model_copy(update={"status": StandardStatus.CURRENT})

    assert superseded.status is StandardStatus.SUPERSEDED
    assert standard_sha256(as_it_was) == standard_sha256(superseded)


def test_a_changed_value_changes_it(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    changed = text.replace("scoring:\n", "scoring:\n  exceptions: {allowed: true}\n", 1)

    assert _digest(tmp_path, changed) != standard_sha256(load_file(MINI))


def test_a_changed_copy_has_its_own_digest() -> None:
    """The digest worked out for a standard is not carried to a copy with other content."""
    standard = find_standard("cit-best-practice@2019.2")
    before = standard_sha256(standard)

    assert standard_sha256(standard.model_copy(update={"title": "Another title"})) != before
