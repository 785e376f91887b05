"""Pagination read back from the PDF, for every bundled program, Letter and A4, normal and
large print: no page is blank or all but blank (space alone never makes a page); every page
but the last is 60 % filled (measured from the rendered pixels: lowest ink above the footer)
or the layout record says why not; no heading or box title ends a page; a box splits only
with three lines on each side; the log's pages each hold whole weeks."""

from __future__ import annotations

import datetime as dt
import re
import sys

import pytest

from handout import HandoutRequest, build_handout
from handout.pipeline.handout import build_handout_document
from handout.render.document import MIN_FILL

from ..conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from pages import page_fills  # noqa: E402

DATE = dt.date(2026, 11, 25)
PROGRAMS = ["ir-mobility", "ir-strength", "ir-desk-break", "ir-advanced"]
EVERY = [(p, size, large) for p in PROGRAMS for size in ("letter", "a4") for large in (False, True)]
BLANK = 0.05  # under this a page is all but blank: a stray spacer or a lone line


def _fills(program: str, size: str, large: bool, **kw) -> list[float]:
    request = HandoutRequest(program=program, patient="Sam Lee", date=DATE, page_size=size, large_print=large, **kw)
    return page_fills(build_handout(request), large, size)


@pytest.mark.parametrize("program,size,large", EVERY)
def test_no_blank_page(program, size, large):
    fills = _fills(program, size, large)
    blank = [n + 1 for n, f in enumerate(fills) if f < BLANK]
    assert not blank, f"{program} {size} {'large' if large else 'normal'}: pages {blank} are blank ({fills})"


def test_fill_measure_sees_a_blank_page():
    """The measure itself: a page with nothing between header and footer reads 0 % filled."""
    from reportlab.lib.pagesizes import LETTER
    from reportlab.pdfgen.canvas import Canvas
    import io

    buffer = io.BytesIO()
    canv = Canvas(buffer, pagesize=LETTER)
    canv.drawString(60, 300, "ink")
    canv.showPage()
    canv.showPage()
    canv.save()
    fills = page_fills(buffer.getvalue(), False, "letter")
    assert fills[0] > 0.5 and fills[1] == 0.0


# The rules the layout cannot meet today, as record.unmet reports them (program, paper, large
# print) -> short pages. A kept block is taller than what is left: here the log's head with its
# first weeks after the summary (kept with its heading), which did not fit under the
# precautions. Listed here so a change that adds or fixes one is seen.
KNOWN_UNMET = {
    ("ir-advanced", "letter", True): ["page 10"],  # 36 %: the summary alone; the log's head and two weeks fill the next
}
BOX_TITLES = ("Before you start", "Stop the exercise if:", "Take extra care if one of these fits you",
              "Get urgent care now if you have:", "Stop and call your clinician soon if you have:")


def _built(program, size, large):
    request = HandoutRequest(program=program, patient="Sam Lee", date=DATE, page_size=size, large_print=large)
    return build_handout_document(request)


def _page_texts(pdf: bytes) -> list[str]:
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        return [" ".join(doc[i].get_textpage().get_text_range().split()) for i in range(len(doc))]
    finally:
        doc.close()


@pytest.mark.parametrize("program,size,large", EVERY)
def test_short_pages_are_recorded_with_a_reason(program, size, large):
    built = _built(program, size, large)
    fills = page_fills(built.pdf, large, size)
    short = [f"page {n}" for n, f in enumerate(fills[:-1], start=1) if f < MIN_FILL]
    unmet = [u.split(" is ")[0] for u in built.record.unmet]
    assert set(short) <= set(unmet), (fills, built.record.unmet)  # every short page has its reason
    for u in unmet:  # and the record's measure (from the layout) agrees with the pixels'
        assert fills[int(u.split()[1]) - 1] < MIN_FILL + 0.05, (fills, built.record.unmet)
    # each names the block that opens the next page and could not move up
    assert all(re.search(r"the next block \(.+\) is kept whole", u) for u in built.record.unmet), built.record.unmet
    assert unmet == KNOWN_UNMET.get((program, size, large), []), built.record.unmet
    assert fills[-1] > 0.1  # the last page holds more than a few lines


@pytest.mark.parametrize("program,size,large", EVERY)
def test_no_heading_or_box_title_ends_a_page(program, size, large):
    built = _built(program, size, large)
    pages = _page_texts(built.pdf)
    titles = [t for _, t, _ in built.record.bookmarks] + list(BOX_TITLES)
    for n, text in enumerate(pages, start=1):
        for title in titles:
            at = text.rfind(title)
            if at >= 0 and text[at - 1:at] != '"':  # (not where the text names it in quotes)  # at least two lines' worth of text follows it on its page
                assert len(text) - at - len(title) > 60, f"page {n} ends with {title!r}"


@pytest.mark.parametrize("large", [False, True])
def test_a_box_splits_only_with_three_lines_each_side(large):
    """A long box, split at every height down a page: each part holds three lines or more
    (the title row not counted), or the box is not split at all."""
    from handout.render.components import BoxTable, _box
    from handout.render.handlers import RenderContext
    from handout.render.theme import Theme
    from handout.markup.parse import Node

    theme = Theme(large_print=large)
    items = [Node("li", {}, [f"Item {i} " + "words " * (3 + i % 9)]) for i in range(12)]
    node = Node("box", {"kind": "safety", "title": "A title"}, [Node("ul", {}, items)])
    ctx = RenderContext(theme=theme, frame_width=468, frame_height=650, exercises={}, template="t", image_dirs=(),
                        date=None)
    box = _box(node, ctx)[0]
    assert isinstance(box, BoxTable)
    _, total = box.wrap(468, 1e6)
    line = theme.sizes["body"] * theme.leading
    splits = 0
    for height in range(20, int(total), 7):
        parts = box.split(468, height)
        if not parts:
            continue
        splits += 1
        first, rest = parts
        first_h, rest_h = first.wrap(468, 1e6)[1], rest.wrap(468, 1e6)[1]
        assert first_h <= height + 0.01
        assert first_h - box.title >= 3 * line - 1 and rest_h >= 3 * line - 1, height
    assert splits > 5


SIX = ["ir-mobility", "ir-strength", "ir-advanced"]  # the bundled programs of 6 exercises (ir-advanced: 5)


@pytest.mark.parametrize("size", ["letter", "a4"])
@pytest.mark.parametrize("program", SIX)
def test_compact_layout_is_two_pages_with_figures_steps_doses_safety_and_a_week(program, size):
    """One sheet of paper: every card's own steps (not the poster's cues), its dose and a
    figure at least 30 mm wide, the stop rules with the pain scale and the hip-replacement
    line, and one week of the log."""
    from handout.model.library import load_library
    from handout.model.plan import resolve_handout

    from .test_patient_pages import _figure_widths

    request = HandoutRequest(program=program, patient="Sam Lee", date=DATE, layout="compact", page_size=size)
    built = build_handout_document(request)
    ctx = resolve_handout(request, load_library()).context()
    text = " ".join(_page_texts(built.pdf))
    assert built.record.pages <= 2
    for ex in ctx["exercises"]:
        assert ex["name"] in text and ex["dose"] in text
        for n, step in enumerate(ex["steps"], start=1):
            assert f"{n}. {step}" in text, (ex["id"], step)
    widths = [w for page in _figure_widths(built.pdf) for w in page]
    # 31 x 32 mm boxes; a standing figure, or a seated one seen from the side, inks less width. (One figure whose prop touches the
    # table's rule merges with the grid in this measure, so one may go uncounted.)
    assert len(widths) >= len(ctx["exercises"]) - 1 and min(widths) >= 20, widths
    assert "Stop the exercise if:" in text and "worst pain" in text
    assert "Had a hip replacement? Do not do these exercises unless your surgeon or therapist has said yes." in text
    assert "Week 1" in text and "Week 2" not in text
    standard = build_handout_document(HandoutRequest(program=program, patient="Sam Lee", date=DATE))
    assert standard.record.pages > 2  # the switch changes the layout


# The page budgets of issue 13 for the bundled programs with their defaults, Letter and A4:
# at most 6 pages in normal print and 12 in large print, counted in the PDF.
BUDGET = {False: 6, True: 12}


@pytest.mark.parametrize("program,size,large", EVERY)
def test_page_budgets(program, size, large):
    from pypdf import PdfReader
    import io

    pdf = _built(program, size, large).pdf
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages <= BUDGET[large], f"{program} {size} {'large' if large else 'normal'}: {pages} pages"


def test_compact_layout_from_the_command_line(tmp_path):
    from click.testing import CliRunner

    from handout.cli import cli

    out = tmp_path / "c.pdf"
    result = CliRunner().invoke(cli, ["build", "--program", "ir-mobility", "--layout", "compact", "--date",
                                      "2026-11-25", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(_page_texts(out.read_bytes())) == 2
    bad = CliRunner().invoke(cli, ["build", "--program", "ir-mobility", "--layout", "tiny", "--out", str(out)])
    assert bad.exit_code == 2


@pytest.mark.parametrize("large", [False, True])
def test_a_list_splits_only_with_three_lines_each_side(large):
    """A long list, split at every height down a page: the items that stay and the items
    that go on each take three lines or more, or the list moves on whole."""
    from handout.markup.parse import Node
    from handout.render.blocks import KeptList, _list
    from handout.render.handlers import RenderContext
    from handout.render.theme import Theme

    theme = Theme(large_print=large)
    items = [Node("li", {}, [f"Item {i} " + "words " * (2 + 5 * (i % 3))]) for i in range(10)]
    ctx = RenderContext(theme=theme, frame_width=468, frame_height=650)
    made = _list(Node("ul", {}, items), ctx)[0]
    assert isinstance(made, KeptList)
    import io

    from reportlab.pdfgen.canvas import Canvas

    made.canv = Canvas(io.BytesIO())
    _, total = made.wrap(468, 1e6)
    line = theme.sizes["body"] * theme.leading
    splits = 0
    for height in range(10, int(total), 5):
        parts = made.split(468, height)
        if not parts or len(parts) == len(made._content):
            continue
        splits += 1
        cut = next(n for n, f in enumerate(parts) if type(f).__name__ == "CondPageBreak")
        stay = sum(f.wrap(468, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in parts[:cut])
        go = sum(f.wrap(468, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in parts[cut + 1:])
        assert stay <= height + 0.01 and stay >= 3 * line - 1 and go >= 3 * line - 1, height
    assert splits > 5
