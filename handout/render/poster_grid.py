"""The poster's exercise panels and the grid that arranges them.

Each ``<poster-panel>`` becomes a ``PosterPanel`` (title bar, figure, short steps, dose
band); ``<poster-grid>`` becomes a ``PosterGrid`` that picks the columns x rows giving the
biggest figures for the room it gets, or raises ``DoesNotFit``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.graphics.shapes import Line, Polygon, PolyLine
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from ..errors import MarkupError
from ..figures import FigureStyle
from ..markup.parse import Node
from .components import figure_flowable
from .fonts import BOLD, REGULAR, x_height
from .handlers import RenderContext, build, handles
from .inline import collapse, escape
from .poster_rows import Arrangement, Measure, PanelBox, best_grid
from .poster_theme import (
    BADGE_GAP_U,
    BIG,
    PAD_U,
    DoesNotFit,
    PosterTheme,
    draw_stack,
    longest_word_pt,
    stack_height,
    trim,
)

FIGURE_ASPECT = 4 / 3  # an own picture's box (width / height): a landscape photo is usual
PROBE_PT = 100.0  # the figure drawn this big, to learn its shape (the handout's cards probe the same)
SHAPE_PT = 300.0  # then in a box of its shape this big (square root of the area), to measure it
ARROW_MM_PER_M = 1.5  # an arrow's stroke, per metre of reading distance
OUTLINE_MM_PER_M = 1.0  # a limb's visible outline, the moving limb's included (2 arcmin is 0.58)
MIN_FIGURE_X_HEIGHTS = 14  # a figure this many body x-heights tall (at 4:3) reads at the same distance


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
    key: tuple  # the steps' text: the same steps measure the same in body sizes at any distance
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
        tuple((b.tag, tuple(c.text() for c in b.children if isinstance(c, Node))) for b in body_nodes),
    )]


class PosterGrid(Flowable):
    """The panels, in the columns x rows that give the biggest figures for the space."""

    def __init__(self, panels: list[PosterPanel], columns: int, ctx: RenderContext):
        super().__init__()
        self.panels, self.columns, self.ctx = panels, columns, ctx
        self.theme: PosterTheme = ctx.theme
        self.arrangement: Arrangement | None = None

    def arrange(self, width: float, height: float, memo: dict | None = None) -> Arrangement:
        """Choose the grid for ``width`` x ``height``, or raise DoesNotFit saying why (``memo``:
        the figures' shapes and the steps' heights in body sizes, kept by the caller across
        viewing distances)."""
        n, u = len(self.panels), self.theme.unit
        memo = {} if memo is None else memo
        shapes = [memo.get(("shape", p.figure_id)) or memo.setdefault(
            ("shape", p.figure_id), figure_shape(p.figure_id, self.ctx, p.line)) for p in self.panels]
        measure = Measure(self.panels, u, self.theme.sizes["card_title"] * 1.3,
                          [(s.aspect, s.fill) for s in shapes], memo)
        best = best_grid(measure, self.columns, width, height)
        if best is None or not self._readable(best, shapes):
            raise DoesNotFit(f"{n} exercise panels need more room")
        self.arrangement = best
        self.width, self.height = width, height
        return best

    def _readable(self, a: Arrangement, shapes: list[FigureShape]) -> bool:
        """Every figure reads from as far as the text: as big as one FIGURE_ASPECT wide and
        MIN_FIGURE_X_HEIGHTS body x-heights tall, its arrows and outlines as thick as the
        distance asks."""
        tall = MIN_FIGURE_X_HEIGHTS * self.theme.unit * x_height(REGULAR)
        mm = self.theme.distance_m * 72 / 25.4  # points per mm per metre
        return a.area >= tall * tall * FIGURE_ASPECT and all(
            box.figure[2] * s.arrow >= ARROW_MM_PER_M * mm * (s.arrow > 0)
            and box.figure[2] * s.outline >= OUTLINE_MM_PER_M * mm * (s.outline > 0)
            for box, s in zip(a.boxes, shapes))

    def make_figures(self) -> None:
        """Draw each figure at its final size (after ``arrange``)."""
        for panel, box in zip(self.panels, self.arrangement.boxes):
            panel.drawing = figure_flowable(panel.figure_id, self.ctx, box.figure[2], box.figure[3], panel.line)

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
        """(x, y, w, h) of each panel inside the grid."""
        return [(b.x, b.y, b.w, b.h) for b in self.arrangement.boxes]

    def figure_boxes(self) -> list[tuple[float, float, float, float]]:
        """(x, y, w, h) of each figure's box inside the grid (tests look for ink there)."""
        return [(b.x + b.figure[0], b.y + b.figure[1], b.figure[2], b.figure[3]) for b in self.arrangement.boxes]

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self):
        for panel, box in zip(self.panels, self.arrangement.boxes):
            _draw_panel(self.canv, panel, box, self.theme)


@dataclass(frozen=True)
class FigureShape:
    """What a figure draws, per point of its box's width: its shape (width over height), the
    share of its box its ink covers (strokes, the arrows' white halos and a point of padding
    are in the box, not in the ink), its arrows' stroke and its limbs' visible outline."""

    aspect: float
    fill: float
    arrow: float  # stroke width per point of box width (0: no arrow, or an own picture)
    outline: float


def figure_shape(exercise_id: str, ctx: RenderContext, line) -> FigureShape:
    """The figure probed in a square, then in a box of the shape found there."""
    probe = figure_flowable(exercise_id, ctx, PROBE_PT, PROBE_PT, line)
    if getattr(probe, "getBounds", None) is None:  # an own picture, drawn whole in any box
        return FigureShape(FIGURE_ASPECT, 1.0, 0.0, 0.0)
    x0, y0, x1, y1 = probe.getBounds()
    aspect = max(x1 - x0, 1.0) / max(y1 - y0, 1.0)
    w, h = SHAPE_PT * math.sqrt(aspect), SHAPE_PT / math.sqrt(aspect)
    drawing = figure_flowable(exercise_id, ctx, w, h, line)
    x0, y0, x1, y1 = drawing.getBounds()
    style = FigureStyle.from_brand(ctx.theme.brand_hex, greyscale=ctx.theme.greyscale)
    return FigureShape((x1 - x0) / (y1 - y0), min(1.0, (x1 - x0) * (y1 - y0) / (w * h)),
                       _widest(drawing, style.arrow, (Line, PolyLine)) / w, _outline(drawing, style.ink) / w)


def _colour(shape, attr: str) -> str | None:
    colour = getattr(shape, attr, None)
    return None if colour is None else "#" + colour.hexval()[2:].upper()


def _widest(drawing, colour: str, kinds) -> float:
    """The widest stroke of this colour among shapes of these kinds (0 when none)."""
    return max((s.strokeWidth for s in getattr(drawing, "contents", ())
                if isinstance(s, kinds) and _colour(s, "strokeColor") == colour.upper()), default=0.0)


def _outline(drawing, ink: str) -> float:
    """The limbs' visible outline: each limb is a silhouette stroked and filled in ink, then
    filled in its colour, which covers the inner half of the stroke. (The widest such stroke:
    in grey-scale the arrowheads are ink too, with a thinner edge.)"""
    widths = [s.strokeWidth / 2 for s in getattr(drawing, "contents", ()) if isinstance(s, Polygon)
              and _colour(s, "strokeColor") == ink.upper() and _colour(s, "fillColor") == ink.upper()]
    return max(widths, default=0.0)


def _draw_panel(canv, panel: PosterPanel, box: PanelBox, theme: PosterTheme) -> None:
    x, y, w, h = box.x, box.y, box.w, box.h
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
    canv.rect(0, h - box.bar_h, w, box.bar_h, stroke=0, fill=1)
    if box.band_h:
        canv.setFillColor(theme.brand_tint)
        canv.rect(0, 0, w, box.band_h, stroke=0, fill=1)
    canv.restoreState()
    canv.setStrokeColor(theme.brand)
    canv.setLineWidth(u * 0.08)
    canv.drawPath(outline, stroke=1, fill=0)
    inner = w - 2 * p
    title_h = panel.title.wrapOn(canv, inner - panel.badge_w, BIG)[1]
    panel.title.drawOn(canv, p + panel.badge_w, h - box.bar_h + (box.bar_h - title_h) / 2)
    _draw_badge(canv, panel.number, p, h - box.bar_h / 2, panel.badge_w - u * BADGE_GAP_U, theme)
    fx, fy, fw, fh = box.figure
    d = panel.drawing
    d.wrapOn(canv, fw, fh)
    d.drawOn(canv, fx + (fw - d.width) / 2, fy + (fh - d.height) / 2)
    tx, top, tw = box.text
    draw_stack(canv, panel.body, tx, top, tw)
    if panel.dose:
        dose_h = stack_height(panel.dose, inner)
        draw_stack(canv, panel.dose, p, (box.band_h + dose_h) / 2, inner)
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
