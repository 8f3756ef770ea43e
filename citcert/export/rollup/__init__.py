"""
The state-wide roll-up's files: the `Rollup` model (`citcert.audit.rollup`) laid out.

The writers only lay it out (`tables`: CSV, JSON and XLSX; `pdf`: the PDF). Every writer
returns the same bytes for the same roll-up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from citcert.audit.rollup import Rollup
from citcert.export.rollup.pdf import render_pdf
from citcert.export.rollup.tables import render_csv, render_json, render_xlsx

RollupWriter = Callable[[Rollup], bytes]
"""A roll-up writer: the whole roll-up as the bytes of one file."""


def render_html(rollup: Rollup) -> bytes:
    """The state dashboard, ``summary.html`` (`citcert.export.html`)."""
    from citcert.export.html import render_dashboard

    return render_dashboard(rollup)


FILES: Mapping[str, RollupWriter] = MappingProxyType(
    {
        "summary.xlsx": render_xlsx,
        "summary.csv": render_csv,
        "summary.json": render_json,
        "summary.pdf": render_pdf,
        "summary.html": render_html,
    }
)
"""Every roll-up file a batch run writes, by file name, with its writer."""
