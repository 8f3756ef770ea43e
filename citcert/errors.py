"""
The one error tree of citcert.

Every error a user can cause is a `CitcertError`. It carries structured `Problem`s, each with a
`Location` (a YAML line and column, or a workbook sheet and cell), and builds its sentence in
`__str__`. The CLI maps any `CitcertError` to a message on stderr and exit status 2; anything
else is a bug and keeps its traceback, but for `StdoutError` (standard output refused what was
printed), which the CLI reports as a line of its own. No click in here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from enum import IntEnum
from typing import Self

from citcert._text import one_line


class ExitCode(IntEnum):
    """The exit statuses citcert uses, documented in the README."""

    OK = 0
    BELOW_LEVEL = 1
    INPUT_ERROR = 2
    INTERNAL_ERROR = 70
    """A bug in citcert, not a verdict or the user's input (70 is EX_SOFTWARE of sysexits.h)."""


@dataclass(frozen=True, slots=True)
class Location:
    """
    Where a problem is: a file, and inside it a YAML line:column or a workbook Sheet!Cell.

    Lines and columns are 1-based, as editors show them.
    """

    file: str | None = None
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        text = ":".join(parts)
        if self.sheet:
            place = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
            text = f"{text}: {place}" if text else place
        return text


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in an input: where it is, what is wrong, and (optionally) what it concerns."""

    location: Location
    message: str
    subject: str | None = None
    """What the place holds, e.g. ``TRN-01, self rating`` or ``requirements[3].weight``."""

    def __str__(self) -> str:
        """
        The problem as one line; what came from a file (a file name, a cell's text) cannot break
        it or send a terminal a command (`citcert._text.one_line`).
        """
        where = str(self.location)
        about = f" ({self.subject})" if self.subject and self.location.sheet else ""
        prefix = f"{self.subject}: " if self.subject and not self.location.sheet else ""
        if where:
            return one_line(f"{where}{about}: {prefix}{self.message}")
        return one_line(f"{prefix}{self.message}")

    def fields(self) -> dict[str, str | int | None]:
        """
        The problem as flat fields (the location's, then ``subject`` and ``message``): what the
        JSON documents that list problems hold (``validate --format json``, a roll-up's rows).
        """
        return {**asdict(self.location), "subject": self.subject, "message": self.message}


@dataclass(eq=False)
class CitcertError(Exception):
    """
    Base of every error a user can cause. Holds one or more problems, printed one per line
    (never more: a line break in a file name or a cell cannot add a line of its own).
    """

    problems: Sequence[Problem] = field(default_factory=tuple)
    headline: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    @classmethod
    def single(
        cls, message: str, location: Location | None = None, subject: str | None = None
    ) -> Self:
        """Build the error for one problem."""
        return cls([Problem(location or Location(), message, subject)])

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.headline:
            lines.insert(0, one_line(self.headline))
        return "\n".join(lines)


class StandardFileError(CitcertError):
    """A standard or overlay YAML file is unreadable, malformed, or inconsistent."""


class StandardNotFoundError(CitcertError):
    """No standard matches an ``id[@version]`` reference."""


class OverlayError(CitcertError):
    """An overlay cannot be applied to its base (missing target, unjustified weakening)."""


class WorkbookError(CitcertError):
    """An evidence workbook cannot be read or holds values that cannot be audited."""


class StandardMismatchError(WorkbookError):
    """A workbook was made for another standard or version than the one asked for."""


class OutputError(CitcertError):
    """An output cannot be written where the user asked."""


class StdoutError(Exception):
    """
    Standard output refused what a command printed: a full disk, a device, or a reader that
    stopped reading (`closed`). The cause is `error`.

    Not a `CitcertError`: nothing in a file is at fault, and only the CLI's boundary knows what
    the user should see (a line on stderr, or nothing for a reader that left on purpose).
    """

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error

    @property
    def closed(self) -> bool:
        """True for a broken pipe: the reader left, as ``| head -1`` does once it has its line."""
        return isinstance(self.error, BrokenPipeError)

    @property
    def reason(self) -> str:
        """Why, in the system's words (``no space left on device``), as one line."""
        text = one_line(str(self))
        return text[:1].lower() + text[1:]


def problems_from(errors: Iterable[CitcertError]) -> list[Problem]:
    """Flatten the problems of several errors, keeping their order."""
    return [p for e in errors for p in e.problems]


def raise_if_any(error: type[CitcertError], file: str, problems: Iterable[Problem]) -> None:
    """Raise `error` with all `problems` in `file`, sorted by position, if there are any."""
    ordered = sorted(problems, key=lambda p: (p.location.line or 0, p.location.column or 0))
    if not ordered:
        return
    headline = f"{file} has {len(ordered)} problems:" if len(ordered) > 1 else None
    raise error(ordered, headline)
