"""
`citcert progress`: a remediation tracker read back and its plan's progress as of a day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from citcert.audit.progress import Progress, progress
from citcert.workbook.tracker import read_tracker


def tracker_progress(path: Path, *, as_of: dt.date | None, today: dt.date) -> Progress:
    """The progress of the tracker at `path` on `as_of` (default: today)."""
    return progress(read_tracker(path, today=today), as_of or today)
