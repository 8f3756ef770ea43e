"""
A standard and its own overlay share their requirement ids, and `compare`, `migrate` and
`standards diff` pair them by one rule (`citcert.standards.succession`).

An overlay keeps its base's ``supersedes:`` and ``replaces:`` (they name the ids of the standard
the base superseded), so they count only against that older standard: never between the base and
its overlay. The Northfield overlay of cit-best-practice@2019.1 carries 2019.1's ``replaces:``
lists of 2007 ids (PART-01, POL-02 …), some of which 2019.1 reuses; applied between the two, they
made false renames and a spurious gap. Over mini standards built in code, an overlay of a
standard that supersedes another is still matched with that older one through ``replaces:``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from citcert.cli import cli
from citcert.errors import ExitCode
from citcert.standards.registry import find_standard
from citcert.standards.store import StandardsStore
from citcert.standards.succession import predecessors, supersedes
from tests.audit import workbook_filler as filler
from tests.audit.test_migrate import _version_two

EXAMPLES = Path(__file__).parent.parent.parent / "examples"
OVERLAYS = EXAMPLES / "overlays"
NORTHFIELD = "northfield-cit@2024.1"


def run(*args: str, standards: Path = OVERLAYS) -> Result:
    return CliRunner().invoke(cli, ["--standards-dir", str(standards), *args])


def audit_json(workbook: Path, out: Path, standards: Path = OVERLAYS) -> Path:
    result = run("audit", str(workbook), "-o", "-", standards=standards)
    assert result.exit_code == ExitCode.OK, result.output
    out.write_text(result.stdout, encoding="utf-8")
    return out


def compared(old: Path, new: Path, standards: Path = OVERLAYS) -> dict[str, Any]:
    result = run("compare", str(old), str(new), "--format", "json", standards=standards)
    assert result.exit_code == ExitCode.OK, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def fill_new_numbers(path: Path, values: dict[str, object]) -> None:
    """Type the values of the Program rows `migrate` added, found by their IDs."""
    book = load_workbook(path)
    sheet = book["Program"]
    for row in sheet.iter_rows():
        if row[0].value in values:
            row[2].value = values[row[0].value]
    book.save(path)


@pytest.fixture(scope="module")
def northfield(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Brennan County audited against 2019.1, and its answers migrated to and audited against
    the Northfield overlay of 2019.1 (the overlay's one new number filled in)."""
    folder = tmp_path_factory.mktemp("northfield")
    base = audit_json(EXAMPLES / "brennan-county.xlsx", folder / "base.json")
    moved = folder / "northfield.xlsx"
    migrated = run(
        "migrate", str(EXAMPLES / "brennan-county.xlsx"), "--to", NORTHFIELD,
        "-o", str(moved), "--format", "json",
    )  # fmt: skip
    assert migrated.exit_code == ExitCode.OK, migrated.output
    fill_new_numbers(moved, {"state_data_submissions_12m": 4})
    overlay = audit_json(moved, folder / "northfield.json")
    return {"base": base, "overlay": overlay, "migration": json.loads(migrated.stdout)}


class TestAStandardAndItsOverlay:
    @pytest.mark.parametrize("order", ["base-first", "overlay-first"])
    def test_compare_pairs_every_requirement_with_itself(
        self, northfield: dict[str, Any], order: str
    ) -> None:
        """No rename, nothing 'no longer in the standard', each change under its own id."""
        old, new = northfield["base"], northfield["overlay"]
        if order == "overlay-first":
            old, new = new, old

        result = compared(old, new)

        assert result["id_changes"] == []
        changed = [*result["gaps_opened"], *result["gaps_closed"], *result["ratings_changed"]]
        assert changed, "the overlay's tighter threshold still shows"
        for change in changed:
            assert change["old_ids"] in ([change["requirement_id"]], []), change
        removed = set(result["removed_requirements"])
        added = {"DATA-05", "NFS-01"}  # the overlay's own requirements
        assert removed == (added if order == "overlay-first" else set())
        assert "neither supersedes the other" in result["standards_note"]

    def test_no_spurious_gap(self, northfield: dict[str, Any]) -> None:
        """Gaps opened are the overlay's new requirement and its tighter threshold, no more."""
        result = compared(northfield["base"], northfield["overlay"])

        opened = {g["requirement_id"] for g in result["gaps_opened"]}
        assert opened == {"OFC-03", "NFS-01"}
        assert [r["requirement_id"] for r in result["ratings_changed"]] == ["OFC-03"]

    def test_migrate_carries_each_answer_from_the_same_id(self, northfield: dict[str, Any]) -> None:
        """migrate to the overlay: every 2019.1 requirement takes its own answers."""
        carried = northfield["migration"]["carried"]

        assert carried
        assert all(c["sources"] == [c["requirement_id"]] for c in carried), carried

    def test_diff_of_base_and_overlay_maps_nothing(self) -> None:
        """`standards diff` of the base and its overlay shows no mapping through replaces."""
        result = run(
            "standards", "diff", "cit-best-practice@2019.1", NORTHFIELD, "--format", "json"
        )

        assert result.exit_code == ExitCode.OK, result.output
        assert json.loads(result.stdout)["mapped_by"] is None

    def test_the_rule_itself(self) -> None:
        """The overlay supersedes 2007.1 (its base's predecessor), not its own base."""
        store = StandardsStore((OVERLAYS,))
        overlay = find_standard(NORTHFIELD, store=store)
        base = find_standard("cit-best-practice@2019.1", store=store)
        core = find_standard("cit-core-elements@2007.1", store=store)

        assert not supersedes(overlay, base)
        assert supersedes(overlay, core)
        assert all(old == (new,) for new, old in predecessors(base, overlay).items() if old)


# --- an overlay of a standard that supersedes another -------------------------------------------

OVERLAY_OF_TWO = """\
extends: mini-standard@2.0
id: mini-state
version: "1.0"
title: Mini state overlay of 2.0
publisher: Tests state office
effective: 2025-06-01
status: current
summary: Tailors mini 2.0 for a state.
override:
  PART-01:
    title: Steering committee, as the state asks
"""
OVERLAY_OF_ONE = (
    OVERLAY_OF_TWO.replace("mini-standard@2.0", "mini-standard@1.0")
    .replace("id: mini-state", "id: mini-county")
    .replace("effective: 2025-06-01", "effective: 2024-06-01")
)
"""An overlay of mini 1.0, as a county would tailor it."""


@pytest.fixture(scope="module")
def minis(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Mini 1.0, mini 2.0 (superseding it, with renames and a merge), an overlay of each."""
    folder = tmp_path_factory.mktemp("minis")
    filler.dump_yaml(filler.load_yaml(filler.MINI), folder / "mini.yaml")
    filler.dump_yaml(_version_two(), folder / "mini-2.yaml")
    (folder / "mini-state.yaml").write_text(OVERLAY_OF_TWO, encoding="utf-8")
    (folder / "mini-county.yaml").write_text(OVERLAY_OF_ONE, encoding="utf-8")
    return folder


class TestAnOverlayOfASuccessor:
    def test_compare_with_the_older_standard_goes_through_replaces(
        self, tmp_path: Path, minis: Path
    ) -> None:
        """1.0 against the overlay of 2.0: PART-02 → PART-03, TRN-01 and TRN-02 → TRN-10."""
        old_book = filler.filled_path(tmp_path, "old.xlsx")
        old = audit_json(old_book, tmp_path / "old.json", minis)
        moved = tmp_path / "new.xlsx"
        migrated = run(
            "migrate", str(old_book), "--to", "mini-state@1.0", "-o", str(moved),
            "--format", "json", standards=minis,
        )  # fmt: skip
        assert migrated.exit_code == ExitCode.OK, migrated.output
        book = load_workbook(moved)
        sheet = book["Evidence"]
        for row in sheet.iter_rows(min_row=2):
            if row[0].value in ("TRN-10", "TRN-11"):
                for cell in row:
                    header = sheet.cell(filler.L.HEADER_ROW, cell.column).value
                    if header == "Self rating":
                        cell.value = "Met"
                    elif header == "Evidence summary":
                        cell.value = "Roster and agenda."
        book.save(moved)
        new = audit_json(moved, tmp_path / "new.json", minis)

        result = compared(old, new, minis)

        changes = {tuple(c["old_ids"]): tuple(c["new_ids"]) for c in result["id_changes"]}
        assert changes == {("PART-02",): ("PART-03",), ("TRN-01", "TRN-02"): ("TRN-10",)}
        assert "through the `replaces` lists of mini-state@1.0" in result["standards_note"]
        moves = json.loads(migrated.stdout)["carried"]
        carried = {c["requirement_id"]: c["sources"] for c in moves}
        assert carried["PART-03"] == ["PART-02"] and carried["TRN-10"] == ["TRN-01", "TRN-02"]

    def test_the_overlay_and_its_base_pair_by_id(self, minis: Path) -> None:
        """Mini 2.0 and its overlay: each requirement continues itself."""
        store = StandardsStore((minis,))
        two = find_standard("mini-standard@2.0", store=store)
        overlay = find_standard("mini-state@1.0", store=store)
        one = find_standard("mini-standard@1.0", store=store)

        assert predecessors(two, overlay) == {i: (i,) for i in predecessors(two, overlay)}
        assert predecessors(overlay, two) == {i: (i,) for i in predecessors(overlay, two)}
        assert supersedes(overlay, one) and not supersedes(overlay, two)

    def test_two_overlays_of_successive_versions_go_through_replaces(
        self, tmp_path: Path, minis: Path
    ) -> None:
        """migrate from an overlay of 1.0 to the overlay of 2.0: through 2.0's `replaces:`."""
        county = tmp_path / "county.xlsx"
        first = run(
            "migrate", str(filler.filled_path(tmp_path)), "--to", "mini-county@1.0",
            "-o", str(county), standards=minis,
        )  # fmt: skip
        assert first.exit_code == ExitCode.OK, first.output

        result = run(
            "migrate", str(county), "--to", "mini-state@1.0", "-o", str(tmp_path / "state.xlsx"),
            "--format", "json", standards=minis,
        )  # fmt: skip

        assert result.exit_code == ExitCode.OK, result.output
        moves = {c["requirement_id"]: c["sources"] for c in json.loads(result.stdout)["carried"]}
        assert moves == {
            "PART-01": ["PART-01"], "PART-03": ["PART-02"], "TRN-10": ["TRN-01", "TRN-02"]
        }  # fmt: skip
