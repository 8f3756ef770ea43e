"""
Standards that load today but would mislead or crash later are refused when they are read, each
with one located message (the YAML line where there is one) and exit status 2, whichever command
reads them: `standards validate`, `standards lint`, `template`, `migrate`.

- a rating spelling given to two levels ("Met" with the alias "not met" or "n/a"), which would
  read a typed "Not met" as Met;
- a program number whose id is one of the Program sheet's own rows (``program_name``);
- a threshold, credit or weight of ``.nan`` or ``.inf``, which no number can be compared with;
- control characters in a standard's text (``\\e``, ``\\a``, C1), which the template and migrate
  could not write, and line breaks in a title or label;
- an overlay that removes every requirement;
- a chain of overlays built on one another too deep (reported at its ``extends:`` line, not as
  a flat file "nested too deeply").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from citcert.cli import cli
from citcert.errors import ExitCode
from citcert.standards.names import PROGRAM_SHEET_FIELDS
from citcert.workbook import layout as L
from tests.audit import workbook_filler as filler

MINI_TEXT = filler.MINI.read_text(encoding="utf-8")


def variant(folder: Path, old: str, new: str, name: str = "variant.yaml") -> tuple[Path, int]:
    """The mini standard with `old` (found once) replaced by `new`; and the line `new` starts on."""
    assert MINI_TEXT.count(old) == 1, old
    text = MINI_TEXT.replace(old, new)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path, text[: text.index(new)].count("\n") + 1


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def refused(result: Result, path: Path, line: int, message: str) -> None:
    """Exit 2, one error naming the file and line, and `message`; nothing on stdout."""
    assert result.exit_code == ExitCode.INPUT_ERROR, result.output
    assert result.stdout == ""
    assert f"{path}:{line}:" in result.stderr, result.stderr
    assert message in result.stderr, result.stderr
    assert "Internal error" not in result.stderr


class TestSpellings:
    MET_ALIASES = 'aliases: ["yes", "fully met"]'

    @pytest.mark.parametrize(
        ("alias", "meaning"),
        [
            ("not met", "the level Not met (not_met)"),
            ("NOT-MET", "the level Not met (not_met)"),
            ("not_met", "the level Not met (not_met)"),
            ("Partially met", "the level Partially met (partially_met)"),
            ("n/a", "not applicable"),
            ("N/A", "not applicable"),
            ("Not applicable", "not applicable"),
        ],
    )
    def test_a_met_alias_that_names_another_level_is_refused(
        self, tmp_path: Path, alias: str, meaning: str
    ) -> None:
        """The alias is named at its line with the level it already means; exit 2."""
        path, line = variant(tmp_path, self.MET_ALIASES, f'aliases: ["yes", "{alias}"]')

        result = invoke("standards", "validate", str(path))

        refused(result, path, line, f'scoring.scale.levels[0].aliases[1]: "{alias}" also means')
        assert f"{meaning}, so a rating typed so could be read as either" in result.stderr

    def test_a_not_applicable_alias_that_names_a_level_is_refused(self, tmp_path: Path) -> None:
        """`not_applicable_aliases: [met]` is refused at that alias."""
        path, line = variant(
            tmp_path,
            "  overall: requirements",
            "    not_applicable_aliases: [met]\n  overall: requirements",
        )

        result = invoke("standards", "validate", str(path))

        refused(result, path, line, '"met" also means the level Met (met)')

    def test_an_alias_of_its_own_level_is_fine(self, tmp_path: Path) -> None:
        """Repeating the level's own label as an alias names nothing twice."""
        path, _ = variant(tmp_path, self.MET_ALIASES, 'aliases: ["yes", "MET", "met"]')

        assert invoke("standards", "validate", str(path)).exit_code == ExitCode.OK

    @pytest.mark.parametrize("command", ["lint", "template"])
    def test_every_command_reading_the_standard_refuses_it(
        self, tmp_path: Path, command: str
    ) -> None:
        """lint and template, given the file's folder, refuse the standard the same way."""
        path, line = variant(tmp_path / "s", self.MET_ALIASES, 'aliases: ["not met"]')
        args = {
            "lint": ["standards", "lint", str(path)],
            "template": ["template", "--standard", "mini-standard", "-o", str(tmp_path / "t.xlsx")],
        }[command]

        result = invoke("--standards-dir", str(tmp_path / "s"), *args)

        refused(result, path, line, '"not met" also means the level Not met (not_met)')
        assert not (tmp_path / "t.xlsx").exists()


class TestProgramNumberIds:
    @pytest.mark.parametrize("field", ["program_name", "jurisdiction", "assessment_date", "state"])
    def test_a_number_named_like_a_program_sheet_row_is_refused(
        self, tmp_path: Path, field: str
    ) -> None:
        """The number's id line is named; the workbook could not tell the two rows apart."""
        path, line = variant(tmp_path, "  - id: patrol_officers\n", f"  - id: {field}\n")
        path.write_text(
            path.read_text(encoding="utf-8").replace("patrol_officers", field), encoding="utf-8"
        )

        result = invoke("standards", "validate", str(path))

        refused(result, path, line, f"program_numbers[0].id: `{field}` is the ID of one of")

    def test_the_check_knows_every_row_of_the_program_sheet(self) -> None:
        """The names the check refuses are exactly the Program sheet's own rows."""
        assert set(PROGRAM_SHEET_FIELDS) == {field.key for field in L.PROFILE_FIELDS}


class TestNumbersThatAreNone:
    @pytest.mark.parametrize(
        "value", [".nan", ".NaN", ".inf", "-.inf", "+.INF", "nan", '"Infinity"']
    )
    @pytest.mark.parametrize(
        ("old", "place"),
        [
            ("          met: 40\n", "domains[1].requirements[1].metric.met"),
            ("          partial: 183\n", "domains[0].requirements[1].metric.partial"),
            ("        credit: 0.5\n", "scoring.scale.levels[1].credit"),
            ("        min_overall: 80\n", "scoring.decision_levels[0].conditions.min_overall"),
        ],
        ids=["met", "partial", "credit", "min-overall"],
    )
    def test_a_number_that_is_no_number_is_refused(
        self, tmp_path: Path, value: str, old: str, place: str
    ) -> None:
        """`.nan` and `.inf` (and their spellings as text) are named at their line."""
        new = old.replace(old.split(": ")[1].strip(), value)
        path, line = variant(tmp_path, old, new)

        result = invoke("standards", "validate", str(path))

        refused(result, path, line, f"{place}: must be an ordinary number, not ")


class TestControlCharacters:
    @pytest.mark.parametrize(
        ("escape", "code"),
        [("\\e[31m", "\\u001b"), ("\\a", "\\u0007"), ("\\x9b", "\\u009b"), ("\\0", "\\u0000"),
         ("\\r", "\\u000d"), ("\\x7f", "\\u007f"), ("\\x85", "\\u0085")],
    )  # fmt: skip
    def test_a_control_character_in_the_title_is_refused(
        self, tmp_path: Path, escape: str, code: str
    ) -> None:
        """Each is shown by its code at the title's line; nothing reaches the terminal."""
        path, line = variant(
            tmp_path, "title: Mini CIT standard for tests", f'title: "Mini {escape} standard"'
        )

        result = invoke("standards", "validate", str(path))

        refused(result, path, line, f"the text holds `{code}`, a control character")
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr

    @pytest.mark.parametrize("command", ["template", "migrate"])
    def test_template_and_migrate_refuse_it_instead_of_crashing(
        self, tmp_path: Path, command: str
    ) -> None:
        """A control character in a level label: exit 2 and its line, no crash, no output."""
        folder = tmp_path / "s"
        path, line = variant(folder, "        label: Met\n", '        label: "Met\\a"\n')
        path.write_text(
            path.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"', 1),
            encoding="utf-8",
        )
        filler.dump_yaml(filler.load_yaml(filler.MINI), folder / "mini.yaml")
        out = tmp_path / "new.xlsx"
        args = {
            "template": ["template", "--standard", "mini-standard@1.1", "-o", str(out)],
            "migrate": [
                "migrate", str(filler.filled_path(tmp_path)), "--to", "mini-standard@1.1",
                "-o", str(out),
            ],
        }[command]  # fmt: skip

        result = invoke("--standards-dir", str(folder), *args)

        refused(result, path, line, "the text holds `\\u0007`, a control character")
        assert not out.exists()

    @pytest.mark.parametrize(
        ("old", "new", "key"),
        [
            ("title: Mini CIT standard for tests", 'title: "Mini\\nFAKE line"', "title"),
            ("        label: Met\n", '        label: "Met\\nNot met"\n', "label"),
            ("    title: Partnerships\n", "    title: |\n      Partner\n      ships\n", "title"),
        ],
        ids=["standard-title", "level-label", "domain-title-block"],
    )
    def test_a_line_break_in_a_title_or_label_is_refused(
        self, tmp_path: Path, old: str, new: str, key: str
    ) -> None:
        """A title or label is one line; the line of its value is named."""
        path, line = variant(tmp_path, old, new)

        result = invoke("standards", "validate", str(path))

        refused(result, path, line, f"a {key} is one line; remove the line break")

    def test_a_line_break_in_a_statement_is_fine(self, tmp_path: Path) -> None:
        """Longer text may run over lines (a block scalar), and a folded title's last break."""
        path, _ = variant(
            tmp_path, "title: Mini CIT standard for tests", "title: >\n  Mini CIT\n  standard\n"
        )

        assert invoke("standards", "validate", str(path)).exit_code == ExitCode.OK


OVERLAY = """\
extends: {base}
id: {id}
version: "1.0"
title: Overlay {id}
publisher: Tests state office
effective: 2024-06-01
status: current
summary: An overlay for the checks.
"""


class TestOverlays:
    def test_an_overlay_removing_every_requirement_is_refused(self, tmp_path: Path) -> None:
        """No traceback: the `remove:` line says nothing would be left to audit."""
        ids = ["PART-01", "PART-02", "TRN-01", "TRN-02", "TRN-03"]
        removals = "".join(f"  - id: {i}\n    reason: Not ours.\n" for i in ids)
        path = tmp_path / "empty.yaml"
        path.write_text(
            OVERLAY.format(base="mini-standard@1.0", id="empty") + "remove:\n" + removals
        )

        result = invoke(
            "--standards-dir", str(filler.MINI.parent), "standards", "validate", str(path)
        )

        refused(result, path, 9, "removes every requirement of mini-standard@1.0 and adds none")

    def _chain(self, folder: Path, length: int) -> Path:
        folder.mkdir()
        filler.dump_yaml(filler.load_yaml(filler.MINI), folder / "mini.yaml")
        base = "mini-standard@1.0"
        for i in range(1, length + 1):
            path = folder / f"link-{i:03d}.yaml"
            path.write_text(OVERLAY.format(base=base, id=f"link-{i}"))
            base = f"link-{i}@1.0"
        return path

    def test_ten_overlays_on_one_another_are_fine(self, tmp_path: Path) -> None:
        top = self._chain(tmp_path / "s", 10)

        result = invoke("--standards-dir", str(tmp_path / "s"), "standards", "validate", str(top))

        assert result.exit_code == ExitCode.OK, result.output

    @pytest.mark.parametrize("length", [11, 200])
    def test_a_deeper_chain_is_a_located_error(self, tmp_path: Path, length: int) -> None:
        """At the `extends:` line that goes too far, naming the chain; never 'nested too deeply'."""
        top = self._chain(tmp_path / "s", length)

        result = invoke("--standards-dir", str(tmp_path / "s"), "standards", "validate", str(top))

        deepest = tmp_path / "s" / f"link-{length - 10:03d}.yaml"
        refused(result, deepest, 1, "overlays build on one another more than 10 deep")
        assert f"link-{length}@1.0 →" in result.stderr
        assert "nested too deeply" not in result.stderr

    def test_a_template_on_a_deep_chain_is_refused_too(self, tmp_path: Path) -> None:
        top = self._chain(tmp_path / "s", 12)
        out = tmp_path / "t.xlsx"

        result = invoke(
            "--standards-dir",
            str(tmp_path / "s"),
            "template",
            "--overlay",
            str(top),
            "-o",
            str(out),
        )

        refused(result, tmp_path / "s" / "link-002.yaml", 1, "more than 10 deep")
        assert not out.exists()
