"""
Read a standard or overlay YAML file safely into plain data that remembers its positions.

The YAML is read with ruamel.yaml's round-trip parser so every value keeps its line and column,
but it is treated as untrusted data: the file size and the values parsed are limited here, and
the parsed tree passes `citcert.standards.yaml_safety` (standard tags only, no duplicate keys,
bounded aliases and nesting) before anything is built from it, so a hostile file cannot exhaust
memory or time. Every problem is located as ``file:line:col``; `citcert.standards.loader`
validates what is read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, MaxDepthExceededError
from ruamel.yaml.error import MarkedYAMLError

from citcert.errors import Location, Problem, StandardFileError
from citcert.standards.checks import Loc, format_loc
from citcert.standards.registry import MAX_FILE_BYTES
from citcert.standards.yaml_safety import MAX_DEPTH, NodeCheck

MAX_PARSED_NODES = 50_000
"""
Most values written out in a file (aliases not expanded), counted while it is parsed: the
pure-Python parser reads about 15,000 values a second, so this bounds the time a hostile file
can take. The biggest built-in standard holds under 5,000.
"""


@dataclass(frozen=True)
class YamlDocument:
    """
    A parsed YAML file: plain data for pydantic, and the ruamel tree that knows positions.

    `file` is the path as the user gave it, so messages show it the same way.
    """

    file: str
    data: Any
    tree: Any

    def location(self, loc: Loc, *, key: bool = False) -> Location:
        """Where `loc` is in the file; `key` points at the key rather than its value."""
        line, column = _position(self.tree, loc, key=key)
        return Location(self.file, line + 1, column + 1)

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        """A problem at `loc`, described by its path and `message`."""
        return Problem(self.location(loc, key=key), message, format_loc(loc) or None)


def read_document(path: Path) -> YamlDocument:
    """Read and parse a YAML file safely, keeping positions; raise `StandardFileError` if bad."""
    file = str(path)
    text = _read_text(Path(path), file)
    yaml = YAML(typ="rt")
    yaml.max_depth = (
        MAX_DEPTH  # NOTE: stops deep [[[[ nesting early; the scanner is quadratic in it
    )
    yaml.Composer = _CountingComposer
    constructor, parser = yaml.get_constructor_parser(text)
    try:
        node = constructor.composer.get_single_node()
        if node is None:
            raise StandardFileError.single("the file is empty", Location(file, 1, 1))
        NodeCheck(file).run(node)
        tree = constructor.construct_document(node)
    except ValueError as exc:  # a time of day out of range, found while building values
        raise StandardFileError.single(
            f"a date or time is not valid: {exc}", Location(file)
        ) from None
    except MaxDepthExceededError as exc:
        message = f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)"
        raise _marked(exc, file, message) from None
    except _TooManyNodesError as exc:
        raise _marked(exc, file, f"the file holds more than {MAX_PARSED_NODES:,} values") from None
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, file) from None
    except RecursionError:
        raise StandardFileError.single(
            f"the YAML is nested too deeply (more than {MAX_DEPTH} levels)", Location(file)
        ) from None
    finally:
        parser.dispose()
    return YamlDocument(file, _plain(tree), tree)


def _read_text(path: Path, file: str) -> str:
    from citcert._files import read_regular

    try:
        size = path.stat().st_size
    except OSError as exc:
        raise StandardFileError.single(
            f"cannot be read: {exc.strerror or exc}", Location(file)
        ) from None
    if path.is_file() and size > MAX_FILE_BYTES:
        raise StandardFileError.single(
            f"the file is {size} bytes; a standard may be at most "
            f"{MAX_FILE_BYTES} bytes ({MAX_FILE_BYTES // 1048576} MiB)",
            Location(file),
        )
    raw = read_regular(
        path, MAX_FILE_BYTES, error=StandardFileError, what="standard file", name=file
    )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise StandardFileError.single(
            "this line is not UTF-8 text; save the file as UTF-8", Location(file, line)
        ) from None


class _TooManyNodesError(MarkedYAMLError):
    """Raised from inside the parser when a file holds more than `MAX_PARSED_NODES` values."""


class _CountingComposer(Composer):
    """ruamel's composer, stopping once a file has more values than any standard needs."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.count: int = getattr(self, "count", 0) + 1
        if self.count > MAX_PARSED_NODES:
            mark = self.parser.peek_event().start_mark
            raise _TooManyNodesError(problem="too many values", problem_mark=mark)
        return super().compose_node(parent, index)


def _marked(exc: MarkedYAMLError, file: str, message: str) -> StandardFileError:
    """`message` at the place ruamel marked in `exc`."""
    mark = exc.problem_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    return StandardFileError.single(message, Location(file, line, column))


def _syntax_error(exc: MarkedYAMLError, file: str) -> StandardFileError:
    """A YAML syntax error, located and phrased for a person editing the file."""
    mark = exc.problem_mark or exc.context_mark
    problem = str(exc.problem or "the YAML cannot be read here")
    if "'\\t'" in problem:
        text = "a tab is used for indentation; YAML needs spaces"
    elif "single document" in str(exc.context):
        text = "the file holds a second YAML document (after `---`); a standard is one document"
    else:
        text = f"YAML syntax error: {problem}"
        context, start = exc.context, exc.context_mark
        if context and start is not None and (mark is None or start.line != mark.line):
            text += f" ({context} that starts at line {start.line + 1})"
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return StandardFileError.single(text, Location(file, line, column))


def _plain(value: Any) -> Any:
    """The ruamel tree as plain dicts, lists, str, int, float, bool, dates and None."""
    converters: Mapping[type, Callable[[Any], Any]] = {
        dict: lambda v: {_plain(k): _plain(x) for k, x in v.items()},
        list: lambda v: [_plain(x) for x in v],
        bool: bool,
        int: int,
        float: float,
        str: str,
    }
    for kind, convert in converters.items():
        if isinstance(value, kind):
            return convert(value)
    return value


def _position(tree: Any, loc: Loc, *, key: bool) -> tuple[int, int]:
    """The 0-based line and column of `loc` in the ruamel tree; the deepest existing part."""
    line, column = 0, 0
    node = tree
    steps = list(loc)
    for i, step in enumerate(steps):
        if step == "[key]":
            continue
        before_key = i + 1 < len(steps) and steps[i + 1] == "[key]"
        at_key = before_key or (key and i == len(steps) - 1)
        if isinstance(node, CommentedMap) and not isinstance(step, int) and step in node:
            try:
                line, column = node.lc.key(step) if at_key else node.lc.value(step)
            except (KeyError, TypeError):  # a key merged in with `<<:` has no position of its own
                line, column = node.lc.line, node.lc.col
            node = node[step]
        elif isinstance(node, CommentedSeq) and isinstance(step, int) and 0 <= step < len(node):
            line, column = node.lc.item(step)
            node = node[step]
        else:
            break
    return line, column
