"""
Writers: one module per output format, each a function `Assessment -> bytes`.

`WRITERS` maps every `Format` to its writer; the CLI's ``--format`` choices come from `Format`,
so a new format is one enum member, one module and one entry here. Writers only lay out an
`Assessment`; they never compute (STYLE §13). Each writer is registered through a small wrapper
that imports its module only when called: the PDF and XLSX writers import reportlab and
openpyxl, and importing this package (as ``citcert --help`` does, for the format names) must
stay cheap.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from citcert.audit.assessment import Assessment
    from citcert.audit.progress import KeptProgress

Writer = Callable[["Assessment"], bytes]
"""A writer: the whole report for one assessment, as the bytes of one file."""


class Format(StrEnum):
    """The output formats of an audit report."""

    TERMINAL = "terminal"
    JSON = "json"
    MARKDOWN = "md"
    PDF = "pdf"
    XLSX = "xlsx"
    HTML = "html"


def _lazy(module: str) -> Writer:
    """A writer that imports ``citcert.export.<module>`` (and its libraries) when called."""

    def write(assessment: Assessment) -> bytes:
        writer: Writer = importlib.import_module(f"citcert.export.{module}").render
        return writer(assessment)

    write.__doc__ = f"The report written by citcert.export.{module}, imported on first use."
    return write


WRITERS: Mapping[Format, Writer] = MappingProxyType(
    {
        Format.TERMINAL: _lazy("terminal"),
        Format.JSON: _lazy("json"),
        Format.MARKDOWN: _lazy("markdown"),
        Format.PDF: _lazy("pdf"),
        Format.XLSX: _lazy("xlsx"),
        Format.HTML: _lazy("html"),
    }
)
"""The writer of every format."""

SUFFIX: Mapping[Format, str] = MappingProxyType(
    {
        Format.TERMINAL: "txt",
        Format.JSON: "json",
        Format.MARKDOWN: "md",
        Format.PDF: "pdf",
        Format.XLSX: "xlsx",
        Format.HTML: "html",
    }
)
"""The file-name suffix (without the dot) of each format's report."""


def render(
    assessment: Assessment,
    fmt: Format,
    audience: str = "applicant",
    kept: KeptProgress | None = None,
) -> bytes:
    """
    The report for `assessment` in format `fmt`, as bytes (nothing touches the disk).

    `audience` (``applicant`` or ``panel``) picks the view of a review's assessment every writer
    is given (`citcert.export.audience.view`); the applicant's leaves out what only the panel
    may read. `kept` is the progress kept from the tracker a re-audit replaces: only the XLSX
    tracker holds it.
    """
    from citcert.export.audience import Audience, view

    seen = view(assessment, Audience(audience))
    if fmt is Format.XLSX and kept is not None:
        from citcert.export.xlsx import render as tracker

        return tracker(seen, kept)
    return WRITERS[fmt](seen)


_TRANSLITERATION = str.maketrans(
    {
        "Æ": "AE",
        "æ": "ae",
        "Ø": "O",
        "ø": "o",
        "Œ": "OE",
        "œ": "oe",
        "ß": "ss",
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Þ": "Th",
        "þ": "th",
        "ı": "i",
    }
)
"""Latin letters with no decomposition to ASCII, spelled as they are usually written in ASCII."""


WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"{dev}{n}" for dev in ("com", "lpt") for n in "0123456789¹²³")}
)
"""Names Windows gives to devices: a file or folder of that name (any suffix) cannot exist."""


def report_stem(assessment: Assessment) -> str:
    """
    A file-name-safe slug of the program's name, e.g. ``metro-county-cit``.

    Only lowercase ASCII letters, digits and single dashes, at most 60 characters, so the same
    name works on every file system; ``cit-program`` when nothing usable is left. Accents are
    dropped (``é`` -> ``e``); Latin letters with no accent to drop are spelled out first
    (``Ærøskøbing`` -> ``aeroskobing``, not ``rskbing``); other scripts' letters are left out.
    """
    spelled = assessment.profile.program_name.translate(_TRANSLITERATION)
    name = unicodedata.normalize("NFKD", spelled)
    ascii_name = name.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:60].rstrip("-")
    if slug in WINDOWS_RESERVED:  # NOTE: a program named "Con" still gets files on Windows
        slug = f"{slug}-cit"
    return slug or "cit-program"


__all__ = ["SUFFIX", "WINDOWS_RESERVED", "WRITERS", "Format", "Writer", "render", "report_stem"]
