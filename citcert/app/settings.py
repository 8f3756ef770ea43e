"""
The settings a command takes from its environment, read here and nowhere below.

`standards_store` builds the one standards store a command uses (`citcert.standards.store`):

- the folders of ``--standards-dir``, then those of ``CITCERT_STANDARDS_PATH`` (separated by the
  system's path separator), searched before the built-ins; a folder the variable names that
  does not exist is an error, not silently ignored;
- the cache folder: ``$CITCERT_CACHE_DIR/standards``, else ``$XDG_CACHE_HOME/citcert/standards``,
  else ``~/.cache/citcert/standards``; ``CITCERT_NO_CACHE`` set to anything but ``""`` or ``0``
  turns the cache off.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from citcert.errors import StandardNotFoundError
from citcert.standards.store import StandardsStore

STANDARDS_PATH_ENV = "CITCERT_STANDARDS_PATH"
"""Environment variable naming extra standards folders, separated by `os.pathsep`."""
CACHE_ENV = "CITCERT_CACHE_DIR"
"""Environment variable naming the cache folder."""
NO_CACHE_ENV = "CITCERT_NO_CACHE"
"""Environment variable that turns the cache off when set to anything but ``""`` or ``0``."""


def standards_store(
    dirs: Sequence[Path] = (), environ: Mapping[str, str] | None = None
) -> StandardsStore:
    """The standards store for `dirs` (``--standards-dir``) and `environ` (default: this one)."""
    env = os.environ if environ is None else environ
    named = [Path(p) for p in env.get(STANDARDS_PATH_ENV, "").split(os.pathsep) if p.strip()]
    for folder in named:
        if not folder.is_dir():
            raise StandardNotFoundError.single(
                f"{STANDARDS_PATH_ENV} names a folder that does not exist: {folder}"
            )
    return StandardsStore((*dirs, *named), cache_dir(env))


def cache_dir(environ: Mapping[str, str]) -> Path | None:
    """The folder of the cached standards, or None when the cache is turned off."""
    if environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    named = environ.get(CACHE_ENV, "")
    if named:
        return Path(named) / "standards"
    base = environ.get("XDG_CACHE_HOME", "")
    try:
        root = Path(base) if base else Path.home() / ".cache"
    except RuntimeError:  # no home folder to be found: no cache
        return None
    return root / "citcert" / "standards"
