"""
The roll-up PDF of a real 30-workbook batch read back, and the PDF tables' page breaks.

A state office's document: a chart of decisions and of the most common gaps, one domain-score
table per page that holds every domain (ids as headers, with a key), programs of one name told
apart by jurisdiction and file; and no page of any citcert PDF holds a lone table row.
"""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from benchmarks import workload
from citcert.audit.rollup import Rollup
from citcert.cli import cli
from citcert.export.pdf import kit
from citcert.export.rollup.pdf import domain_chunks, render_pdf
from citcert.standards.loader import load_file
from citcert.standards.registry import builtin_dir

SHARED = "Benchmark Program 0003"


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Rollup, list[str]]:
    """30 workbooks of the 13-domain standard, two programs called `SHARED`; pages as text."""
    root = tmp_path_factory.mktemp("state")
    standard = load_file(builtin_dir() / "cit-best-practice-2019.1.yaml")
    bases = workload.variants(standard, 3)
    workload.write_folder(root / "in", bases, 30)
    (root / "in" / "program-0013.xlsx").write_bytes(workload.renamed(bases[1], 3))
    out = root / "out"
    args = ["batch", str(root / "in"), "-o", str(out), "--format", "json", "-j", "2", "-q"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    pdf = (out / "summary.pdf").read_bytes()
    rollup = Rollup.model_validate_json((out / "summary.json").read_bytes())
    assert pdf == render_pdf(rollup)
    return rollup, [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_every_domain_table_page_shows_all_13_domains(batch: tuple[Rollup, list[str]]) -> None:
    """No page of domain scores is a one-column remnant: each has every domain's id as header."""
    rollup, pages = batch
    ids = [d.domain_id for d in rollup.domains]
    header = "\n".join(["Program", *ids])
    score_pages = [p for p in pages if re.search(r" · program-\d{4}\.xlsx", p)]

    assert len(ids) == 13
    assert len(score_pages) >= 2
    assert all(header in page for page in score_pages)
    key = next(p for p in pages if "Domain scores (%)" in p)
    assert all(f"{d.domain_id}\n{d.title}" in key for d in rollup.domains)


def test_programs_of_one_name_are_told_apart_by_jurisdiction_and_file(
    batch: tuple[Rollup, list[str]],
) -> None:
    """Both programs called `SHARED` carry their own file (and jurisdiction) in the scores."""
    rollup, pages = batch
    text = "\n".join(pages)
    twins = [r for r in rollup.rows if r.program == SHARED]

    assert [r.file for r in twins] == ["program-0003.xlsx", "program-0013.xlsx"]
    for row in twins:
        assert f"{SHARED}\n{row.jurisdiction} · {row.file}" in text


def test_the_figures_read_back_beside_their_program_in_the_bundled_font(
    batch: tuple[Rollup, list[str]],
) -> None:
    """
    A program's domain scores, drawn as plain text rather than paragraphs, still follow its name
    in the text, one per domain; and every page uses the bundled fonts alone (a plain-text cell
    without its font would fall back to reportlab's Helvetica, which cannot draw every letter).
    """
    rollup, pages = batch
    text = "\n".join(pages)
    row = next(r for r in rollup.rows if r.audited and len(set(r.domain_scores.values())) > 2)
    scores = [row.domain_scores.get(d.domain_id) for d in rollup.domains]
    cells = "\n".join(f"{s:.1f}" for s in scores if s is not None)  # an empty cell shows nothing
    assert f"{row.jurisdiction} · {row.file}\n{cells}" in text

    drawn_in: set[str] = set()
    figure_sizes: set[float] = set()

    def visit(shown: str, _cm: object, _tm: object, font: object, size: object) -> None:
        if shown.strip() and isinstance(font, dict):
            drawn_in.add(str(font.get("/BaseFont")))
        if re.fullmatch(r"\d{1,3}\.\d", shown.strip()) and isinstance(size, int | float):
            figure_sizes.add(float(size))

    for page in PdfReader(io.BytesIO(render_pdf(rollup))).pages:
        page.extract_text(visitor_text=visit)
    assert drawn_in, "the pages draw text"
    assert all("DejaVuSans" in name for name in drawn_in), drawn_in
    assert figure_sizes == {kit.paragraph_styles()["small"].fontSize}


def test_a_row_of_figures_is_as_tall_as_a_row_of_one_line_paragraphs() -> None:
    """Figures drawn as plain text take the small style's leading, so pages break as before."""
    from citcert.export.rollup.pdf import _figures

    ink = kit.Ink(kit.font_coverage())
    head = [ink.para("Score", "th")]
    figures = kit.table([head, ["83.3"]], [60.0], extra=_figures(ink))
    paragraphs = kit.table([head, [ink.para("83.3", "small")]], [60.0])
    for each in (figures, paragraphs):
        each.wrap(60.0, 500.0)
    assert figures._rowHeights == paragraphs._rowHeights


def test_the_first_page_charts_decisions_and_the_most_common_gaps(
    batch: tuple[Rollup, list[str]],
) -> None:
    """Bar charts: a label and a count per decision, the top gaps, and the bars as rectangles."""
    rollup, pages = batch
    first = pages[0]
    reader = PdfReader(io.BytesIO(render_pdf(rollup)))
    drawn = reader.pages[0].get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]

    assert "Programs by decision" in first
    assert "The 10 most common gaps" in first
    assert all(d.label in first for d in rollup.decisions)
    top = rollup.requirements[0]
    assert f"{top.requirement_id} ·" in first
    bars = sum(1 for d in rollup.decisions if d.programs) + 10  # each top gap has programs
    assert drawn.count(" re ") >= len(rollup.decisions) + 10 + bars  # a track and a bar each


@pytest.mark.parametrize("domains", range(1, 41))
def test_domains_are_shared_evenly_between_tables_that_fit(domains: int) -> None:
    """However many domains, the tables differ by at most one column and each fits the page."""
    ids = [f"DOM{n:02d}" for n in range(domains)]
    chunks = domain_chunks(ids, 720.0)
    sizes = [len(c) for c in chunks]

    assert [i for c in chunks for i in c] == ids
    assert max(sizes) - min(sizes) <= 1
    assert len(chunks) == 1 or min(sizes) >= 2


def _pages_of(rows: int, filler: float, row_text: str = "row") -> list[str]:
    """A letter page: a spacer of `filler` points, then a house table of `rows` body rows."""
    from reportlab.platypus import SimpleDocTemplate, Spacer

    ink = kit.Ink(kit.font_coverage())
    body = [[ink.para(f"{row_text}-{n:02d}", "small"), ink.para("x " * 40, "small")]
            for n in range(rows)]  # fmt: skip
    table = kit.table([[ink.para("Head", "th"), ink.para("Text", "th")], *body], [100, 300])
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=(kit.PAGE_W, kit.PAGE_H), invariant=1)
    doc.build([Spacer(1, filler), table])
    return [page.extract_text() for page in PdfReader(io.BytesIO(out.getvalue())).pages]


@pytest.mark.parametrize("filler", [float(f) for f in range(400, 640, 6)])
def test_no_page_holds_a_lone_row_of_a_table(filler: float) -> None:
    """Wherever the table starts, each page holds two rows or more of it (never one alone)."""
    pages = _pages_of(6, filler)
    counts = [len(re.findall(r"row-\d\d", page)) for page in pages]

    assert sorted({m for p in pages for m in re.findall(r"row-\d\d", p)}) == [
        f"row-{n:02d}" for n in range(6)
    ]
    assert all(count == 0 or count >= 2 for count in counts), counts


def test_a_row_split_across_pages_names_itself_where_it_goes_on() -> None:
    """
    A cell of some 20,000 characters splits inside its row over several pages; each later
    page's part of it starts with the row's first cell and "(continued)" once, not a blank,
    so its reader knows whose text it is.
    """
    from reportlab.platypus import SimpleDocTemplate

    ink = kit.Ink(kit.font_coverage())
    body = [
        [
            ink.para(f"TRN-{n:02d}", "small"),
            ink.para("long " * 4000 if n == 1 else "x " * 20, "small"),
        ]
        for n in range(4)
    ]
    table = kit.table([[ink.para("ID", "th"), ink.para("Text", "th")], *body], [100, 300])
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=(kit.PAGE_W, kit.PAGE_H), invariant=1).build([table])
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(out.getvalue())).pages]

    holding = [i for i, page in enumerate(pages) if "long" in page]
    assert len(holding) >= 3, "the long row must split over three pages for this test"
    assert "TRN-01" in pages[holding[0]] and "(continued)" not in pages[holding[0]]
    for index in holding[1:]:
        assert "TRN-01 (continued)" in " ".join(pages[index].split())
        assert pages[index].count("(continued)") == 1


def test_the_continued_cell_keeps_its_markup_and_its_row_fits_it() -> None:
    """
    A core requirement's id cell (bold id, CORE under it) is repeated as it began, with
    "(continued)" under it, and the continued row is tall enough for all of it, so it never
    draws over the next row. A column too narrow for the word repeats the cell alone.
    """
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    style = getSampleStyleSheet()["Normal"]
    for width, marked in ((100.0, True), (25.0, False)):
        core = Paragraph("<b>INS-01</b><br/><font size=6>CORE</font>", style)
        long = Paragraph("word " * 600, style)
        rows = [["ID", "Text"], [core, long], ["x", "y"], ["z", "w"]]
        table = kit.table(rows, [width, 400 - width])
        table.wrap(400, 300)
        _, rest = table.split(400, 300)

        label = rest._cellvalues[1][0]
        assert label[0].text == core.text  # the same markup: bold id, CORE on its own line
        assert ("(continued)" in [p.getPlainText() for p in label]) is marked
        rest.wrap(400, 10_000)
        needed = sum(p.wrap(width, 10_000)[1] for p in label)
        assert rest._rowHeights[1] >= needed


@pytest.mark.parametrize("gap", [float(g) for g in range(440, 640, 20)])
def test_a_row_with_a_tall_first_cell_running_over_three_pages_renders(gap: float) -> None:
    """
    A failed workbook's long path (a first cell of several lines, which reportlab may cut
    itself at a page's foot) beside an error list running over three pages: the PDF is made
    whole (this crashed once, repeating a piece reportlab had cut as if it were the cell).
    """
    from reportlab.platypus import SimpleDocTemplate, Spacer

    ink = kit.Ink(kit.font_coverage())
    path = "region-north/" + "very-long-folder-name/" * 4 + "workbook.xlsx"
    errors = "\n".join(f"error line {i} with some words" for i in range(120))
    rows = [[ink.para("File", "th"), ink.para("Why", "th")], [ink.para(path), ink.para(errors)]]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=(kit.PAGE_W, kit.PAGE_H), invariant=1)
    doc.build([Spacer(1, gap), kit.table(rows, [150, 350])])

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(out.getvalue())).pages]
    assert len(pages) >= 3
    assert "error line 119" in pages[-1]
