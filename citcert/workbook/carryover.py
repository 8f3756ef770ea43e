"""
Which old answers each requirement of the new standard receives (pure).

A new requirement takes its answers from the old requirements its ``replaces:`` list names (when
the new standard says it supersedes the old one), or else from the old requirement with the same
id. One predecessor: its answers move over as they are. Several: their evidence is combined, and
a rating is kept only when they all agree and still mean something on the new scale. A rating or
metric value that cannot move becomes a note for the row; answers of old requirements with no
successor are listed as lost, so the caller can keep them elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from citcert.errors import WorkbookError
from citcert.standards import succession
from citcert.standards.model import Metric, MetricCompute, Requirement, RequirementId, Standard
from citcert.workbook import layout as L
from citcert.workbook.evidence import NotApplicableAnswer, Rated
from citcert.workbook.ratings import Invalid, clean_text, parse_answer, quoted

_ANSWERS = ("self_rating", "evidence_summary", "documents", "metric_value", "reviewer_rating")
CARRIED = (*_ANSWERS, "reviewer_comment", "notes")
"""The columns of an old requirement's row that are carried over."""
_RATINGS = ("self_rating",)
_LEGACY_REVIEW = ("reviewer_rating", "reviewer_comment")
"""Layout 1's reviewer columns: the new workbook has none, so their content becomes a note."""

OldRows = dict[RequirementId, dict[str, object]]
"""Old requirement id → column key → the raw value typed (blank cells left out)."""


@dataclass
class TargetRow:
    """What one new requirement's row receives."""

    values: dict[str, object] = field(default_factory=dict)
    sources: tuple[RequirementId, ...] = ()
    notes: list[str] = field(default_factory=list)


def predecessors(
    old: Standard, new: Standard, between: tuple[Standard, ...] = ()
) -> dict[RequirementId, tuple[RequirementId, ...]]:
    """
    New requirement id → the old requirement ids it takes answers from.

    The rule `citcert compare` matches requirements by (`citcert.standards.succession`):
    ``replaces:`` lists count only when the new standard supersedes the old one (or the standard
    the old one is an overlay of), directly or through the standards `between`; otherwise
    requirements are matched by equal ids (a new version of the same standard, or a standard
    and its own overlay).
    """
    result = succession.Line(old, between, new).predecessors()
    if not any(result.values()):
        raise WorkbookError.single(
            f"nothing can be carried from {old.ref} to {new.ref}: {new.ref} does not say it "
            f"supersedes {old.ref} and the two share no requirement ids"
        )
    return result


def carry_answers(
    rows: OldRows,
    old: Standard,
    new: Standard,
    sources: dict[RequirementId, tuple[RequirementId, ...]],
) -> tuple[dict[RequirementId, TargetRow], list[str]]:
    """What each new requirement receives, and the answers with no new requirement to go to."""
    targets = {
        rid: _target(new.requirement(rid), ids, rows, old, new) for rid, ids in sources.items()
    }
    used = {s for ids in sources.values() for s in ids}
    lost = []
    for rid, values in rows.items():
        if rid not in used and values:  # any cell typed in it, a note alone included
            summary = "; ".join(f"{_label(key)} {quoted(v)}" for key, v in values.items())
            lost.append(
                f"{rid} ({old.requirement(rid).title}) has no successor in {new.ref}: {summary}"
            )
    return targets, lost


def _label(key: str) -> str:
    return next(c.subject for c in L.READ_EVIDENCE_COLUMNS if c.key == key)


def _target(
    requirement: Requirement,
    ids: Sequence[RequirementId],
    rows: OldRows,
    old: Standard,
    new: Standard,
) -> TargetRow:
    answered = [rid for rid in ids if rows.get(rid)]
    target = TargetRow(sources=tuple(answered))
    if not answered:
        return target
    for key in _RATINGS:
        _carry_rating(target, key, requirement, ids, rows, old, new)
    for key in ("evidence_summary", "notes"):
        _carry_text(target, key, answered, rows)
    for key in _LEGACY_REVIEW:
        for rid in answered:
            if key in rows[rid]:
                target.notes.append(
                    f'{_label(key)} from the old workbook ({rid}): "{clean_text(rows[rid][key])}"; '
                    "reviewers now rate in their own workbook (citcert review start)"
                )
    documents = [
        line for rid in answered for line in clean_text(rows[rid].get("documents")).split("\n")
    ]
    if any(documents):
        target.values["documents"] = "\n".join(
            dict.fromkeys(d.strip() for d in documents if d.strip())
        )
    _carry_metric(target, requirement, answered, rows, old)
    change = _measure_change(requirement, answered, old)
    if "self_rating" in target.values and change is not None:
        metric = requirement.metric
        assert metric is not None  # a measure that changed is there now
        if change == "thresholds":
            lines = metric.thresholds_text(new.scoring.scale)
            how = f"is rated by other thresholds in {new.ref} ({metric.label}: {lines})"
        else:
            way = "" if change == "new" else "another way "
            how = f"is measured {way}in {new.ref} ({metric.label})"
        target.notes.append(f"this requirement {how}: check the rating against it")
    return target


_MEASURE = ("compute", "inputs", "direction", "unit")
"""What makes a metric's value: its label, origin and wording aside."""
_THRESHOLDS = ("met", "partial")
"""What rates that value."""


def _measure_change(
    requirement: Requirement, ids: Sequence[RequirementId], old: Standard
) -> Literal["new", "measure", "thresholds"] | None:
    """
    How the new metric rates otherwise than the old rows' did: it is ``new`` (no old row had
    one), its ``measure`` changed (or some old row had none), or only its ``thresholds``;
    ``None`` when it rates alike.
    """
    after = requirement.metric
    if after is None:
        return None
    befores = [old.requirement(rid).metric for rid in ids]
    if all(before is None for before in befores):
        return "new"
    if any(
        before is None or any(getattr(before, f) != getattr(after, f) for f in _MEASURE)
        for before in befores
    ):
        return "measure"
    if any(getattr(b, f) != getattr(after, f) for b in befores if b for f in _THRESHOLDS):
        return "thresholds"
    return None


def _carry_rating(
    target: TargetRow,
    key: str,
    requirement: Requirement,
    ids: Sequence[RequirementId],
    rows: OldRows,
    old: Standard,
    new: Standard,
) -> None:
    raws = {rid: rows.get(rid, {})[key] for rid in ids if key in rows.get(rid, {})}
    if not raws:
        return
    labels = {rid: _new_label(raw, old, new, requirement) for rid, raw in raws.items()}
    chosen = set(labels.values())
    if (
        len(chosen) == 1
        and len(raws) == len(ids)
        and not isinstance(label := chosen.pop(), Invalid)
    ):
        target.values[key] = label
        return
    problems = [v.message for v in labels.values() if isinstance(v, Invalid)]
    if problems:
        why = "; ".join(problems)
    elif len(raws) < len(ids):
        why = f"only some of {', '.join(ids)} were rated"
    else:
        why = "the old ratings differ"
    texts = ", ".join(f"{rid} {quoted(raw)}" for rid, raw in raws.items())
    target.notes.append(f"{_label(key)} not carried ({why}): {texts}")


def _new_label(
    raw: object, old: Standard, new: Standard, requirement: Requirement
) -> str | Invalid:
    answer = parse_answer(raw, old.scoring.scale)
    scale = new.scoring.scale
    if isinstance(answer, Rated):
        if not any(level.id == answer.level for level in scale.levels):
            return Invalid(f"{quoted(raw)} has no equivalent on the new rating scale")
        return scale.level(answer.level).label
    if isinstance(answer, NotApplicableAnswer):
        if not requirement.not_applicable.allowed:
            return Invalid(f"{requirement.id} may no longer be rated not applicable")
        return scale.not_applicable_label
    return Invalid(f"{quoted(raw)} could not be read as a rating")


def _carry_text(target: TargetRow, key: str, ids: Sequence[RequirementId], rows: OldRows) -> None:
    texts = [(rid, clean_text(rows[rid][key])) for rid in ids if key in rows[rid]]
    if len(texts) == 1 and len(ids) == 1:
        target.values[key] = texts[0][1]
    elif texts:
        target.values[key] = "\n\n".join(f"From {rid}: {text}" for rid, text in texts)


def _carry_metric(
    target: TargetRow,
    requirement: Requirement,
    ids: Sequence[RequirementId],
    rows: OldRows,
    old: Standard,
) -> None:
    values = {rid: rows[rid]["metric_value"] for rid in ids if "metric_value" in rows[rid]}
    if not values:
        return
    if len(values) == 1 and _same_metric(
        old.requirement(next(iter(values))).metric, requirement.metric
    ):
        target.values["metric_value"] = next(iter(values.values()))
        return
    texts = ", ".join(f"{rid} {quoted(v)}" for rid, v in values.items())
    target.notes.append(f"metric value not carried (the metric changed): {texts}")


def _same_metric(before: Metric | None, after: Metric | None) -> bool:
    """True when both metrics take a value typed in the row, in the same unit."""
    if before is None or after is None:
        return False
    typed = all(m.compute is MetricCompute.VALUE and not m.inputs for m in (before, after))
    return typed and before.unit == after.unit
