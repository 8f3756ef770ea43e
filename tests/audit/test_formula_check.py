"""
A workbook is read a second time, for its formulas, only when one of its sheets holds a formula.

Every citcert template holds ``<formula>`` elements (its drop-downs and colour rules), which are
not cell formulas: such a workbook is read once. A cell formula is found whatever namespace
prefix its element is written with.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from citcert.workbook import snapshot
from tests.audit.workbook_filler import blank, fill


def _bytes(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _second_reads(data: bytes, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many times `doubtful_formulas` opens the workbook with openpyxl."""
    import openpyxl

    calls: list[object] = []
    real = openpyxl.load_workbook

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counting)
    snapshot.doubtful_formulas(data, {})
    return len(calls)


def test_a_filled_template_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drop-down and colour-rule ``<formula>`` elements are no reason to read the file again."""
    data = _bytes(fill(blank()))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert any(b"<formula" in xml for xml in sheets)

    assert _second_reads(data, monkeypatch) == 0


@pytest.mark.parametrize("element", [b"<f>", b"<x:f>", b'<f t="shared" ref="B2:B3">'])
def test_a_cell_formula_is_found_with_or_without_a_prefix(element: bytes) -> None:
    """The check sees ``<f>``, ``<x:f>`` and ``<f attributes>`` as cell formulas."""
    assert snapshot._FORMULA.search(b'<c r="B2">' + element + b"1+1</f></c>")
