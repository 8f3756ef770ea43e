"""
Standards as data: models, loader, registry, overlays, diff and schema.

`find_standard` resolves an ``id[@version]`` against the built-in and user standards;
`load_file` loads one standard or overlay file. Both return a validated, resolved `Standard`.
"""

from citcert.standards.loader import load_file
from citcert.standards.model import Standard, standard_sha256
from citcert.standards.registry import find_standard

__all__ = ["Standard", "find_standard", "load_file", "standard_sha256"]
