"""
Hostile standard files: each is refused with exit 2 and one located message, quickly and in
bounded memory, and nothing it asks for (running Python, writing a file) ever happens.

The loader's own table (tests/standards/test_standard_loader_errors.py) already holds one tiny
file per error: `!!python/object/apply`, a nine-level alias bomb, a recursive alias, 41 levels of
nesting, too many aliases, duplicate keys and a file over the size limit. This module adds what
an attacker would try next: every Python tag, tags that would have side effects, a text bomb
(one long text repeated through aliases), merge-key bombs, nesting a hundred thousand levels
deep, a file holding hundreds of thousands of values, a second `id:` that would rename a
standard, and hostile files lying in a user's standards folder. Files are generated in
tmp_path.
"""

from __future__ import annotations

import re
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from citcert.cli import cli
from citcert.standards import document as yaml_document
from citcert.standards.registry import builtin_dir
from tests.conftest import data

MIB = 1024 * 1024


@contextmanager
def bounded(seconds: float, mib: float) -> Iterator[None]:
    """Fail unless the block uses at most `seconds` of CPU and `mib` MiB at its peak."""
    tracemalloc.start()
    start = time.process_time()  # CPU time: other jobs on the machine do not count
    try:
        yield
    finally:
        elapsed = time.process_time() - start
        peak = tracemalloc.get_traced_memory()[1] / MIB
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.1f} s of CPU (bound {seconds} s)"
    assert peak < mib, f"peaked at {peak:.0f} MiB (bound {mib} MiB)"


def _validate(runner: CliRunner, path: Path) -> Result:
    return runner.invoke(cli, ["standards", "validate", str(path)])


def _refused(result: Result, path: Path, message: str) -> None:
    """Exit 2, nothing on stdout, and `message` on stderr after the file's line and column."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {path}:"), result.stderr
    assert message in result.stderr, result.stderr


def _mini_with(tmp_path: Path, title_line: str, name: str = "hostile.yaml") -> Path:
    """The mini standard with its `title:` line replaced by `title_line`."""
    lines = data("standards", "mini.yaml").read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[index] = title_line
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class TestPythonTags:
    """A standard is plain data: no tag can make the loader build or call Python objects."""

    @pytest.mark.parametrize(
        "tag",
        [
            "!!python/object:os.system",
            "!!python/object/new:os.system",
            "!!python/name:os.system",
            "!!python/module:os",
            "!!python/tuple",
            "!!binary",
            "!!set",
            "!<tag:yaml.org,2002:python/object/apply:os.system>",
        ],
    )
    def test_every_python_tag_is_refused_at_its_place(
        self, runner: CliRunner, tmp_path: Path, tag: str
    ) -> None:
        """Each Python (or non-plain) tag is named in the message, at the title's line."""
        path = _mini_with(tmp_path, f"title: {tag} [echo, hacked]")

        result = _validate(runner, path)

        shown = tag.replace("!<tag:yaml.org,2002:", "!!").rstrip(">")
        _refused(result, path, f"the tag `{shown}` is not allowed; a standard is plain data")

    def test_a_tag_with_a_side_effect_never_runs(self, runner: CliRunner, tmp_path: Path) -> None:
        """`!!python/object/apply:os.mkdir` is refused and the folder it names is not made."""
        marker = tmp_path / "pwned"
        path = _mini_with(tmp_path, f"title: !!python/object/apply:os.mkdir [{marker}]")

        result = _validate(runner, path)

        _refused(result, path, "the tag `!!python/object/apply:os.mkdir` is not allowed")
        assert not marker.exists()

    def test_a_hostile_file_in_a_standards_folder_is_listed_as_skipped(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """`standards list` names the tagged file, line and tag, and still lists the others."""
        folder = tmp_path / "standards"
        folder.mkdir()
        (folder / "mini.yaml").write_bytes(data("standards", "mini.yaml").read_bytes())
        marker = tmp_path / "pwned"
        evil = folder / "evil.yaml"
        evil.write_text(
            'id: evil\nversion: "1.0"\nstatus: current\n'
            f"title: !!python/object/apply:os.mkdir [{marker}]\n",
            encoding="utf-8",
        )

        result = runner.invoke(cli, ["--standards-dir", str(folder), "standards", "list"])
        shown = runner.invoke(cli, ["--standards-dir", str(folder), "standards", "show", "evil"])

        assert result.exit_code == 0
        assert "mini-standard" in result.stdout
        assert f"\n  {evil}:4:8: the tag `!!python/object/apply:os.mkdir`" in result.stdout
        assert shown.exit_code == 2
        assert f"Error: {evil}:4:8: the tag `!!python/object/apply:os.mkdir`" in shown.stderr
        assert not marker.exists()

    def test_a_template_is_not_written_from_a_hostile_standard(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """Asking for a template of a tagged standard exits 2 and leaves no workbook behind."""
        folder = tmp_path / "standards"
        folder.mkdir()
        _mini_with(folder, "title: !!python/name:os.system", "mini.yaml")
        out = tmp_path / "program.xlsx"

        result = runner.invoke(
            cli,
            ["--standards-dir", str(folder), "template", "--standard", "mini-standard", "-o", out],
        )

        assert result.exit_code == 2
        assert "the tag `!!python/name:os.system` is not allowed" in result.stderr
        assert list(tmp_path.iterdir()) == [folder]


def _laughs(levels: int, width: int = 10) -> str:
    """A billion-laughs document: each level is `width` aliases of the one before."""
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * width)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def _text_bomb() -> str:
    """One text of 100,000 characters, repeated by 100 aliases: ten million expanded."""
    return f'big: &big "{"x" * 100_000}"\nmany: [{", ".join(["*big"] * 100)}]\n'


def _merge_bomb() -> str:
    """Merge keys (`<<: *a`) nested nine levels deep, each level merging ten copies."""
    lines = ["a0: &a0 {k0: 1, k1: 1, k2: 1, k3: 1, k4: 1, k5: 1, k6: 1, k7: 1, k8: 1, k9: 1}"]
    for n in range(1, 9):
        keys = ", ".join([f"<<: *a{n - 1}"] + [f"x{i}: *a{n - 1}" for i in range(1, 10)])
        lines.append(f"a{n}: &a{n} {{{keys}}}")
    return "\n".join(lines) + "\n"


class TestAliasBombs:
    """Aliases cannot make a small file expand into a huge one, by count or by text."""

    @pytest.mark.parametrize(
        ("name", "text", "message"),
        [
            ("laughs.yaml", _laughs(9), "the file expands to more than 200000 values"),
            ("wide.yaml", _laughs(3, width=90), "more than 100 aliases (*name) in one file"),
            ("merge.yaml", _merge_bomb(), "the file expands to more than 200000 values"),
            (
                "text.yaml",
                _text_bomb(),
                "the file expands to more than 8,388,608 characters of text (through aliases",
            ),
        ],
        ids=["billion-laughs", "many-aliases", "merge-keys", "one-long-text"],
    )
    def test_bomb_is_refused_quickly_in_little_memory(
        self, runner: CliRunner, tmp_path: Path, name: str, text: str, message: str
    ) -> None:
        """Each bomb is refused at its place before it is expanded: seconds, a few MiB."""
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")

        with bounded(seconds=20, mib=120):
            result = _validate(runner, path)

        _refused(result, path, message)


class TestDeepNesting:
    """Nesting is refused at 41 levels, however deep the file goes, without a long parse."""

    @pytest.mark.parametrize(
        ("text", "where"),
        [
            ("id: x\nlist: " + "[" * 100_000 + "]" * 100_000 + "\n", "2:46"),
            ("id: x\nmap: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n", "2:159"),
            ("id: x\nlist:\n" + "".join(" " * i + "-\n" for i in range(200)), "42:40"),
            ("id: x\nlist:\n  " + "- " * 20_000 + "x\n", "3:81"),
        ],
        ids=["flow-lists-100k", "flow-maps-5k", "block-lists", "compact-block-lists-20k"],
    )
    def test_deep_nesting_is_refused_quickly(
        self, runner: CliRunner, tmp_path: Path, text: str, where: str
    ) -> None:
        """The message names the limit at the 41st level; 200 KB of brackets takes under 1 s."""
        path = tmp_path / "deep.yaml"
        path.write_text(text, encoding="utf-8")

        with bounded(seconds=10, mib=60):
            result = _validate(runner, path)

        _refused(result, path, f"{where}: the YAML is nested too deeply (more than 40 levels)")


class TestHugeFiles:
    """Size limits hold before and while parsing."""

    def test_a_file_over_the_size_limit_is_refused_unread(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """A sparse 1 GiB file is refused from its size alone, in no time."""
        path = tmp_path / "huge.yaml"
        with path.open("wb") as handle:
            handle.truncate(1024 * MIB)

        with bounded(seconds=2, mib=5):
            result = _validate(runner, path)

        _refused(result, path, "a standard may be at most 2097152 bytes (2 MiB)")

    def test_too_many_values_stop_the_parse_early(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Parsing stops at the values limit, at the line where it is passed (limit lowered)."""
        monkeypatch.setattr(yaml_document, "MAX_PARSED_NODES", 1_000)
        path = tmp_path / "values.yaml"
        path.write_text("id: x\nvalues:\n" + "- 1\n" * 300_000, encoding="utf-8")

        with bounded(seconds=10, mib=60):
            result = _validate(runner, path)

        _refused(result, path, "the file holds more than 1,000 values")
        assert f"{path}:99" in result.stderr  # about the thousandth value, not the last

    def test_the_values_limit_leaves_room_for_real_standards(self) -> None:
        """The largest built-in standard holds a tenth of the values the parser accepts."""
        for path in builtin_dir().glob("*.yaml"):
            parsed = yaml_document.read_document(path)

            assert _count(parsed.data) * 10 < yaml_document.MAX_PARSED_NODES

    def test_one_long_line_is_read_as_text(self, runner: CliRunner, tmp_path: Path) -> None:
        """A title of 200,000 characters is plain data: the file is judged on its fields."""
        path = _mini_with(tmp_path, "title: " + "y" * 200_000)

        with bounded(seconds=15, mib=80):
            result = _validate(runner, path)

        assert result.exit_code == 0, result.stderr


def _count(value: object) -> int:
    if isinstance(value, dict):
        return 1 + sum(_count(k) + _count(v) for k, v in value.items())
    if isinstance(value, list):
        return 1 + sum(_count(v) for v in value)
    return 1


class TestDuplicateKeys:
    """A repeated key is an error, never a silent override."""

    def test_a_second_id_cannot_rename_a_standard(self, runner: CliRunner, tmp_path: Path) -> None:
        """A second top-level `id:` (posing as another standard) is refused, naming both lines."""
        text = data("standards", "mini.yaml").read_text(encoding="utf-8")
        path = tmp_path / "renamed.yaml"
        path.write_text(text + "\nid: cit-best-practice\n", encoding="utf-8")
        first = 1 + next(i for i, line in enumerate(text.splitlines()) if line.startswith("id:"))

        result = _validate(runner, path)

        _refused(
            result, path, f"the key `id` appears twice in this mapping (first at line {first})"
        )

    @pytest.mark.parametrize("count", [2, 500])
    def test_every_repeated_key_is_reported(
        self, runner: CliRunner, tmp_path: Path, count: int
    ) -> None:
        """Each repetition is its own located problem, all reported in one run."""
        path = tmp_path / "dups.yaml"
        path.write_text("id: x\n" + "title: t\n" * count, encoding="utf-8")

        result = _validate(runner, path)

        assert result.exit_code == 2
        assert result.stderr.count("the key `title` appears twice") == count - 1


class TestHostileText:
    """Text in a standard that no output can hold is refused; control characters are dropped."""

    @pytest.mark.parametrize(
        ("escape", "shown"),
        [("\\ud800", "\\ud800"), ("\\udfff x", "\\udfff"), ("\\ud83d\\udc4d", "\\ud83d")],
        ids=["lone-high", "lone-low", "pair-as-two-escapes"],
    )
    def test_a_surrogate_escape_is_refused_at_its_place(
        self, runner: CliRunner, tmp_path: Path, escape: str, shown: str
    ) -> None:
        """Half of a UTF-16 pair (from a ``\\u`` escape) is named; no writer could encode it."""
        path = _mini_with(tmp_path, f'title: "Mini {escape} standard"')

        result = _validate(runner, path)

        _refused(result, path, f"the text holds `{shown}`, half of a character pair")

    def test_escape_sequences_in_a_standard_reach_no_report(
        self, runner: CliRunner, tmp_path: Path
    ) -> None:
        """A title holding ESC, NUL and CSI audits; the terminal shows their codes, Markdown
        loses them."""
        from tests.audit.workbook_filler import filled_path

        folder = tmp_path / "standards"
        folder.mkdir()
        _mini_with(
            folder, 'title: "Mini \\e[2J\\e]0;pwned\\a \\x00 \\x9b31m standard"', "mini.yaml"
        )
        workbook = filled_path(tmp_path)
        args = ["--standards-dir", str(folder), "audit", str(workbook), "-o", str(tmp_path / "out")]

        result = runner.invoke(cli, [*args, "--format", "terminal,md"])

        assert result.exit_code == 0, result.output
        (report,) = (tmp_path / "out").glob("*.md")
        assert "Mini \\u001b[2J\\u001b]0;pwned\\u0007 \\u0000 \\u009b31m standard" in result.stdout
        for text in (result.stdout, report.read_text(encoding="utf-8")):
            assert "pwned" in text and "31m standard" in text
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)
