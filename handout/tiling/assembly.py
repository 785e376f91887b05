"""The assembly page of a tiled poster: a map of the sheets, the steps to put them
together, and a 10 cm ruler to check the sheets were printed at 100 %.

In: a ``TileGrid``, the poster's title and its language. Out: drawing on a ReportLab
canvas; ``sheets`` puts the small poster into the map afterwards (``AssemblyLayout.to_map``).
Every word goes through the language's gettext catalog (``model.i18n``), so a Spanish poster
gets a Spanish assembly page and labels; English is the source text, unchanged.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass

from reportlab.lib.colors import Color, black, white
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import FILL_EVEN_ODD, Canvas

from ..model.i18n import SOURCE_LANGUAGE, translations
from ..render.fonts import BOLD, REGULAR, register_fonts
from .grid import Matrix, Rect, TileGrid

register_fonts()  # text is measured when the page is planned
FONT_NAME = REGULAR  # every text on the tiles: the bundled, embedded Noto Sans
FONT_NAME_BOLD = BOLD

RULER_LENGTH_MM = 100.0
RULER_LINE_PT = 0.6
PAGE_PADDING_MM = 6.0  # extra space inside the printable area

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
    language: str = SOURCE_LANGUAGE  # the language of every word on the page and the sheets


def assembly_layout(grid: TileGrid, language: str = SOURCE_LANGUAGE) -> AssemblyLayout:
    """Lay out the assembly page: title on top; the map above the instructions and ruler,
    or beside them, whichever shows the map larger (the text's length, so the layout,
    depends on the ``language``)."""
    tr = translations(language)
    pad = grid.margin_pt + PAGE_PADDING_MM * mm
    left, bottom = pad, pad
    right, top = grid.sheet_w_pt - pad, grid.sheet_h_pt - pad
    title_y = top - 18
    subtitle_y = title_y - 17
    body_top = subtitle_y - 16
    ruler_block = 58.0  # ruler, its numbers and its caption
    text_h = _instructions_height(grid, right - left, tr)
    text_box = (left, bottom + ruler_block, right, bottom + ruler_block + text_h)
    candidates = [((left, text_box[3] + 14, right, body_top), text_box, (left, bottom + 16))]
    split = left + (right - left) * 0.56
    side_text = (split + 6, bottom + ruler_block, right, body_top)
    column = right - split - 6
    if column >= RULER_LENGTH_MM * mm + 12 and (
        _instructions_height(grid, column, tr) <= body_top - bottom - ruler_block
    ):
        candidates.append(((left, bottom, split - 12, body_top), side_text, (split + 6, bottom + 16)))
    placed = [(_place_map(grid, box), text, ruler) for box, text, ruler in candidates]
    (map_rect, to_map, scale), text, ruler = max(placed, key=lambda p: p[0][2])
    return AssemblyLayout(title_y, subtitle_y, map_rect, to_map, scale, text, ruler, language)


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


def _instructions(grid: TileGrid, tr: gettext.NullTranslations) -> list[str]:
    _ = tr.gettext
    steps = [
        _('Print every page at 100 % ("actual size"), not "fit to page".'),
        _("Check the ruler below measures 10 cm. If it does not, print again at 100 %."),
        _("Lay the sheets out as in the map, sheet 1 at the top left."),
    ]
    if grid.count > 1:
        edges = []
        if grid.cols > 1:
            edges.append(_("the left edge of each sheet not in column 1"))
        if grid.rows > 1:
            edges.append(_("the top edge of each sheet not in row 1"))
        steps += [
            _("Trim the edges marked with scissors along the dashed line: {edges}.").format(edges=", ".join(edges)),
            _("Lay each trimmed edge over its neighbour so the half crosses on both sheets "
              "join into whole crosses and the picture lines up."),
            _("Tape from the back, row by row; then join the rows the same way.")
            if grid.rows > 1 and grid.cols > 1
            else _("Tape the joins from the back."),
        ]
    return [f"{n}. {text}" for n, text in enumerate(steps, 1)]


def _instructions_height(grid: TileGrid, width: float, tr: gettext.NullTranslations) -> float:
    steps = _instructions(grid, tr)
    lines = sum(len(simpleSplit(s, FONT_NAME, 10, width - 12)) for s in steps)
    return 22 + lines * 13 + len(steps) * 3


def draw_assembly_page(canvas: Canvas, grid: TileGrid, title: str, layout: AssemblyLayout):
    tr = translations(layout.language)
    pad = grid.margin_pt + PAGE_PADDING_MM * mm
    width = grid.sheet_w_pt - 2 * pad
    canvas.setFillColor(black)
    canvas.setFont(FONT_NAME_BOLD, 18)
    canvas.drawString(pad, layout.title_y, fit_text(title, FONT_NAME_BOLD, 18, width))
    canvas.setFont(FONT_NAME, 10)
    canvas.drawString(pad, layout.subtitle_y, fit_text(_summary(grid, tr), FONT_NAME, 10, width))
    _draw_map(canvas, grid, layout)
    _draw_instructions(canvas, grid, layout.text_box, tr)
    _draw_ruler(canvas, *layout.ruler_origin, tr)


def _summary(grid: TileGrid, tr: gettext.NullTranslations) -> str:
    orientation = tr.gettext("portrait") if grid.orientation == "portrait" else tr.gettext("landscape")
    return tr.gettext(
        "Poster {width} \u00d7 {height} mm on {sheets} ({rows} \u00d7 {columns}, {orientation}), overlap {overlap} mm"
    ).format(
        width=f"{grid.poster_w_pt / mm:.0f}", height=f"{grid.poster_h_pt / mm:.0f}", sheets=sheets_text(grid, tr),
        rows=tr.ngettext("{n} row", "{n} rows", grid.rows).format(n=grid.rows),
        columns=tr.ngettext("{n} column", "{n} columns", grid.cols).format(n=grid.cols),
        orientation=orientation, overlap=f"{grid.overlap_pt / mm:g}",
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


def _draw_instructions(canvas: Canvas, grid: TileGrid, box: Rect, tr: gettext.NullTranslations) -> None:
    x0, _, x1, y = box
    canvas.setFillColor(black)
    canvas.setFont(FONT_NAME_BOLD, 12)
    canvas.drawString(x0, y - 12, tr.gettext("How to put the poster together"))
    y -= 22
    canvas.setFont(FONT_NAME, 10)
    for step in _instructions(grid, tr):
        number, text = step.split(" ", 1)
        canvas.drawString(x0, y - 10, number)
        for line in simpleSplit(text, FONT_NAME, 10, x1 - x0 - 12):
            y -= 13
            canvas.drawString(x0 + 12, y + 3, line)
        y -= 3


def _draw_ruler(canvas: Canvas, x: float, y: float, tr: gettext.NullTranslations) -> None:
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
    canvas.drawString(x, y - 11, tr.gettext("cm \u2013 this ruler measures exactly 10 cm when printed at 100 %"))


# --- helpers, shared with the sheet marks -------------------------------------------


def sheets_text(grid: TileGrid, tr: gettext.NullTranslations) -> str:
    """How many sheets of which paper: "12 Letter sheets", "12 hojas tamaño carta"."""
    paper = tr.gettext("Letter") if grid.onto == "letter" else "A4"
    return tr.ngettext("{n} {paper} sheet", "{n} {paper} sheets", grid.count).format(n=grid.count, paper=paper)


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text``, shortened with an ellipsis if it is wider than ``width``."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026" if text else ""


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return (a * x + c * y + e, b * x + d * y + f)
