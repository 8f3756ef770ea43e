"""Load a standard or overlay YAML file into a validated `Standard` (work in progress)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ruamel.yaml import YAML

from citcert.errors import Location, StandardFileError
from citcert.standards.model import Standard


def load_file(path: Path, *, dirs: Sequence[Path] = ()) -> Standard:
    """Load the standard (or overlay, resolved against its base) in `path`."""
    try:
        raw = YAML(typ="safe").load(Path(path).read_text(encoding="utf-8"))
        return Standard.model_validate(raw)
    except Exception as exc:  # placeholder until the real loader lands
        raise StandardFileError.single(str(exc), Location(str(path))) from exc
