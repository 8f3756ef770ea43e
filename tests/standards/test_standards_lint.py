"""
`citcert standards lint`: warnings of what a standard leaves unsaid about its sources.

Run through the command line on the built-in standards (whose remaining warnings the README
lists) and on variants of the test standard written to tmp_path with one gap each.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from citcert.cli import cli
from tests.conftest import data

MINI = data("standards", "mini.yaml")


def test_the_built_in_standards_have_the_warnings_the_readme_lists() -> None:
    result = CliRunner().invoke(cli, ["standards", "lint"])
    assert result.exit_code == 0, result.output
    heads = [line for line in result.stdout.splitlines() if not line.startswith("  ")]
    assert heads == [
        "cit-best-practice@2019.1: 22 warnings",
        "cit-best-practice@2019.2: 2 warnings",
        "cit-best-practice@2019.3: 2 warnings",
        "cit-core-elements@2007.1: 1 warning",
    ]
    current = result.stdout.split("cit-best-practice@2019.3: 2 warnings\n")[1]
    assert current.startswith(
        "  CRS-02: source https://www.valorforblue.org/Clearinghouse/656/"
        "Crisis-Intervention-Team-Core-Elements is still unverified"
    )
    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8").split())
    assert "`cit-best-practice@2019.3` and `cit-best-practice@2019.2` (2 each)" in readme
    assert "`cit-core-elements@2007.1` (1)" in readme
    assert "`cit-best-practice@2019.1` (22," in readme
    lines = result.stdout.splitlines()
    for line in lines[lines.index(heads[1]) + 1 :]:
        if line.startswith("  "):
            rid, _, rest = line.strip().partition(": ")
            url = rest.split()[1]
            assert f"{rid}: source {url} is still unverified" in readme, line


def test_each_kind_of_warning(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    assert "verification: source" in text and "core: true" in text
    variant = text.replace("verification: source", "verification: unverified", 1)
    path = tmp_path / "mini-lint.yaml"
    path.write_text(variant, encoding="utf-8")

    result = CliRunner().invoke(cli, ["standards", "lint", str(path)])
    assert result.exit_code == 0, result.output
    assert "is still unverified" in result.stdout
    assert "core, but no `core_reason` says why [core-reason]" in result.stdout

    strict = CliRunner().invoke(cli, ["standards", "lint", str(path), "--strict"])
    assert strict.exit_code == 1


def test_a_threshold_with_an_origin_or_a_proposal_is_quiet(tmp_path: Path) -> None:
    from citcert.standards import load_file
    from citcert.standards.lint import lint

    standard = load_file(MINI)
    metric_reqs = [r for _, r in standard.requirements() if r.metric is not None]
    assert metric_reqs
    kinds = {(w.requirement_id, w.kind) for w in lint(standard)}
    for req in metric_reqs:
        assert req.metric is not None
        said = req.metric.proposal or bool(req.metric.origin)
        assert ((req.id, "threshold-origin") in kinds) is not said


def test_a_file_that_does_not_load_is_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["standards", "lint", str(path)])
    assert result.exit_code == 2
    assert "broken.yaml:" in result.output
