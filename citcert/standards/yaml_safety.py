"""
The checks a parsed YAML tree passes before anything is built from it.

A standard is plain data from a stranger: only the standard YAML tags (no Python objects), no
duplicate keys, no text a file cannot hold, and bounded size once aliases are expanded, so that
an alias bomb ("billion laughs"), a self-referencing alias or deep nesting stops at once with its
place instead of exhausting memory. Its text holds no control character (an escape, a bell, a
C1 control: no report can show one, a spreadsheet refuses them and a terminal would obey
them), and a title, label, publisher or unit is one line.
"""

from __future__ import annotations

import datetime as dt
import re

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from citcert._text import code
from citcert.errors import Location, Problem, StandardFileError, raise_if_any
from citcert.standards.registry import MAX_FILE_BYTES

MAX_DEPTH = 40
"""Deepest nesting of mappings and lists accepted; a standard needs fewer than ten levels."""
MAX_ALIASES = 100
"""Most YAML alias uses (``*name``) accepted in one file."""
MAX_NODES = 200_000
"""Most values in a file once aliases are expanded; stops "billion laughs" alias bombs."""
MAX_TEXT_CHARS = 4 * MAX_FILE_BYTES
"""Most characters of text in a file once aliases are expanded (one long text, many aliases)."""

_YAML_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge")
)

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters but the tab and the line break (YAML turns every line end into one)."""
ONE_LINE_KEYS = frozenset({"title", "label", "publisher", "unit"})
"""Keys whose text is shown as one line (headings, table cells, drop-downs)."""
_DATE_PART = re.compile(r"^\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


class NodeCheck:
    """
    One pass over the composed YAML nodes before anything is built from them.

    It rejects non-standard tags and duplicate keys (collecting every one), and stops at once
    on alias bombs (too many values, or too much text, once aliases are expanded),
    self-referencing aliases and excessive nesting.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.sizes: dict[int, int] = {}
        self.texts: dict[int, int] = {}
        """Characters of text under each node, aliases expanded."""
        self.chars = 0
        self.active: set[int] = set()
        self.aliases = 0
        self.problems: list[Problem] = []

    def run(self, root: Node) -> None:
        self.size(root, 1)
        raise_if_any(StandardFileError, self.file, self.problems)

    def at(self, node: Node) -> Location:
        return Location(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def fail(self, node: Node, message: str) -> StandardFileError:
        return StandardFileError.single(message, self.at(node))

    def size(self, node: Node, depth: int) -> int:
        key = id(node)
        if key in self.sizes:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise self.fail(node, f"more than {MAX_ALIASES} aliases (*name) in one file")
            self.count_text(node, self.texts[key])
            return self.sizes[key]
        if key in self.active:
            raise self.fail(node, "an alias refers to the value that contains it")
        if depth > MAX_DEPTH:
            raise self.fail(node, f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)")
        self.check_tag(node)
        self.active.add(key)
        start = self.chars
        if isinstance(node, ScalarNode):
            self.check_text(node)
        total = 1 + sum(self.size(child, depth + 1) for child in self.children(node))
        self.texts[key] = self.chars - start
        self.active.discard(key)
        if total > MAX_NODES:
            raise self.fail(node, f"the file expands to more than {MAX_NODES} values")
        self.sizes[key] = total
        return total

    def check_text(self, node: ScalarNode) -> None:
        """
        Count the text; refuse a lone surrogate (a ``\\ud800`` escape), which no file holds, and
        a control character (``\\e``, ``\\a``, ``\\x9b``), which no report can show.
        """
        self.count_text(node, len(node.value))
        bad = _SURROGATE.search(node.value)
        if bad is not None:
            self.problems.append(
                Problem(
                    self.at(node),
                    f"the text holds `{code(bad.group())}`, half of a character pair, which no "
                    "file can store; remove it or write the whole character",
                )
            )
        # NOTE: ruamel marks the folds of a folded (`>`) scalar with `\a`; they become spaces.
        text = node.value.replace("\a", "") if node.style == ">" else node.value
        control = _CONTROL.search(text)
        if control is not None:
            self.problems.append(
                Problem(
                    self.at(node),
                    f"the text holds `{code(control.group())}`, a control character (such as "
                    "an escape or a bell) that no report can show and a terminal would obey; "
                    "remove it",
                )
            )

    def check_one_line(self, key: ScalarNode, value: Node) -> None:
        """A title, label, publisher or unit holds no line break (one is kept at its end)."""
        if isinstance(value, ScalarNode) and "\n" in value.value.strip():
            self.problems.append(
                Problem(
                    self.at(value),
                    f"a {key.value} is one line; remove the line break (longer text belongs in "
                    "a summary, statement or description)",
                )
            )

    def count_text(self, node: Node, chars: int) -> None:
        self.chars += chars
        if self.chars > MAX_TEXT_CHARS:
            raise self.fail(
                node,
                f"the file expands to more than {MAX_TEXT_CHARS:,} characters of text "
                "(through aliases, *name)",
            )

    def check_tag(self, node: Node) -> None:
        tag = str(node.tag)
        if tag == "tag:yaml.org,2002:timestamp" and not _is_timestamp(node.value):
            # Not a real date (2024-13-01): keep it as text, so validation reports it in
            # place, together with every other problem.
            node.tag = "tag:yaml.org,2002:str"
            return
        if tag not in _YAML_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(
                Problem(
                    self.at(node), f"the tag `{shown}` is not allowed; a standard is plain data"
                )
            )

    def children(self, node: Node) -> list[Node]:
        if isinstance(node, SequenceNode):
            return list(node.value)
        if not isinstance(node, MappingNode):
            return []
        seen: dict[str, ScalarNode] = {}
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value in ONE_LINE_KEYS:
                self.check_one_line(key, value)
            if isinstance(key, ScalarNode) and str(key.tag) != "tag:yaml.org,2002:merge":
                first = seen.setdefault(key.value, key)
                if first is not key:
                    self.problems.append(
                        Problem(
                            self.at(key),
                            f"the key `{key.value}` appears twice in this mapping "
                            f"(first at line {first.start_mark.line + 1})",
                        )
                    )
        return [part for pair in node.value for part in pair]


def _is_timestamp(text: str) -> bool:
    """Whether a YAML timestamp names a real calendar date (2024-13-01 does not)."""
    match = _DATE_PART.match(text)
    if match is None:
        return False
    try:
        dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return False
    return True
