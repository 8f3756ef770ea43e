"""
An overlay's changes to the scoring are shown as such in every report, beside its weakenings:
each change with its kind, and under the list how many loosen the base and how many change
how scores are formed (the README's "Overlays" promise, format by format).
"""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from citcert.audit.assessment import Assessment
from citcert.export import html, markdown
from citcert.export import json as json_report
from tests.export.html_page import Page

LOOSEN = "1 of these changes loosen the base standard."
RESCORED = (
    "1 of these changes change how scores are formed (an added requirement or a changed weight "
    "moves every score of its domain), so a program may score higher or lower for them."
)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_markdown(hostile_assessment: Assessment) -> None:
    report = markdown.render(hostile_assessment).decode("utf-8")

    assert "- **rescored** OH-01: Ohio adds OH-01, weight 2." in report
    assert f"**{LOOSEN}**" in report
    assert f"**{RESCORED}**" in report


def test_html(hostile_assessment: Assessment) -> None:
    page = Page(html.render(hostile_assessment))
    rows = [row.text for row in page.all("tr")]
    paragraphs = [p.text for p in page.all("p")]

    assert "Rescored CHANGES THE SCORING OH-01 Ohio adds OH-01, weight 2. —" in rows
    assert LOOSEN in paragraphs
    assert RESCORED in paragraphs


def test_pdf(hostile_pdf_pages: list[str]) -> None:
    text = _flat("\n".join(hostile_pdf_pages))

    assert "Rescored OH-01 Ohio adds OH-01, weight 2." in text
    assert LOOSEN in text
    assert RESCORED in text


def test_xlsx(hostile_xlsx: bytes) -> None:
    book = load_workbook(io.BytesIO(hostile_xlsx))
    cells = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    (tailoring,) = [v for v in cells if isinstance(v, str) and "OH-01" in v]

    assert "Rescored OH-01: Ohio adds OH-01, weight 2." in tailoring.splitlines()
    assert tailoring.splitlines()[-2:] == [LOOSEN, RESCORED]


def test_json(hostile_assessment: Assessment) -> None:
    data = json.loads(json_report.render(hostile_assessment))

    assert {"kind": "rescored", "target": "OH-01"}.items() <= data["tailoring"][0].items()


@pytest.mark.parametrize("kind", ["weakened", "rescored"])
def test_a_report_without_such_changes_says_nothing_of_them(
    hostile_assessment: Assessment, kind: str
) -> None:
    """The count is of real changes: with none of a kind, no sentence about that kind."""
    kept = tuple(c for c in hostile_assessment.tailoring if c.kind.value != kind)
    report = markdown.render(hostile_assessment.model_copy(update={"tailoring": kept}))

    absent = LOOSEN if kind == "weakened" else RESCORED
    assert absent not in report.decode("utf-8")
