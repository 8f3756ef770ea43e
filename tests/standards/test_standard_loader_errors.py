# ruff: noqa: E501  (the table holds the exact one-line messages users see; kept unsplit to read)
"""
Every loader error path: one tiny bad YAML per failure under tests/data/standards/bad/, run
through `citcert standards validate`, with its exact message, line and column, and exit 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from citcert.cli import cli
from citcert.errors import StandardFileError
from citcert.standards.loader import load_file
from citcert.standards.registry import MAX_FILE_BYTES
from tests.conftest import DATA

BAD = DATA / "standards" / "bad"

# (file, the exact problem line the user sees). Where one mistake causes a second problem
# (a duplicate id that also makes a self-dependency), the line below is the main one.
CASES = [
    ("alias-bomb.yaml", "alias-bomb.yaml:7:4: the file expands to more than 200000 values"),
    (
        "anchor-unknown-level.yaml",
        "anchor-unknown-level.yaml:47:43: domains[0].requirements[1].anchors.mostly: `mostly` is not a level of the rating scale (one of met, not_met, partly)",
    ),
    (
        "bad-colour.yaml",
        "bad-colour.yaml:25:15: scoring.decision_levels[0].colour: must be a colour like `#1B7F3B` (# and six hexadecimal digits)",
    ),
    (
        "bad-requirement-id.yaml",
        "bad-requirement-id.yaml:42:13: domains[0].requirements[1].id: must be a requirement id like `TRN-01`: 2 to 8 capital letters or digits, a dash, two digits",
    ),
    (
        "bad-status.yaml",
        "bad-status.yaml:7:9: status: must be one of 'draft', 'current' or 'superseded', not 'final'",
    ),
    (
        "bad-url.yaml",
        "bad-url.yaml:41:25: domains[0].requirements[0].sources[0].url: must be a web address starting with https:// (or http://)",
    ),
    (
        "core-not-boolean.yaml",
        "core-not-boolean.yaml:36:15: domains[0].requirements[0].core: must be true or false",
    ),
    (
        "credit-above-one.yaml",
        "credit-above-one.yaml:18:45: scoring.scale.levels[1].credit: must be at most 1",
    ),
    (
        "credits-rise.yaml",
        "credits-rise.yaml:19:47: scoring.scale.levels[2].credit: credit 0.75 is higher than the level above it (partly: 0.5); list levels from best to worst",
    ),
    (
        "custom-tag.yaml",
        "custom-tag.yaml:3:10: the tag `!include` is not allowed; a standard is plain data",
    ),
    (
        "date-in-words.yaml",
        "date-in-words.yaml:6:12: effective: must be a date written as YYYY-MM-DD, like 2024-07-01",
    ),
    (
        "days-since-a-number.yaml",
        "days-since-a-number.yaml:46:79: domains[0].requirements[1].metric.inputs[0]: a days_since metric needs a date, but `patrol` is a whole number",
    ),
    (
        "decision-lower-stricter.yaml",
        "decision-lower-stricter.yaml:31:33: scoring.decision_levels[1].conditions.min_overall: is stricter than on the higher level certified (90 against 80); a lower decision level must be easier to reach",
    ),
    (
        "decision-unconditional-early.yaml",
        "decision-unconditional-early.yaml:22:7: scoring.decision_levels[0].conditions: has no conditions, so the levels after it could never be decided; only the last level may be unconditional",
    ),
    (
        "dependency-cycle.yaml",
        "dependency-cycle.yaml:46:22: domains[0].requirements[1].depends_on[0]: dependencies go round in a circle: TRN-01 → TRN-02 → TRN-01",
    ),
    (
        "depends-on-itself.yaml",
        "depends-on-itself.yaml:45:22: domains[0].requirements[1].depends_on[0]: a requirement cannot depend on itself",
    ),
    (
        "depends-on-missing.yaml",
        "depends-on-missing.yaml:45:22: domains[0].requirements[1].depends_on[0]: depends on TRN-09, which is not a requirement of this standard",
    ),
    (
        "domains-not-list.yaml",
        "domains-not-list.yaml:28:10: domains: must be a list (one `- item` per line), not text",
    ),
    (
        "duplicate-domain-id.yaml",
        "duplicate-domain-id.yaml:51:9: domains[1].id: domain id TRN is used twice (first at domains[0].id)",
    ),
    (
        "duplicate-key.yaml",
        "duplicate-key.yaml:35:9: the key `title` appears twice in this mapping (first at line 34)",
    ),
    (
        "duplicate-level-id.yaml",
        "duplicate-level-id.yaml:18:14: scoring.scale.levels[1].id: rating level id met is used twice (first at scoring.scale.levels[0].id)",
    ),
    (
        "duplicate-program-number.yaml",
        "duplicate-program-number.yaml:12:10: program_numbers[1].id: program number id patrol is used twice (first at program_numbers[0].id)",
    ),
    (
        "duplicate-requirement-id.yaml",
        "duplicate-requirement-id.yaml:42:13: domains[0].requirements[1].id: requirement id TRN-01 is used twice (first at domains[0].requirements[0].id)",
    ),
    (
        "empty-evidence.yaml",
        "empty-evidence.yaml:39:19: domains[0].requirements[0].evidence: must not be empty",
    ),
    (
        "empty-title.yaml",
        "empty-title.yaml:44:9: domains[0].requirements[1].title: is empty; give a value here",
    ),
    ("empty.yaml", "empty.yaml:1:1: the file is empty"),
    ("impossible-date.yaml", "impossible-date.yaml:6:12: effective: 2024-13-01 is not a real date"),
    (
        "last-decision-conditional.yaml",
        "last-decision-conditional.yaml:27:103: scoring.decision_levels[1].conditions: the last decision level must have no conditions, so that every program gets one",
    ),
    (
        "meets-below-not-meeting.yaml",
        "meets-below-not-meeting.yaml:19:57: scoring.scale.levels[2].meets: counts as met but the level above it (partly) does not",
    ),
    (
        "metric-input-undeclared.yaml",
        "metric-input-undeclared.yaml:37:85: domains[0].requirements[0].metric.inputs[1]: `sworn` is not one of this standard's program_numbers (one of last_meeting, patrol, trained)",
    ),
    (
        "missing-field.yaml",
        "missing-field.yaml:33:9: domains[0].requirements[0].title: is required but missing",
    ),
    (
        "no-level-meets.yaml",
        "no-level-meets.yaml:17:7: scoring.scale.levels: no level counts as met; set `meets: true` on at least the first level",
    ),
    (
        "not-a-mapping.yaml",
        "not-a-mapping.yaml:2:1: the file must hold one mapping of `key: value` lines (starting with `id:`), not a list",
    ),
    (
        "not-more-than-missing.yaml",
        "not-more-than-missing.yaml:12:75: program_numbers[1].not_more_than: names `sworn`, which is not one of this standard's program_numbers",
    ),
    ("not-utf8.yaml", "not-utf8.yaml:3: this line is not UTF-8 text; save the file as UTF-8"),
    (
        "python-tag.yaml",
        "python-tag.yaml:3:8: the tag `!!python/object/apply:os.system` is not allowed; a standard is plain data",
    ),
    (
        "ratio-of-a-date.yaml",
        "ratio-of-a-date.yaml:37:85: domains[0].requirements[0].metric.inputs[1]: a ratio metric needs a number, but `last_meeting` is a date",
    ),
    (
        "ratio-one-input.yaml",
        "ratio-one-input.yaml:37:17: domains[0].requirements[0].metric: a ratio metric takes 2 input(s), not 1",
    ),
    (
        "recursive-alias.yaml",
        "recursive-alias.yaml:3:10: an alias refers to the value that contains it",
    ),
    (
        "replaces-without-supersedes.yaml",
        "replaces-without-supersedes.yaml:46:19: domains[0].requirements[1].replaces: names ids of an older standard, so the standard needs `supersedes: id@version` saying which one",
    ),
    (
        "syntax-unclosed-list.yaml",
        "syntax-unclosed-list.yaml:40:20: YAML syntax error: expected ',' or ']', but got ':' (while parsing a flow sequence that starts at line 39)",
    ),
    (
        "tab-indentation.yaml",
        "tab-indentation.yaml:5:1: a tab is used for indentation; YAML needs spaces",
    ),
    (
        "thresholds-at-least-unordered.yaml",
        "thresholds-at-least-unordered.yaml:37:112: domains[0].requirements[0].metric.partial: the partial threshold (30) must not be above the met threshold (20) when higher is better (at_least)",
    ),
    (
        "thresholds-at-most-unordered.yaml",
        "thresholds-at-most-unordered.yaml:46:132: domains[0].requirements[1].metric.partial: the partial threshold (60) must not be below the met threshold (92) when lower is better (at_most)",
    ),
    ("too-deep.yaml", "too-deep.yaml:3:49: the YAML is nested too deeply (more than 40 levels)"),
    (
        "too-many-aliases.yaml",
        "too-many-aliases.yaml:2:4: more than 100 aliases (*name) in one file",
    ),
    (
        "top-credit-not-one.yaml",
        "top-credit-not-one.yaml:17:39: scoring.scale.levels[0].credit: the first (best) level must have credit 1",
    ),
    (
        "treat-as-unknown-level.yaml",
        "treat-as-unknown-level.yaml:20:33: scoring.unsupported_claim.treat_as: `partial` is not a level of the rating scale (one of met, not_met, partly)",
    ),
    (
        "two-documents.yaml",
        "two-documents.yaml:3:1: the file holds a second YAML document (after `---`); a standard is one document",
    ),
    (
        "undefined-alias.yaml",
        "undefined-alias.yaml:39:19: YAML syntax error: found undefined alias 'roster'",
    ),
    (
        "unknown-key-typo.yaml",
        "unknown-key-typo.yaml:32:5: domains[0].requirments: is not a known key; did you mean `requirements`?",
    ),
    (
        "unknown-key.yaml",
        "unknown-key.yaml:8:1: colour_scheme: is not a known key here (allowed: id, version, title, publisher, effective, status, summary, citation, supersedes, program_numbers, records, scoring, domains, tailoring)",
    ),
    (
        "version-number.yaml",
        'version-number.yaml:3:10: version: must be text; put it in quotes, like "2019.1", so YAML does not read it as a number',
    ),
    (
        "weight-zero.yaml",
        "weight-zero.yaml:37:17: domains[0].requirements[0].weight: must be greater than 0",
    ),
]


def _validate(runner: CliRunner, *files: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["standards", "validate", *files])
    return result.exit_code, result.stdout, result.stderr


class TestBadFiles:
    """The parametrized table of bad standard files and their messages."""

    @pytest.mark.parametrize(("name", "expected"), CASES, ids=[c[0] for c in CASES])
    def test_bad_file_gives_its_located_message_and_exit_2(
        self, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, name: str, expected: str
    ) -> None:
        """Each bad file is refused with exit 2 and its one plain, located message on stderr."""
        monkeypatch.chdir(BAD)

        code, out, err = _validate(runner, name)

        assert code == 2
        assert out == ""
        problem_lines = [line.removeprefix("Error: ") for line in err.splitlines()]
        assert expected in problem_lines

    def test_every_bad_file_is_in_the_table(self) -> None:
        """No bad fixture is left without an expected message."""
        assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(c[0] for c in CASES)

    def test_messages_never_show_pydantic_text(
        self, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """No message anywhere in the table leaks pydantic's own wording or a traceback."""
        monkeypatch.chdir(BAD)

        _, _, err = _validate(runner, *(c[0] for c in CASES))

        for leak in ("Input should", "pydantic", "Traceback", "validation error"):
            assert leak not in err


class TestValidateCommand:
    """`standards validate` over several files at once."""

    def test_all_files_are_reported_in_one_run(
        self, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Valid files are confirmed on stdout; every problem of every bad file goes to stderr."""
        monkeypatch.chdir(BAD)
        mini = str(DATA / "standards" / "mini.yaml")

        code, out, err = _validate(runner, mini, "weight-zero.yaml", "bad-status.yaml")

        assert code == 2
        assert f"{mini}: valid (mini-standard@1.0)\n" == out
        assert err.startswith("Error: 2 of 3 files have problems (2 in all):\n")
        assert "weight-zero.yaml:37:17: " in err
        assert "bad-status.yaml:7:9: " in err

    def test_valid_files_exit_0(self, runner: CliRunner) -> None:
        """A valid standard passes with exit 0 and nothing on stderr."""
        code, out, err = _validate(runner, str(DATA / "standards" / "mini.yaml"))

        assert (code, err) == (0, "")
        assert out.endswith("valid (mini-standard@1.0)\n")

    def test_a_missing_file_is_a_usage_error(self, runner: CliRunner, tmp_path: Path) -> None:
        """A file that does not exist is refused by click before loading, also with exit 2."""
        code, _, err = _validate(runner, str(tmp_path / "nope.yaml"))

        assert code == 2
        assert "does not exist" in err


class TestLimits:
    """Limits that protect the loader from hostile files, and the structured error."""

    def test_a_file_over_the_size_limit_is_refused_before_parsing(self, tmp_path: Path) -> None:
        """A file larger than the documented limit is refused with its size."""
        big = tmp_path / "big.yaml"
        big.write_bytes(b"# padding\n" * (MAX_FILE_BYTES // 10 + 1))

        with pytest.raises(StandardFileError) as caught:
            load_file(big)

        size = big.stat().st_size
        expected = (
            f"{big}: the file is {size} bytes; a standard may be at most "
            f"{MAX_FILE_BYTES} bytes (2 MiB)"
        )
        assert expected == str(caught.value)

    def test_problems_carry_structured_locations(self) -> None:
        """The error holds a Location with file, line and column, not only a formatted string."""
        path = BAD / "weight-zero.yaml"

        with pytest.raises(StandardFileError) as caught:
            load_file(path)

        (problem,) = caught.value.problems
        assert (str(path), 37, 17) == (
            problem.location.file,
            problem.location.line,
            problem.location.column,
        )
        assert problem.subject == "domains[0].requirements[0].weight"
