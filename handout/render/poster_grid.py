"""The poster's exercise panels and the grid that arranges them.

Each ``<poster-panel>`` becomes a ``PosterPanel`` (title bar, figure, short steps, dose
band); ``<poster-grid>`` becomes a ``PosterGrid`` that picks the columns x rows giving the
biggest figures for the room it gets, or raises ``DoesNotFit``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Line, PolyLine
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from ..errors import MarkupError
from ..figures import FigureStyle
from ..markup.parse import Node
from .components import figure_flowable
from .fonts import BOLD, REGULAR, x_height
from .handlers import RenderContext, build, handles
from .inline import collapse
from .poster_theme import (BADGE_GAP_U, BIG, GAP_U, PAD_U, TEXT_GAP_U, DoesNotFit, PosterTheme, draw_stack,
                           longest_word_pt, stack_height, trim)

FIGURE_ASPECT = 4 / 3  # width / height the figures are designed for; they fit any box
MIN_FIGURE_X_HEIGHTS = 14  # a figure at least this many body x-heights tall reads at the same distance
MIN_FIGURE_SHARE = 0.5  # pictures first: a figure's box takes at least half of its panel
MAX_FIGURE_TALL = 1.2  # a box taller than this times its width would be blank above and below


@dataclass
class PosterPanel:
    """One exercise: a title bar, a big figure, short steps, the dose on a tinted band."""

    number: int
    name: str
    figure_id: str
    line: int | None
    title: Paragraph
    badge_w: float  # room left of the title for the number badge
    body: list
    dose: list
    min_title_w: float  # the widest word in each part: no arrangement may be narrower
    min_body_w: float
    min_dose_w: float
    drawing: Flowable | None = None


@handles("poster-panel")
def _poster_panel(node: Node, ctx: RenderContext) -> list:
    theme = ctx.theme
    if not isinstance(theme, PosterTheme):
        raise MarkupError("<poster-panel> belongs in a poster template", ctx.template, node.line)
    number, name = node.attrs["number"], node.attrs["name"]
    title = Paragraph(collapse(escape(name)), theme.style("card_title"))
    size = theme.sizes["card_title"]
    badge = max(size * 1.3, stringWidth(str(number), BOLD, size) + size * 0.5)
    blocks = [c for c in node.children if isinstance(c, Node)]
    is_dose = [b.tag == "p" and b.attrs.get("style") == "dose" for b in blocks]
    body_nodes = [b for b, d in zip(blocks, is_dose) if not d]
    dose_nodes = [b for b, d in zip(blocks, is_dose) if d]
    u = theme.unit
    list_indent = u * 1.6 if any(b.tag in ("ol", "ul") for b in body_nodes) else 0
    return [PosterPanel(
        number, name, node.attrs["figure"], node.line, title, badge + u * BADGE_GAP_U,
        trim(build(body_nodes, ctx)), trim(build(dose_nodes, ctx)),
        longest_word_pt(name, size) + badge + u * BADGE_GAP_U,
        max((longest_word_pt(b.text(), u) for b in body_nodes), default=0) + list_indent,
        max((longest_word_pt(b.text(), theme.sizes["dose"]) for b in dose_nodes), default=0),
    )]


@dataclass(frozen=True)
class Arrangement:
    """How panels share the grid: all panels the same size, all figures the same size."""

    cols: int
    rows: int
    panel_w: float
    panel_h: float
    bar_h: float
    band_h: float
    side: bool  # figure left of the steps (wide panels) instead of above them
    fig_w: float
    fig_h: float
    figure_h: float  # the drawn figure's height at FIGURE_ASPECT: what the choice maximises


class PosterGrid(Flowable):
    """The panels, in the columns x rows that give the biggest figures for the space."""

    def __init__(self, panels: list[PosterPanel], columns: int, ctx: RenderContext):
        super().__init__()
        self.panels, self.columns, self.ctx = panels, columns, ctx
        self.theme: PosterTheme = ctx.theme
        self.arrangement: Arrangement | None = None
        self._heights: dict = {}

    # measuring, cached: the search wraps the same text at the same widths many times
    def _h(self, which: str, i: int, width: float) -> float:
        key = (which, i, round(width, 3))
        if key not in self._heights:
            self._heights[key] = stack_height(getattr(self.panels[i], which), width)
        return self._heights[key]

    def _max_h(self, which: str, width: float) -> float:
        return max(self._h(which, i, width) for i in range(len(self.panels)))

    def arrange(self, width: float, height: float) -> Arrangement:
        """Choose the grid for ``width`` x ``height``, or raise DoesNotFit saying why."""
        n, u = len(self.panels), self.theme.unit
        gap = u * GAP_U
        best = None
        for cols in ([self.columns] if self.columns else range(1, n + 1)):
            rows = math.ceil(n / cols)
            if not self.columns and cols * rows - n >= cols:  # a whole empty row
                continue
            pw, ph = (width - gap * (cols - 1)) / cols, (height - gap * (rows - 1)) / rows
            for side in (False, True):
                a = self._fit_panel(cols, rows, pw, ph, side)
                if a and (best is None or _better(a, best, n)):
                    best = a
        need = MIN_FIGURE_X_HEIGHTS * u * x_height(REGULAR)
        if best is None or best.figure_h < need:
            raise DoesNotFit(f"{n} exercise panels need more room")
        self.arrangement = best
        self.width, self.height = width, height
        return best

    def _fit_panel(self, cols, rows, pw, ph, side) -> Arrangement | None:
        u, p = self.theme.unit, self.theme.unit * PAD_U
        inner = pw - 2 * p
        if inner <= 0 or max(x.min_title_w for x in self.panels) > inner or max(
                x.min_dose_w for x in self.panels) > inner:
            return None
        badge_h = self.theme.sizes["card_title"] * 1.3
        bar_h = max(max(stack_height([x.title], inner - x.badge_w), badge_h) for x in self.panels) + 2 * p
        dose_h = self._max_h("dose", inner)
        band_h = dose_h + 2 * p if dose_h else 0
        room = ph - bar_h - p - u * TEXT_GAP_U - band_h  # under the bar, above the band
        min_body = max(x.min_body_w for x in self.panels)
        if not side:
            if min_body > inner:
                return None
            fig_h = min(room - u * TEXT_GAP_U - self._max_h("body", inner), inner * MAX_FIGURE_TALL)
            fig_w = inner
        else:  # the figure as wide as its height allows, the steps in what is left
            fig_h = room
            fig_w = min(fig_h * FIGURE_ASPECT, inner * 0.7)
            while fig_w > inner * 0.3 and (inner - fig_w - p < min_body
                                          or self._max_h("body", inner - fig_w - p) > fig_h):
                fig_w -= inner * 0.05
            if fig_w <= inner * 0.3:
                return None
        if fig_h <= 0 or fig_w * fig_h < MIN_FIGURE_SHARE * pw * ph:
            return None
        return Arrangement(cols, rows, pw, ph, bar_h, band_h, side, fig_w, fig_h,
                           min(fig_h, fig_w / FIGURE_ASPECT))

    def make_figures(self) -> None:
        """Draw each figure at its final size (after ``arrange``)."""
        a = self.arrangement
        for panel in self.panels:
            panel.drawing = figure_flowable(panel.figure_id, self.ctx, a.fig_w, a.fig_h, panel.line)

    def arrow_strokes(self) -> list[float]:
        """The widest stroke (pt) in each figure's arrow colour (0 with no arrow), so a test
        can hold the arrow to 1.5 mm per metre (in greyscale the arrow shares the ink's grey,
        so this is the colour poster's measure)."""
        arrow = FigureStyle.from_brand(self.theme.brand_hex, greyscale=self.theme.greyscale).arrow.lower()
        return [max((s.strokeWidth for s in getattr(panel.drawing, "contents", ())
                     if isinstance(s, (Line, PolyLine)) and s.strokeColor is not None
                     and "#" + s.strokeColor.hexval()[2:].lower() == arrow), default=0.0)
                for panel in self.panels]

    def panel_boxes(self) -> list[tuple[float, float, float, float]]:
        """(x, y, w, h) of each panel inside the grid; a short last row is centred."""
        a, n = self.arrangement, len(self.panels)
        gap = self.theme.unit * GAP_U
        boxes = []
        for i in range(n):
            row, col = divmod(i, a.cols)
            in_row = min(a.cols, n - row * a.cols)
            shift = (a.cols - in_row) * (a.panel_w + gap) / 2
            x = shift + col * (a.panel_w + gap)
            y = self.height - (row + 1) * a.panel_h - row * gap
            boxes.append((x, y, a.panel_w, a.panel_h))
        return boxes

    def figure_boxes(self) -> list[tuple[float, float, float, float]]:
        """(x, y, w, h) of each figure's box inside the grid (tests look for ink there)."""
        a, p = self.arrangement, self.theme.unit * PAD_U
        return [(x + p, y + h - a.bar_h - p - a.fig_h, a.fig_w, a.fig_h) for x, y, _, h in self.panel_boxes()]

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self):
        for panel, box in zip(self.panels, self.panel_boxes()):
            _draw_panel(self.canv, panel, self.arrangement, box, self.theme)


def _better(a: Arrangement, b: Arrangement, n: int) -> bool:
    """Bigger figures win; within 2 %, fewer empty cells, then the figure above the steps."""
    if abs(a.figure_h - b.figure_h) > 0.02 * max(a.figure_h, b.figure_h):
        return a.figure_h > b.figure_h
    return (a.cols * a.rows - n, a.side) < (b.cols * b.rows - n, b.side)


def _draw_panel(canv, panel: PosterPanel, a: Arrangement, box, theme: PosterTheme) -> None:
    x, y, w, h = box
    u = theme.unit
    p = u * PAD_U
    canv.saveState()
    canv.translate(x, y)
    outline = canv.beginPath()
    outline.roundRect(0, 0, w, h, u * 0.3)
    canv.saveState()
    canv.setFillColor(colors.white)
    canv.clipPath(outline, stroke=0, fill=1)
    canv.setFillColor(theme.brand)
    canv.rect(0, h - a.bar_h, w, a.bar_h, stroke=0, fill=1)
    if a.band_h:
        canv.setFillColor(theme.brand_tint)
        canv.rect(0, 0, w, a.band_h, stroke=0, fill=1)
    canv.restoreState()
    canv.setStrokeColor(theme.brand)
    canv.setLineWidth(u * 0.08)
    canv.drawPath(outline, stroke=1, fill=0)
    inner = w - 2 * p
    title_h = panel.title.wrapOn(canv, inner - panel.badge_w, BIG)[1]
    panel.title.drawOn(canv, p + panel.badge_w, h - a.bar_h + (a.bar_h - title_h) / 2)
    _draw_badge(canv, panel.number, p, h - a.bar_h / 2, panel.badge_w - u * BADGE_GAP_U, theme)
    fig_top = h - a.bar_h - p
    d = panel.drawing
    d.wrapOn(canv, a.fig_w, a.fig_h)
    d.drawOn(canv, p + (a.fig_w - d.width) / 2, fig_top - a.fig_h + (a.fig_h - d.height) / 2)
    if a.side:
        draw_stack(canv, panel.body, p + a.fig_w + p, fig_top, inner - a.fig_w - p)
    else:
        draw_stack(canv, panel.body, p, fig_top - a.fig_h - u * TEXT_GAP_U, inner)
    if panel.dose:
        dose_h = stack_height(panel.dose, inner)
        draw_stack(canv, panel.dose, p, (a.band_h + dose_h) / 2, inner)
    canv.restoreState()


def _draw_badge(canv, number: int, x: float, y_mid: float, diameter: float, theme: PosterTheme) -> None:
    """The panel's number in a white disc on the title bar."""
    size = theme.sizes["card_title"]
    canv.setFillColor(colors.white)
    canv.roundRect(x, y_mid - size * 0.65, diameter, size * 1.3, size * 0.65, stroke=0, fill=1)
    canv.setFillColor(theme.brand)
    canv.setFont(BOLD, size)
    canv.drawCentredString(x + diameter / 2, y_mid - size * 0.36, str(number))


@handles("poster-grid")
def _poster_grid(node: Node, ctx: RenderContext) -> list:
    if not isinstance(ctx.theme, PosterTheme):
        raise MarkupError("<poster-grid> belongs in a poster template", ctx.template, node.line)
    panels = build(node.children, ctx)
    if not panels:
        raise MarkupError("<poster-grid> holds no <poster-panel>", ctx.template, node.line)
    return [PosterGrid(panels, node.attrs["columns"], ctx)]
