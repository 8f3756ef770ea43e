"""
Workloads for the benchmarks: filled-in evidence workbooks for the default standard.

A workbook is filled the way a coordinator would fill it (every profile field, every program
number, a rating, an evidence summary and one or two of its listed documents on every
requirement, three to eight documents listed), with ratings drawn from a seeded random
generator so each program scores differently and every run of the benchmarks sees the same
files. Filling a workbook with openpyxl takes a fraction of a second, so a folder of many
workbooks is made from a few filled variants whose program name is then rewritten inside the
zip, which is cheap and keeps every name distinct.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from citcert._spreadsheet import workbook_bytes
from citcert.standards.identity import RequirementId
from citcert.standards.model import Standard
from citcert.workbook.template import build_workbook, fixed_time
from citcert.workbook.template.filling import fill_workbook

ASSESSMENT_DATE = dt.date(2025, 3, 1)
NAME_MARK = "Benchmark Program 0000"
"""The program name of every variant; its digits are rewritten to number the copies."""
VARIANTS = 6


def _profile(rng: random.Random) -> dict[str, object]:
    return {
        "program_name": NAME_MARK,
        "jurisdiction": rng.choice(["Riverton County", "Lake City", "Northfield Region"]),
        "state": "OH",
        "agencies": "Riverton Police Department; Riverton County Sheriff's Office",
        "coordinator": "Sgt. Dana Reyes, law enforcement CIT coordinator",
        "contact": "coordinator@riverton.example",
        "population_served": rng.randrange(20_000, 900_000),
        "assessment_type": "Self-assessment",  # reviewers rate in their own workbooks
        "assessment_date": dt.datetime.combine(ASSESSMENT_DATE, dt.time()),
        "reviewer": "Jordan Avery, CIT International",
    }


def _numbers(rng: random.Random) -> dict[str, object]:
    sworn = rng.randrange(80, 2000)
    patrol = sworn * 2 // 3
    shifts = rng.randrange(3, 12)
    dispatchers = rng.randrange(10, 80)

    def recent(days: int) -> dt.datetime:
        return dt.datetime.combine(
            ASSESSMENT_DATE - dt.timedelta(days=rng.randrange(days)), dt.time()
        )

    return {
        "sworn_officers": sworn,
        "patrol_officers": patrol,
        "cit_patrol_officers": rng.randrange(patrol // 10, patrol // 2 + 1),
        "shifts": shifts,
        "shifts_with_cit": rng.randrange(1, shifts + 1),
        "dispatchers": dispatchers,
        "cit_dispatchers": rng.randrange(0, dispatchers + 1),
        "basic_course_hours": rng.choice([24, 32, 40, 40, 40]),
        "dispatcher_course_hours": rng.choice([4, 8, 16]),
        "last_committee_meeting": recent(200),
        "committee_meetings_12m": rng.randrange(0, 13),
        "last_crisis_mapping": recent(900),
        "last_basic_class": recent(500),
        "last_inservice": recent(500),
        "data_reports_12m": rng.randrange(0, 13),
        "program_structure": rng.choice(["Agency program", "Regional program"]),
    }


def _rows(
    standard: Standard, rng: random.Random, documents: Sequence[str]
) -> dict[RequirementId, dict[str, object]]:
    """A rating, an evidence summary and one or two of the listed `documents` per requirement."""
    labels = [level.label for level in standard.scoring.scale.levels]
    rows: dict[RequirementId, dict[str, object]] = {}
    for domain in standard.domains:
        for requirement in domain.requirements:
            rating = rng.choices(labels, weights=[6, 3, 1][: len(labels)] or None)[0]
            cited = rng.sample(list(documents), k=min(len(documents), rng.randrange(1, 3)))
            rows[requirement.id] = {
                "self_rating": rating,
                "evidence_summary": f"{requirement.title}: described in the program's "
                f"{rng.choice(['charter', 'policy', 'annual report', 'training plan'])}, "
                f"reviewed {rng.randrange(1, 12)} months ago.",
                "documents": "\n".join(cited),
            }
    return rows


DOCUMENT_NAMES = (
    "Memorandum of understanding 2024",
    "CIT policy manual",
    "CIT training curriculum 2025",
    "Steering committee minutes 2025-01",
    "Annual report 2024",
    "Dispatch protocol 2024",
    "Crisis center agreement",
    "Quarterly data report 2024-Q4",
)
"""The documents a program lists (the first three to all of them), which its answers cite."""


def _documents(rng: random.Random) -> list[dict[str, object]]:
    return [
        {
            "name": name,
            "date": dt.datetime.combine(
                ASSESSMENT_DATE - dt.timedelta(days=number * 30), dt.time()
            ),
            "description": "Signed by every partner agency.",
            "link": f"https://riverton.example/cit/{number}.pdf",
        }
        for number, name in enumerate(DOCUMENT_NAMES[: rng.randrange(3, 9)], start=1)
    ]


def _filled(standard: Standard, rng: random.Random) -> dict[str, Any]:
    """What `fill_workbook` is given for a program: its profile and numbers, documents, rows."""
    program = {**_profile(rng), **_numbers(rng)}
    documents = _documents(rng)
    rows = _rows(standard, rng, [str(d["name"]) for d in documents])
    return {"program": program, "rows": rows, "documents": documents}


def filled_workbook(standard: Standard, seed: int) -> bytes:
    """One complete, valid workbook for `standard`; `seed` picks its ratings and numbers."""
    rng = random.Random(seed)
    book: Any = build_workbook(standard)
    fill_workbook(book, **_filled(standard, rng))
    return workbook_bytes(book, fixed_time(standard))


def with_roster(standard: Standard, seed: int, officers: int) -> bytes:
    """The workbook of `seed` with an Officers sheet of `officers` rows (1 in 4 trained)."""
    rng = random.Random(seed)
    book: Any = build_workbook(standard)
    roster = [
        {
            "officer_id": f"B-{10_000 + i}",
            "assignment": "Patrol" if i % 3 else "Other",
            "shift": "ABCDEFGH"[i % 8],
            "course_date": ASSESSMENT_DATE - dt.timedelta(days=100 + i % 900)
            if i % 4 == 0
            else None,
            "last_inservice": ASSESSMENT_DATE - dt.timedelta(days=i % 700) if i % 4 == 0 else None,
        }
        for i in range(officers)
    ]
    fill_workbook(book, **_filled(standard, rng), records={"officers": roster} if roster else {})
    return workbook_bytes(book, fixed_time(standard))


def renamed(data: bytes, number: int) -> bytes:
    """`data` with its program name numbered `number`, rewritten inside the zip."""
    new_name = NAME_MARK.replace("0000", f"{number:04d}").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if NAME_MARK.encode() in part:
                part = part.replace(NAME_MARK.encode(), new_name)
            target.writestr(info, part)
    return buffer.getvalue()


def variants(standard: Standard, count: int = VARIANTS) -> list[bytes]:
    """`count` differently filled workbooks (the slow part: openpyxl fills each one)."""
    return [filled_workbook(standard, seed) for seed in range(count)]


def write_folder(folder: Path, bases: list[bytes], count: int) -> list[Path]:
    """A state's folder of `count` workbooks, each with its own program name."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, data in zip(range(count), _cycle(bases), strict=False):
        path = folder / f"program-{number:04d}.xlsx"
        path.write_bytes(renamed(data, number))
        paths.append(path)
    return paths


def _cycle(items: list[bytes]) -> Iterator[bytes]:
    while True:
        yield from items
