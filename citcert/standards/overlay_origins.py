"""
Where each part of a resolved standard came from in its overlay.

A resolved standard is cross-checked like any other standard, but the checks name paths in the
resolved standard, which no file holds. Each path is traced back to the overlay entry that put
it there (an added program number, domain or requirement, an overridden field, a changed
decision level), so the problem points at the overlay's line; a problem with no such origin is
shown at the overlay's ``extends:`` line, with its path in the resolved standard.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from citcert.errors import Location, Problem
from citcert.standards.checks import Loc, cross_check, format_loc
from citcert.standards.document import YamlDocument
from citcert.standards.identity import RequirementId
from citcert.standards.model import Standard
from citcert.standards.overrides import RequirementOverride

if TYPE_CHECKING:
    from citcert.standards.overlay import Overlay


def locate_checks(
    standard: Standard,
    base: Standard,
    overlay: Overlay,
    document: YamlDocument,
    *,
    added: Mapping[RequirementId, Loc],
) -> Iterator[Problem]:
    """
    Cross-check the resolved standard, pointing each problem at the overlay line.

    `added` gives the overlay path of each requirement the overlay added, by id.
    """
    origins = dict(_origins(standard, base, overlay, added))
    fallback = document.location(("extends",))
    for loc, message in cross_check(standard):
        for cut in range(len(loc), 0, -1):
            origin = origins.get(loc[:cut])
            if origin is not None:
                yield document.problem((*origin, *loc[cut:]), message)
                break
        else:
            subject = f"{format_loc(loc)} (in the resolved standard)"
            yield Problem(Location(fallback.file, fallback.line, fallback.column), message, subject)


def _origins(
    standard: Standard, base: Standard, overlay: Overlay, added: Mapping[RequirementId, Loc]
) -> Iterator[tuple[Loc, Loc]]:
    """Pairs of (path in the resolved standard, path in the overlay that put it there)."""
    base_numbers = len(base.program_numbers)
    for i in range(base_numbers, len(standard.program_numbers)):
        yield ("program_numbers", i), ("add", "program_numbers", i - base_numbers)
    added_domains = {d.id: i for i, d in enumerate(overlay.add.domains)}
    for d, domain in enumerate(standard.domains):
        if domain.id in added_domains:
            yield ("domains", d), ("add", "domains", added_domains[domain.id])
        for r, req in enumerate(domain.requirements):
            here: Loc = ("domains", d, "requirements", r)
            if req.id in added:
                yield here, added[req.id]
            for name in overlay.override.get(req.id, RequirementOverride()).model_fields_set:
                yield (*here, name), ("override", req.id, name)
    for j, level in enumerate(standard.scoring.decision_levels):
        if level.id in overlay.scoring.decision_levels:
            yield ("scoring", "decision_levels", j), ("scoring", "decision_levels", level.id)
