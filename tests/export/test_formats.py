"""The writer registry: every format has a writer, a suffix, and importing it stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest

from citcert.audit.assessment import Assessment
from citcert.audit.scoring import assess
from citcert.export import SUFFIX, WRITERS, Format, render, report_stem
from citcert.standards.model import Standard
from tests.audit.builders import sample_evidence


@pytest.fixture(scope="module")
def assessment(mini_standard: Standard) -> Assessment:
    """The mixed review of the mini standard."""
    return assess(mini_standard, sample_evidence(mini_standard))


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_has_a_writer_returning_bytes(assessment: Assessment, fmt: Format) -> None:
    """Each Format member has a registered writer that returns non-empty bytes."""
    data = WRITERS[fmt](assessment)
    assert isinstance(data, bytes) and data
    assert render(assessment, fmt) == data


def test_every_format_has_a_file_suffix() -> None:
    """SUFFIX covers every format, and the format names are the ones the CLI documents."""
    assert set(SUFFIX) == set(WRITERS) == set(Format)
    assert [f.value for f in Format] == ["terminal", "json", "md", "pdf", "xlsx", "html"]
    assert SUFFIX[Format.MARKDOWN] == "md" and SUFFIX[Format.JSON] == "json"


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Metro County CIT", "metro-county-cit"),
        ("  Crème Brûlée / CIT  ", "creme-brulee-cit"),
        ("../../etc/passwd", "etc-passwd"),
        ("***", "cit-program"),
        ("危机干预", "cit-program"),
        ("A" * 70 + " B", "a" * 60),
        ("x" * 59 + " y", "x" * 59),
    ],
)
def test_report_stem_is_a_safe_slug_of_the_program(
    assessment: Assessment, name: str, stem: str
) -> None:
    """Only lowercase ASCII letters, digits and single dashes, at most 60, never empty."""
    renamed = assessment.model_copy(
        update={"profile": assessment.profile.model_copy(update={"program_name": name})}
    )
    assert report_stem(renamed) == stem


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Ærøskøbing CIT", "aeroskobing-cit"),
        ("ŒUVRE Œuvre Straße", "oeuvre-oeuvre-strasse"),
        ("Łódź Wrocław Đakovo đ Kırıkkale", "lodz-wroclaw-dakovo-d-kirikkale"),
        ("Þórshöfn þing", "thorshofn-thing"),
        ("Øresund ø æ", "oresund-o-ae"),
        ("ØÆ 危机", "oae"),
    ],
)
def test_report_stem_spells_out_letters_without_an_accent_to_drop(
    assessment: Assessment, name: str, stem: str
) -> None:
    """Æ, Ø, Œ, ß, Ł, Đ, Þ, ı and their lowercase forms become ASCII letters, not nothing."""
    renamed = assessment.model_copy(
        update={"profile": assessment.profile.model_copy(update={"program_name": name})}
    )

    assert stem == report_stem(renamed)


def test_importing_the_registry_loads_no_heavy_library() -> None:
    """``import citcert.export`` (done by ``citcert --help``) loads no writer library."""
    code = (
        "import sys, citcert.export\n"
        "heavy = [m for m in ('reportlab', 'openpyxl', 'citcert.export.pdf') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
