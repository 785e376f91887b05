"""Page layout for handouts: the clinic header and footer on every page, "page N of M",
bookmarks, metadata, and a record of where each exercise card landed.

Decoration lives in page callbacks (the canvas), never in the story.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import partial

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Frame, ListFlowable, PageTemplate

from ..model.i18n import translations
from .blocks import Heading
from .columns import FlowingColumns
from .components import Card
from .fonts import BOLD, REGULAR
from .pictures import checked_reader, resolve_inside
from .reproducible import stamp_date
from .reuse import LOCK, OWN_FORMS, KeptTogether, Reuse, current, draw_kept, keep_page_streams, label_beside, pages
from .theme import PAGE_SIZES, Theme

PRODUCER = "handout"
ELLIPSIS = "\u2026"


@dataclass
class PageInfo:
    """What the header and footer draw."""

    theme: Theme
    header: dict | None
    footer_left: str
    image_dirs: tuple = ()
    language: str = "en"
    first_chars: str = ""  # given font codes before anything is drawn (reuse.pages.first_chars)


@dataclass
class LayoutRecord:
    """Where things landed, recorded through afterFlowable, for tests and reports."""

    cards: list = field(default_factory=list)  # (number, name, page, height)
    bookmarks: list = field(default_factory=list)  # (level, title, page)
    pages: int = 0
    fills: list = field(default_factory=list)  # how far down the frame each page's blocks reach (0-1)
    unmet: list = field(default_factory=list)  # pagination rules the layout could not meet, and why
    opens: dict = field(default_factory=dict)  # page -> what the first block on it is, to say why the page before is short


MIN_FILL = 0.6       # every page but the last is filled at least this far down
MIN_LAST_FILL = 0.1  # the last page holds more than a few lines


def unmet_rules(fills: list, opens: dict | None = None) -> list[str]:
    """The fill rules a layout breaks, each with its reason: a page ends short when the block
    after it is kept whole (a card, a box, the summary, the log's head with its first week)
    or may not split (3 lines each side); ``opens`` names the block that opens each page."""
    opens = opens or {}
    out = [f"page {n} is {f:.0%} filled: the next block{_named(opens.get(n + 1))} is kept whole and does not fit below"
           for n, f in enumerate(fills[:-1], start=1) if f < MIN_FILL]
    if fills and len(fills) > 1 and fills[-1] < MIN_LAST_FILL:
        out.append(f"page {len(fills)} (the last) is {fills[-1]:.0%} filled: what is on it cannot move up")
    return out


def _named(what: str | None) -> str:
    return f" ({what})" if what else ""


def _what(flowable) -> str | None:
    """A few words for a block that opens a page, for the record of a short page before it."""
    if isinstance(flowable, Card):
        return f"card {flowable.card_number}"
    head = next((f for f in getattr(flowable, "log_head", ()) if isinstance(f, Heading)), None)
    if head is not None:  # the log, drawn whole
        return f'"{head.bookmark_title}": its head and first week'
    if hasattr(flowable, "log_head"):
        return "the log's next weeks"
    if isinstance(flowable, Heading):
        return f'"{flowable.bookmark_title}" and what is kept with it' if flowable.bookmark_title else None
    if getattr(flowable, "height", 0) <= 0:
        return None  # space, or a page-break test
    return type(flowable).__name__


PAGE_COUNT_FORM = "pagecount"
PATIENT_FORM = "patientline"  # the footer's patient line, the same on every page
OWN_FORMS.update((PAGE_COUNT_FORM, PATIENT_FORM))  # every handout defines them (at the end), so footers replay


class _PagedCanvas(Canvas):
    """Draws the page count once, at the end, as a form every footer already points to.

    Footers say "page N of " and then show the form, so pages are written as they finish
    (no held pages, bookmarks point at the right page) and the count costs one form.
    """

    count_style: tuple = (REGULAR, 9.5, colors.black)
    footer_info: PageInfo | None = None  # the patient's line, drawn as a form the footers show
    footer_width: float = 0.0  # (the page's width)

    def save(self):
        total = self.getPageNumber() - 1
        font, size, color = self.count_style
        self.beginForm(PAGE_COUNT_FORM)
        self.setFont(font, size)
        self.setFillColor(color)
        self.drawString(0, 0, str(total))
        self.endForm()
        if self.footer_info is not None:  # (so pages past the first hold nothing of the patient's)
            self.beginForm(PATIENT_FORM)
            _draw_footer_right(self, self.footer_info, self.footer_width, total)
            self.endForm()
        # Streams as binary Flate, without ReportLab's default ASCII85 layer on top: a
        # tenth smaller and quicker to write. (A ReportLab setting, restored at once.)
        a85, rl_config.useA85 = rl_config.useA85, 0
        try:
            keep_page_streams(self)  # a page the same as an earlier handout's is compressed once
            super().save()
        finally:
            rl_config.useA85 = a85


class HandoutDoc(pages.ReplayingDocTemplate):
    """Pages as ReportLab lays them out, except that a page starting from a story seen before
    replays what that page drew: past the first page, a handout's pages are the same for
    every patient."""

    def __init__(self, target, record: LayoutRecord, **kw):
        super().__init__(target, **kw)
        self.record = record
        self.pdf_date = None
        self._filled = 0  # the last page whose fill is noted
        self._opened = 0  # the last page whose first block is noted

    def handle_pageEnd(self):  # noqa: N802 (ReportLab's name)
        if self._filled != self.page:  # a replayed page noted its fill already
            frame = self.frame
            top = frame._y1 + frame._height
            pages.page_note(self, ("fill", round((top - frame._y) / frame._height, 4)), self.note)
        super().handle_pageEnd()

    def beforeDocument(self):  # noqa: N802 (ReportLab's name)
        super().beforeDocument()
        stamp_date(self.canv, self.pdf_date)  # the handout's own date, or SOURCE_DATE_EPOCH

    def afterFlowable(self, flowable):
        if self._opened != self.page:
            what = _what(flowable)
            if what:
                pages.page_note(self, ("opens", self.page, what), self.note)
        for f in getattr(flowable, "log_head", ()):  # the log drawn whole: the heading it holds
            self.afterFlowable(f)
        if isinstance(flowable, Heading) and flowable.bookmark_level is not None:
            pages.page_note(self, ("heading", flowable.bookmark_level, flowable.bookmark_title), self.note)
        elif isinstance(flowable, Card):
            pages.page_note(self, ("card", flowable.card_number, flowable.card_name, flowable.height), self.note)

    def note(self, note: tuple) -> None:
        """Bookmark a heading, note where a card landed, or how full the page is."""
        if note[0] == "fill":
            self.record.fills.append(note[1])
            self._filled = self.page
        elif note[0] == "opens":
            self.record.opens[note[1]] = note[2]
            self._opened = self.page
        elif note[0] == "heading":
            _, level, title = note
            # an outline cannot skip a level (an h2 with no h1 before it): hang it one below the last
            level = min(level, self.record.bookmarks[-1][0] + 1 if self.record.bookmarks else 0)
            key = f"h{len(self.record.bookmarks)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=level, closed=False)
            self.record.bookmarks.append((level, title, self.page))
        else:
            _, number, name, height = note
            self.record.cards.append((number, name, self.page, height))


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text``, cut short with an ellipsis if wider than ``width`` points (a 200-character
    name must not run over the page number or off the page)."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        mid = (low + high + 1) // 2
        if stringWidth(text[:mid].rstrip() + ELLIPSIS, font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + ELLIPSIS if low else ""


def header_height(theme: Theme) -> float:
    return 56 if theme.large_print else 42


def _draw_header(canv: Canvas, info: PageInfo, width: float, height: float) -> None:
    theme, head = info.theme, info.header
    if not head:
        return
    s = theme.sizes
    band = header_height(theme)
    top = height - 18
    brand = theme.brand if not theme.greyscale else colors.Color(0.25, 0.25, 0.25)
    if not theme.greyscale and head.get("color"):
        brand = colors.HexColor(head["color"])
    canv.setFillColor(brand)
    canv.rect(0, top - band, width, band, stroke=0, fill=1)
    x = theme.margins()[0]
    if head.get("logo"):
        path = resolve_inside(head["logo"], info.image_dirs)
        reader, w, h = checked_reader(path)
        lh = band - 10
        lw = min(w * lh / h, 3 * lh)
        canv.setFillColor(colors.white)
        canv.roundRect(x - 3, top - band + 2, lw + 6, lh + 6, 3, stroke=0, fill=1)
        canv.drawImage(reader, x, top - band + 5, lw, lh, preserveAspectRatio=True, anchor="c", mask="auto")
        x += lw + 12
    right = width - theme.margins()[1]
    lines = [fit_text(t, REGULAR, s["header_small"], (right - x) / 2)
             for t in (head.get("phone"), head.get("website")) if t]
    if theme.large_print:
        lines = lines[:1]
    beside = max((stringWidth(t, REGULAR, s["header_small"]) + 12 for t in lines), default=0)
    canv.setFillColor(colors.white)
    canv.setFont(BOLD, s["header"])
    canv.drawString(x, top - band / 2 - s["header"] * 0.35, fit_text(head["name"], BOLD, s["header"], right - x - beside))
    canv.setFont(REGULAR, s["header_small"])
    for i, line in enumerate(lines):
        y = top - band / 2 + (len(lines) / 2 - i - 0.8) * s["header_small"] * 1.15
        canv.drawRightString(right, y, line)
    if head.get("address") and not theme.large_print:
        canv.setFillColor(theme.muted)
        canv.drawRightString(right, top - band - s["header_small"] * 1.3,
                             fit_text(head["address"], REGULAR, s["header_small"], right - theme.margins()[0]))


def _footer_place(theme: Theme, width: float) -> tuple[float, float, float]:
    size = theme.sizes["footer"]
    return theme.margins()[0], width - theme.margins()[1], theme.margins()[3] - size * 2.2


def _page_label(info: PageInfo, number: int) -> str:
    # The count is a form drawn after the label, so the translation must end with {count}.
    return translations(info.language).gettext("page {number} of {count}").split("{count}")[0].format(number=number)


def _draw_footer(canv: Canvas, info: PageInfo, width: float, number: int) -> None:
    theme = info.theme
    left, right, y = _footer_place(theme, width)
    label = _page_label(info, number)
    # Two parts, each drawn once and replayed: "page N of [M]" for every page N, and the
    # patient's line, a form the document defines at the end (``_PagedCanvas``).
    draw_kept(("footer", theme, width, label), canv, partial(_draw_page_number, canv, theme, label, left, right, y))
    draw_kept(("footer-right", PATIENT_FORM), canv, partial(canv.doForm, PATIENT_FORM))


def _draw_page_number(canv: Canvas, theme: Theme, label: str, left: float, right: float, y: float) -> None:
    size = theme.sizes["footer"]
    canv.saveState()
    canv.setStrokeColor(theme.rule)
    canv.setLineWidth(0.6)
    canv.line(left, y + size * 1.4, right, y + size * 1.4)
    canv.setFillColor(theme.muted)
    canv.setFont(REGULAR, size)
    canv.drawString(left, y, label)
    canv.translate(left + canv.stringWidth(label, REGULAR, size), y)
    canv.doForm(PAGE_COUNT_FORM)
    canv.restoreState()


def _draw_footer_right(canv: Canvas, info: PageInfo, width: float, last: int) -> None:
    """The patient's line, cut to leave room for the last page's "page N of M"."""
    theme = info.theme
    size = theme.sizes["footer"]
    left, right, y = _footer_place(theme, width)
    canv.saveState()
    canv.setFillColor(theme.muted)
    canv.setFont(REGULAR, size)
    room = right - left - stringWidth(f"{_page_label(info, last)}9999", REGULAR, size) - 12
    canv.drawRightString(right, y, fit_text(info.footer_left, REGULAR, size, room))
    canv.restoreState()


def _decorate(canv: Canvas, doc, info: PageInfo) -> None:
    width, height = doc.pagesize
    canv.saveState()
    # The header is the same on every page of every patient's handout from this clinic.
    header = tuple(sorted(info.header.items())) if info.header else None
    draw_kept(("header", header, info.theme, info.image_dirs, width, height), canv,
              partial(_draw_header, canv, info, width, height))
    _draw_footer(canv, info, width, doc.page)
    canv.restoreState()


def frame_size(theme: Theme, page_size: str) -> tuple[float, float]:
    width, height = PAGE_SIZES[page_size]
    left, right, top, bottom = theme.margins()
    return width - left - right, height - top - bottom


def keep_headings_with_lists(story: list, room: float) -> list:
    """A heading followed by a list or by columns starts a new page unless ``room`` points are left.

    ReportLab keeps a heading with a following paragraph (keepWithNext) but not with a list,
    which it treats as a container, so a heading could end a page with its list on the next.
    Kept with columns, a heading would take them whole to the next page: the columns split,
    so the heading only needs room for their first lines.
    """
    out = []
    for here, after in zip(story, story[1:] + [None]):
        if isinstance(after, ListFlowable) and here.getKeepWithNext():
            out.append(label_beside(CondPageBreak(room), here, "keep-with-list", room))
        elif isinstance(after, FlowingColumns) and here.getKeepWithNext():
            out.append(label_beside(CondPageBreak(room), here, "keep-with-columns", room))
            here.keepWithNext = 0
        out.append(here)
    return out


def render_pages(story: list, theme: Theme, page_size: str, meta: dict, info: PageInfo,
                 reuse: Reuse | None = None) -> tuple[bytes, LayoutRecord]:
    """Lay the story out on pages and return the PDF bytes and the layout record.

    ReportLab's errors pass through; the pipeline translates them (``checks.reportlab_errors``)."""
    story = keep_headings_with_lists(story, theme.sizes["body"] * theme.leading * 6)
    width, height = PAGE_SIZES[page_size]
    left, right, top, bottom = theme.margins()
    frame = Frame(left, bottom, width - left - right, height - top - bottom, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    buffer = io.BytesIO()
    record = LayoutRecord()
    doc = HandoutDoc(
        buffer, record, pagesize=(width, height),
        pageTemplates=[PageTemplate("page", [frame], onPage=partial(_decorate, info=info))],
        title=meta.get("title", ""), author=meta.get("author", ""), subject=meta.get("subject", ""),
        creator=PRODUCER, producer=PRODUCER, lang=meta.get("lang", "en"), invariant=1, initialFontName=REGULAR,
        keepTogetherClass=KeptTogether,
        leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom, displayDocTitle=1,
    )
    doc.pdf_date = meta.get("date")
    doc.first_chars = info.first_chars
    canvasmaker = type("PagedCanvas", (_PagedCanvas,), {
        "count_style": (REGULAR, theme.sizes["footer"], theme.muted), "footer_info": info, "footer_width": width})
    with LOCK, (reuse or current()).active():  # kept flowables and drawings are shared between documents
        try:
            doc.build(story, canvasmaker=canvasmaker)
        finally:
            pages.page_abandon(doc)
    record.pages = doc.page
    record.unmet = unmet_rules(record.fills, record.opens)
    return buffer.getvalue(), record
