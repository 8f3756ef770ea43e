"""
Load a standard or overlay YAML file into a validated `Standard`.

The YAML is read with ruamel.yaml's round-trip parser so every value keeps its line and column,
but it is treated as untrusted data: only the standard YAML tags are accepted (no Python
objects), duplicate keys are errors, and the file size, nesting depth, number of aliases and
total number of values are limited so a hostile file cannot exhaust memory. The plain data is
then validated by the pydantic models and by `checks.cross_check`; every problem is reported at
once as ``file:line:col: path: message`` in plain words, never pydantic's raw text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, MaxDepthExceededError
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from citcert.errors import CitcertError, Location, Problem, StandardFileError, problems_from
from citcert.standards import messages
from citcert.standards.checks import Loc, cross_check, format_loc
from citcert.standards.model import Standard
from citcert.standards.registry import MAX_FILE_BYTES

MAX_DEPTH = 40
"""Deepest nesting of mappings and lists accepted; a standard needs fewer than ten levels."""
MAX_ALIASES = 100
"""Most YAML alias uses (``*name``) accepted in one file."""
MAX_NODES = 200_000
"""Most values in a file once aliases are expanded; stops "billion laughs" alias bombs."""
MAX_PARSED_NODES = 50_000
"""
Most values written out in a file (aliases not expanded), counted while it is parsed: the
pure-Python parser reads about 15,000 values a second, so this bounds the time a hostile file
can take. The biggest built-in standard holds under 5,000.
"""
MAX_TEXT_CHARS = 4 * MAX_FILE_BYTES
"""Most characters of text in a file once aliases are expanded (one long text, many aliases)."""

_YAML_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge")
)

_SURROGATE = re.compile("[\ud800-\udfff]")
_DATE_PART = re.compile(r"^\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Document:
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


def load_file(path: Path, *, dirs: Sequence[Path] = ()) -> Standard:
    """
    Load the standard in `path`, or the overlay in it resolved against its base.

    `dirs` are extra folders in which an overlay's base standard is looked up. Raises
    `StandardFileError` (or `OverlayError`) holding every problem found.
    """
    document = read_document(path)
    if isinstance(document.data, dict) and "extends" in document.data:
        from citcert.standards.overlay import resolve_overlay

        return resolve_overlay(document, dirs=dirs)
    return standard_from(document)


def standard_from(document: Document) -> Standard:
    """Validate a parsed standard document and cross-check it, reporting every problem."""
    standard = validate(Standard, document)
    raise_if_any(
        StandardFileError, document.file, [document.problem(*p) for p in cross_check(standard)]
    )
    return standard


def validate(model: type[M], document: Document) -> M:
    """Validate `document` as `model`, translating every pydantic error into a located problem."""
    if not isinstance(document.data, dict):
        lc = getattr(document.tree, "lc", None)
        line, column = (lc.line + 1, lc.col + 1) if lc is not None else (1, 1)
        raise StandardFileError.single(
            f"the file must hold one mapping of `key: value` lines (starting with `id:`), "
            f"not {messages.kind_of(document.data)}",
            Location(document.file, line, column),
        )
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        problems = messages.translate(exc.errors(), model)
        located = [document.problem(loc, text, key=key) for loc, text, key in problems]
        raise_if_any(StandardFileError, document.file, located)
        raise  # unreachable: a ValidationError always holds at least one error


def raise_if_any(error: type[CitcertError], file: str, problems: Iterable[Problem]) -> None:
    """Raise `error` with all `problems` in `file`, sorted by position, if there are any."""
    ordered = sorted(problems, key=lambda p: (p.location.line or 0, p.location.column or 0))
    if not ordered:
        return
    headline = f"{file} has {len(ordered)} problems:" if len(ordered) > 1 else None
    raise error(ordered, headline)


def read_document(path: Path) -> Document:
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
        _NodeCheck(file).run(node)
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
    return Document(file, _plain(tree), tree)


def _read_text(path: Path, file: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise StandardFileError.single(
                f"the file is {size} bytes; a standard may be at most "
                f"{MAX_FILE_BYTES} bytes ({MAX_FILE_BYTES // 1048576} MiB)",
                Location(file),
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise StandardFileError.single(
            f"cannot be read: {exc.strerror or exc}", Location(file)
        ) from None
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


class _NodeCheck:
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
        """Count the text; refuse a lone surrogate (a ``\\ud800`` escape), which no file holds."""
        self.count_text(node, len(node.value))
        bad = _SURROGATE.search(node.value)
        if bad is not None:
            code = f"\\u{ord(bad.group()):04x}"
            self.problems.append(
                Problem(
                    self.at(node),
                    f"the text holds `{code}`, half of a character pair, which no file can "
                    "store; remove it or write the whole character",
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
        for key, _ in node.value:
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


def validate_files(
    paths: Sequence[Path], *, dirs: Sequence[Path] = ()
) -> tuple[list[tuple[Path, Standard]], CitcertError | None]:
    """
    Load each file; return the valid ones, and one error holding every other file's problems.

    Used by ``citcert standards validate``, which reports all files in one run.
    """
    valid: list[tuple[Path, Standard]] = []
    errors: list[CitcertError] = []
    for path in paths:
        try:
            valid.append((path, load_file(path, dirs=dirs)))
        except CitcertError as exc:
            errors.append(exc)
    if len(errors) <= 1:
        return valid, errors[0] if errors else None
    problems = problems_from(errors)
    headline = f"{len(errors)} of {len(paths)} files have problems ({len(problems)} in all):"
    return valid, StandardFileError(problems, headline)
