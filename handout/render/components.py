"""Components: the parts that need computation (cards, figures, boxes, the log, QR codes)."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.platypus import Flowable, KeepInFrame, TableStyle

from ..errors import FigureError, MarkupError
from ..figures import FigureStyle, build_figure
from ..markup.parse import Node
from ..markup.spec import INLINE_TAGS
from ..model.i18n import translations
from .blocks import Gap, flow
from .fonts import BOLD, REGULAR
from .handlers import RenderContext, build, handles, in_cell
from .inline import collapse, inline_markup
from .reuse import MemoTable, Para, kept_aspect, kept_figure

CARD_FIGURE_MM = 48  # figures at least 45 mm wide on a normal-print card, 70 mm in large print
CARD_FIGURE_LARGE_MM = 76
# A wide figure (a body lying on its side, a turn over a counter) gets a wider box, so the
# person in it is not drawn smaller than in the others ("the picture is tiny"): by the square
# root of how much wider than WIDE_ASPECT it is, at most WIDE_GROWTH times.
WIDE_ASPECT = 1.25
WIDE_GROWTH = 1.3
QR_MAX_BYTES = 2_210  # about what a version-40 QR code holds at error correction level M (bytes)
PAD = 6


class Card(Flowable):
    """An exercise card: one unit that is never split across pages."""

    def __init__(self, table: Flowable, number: int, name: str, max_height: float):
        super().__init__()
        self.inner = table
        self.card_number = number
        self.card_name = name
        self.max_height = max_height

    def wrap(self, avail_width, avail_height):
        w, h = self.inner.wrapOn(self.canv, avail_width, avail_height)
        if h > self.max_height:  # taller than a whole page: shrink rather than split
            self.inner = KeepInFrame(avail_width, self.max_height, [self.inner], mode="shrink")
            w, h = self.inner.wrapOn(self.canv, avail_width, self.max_height)
        self.width, self.height = w, h
        return w, h

    def split(self, avail_width, avail_height):
        return []

    def draw(self):
        self.inner.drawOn(self.canv, 0, 0)


def _exercise_of(exercise_id: str, ctx: RenderContext, line):
    """(the library exercise, its folder), or the error naming it."""
    if exercise_id not in ctx.exercises:
        known = ", ".join(sorted(ctx.exercises)) or "none"
        raise MarkupError(f'figure of "{exercise_id}": not an exercise of this document (known: {known})',
                          ctx.template, line)
    return ctx.exercises[exercise_id]


def figure_flowable(exercise_id: str, ctx: RenderContext, width: float, height: float, line=None) -> Flowable:
    """The figure of a library exercise, sized to the box."""
    exercise, base_dir = _exercise_of(exercise_id, ctx, line)
    style = FigureStyle.from_brand(ctx.theme.brand_hex, greyscale=ctx.theme.greyscale)
    return kept_figure(exercise.id, exercise.figure, exercise.image, base_dir, width, height, style)


@handles("clinic-header")
def _clinic_header(node: Node, ctx: RenderContext) -> list:
    logo = node.attrs.get("logo")
    if logo:  # checked now, so a bad logo is a clear error before any page is drawn
        from .pictures import checked_reader, resolve_inside

        try:
            checked_reader(resolve_inside(logo, ctx.image_dirs))
        except FigureError as exc:
            raise FigureError(f'clinic logo "{logo}": {exc}') from None
    ctx.header = dict(node.attrs)
    return []


@handles("exercise")
def _exercise(node: Node, ctx: RenderContext) -> list:
    """A card: title bar, then the figure with the dose and text flowing beside it and on
    under it at full width (a side column alone wastes the space below a short figure)."""
    from reportlab.platypus.flowables import ImageAndFlowables

    theme = ctx.theme
    number, name, fig_id = node.attrs["number"], node.attrs["name"], node.attrs["figure"]
    title = Para(f"{number}&nbsp;&nbsp;{collapse(_esc(name))}", theme.style("card_title"))
    inner_w = ctx.frame_width - 2 * PAD
    sub = RenderContext(**{**ctx.__dict__, "frame_width": inner_w})
    body = []
    for child in node.children:  # steps as numbered paragraphs: they can flow on under the figure
        if isinstance(child, Node) and child.tag == "ol":
            items = [li for li in child.children if isinstance(li, Node)]
            body += [Para(collapse(inline_markup(li.children, theme)), _step_style(theme), bulletText=f"{n}.")
                     for n, li in enumerate(items, start=child.attrs["start"])]
        elif isinstance(child, Node):
            body += in_cell(build([child], sub))
    for f in body:  # a card is read as one unit: tight spacing between its parts
        f.spaceAfter = theme.sizes["body"] * (0.1 if getattr(f, "style", None) is _step_style(theme) else 0.2)
    if node.attrs["dose"]:  # the dose on the title bar: beside the name when both fit, else under it
        name_w = _title_width(name, theme)
        bar_dose = Para(_esc(node.attrs["dose"]), _bar_dose_style(theme, _fits_beside(name_w, node.attrs["dose"],
                                                                                   theme, inner_w)))
        if bar_dose.style.alignment == TA_RIGHT:
            # the name's column as wide as the name, the dose's the rest: two equal columns
            # broke a dose that fitted beside the name onto two lines ("left leg / only")
            title = MemoTable([[title, bar_dose]], colWidths=[name_w, None], style=TableStyle([
                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        else:
            title = [title, bar_dose]
    if fig_id:
        base = (CARD_FIGURE_LARGE_MM if theme.large_print else CARD_FIGURE_MM) * 72 / 25.4
        aspect = _ink_aspect(fig_id, ctx, node.line)
        fig_w = base * min(max((aspect / WIDE_ASPECT) ** 0.5, 1.0), WIDE_GROWTH)
        fig_h = min(max(fig_w / aspect, base * 0.45), base * (1.42 if theme.large_print else 1.46))
        figure = figure_flowable(fig_id, ctx, fig_w, fig_h, node.line)
        body = [ImageAndFlowables(_FigureBlock(figure), body,
                                  imageSide="left", imageRightPadding=PAD * 1.5, imageBottomPadding=PAD)]
    table = MemoTable([[title], [body]], colWidths=[ctx.frame_width], style=TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), theme.brand),
        ("BOX", (0, 0), (-1, -1), 1.2, theme.brand),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 1), (-1, -1), PAD), ("BOTTOMPADDING", (0, -1), (-1, -1), PAD),
    ]))
    return [Card(table, number, name, ctx.frame_height), Gap(0, theme.sizes["body"] * 0.6)]


_STEP_STYLES: dict = {}
_BAR_DOSE_STYLES: dict = {}


def _title_width(name: str, theme) -> float:
    """The width of a card's number and name on its title bar, and a gap after it."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(f"00  {name}", BOLD, theme.sizes["card_title"]) + theme.sizes["body"]


def _fits_beside(name_w: float, dose: str, theme, width: float) -> bool:
    """Whether the dose fits on the title bar beside a name ``name_w`` wide (``_title_width``)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return name_w + stringWidth(dose, BOLD, theme.sizes["dose"]) + theme.sizes["body"] <= width


def _bar_dose_style(theme, beside: bool):
    """The dose on the title bar: bold, white; right-aligned beside the name, else under it."""
    from reportlab.lib.styles import ParagraphStyle

    style = _BAR_DOSE_STYLES.get((theme, beside))
    if style is None:
        style = _BAR_DOSE_STYLES[theme, beside] = ParagraphStyle(
            "bar_dose", parent=theme.style("dose"), textColor="white", spaceAfter=0,
            alignment=TA_RIGHT if beside else TA_LEFT)
    return style



def _step_style(theme):
    """A numbered step: the number hangs in the margin, in the brand colour, bold."""
    from reportlab.lib.styles import ParagraphStyle

    style = _STEP_STYLES.get(theme)
    if style is None:
        size = theme.sizes["body"]
        style = _STEP_STYLES[theme] = ParagraphStyle(
            "card_step", parent=theme.style("body"), leftIndent=size * 1.6, bulletIndent=0, allowOrphans=1,
            bulletFontName=BOLD, bulletFontSize=size, bulletColor=theme.brand)
    return style


def _ink_aspect(exercise_id: str, ctx: RenderContext, line) -> float:
    """Width over height of what the figure draws, so its box can be as wide as the card allows
    (measured on a 100 x 100 probe, drawn and not kept: the measure is kept with the figures,
    so a fresh build draws or loads no probe)."""
    exercise, base_dir = _exercise_of(exercise_id, ctx, line)
    style = FigureStyle.from_brand(ctx.theme.brand_hex, greyscale=ctx.theme.greyscale)

    def measure() -> float:
        probe = build_figure(exercise.id, exercise.figure, exercise.image, base_dir, 100.0, 100.0, style)
        bounds = getattr(probe, "getBounds", None)
        if bounds is None:  # an own picture: a landscape photo is the usual shape
            return 1 / 0.78
        x0, y0, x1, y1 = bounds()
        return max(x1 - x0, 1.0) / max(y1 - y0, 1.0)

    return kept_aspect(exercise.id, exercise.figure, exercise.image, base_dir, style, measure)


class _FigureBlock(Flowable):
    """A card's figure as ImageAndFlowables' "image": drawn at its own size, never resized."""

    def __init__(self, figure: Flowable):
        super().__init__()
        self.figure = figure

    def wrap(self, avail_width, avail_height):
        self.width, self.height = self.figure.wrap(avail_width, avail_height)
        return self.width, self.height

    def _restrictSize(self, avail_width, avail_height):  # noqa: N802 (ReportLab's name)
        return self.width, self.height

    def _unRestrictSize(self):  # noqa: N802 (ReportLab's name)
        pass

    def draw(self):
        self.figure.drawOn(self.canv, 0, 0)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@handles("figure")
def _figure(node: Node, ctx: RenderContext) -> list:
    width = min(node.attrs["width"] or ctx.frame_width, ctx.frame_width)
    height = min(node.attrs["height"] or width * 0.75, ctx.frame_height)
    return [figure_flowable(node.attrs["exercise"], ctx, width, height, node.line)]


class BoxTable(MemoTable):
    """A box that splits between its rows (title, paragraphs, list items) only where at least
    three lines stay on each side: no title, intro or lone line ends or starts a page."""

    line = 0.0      # a line of the box's body text, in points (0: split anywhere)
    title = 0.0     # the height of its title row, which counts for nothing

    def split(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        need = 3 * self.line - 1
        height = availHeight
        while height > 0:
            parts = super().split(availWidth, height)
            if len(parts) != 2 or not self.line:
                return parts
            first, rest = parts
            first_h, rest_h = first.wrap(availWidth, 1e6)[1], rest.wrap(availWidth, 1e6)[1]
            if first_h - self.title < need:
                return []  # too little would stay: the whole box goes on
            if rest_h >= need:
                for part in parts:
                    part.line, part.title = self.line, self.title if part is first else 0.0
                return parts
            height = first_h - 1  # too little would go on: end one row earlier
        return []


def _box_blocks(node: Node, ctx: RenderContext) -> list:
    """A box's blocks, each list item a block of its own, so a long box can split between items."""
    out = []
    for child in node.children:
        if isinstance(child, Node) and child.tag == "ul":
            for li in (c for c in child.children if isinstance(c, Node)):
                out += build([Node("ul", child.attrs, [li], child.line)], ctx)
        else:
            out += flow(Node(node.tag, node.attrs, [child], node.line), ctx) if isinstance(child, str) \
                else build([child], ctx)
    return out


@handles("box")
def _box(node: Node, ctx: RenderContext) -> list:
    theme = ctx.theme
    kind = node.attrs["kind"]
    edge = {"safety": theme.warning, "warning": theme.warning, "note": theme.brand}[kind]
    fill = {"safety": theme.warning_tint, "warning": theme.warning_tint, "note": theme.brand_tint}[kind]
    if theme.greyscale:
        edge, fill = colors.Color(0.2, 0.2, 0.2), colors.Color(0.94, 0.94, 0.94)
    sub = RenderContext(**{**ctx.__dict__, "frame_width": ctx.frame_width - 2 * 10 - 4})
    content = []
    if node.attrs["title"]:
        content.append(Para(_esc(node.attrs["title"]), theme.style("box_title")))
    blocks = all(isinstance(c, Node) and c.tag not in INLINE_TAGS for c in node.children if not
                 (isinstance(c, str) and not c.strip()))
    content += in_cell(_box_blocks(node, sub) if blocks else flow(node, sub))
    # One row per block, so a long box splits between blocks and each part keeps its frame.
    rows = [[f] for f in content] or [[""]]
    table = BoxTable(rows, colWidths=[ctx.frame_width], style=TableStyle([
        ("BOX", (0, 0), (-1, -1), 2 if kind != "note" else 1, edge),
        ("BACKGROUND", (0, 0), (-1, -1), fill),
        ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, 0), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), 5),
    ]))
    table.line = theme.sizes["body"] * theme.leading
    if node.attrs["title"]:  # its row: the title, its space after and the top padding
        table.title = content[0].wrap(ctx.frame_width - 20, 1e6)[1] + content[0].getSpaceAfter() + 6
    return [table, Gap(0, theme.sizes["body"] * 0.6)]


@handles("pain-scale")
def _pain_scale(node: Node, ctx: RenderContext) -> list:
    """0-10 boxes, 0 to the limit shaded; under them, each label under its own number:
    "no pain" under 0, "your limit" under the limit, "worst pain" under 10, and what the
    shading means."""
    theme = ctx.theme
    limit = node.attrs["limit"]
    size = theme.sizes["table"]
    cell = min(ctx.frame_width / 11.6, size * 3.2)
    line = size * 1.2
    d = Drawing(cell * 11, cell + line * 3)
    top = line * 3
    for n in range(11):
        fill = theme.brand_tint if n <= limit else colors.white
        d.add(Rect(n * cell, top, cell - 2, cell - 2, fillColor=fill, strokeColor=theme.rule,
                   strokeWidth=2 if n == limit else 1))
        d.add(String(n * cell + cell / 2 - 1, top + cell / 2 - size * 0.35, str(n), fontName=BOLD,
                     fontSize=size, textAnchor="middle", fillColor=theme.ink))

    def under(n, words, font=REGULAR):  # one word a line, centred under box n
        for k, word in enumerate(words):
            d.add(String(n * cell + cell / 2 - 1, top - line * (k + 1) + size * 0.2, word, fontName=font,
                         fontSize=size, fillColor=theme.ink, textAnchor="middle"))

    t = translations(ctx.language)
    under(0, t.gettext("no pain").split())
    under(10, t.gettext("worst pain").split())
    if 2 <= limit <= 8:
        under(limit, t.gettext("your limit").split(), BOLD)
        legend = t.gettext("Shaded, 0 to {limit}: OK").format(limit=limit)
    else:
        legend = t.gettext("Shaded, 0 to {limit}: OK. {limit} is your limit.").format(limit=limit)
    d.add(String(0, size * 0.2, legend, fontName=REGULAR, fontSize=size, fillColor=theme.ink))
    return [d, Gap(0, size * 0.5)]


@handles("qr")
def _qr(node: Node, ctx: RenderContext) -> list:
    from reportlab.graphics.barcode.qr import QrCodeWidget  # (40 ms to import: only for a QR code)

    size = min(node.attrs["size"], ctx.frame_width)
    value = node.attrs["value"]
    if len(value.encode("utf-8")) > QR_MAX_BYTES:
        raise MarkupError(f"<qr>: the address is too long for a QR code ({len(value.encode('utf-8')):,} bytes; "
                          f"at most {QR_MAX_BYTES:,})", ctx.template, node.line)
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    d = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    d.add(widget)
    out = [d]
    if node.attrs["caption"]:
        out.append(Para(_esc(node.attrs["caption"]), ctx.theme.style("caption")))
    return out


@handles("img")
def _img(node: Node, ctx: RenderContext) -> list:
    from .pictures import picture

    width = min(node.attrs["width"] or ctx.frame_width, ctx.frame_width)
    try:
        return [picture(node.attrs["src"], ctx.image_dirs, width, ctx.frame_height)]
    except FigureError as exc:
        raise MarkupError(f'<img src="{node.attrs["src"]}">: {exc}', ctx.template, node.line) from None
