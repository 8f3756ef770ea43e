"""
The tracker and the template as LibreOffice prints them: no text below 8 pt, no rows on top of
each other. Needs ``soffice``; skipped with a reason without it, except in CI (``CI=true``),
where `make test-office` installs it and a missing one is a failure.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import os
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from citcert._spreadsheet import fit_row_height, font, print_readable, workbook_bytes
from citcert.audit.scoring import assess
from citcert.export import xlsx
from citcert.export.review import banner
from citcert.standards.model import Standard
from tests.audit.builders import sample_evidence
from tests.audit.workbook_filler import template_bytes
from tests.export.reviewed_assessment import reviewed_assessment

SOFFICE = shutil.which("soffice")

pytestmark = pytest.mark.office


@pytest.fixture(scope="module")
def soffice() -> str:
    if SOFFICE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("soffice is missing in CI: run make test-office, which installs it")
        pytest.skip("LibreOffice (soffice) is not installed; make test-office installs it")
    return SOFFICE


@pytest.fixture(scope="module")
def printed(
    soffice: str,
    mini_standard: Standard,
    sizing_book: tuple[bytes, list[str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, bytes]:
    """Each workbook these tests read, printed to PDF by LibreOffice (in one run: it is slow)."""
    books = {
        "tracker": xlsx.render(assess(mini_standard, sample_evidence(mini_standard))),
        "reviewed": xlsx.render(reviewed_assessment(mini_standard)),
        "template": template_bytes(),
        "sizing": sizing_book[0],
    }
    folder = tmp_path_factory.mktemp("printed")
    for name, data in books.items():
        (folder / f"{name}.xlsx").write_bytes(data)
    profile = folder / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(folder), *(str(folder / f"{n}.xlsx") for n in books)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return {name: (folder / f"{name}.pdf").read_bytes() for name in books}


def _runs(pdf: bytes) -> list[tuple[int, float, float, float, str]]:
    """Every text run drawn: page, x, y, size on the page (points), text."""
    runs: list[tuple[int, float, float, float, str]] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):

        def visit(
            text: str,
            cm: list[float],
            tm: list[float],
            font: object,
            size: float,
            number: int = number,
        ) -> None:
            if not text.strip():
                return
            a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((number, x, y, size * math.hypot(a, b), text.strip()))

        page.extract_text(visitor_text=visit)
    return runs


def _check(pdf: bytes) -> None:
    runs = _runs(pdf)
    assert runs, "nothing was printed"
    small = [(p, t, round(s, 1)) for p, _, _, s, t in runs if s < 7.95]
    assert not small, f"text below 8 pt: {small[:5]}"
    # Lines of one column never sit closer than their type: wrapped text does not overlap.
    by_column: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for page, x, y, size, _ in runs:
        by_column.setdefault((page, round(x)), []).append((y, size))
    for (page, x), lines in by_column.items():
        ys = sorted(lines)
        for (y1, s1), (y2, s2) in itertools.pairwise(ys):
            assert y2 - y1 >= 1.1 * min(s1, s2) or y2 == y1, f"overlap on page {page + 1} at x={x}"


def test_the_tracker_prints_readably(printed: dict[str, bytes]) -> None:
    """Every sheet of the tracker, as LibreOffice prints it."""
    _check(printed["tracker"])


def test_a_reviewed_tracker_with_long_texts_prints_readably(printed: dict[str, bytes]) -> None:
    """
    A consensus review's tracker, with its strengths, comments, notes, raters, agreement,
    calibration and progress since the last audit, and texts of hundreds of characters.
    """
    _check(printed["reviewed"])


def test_the_template_prints_readably(printed: dict[str, bytes]) -> None:
    """The evidence template a coordinator prints, as LibreOffice prints it."""
    _check(printed["template"])


def test_the_summary_prints_each_label_beside_its_value(printed: dict[str, bytes]) -> None:
    """The Summary fits one page wide: a label and its value are on the same page and line."""
    runs = _runs(printed["reviewed"])

    for label, value in [
        ("Program", "Riverside & Lake County CIT"),
        ("Decision", "Not certified"),
        ("Workbook SHA-256", "f" * 64),
    ]:
        page, y = next((p, y) for p, _, y, _, t in runs if t == label)
        assert any(p == page and abs(v - y) < 8 for p, _, v, _, t in runs if t == value), label


def test_the_draft_banner_is_printed_above_every_page(
    printed: dict[str, bytes], mini_standard: Standard
) -> None:
    """
    A draft says so at the top of every printed page (the panel's with its notice, the longest
    banner), in room of its own above the sheet.
    """
    review = reviewed_assessment(mini_standard).review
    assert review is not None and not review.final
    by_page: dict[int, list[tuple[float, float, str]]] = {}
    for page, _, y, size, text in _runs(printed["reviewed"]):
        by_page.setdefault(page, []).append((y, size, text))

    for page, runs in by_page.items():
        lines = sorted(runs, reverse=True)
        heading = next(
            n
            for n in range(1, 4)
            if _letters(t for *_, t in lines[:n]) == _letters([banner(review)])
        )
        (last, size, _), (below, *_) = lines[heading - 1], lines[heading]
        assert last - below >= 1.1 * size, f"the banner touches the sheet on page {page + 1}"


def _letters(texts: Iterable[str]) -> str:
    """Texts without their spaces: LibreOffice may wrap a line at a hyphen as well as a space."""
    return "".join("".join(text.split()) for text in texts)


def test_rows_hold_their_text_as_libreoffice_wraps_it(
    printed: dict[str, bytes], sizing_book: tuple[bytes, list[str]]
) -> None:
    """
    The one row-height estimate, for every text the trackers hold, in columns narrow to wide,
    regular and bold: no line prints over the next row's, and no text is cut off.
    """
    drawn = Counter("".join("".join(t.split()) for *_, t in _runs(printed["sizing"])))
    typed = Counter("".join("".join(sizing_book[1]).split()))

    _check(printed["sizing"])
    assert drawn == typed


SIZING_WIDTHS = (12, 20, 36, 50, 75)
"""Column widths from the trackers' narrowest (IDs) to the Summary's values."""


@pytest.fixture(scope="module")
def sizing_book(mini_standard: Standard) -> tuple[bytes, list[str]]:
    """
    Every distinct text of the sample and the reviewed trackers, a sheet per column width and
    weight, each text in a row sized by `fit_row_height` (those a row of that width can hold:
    409 pt at most); the workbook, and the texts it holds.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    texts: set[str] = set()
    for a in (
        assess(mini_standard, sample_evidence(mini_standard)),
        reviewed_assessment(mini_standard),
    ):
        for sheet in load_workbook(io.BytesIO(xlsx.render(a))):
            texts.update(
                v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)
            )
    book, placed = Workbook(), []
    book.remove(book.active)
    for width, bold in itertools.product(SIZING_WIDTHS, (False, True)):
        sheet = book.create_sheet(f"{width}{' bold' if bold else ''}")
        sheet.column_dimensions["A"].width = width
        row = 0
        for text in sorted(texts):
            row += 1
            cell = sheet.cell(row=row, column=1, value=text)
            cell.font = font(bold=bold)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            fit_row_height(sheet, row)
            if sheet.row_dimensions[row].height >= 409:
                cell.value = None
                row -= 1
            else:
                placed.append(text)
        print_readable(sheet)
    return workbook_bytes(book, dt.datetime(2024, 6, 1)), placed
