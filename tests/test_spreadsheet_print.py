"""
How every workbook citcert writes sizes its rows and prints (`citcert._spreadsheet`).

The estimate is checked against LibreOffice itself in tests/export/test_office_render.py; here,
what it must do whatever the program: bold and large text need more room, a merged cell wraps
across its columns, a sheet too wide for one page at 8 pt repeats its first column.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment

from citcert._spreadsheet import (
    FONT_NAME,
    ONE_PAGE_WIDE,
    fit_row_height,
    font,
    print_header,
    print_readable,
    text_width,
    wrapped_lines,
)


def _sheet(*widths: float) -> Any:
    """A sheet with columns of these widths (each holding a value far down, as sheets do)."""
    sheet = Workbook().active
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[chr(64 + column)].width = width
        sheet.cell(row=100, column=column, value=1)
    return sheet


def _wrapped(sheet: Any, cell: str, text: str, **style: Any) -> Any:
    sheet[cell] = text
    sheet[cell].alignment = Alignment(wrap_text=True, vertical="top")
    sheet[cell].font = font(**style)
    return sheet[cell]


class TestRowHeights:
    """A row gets the height its tallest cell's text needs."""

    def test_a_bold_header_that_wraps_gets_two_lines(self) -> None:
        """'Reviewer rating', bold in a 14-wide column, wraps in print: its row is two lines."""
        sheet = _sheet(14)
        _wrapped(sheet, "A1", "Reviewer rating", bold=True)
        _wrapped(sheet, "A2", "Reviewer rating")
        fit_row_height(sheet, 1)
        fit_row_height(sheet, 2)

        assert sheet.row_dimensions[1].height > sheet.row_dimensions[2].height
        assert wrapped_lines("Reviewer rating", 13.5, bold=True) == 2

    def test_larger_type_needs_a_taller_row(self) -> None:
        """The same short text at 14 pt takes a taller row than at 11 pt."""
        sheet = _sheet(40)
        _wrapped(sheet, "A1", "Not certified", size=14)
        _wrapped(sheet, "A2", "Not certified")
        fit_row_height(sheet, 1)
        fit_row_height(sheet, 2)

        assert sheet.row_dimensions[1].height > sheet.row_dimensions[2].height

    def test_the_tallest_cell_sets_the_height(self) -> None:
        """A row holding a short and a long text is as tall as the long one needs."""
        long = "The committee meets and its minutes are thorough. " * 6
        sheet = _sheet(10, 30)
        _wrapped(sheet, "A1", "PART-01")
        _wrapped(sheet, "B1", long)
        fit_row_height(sheet, 1)

        assert sheet.row_dimensions[1].height >= 14.5 * wrapped_lines(long, 29.5)
        assert wrapped_lines(long, 29.5) >= 10

    def test_a_merged_cell_wraps_across_its_columns(self) -> None:
        """A sentence merged across three columns needs fewer lines than in the first alone."""
        sentence = "Over 2 requirements rated by every rater: exact agreement 50%, within one 100%."
        merged, alone = _sheet(14, 36, 36), _sheet(14, 36, 36)
        for sheet in (merged, alone):
            _wrapped(sheet, "A1", sentence)
        merged.merge_cells("A1:C1")
        fit_row_height(merged, 1)
        fit_row_height(alone, 1)

        assert merged.row_dimensions[1].height < alone.row_dimensions[1].height
        assert merged.row_dimensions[1].height == 14.5 + 4

    def test_no_row_is_taller_than_a_spreadsheet_allows(self) -> None:
        """A 5,000-character cell gets Excel's tallest row, 409 pt, and no more."""
        sheet = _sheet(20)
        _wrapped(sheet, "A1", "Ride-alongs documented weekly. " * 160)
        fit_row_height(sheet, 1)

        assert sheet.row_dimensions[1].height == 409


class TestTextWidth:
    """How wide text prints, in column-width units, erring wide."""

    def test_wide_letters_and_symbols_count_for_more(self) -> None:
        """m and < print wider than i; capitals wider than small letters; bold a tenth wider."""
        assert text_width("mmmm") > text_width("nnnn") > text_width("iiii")
        assert text_width("<=>") > text_width("abc")
        assert text_width("ABC") > text_width("abc")
        assert text_width("abc", bold=True) == 1.1 * text_width("abc")

    def test_east_asian_characters_are_two_digits_wide(self) -> None:
        """A CJK character takes the room of two digits."""
        assert text_width("危机干预") == 2 * text_width("0000")

    def test_a_line_may_break_after_a_hyphen(self) -> None:
        """'2024-02-02 to 2024-03-31' breaks at its hyphens rather than letter by letter."""
        assert wrapped_lines("2024-02-02", 6) == 2

    def test_a_word_wider_than_the_line_breaks(self) -> None:
        """A 60-letter word in a 10-wide column takes at least six lines."""
        assert wrapped_lines("x" * 60, 10) >= 6

    def test_each_paragraph_starts_a_line(self) -> None:
        """Three short paragraphs take three lines."""
        assert wrapped_lines("one\ntwo\nthree", 40) == 3


class TestPrint:
    """Landscape, shrunk no further than 8 pt, a first column repeated on wider sheets."""

    def test_a_sheet_one_page_wide_at_full_size_is_not_shrunk(self) -> None:
        """The Summary's two columns (28 and 75) print at 100%, one page wide."""
        sheet = _sheet(28, 75)
        print_readable(sheet, title_columns=None)

        assert sheet.page_setup.scale == 100
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.print_title_cols is None

    def test_a_sheet_of_one_page_at_8_pt_is_shrunk_to_fit(self) -> None:
        """A sheet of `ONE_PAGE_WIDE` units prints one page wide at 73% (8-pt text)."""
        sheet = _sheet(ONE_PAGE_WIDE - 43, 43)
        print_readable(sheet)

        assert sheet.page_setup.scale == 73
        assert sheet.print_title_cols is None

    def test_a_wider_sheet_repeats_its_first_column(self) -> None:
        """A sheet too wide for one page at 8 pt prints across pages, repeating column A."""
        sheet = _sheet(10, 50, 50, 50)
        print_readable(sheet)

        assert sheet.page_setup.scale == 73
        assert sheet.print_title_cols == "$A:$A"

    def test_a_page_header_has_room_above_the_sheet(self) -> None:
        """A printed header sits in a margin of its own; an ampersand prints as one."""
        sheet = _sheet(10)
        print_readable(sheet)
        print_header(sheet, "DRAFT & not final")

        assert sheet.oddHeader.center.text == "DRAFT && not final"
        assert sheet.page_margins.top - sheet.page_margins.header >= 0.5

    def test_every_font_names_the_typeface(self) -> None:
        """A font with no name prints in LibreOffice as a much wider serif; ours are named."""
        assert font(bold=True).name == FONT_NAME == "Calibri"
