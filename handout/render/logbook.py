"""The exercise log: the weeks in one table (a day a row, the week's number beside its
days), as many weeks on a page as fit, never a week split; the legend of names over the
table and the clinic's phone under it on every page of the log. Rows are at least 5 mm
tall (7 mm in large print, and for a log of two weeks or less), so a patient can write in
them by hand."""

from __future__ import annotations

import datetime as dt
from itertools import combinations

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, TableStyle

from ..errors import MarkupError
from ..markup.parse import Node
from ..model.i18n import log_day, translations
from .blocks import Gap
from .fonts import BOLD
from .handlers import RenderContext, build, handles
from .inline import collapse, inline_markup
from .reuse import MemoTable, Para

HEAD_EMS = 5.0  # the widest line of a pain column's head, in font sizes ("Pain next" is 4.7)
MM = 72 / 25.4
ROW_MM = 5.2  # a day's row: room to write by hand (at least 5 mm; 7 mm in large print)
ROW_LARGE_MM = 7.1  # also in normal print for a log of two weeks or less: it has the room on its page


class LogFlow(Flowable):
    """The log's head (heading, intro, reminder), then its weeks, split only between weeks:
    each page of it is the legend, one table of the weeks that fit, and the phone line, so
    a page of the log reads alone. The head stays with the first week."""

    kept_splits = True  # its parts are made once per space and labelled, so pages replay

    def __init__(self, head: list, legend, table, weeks: list, call: list, first: int = 0):
        super().__init__()
        self.head, self.legend, self.table, self.weeks, self.call = head, legend, table, weeks, call
        self.first = first  # the number of weeks before these (on earlier pages)
        self.log_head = head
        self._tables: dict = {}

    def _parts(self, count: int) -> list:
        table = self._tables.get(count)
        if table is None:
            table = self._tables[count] = self.table(self.weeks[:count], self.first)
        return list(self.head) + ([self.legend] if self.legend else []) + [table] + list(self.call)

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
        parts = self._parts(count)
        if rest:
            parts.append(LogFlow([], self.legend, self.table, rest, self.call, self.first + count))
        return parts

    def draw(self):
        y = self.height
        for n, f in enumerate(self._parts(len(self.weeks))):
            y -= f.getSpaceBefore() if n else 0
            _, h = f.wrapOn(self.canv, self.width, 1e6)
            y -= h
            f.drawOn(self.canv, 0, y)
            y -= f.getSpaceAfter()


class _WeekLabel(Flowable):
    """"Week 2" turned a quarter, up the side of its seven days: a column one line wide."""

    def __init__(self, text: str, size: float, color):
        super().__init__()
        self.text, self.size, self.color = text, size, color

    def wrap(self, avail_width, avail_height):
        self.width, self.height = self.size * 1.1, stringWidth(self.text, BOLD, self.size)
        return self.width, self.height

    def draw(self):
        canv = self.canv
        canv.saveState()
        canv.setFillColor(self.color)
        canv.setFont(BOLD, self.size)
        canv.rotate(90)
        canv.drawString(0, -self.size * 0.85, self.text)
        canv.restoreState()


class _Weeks:
    """Makes the log's table for a run of weeks: one head row, then seven rows a week."""

    def __init__(self, heads: list, widths: list, row: float, label, style: TableStyle, rule):
        self.heads, self.widths, self.row, self.label, self.style, self.rule = heads, widths, row, label, style, rule

    def __call__(self, weeks: list, first: int):
        rows, spans = [[""] + self.heads], []
        for n, days in enumerate(weeks):
            top = len(rows)
            rows += [[self.label(first + n + 1) if d == 0 else "", day] + [""] * (len(self.heads) - 1)
                     for d, day in enumerate(days)]
            spans += [("SPAN", (0, top), (0, top + 6)), ("LINEABOVE", (0, top), (-1, top), 1.5, self.rule)]
        table = MemoTable(rows, colWidths=self.widths, rowHeights=[None] + [self.row] * (len(rows) - 1))
        table.setStyle(self.style)
        table.setStyle(TableStyle(spans))
        return table


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
    size = theme.sizes["table"]
    large = theme.large_print
    body, head_style = _tight(theme.style("table")), _tight(theme.style("table_head"))
    t = translations(ctx.language)
    label_w = size * 1.1 + 4
    days = [[log_day(start + dt.timedelta(days=7 * w + d), ctx.language, short=large) for d in range(7)]
            for w in range(node.attrs["weeks"])]
    day_w = max([size * 3] + [stringWidth(d, body.fontName, size) + 7 for week in days for d in week])
    pain_heads = tuple(_head_lines(h, size) for h in (t.gettext("Pain during"), t.gettext("Pain next morning")))
    pain_ws = [max(size * 3, max(stringWidth(line, BOLD, size) for line in h) + 8) for h in pain_heads]
    fixed = label_w + day_w + sum(pain_ws)
    n = max(1, len(names))
    ex_w = min(size * 3.0, max(size * 1.6, (ctx.frame_width - fixed - size * 5) / n))
    notes_w = ctx.frame_width - fixed - ex_w * len(names)
    notes = notes_w >= size * 2.4  # many exercises: the notes column gives way first
    if not notes:
        ex_w = (ctx.frame_width - fixed) / n
        if ex_w < size * 1.6:
            raise MarkupError(f"<log>: {len(names)} exercises do not fit across the page", ctx.template, node.line)
    heads = ([Para(_esc(t.gettext("Day")), head_style)] + [Para(str(i + 1), head_style) for i in range(len(names))]
             + [Para("<br/>".join(h), head_style) for h in pain_heads]
             + ([Para(_esc(t.gettext("Notes")), head_style)] if notes else []))
    style = TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.9, theme.rule),
        ("BACKGROUND", (0, 0), (-1, 0), theme.brand_tint),
        ("ALIGN", (2, 0), (len(names) + 1, 0), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, 0), 3), ("BOTTOMPADDING", (0, 0), (-1, 0), 3),
        ("LEFTPADDING", (0, 0), (0, -1), 2), ("RIGHTPADDING", (0, 0), (0, -1), 2),
    ])
    week_word = t.gettext("Week {number}")
    weeks = _Weeks(heads, [label_w, day_w] + [ex_w] * len(names) + pain_ws + ([notes_w] if notes else []),
                   (ROW_LARGE_MM if large or node.attrs["weeks"] <= 2 else ROW_MM) * MM,
                   lambda number: _WeekLabel(week_word.format(number=number), size, theme.ink), style, theme.ink)
    rows = [[Para(_esc(d), body) for d in week] for week in days]
    legend = _log_legend(names, ctx) if names else None
    # No clinic profile: a line to write the number on, said plainly.
    phone = (ctx.header or {}).get("phone") or "________________ " + t.gettext("(your clinic's phone)")
    line = f"<b>{_esc(t.gettext('Questions?'))}</b> {_esc(t.gettext('Call {phone}.').format(phone=phone))}"
    if not large:  # (large print: the phone alone, so the line stays one line)
        line += " " + _esc(t.gettext("Bring this sheet to your visits."))
    call = [Gap(0, size * 0.4), Para(line, theme.style("body"))]
    return [LogFlow(head, legend, weeks, rows, call)]


_TIGHT: dict = {}


def _tight(style: ParagraphStyle) -> ParagraphStyle:
    """A table style with its lines close (a cell of a row is one line; a head, two or three)."""
    made = _TIGHT.get(id(style))
    if made is None or made[0] is not style:
        made = _TIGHT[id(style)] = (style, ParagraphStyle(style.name + "_tight", parent=style,
                                                          leading=style.fontSize * 1.15))
    return made[1]


def _head_lines(text: str, size: float) -> tuple[str, ...]:
    """A column head in two lines, or three if two would be wider than HEAD_EMS (a
    longer translation: "Dolor a la / mañana / siguiente"), split where the widest line is
    narrowest ("Pain next / morning")."""
    words = text.split()
    if len(words) < 2:
        return (_esc(text),)
    best = None
    for count in range(2, min(3, len(words)) + 1):
        for cuts in combinations(range(1, len(words)), count - 1):
            lines = [" ".join(words[a:b]) for a, b in zip((0, *cuts), (*cuts, len(words)))]
            width = max(stringWidth(line, BOLD, size) for line in lines)
            if best is None or width < best[0]:
                best = (width, lines)
        if best[0] <= HEAD_EMS * size:
            break
    return tuple(_esc(line) for line in best[1])


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _log_legend(names: list[str], ctx: RenderContext) -> Flowable:
    """The exercise numbers of the log's columns, with their names, in as many columns as
    hold every name on one line (two at least)."""
    theme = ctx.theme
    style = theme.style("table")
    texts = [f"<b>{i + 1}</b>&nbsp;&nbsp;{name}" for i, name in enumerate(names)]
    widest = max(stringWidth(f"{i + 1}  ", BOLD, style.fontSize) + stringWidth(name, style.fontName, style.fontSize)
                 for i, name in enumerate(names))
    per_row = max(2, min(len(names), 3, int(ctx.frame_width // (widest + 8))))
    cells = [Para(text, style) for text in texts]
    cells += [""] * (-len(cells) % per_row)
    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    return MemoTable(rows, colWidths=[ctx.frame_width / per_row] * per_row, style=TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
