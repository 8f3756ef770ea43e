"""
The context every scoring step reads: the standard, the evidence, the date and the mode.

A module of its own so the requirement, metric, findings and explanation modules can share one
read-only view of the inputs without importing the orchestrator (`scoring`), which imports
them. Built once per assessment; nothing in it changes afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from citcert.audit.assessment import DerivedNumber
from citcert.audit.records import derive_numbers, effective_numbers
from citcert.standards.model import RatingScale, Standard
from citcert.workbook.evidence import Document, Evidence, Mode, NumberValue


@dataclass(frozen=True, slots=True)
class Context:
    """What every step reads: the standard, the evidence, the date and the mode."""

    standard: Standard
    evidence: Evidence
    as_of: dt.date
    mode: Mode
    documents: dict[str, Document] = field(default_factory=dict)
    """The workbook's document index by case-folded name."""
    derived: dict[str, DerivedNumber] = field(default_factory=dict)
    """The program numbers computed from record sheets, by number id."""
    numbers: dict[str, NumberValue | None] = field(default_factory=dict)
    """The numbers scoring uses: computed from records where they can be, else as typed."""

    @classmethod
    def of(
        cls, standard: Standard, evidence: Evidence, as_of: dt.date | None, mode: Mode | None
    ) -> Context:
        """The context for one assessment; the date and mode default to the workbook's."""
        index: dict[str, Document] = {}
        for doc in evidence.documents:
            index.setdefault(document_key(doc.name), doc)
        day = as_of or evidence.profile.assessment_date
        derived = derive_numbers(standard, evidence, day)
        return cls(
            standard=standard,
            evidence=evidence,
            as_of=day,
            mode=mode or evidence.profile.assessment_type,
            documents=index,
            derived={item.number_id: item for item in derived},
            numbers=effective_numbers(evidence.numbers, derived),
        )

    @property
    def scale(self) -> RatingScale:
        """The standard's rating scale, which most steps read."""
        return self.standard.scoring.scale


def document_key(name: str) -> str:
    """How a document name is matched: case and surrounding spaces do not count."""
    return name.strip().casefold()
