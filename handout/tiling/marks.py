"""Draw what a tiled poster needs besides the poster itself, with ReportLab.

In: a ``TileGrid``, the poster's title and the assembly layout (which says the language). Out: PDF bytes with one page per output page
(the assembly page, drawn by ``assembly``, then one per sheet) holding only marks and text;
``sheets`` puts the poster beneath them. Each sheet gets, in its overlap bands: a dashed cut
line with scissors on the edges to trim (left and top), crosses centred on every seam that
join with the neighbour's, and a label in a strip that ends up trimmed off or covered.
Nothing is drawn in the printer's margin.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from reportlab.lib.colors import black, white
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..model.i18n import SOURCE_LANGUAGE, translations
from .assembly import (
    FAINT,
    FONT_NAME,
    FONT_NAME_BOLD,
    AssemblyLayout,
    draw_assembly_page,
    fit_text,
    sheets_text,
)
from .grid import Tile, TileGrid

LABEL_MAX_PT = 7.0
LABEL_MIN_PT = 4.5
MARK_LINE_PT = 0.5
MARK_HALO_PT = 1.8
CROSS_ARM_MM = 4.0
EDGE_MIN_PT = 3 * mm  # a poster edge this close to the printable edge needs no line

# Where marks sit along a seam, as fractions of the sheet's core length on that side.
CROSS_AT = (0.1, 0.9)
SCISSORS_AT = 0.2
LABEL_SPAN = (0.27, 0.83)


def draw_overlay(grid: TileGrid, title: str, layout: AssemblyLayout, author: str = "") -> bytes:
    """The marks-and-text pages: the assembly page, then one page per sheet, in the
    layout's language (its /Lang; none for English, whose bytes stay as they were)."""
    language = layout.language
    tr = translations(language)
    buf = BytesIO()
    canvas = Canvas(buf, pagesize=grid.sheet_size, invariant=1, pageCompression=1, initialFontName=FONT_NAME,
                    lang=None if language == SOURCE_LANGUAGE else language)
    canvas.setTitle(title)
    canvas.setSubject(tr.gettext("{title}, tiled onto {sheets}").format(title=title, sheets=sheets_text(grid, tr)))
    canvas.setAuthor(author)
    canvas.setCreator("handout")
    draw_assembly_page(canvas, grid, title, layout)
    canvas.showPage()
    for tile in grid.tiles:
        _draw_sheet_marks(canvas, grid, tile, title, language)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def sheet_label(title: str, tile: Tile, count: int, language: str = SOURCE_LANGUAGE) -> str:
    """The label printed on a sheet, e.g. "Hip mobility - row 2, column 1 (sheet 4 of 12)"."""
    return f"{title} \u2013 {_position(tile, count, language)}"


@dataclass(frozen=True)
class _Side:
    """One edge of a sheet that meets a neighbour, in the sheet's page points."""

    vertical: bool  # the seam runs up the page
    seam: float  # x of a vertical seam, y of a horizontal one
    edge: float  # the printable edge on this side
    start: float  # the core's extent along the seam
    end: float
    trimmed: bool  # left and top edges are trimmed; right and bottom ones covered

    def along(self, fraction: float) -> float:
        return self.start + fraction * (self.end - self.start)

    def point(self, along: float, across: float) -> tuple[float, float]:
        return (across, along) if self.vertical else (along, across)


def _sides(grid: TileGrid, tile: Tile) -> dict[str, _Side]:
    m, w, h = grid.margin_pt, grid.sheet_w_pt, grid.sheet_h_pt
    dx, dy = m - tile.rect[0], m - tile.rect[1]
    cx0, cy0, cx1, cy1 = tile.core[0] + dx, tile.core[1] + dy, tile.core[2] + dx, tile.core[3] + dy
    sides = {}
    if tile.row < grid.rows:
        sides["bottom"] = _Side(False, cy0, m, cx0, cx1, trimmed=False)
    if tile.row > 1:
        sides["top"] = _Side(False, cy1, h - m, cx0, cx1, trimmed=True)
    if tile.col < grid.cols:
        sides["right"] = _Side(True, cx1, w - m, cy0, cy1, trimmed=False)
    if tile.col > 1:
        sides["left"] = _Side(True, cx0, m, cy0, cy1, trimmed=True)
    return sides


def _draw_sheet_marks(canvas: Canvas, grid: TileGrid, tile: Tile, title: str, language: str) -> None:
    sides = _sides(grid, tile)
    m = grid.margin_pt
    for side in sides.values():
        if side.trimmed:
            lo, hi = (m, grid.sheet_h_pt - m) if side.vertical else (m, grid.sheet_w_pt - m)
            _cut_line(canvas, side, lo, hi)
            _scissors(canvas, side)
        for fraction in CROSS_AT:
            _cross(canvas, *side.point(side.along(fraction), side.seam), grid.overlap_pt)
    _poster_edges(canvas, grid, tile)
    position = _position(tile, grid.count, language)
    for side in sides.values():  # dict order: bottom, top, right, left
        if _label_in_strip(canvas, side, title, position):
            return
    _label_in_corner(canvas, grid, sheet_label(title, tile, grid.count, language))


def _poster_edges(canvas: Canvas, grid: TileGrid, tile: Tile) -> None:
    """A faint line where the poster ends inside a sheet, to trim the blank paper off."""
    m, w, h = grid.margin_pt, grid.sheet_w_pt, grid.sheet_h_pt
    dx, dy = m - tile.rect[0], m - tile.rect[1]
    right, bottom = grid.poster_w_pt + dx, dy  # the poster's right and bottom edges
    top = min(h - m, grid.poster_h_pt + dy)
    canvas.setStrokeColor(FAINT)
    canvas.setLineWidth(MARK_LINE_PT)
    canvas.setDash(1.5, 1.5)
    if m + EDGE_MIN_PT < right < w - m:
        canvas.line(right, max(m, bottom), right, top)
    if m + EDGE_MIN_PT < bottom < h - m:
        canvas.line(m, bottom, min(w - m, right), bottom)
    canvas.setDash()


def _with_halo(canvas: Canvas, draw) -> None:
    """Stroke a path white and wide, then black and thin, so it shows on any colour."""
    for colour, width in ((white, MARK_HALO_PT), (black, MARK_LINE_PT)):
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(width)
        draw()


def _cut_line(canvas: Canvas, side: _Side, lo: float, hi: float) -> None:
    a, b = side.point(lo, side.seam), side.point(hi, side.seam)
    canvas.setDash(4, 2.5)
    _with_halo(canvas, lambda: canvas.line(*a, *b))
    canvas.setDash()


def _cross(canvas: Canvas, x: float, y: float, overlap: float) -> None:
    arm = min(CROSS_ARM_MM * mm, 0.4 * overlap)
    if arm < 1:
        return

    def draw():
        canvas.line(x - arm, y, x + arm, y)
        canvas.line(x, y - arm, x, y + arm)
        canvas.circle(x, y, arm * 0.55)

    _with_halo(canvas, draw)


def _scissors(canvas: Canvas, side: _Side) -> None:
    """Scissors in the strip that gets trimmed off, blades along the cut (drawn as paths,
    as viewers without ZapfDingbats show its glyph as a box)."""
    size = min(12.0, 0.85 * abs(side.seam - side.edge))
    if size < 4:
        return
    x, y = side.point(side.along(SCISSORS_AT), (side.edge + side.seam) / 2)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.rotate(-90 if side.vertical else 0)
    canvas.scale(size, size)  # draw in a unit box centred on the origin, blades to +x
    canvas.setFillColor(white)
    canvas.rect(-0.5, -0.38, 1.0, 0.76, stroke=0, fill=1)
    canvas.setFillColor(black)
    canvas.setStrokeColor(black)
    canvas.setLineWidth(0.07)
    for sign in (1, -1):
        canvas.circle(-0.3, 0.17 * sign, 0.13)
        blade = canvas.beginPath()
        blade.moveTo(-0.2, 0.1 * sign)
        blade.lineTo(0.48, -0.05 * sign)
        blade.lineTo(0.48, -0.09 * sign)
        blade.lineTo(-0.12, 0.02 * sign)
        blade.close()
        canvas.drawPath(blade, stroke=0, fill=1)
    canvas.restoreState()


def _label_in_strip(canvas: Canvas, side: _Side, title: str, position: str) -> bool:
    """Write the label in the outer half of an overlap band; False if it cannot fit."""
    strip = abs(side.seam - side.edge)
    size = min(LABEL_MAX_PT, 0.55 * strip)
    room = (LABEL_SPAN[1] - LABEL_SPAN[0]) * (side.end - side.start)
    if size < LABEL_MIN_PT or stringWidth(position, FONT_NAME, size) > room:
        return False
    text = fit_text(title, FONT_NAME_BOLD, size, room - stringWidth(" \u2013 " + position, FONT_NAME, size))
    start = side.along(LABEL_SPAN[0])
    across = (side.edge + side.seam) / 2
    canvas.saveState()
    x, y = side.point(start, across)
    canvas.translate(x, y)
    if side.vertical:
        canvas.rotate(90)
    _boxed_text(canvas, 0, -size * 0.35, [(text, FONT_NAME_BOLD), (" \u2013 " + position, FONT_NAME)], size)
    canvas.restoreState()
    return True


def _label_in_corner(canvas: Canvas, grid: TileGrid, label: str) -> None:
    """The fallback: bottom left of the printable area, when no band is wide enough."""
    m, size = grid.margin_pt, LABEL_MAX_PT
    text = fit_text(label, FONT_NAME, size, grid.printable_w_pt - 8)
    _boxed_text(canvas, m + 3, m + 3 + size * 0.3, [(text, FONT_NAME)], size)


def _boxed_text(canvas: Canvas, x: float, y: float, parts: list[tuple[str, str]], size: float):
    """Text runs on a white box, left end of the baseline at (x, y)."""
    width = sum(stringWidth(text, font, size) for text, font in parts)
    canvas.setFillColor(white)
    canvas.rect(x - 1.5, y - size * 0.3, width + 3, size * 1.05, stroke=0, fill=1)
    canvas.setFillColor(black)
    for text, font in parts:
        canvas.setFont(font, size)
        canvas.drawString(x, y, text)
        x += stringWidth(text, font, size)


def _position(tile: Tile, count: int, language: str) -> str:
    return translations(language).gettext("row {row}, column {column} (sheet {index} of {count})").format(
        row=tile.row, column=tile.col, index=tile.index, count=count)
