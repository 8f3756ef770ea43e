"""The terminal summary: decision, score bars, core gaps, first steps; coloured but safe."""

from __future__ import annotations

import datetime as dt

import click
import pytest

from citcert.audit.scoring import assess
from citcert.export import terminal
from citcert.standards.model import Standard
from tests.audit.builders import ALL_MET, GOOD_NUMBERS, make_evidence, sample_evidence


@pytest.fixture(scope="module")
def styled(mini_standard: Standard) -> str:
    """The terminal summary of the mixed review, with its colour codes."""
    return terminal.render(assess(mini_standard, sample_evidence(mini_standard))).decode("utf-8")


def test_the_summary_reads_in_order(styled: str) -> None:
    """Program, standard line, decision and sentence, bars, core gaps, then the next steps."""
    lines = click.unstyle(styled).splitlines()
    assert lines[0] == "Riverside & Lake County CIT — Riverside County, OH"
    assert lines[1] == (
        "Mini CIT standard for tests (mini-standard@1.0) · review · as of 2024-06-01"
    )
    assert lines[3] == " NOT CERTIFIED "
    assert lines[4].startswith("Not certified: overall 50% is below 60%")
    assert lines[5] == (
        "This decision is citcert's own reading of mini-standard@1.0; it is not a certification "
        "by CIT International or by any other body."
    )
    text = "\n".join(lines)
    assert "Core gaps (2)\n  ✗ PART-01  Steering committee: Partially met" in text
    assert "Next steps (first 3 of 4)\n  1. PART-01 Steering committee: Charter a committee" in text
    assert "     Program coordinator, by 2024-08-30 (medium effort)" in text
    assert text.endswith("lift the decision to “Conditionally certified”.")


def test_each_domain_has_a_score_bar(styled: str) -> None:
    """One bar of 20 cells per domain and one for the overall score, filled to the score."""
    bars = [line for line in click.unstyle(styled).splitlines() if "░" in line or "█" in line]
    assert len(bars) == 3
    overall, part, training = bars
    assert overall.split()[:2] == ["Overall", "50%"]
    assert part.count("█") + part.count("░") == 20
    assert training.split()[:2] == ["Training", "50%"] and training.count("█") == 10


def test_the_decision_is_in_its_levels_colour(styled: str) -> None:
    """The decision label uses the standard's colour for the level (#B3261E, true colour)."""
    assert "\x1b[48;2;179;38;30m" in styled


def test_a_domain_below_the_bar_says_so(mini_standard: Standard) -> None:
    """At conditional, the bars show certified's 60% domain minimum and flag a domain below it."""
    numbers = {**GOOD_NUMBERS, "last_committee_meeting": dt.date(2024, 2, 1)}
    ev = make_evidence(mini_standard, {**ALL_MET, "PART-01": "not_met"}, numbers=numbers)
    a = assess(mini_standard, ev)
    assert a.decision.level_id == "conditional"
    lines = click.unstyle(terminal.render(a).decode()).splitlines()
    part = next(line for line in lines if line.strip().startswith("Partnerships"))
    training = next(line for line in lines if line.strip().startswith("Training"))
    assert part.split()[1] == "33.3%" and part.endswith("█░░░░░░░░░░░░░  below the 60% minimum")
    assert training.endswith("████")


def test_control_characters_from_the_workbook_are_shown_as_codes(mini_standard: Standard) -> None:
    """An escape sequence in the program name cannot reach the console: it shows as codes."""
    ev = make_evidence(mini_standard, program_name="Evil\x1b[2J\x07 CIT")
    text = terminal.render(assess(mini_standard, ev)).decode()
    assert "\x1b[2J" not in text and "\x07" not in text
    assert click.unstyle(text).splitlines()[0].startswith("Evil\\u001b[2J\\u0007 CIT")


def test_a_program_without_gaps(mini_standard: Standard) -> None:
    """All met: certified, no core gaps section, no steps."""
    a = assess(mini_standard, make_evidence(mini_standard))
    text = click.unstyle(terminal.render(a).decode())
    assert " CERTIFIED " in text
    assert "No gaps: every applicable requirement is met." in text
    assert "Next steps" not in text


def _bar_line(text: str, name: str) -> str:
    return next(line for line in text.splitlines() if click.unstyle(line).strip().startswith(name))


def test_a_domain_short_of_the_standards_minimum_is_red_not_green(styled: str) -> None:
    """Not certified, at 50%: the bar is judged by certified's 60% line, so it is red."""
    green, red = "\x1b[38;2;27;127;59m", "\x1b[38;2;179;38;30m"
    line = _bar_line(styled, "Training")
    assert red in line and green not in line
    assert "below the 60% minimum" in click.unstyle(line)


def test_domain_names_use_the_terminal_width(mini_standard: Standard) -> None:
    """A long domain title is cut at 80 columns but shown whole at 200 (COLUMNS=200)."""
    a = assess(mini_standard, sample_evidence(mini_standard))
    long = "Partnerships, governance and the community behind the program"
    domains = tuple(d.model_copy(update={"title": long}) for d in a.domains)
    a = a.model_copy(update={"domains": domains})
    wide = _bars_of(terminal.render(a, columns=200).decode())
    narrow = _bars_of(terminal.render(a, columns=80).decode())
    assert long in wide
    assert long not in narrow and "Partnerships, governance an…" in narrow


def _bars_of(text: str) -> str:
    return "\n".join(line for line in click.unstyle(text).splitlines() if "░" in line)


def test_columns_come_from_the_environment(
    mini_standard: Standard, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no width given, ``COLUMNS`` sets it, as in a terminal."""
    a = assess(mini_standard, sample_evidence(mini_standard))
    long = "Partnerships, governance and the community behind the program"
    a = a.model_copy(
        update={"domains": tuple(d.model_copy(update={"title": long}) for d in a.domains)}
    )
    monkeypatch.setenv("COLUMNS", "200")
    assert long in _bars_of(terminal.render(a).decode())
