"""
Save an openpyxl workbook as bytes that depend only on its content and one given time.

openpyxl's own save stamps the clock into the document properties and into every zip entry
(and, for worksheets written through temporary files, their change times), so two saves of the
same workbook differ. Every workbook citcert writes (the evidence template, the remediation
tracker, the state roll-up, a migrated workbook) is saved here instead, dated by its content:
the standard's effective date, the assessment date, the newest audit in a batch.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any


def workbook_bytes(book: Any, when: dt.datetime) -> bytes:
    """Save an openpyxl workbook to bytes that depend only on its content and `when`."""
    from openpyxl.writer.excel import ExcelWriter

    book.properties.creator = "citcert"
    book.properties.lastModifiedBy = "citcert"
    book.properties.created = when
    book.properties.modified = when
    buffer = io.BytesIO()
    archive = _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, date_time=when)
    ExcelWriter(book, archive).save()  # NOTE: save_workbook() would stamp the current time
    return buffer.getvalue()


_ZIP_EARLIEST = dt.datetime(1980, 1, 1)
_ZIP_LATEST = dt.datetime(2107, 12, 31, 23, 59, 58)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one fixed time instead of the clock's."""

    def __init__(self, *args: Any, date_time: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # NOTE: a zip holds dates from 1980 to 2107 only; a report of an older assessment (or
        # one dated far ahead with --as-of) is stamped with the nearest date it can hold.
        clamped = min(max(date_time, _ZIP_EARLIEST), _ZIP_LATEST)
        self._date_time = clamped.timetuple()[:6]

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=self._date_time)
            zinfo_or_arcname.compress_type = self.compression
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        # openpyxl writes each worksheet through a temporary file, whose mtime would leak in.
        with open(filename, "rb") as handle:
            self.writestr(str(arcname or filename), handle.read())
