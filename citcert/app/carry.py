"""
The program's progress kept when a re-audit writes its tracker where the earlier one is.

The program keeps the XLSX tracker up to date (Status, Notes, Completed on, and perhaps an
Owner or Target date of its own); an audit into the same folder must not throw that away.
Before the new tracker is rendered, the file at its name is read with the tracker reader and
what was typed in it is carried into the new one (`citcert.audit.progress.keep_progress`).
Anything else at that name is refused, with nothing written, unless replacing it loses
nothing:

- a tracker of this program: its progress is carried (nothing typed: replaced), step by step
  by requirement; of another version of its standard (the workbook was migrated), along the
  line of succession, and what has no one step to go to is kept on the Earlier steps sheet;
- a tracker of another program, or one citcert cannot read (no hidden tracker sheet, a status
  that is not one, a damaged file): refused, exit status 2, naming the file and what to do,
  unless nothing was typed in it (another tracker citcert wrote, untouched) or, in a batch, it
  is still exactly what citcert wrote there (its SHA-256 in the manifest).

The file is only read; where it stands, the new tracker takes its place with the other reports.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from citcert._words import plural
from citcert.audit.assessment import Assessment
from citcert.audit.progress import KeptProgress, has_progress, keep_progress
from citcert.errors import CitcertError, Location, OutputError, Problem
from citcert.standards.identity import RequirementId
from citcert.standards.model import Standard
from citcert.workbook.evidence import EARLIER_SHEET

_WHAT_TO_DO = (
    "citcert carries the progress typed in a tracker into the new one, and cannot do it from "
    "this file. Correct what is named above and audit again; or, to keep the file as it is, "
    "move it out of the folder (or write the reports to another folder with -o) and audit again"
)
_NOT_THIS_PROGRAMS = (
    "To keep it, move it out of the folder (or write the reports to another folder with -o) "
    "and audit again"
)


def earlier_progress(
    path: Path,
    assessment: Assessment,
    *,
    replaceable: bool = False,
    shown: str | None = None,
    standard: Standard | None = None,
    named: Callable[[str], Standard] | None = None,
) -> KeptProgress | None:
    """
    The progress typed in the tracker at `path`, for the tracker of `assessment` about to
    replace it; None when there is nothing to keep (no file, nothing typed in it).

    `replaceable`: the file is still exactly what citcert wrote there (a batch's manifest says
    so), so one citcert cannot read may be replaced. Raises `OutputError` naming the file when
    replacing it would lose what it holds; a folder or a device at `path` is left to the
    writer's own checks. Messages name the file `shown` (in a batch, its path in the output
    folder: a roll-up row never holds a machine's path), else `path` as given.

    A tracker of this program on another standard (the workbook was migrated to a new
    version) keeps its progress too: a step goes to the requirement that alone continues its
    own along the line of succession from that standard to `standard` (`named` finds the
    standards on it); any other typed step is kept on the Earlier steps sheet.
    """
    from citcert.workbook.ratings import LATEST_DATE
    from citcert.workbook.tracker import read_tracker, same_program

    if not path.is_file():
        return None
    name = shown or str(path)
    try:
        # NOTE: no clock: a completion date is never refused for being after today here, so
        # the same files give the same tracker whatever the day of the run.
        tracker = read_tracker(path, today=LATEST_DATE)
    except CitcertError as error:
        if replaceable:
            return None
        raise OutputError(
            [*error.problems, Problem(Location(file=name), _WHAT_TO_DO)],
            headline=f"{name} is where this audit writes the program's tracker, but citcert "
            "cannot read it as one; nothing was written",
        ) from None
    earlier = standard
    if tracker.standard_ref != assessment.provenance.standard_ref:
        earlier = _earlier_standard(tracker.standard_ref, standard, named)
    written_by = earlier if _as_written(earlier, tracker.standard_sha256) else None
    program = assessment.profile.program_name
    if not same_program(tracker.program_name, program):
        if not has_progress(tracker, written_by):
            return None  # another tracker citcert wrote, with nothing typed in it
        mismatch = (
            f"this is the tracker of {tracker.program_name!r}, with progress typed in it; this "
            f"audit is of {program!r}, so that progress has no place in its tracker"
        )
        raise OutputError(
            [
                Problem(Location(file=name), mismatch),
                Problem(Location(file=name), _NOT_THIS_PROGRAMS),
            ],
            headline=f"{name} is another program's tracker; nothing was written",
        )
    continues = None
    if tracker.standard_ref != assessment.provenance.standard_ref:
        continues = _continues(earlier, standard, named)
    kept = keep_progress(tracker, assessment.plan, continues, written_by)
    return kept if kept.steps or kept.earlier else None


def _as_written(standard: Standard | None, sha256: str) -> bool:
    """
    True when `standard` is the one a tracker recording `sha256` was written from, as it was
    then: only then does a target date or owner other than its remediation's show a typed one
    (a horizon changed under the same version would make every date look typed).
    """
    from citcert.standards.model import standard_sha256

    return standard is not None and standard_sha256(standard) == sha256


def _earlier_standard(
    old_ref: str, new: Standard | None, named: Callable[[str], Standard] | None
) -> Standard | None:
    """The standard a tracker of another one than `new` was written from; None if unknown."""
    from citcert.errors import StandardNotFoundError

    if new is None or named is None:
        return None
    try:
        return named(old_ref)
    except StandardNotFoundError:
        return None


def _continues(
    old: Standard | None, new: Standard | None, named: Callable[[str], Standard] | None
) -> dict[RequirementId, RequirementId] | None:
    """
    Each requirement of `old` that one requirement of `new` continues alone, to that one;
    None when the old standard cannot be had (steps are then matched by id, as compare matches
    audits whose standards it cannot load).
    """
    from citcert.standards.succession import line, predecessors

    if old is None or new is None or named is None:
        return None
    found = line(old, new, named)
    # NOTE: off a line (a standard and its own overlay, or last year's copy audited again),
    # requirements continue by id, as compare and migrate match them.
    forward = found is not None and found.newer is new
    sources = found.predecessors() if found is not None and forward else predecessors(old, new)
    takers: dict[RequirementId, list[RequirementId]] = {}
    for new_id, old_ids in sources.items():
        for old_id in old_ids:
            takers.setdefault(old_id, []).append(new_id)
    return {
        old_id: ids[0]
        for old_id, ids in takers.items()
        if len(ids) == 1 and len(sources[ids[0]]) == 1
    }


def kept_sentence(kept: KeptProgress, name: str) -> str:
    """
    What was kept, for the coordinator: ``Kept the progress typed in the earlier tracker
    (riverton-cit-program.xlsx): 4 steps.`` and where the steps no longer planned are.
    """
    if not kept.steps and not kept.left_now:  # nothing typed in the plan: its sheet alone
        earlier = plural(len(kept.earlier), "step")
        return f"Kept the {EARLIER_SHEET} sheet of the earlier tracker ({name}): {earlier}."
    steps = plural(len(kept.steps), "step")
    text = f"Kept the progress typed in the earlier tracker ({name}): {steps}."
    closed = kept.left_now - kept.unmatched
    if closed:
        one = closed == 1
        text += (
            f" {plural(closed, 'step')} with progress {'is' if one else 'are'} no longer "
            f"in the plan (typically {'its' if one else 'their'} gap closed): "
            f"{'it is' if one else 'they are'} listed on the tracker's {EARLIER_SHEET} sheet."
        )
    if kept.unmatched:
        one = kept.unmatched == 1
        text += (
            f" {plural(kept.unmatched, 'step')} of {kept.standard_ref} "
            f"{'is on a requirement' if one else 'are on requirements'} that no one requirement "
            f"of this standard continues (merged, split or dropped): "
            f"{'it is' if one else 'they are'} listed on the {EARLIER_SHEET} sheet; type "
            f"{'its' if one else 'their'} progress on the new steps that take "
            f"{'its' if one else 'their'} place."
        )
    if kept.retyped:
        ids = ", ".join(kept.retyped)
        text += f" Kept as typed: the owner or target date of {plural(len(kept.retyped), 'step')}"
        text += f" ({ids})."
    if not kept.owners_judged:
        text += (
            " Owners and target dates are the new audit's: the standard the earlier tracker "
            "was written from is not found here, or has changed since, so citcert cannot "
            "tell which were typed over."
        )
    if kept.noted:
        ids = ", ".join(kept.noted)
        text += (
            f" Where the earlier tracker's differ ({plural(len(kept.noted), 'step')}: {ids}), "
            "they are added to the step's Notes: type them over the new ones to keep them."
        )
    if not kept.left_now and kept.earlier:
        text += f" Its {EARLIER_SHEET} sheet ({plural(len(kept.earlier), 'step')}) is kept too."
    return text
