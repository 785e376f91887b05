"""Pagination read back from the PDF, for every bundled program, Letter and A4, normal and
large print: no page is blank or all but blank (space alone never makes a page), and the
fill of every page is measured from the rendered pixels (lowest ink above the footer)."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from handout import HandoutRequest, build_handout

from .conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from pages import page_fills  # noqa: E402

DATE = dt.date(2026, 11, 25)
PROGRAMS = ["ir-mobility", "ir-strength", "ir-desk-break", "ir-advanced"]
EVERY = [(p, size, large) for p in PROGRAMS for size in ("letter", "a4") for large in (False, True)]
MIN_FILL = 0.05  # under this a page is all but blank: a stray spacer or a lone line


def _fills(program: str, size: str, large: bool, **kw) -> list[float]:
    request = HandoutRequest(program=program, patient="Sam Lee", date=DATE, page_size=size, large_print=large, **kw)
    return page_fills(build_handout(request), large, size)


@pytest.mark.parametrize("program,size,large", EVERY)
def test_no_blank_page(program, size, large):
    fills = _fills(program, size, large)
    blank = [n + 1 for n, f in enumerate(fills) if f < MIN_FILL]
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
