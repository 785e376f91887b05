"""Poster pictures first, measured on the page: each panel's drawn figure (the bounding box of
its ink in the rendered pixels) covers at least half of the panel; arrows and limb outlines
(stroke widths read from the PDF's path objects) are as thick as the reading distance asks;
and the table of sizes in docs/posters.md is what the bundled programs give.

Run as a script (``python -m tests.render.test_poster_figures``) to rewrite that table.
"""

from __future__ import annotations

import ctypes
import statistics
import sys

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest

from handout.figures import FigureStyle
from handout.model.request import PosterRequest
from handout.pipeline.poster import build_poster_document
from handout.model.poster_sizes import POSTER_SIZES_PT, SIZE_LABELS
from handout.render.poster_grid import ARROW_MM_PER_M, OUTLINE_MM_PER_M

from ..conftest import REPO

PROGRAMS = ("ir-mobility", "ir-desk-break", "ir-strength", "ir-advanced")
MM_PER_PT = 25.4 / 72
PX_PER_MM = 1.0  # fine enough: a figure is over 60 mm on every poster
WHITE_ABOVE = 250  # a pixel darker than this (of 255) is ink
_BUILT: dict = {}


def built(program: str, size: str, landscape: bool = False, **fields):
    key = (program, size, landscape, tuple(sorted(fields.items())))
    if key not in _BUILT:
        _BUILT[key] = build_poster_document(PosterRequest(program=program, size=size, landscape=landscape,
                                                          **fields))
    return _BUILT[key]


def ink_shares(poster) -> list[float]:
    """Each panel's figure: the bounding box of the non-white pixels inside its figure box,
    over the panel's area."""
    scale = PX_PER_MM * MM_PER_PT  # pixels per point
    pdf = pypdfium2.PdfDocument(poster.pdf)
    try:
        image = pdf[0].render(scale=scale).to_pil().convert("L")
    finally:
        pdf.close()
    page_h = poster.page_size_pt[1]
    shares = []
    for (fx, fy, fw, fh), (_, _, pw, ph) in zip(poster.figure_boxes, poster.panel_boxes):
        crop = image.crop((int(fx * scale), int((page_h - fy - fh) * scale),
                           int((fx + fw) * scale) + 1, int((page_h - fy) * scale) + 1))
        box = crop.point(lambda v: 255 if v < WHITE_ABOVE else 0).getbbox()
        ink = 0.0 if box is None else (box[2] - box[0]) * (box[3] - box[1]) / scale ** 2
        shares.append(ink / (pw * ph))
    return shares


def path_strokes(data: bytes) -> list[tuple[str | None, str | None, float, tuple[float, float, float, float]]]:
    """Every path on the page as (stroke colour, fill colour, stroke width pt, bounds), from
    pdfium's page objects (None: the path is not stroked, or not filled)."""
    pdf = pypdfium2.PdfDocument(data)
    out = []

    def colour(getter, obj):
        rgba = [ctypes.c_uint() for _ in range(4)]
        getter(obj, *[ctypes.byref(c) for c in rgba])
        return "#" + "".join(f"{c.value:02X}" for c in rgba[:3])

    def walk(obj):
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            for k in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                walk(pdfium_c.FPDFFormObj_GetObject(obj, k))
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            fill, stroke, width = ctypes.c_int(), ctypes.c_int(), ctypes.c_float()
            pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
            pdfium_c.FPDFPageObj_GetStrokeWidth(obj, ctypes.byref(width))
            bounds = [ctypes.c_float() for _ in range(4)]
            pdfium_c.FPDFPageObj_GetBounds(obj, *[ctypes.byref(b) for b in bounds])
            out.append((colour(pdfium_c.FPDFPageObj_GetStrokeColor, obj) if stroke.value else None,
                        colour(pdfium_c.FPDFPageObj_GetFillColor, obj) if fill.value else None,
                        width.value, tuple(b.value for b in bounds)))

    try:
        page = pdf[0]
        for k in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
            walk(pdfium_c.FPDFPage_GetObject(page.raw, k))
    finally:
        pdf.close()
    return out


def figure_strokes(poster) -> list[tuple[float, float]]:
    """Each figure's widest arrow stroke and thinnest visible limb outline, in mm, from the
    paths inside its box. A limb is stroked and filled in ink, then filled in its own colour
    over the inner half of the stroke: the outline that shows is half the stroke."""
    style = FigureStyle.from_brand("#1F6F8B")
    paths = path_strokes(poster.pdf)
    out = []
    for fx, fy, fw, fh in poster.figure_boxes:
        inside = [p for p in paths if fx - 1 <= p[3][0] and p[3][2] <= fx + fw + 1
                  and fy - 1 <= p[3][1] and p[3][3] <= fy + fh + 1]
        arrow = max((w for s, f, w, _ in inside if s == style.arrow and f is None), default=0.0)
        outline = min((w / 2 for s, f, w, _ in inside if s == style.ink and f == style.ink), default=0.0)
        out.append((arrow * MM_PER_PT, outline * MM_PER_PT))
    return out


def check_pictures(poster) -> None:
    assert len(poster.figure_boxes) == len(poster.panel_boxes) == poster.exercises
    for (fx, fy, fw, fh), (px, py, pw, ph) in zip(poster.figure_boxes, poster.panel_boxes):
        assert px <= fx and fx + fw <= px + pw + 0.01 and py <= fy and fy + fh <= py + ph + 0.01
    shares = ink_shares(poster)
    assert min(shares) >= 0.5, shares
    d = poster.readable_from_m
    for arrow, outline in figure_strokes(poster):
        assert arrow >= ARROW_MM_PER_M * d - 0.01 and outline >= OUTLINE_MM_PER_M * d - 0.01, (arrow, outline, d)


@pytest.mark.parametrize("program,size,landscape", [
    ("ir-mobility", "a1", False), ("ir-strength", "a3", True), ("ir-desk-break", "a2", False),
    ("ir-advanced", "a0", True)])
def test_each_drawn_figure_covers_half_its_panel_and_its_lines_read_from_the_distance(program, size, landscape):
    check_pictures(built(program, size, landscape))


def test_the_measure_sees_a_figure_that_does_not_fill_its_panel():
    """The pixel measure is not vacuous: the same figure box, reported inside a panel twice
    as tall, gives half the share."""
    poster = built("ir-mobility", "a1")
    (px, py, pw, ph), *rest = poster.panel_boxes
    taller = type(poster)(**{**poster.__dict__, "panel_boxes": ((px, py - ph, pw, 2 * ph), *rest)})
    assert ink_shares(taller)[0] == pytest.approx(ink_shares(poster)[0] / 2)


def test_arrows_and_outlines_grow_with_the_distance_asked():
    near, far = built("ir-mobility", "a0", viewing_distance_m=0.8), built("ir-mobility", "a0", viewing_distance_m=1.6)
    for poster in (near, far):
        check_pictures(poster)
    assert min(o for _, o in figure_strokes(far)) >= OUTLINE_MM_PER_M * 1.6 - 0.01
    assert min(a for a, _ in figure_strokes(far)) >= ARROW_MM_PER_M * 1.6 - 0.01
    assert built("ir-mobility", "a0", viewing_distance_m=1.6).arrow_strokes_mm  # the API reports them too


@pytest.mark.slow
@pytest.mark.parametrize("landscape", [False, True], ids=["portrait", "landscape"])
@pytest.mark.parametrize("size", list(POSTER_SIZES_PT))
@pytest.mark.parametrize("program", PROGRAMS)
def test_every_program_at_every_size_builds_with_big_figures_and_bold_lines(program, size, landscape):
    poster = built(program, size, landscape)
    assert not poster.fitted and 0.3 < poster.readable_from_m < 2.01
    check_pictures(poster)


# --- the table in docs/posters.md ---------------------------------------------------------

TABLE_START, TABLE_END = "<!-- sizes table: start -->", "<!-- sizes table: end -->"


def sizes_table() -> str:
    """Per program: grid, reading distance ("cues": the panels give the short cues) and the
    smallest and median drawn figure share of a panel, portrait and landscape."""
    parts = []
    for program in PROGRAMS:
        lines = []
        for size in POSTER_SIZES_PT:
            cells = []
            for landscape in (False, True):
                poster = built(program, size, landscape)
                shares = ink_shares(poster)
                d = f"{poster.readable_from_m:.2f}".rstrip("0").rstrip(".")
                cells.append(f"{poster.grid[0]} x {poster.grid[1]}, {d} m{' (cues)' if poster.short_steps else ''}, "
                             f"{min(shares):.2f} / {statistics.median(shares):.2f}")
            lines.append(f"| {SIZE_LABELS[size]} | {cells[0]} | {cells[1]} |")
        count = built(program, "a1").exercises
        parts.append(f"| {program} ({count}) | portrait | landscape |\n| --- | --- | --- |\n" + "\n".join(lines))
    return "\n\n".join(parts)


def docs_with_table(text: str) -> str:
    head, rest = text.split(TABLE_START)
    _, tail = rest.split(TABLE_END)
    return f"{head}{TABLE_START}\n{sizes_table()}\n{TABLE_END}{tail}"


@pytest.mark.slow
def test_the_docs_table_is_what_the_programs_give():
    text = (REPO / "docs" / "posters.md").read_text(encoding="utf-8")
    assert text == docs_with_table(text), "run: python -m tests.render.test_poster_figures"


if __name__ == "__main__":
    path = REPO / "docs" / "posters.md"
    path.write_text(docs_with_table(path.read_text(encoding="utf-8")), encoding="utf-8")
    sys.stdout.write(f"wrote the sizes table in {path}\n")
