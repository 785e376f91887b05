"""Posters, stage 3: one page from the element tree of a poster template.

In: the tree (``<document kind="poster">``), a page size and a ``PosterTheme`` whose type
reads from the design distance. Out: a ``PosterLayout`` (header, grid, footer, every part
measured with ``wrap()``), then from it the PDF bytes of exactly one page. A poster that
cannot fit raises ``DoesNotFit`` before anything is drawn; ``pipeline/poster.py`` decides
what to tell the user. The type scale is in ``poster_theme``, the panels in ``poster_grid``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from ..errors import LayoutError, MarkupError
from ..markup.parse import Node
from .fonts import REGULAR
from .handlers import RenderContext, build
from .poster_grid import PosterGrid
from ..model.poster_sizes import POSTER_SIZES_PT
from .poster_theme import (
    SECTION_U,
    DoesNotFit,
    PosterTheme,
    draw_stack,
    longest_word_pt,
    stack_height,
    trim,
)

MARGIN_FRACTION, MIN_MARGIN_MM = 0.03, 12.0
QR_MIN_MM = 30.0  # scannable from about 30 cm, where people stand to scan


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

    def _on_page(self, boxes) -> list[tuple[float, float, float, float]]:
        gx = self.margin
        gy = self.page[1] - self.margin - self.grid_top - self.grid.height
        return [(gx + x, gy + y, w, h) for x, y, w, h in boxes]

    def figure_boxes_on_page(self) -> list[tuple[float, float, float, float]]:
        """Each figure's box in page points (origin bottom left), for pixel checks."""
        return self._on_page(self.grid.figure_boxes())

    def panel_boxes_on_page(self) -> list[tuple[float, float, float, float]]:
        """Each panel's box in page points, in the figures' order."""
        return self._on_page(self.grid.panel_boxes())


def compose(tree: Node, ctx: RenderContext, page: tuple[float, float], memo: dict | None = None) -> PosterLayout:
    """Build and measure every part of the poster at the theme's type size; raise DoesNotFit
    if it cannot all go on the page (``memo``: see ``PosterGrid.arrange``)."""
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
    header = trim(_build_blocks(head_nodes, ctx))
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
    grid.arrange(width, grid_h, memo)
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
        return trim(_build_blocks(text_nodes, RenderContext(**{**ctx.__dict__, "frame_width": w}))), w

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
