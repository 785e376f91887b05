"""The exercise log: one table a week, as many weeks on a page as fit, never a week split,
the legend of names over them and the clinic's phone under them on every page."""

from __future__ import annotations

import datetime as dt

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, TableStyle

from ..errors import MarkupError
from ..markup.parse import Node
from ..model.i18n import log_day
from .blocks import Gap
from .fonts import BOLD
from .handlers import RenderContext, build, handles
from .inline import collapse, inline_markup
from .reuse import MemoTable, Para


class LogFlow(Flowable):
    """The log's head (heading, intro), then weeks, split only between weeks: each part is
    the legend, the weeks that fit and the phone line, so a page of the log reads alone.
    The head stays with the first week."""

    kept_splits = True  # its parts are made once per space and labelled, so pages replay

    def __init__(self, head: list, legend, weeks: list, call: list, gap: float):
        super().__init__()
        self.head, self.legend, self.weeks, self.call, self.gap = head, legend, weeks, call, gap
        self.log_head = head

    def _parts(self, count: int) -> list:
        out = list(self.head) + ([self.legend] if self.legend else [])
        for n, week in enumerate(self.weeks[:count]):
            out += ([Gap(0, self.gap)] if n else []) + [week]
        return out + list(self.call)

    def _height(self, parts: list, width: float) -> float:
        total = 0.0
        for n, f in enumerate(parts):
            total += f.wrapOn(self.canv, width, 1e6)[1] + f.getSpaceAfter() + (f.getSpaceBefore() if n else 0)
        return total

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, self._height(self._parts(len(self.weeks)), avail_width)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        count = len(self.weeks)
        while count and self._height(self._parts(count), avail_width) > avail_height:
            count -= 1
        frame = getattr(self, "_frame", None)
        if not count and not (frame is not None and frame._atTop):
            return []  # not one week fits below: the head and the first week go on together
        count = max(count, 1)
        rest = self.weeks[count:]
        return self._parts(count) + ([LogFlow([], self.legend, rest, self.call, self.gap)] if rest else [])

    def draw(self):
        y = self.height
        for n, f in enumerate(self._parts(len(self.weeks))):
            y -= f.getSpaceBefore() if n else 0
            _, h = f.wrapOn(self.canv, self.width, 1e6)
            y -= h
            f.drawOn(self.canv, 0, y)
            y -= f.getSpaceAfter()


@handles("log")
def _log(node: Node, ctx: RenderContext) -> list:
    """A row a day; a column for each exercise (its card number), pain during and the next
    morning, and notes. ``h2`` and ``p`` children head the log and stay with its first week."""
    theme = ctx.theme
    names = [collapse(inline_markup(li.children, theme)) for li in node.children
             if isinstance(li, Node) and li.tag == "li"]
    head = build([c for c in node.children if isinstance(c, Node) and c.tag != "li"], ctx)
    start = ctx.date
    if node.attrs["start"]:
        try:
            start = dt.date.fromisoformat(node.attrs["start"])
        except ValueError:
            raise MarkupError(f'<log start="{node.attrs["start"]}">: must be a real date YYYY-MM-DD',
                              ctx.template, node.line) from None
    start = start or dt.date.today()
    body, head_style = theme.style("table"), theme.style("table_head")
    size = theme.sizes["table"]
    large = theme.large_print
    day_w = size * (4.0 if large else 6.8)
    pain_heads = (("Pain", "during"), ("Pain next", "morning"))  # two lines each
    pain_ws = [max(size * 3, max(stringWidth(line, BOLD, size) for line in h) + 8) for h in pain_heads]
    fixed = day_w + sum(pain_ws)
    n = max(1, len(names))
    ex_w = min(size * 3.0, max(size * 1.8, (ctx.frame_width - fixed - size * 5) / n))
    notes_w = ctx.frame_width - fixed - ex_w * len(names)
    notes = notes_w >= size * 2.4  # many exercises: the notes column gives way first
    if not notes:
        ex_w = (ctx.frame_width - fixed) / n
        if ex_w < size * 1.8:
            raise MarkupError(f"<log>: {len(names)} exercises do not fit across the page", ctx.template, node.line)
    heads = ([Para(str(i + 1), head_style) for i in range(len(names))]
             + [Para("<br/>".join(h), head_style) for h in pain_heads] + ([Para("Notes", head_style)] if notes else []))
    legend = _log_legend(names, ctx) if names else None
    phone = (ctx.header or {}).get("phone") or "________________"
    call = [Gap(0, size * 0.4), Para(f"<b>Questions?</b> Call {_esc(phone)}.", theme.style("body"))]
    weeks = []
    for week in range(node.attrs["weeks"]):
        first = start + dt.timedelta(days=7 * week)
        rows = [[Para(f"Week {week + 1}", head_style)] + heads]
        for d in range(7):
            day = first + dt.timedelta(days=d)
            text = log_day(day, ctx.language, short=large)
            rows.append([Para(text, body)] + [""] * (len(heads)))
        table = MemoTable(rows, colWidths=[day_w] + [ex_w] * len(names) + pain_ws + ([notes_w] if notes else []),
                          repeatRows=1, rowHeights=[None] + [size * (1.4 if large else 1.7)] * 7)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.9, theme.rule),
            ("BACKGROUND", (0, 0), (-1, 0), theme.brand_tint),
            ("ALIGN", (1, 0), (len(names), 0), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]))
        weeks.append(table)
    return [LogFlow(head, legend, weeks, call, size * 0.6)]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _log_legend(names: list[str], ctx: RenderContext) -> Flowable:
    """The exercise numbers of the log's columns, with their names, in columns."""
    theme = ctx.theme
    per_row = 2 if theme.large_print else 3
    style = theme.style("table")
    cells = [Para(f"<b>{i + 1}</b>&nbsp;&nbsp;{name}", style) for i, name in enumerate(names)]
    cells += [""] * (-len(cells) % per_row)
    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    return MemoTable(rows, colWidths=[ctx.frame_width / per_row] * per_row, style=TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
