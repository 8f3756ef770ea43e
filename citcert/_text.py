"""
Text from a file, made safe to print on a terminal: shown as data, never obeyed.

A terminal obeys some characters: ESC starts a command (CSI ``ESC [`` moves the cursor, clears
the screen or recolours; OSC ``ESC ]`` sets the window title or makes a hyperlink), BEL rings,
a carriage return goes back to overwrite the line, and a line break starts a line that reads
like citcert's own. The C1 controls (U+0080 to U+009F) are one-character commands to some
terminals, and the bidirectional embeddings, overrides and isolates make a line read in another
order than it holds. Any of them can come from a workbook, a standard, a JSON report or a file
name, so every text citcert prints goes through here:

- `one_line` for a value put into a line of output (a program name, a title, a file name): line
  breaks and tabs become spaces, every other such character its code (``\\u001b``);
- `printable` for a whole output at the moment it is printed: the same codes, but line breaks
  and tabs kept, and, for a coloured report, citcert's own colour codes (SGR, ``ESC [ … m``).

A code is written as JSON and Python write it (``\\u001b``), so JSON output stays valid JSON that
means the same after `printable`.
"""

from __future__ import annotations

import re

_BIDI = "\u202a-\u202e\u2066-\u2069"
"""Embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069)."""

_OBEYED = f"\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f{_BIDI}\ud800-\udfff"
"""Characters a terminal may obey (and lone surrogates, which cannot be printed at all); the
line breaks and the tab are handled apart."""

_BREAKS = "\t\n\x85\u2028\u2029"
"""Line breaks and the tab: a space inside one line (carriage return is in `_OBEYED`)."""

_IN_LINE = re.compile(f"[{_BREAKS}]|[{_OBEYED}]")
_IN_OUTPUT = re.compile(f"[{_OBEYED}\x85]")
_IN_STYLED = re.compile(f"\x1b\\[[0-9;]*m|[{_OBEYED}\x85]")
_SGR = "\x1b["


def code(char: str) -> str:
    """A character as its code, ``\\u001b``: what is shown in its place."""
    return f"\\u{ord(char):04x}"


def _line_char(match: re.Match[str]) -> str:
    char = match.group()
    return " " if char in _BREAKS else code(char)


def one_line(text: str) -> str:
    """
    `text` as one line that does nothing to a terminal: a carriage return, escape, bell, C1
    control or bidirectional override shown as its code, line breaks and tabs as spaces.
    """
    return _IN_LINE.sub(_line_char, text)


def not_one_line(text: str) -> str | None:
    """
    The first character `text` may not hold as a one-line value typed on the command line (a
    line break, a tab, a control or bidirectional override character), or None.
    """
    found = _IN_LINE.search(text) or _NONCHARACTER.search(text)
    return found.group() if found else None


_NONCHARACTER = re.compile("[\ufffe\uffff]")
"""Characters XML may not hold at all, so no workbook can."""


def _kept_or_code(match: re.Match[str]) -> str:
    char = match.group()
    return char if char.startswith(_SGR) else code(char)


def printable(text: str, *, styled: bool = False) -> str:
    """
    A whole output made safe to print: every character a terminal obeys shown as its code, line
    breaks and tabs kept. With `styled`, the colour codes citcert's terminal report writes (SGR
    sequences ``ESC [ digits m``, which only colour) are kept too.
    """
    return (_IN_STYLED if styled else _IN_OUTPUT).sub(_kept_or_code, text)
