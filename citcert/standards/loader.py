"""
Load a standard or overlay YAML file into a validated `Standard`.

The file is read safely, keeping every value's line and column (`citcert.standards.document`);
the plain data is then validated by the pydantic models and by `checks.cross_check`. Every
problem is reported at once as ``file:line:col: path: message`` in plain words, never pydantic's
raw text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel, ValidationError

from citcert.errors import CitcertError, Location, StandardFileError, problems_from, raise_if_any
from citcert.standards import messages
from citcert.standards.checks import cross_check
from citcert.standards.document import YamlDocument, read_document
from citcert.standards.model import Standard

if TYPE_CHECKING:
    from citcert.standards.store import StandardsStore

M = TypeVar("M", bound=BaseModel)


def load_file(path: Path, *, store: StandardsStore | None = None) -> Standard:
    """
    Load the standard in `path`, or the overlay in it resolved against its base.

    `store` says where an overlay's base standard is looked up (None: the built-ins). Raises
    `StandardFileError` (or `OverlayError`) holding every problem found.
    """
    document = read_document(path)
    if isinstance(document.data, dict) and "extends" in document.data:
        from citcert.standards.overlay import resolve_overlay

        return resolve_overlay(document, store=store)
    return standard_from(document)


def standard_from(document: YamlDocument) -> Standard:
    """Validate a parsed standard document and cross-check it, reporting every problem."""
    standard = validate(Standard, document)
    raise_if_any(
        StandardFileError, document.file, [document.problem(*p) for p in cross_check(standard)]
    )
    return standard


def validate(model: type[M], document: YamlDocument) -> M:
    """Validate `document` as `model`, translating every pydantic error into a located problem."""
    if not isinstance(document.data, dict):
        lc = getattr(document.tree, "lc", None)
        line, column = (lc.line + 1, lc.col + 1) if lc is not None else (1, 1)
        raise StandardFileError.single(
            f"the file must hold one mapping of `key: value` lines (starting with `id:`), "
            f"not {messages.kind_of(document.data)}",
            Location(document.file, line, column),
        )
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        problems = messages.translate(exc.errors(), model)
        located = [document.problem(loc, text, key=key) for loc, text, key in problems]
        raise_if_any(StandardFileError, document.file, located)
        raise  # unreachable: a ValidationError always holds at least one error


def validate_files(
    paths: Sequence[Path], *, store: StandardsStore | None = None
) -> tuple[list[tuple[Path, Standard]], CitcertError | None]:
    """
    Load each file; return the valid ones, and one error holding every other file's problems.

    Used by ``citcert standards validate``, which reports all files in one run.
    """
    valid: list[tuple[Path, Standard]] = []
    errors: list[CitcertError] = []
    for path in paths:
        try:
            valid.append((path, load_file(path, store=store)))
        except CitcertError as exc:
            errors.append(exc)
    if len(errors) <= 1:
        return valid, errors[0] if errors else None
    problems = problems_from(errors)
    headline = f"{len(errors)} of {len(paths)} files have problems ({len(problems)} in all):"
    return valid, StandardFileError(problems, headline)
