"""Draw what a tiled poster needs besides the poster itself, with ReportLab.

In: a ``TileGrid`` and the poster's title. Out: PDF bytes with one page per output page
(the assembly page, then one per sheet) holding only marks and text; ``tiling`` puts the
poster beneath them. The assembly page has the map, the instructions and a 10 cm ruler.
Each sheet gets, in its overlap bands: a dashed cut line with scissors on the edges to trim
(left and top), crosses centred on every seam that join with the neighbour's, and a label
in a strip that ends up trimmed off or covered. Nothing is drawn in the printer's margin.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING

from reportlab.lib.colors import Color, black, white
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import standardFonts, stringWidth
from reportlab.pdfgen.canvas import FILL_EVEN_ODD, Canvas
from .fonts import BOLD, REGULAR, register_fonts

if TYPE_CHECKING:
    from handout.render.tiling import Matrix, Rect, Tile, TileGrid

register_fonts()
FONT_NAME = REGULAR  # every text on the tiles: the bundled, embedded Noto Sans
FONT_NAME_BOLD = BOLD

RULER_LENGTH_MM = 100.0
RULER_LINE_PT = 0.6
LABEL_MAX_PT = 7.0
LABEL_MIN_PT = 4.5
MARK_LINE_PT = 0.5
MARK_HALO_PT = 1.8
CROSS_ARM_MM = 4.0
EDGE_MIN_PT = 3 * mm  # a poster edge this close to the printable edge needs no line
PAGE_PADDING_MM = 6.0  # assembly page: extra space inside the printable area

# Where marks sit along a seam, as fractions of the sheet's core length on that side.
CROSS_AT = (0.1, 0.9)
SCISSORS_AT = 0.2
LABEL_SPAN = (0.27, 0.83)

MAP_GRID_COLOUR = Color(0.05, 0.25, 0.6)
FAINT = Color(0.55, 0.55, 0.55)
BLANK_PAPER = Color(0.93, 0.93, 0.93)


@dataclass(frozen=True)
class AssemblyLayout:
    """Where things go on the assembly page, in page points."""

    title_y: float
    subtitle_y: float
    map_rect: Rect  # the scaled sheet extent; the poster is drawn inside it
    to_map: Matrix  # upright poster points -> page points
    map_scale: float
    text_box: Rect  # instructions, top down
    ruler_origin: tuple[float, float]  # left end of the ruler's baseline


def assembly_layout(grid: TileGrid) -> AssemblyLayout:
    """Lay out the assembly page: title on top; the map above the instructions and ruler,
    or beside them, whichever shows the map larger."""
    pad = grid.margin_pt + PAGE_PADDING_MM * mm
    left, bottom = pad, pad
    right, top = grid.sheet_w_pt - pad, grid.sheet_h_pt - pad
    title_y = top - 18
    subtitle_y = title_y - 17
    body_top = subtitle_y - 16
    ruler_block = 58.0  # ruler, its numbers and its caption
    text_h = _instructions_height(grid, right - left)
    text_box = (left, bottom + ruler_block, right, bottom + ruler_block + text_h)
    candidates = [((left, text_box[3] + 14, right, body_top), text_box, (left, bottom + 16))]
    split = left + (right - left) * 0.56
    side_text = (split + 6, bottom + ruler_block, right, body_top)
    column = right - split - 6
    if column >= RULER_LENGTH_MM * mm + 12 and (
        _instructions_height(grid, column) <= body_top - bottom - ruler_block
    ):
        candidates.append(((left, bottom, split - 12, body_top), side_text, (split + 6, bottom + 16)))
    placed = [(_place_map(grid, box), text, ruler) for box, text, ruler in candidates]
    (map_rect, to_map, scale), text, ruler = max(placed, key=lambda p: p[0][2])
    return AssemblyLayout(title_y, subtitle_y, map_rect, to_map, scale, text, ruler)


def _place_map(grid: TileGrid, box: Rect) -> tuple[Rect, Matrix, float]:
    """The sheets' extent scaled to fit ``box`` (less room for row and column numbers)."""
    header = 12.0
    x0, y0, x1, y1 = grid.extent
    avail_w = box[2] - box[0] - header
    avail_h = box[3] - box[1] - header
    scale = min(avail_w / (x1 - x0), avail_h / (y1 - y0))
    width, height = scale * (x1 - x0), scale * (y1 - y0)
    mx = box[0] + header + (avail_w - width) / 2
    my = box[1] + (avail_h - height) / 2
    to_map = (scale, 0.0, 0.0, scale, mx - scale * x0, my - scale * y0)
    return (mx, my, mx + width, my + height), to_map, scale


def draw_overlay(grid: TileGrid, title: str, layout: AssemblyLayout, author: str = "") -> bytes:
    """The marks-and-text pages: the assembly page, then one page per sheet."""
    buf = BytesIO()
    canvas = Canvas(buf, pagesize=grid.sheet_size, invariant=1, pageCompression=1, initialFontName=FONT_NAME)
    canvas.setTitle(title)
    canvas.setSubject(f"{title}, tiled onto {_plural(grid.count, _sheet_label(grid) + ' sheet')}")
    canvas.setAuthor(author)
    canvas.setCreator("handout")
    _draw_assembly_page(canvas, grid, _drawable(title), layout)
    canvas.showPage()
    for tile in grid.tiles:
        _draw_sheet_marks(canvas, grid, tile, _drawable(title))
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def sheet_label(title: str, tile: Tile, count: int) -> str:
    """The label printed on a sheet, e.g. "Hip mobility - row 2, column 1 (sheet 4 of 12)"."""
    return f"{title} \u2013 {_position(tile, count)}"


# --- the assembly page ----------------------------------------------------------------


def _instructions(grid: TileGrid) -> list[str]:
    steps = [
        'Print every page at 100 % ("actual size"), not "fit to page".',
        "Check the ruler below measures 10 cm. If it does not, print again at 100 %.",
        "Lay the sheets out as in the map, sheet 1 at the top left.",
    ]
    if grid.count > 1:
        edges = []
        if grid.cols > 1:
            edges.append("the left edge of each sheet not in column 1")
        if grid.rows > 1:
            edges.append("the top edge of each sheet not in row 1")
        steps += [
            f"Trim the edges marked with scissors along the dashed line: {', '.join(edges)}.",
            "Lay each trimmed edge over its neighbour so the half crosses on both sheets "
            "join into whole crosses and the picture lines up.",
            "Tape from the back, row by row; then join the rows the same way."
            if grid.rows > 1 and grid.cols > 1
            else "Tape the joins from the back.",
        ]
    return [f"{n}. {text}" for n, text in enumerate(steps, 1)]


def _instructions_height(grid: TileGrid, width: float) -> float:
    lines = sum(len(simpleSplit(s, FONT_NAME, 10, width - 12)) for s in _instructions(grid))
    return 22 + lines * 13 + len(_instructions(grid)) * 3


def _draw_assembly_page(canvas: Canvas, grid: TileGrid, title: str, layout: AssemblyLayout):
    pad = grid.margin_pt + PAGE_PADDING_MM * mm
    width = grid.sheet_w_pt - 2 * pad
    canvas.setFillColor(black)
    canvas.setFont(FONT_NAME_BOLD, 18)
    canvas.drawString(pad, layout.title_y, _fit(title, FONT_NAME_BOLD, 18, width))
    canvas.setFont(FONT_NAME, 10)
    canvas.drawString(pad, layout.subtitle_y, _fit(_summary(grid), FONT_NAME, 10, width))
    _draw_map(canvas, grid, layout)
    _draw_instructions(canvas, grid, layout.text_box)
    _draw_ruler(canvas, *layout.ruler_origin)


def _summary(grid: TileGrid) -> str:
    return (
        f"Poster {grid.poster_w_pt / mm:.0f} \u00d7 {grid.poster_h_pt / mm:.0f} mm on "
        f"{_plural(grid.count, _sheet_label(grid) + ' sheet')} ({_plural(grid.rows, 'row')} "
        f"\u00d7 {_plural(grid.cols, 'column')}, {grid.orientation}), "
        f"overlap {grid.overlap_pt / mm:g} mm"
    )


def _draw_map(canvas: Canvas, grid: TileGrid, layout: AssemblyLayout) -> None:
    """Sheet outlines (as they show once assembled) and numbers over the small poster."""
    x0, y0, x1, y1 = layout.map_rect
    px0, py0 = _apply(layout.to_map, 0, 0)
    px1, py1 = _apply(layout.to_map, grid.poster_w_pt, grid.poster_h_pt)
    blank = canvas.beginPath()  # the paper beyond the poster's edge, shaded
    blank.rect(x0, y0, x1 - x0, y1 - y0)
    blank.rect(px0, py0, px1 - px0, py1 - py0)
    canvas.setFillColor(BLANK_PAPER)
    canvas.setLineWidth(0.5)
    canvas.setStrokeColor(FAINT)
    canvas.setDash(2, 2)
    canvas.drawPath(blank, stroke=1, fill=1, fillMode=FILL_EVEN_ODD)
    canvas.setDash()
    canvas.setStrokeColor(black)
    canvas.rect(px0, py0, px1 - px0, py1 - py0)
    canvas.setStrokeColor(MAP_GRID_COLOUR)
    canvas.setLineWidth(1)
    for tile in grid.tiles:
        cx0, cy0 = _apply(layout.to_map, tile.core[0], tile.core[1])
        cx1, cy1 = _apply(layout.to_map, tile.core[2], tile.core[3])
        canvas.rect(cx0, cy0, cx1 - cx0, cy1 - cy0)
        size = max(6.0, min(16.0, 0.28 * min(cx1 - cx0, cy1 - cy0)))
        cx, cy = (cx0 + cx1) / 2, (cy0 + cy1) / 2
        canvas.setFillColor(white)
        canvas.circle(cx, cy, size * 0.95, stroke=1, fill=1)
        canvas.setFillColor(MAP_GRID_COLOUR)
        canvas.setFont(FONT_NAME_BOLD, size)
        canvas.drawCentredString(cx, cy - size * 0.36, str(tile.index))
        if tile.row == 1:
            canvas.setFillColor(black)
            canvas.setFont(FONT_NAME, 8)
            canvas.drawCentredString(cx, y1 + 3, f"{tile.col}")
        if tile.col == 1:
            canvas.setFillColor(black)
            canvas.setFont(FONT_NAME, 8)
            canvas.drawRightString(x0 - 3, cy - 3, f"{tile.row}")


def _draw_instructions(canvas: Canvas, grid: TileGrid, box: Rect) -> None:
    x0, _, x1, y = box
    canvas.setFillColor(black)
    canvas.setFont(FONT_NAME_BOLD, 12)
    canvas.drawString(x0, y - 12, "How to put the poster together")
    y -= 22
    canvas.setFont(FONT_NAME, 10)
    for step in _instructions(grid):
        number, text = step.split(" ", 1)
        canvas.drawString(x0, y - 10, number)
        for line in simpleSplit(text, FONT_NAME, 10, x1 - x0 - 12):
            y -= 13
            canvas.drawString(x0 + 12, y + 3, line)
        y -= 3


def _draw_ruler(canvas: Canvas, x: float, y: float) -> None:
    """A 10 cm ruler: baseline from ``x`` to ``x`` + 100 mm, ticks every millimetre."""
    length = RULER_LENGTH_MM * mm
    canvas.setStrokeColor(black)
    canvas.setFillColor(black)
    canvas.setLineWidth(RULER_LINE_PT)
    canvas.setLineCap(0)
    canvas.line(x, y, x + length, y)
    for tick in range(int(RULER_LENGTH_MM) + 1):
        height = 9 if tick % 10 == 0 else 6 if tick % 5 == 0 else 3.5
        canvas.line(x + tick * mm, y, x + tick * mm, y + height)
        if tick % 10 == 0:
            canvas.setFont(FONT_NAME, 7)
            canvas.drawCentredString(x + tick * mm, y + 11, str(tick // 10))
    canvas.setFont(FONT_NAME, 8)
    canvas.drawString(x, y - 11, "cm \u2013 this ruler measures exactly 10 cm when printed at 100 %")


# --- the sheets -----------------------------------------------------------------------


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


def _draw_sheet_marks(canvas: Canvas, grid: TileGrid, tile: Tile, title: str) -> None:
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
    position = _position(tile, grid.count)
    for side in sides.values():  # dict order: bottom, top, right, left
        if _label_in_strip(canvas, side, title, position):
            return
    _label_in_corner(canvas, grid, sheet_label(title, tile, grid.count))


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
    text = _fit(title, FONT_NAME_BOLD, size, room - stringWidth(" \u2013 " + position, FONT_NAME, size))
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
    text = _fit(label, FONT_NAME, size, grid.printable_w_pt - 8)
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


# --- helpers --------------------------------------------------------------------------


def _position(tile: Tile, count: int) -> str:
    return f"row {tile.row}, column {tile.col} (sheet {tile.index} of {count})"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _sheet_label(grid: TileGrid) -> str:
    return "Letter" if grid.onto == "letter" else "A4"


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text``, shortened with an ellipsis if it is wider than ``width``."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026" if text else ""


def _drawable(text: str) -> str:
    """Replace what a built-in (WinAnsi) font cannot show; other fonts get text as is."""
    if FONT_NAME not in standardFonts:
        return text
    return text.encode("cp1252", "replace").decode("cp1252")


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return (a * x + c * y + e, b * x + d * y + f)
