"""The pure normalisation of cell values: ratings, numbers, percentages, dates and text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citcert.standards.model import Standard
from citcert.workbook.evidence import NotApplicableAnswer, Rated, Unanswered
from citcert.workbook.ratings import (
    Invalid,
    clean_text,
    parse_amount,
    parse_answer,
    parse_date,
    parse_number,
    parse_percent,
    parse_text,
    parse_whole,
    split_documents,
)


class TestAnswers:
    """Ratings as people type them."""

    @pytest.mark.parametrize(
        ("raw", "level"),
        [
            ("Met", "met"),
            ("  met ", "met"),
            ("MET", "met"),
            ("Partially   met", "partially_met"),
            ("partially-met", "partially_met"),
            ("partially_met", "partially_met"),
            ("Yes", "met"),
            ("partly met", "partially_met"),
            ("no", "not_met"),
        ],
    )
    def test_labels_ids_and_aliases_are_forgiven(
        self, mini_standard: Standard, raw: str, level: str
    ) -> None:
        """Case, spacing, dashes, level ids and the scale's aliases all name their level."""
        answer = parse_answer(raw, mini_standard.scoring.scale)

        assert Rated(level=level) == answer

    @pytest.mark.parametrize("raw", ["Not applicable", "N/A", "n/a", "NA", "n.a."])
    def test_not_applicable_spellings_carry_the_reason(
        self, mini_standard: Standard, raw: str
    ) -> None:
        """Every not-applicable spelling gives the explicit variant, with the reason given."""
        answer = parse_answer(raw, mini_standard.scoring.scale, reason="No schools.")

        assert NotApplicableAnswer(reason="No schools.") == answer

    @pytest.mark.parametrize("raw", [None, "", "   "])
    def test_empty_cells_are_unanswered(self, mini_standard: Standard, raw: object) -> None:
        """An empty or blank cell is the explicit unanswered variant, not an error."""
        assert Unanswered() == parse_answer(raw, mini_standard.scoring.scale)

    def test_unknown_text_lists_the_choices_and_suggests_one(self, mini_standard: Standard) -> None:
        """A typo is refused with the accepted labels and the closest one."""
        answer = parse_answer("Yess", mini_standard.scoring.scale)

        assert isinstance(answer, Invalid)
        assert answer.message == (
            '"Yess" is not one of Met, Partially met, Not met, Not applicable (did you mean "Met"?)'
        )

    def test_unrelated_text_gets_no_suggestion(self, mini_standard: Standard) -> None:
        """Text close to nothing is refused without a misleading suggestion."""
        answer = parse_answer("We are working on it", mini_standard.scoring.scale)

        assert isinstance(answer, Invalid)
        assert "did you mean" not in answer.message


class TestNumbers:
    """Numbers typed as numbers or as text."""

    @pytest.mark.parametrize(
        ("raw", "value"),
        [(1200, 1200.0), (12.5, 12.5), ("1,200", 1200.0), (" 1 200 ", 1200.0), ("12.5", 12.5)],
    )
    def test_numbers_typed_as_text_are_read(self, raw: object, value: float) -> None:
        """Thousands separators and spaces do not stop a number being read."""
        assert value == parse_number(raw)

    @pytest.mark.parametrize("raw", ["lots", "12,34", True, "#DIV/0!", "1.2.3"])
    def test_non_numbers_are_refused(self, raw: object) -> None:
        """Text that is not a number is refused, quoted in the message."""
        result = parse_number(raw)

        assert isinstance(result, Invalid)
        assert "is not a number" in result.message

    def test_negative_amounts_are_refused(self) -> None:
        """A count cannot be negative."""
        result = parse_amount(-5)

        assert Invalid('"-5" is negative; enter 0 or more') == result

    def test_whole_numbers_refuse_fractions(self) -> None:
        """A count of officers is whole; 12.5 is refused, 12.0 accepted as 12."""
        assert parse_whole(12.0) == 12
        assert Invalid('"12.5" is not a whole number') == parse_whole(12.5)


class TestPercentages:
    """Percentages however they were typed."""

    @pytest.mark.parametrize(
        ("raw", "percent_format", "value"),
        [
            ("25%", False, 25.0),
            ("25 %", False, 25.0),
            ("0.25", False, 25.0),
            ("25", False, 25.0),
            (25, False, 25.0),
            (0.25, False, 25.0),
            (0.25, True, 25.0),
            (1, True, 100.0),
            (1, False, 1.0),
            ("0.5%", False, 0.5),
            (0, False, 0.0),
        ],
    )
    def test_percentages_are_read_as_people_mean_them(
        self, raw: object, percent_format: bool, value: float
    ) -> None:
        """25%, 25 and 0.25 all mean 25; a %-formatted cell holds a fraction."""
        assert value == pytest.approx(parse_percent(raw, percent_format=percent_format))

    def test_above_one_hundred_is_refused(self) -> None:
        """A share cannot exceed 100%."""
        assert Invalid('"120%" is more than 100%') == parse_percent("120%")

    def test_text_is_refused_as_a_percentage(self) -> None:
        """Words in a percentage cell are refused."""
        assert Invalid('"about half" is not a percentage') == parse_percent("about half")


class TestDates:
    """Dates as cells, ISO text, US text and Excel serial numbers."""

    @pytest.mark.parametrize(
        "raw",
        [
            dt.date(2024, 3, 31),
            dt.datetime(2024, 3, 31, 0, 0),
            "2024-03-31",
            "03/31/2024",
            "3/31/2024",
            45382,
        ],
    )
    def test_every_usual_form_gives_the_date(self, raw: object) -> None:
        """A date cell, ISO text, US text and a serial number all read as 31 March 2024."""
        assert dt.date(2024, 3, 31) == parse_date(raw)

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            (
                "31/03/2024",
                '"31/03/2024" is written day first, but dates typed as text are read month '
                "first (MM/DD/YYYY); if 31 is the day, write 2024-03-31. Check the other dates "
                "typed this way: one whose day is 12 or less is read month first",
            ),
            (
                "30/02/2024",
                '"30/02/2024" is not a real date; write dates like 2024-03-31 or 03/31/2024',
            ),
            (
                "13/13/2024",
                '"13/13/2024" is not a real date; write dates like 2024-03-31 or 03/31/2024',
            ),
            (
                "2024-02-30",
                '"2024-02-30" is not a real date; write dates like 2024-03-31 or 03/31/2024',
            ),
            (
                "last spring",
                '"last spring" is not a date; write dates like 2024-03-31 or 03/31/2024',
            ),
            (7, '"7" is not a date; write dates like 2024-03-31 or 03/31/2024'),
        ],
    )
    def test_impossible_dates_are_refused_with_the_expected_form(
        self, raw: object, message: str
    ) -> None:
        """Day-first dates, impossible days and small numbers are refused, with the usual form."""
        assert Invalid(message) == parse_date(raw)


class TestText:
    """Cell text is data."""

    def test_control_characters_go_newlines_and_unicode_stay(self) -> None:
        """Control characters are removed; newlines, tabs and any script are kept."""
        raw = "Bonjour\x07 l'équipe\r\n名前\tok\x00 \u200b"

        assert clean_text(raw) == "Bonjour l'équipe\n名前\tok \u200b"

    def test_numbers_in_text_cells_read_as_typed(self) -> None:
        """A whole number in a text column loses Excel's trailing .0."""
        assert clean_text(2024.0) == "2024"

    def test_text_longer_than_excel_allows_is_refused(self) -> None:
        """More than 32,767 characters cannot come from Excel and is refused, not cut."""
        result = parse_text("x" * 32_768)

        assert isinstance(result, Invalid)
        assert "32,768 characters" in result.message

    def test_documents_split_on_lines_and_semicolons(self) -> None:
        """Document references are one per line or separated by semicolons."""
        assert split_documents("A\n\nB; C;") == ("A", "B", "C")

    @given(st.text())
    def test_clean_text_never_keeps_control_characters(self, text: str) -> None:
        """Whatever is typed, no control character other than newline and tab survives."""
        cleaned = clean_text(text)

        assert not any(ord(c) < 32 and c not in "\n\t" for c in cleaned)
        assert "\x7f" not in cleaned

    @given(st.floats(min_value=0, max_value=100, allow_nan=False))
    def test_a_percentage_typed_with_a_percent_sign_reads_back(self, value: float) -> None:
        """Any share from 0 to 100 typed as ``N%`` reads as N."""
        typed = f"{value:.2f}%"

        assert float(typed[:-1]) == pytest.approx(parse_percent(typed))
