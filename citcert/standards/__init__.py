"""
Standards as data: models, loader, registry, overlays, diff and schema.

`find_standard` resolves an ``id[@version]`` against the built-in and user standards;
`load_file` loads one standard or overlay file. Both return a validated, resolved `Standard`.

NOTE: the names are imported on first use, so that importing one light submodule (the
registry's index, the cache) does not pull in pydantic and ruamel.yaml, which would cost
``citcert standards list`` most of its start-up time.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from citcert.standards.loader import load_file
    from citcert.standards.model import Standard, standard_sha256
    from citcert.standards.registry import find_standard

_HOMES = {
    "Standard": "citcert.standards.model",
    "standard_sha256": "citcert.standards.model",
    "find_standard": "citcert.standards.registry",
    "load_file": "citcert.standards.loader",
}


def __getattr__(name: str) -> Any:
    """The public names, each imported from its module when first asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = ["Standard", "find_standard", "load_file", "standard_sha256"]
