"""
The configuration file, ``citcert.toml``: what a state office sets once.

The file is looked for in the working folder, else in the user's config folder
(``$XDG_CONFIG_HOME/citcert/citcert.toml``, else ``~/.config/citcert/citcert.toml``). It is read
here, at the application's boundary, and nowhere below. Its keys (all optional):

- ``standards_dirs``: a list of folders searched for standards (relative to the file's folder);
- ``overlay``: an overlay file (relative to the file's folder) that audit, batch, validate and
  template apply when neither ``--overlay`` nor ``--standard`` is given;
- ``formats``: the report formats ``audit -o`` and ``batch`` write when ``--format`` is not given;
- ``jobs``: how many workbooks ``batch`` audits at once;
- ``color``: ``true``, ``false`` or ``"auto"``.

Precedence: flags > environment > file > built-in defaults (`resolve`). Each value in force is a
`Setting` that says where it came from, which ``citcert config`` prints. An unknown key, a wrong
type or a bad value is a `ConfigError` located by file and line.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from citcert.errors import CitcertError, Location
from citcert.export import Format

FILE_NAME = "citcert.toml"
"""The configuration file's name, in the working folder or the user's config folder."""
STANDARDS_PATH_ENV = "CITCERT_STANDARDS_PATH"
"""Environment variable naming extra standards folders (read by the standards registry too)."""
MAX_BYTES = 1 << 20
"""A configuration file is a few lines; anything past a megabyte is refused, not read."""

KEYS = ("standards_dirs", "overlay", "formats", "jobs", "color")
"""The keys a configuration file may hold, in the order ``citcert config`` shows them."""

T = TypeVar("T")


class ConfigError(CitcertError):
    """The configuration file cannot be read, or holds an unknown key or a bad value."""


@dataclass(frozen=True, slots=True)
class Setting(Generic[T]):
    """One value in force and where it came from (``flag …``, ``environment …``, a file, …)."""

    value: T
    source: str
    kind: str = "default"
    """``flag``, ``environment``, ``file`` or ``default``."""


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """A configuration file read and checked: each key present with its value and line."""

    path: Path
    values: Mapping[str, Any]
    lines: Mapping[str, int]

    def setting(self, key: str) -> Setting[Any] | None:
        """The file's value of `key` with its source ``path:line``, or None when it is absent."""
        if key not in self.values:
            return None
        line = self.lines.get(key)
        where = f"{self.path}:{line}" if line else str(self.path)
        return Setting(self.values[key], where, "file")


@dataclass(frozen=True, slots=True)
class Settings:
    """The settings in force for one command, each with its source."""

    file: Path | None
    """The configuration file read, or None when there is none."""
    searched: tuple[Path, ...]
    """Where a configuration file was looked for, in order."""
    standards_dirs: tuple[Setting[Path], ...]
    """Extra standards folders in search order: flags, then the environment, then the file."""
    overlay: Setting[Path | None]
    formats: Setting[tuple[Format, ...] | None]
    jobs: Setting[int | None]
    color: Setting[bool | None]
    """True, False, or None to colour only on a terminal."""

    def overlay_for(self, ref: str | None, overlay: Path | None) -> Path | None:
        """The overlay a command applies: its ``--overlay``, else the file's (unless --standard)."""
        if overlay is not None or ref is not None:
            return overlay
        return self.overlay.value

    def as_json(self) -> dict[str, Any]:
        """The settings as plain JSON values (what ``citcert config --format json`` prints)."""

        def item(setting: Setting[Any]) -> dict[str, Any]:
            value = setting.value
            if isinstance(value, Path):
                value = str(value)
            elif isinstance(value, tuple):
                value = [v.value if isinstance(v, Format) else str(v) for v in value]
            return {"value": value, "source": setting.source, "kind": setting.kind}

        color = item(self.color)
        if color["value"] is None:
            color["value"] = "auto"

        return {
            "file": str(self.file) if self.file else None,
            "searched": [str(p) for p in self.searched],
            "settings": {
                "standards_dirs": [item(s) for s in self.standards_dirs],
                "overlay": item(self.overlay),
                "formats": item(self.formats),
                "jobs": item(self.jobs),
                "color": color,
            },
        }


def candidates(cwd: Path, environ: Mapping[str, str]) -> tuple[Path, ...]:
    """Where a configuration file is looked for, first match wins."""
    places = [cwd / FILE_NAME]
    base = environ.get("XDG_CONFIG_HOME", "")
    if base and Path(base).is_absolute():
        places.append(Path(base) / "citcert" / FILE_NAME)
    else:
        with contextlib.suppress(RuntimeError):  # no home folder: only the working folder
            places.append(Path.home() / ".config" / "citcert" / FILE_NAME)
    return tuple(places)


def find_file(cwd: Path, environ: Mapping[str, str]) -> Path | None:
    """The configuration file in force, or None when there is none."""
    for place in candidates(cwd, environ):
        try:
            if place.exists() or place.is_symlink():
                return place
        except OSError:  # a folder this user may not enter (a HOME of another user's): not one
            continue
    return None


def read_file(path: Path) -> ConfigFile:
    """Read and check the configuration file at `path`; `ConfigError` on any problem."""
    import tomllib

    where = str(path)
    if not path.is_file():
        raise ConfigError.single("is not a file", Location(where))
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        raise ConfigError.single(f"cannot be read: {reason}", Location(where)) from None
    if len(raw) > MAX_BYTES:
        raise ConfigError.single("is larger than 1 MB: not a configuration file", Location(where))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError.single("is not UTF-8 text", Location(where)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message, line, column = _decode_error(error)
        raise ConfigError.single(
            f"is not valid TOML: {message}", Location(where, line, column)
        ) from None
    lines = {key: _line_of(text, key) for key in data}
    values: dict[str, Any] = {}
    for key, value in data.items():
        at = Location(where, lines[key])
        if key not in KEYS:
            raise ConfigError.single(
                f"unknown key {key!r}; the keys are {', '.join(KEYS)}", at, subject=key
            )
        values[key] = _CHECKS[key](value, path.parent, at, key)
    return ConfigFile(path, values, {k: v for k, v in lines.items() if v})


def resolve(
    *,
    cwd: Path,
    environ: Mapping[str, str],
    flag_dirs: Sequence[Path] = (),
    flag_color: bool | None = None,
) -> Settings:
    """
    The settings in force: the group's flags, then the environment, then the file, then defaults.

    Raises `ConfigError` for a bad configuration file, before anything else is read.
    """
    searched = candidates(cwd, environ)
    found = find_file(cwd, environ)
    config = read_file(found) if found is not None else ConfigFile(Path(), {}, {})
    default: Setting[Any] = Setting(None, "default")

    dirs = [Setting(d, "flag --standards-dir", "flag") for d in flag_dirs]
    named = [p for p in environ.get(STANDARDS_PATH_ENV, "").split(os.pathsep) if p.strip()]
    dirs += [Setting(Path(p), f"environment {STANDARDS_PATH_ENV}", "environment") for p in named]
    from_file = config.setting("standards_dirs")
    if from_file is not None:
        dirs += [Setting(d, from_file.source, "file") for d in from_file.value]

    if flag_color is not None:
        color: Setting[bool | None] = Setting(flag_color, "flag --color/--no-color", "flag")
    elif environ.get("NO_COLOR"):
        color = Setting(False, "environment NO_COLOR", "environment")
    elif environ.get("TERM") == "dumb":
        color = Setting(False, "environment TERM=dumb", "environment")
    else:
        color = config.setting("color") or Setting(None, "default")

    return Settings(
        file=found,
        searched=searched,
        standards_dirs=tuple(dirs),
        overlay=config.setting("overlay") or default,
        formats=config.setting("formats") or default,
        jobs=config.setting("jobs") or default,
        color=color,
    )


def _decode_error(error: Exception) -> tuple[str, int | None, int | None]:
    """The message, line and column of a TOML syntax error (Python 3.11 keeps them in the text)."""
    text = str(error)
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", text)
    if match:
        return text[: match.start()], int(match.group(1)), int(match.group(2))
    match = re.search(r"\s*\(at end of document\)\s*$", text)
    if match:
        return f"{text[: match.start()]} at the end of the file", None, None
    return text, None, None


def _line_of(text: str, key: str) -> int | None:
    """The line where top-level `key` is set (``key =`` or ``[key]``), or None if not found."""
    name = re.escape(key)
    quoted = rf"(?:{name}|\"{name}\"|'{name}')"
    pattern = re.compile(rf"^\s*(?:{quoted}\s*[=.]|\[\[?\s*{quoted}\s*[\].])")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def _strings(value: Any, at: Location, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError.single('must be a list of text values, e.g. ["a", "b"]', at, key)
    if not value or not all(v.strip() for v in value):
        raise ConfigError.single("must name at least one value, none of them empty", at, key)
    return value


def _path(text: str, folder: Path, at: Location, key: str) -> Path:
    try:
        path = Path(text).expanduser()
    except RuntimeError:  # ~name of no user, or no home folder at all
        raise ConfigError.single(
            f"{text} starts with ~, but there is no such home folder here; give the full path",
            at,
            key,
        ) from None
    return path if path.is_absolute() else folder / path


def _kind(path: Path) -> str:
    """What is at `path`, in words: "folder", "file", "nothing" or "unreadable"."""
    try:
        return "folder" if path.is_dir() else "file" if path.exists() else "nothing"
    except OSError:
        return "unreadable"


def _check_dirs(value: Any, folder: Path, at: Location, key: str) -> tuple[Path, ...]:
    paths = tuple(_path(v, folder, at, key) for v in _strings(value, at, key))
    for path in paths:
        kind = _kind(path)
        if kind != "folder":
            raise ConfigError.single(_missing(path, kind, "folder"), at, key)
    return paths


def _check_overlay(value: Any, folder: Path, at: Location, key: str) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError.single("must be the path of an overlay file, in quotes", at, key)
    path = _path(value, folder, at, key)
    kind = _kind(path)
    if kind != "file":
        raise ConfigError.single(_missing(path, kind, "file"), at, key)
    return path


def _missing(path: Path, kind: str, wanted: str) -> str:
    if kind == "unreadable":
        return f"names {path}, which this user may not read"
    if kind == "nothing":
        return f"names a {wanted} that does not exist: {path}"
    return f"names a {kind}, not a {wanted}: {path}"


def _check_formats(value: Any, folder: Path, at: Location, key: str) -> tuple[Format, ...]:
    names = [v.strip().lower() for v in _strings(value, at, key)]
    known = [f.value for f in Format]
    bad = [n for n in names if n not in known]
    if bad:
        raise ConfigError.single(
            f"unknown format {', '.join(bad)}; use {', '.join(known)}", at, key
        )
    return tuple(dict.fromkeys(Format(n) for n in names))


def _check_jobs(value: Any, folder: Path, at: Location, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError.single("must be a whole number, e.g. 4", at, key)
    if value < 1:
        raise ConfigError.single(f"must be at least 1, not {value}", at, key)
    return value


def _check_color(value: Any, folder: Path, at: Location, key: str) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() == "auto":
        return None
    raise ConfigError.single('must be true, false or "auto"', at, key)


_CHECKS = {
    "standards_dirs": _check_dirs,
    "overlay": _check_overlay,
    "formats": _check_formats,
    "jobs": _check_jobs,
    "color": _check_color,
}
