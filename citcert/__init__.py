"""
citcert audits a Crisis Intervention Team (CIT) program against a versioned best-practice standard.

The core is a library; the command line is its first client.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("citcert")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
