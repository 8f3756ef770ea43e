"""
A standard that supersedes another through the versions between them (`succession.Line`).

cit-best-practice@2019.3 supersedes 2019.2, which supersedes 2019.1, which supersedes
cit-core-elements@2007.1 with a ``replaces:`` list: 2007 and 2019 share ids (POL-02, INS-01 …)
that do not always mean the same requirement. Carried or compared straight from 2007.1 to
2019.3, 2019.3 not naming 2007.1, answers were matched by those ids: 5 were carried and the
rest dropped. Through the line, every answer follows 2019.1's ``replaces:``, as it does when
the workbook is carried to 2019.1.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from citcert.cli import cli
from citcert.errors import StandardNotFoundError
from citcert.standards import find_standard
from citcert.standards.model import RequirementId, Standard
from citcert.standards.succession import Line, line, predecessors
from tests.audit import workbook_filler as filler
from tests.audit.workbook_filler import MINI, load_yaml

CORE = "cit-core-elements@2007.1"


def _mini(version: str, supersedes: str | None, renames: dict[str, str]) -> Standard:
    """The mini standard at `version`, with requirements renamed old id → new id."""
    raw: dict[str, Any] = copy.deepcopy(load_yaml(MINI))
    raw.update(version=version, supersedes=supersedes)
    for domain in raw["domains"]:
        for requirement in domain["requirements"]:
            old = requirement["id"]
            if old in renames:
                requirement.update(id=renames[old], replaces=[old])
            requirement.pop("depends_on", None)
    return Standard.model_validate(raw)


@pytest.fixture(scope="module")
def chain() -> tuple[Standard, Standard, Standard]:
    """1.0; 2.0 renames TRN-01 to TRN-21; 3.0 renames TRN-21 to TRN-31 (PART-01 kept)."""
    one = _mini("1.0", None, {})
    two = _mini("2.0", "mini-standard@1.0", {"TRN-01": "TRN-21"})
    three_raw = _mini("2.0", "mini-standard@1.0", {"TRN-01": "TRN-21"}).model_dump(
        mode="json", exclude_defaults=True
    )
    three_raw.update(version="3.0", supersedes="mini-standard@2.0")
    for domain in three_raw["domains"]:
        for requirement in domain["requirements"]:
            requirement.pop("replaces", None)
            if requirement["id"] == "TRN-21":
                requirement.update(id="TRN-31", replaces=["TRN-21"])
    return one, two, Standard.model_validate(three_raw)


def _named(*standards: Standard) -> Any:
    by_ref = {s.ref: s for s in standards}

    def named(ref: str) -> Standard:
        if ref not in by_ref:
            raise StandardNotFoundError(f"no standard {ref}")
        return by_ref[ref]

    return named


def test_a_rename_two_versions_back_is_followed_step_by_step(
    chain: tuple[Standard, Standard, Standard],
) -> None:
    one, two, three = chain
    found = line(one, three, _named(one, two, three))

    assert found is not None
    assert (found.older, found.between, found.newer) == (one, (two,), three)
    mapping = found.predecessors()
    assert mapping[RequirementId("TRN-31")] == ("TRN-01",)
    assert mapping[RequirementId("PART-01")] == ("PART-01",)
    assert "TRN-21" not in mapping
    # Straight from 1.0 to 3.0 the rename would be lost: 3.0 does not name 1.0.
    assert predecessors(one, three)[RequirementId("TRN-31")] == ()


def test_the_line_is_found_whichever_side_is_newer(
    chain: tuple[Standard, Standard, Standard],
) -> None:
    one, two, three = chain
    found = line(three, one, _named(one, two, three))
    assert found is not None and found.newer is three and found.older is one


def test_without_the_standard_between_or_a_way_to_find_it_there_is_no_line(
    chain: tuple[Standard, Standard, Standard],
) -> None:
    one, two, three = chain
    assert line(one, three) is None
    assert line(one, three, _named(one, three)) is None
    assert line(one, two) == Line(one, (), two)


def test_a_loop_of_supersedes_ends_without_a_line(
    chain: tuple[Standard, Standard, Standard],
) -> None:
    one, two, three = chain
    looped = two.model_copy(update={"supersedes": "mini-standard@3.0"})
    assert line(one, three, _named(looped, three)) is None


def test_core_elements_reach_the_current_best_practice_through_2019_1() -> None:
    core, current = find_standard(CORE), find_standard("cit-best-practice@2019.3")
    found = line(core, current, find_standard)

    assert found is not None
    assert [s.ref for s in found.between] == [
        "cit-best-practice@2019.1",
        "cit-best-practice@2019.2",
    ]
    direct = Line(core, (), find_standard("cit-best-practice@2019.1")).predecessors()
    assert {k: v for k, v in found.predecessors().items() if k in direct} == direct


def _core_workbook(tmp_path: Path) -> Path:
    """A Core Elements workbook with every requirement rated Met and an evidence line each."""
    path = tmp_path / "core.xlsx"
    result = CliRunner().invoke(cli, ["template", "--standard", CORE, "-o", str(path)])
    assert result.exit_code == 0, result.output
    book = load_workbook(path)
    for _, requirement in find_standard(CORE).requirements():
        filler.set_answer(book, requirement.id, "Self rating", "Met")
        filler.set_answer(book, requirement.id, "Evidence summary", f"For {requirement.id}.")
    book.save(path)
    return path


def test_migrate_to_the_current_version_carries_what_migrating_to_2019_1_carries(
    tmp_path: Path,
) -> None:
    source = _core_workbook(tmp_path)
    carried = {}
    for version in ("2019.1", "2019.3"):
        result = CliRunner().invoke(
            cli,
            ["migrate", str(source), "--to", f"cit-best-practice@{version}",
             "-o", str(tmp_path / f"{version}.xlsx"), "--format", "json"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        carried[version] = {c["requirement_id"]: c["sources"] for c in report["carried"]}

    assert carried["2019.3"] == carried["2019.1"]
    assert len(carried["2019.3"]) == 32
    assert "(through cit-best-practice@2019.1, cit-best-practice@2019.2)" in report["summary"]
    # By equal ids alone, the Core Elements ownership answer (OWN-01) had nowhere to go.
    assert carried["2019.3"]["PART-02"] == ["OWN-01"]


def test_compare_across_two_versions_says_it_matched_through_both(tmp_path: Path) -> None:
    """2019.1 to 2019.3: not "neither supersedes the other", which is false."""
    brennan = Path(__file__).parents[2] / "examples" / "brennan-county.xlsx"
    newer = tmp_path / "brennan-2019.3.xlsx"
    result = CliRunner().invoke(
        cli, ["migrate", str(brennan), "--to", "cit-best-practice@2019.3", "-o", str(newer)]
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(newer)
    filler.set_program(book, "program_structure", "Regional program")
    book.save(newer)

    result = CliRunner().invoke(cli, ["compare", str(brennan), str(newer)])

    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "neither supersedes" not in said
    assert (
        "requirements were matched through the `replaces` lists of cit-best-practice@2019.2 and "
        "cit-best-practice@2019.3 (0 renamed or merged ids)"
    ) in said


def test_an_overlays_own_requirement_follows_it_to_its_next_version(tmp_path: Path) -> None:
    """
    northfield-cit@2024.1 (on 2019.1) to a 2026.1 on 2019.3: the line runs through the plain
    2019.2, which has no NFS-01 or DATA-05 of the state's. They continue under their ids.
    """
    overlay = Path(__file__).parents[2] / "examples" / "overlays" / "northfield-state-2024.yaml"
    standards = tmp_path / "standards"
    standards.mkdir()
    (standards / "2024.yaml").write_bytes(overlay.read_bytes())
    text = overlay.read_text(encoding="utf-8")
    for old, new in (
        ("extends: cit-best-practice@2019.1", "extends: cit-best-practice@2019.3"),
        ('version: "2024.1"', 'version: "2026.1"'),
        ("effective: 2024-07-01", "effective: 2026-07-01"),
    ):
        assert old in text
        text = text.replace(old, new)
    (standards / "2026.yaml").write_text(text, encoding="utf-8")
    brennan = Path(__file__).parents[2] / "examples" / "brennan-county.xlsx"

    def run(*args: str) -> Any:
        result = CliRunner().invoke(cli, ["--standards-dir", str(standards), *args])
        assert result.exit_code == 0, result.output
        return result

    run("migrate", str(brennan), "--to", "northfield-cit@2024.1", "-o", str(tmp_path / "24.xlsx"))
    book = load_workbook(tmp_path / "24.xlsx")
    for rid in ("NFS-01", "DATA-05"):
        filler.set_answer(book, rid, "Self rating", "Met")
        filler.set_answer(book, rid, "Evidence summary", f"For {rid}.")
    book.save(tmp_path / "24.xlsx")

    result = run(
        "migrate", str(tmp_path / "24.xlsx"), "--to", "northfield-cit@2026.1",
        "-o", str(tmp_path / "26.xlsx"), "--format", "json",
    )  # fmt: skip

    report = json.loads(result.stdout)
    carried = {c["requirement_id"]: c["sources"] for c in report["carried"]}
    assert (carried["NFS-01"], carried["DATA-05"]) == (["NFS-01"], ["DATA-05"])
    assert report["not_carried"] == []
    assert "(through cit-best-practice@2019.2)" in report["summary"]
