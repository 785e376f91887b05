"""The ir-mobility handout written directly in ReportLab Platypus: the yardstick for bench.py.

No templates, no markup, no validation, no caches across documents: the text is typed in
(``baseline_text.py``, copied from what ``handout markup --program ir-mobility`` prints),
the flowables are built by hand for every document, the way a developer would write a
one-off ReportLab script. Per process it registers the fonts and reads the exercises' pose
data once (the figures are kept as the project keeps them, by ``handout.render.reuse.kept_figure``);
everything else is redone for each patient. ``tests/test_benchmark_baseline.py`` checks
that its pages carry the same text, page count, fonts and pixels as the project's handout,
so the comparison stays honest: if the content or layout changes, that test fails until
these two files are updated.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.graphics.shapes import STATE_DEFAULTS, Drawing, Rect, String
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Flowable, Frame, KeepTogether, ListFlowable, ListItem,
                                PageTemplate, Paragraph, Table, TableStyle)
from reportlab.platypus.flowables import ImageAndFlowables

from handout.render.fonts import FONT_DIR

from baseline_flow import Box, Gap, KeptList, Log, WeekLabel
from baseline_text import (ARTICLE_TITLE, BEFORE, CARE_TITLE, EXERCISES, LOG_INTRO, LOG_REMINDER,  # the text
                           LOG_WEEKS, MONTHS, PAIN_LIMIT, PRECAUTIONS, RED_FLAGS, CALL_FLAGS, CALL_FLAGS_INTRO,
                           RED_FLAGS_INTRO, SCALE_INTRO, STOP_RULES, SUBJECT, SUMMARY, TITLE, WHY)

# --- the look ---------------------------------------------------------------------------

REGULAR, BOLD, ITALIC = "NotoSans", "NotoSans-Bold", "NotoSans-Italic"
INK = colors.Color(0.1, 0.1, 0.1)
MUTED = colors.Color(0.3, 0.3, 0.3)
RULE = colors.Color(0.6, 0.6, 0.6)
WARNING = colors.HexColor("#B3261E")
WARNING_TINT = colors.HexColor("#FDF0EF")
NORMAL = dict(body=13, lead=15, small=11, dose=14, h1=24, h2=18, h3=15, card_title=15, header=14,
              header_small=10, footer=9.5, table=12, box_title=14, leading=1.3, margins=(54, 54, 82, 50), band=42)
LARGE = dict(body=18, lead=20, small=18, dose=20, h1=30, h2=24, h3=21, card_title=22, header=20,
             header_small=18, footer=18, table=18, box_title=20, leading=1.45, margins=(60, 60, 96, 64), band=56)
PAD = 6
CARD_FIGURE_MM = {False: 48, True: 76}  # normal print, large print


@lru_cache(maxsize=1)
def register_fonts() -> None:
    for name, file in ((REGULAR, "NotoSans-Regular.ttf"), (BOLD, "NotoSans-Bold.ttf"),
                       (ITALIC, "NotoSans-Italic.ttf")):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD)
    # Graphics start in Helvetica; start them in Noto Sans, so no unembedded font enters the PDF.
    STATE_DEFAULTS["fontName"] = REGULAR


@lru_cache(maxsize=4)
def _figure_specs() -> dict:
    """The exercises' pose data (read once per process, like the fonts)."""
    from handout.model.library import load_library

    library = load_library()
    return {e["figure"]: (library.exercises[e["figure"]], library.exercise_files[e["figure"]].parent)
            for e in EXERCISES}


def styles(s: dict, brand) -> dict:
    lead = s["leading"]
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=s["body"], leading=s["body"] * lead,
                          textColor=INK, alignment=TA_LEFT, spaceAfter=s["body"] * 0.4)

    def style(name, size=None, **kw):
        size = size or s[name]
        return ParagraphStyle(name, parent=body, fontSize=size, leading=size * lead, **kw)

    return {
        "body": body,
        "lead": style("lead", spaceAfter=s["lead"] * 0.6),
        "small": style("small", textColor=MUTED),
        "dose": style("dose", fontName=BOLD, textColor=brand, spaceAfter=4),
        "h1": style("h1", fontName=BOLD, textColor=brand, spaceAfter=6, spaceBefore=0, keepWithNext=1),
        "h2": style("h2", fontName=BOLD, textColor=brand, spaceBefore=s["h2"] * 0.6, spaceAfter=4,
                    keepWithNext=1),
        "h3": style("h3", fontName=BOLD, spaceBefore=s["h3"] * 0.4, spaceAfter=2, keepWithNext=1),
        "card_title": style("card_title", fontName=BOLD, textColor="white", spaceAfter=0),
        "box_title": style("box_title", fontName=BOLD, spaceAfter=3),
        "table": style("table", spaceAfter=0),
        "table_head": style("table_head", fontName=BOLD, spaceAfter=0, size=s["table"]),
        "li": style("li", size=s["body"], spaceAfter=s["body"] * 0.15),
    }


# --- the document -----------------------------------------------------------------------


class Heading(Paragraph):
    def __init__(self, text, style, level):
        super().__init__(text, style)
        self.level = level


class Doc(BaseDocTemplate):
    marks = 0

    def afterFlowable(self, flowable):
        for f in getattr(flowable, "log_head", ()):  # the log drawn whole: its heading
            self.afterFlowable(f)
        if isinstance(flowable, Heading):
            key, self.marks = f"h{self.marks}", self.marks + 1
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(" ".join(flowable.getPlainText().split()), key, level=flowable.level,
                                      closed=False)


class CountingCanvas(Canvas):
    """Writes the page total once, at the end, into a form every footer shows."""

    footer_size = 9.5

    def save(self):
        self.beginForm("pagecount")
        self.setFont(REGULAR, self.footer_size)
        self.setFillColor(MUTED)
        self.drawString(0, 0, str(self._pageNumber - 1))
        self.endForm()
        a85, rl_config.useA85 = rl_config.useA85, 0  # binary streams, as the project writes them
        try:
            super().save()
        finally:
            rl_config.useA85 = a85


class Page:
    """Header and footer, drawn on every page."""

    def __init__(self, s, brand, clinic, footer):
        self.s, self.brand, self.clinic, self.footer = s, brand, clinic, footer

    def __call__(self, canv, doc):
        s, clinic = self.s, self.clinic
        width, height = canv._pagesize
        left, right = s["margins"][0], width - s["margins"][1]
        large = s is LARGE
        canv.saveState()
        band, top = s["band"], height - 18
        canv.setFillColor(colors.HexColor(clinic["brand_color"]))
        canv.rect(0, top - band, width, band, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        canv.setFont(BOLD, s["header"])
        canv.drawString(left, top - band / 2 - s["header"] * 0.35, clinic["name"])
        canv.setFont(REGULAR, s["header_small"])
        lines = [t for t in (clinic.get("phone"), clinic.get("website")) if t]
        if large:
            lines = lines[:1]
        for i, line in enumerate(lines):
            canv.drawRightString(right, top - band / 2 + (len(lines) / 2 - i - 0.8) * s["header_small"] * 1.15,
                                 line)
        if clinic.get("address") and not large:
            canv.setFillColor(MUTED)
            canv.drawRightString(right, top - band - s["header_small"] * 1.3, clinic["address"])
        size = s["footer"]
        y = s["margins"][3] - size * 2.2
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(left, y + size * 1.4, right, y + size * 1.4)
        canv.setFillColor(MUTED)
        canv.setFont(REGULAR, size)
        label = f"page {doc.page} of "
        canv.drawString(left, y, label)
        canv.saveState()
        canv.translate(left + canv.stringWidth(label, REGULAR, size), y)
        canv.doForm("pagecount")
        canv.restoreState()
        canv.drawRightString(right, y, self.footer)
        canv.restoreState()


def box(content, width, edge, fill, border, line):
    rows = [[f] for f in content]
    table = Box(rows, colWidths=[width], style=TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR), ("BOX", (0, 0), (-1, -1), border, edge), ("BACKGROUND", (0, 0), (-1, -1), fill),
        ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, 0), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), 5),
    ]))
    table.line = line
    table.title = content[0].wrap(width - 20, 1e6)[1] + content[0].getSpaceAfter() + 6  # the title's row
    return table


def bullets(texts, st, s, brand):
    made = KeptList([ListItem([Paragraph(t, st["li"])]) for t in texts], bulletType="bullet", start="\u2022",
                    bulletFontName=REGULAR, bulletFontSize=s["body"], leftIndent=s["body"] * 1.6,
                    bulletColor=brand)
    made.line = s["body"] * s["leading"]
    return made


def items(texts, st, s, brand):
    """A box's list, one item a row, so the box can split between items."""
    return [bullets([t], st, s, brand) for t in texts]


def pain_scale(width, s, brand_tint):
    size = s["table"]
    cell = min(width / 11.6, size * 3.2)
    line = size * 1.2
    top = line * 3
    d = Drawing(cell * 11, cell + top)
    for n in range(11):
        d.add(Rect(n * cell, top, cell - 2, cell - 2, fillColor=brand_tint if n <= PAIN_LIMIT else colors.white,
                   strokeColor=RULE, strokeWidth=2 if n == PAIN_LIMIT else 1))
        d.add(String(n * cell + cell / 2 - 1, top + cell / 2 - size * 0.35, str(n), fontName=BOLD,
                     fontSize=size, textAnchor="middle", fillColor=INK))
    for n, words, font in ((0, ("no", "pain"), REGULAR), (10, ("worst", "pain"), REGULAR),
                           (PAIN_LIMIT, ("your", "limit"), BOLD)):
        for k, word in enumerate(words):
            d.add(String(n * cell + cell / 2 - 1, top - line * (k + 1) + size * 0.2, word, fontName=font,
                         fontSize=size, fillColor=INK, textAnchor="middle"))
    d.add(String(0, size * 0.2, f"Shaded, 0 to {PAIN_LIMIT}: OK", fontName=REGULAR, fontSize=size, fillColor=INK))
    return d


class FigureBlock(Flowable):
    """The figure as ImageAndFlowables' "image", drawn at its own size."""

    def __init__(self, figure):
        super().__init__()
        self.figure = figure

    def wrap(self, avail_width, avail_height):
        self.width, self.height = self.figure.wrap(avail_width, avail_height)
        return self.width, self.height

    def _restrictSize(self, avail_width, avail_height):  # noqa: N802
        return self.width, self.height

    def _unRestrictSize(self):  # noqa: N802
        pass

    def draw(self):
        self.figure.drawOn(self.canv, 0, 0)


def card(ex, st, s, brand, fig_style, frame_w, large):
    from handout.render.reuse import kept_figure as build_figure

    exercise, base_dir = _figure_specs()[ex["figure"]]
    size = s["body"]
    title = Paragraph(f"{ex['number']}&nbsp;&nbsp;{escape(ex['name'])}", st["card_title"])
    # the dose on the title bar: beside the name when both fit, under it otherwise
    title_w = pdfmetrics.stringWidth(f"00  {ex['name']}", BOLD, s["card_title"]) + s["body"]
    beside = title_w + pdfmetrics.stringWidth(ex["dose"], BOLD, s["dose"]) + s["body"] <= frame_w - 2 * PAD
    dose = Paragraph(escape(ex["dose"]), ParagraphStyle("bar_dose", parent=st["dose"], textColor="white",
                                                        spaceAfter=0, alignment=TA_RIGHT if beside else TA_LEFT))
    if beside:
        title = Table([[title, dose]], colWidths=[title_w, None], style=TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    else:
        title = [title, dose]
    step = ParagraphStyle("card_step", parent=st["body"], leftIndent=size * 1.6, bulletIndent=0, allowOrphans=1,
                          bulletFontName=BOLD, bulletFontSize=size, bulletColor=brand)
    text = [Paragraph(f"<b>Start:</b> {escape(ex['start'])}", st["body"])]
    steps = [Paragraph(escape(t), step, bulletText=f"{n}.") for n, t in enumerate(ex["steps"], start=1)]
    text += steps
    watch = "; ".join(ex["watch"][:1] if large else ex["watch"]) + "."  # large print: the first mistake
    text += [Paragraph(f"<b>Key point:</b> {escape(ex['cue'])}", st["body"]),
             Paragraph(f"<b>Watch out:</b> {escape(watch)}", st["body"])]
    if ex.get("stop"):
        text.append(Paragraph(f"<b>Stop if:</b> {escape(ex['stop'])}", st["body"]))
    if ex.get("tip") and not large:  # large print leaves the library's tip out, so the card fits a page
        text.append(Paragraph(f"<b>Tip:</b> {escape(ex['tip'])}", st["body"]))
    text.append(Paragraph(f"<b>Too hard?</b> {escape(ex['easier'])} <b>Too easy?</b> {escape(ex['harder'])}",
                          st["body"]))
    for f in text:
        f.spaceAfter = size * (0.1 if f in steps else 0.2)
    base = CARD_FIGURE_MM[large] * 72 / 25.4
    x0, y0, x1, y1 = build_figure(exercise.id, exercise.figure, exercise.image, base_dir, 100.0, 100.0,
                                  fig_style).getBounds()
    aspect = (x1 - x0) / (y1 - y0)
    fig_w = base * min(max((aspect / 1.25) ** 0.5, 1.0), 1.3)  # a wide figure gets a wider box
    fig_h = min(max(fig_w / aspect, base * 0.45), base * (1.42 if large else 1.46))
    fig = build_figure(exercise.id, exercise.figure, exercise.image, base_dir, fig_w, fig_h, fig_style)
    body = ImageAndFlowables(FigureBlock(fig), text,
                             imageSide="left", imageRightPadding=PAD * 1.5, imageBottomPadding=PAD)
    style = [("FONTNAME", (0, 0), (-1, -1), REGULAR), ("BACKGROUND", (0, 0), (-1, 0), brand),
             ("BOX", (0, 0), (-1, -1), 1.2, brand), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
             ("TOPPADDING", (0, 1), (-1, -1), PAD), ("BOTTOMPADDING", (0, -1), (-1, -1), PAD),
             ("NOSPLIT", (0, 0), (-1, -1))]  # a card never breaks across pages
    return [Table([[title], [[body]]], colWidths=[frame_w], style=TableStyle(style)), Gap(0, s["body"] * 0.6)]


def _tint(c):
    return colors.Color(1 - (1 - c.red) * 0.12, 1 - (1 - c.green) * 0.12, 1 - (1 - c.blue) * 0.12)


def log(st, s, brand_tint, frame_w, start: dt.date, phone: str):
    """The log's head, then the weeks in one table a page (the week's number up the side of
    its days); the legend and the phone line on each page of it."""
    size = s["table"]
    large = s is LARGE
    n = len(EXERCISES)
    body = ParagraphStyle("log_day", parent=st["table"], leading=size * 1.15)
    head = ParagraphStyle("log_head", parent=st["table_head"], leading=size * 1.15)
    label_w = size * 1.1 + 4
    days = [[(start + dt.timedelta(days=7 * w + d)).strftime("%a %d" if large else "%a %d %b").replace(" 0", " ")
             for d in range(7)] for w in range(LOG_WEEKS)]
    day_w = max([size * 3] + [pdfmetrics.stringWidth(d, REGULAR, size) + 7 for week in days for d in week])
    heads = (("Pain", "during"), ("Pain next", "morning"))
    pain_ws = [max(size * 3, max(pdfmetrics.stringWidth(line, BOLD, size) for line in h) + 8) for h in heads]
    fixed = label_w + day_w + sum(pain_ws)
    ex_w = min(size * 3.0, max(size * 1.6, (frame_w - fixed - size * 5) / n))
    notes_w = frame_w - fixed - ex_w * n
    names = [e["short"] for e in EXERCISES]
    widest = max(pdfmetrics.stringWidth(f"{i + 1}  ", BOLD, size) + pdfmetrics.stringWidth(name, REGULAR, size)
                 for i, name in enumerate(names))
    per_row = max(2, min(n, 3, int(frame_w // (widest + 8))))
    cells = [Paragraph(f"<b>{i + 1}</b>&nbsp;&nbsp;{escape(name)}", st["table"]) for i, name in enumerate(names)]
    cells += [""] * (-len(cells) % per_row)
    legend = Table([cells[i:i + per_row] for i in range(0, len(cells), per_row)],
                   colWidths=[frame_w / per_row] * per_row, style=TableStyle([
                       ("FONTNAME", (0, 0), (-1, -1), REGULAR), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                       ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    top = ([Paragraph("Day", head)] + [Paragraph(str(i + 1), head) for i in range(n)]
           + [Paragraph("<br/>".join(h), head) for h in heads] + [Paragraph("Notes", head)])
    row_h = (7.1 if large or LOG_WEEKS <= 2 else 5.2) * 72 / 25.4
    style = [("FONTNAME", (0, 0), (-1, -1), REGULAR), ("GRID", (0, 0), (-1, -1), 0.9, RULE),
             ("BACKGROUND", (0, 0), (-1, 0), brand_tint),
             ("ALIGN", (2, 0), (n + 1, 0), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
             ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
             ("TOPPADDING", (0, 0), (-1, 0), 3), ("BOTTOMPADDING", (0, 0), (-1, 0), 3),
             ("LEFTPADDING", (0, 0), (0, -1), 2), ("RIGHTPADDING", (0, 0), (0, -1), 2)]
    weeks = [[Paragraph(d, body) for d in week] for week in days]

    def table(some, first):
        rows, more = [[""] + top], []
        for k, week in enumerate(some):
            at = len(rows)
            rows += [[WeekLabel(f"Week {first + k + 1}", BOLD, size, INK) if d == 0 else "", day] + [""] * (n + 3)
                     for d, day in enumerate(week)]
            more += [("SPAN", (0, at), (0, at + 6)), ("LINEABOVE", (0, at), (-1, at), 1.5, INK)]
        return Table(rows, colWidths=[label_w, day_w] + [ex_w] * n + pain_ws + [notes_w],
                     rowHeights=[None] + [row_h] * (len(rows) - 1), style=TableStyle(style + more))

    first = [Heading("Your exercise log", st["h2"], 1), Paragraph(LOG_INTRO, st["body"]),
             Paragraph(f"<b>{escape(LOG_REMINDER)}</b>", st["body"])]
    line = f"<b>Questions?</b> Call {escape(phone)}." + ("" if large else " Bring this sheet to your visits.")
    call = [Gap(0, size * 0.4), Paragraph(line, st["body"])]
    return Log(first, legend, table, weeks, call)  # as many whole weeks on a page as fit


def story(patient, clinician, date, s, st, brand, clinic, frame_w, frame_h, large):
    from handout.figures import FigureStyle

    fig_style = FigureStyle.from_brand(clinic["brand_color"], greyscale=False)
    tint = _tint(brand)
    date_text = f"{date.day} {MONTHS[date.month - 1]} {date.year}"
    out = [Heading(TITLE, st["h1"], 0)]
    who = [("For", escape(patient) or "________________"), ("From", escape(clinician) or "________________"),
           ("Date", date_text)]
    grid = [("FONTNAME", (0, 0), (-1, -1), REGULAR), ("GRID", (0, 0), (-1, -1), 0.75, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5)]
    if large:  # two fields a row: For and Date, then From
        cells = {label: [Paragraph(f"<b>{label}:</b> {value}", st["table"])] for label, value in who}
        out.append(Table([[cells["For"], cells["Date"]], [cells["From"], []]], colWidths=[frame_w / 2] * 2,
                         style=TableStyle(grid)))
    else:
        cells = [[Paragraph(f"<b>{label}:</b> {value}", st["table"])] for label, value in who]
        out.append(Table([cells], colWidths=[frame_w / 3] * 3, style=TableStyle(grid)))
    out.append(Paragraph(WHY, st["lead"]))
    line = s["body"] * s["leading"]
    out.append(Heading("Your exercises", st["h2"], 1))
    out += [box([Paragraph("Before you start", st["box_title"])] + items(BEFORE, st, s, brand), frame_w, WARNING,
                WARNING_TINT, 2, line), Gap(0, s["body"] * 0.6)]
    for ex in EXERCISES:
        out += card(ex, st, s, brand, fig_style, frame_w, large)
    inner = frame_w - 24
    stop = [Paragraph("Stop the exercise if:", st["box_title"])] + items(STOP_RULES, st, s, brand) + [
            Paragraph(SCALE_INTRO, st["body"]), pain_scale(inner, s, tint), Gap(0, s["table"] * 0.5)]
    flags = [Paragraph(escape(RED_FLAGS_INTRO), st["box_title"]), *items([escape(f) for f in RED_FLAGS], st, s, brand)]
    flags += [Paragraph(f"<b>{escape(CALL_FLAGS_INTRO)}</b>", st["body"]), *items([escape(f) for f in CALL_FLAGS], st, s, brand)]
    care = [Paragraph(CARE_TITLE, st["box_title"])]
    care += items([f"<b>{escape(t)}</b> ({escape(which)}): {escape(text)}" for t, which, text in PRECAUTIONS],
                  st, s, brand)
    # the red flags first, kept with the heading; the stop box whole; the precautions split between items
    out.append(KeepTogether([Heading("When to stop and get help", st["h2"], 1),
                             box(flags, frame_w, WARNING, WARNING_TINT, 2, line), Gap(0, s["body"] * 0.6)]))
    out.append(KeepTogether([box(stop, frame_w, WARNING, WARNING_TINT, 2, line), Gap(0, s["body"] * 0.6)]))
    out += [box(care, frame_w, brand, tint, 1, line), Gap(0, s["body"] * 0.6)]
    out.append(KeepTogether([Heading(ARTICLE_TITLE, st["h2"], 1), bullets(SUMMARY, st, s, brand)]))
    out.append(log(st, s, tint, frame_w, date, clinic.get("phone") or "________________"))
    return out


def build_baseline(patient: str, clinic: dict, date: dt.date, clinician: str = "", page_size: str = "letter",
                   large_print: bool = False) -> bytes:
    """The ir-mobility handout for one patient, as PDF bytes, built from scratch."""
    register_fonts()
    s = LARGE if large_print else NORMAL
    brand = colors.HexColor(clinic["brand_color"])
    st = styles(s, brand)
    width, height = {"letter": LETTER, "a4": A4}[page_size]
    left, right, top, bottom = s["margins"]
    frame_w, frame_h = width - left - right, height - top - bottom
    frame = Frame(left, bottom, frame_w, frame_h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    buffer = io.BytesIO()
    footer = f"For {patient}" if patient else TITLE
    doc = Doc(buffer, pagesize=(width, height), pageTemplates=[PageTemplate("page", [frame],
                                                                            onPage=Page(s, brand, clinic, footer))],
              title=f"{TITLE} for {patient}" if patient else TITLE, author=clinic["name"], subject=SUBJECT,
              creator="handout", producer="handout", lang="en", invariant=1, initialFontName=REGULAR,
              displayDocTitle=1)
    canvasmaker = type("Counting", (CountingCanvas,), {"footer_size": s["footer"]})
    flowables = story(patient, clinician, date, s, st, brand, clinic, frame_w, frame_h, large_print)
    room = s["body"] * s["leading"] * 6  # a heading never ends a page above its list
    kept = []
    for here, after in zip(flowables, flowables[1:] + [None]):
        if isinstance(after, ListFlowable) and here.getKeepWithNext():
            kept.append(CondPageBreak(room))
        kept.append(here)
    doc.build(kept, canvasmaker=canvasmaker)
    return buffer.getvalue()
