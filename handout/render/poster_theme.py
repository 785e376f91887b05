"""Poster type, sized from the viewing distance, and measuring stacks of flowables.

Legibility rule: text is readable from d metres when its x-height subtends 15 arcminutes,
x-height >= d x tan(15') (4.36 mm per metre). Font sizes come from each font's own x-height
ratio (``fonts.x_height``), so the rule holds for the glyphs as printed. Every gap on a
poster is a multiple of the body size (``PosterTheme.unit``), so it looks the same at any
distance.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Spacer

from .fonts import BOLD, FAMILY, REGULAR, register_fonts, x_height
from .theme import Theme

TAN_15_ARCMIN = math.tan(math.radians(15 / 60))
TITLE_DISTANCES = 2.5  # the title reads from 2.5 d (the rule asks for 2 d)
LEADING = 1.18  # big type needs less line spacing than body copy
# Spacing, in body sizes (``PosterTheme.unit``), so a poster looks the same at any distance.
PAD_U, GAP_U, SECTION_U, TEXT_GAP_U, BADGE_GAP_U = 0.3, 0.45, 0.6, 0.3, 0.35
BIG = 1e6
SCRATCH = Canvas(io.BytesIO())  # wrapping some flowables needs a canvas; nothing is drawn on it


class DoesNotFit(Exception):
    """The content does not fit the page at this type size (internal; the API explains it)."""


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
    sizes.update(lead=round(body * 1.1, 2), h3=round(bold * 1.15, 2), card_title=round(bold * 1.1, 2),
                 dose=bold, h2=round(bold * 1.4, 2), h1=font_size_pt(TITLE_DISTANCES * xh, BOLD))
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
        total += f.wrapOn(SCRATCH, width, BIG)[1]
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
        h = f.wrapOn(canv, width, BIG)[1]
        f.drawOn(canv, x, y - h)
        y -= h + f.getSpaceAfter()


def longest_word_pt(text: str, size: float) -> float:
    """Width of the longest word, set in bold (the wider weight) to be safe."""
    return max((stringWidth(w, BOLD, size) for w in text.split()), default=0.0)


def trim(flowables: list) -> list:
    while flowables and isinstance(flowables[-1], Spacer):
        flowables = flowables[:-1]
    return flowables
