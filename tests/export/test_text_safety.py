"""The output-safety helpers every writer uses on workbook text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citcert._words import span
from citcert.audit.assessment import RatingSource, Status
from citcert.export.html._env import isolate_bidi
from citcert.export.wording import (
    FORMULA_TRIGGERS,
    REPLACEMENT,
    clean,
    level_words,
    mode_words,
    neutralise_formula,
    pdf_escape,
    plural,
    replace_unsupported,
    shorten,
    source_words,
    status_words,
)
from citcert.workbook.evidence import Mode

# Any text, lone surrogates and control characters included, as JSON or a workbook could hold.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=60)


class TestClean:
    """Characters no output can hold are removed; line breaks are unified."""

    def test_control_characters_are_dropped(self) -> None:
        """NUL, BEL, ESC, DEL and C1 controls disappear; the words stay."""
        assert clean("a\x00b\x07c\x1bd\x7fe\x85f") == "abcdef"

    def test_tabs_and_line_breaks_are_kept_and_unified(self) -> None:
        """Tab and line feed stay; CRLF and CR become a line feed."""
        assert clean("a\tb\r\nc\rd\ne") == "a\tb\nc\nd\ne"

    def test_lone_surrogates_become_visible_replacements(self) -> None:
        """A lone surrogate cannot be encoded, so it becomes U+FFFD where it was."""
        assert clean("a\ud800b") == f"a{REPLACEMENT}b"

    @given(ANY_TEXT)
    def test_result_always_encodes(self, text: str) -> None:
        """Whatever goes in, what comes out encodes as UTF-8 and holds no control character."""
        out = clean(text)

        out.encode("utf-8")
        assert not any(ord(c) < 32 and c not in "\t\n" for c in out)


class TestNeutraliseFormula:
    """Text a spreadsheet could read as a formula gets a leading single quote."""

    @pytest.mark.parametrize(
        "text",
        ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x","y")', "＝1+1"],
    )
    def test_formula_starts_are_quoted(self, text: str) -> None:
        """Each OWASP trigger (and the full-width equals) is prefixed with a single quote."""
        assert neutralise_formula(text) == "'" + clean(text)

    @pytest.mark.parametrize("text", ["Policy 12", "a = b", "", " =1", "'quoted"])
    def test_other_text_is_unchanged(self, text: str) -> None:
        """Text that does not start with a trigger is left alone."""
        assert neutralise_formula(text) == text

    def test_control_character_cannot_hide_a_formula(self) -> None:
        """A control character before ``=`` is dropped first, so the ``=`` is still caught."""
        assert neutralise_formula("\x00=1+1") == "'=1+1"

    @given(ANY_TEXT)
    def test_never_starts_with_a_trigger(self, text: str) -> None:
        """No input gives output that a spreadsheet would read as a formula."""
        out = neutralise_formula(text)

        assert not out or out[0] not in FORMULA_TRIGGERS


class TestPdfEscape:
    """Text becomes reportlab paragraph markup that shows it exactly as typed."""

    def test_markup_characters_are_escaped(self) -> None:
        """``<``, ``>`` and ``&`` become entities, so tags typed in a cell are not obeyed."""
        assert pdf_escape("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"

    def test_line_breaks_become_breaks(self) -> None:
        """Each line break, whatever its form, becomes ``<br/>``."""
        assert pdf_escape("a\nb\r\nc") == "a<br/>b<br/>c"

    @settings(max_examples=60, deadline=None)
    @given(ANY_TEXT)
    def test_no_text_changes_the_paragraph_style(self, text: str) -> None:
        """Parsed by reportlab, escaped text never changes font, size or colour."""
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph

        style = ParagraphStyle("t", fontName="Helvetica", fontSize=9)
        para = Paragraph(pdf_escape(text), style)

        assert {(f.fontName, f.fontSize, str(f.textColor)) for f in para.frags} <= {
            ("Helvetica", 9, str(style.textColor))
        }


class TestReplaceUnsupported:
    """Characters a font lacks are replaced visibly and reported."""

    def test_missing_characters_are_replaced_and_reported(self) -> None:
        """CJK outside a Latin font becomes U+FFFD; the set names what was replaced."""
        shown, missing = replace_unsupported("a中b", lambda point: point < 128)

        assert shown == f"a{REPLACEMENT}b"
        assert missing == frozenset("中")

    def test_invisible_joiners_are_dropped(self) -> None:
        """Variation selectors and joiners the font lacks are dropped, not replaced."""
        shown, missing = replace_unsupported("a\ufe0f\u200db", lambda point: point < 128)

        assert (shown, missing) == ("ab", frozenset())


class TestWording:
    """Counts and cut text read plainly."""

    @pytest.mark.parametrize(("count", "expected"), [(0, "0 gaps"), (1, "1 gap"), (3, "3 gaps")])
    def test_plural(self, count: int, expected: str) -> None:
        """One is singular; zero and more are plural."""
        assert plural(count, "gap") == expected

    @pytest.mark.parametrize(
        ("days", "expected"),
        [
            (1, "1 day"),
            (45, "45 days"),
            (182, "182 days (about 6 months)"),
            (365, "365 days (1 year)"),
            (1095, "1,095 days (3 years)"),
            (400, "400 days"),
            (364, "364 days (about 1 year)"),
            (1096, "1,096 days (about 3 years)"),
            (730, "730 days (2 years)"),
        ],
    )
    def test_span(self, days: int, expected: str) -> None:
        """A span keeps its days and adds whole years or about so many months where it is one."""
        assert span(days) == expected

    def test_irregular_plural(self) -> None:
        """An irregular plural can be given."""
        assert plural(2, "policy", "policies") == "2 policies"

    def test_shorten_says_how_much_is_left_out(self) -> None:
        """Text over the limit is cut and ends by saying how many characters were left out."""
        assert shorten("abcdefgh", 3) == "abc… [5 more characters]"
        assert shorten("abc", 3) == "abc"

    def test_every_enum_value_has_words(self) -> None:
        """Every mode, rating source and status has its own plain wording."""
        for words, members in (
            (mode_words, Mode),
            (source_words, RatingSource),
            (status_words, Status),
        ):
            texts = [words(m) for m in members]

            assert all(texts)
            assert len(set(texts)) == len(texts)

    def test_level_ids_read_as_words(self) -> None:
        """A level id reads as words; no level reads as nothing."""
        assert level_words("partially_met") == "Partially met"
        assert level_words(None) == ""


class TestIsolateBidi:
    """A bidi control typed into a workbook acts only inside its own value in the HTML."""

    def test_plain_text_is_unchanged(self) -> None:
        """Text without bidi controls (Arabic and Hebrew included) is left as it is."""
        assert isolate_bidi("Metro CIT — برنامج") == "Metro CIT — برنامج"

    def test_an_override_is_closed_inside_an_isolate(self) -> None:
        """RLO without its PDF gets one, and the whole value is wrapped in FSI … PDI."""
        assert isolate_bidi("abc\u202edef") == "\u2068abc\u202edef\u202c\u2069"

    def test_a_stray_closer_is_dropped(self) -> None:
        """A PDI or PDF with nothing to close would close the wrapping isolate: it goes."""
        assert isolate_bidi("a\u2069b\u202cc") == "\u2068abc\u2069"

    def test_nested_openers_are_closed_in_order(self) -> None:
        """An isolate inside an override is closed first, then the override."""
        assert isolate_bidi("\u202ea\u2067b") == "\u2068\u202ea\u2067b\u2069\u202c\u2069"

    @given(st.text(st.sampled_from("ab\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")))
    def test_every_opener_is_closed_and_nothing_closes_early(self, text: str) -> None:
        """Whatever the mix, the result never goes below depth zero and ends at depth zero."""
        out = isolate_bidi(text)
        wrapped = out != text  # text with no control is left alone, so never wrapped
        depth = 0
        for place, char in enumerate(out, start=1):
            depth += char in "\u202a\u202b\u202d\u202e\u2066\u2067\u2068"
            depth -= char in "\u202c\u2069"
            assert depth >= 0 and (depth > 0 or place == len(out) or not wrapped)
        assert depth == 0
        assert [c for c in out if c in "ab"] == [c for c in text if c in "ab"]
