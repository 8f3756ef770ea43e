"""
citcert audits a Crisis Intervention Team (CIT) program against a versioned best-practice standard.

The core is a library; the command line is its first client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    __version__: str


def __getattr__(name: str) -> str:
    """
    ``__version__``, looked up in the installed package's metadata on first use.

    NOTE: lazily, because importlib.metadata (and the email, zipfile and socket modules it
    pulls in) would otherwise add about a third to the start-up time of ``citcert --help``.
    """
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("citcert")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0+unknown"
    globals()["__version__"] = found
    return found


__all__ = ["__version__"]
