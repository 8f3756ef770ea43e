"""
Fixtures for the writers' tests: the hostile assessment, and the expensive renders built once.

Other writers' tests may add their own fixtures here (keep each one small and named for what
it holds).
"""

from __future__ import annotations

import io

import pytest

from citcert.audit.assessment import Assessment
from tests.export.assessment_fixture import hostile_assessment as build_hostile


@pytest.fixture(scope="session")
def hostile_assessment() -> Assessment:
    """A rich assessment with hostile text wherever a workbook can supply text."""
    return build_hostile()


@pytest.fixture(scope="session")
def hostile_pdf(hostile_assessment: Assessment) -> bytes:
    """The gap report of the hostile assessment, rendered once per test session."""
    from citcert.export import pdf

    return pdf.render(hostile_assessment)


@pytest.fixture(scope="session")
def hostile_pdf_pages(hostile_pdf: bytes) -> list[str]:
    """The text of each page of the hostile gap report, as a PDF reader extracts it."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(hostile_pdf)).pages]


@pytest.fixture(scope="session")
def hostile_xlsx(hostile_assessment: Assessment) -> bytes:
    """The remediation tracker of the hostile assessment, rendered once per test session."""
    from citcert.export import xlsx

    return xlsx.render(hostile_assessment)
