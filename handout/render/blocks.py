"""Block tags to flowables: headings, paragraphs, lists, tables, rules, spacing, columns."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import (CondPageBreak, KeepTogether, ListFlowable, ListItem, PageBreak,
                                Spacer, TableStyle)
from reportlab.platypus.flowables import HRFlowable

from ..markup.parse import Node
from ..markup.spec import INLINE_TAGS
from .handlers import RenderContext, build, handles, in_cell
from .inline import collapse, inline_markup
from .reuse import MemoTable, Para


class Gap(Spacer):
    """Space between blocks, dropped at the top of a page and cut to what is left at the
    bottom: space alone must never push a block on, nor make a page of its own."""

    def wrap(self, avail_width, avail_height):
        frame = getattr(self, "_frame", None)
        if frame is not None and frame._atTop:
            return self.width, 0
        return self.width, max(0, min(self.height, avail_height))


class KeptList(ListFlowable):
    """A list that splits only between items and only where three lines stay on each side
    (a lone bullet never ends or starts a page)."""

    line = 0.0  # a line of its text, in points

    def split(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        items = list(self._content)
        heights = [f.wrap(availWidth, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in items]
        count, used = 0, 0.0
        while count < len(items) and used + heights[count] <= availHeight:
            used += heights[count]
            count += 1
        if count == len(items):
            return items
        need = 3 * self.line - 1
        while count and sum(heights[count:]) < need:  # too little would go on: end earlier
            count -= 1
            used -= heights[count]
        if not count or used < need:
            return []  # too little would stay: the whole list goes on
        return items[:count] + [CondPageBreak(1e6)] + items[count:]


def paragraph(node: Node, ctx: RenderContext, style_name: str) -> Para:
    return Para(collapse(inline_markup(node.children, ctx.theme)), ctx.theme.style(style_name))


def flow(node: Node, ctx: RenderContext, style_name: str = "body") -> list:
    """A node holding either inline content (one paragraph) or blocks."""
    if all(isinstance(c, str) or c.tag in INLINE_TAGS for c in node.children):
        if not node.text().strip():
            return []
        return [paragraph(node, ctx, style_name)]
    return build(node.children, ctx)


class Heading(Para):
    """A heading that asks the document for a bookmark (its first part only, if it is split)."""

    def __init__(self, text, style=None, level=None, **kw):
        super().__init__(text, style, **kw)  # Paragraph.split makes the parts with its own keywords
        self.bookmark_level = level
        self.bookmark_title = " ".join(self.getPlainText().split()) if level is not None else ""

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for n, part in enumerate(parts):
            part.bookmark_level = self.bookmark_level if n == 0 else None
            part.bookmark_title = self.bookmark_title if n == 0 else ""
            part.keepWithNext = self.getKeepWithNext()
        return parts


@handles("h1", "h2", "h3")
def _heading(node: Node, ctx: RenderContext) -> list:
    level = int(node.tag[1]) - 1
    heading = Heading(collapse(inline_markup(node.children, ctx.theme)), ctx.theme.style(node.tag), level)
    if heading.wrap(ctx.frame_width, ctx.frame_height)[1] > ctx.frame_height / 2:
        heading.keepWithNext = 0  # ReportLab loops for ever on a kept-with-next block taller than a page
    return [heading]


@handles("p")
def _p(node: Node, ctx: RenderContext) -> list:
    return [paragraph(node, ctx, node.attrs["style"])]


@handles("ul", "ol")
def _list(node: Node, ctx: RenderContext) -> list:
    theme = ctx.theme
    size = theme.sizes["body"]
    items = []
    for li in node.children:
        if isinstance(li, Node):
            items.append(ListItem(flow(li, ctx, "li") or [Spacer(0, 0)]))
    kw = dict(bulletFontName=theme.style("body").fontName, bulletFontSize=size, leftIndent=size * 1.6,
              bulletColor=theme.brand)
    if node.tag == "ol":
        made = KeptList(items, bulletType="1", start=node.attrs["start"], bulletFormat="%s.",
                        bulletFontName="NotoSans-Bold", **{k: v for k, v in kw.items() if k != "bulletFontName"})
    else:
        made = KeptList(items, bulletType="bullet", start="\u2022", **kw)
    made.line = size * theme.leading
    return [made]


@handles("li")
def _li(node: Node, ctx: RenderContext) -> list:
    return flow(node, ctx, "li")


@handles("table")
def _table(node: Node, ctx: RenderContext) -> list:
    theme = ctx.theme
    rows = [r for r in node.children if isinstance(r, Node)]
    data, heads = [], []
    for r, row in enumerate(rows):
        cells = [c for c in row.children if isinstance(c, Node)]
        data.append([in_cell(flow(c, ctx, "table_head" if c.tag == "th" else "table")) for c in cells])
        heads += [(i, r) for i, c in enumerate(cells) if c.tag == "th"]  # (column, row)
    ncols = max((len(r) for r in data), default=0)
    if not ncols:  # no rows, or rows without cells: nothing to draw
        return []
    for r in data:
        r += [[]] * (ncols - len(r))
    widths = _widths(node.attrs["widths"], ncols, ctx.frame_width)
    style = [("GRID", (0, 0), (-1, -1), 0.75, theme.rule), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5)]
    style += [("BACKGROUND", cell, cell, theme.brand_tint) for cell in heads]
    return [MemoTable(data, colWidths=widths, style=TableStyle(style), repeatRows=node.attrs["header"])]


def _widths(spec: str, ncols: int, total: float) -> list[float]:
    parts = spec.split()
    try:
        weights = [float(p) for p in parts] if len(parts) == ncols else [1.0] * ncols
    except ValueError:
        weights = [1.0] * ncols
    if not all(0 < w < float("inf") for w in weights):  # zero, negative, nan or inf: equal columns
        weights = [1.0] * ncols
    scale = total / sum(weights)
    return [w * scale for w in weights]


@handles("hr")
def _hr(node: Node, ctx: RenderContext) -> list:
    return [HRFlowable(width="100%", thickness=1, color=ctx.theme.rule, spaceBefore=4, spaceAfter=8)]


@handles("spacer")
def _spacer(node: Node, ctx: RenderContext) -> list:
    return [Gap(0, min(node.attrs["height"], ctx.frame_height))]


@handles("page-break")
def _page_break(node: Node, ctx: RenderContext) -> list:
    return [PageBreak()]


@handles("keep-together")
def _keep(node: Node, ctx: RenderContext) -> list:
    return [KeepTogether(build(node.children, ctx))]


@handles("columns")
def _columns(node: Node, ctx: RenderContext) -> list:
    """Its blocks flow down the first column, then the next, and on across pages, balanced
    where they end (``FlowingColumns``), so long text is set at a comfortable line length."""
    from .columns import FlowingColumns

    count = node.attrs["count"]
    gap = ctx.theme.sizes["body"] * 1.5
    width = (ctx.frame_width - gap * (count - 1)) / count
    sub = RenderContext(**{**ctx.__dict__, "frame_width": width})
    blocks = []
    for f in in_cell(build([c for c in node.children if isinstance(c, Node)], sub)):
        blocks += list(f._content) if isinstance(f, ListFlowable) else [f]  # a list splits between its items
    if not blocks:
        return []
    return [FlowingColumns(blocks, count, gap, ctx.theme.sizes["body"] * ctx.theme.leading)]


__all__ = ["flow", "paragraph", "Heading", "Gap", "colors"]
