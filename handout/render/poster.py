"""Posters, stage 3: type sized from the viewing distance, a grid of exercise panels, one page.

In: the element tree of a poster template (``<document kind="poster">``), a page size and the
distance the smallest text must read from. Out: a ``PosterLayout`` (every part measured with
``wrap()``), then from it the PDF bytes of exactly one page. A poster that cannot fit raises
``DoesNotFit`` before anything is drawn; ``handout/poster.py`` decides what to tell the user.

Legibility rule: text is readable from d metres when its x-height subtends 15 arcminutes,
x-height >= d x tan(15') (4.36 mm per metre). Font sizes come from each font's own x-height
ratio (``fonts.x_height``), so the rule holds for the glyphs as printed.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A0, A1, A2, A3
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch, mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table,
                                TableStyle)
from reportlab.platypus.flowables import HRFlowable

from ..errors import LayoutError, MarkupError
from ..markup.parse import Node
from .components import figure_flowable
from .fonts import BOLD, FAMILY, REGULAR, register_fonts, x_height
from .handlers import RenderContext, build, handles
from .inline import collapse
from .theme import Theme

POSTER_SIZES_PT: dict[str, tuple[float, float]] = {
    "a3": A3, "a2": A2, "a1": A1, "a0": A0,
    "18x24in": (18 * inch, 24 * inch), "24x36in": (24 * inch, 36 * inch),
}
"""Portrait page sizes by the names ``--size`` accepts."""
SIZE_LABELS = {"a3": "A3", "a2": "A2", "a1": "A1", "a0": "A0", "18x24in": "18x24 in", "24x36in": "24x36 in"}

TAN_15_ARCMIN = math.tan(math.radians(15 / 60))
TITLE_DISTANCES = 2.5  # the title reads from 2.5 d (the rule asks for 2 d)
LEADING = 1.18  # big type needs less line spacing than body copy
FIGURE_ASPECT = 4 / 3  # width / height the figures are designed for; they fit any box
MIN_FIGURE_X_HEIGHTS = 14  # a figure at least this many body x-heights tall reads at the same distance
MARGIN_FRACTION, MIN_MARGIN_MM = 0.04, 12.0
# Spacing, in body sizes (``PosterTheme.unit``), so a poster looks the same at any distance.
PAD_U, GAP_U, SECTION_U, TEXT_GAP_U, BADGE_GAP_U = 0.4, 0.5, 0.6, 0.3, 0.35
QR_MIN_MM = 30.0  # scannable from about 30 cm, where people stand to scan
_BIG = 1e6
_SCRATCH = Canvas(io.BytesIO())  # wrapping some flowables needs a canvas; nothing is drawn on it


class DoesNotFit(Exception):
    """The content does not fit the page at this type size (internal; the API explains it)."""


# --- the type scale -------------------------------------------------------------------


def min_x_height_mm(distance_m: float) -> float:
    """The smallest x-height readable from ``distance_m``: it subtends 15 arcminutes."""
    return distance_m * 1000 * TAN_15_ARCMIN


def readable_distance_m(x_height_mm: float) -> float:
    """The distance from which text of this x-height can be read."""
    return x_height_mm / (1000 * TAN_15_ARCMIN)


def font_size_pt(x_height_mm: float, font: str) -> float:
    """The font size, rounded up to 0.01 pt, whose x-height is at least ``x_height_mm``."""
    return math.ceil(round(x_height_mm * 72 / 25.4 / x_height(font) * 100, 6)) / 100


@lru_cache(maxsize=64)
def poster_sizes(distance_m: float) -> dict[str, float]:
    """Font sizes (pt) by style name: nothing reads from less than ``distance_m``, the title
    from twice that."""
    xh = min_x_height_mm(distance_m)
    body, bold = font_size_pt(xh, REGULAR), font_size_pt(xh, BOLD)
    sizes = dict.fromkeys(("body", "li", "small", "caption", "table", "table_head", "box_title", "footer",
                           "header", "header_small"), body)
    sizes.update(lead=round(body * 1.1, 2), h3=round(bold * 1.15, 2), card_title=round(bold * 1.2, 2),
                 dose=round(bold * 1.3, 2), h2=round(bold * 1.4, 2), h1=font_size_pt(TITLE_DISTANCES * xh, BOLD))
    return sizes


@dataclass(frozen=True)
class PosterTheme(Theme):
    """A theme whose type is sized for a viewing distance, not for reading at arm's length."""

    distance_m: float = 2.0

    @property
    def sizes(self) -> dict:
        return poster_sizes(self.distance_m)

    @property
    def leading(self) -> float:
        return LEADING

    @property
    def unit(self) -> float:
        """The body size: every gap and padding on the poster is a multiple of it."""
        return self.sizes["body"]

    def style(self, name: str) -> ParagraphStyle:
        return _poster_styles(self)[name]


@lru_cache(maxsize=64)
def _poster_styles(theme: PosterTheme) -> dict[str, ParagraphStyle]:
    register_fonts()
    s = theme.sizes
    base = ParagraphStyle("body", fontName=FAMILY, fontSize=s["body"], leading=s["body"] * LEADING,
                          textColor=theme.ink, alignment=TA_LEFT, spaceAfter=s["body"] * 0.25, splitLongWords=0)

    def derive(name, leading=LEADING, **kw):
        return ParagraphStyle(name, parent=base, fontSize=s[name], leading=s[name] * leading, **kw)

    return {
        "body": base, "small": derive("small"), "caption": derive("caption"), "table": derive("table"),
        "li": derive("li", spaceAfter=s["li"] * 0.12),
        "lead": derive("lead", spaceAfter=0),
        "table_head": derive("table_head", fontName=BOLD),
        "box_title": derive("box_title", fontName=BOLD, spaceAfter=s["box_title"] * 0.2),
        "dose": derive("dose", leading=1.1, fontName=BOLD, textColor=theme.ink if theme.greyscale else theme.brand,
                       spaceAfter=0),
        "card_title": derive("card_title", leading=1.1, fontName=BOLD, textColor=colors.white, spaceAfter=0),
        "h1": derive("h1", leading=1.05, fontName=BOLD, textColor=theme.brand, spaceAfter=s["h1"] * 0.12),
        "h2": derive("h2", fontName=BOLD, textColor=theme.brand, spaceAfter=s["h2"] * 0.15),
        "h3": derive("h3", fontName=BOLD, spaceAfter=s["h3"] * 0.1),
    }


# --- measuring --------------------------------------------------------------------------


def stack_height(flowables: list, width: float) -> float:
    """Height of flowables stacked top to bottom (inner spaceBefore/After counted)."""
    total = 0.0
    for i, f in enumerate(flowables):
        total += f.wrapOn(_SCRATCH, width, _BIG)[1]
        if i:
            total += f.getSpaceBefore()
        if i < len(flowables) - 1:
            total += f.getSpaceAfter()
    return total


def draw_stack(canv, flowables: list, x: float, top: float, width: float) -> None:
    y = top
    for i, f in enumerate(flowables):
        if i:
            y -= f.getSpaceBefore()
        h = f.wrapOn(canv, width, _BIG)[1]
        f.drawOn(canv, x, y - h)
        y -= h + f.getSpaceAfter()


def longest_word_pt(text: str, size: float) -> float:
    """Width of the longest word, set in bold (the wider weight) to be safe."""
    return max((stringWidth(w, BOLD, size) for w in text.split()), default=0.0)


def _trim(flowables: list) -> list:
    while flowables and isinstance(flowables[-1], Spacer):
        flowables = flowables[:-1]
    return flowables


# --- panels and the grid ------------------------------------------------------------------


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
        _trim(build(body_nodes, ctx)), _trim(build(dose_nodes, ctx)),
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
            fig_h = room - u * TEXT_GAP_U - self._max_h("body", inner)
            fig_w = inner
        else:  # the figure as wide as its height allows, the steps in what is left
            fig_h = room
            fig_w = min(fig_h * FIGURE_ASPECT, inner * 0.7)
            while fig_w > inner * 0.3 and (inner - fig_w - p < min_body
                                          or self._max_h("body", inner - fig_w - p) > fig_h):
                fig_w -= inner * 0.05
            if fig_w <= inner * 0.3:
                return None
        if fig_h <= 0:
            return None
        return Arrangement(cols, rows, pw, ph, bar_h, band_h, side, fig_w, fig_h,
                           min(fig_h, fig_w / FIGURE_ASPECT))

    def make_figures(self) -> None:
        """Draw each figure at its final size (after ``arrange``)."""
        a = self.arrangement
        for panel in self.panels:
            panel.drawing = figure_flowable(panel.figure_id, self.ctx, a.fig_w, a.fig_h, panel.line)

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
    title_h = panel.title.wrapOn(canv, inner - panel.badge_w, _BIG)[1]
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


# --- the page -----------------------------------------------------------------------------


def page_size_pt(size: str, landscape: bool) -> tuple[float, float]:
    w, h = POSTER_SIZES_PT[size]
    return (h, w) if landscape else (w, h)


def margin_pt(page: tuple[float, float]) -> float:
    return max(MIN_MARGIN_MM * mm, MARGIN_FRACTION * min(page))


@dataclass
class PosterLayout:
    """Everything on the page, measured: header (title, why), grid, footer (safety, clinic, QR)."""

    page: tuple[float, float]
    margin: float
    theme: PosterTheme
    header: list
    grid: PosterGrid
    footer: list
    footer_side: list  # the QR code, right of the footer text
    side_w: float

    @property
    def frame(self) -> tuple[float, float]:
        return self.page[0] - 2 * self.margin, self.page[1] - 2 * self.margin

    @property
    def header_h(self) -> float:
        return stack_height(self.header, self.frame[0])

    @property
    def grid_top(self) -> float:
        """Distance from the frame's top to the grid's top."""
        return self.header_h + self.theme.unit * SECTION_U

    def figure_boxes_on_page(self) -> list[tuple[float, float, float, float]]:
        """Each figure's box in page points (origin bottom left), for pixel checks."""
        gx = self.margin
        gy = self.page[1] - self.margin - self.grid_top - self.grid.height
        return [(gx + x, gy + y, w, h) for x, y, w, h in self.grid.figure_boxes()]


def compose(tree: Node, ctx: RenderContext, page: tuple[float, float]) -> PosterLayout:
    """Build and measure every part of the poster at the theme's type size; raise DoesNotFit
    if it cannot all go on the page."""
    theme: PosterTheme = ctx.theme
    u = theme.unit
    margin = margin_pt(page)
    width, height = page[0] - 2 * margin, page[1] - 2 * margin
    ctx = RenderContext(**{**ctx.__dict__, "frame_width": width, "frame_height": height})
    blocks = [c for c in tree.children if isinstance(c, Node)]
    grids = [i for i, b in enumerate(blocks) if b.tag == "poster-grid"]
    if len(grids) != 1:
        raise MarkupError(f"a poster needs exactly one <poster-grid>, found {len(grids)}", ctx.template, tree.line)
    head_nodes, foot_nodes = blocks[:grids[0]], blocks[grids[0] + 1:]
    _check_words(head_nodes, theme, width)
    header = _trim(_build_blocks(head_nodes, ctx))
    if header:
        header.append(HRFlowable(width="100%", thickness=u * 0.12, color=theme.brand, spaceBefore=u * 0.35,
                                 spaceAfter=0, hAlign="LEFT"))
    footer, side, side_w = _footer(foot_nodes, ctx, width)
    (grid,) = build([blocks[grids[0]]], ctx)
    layout = PosterLayout(page, margin, theme, header, grid, footer, side, side_w)
    footer_h = max(stack_height(footer, width - _side_room(side_w, u)), stack_height(side, side_w))
    grid_h = height - layout.grid_top - (footer_h + u * SECTION_U if footer or side else 0)
    if grid_h <= 0:
        raise DoesNotFit("the title, safety note and clinic details fill the page")
    grid.arrange(width, grid_h)
    return layout


def _side_room(side_w: float, unit: float) -> float:
    return side_w + unit * SECTION_U if side_w else 0.0


def _footer(nodes: list[Node], ctx: RenderContext, width: float) -> tuple[list, list, float]:
    """The footer's text blocks, and a QR code beside them no taller than they are (but
    at least QR_MIN_MM, and at most its own size): the footer should not grow for it."""
    theme: PosterTheme = ctx.theme
    qr_nodes = [b for b in nodes if b.tag == "qr"]
    text_nodes = [b for b in nodes if b.tag != "qr"]

    def text(side_w):
        w = width - _side_room(side_w, theme.unit)
        _check_words(text_nodes, theme, w)
        return _trim(_build_blocks(text_nodes, RenderContext(**{**ctx.__dict__, "frame_width": w}))), w

    if not qr_nodes:
        return text(0.0)[0], [], 0.0
    widest = min(max(b.attrs["size"] for b in qr_nodes), width * 0.25)
    blocks, w = text(widest)
    side_w = min(widest, max(stack_height(blocks, w), QR_MIN_MM * mm))
    side = build(qr_nodes, RenderContext(**{**ctx.__dict__, "frame_width": side_w}))
    return text(side_w)[0], side, side_w


def _build_blocks(nodes: list[Node], ctx: RenderContext) -> list:
    """Flowables for header and footer blocks; a box gets padding and a border in proportion
    to poster type (the handout's are sized for 13 pt)."""
    theme: PosterTheme = ctx.theme
    out = []
    for node in nodes:
        made = build([node], ctx)
        if node.tag == "box" and made and isinstance(made[0], Table):
            pad = theme.unit * 0.45
            edge = theme.brand if node.attrs["kind"] == "note" else theme.warning
            edge = colors.Color(0.2, 0.2, 0.2) if theme.greyscale else edge
            made[0].setStyle(TableStyle([
                ("BOX", (0, 0), (-1, -1), theme.unit * 0.1, edge),
                ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, 0), pad * 0.7), ("BOTTOMPADDING", (0, -1), (-1, -1), pad * 0.8),
            ]))
        out += made
    return out


def _check_words(nodes: list[Node], theme: PosterTheme, width: float) -> None:
    for node in nodes:
        size = theme.sizes.get(node.attrs.get("style") or node.tag, theme.unit)
        indent = 0 if node.tag in ("h1", "h2", "h3", "p") else theme.unit * 2.5  # box padding, bullets
        if longest_word_pt(node.text(), size) > width - indent:
            raise DoesNotFit(f"a word in <{node.tag}> is wider than the poster")


class _PosterPage(Flowable):
    """The whole poster as one flowable filling the frame: header at the top, footer at the
    bottom, the grid between."""

    def __init__(self, layout: PosterLayout):
        super().__init__()
        self.layout = layout
        self.width, self.height = layout.frame

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self):
        lay, canv = self.layout, self.canv
        draw_stack(canv, lay.header, 0, self.height, self.width)
        grid = lay.grid
        grid.wrapOn(canv, grid.width, grid.height)
        grid.drawOn(canv, 0, self.height - lay.grid_top - grid.height)
        text_w = self.width - _side_room(lay.side_w, lay.theme.unit)
        foot_h = stack_height(lay.footer, text_w)
        draw_stack(canv, lay.footer, 0, foot_h, text_w)
        side_h = stack_height(lay.footer_side, lay.side_w)
        draw_stack(canv, lay.footer_side, self.width - lay.side_w, side_h, lay.side_w)


def render_poster(layout: PosterLayout, meta: dict) -> bytes:
    """The PDF bytes of the poster: exactly one page, or a LayoutError."""
    layout.grid.make_figures()
    width, height = layout.frame
    frame = Frame(layout.margin, layout.margin, width, height, id="poster",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=layout.page, pageTemplates=[PageTemplate("poster", [frame])],
        title=meta.get("title", ""), author=meta.get("author", ""), subject=meta.get("subject", ""),
        creator="handout", producer="handout", lang=meta.get("lang", "en"), invariant=1,
        initialFontName=REGULAR, displayDocTitle=1,
    )
    doc.build([_PosterPage(layout)])
    if doc.page != 1:  # cannot happen: the page flowable is the frame's size
        raise LayoutError(f"the poster came out as {doc.page} pages instead of one")
    return buffer.getvalue()
