"""Type sizes, colours and paragraph styles: data, with a large-print override.

Sizes follow shared/clinical.md section 6: body 13 pt in normal print (never under
``MIN_BODY_PT``, nothing under ``MIN_ANY_PT``), ``MIN_LARGE_PT`` and up in large print with
1.45 line spacing, no italics, left aligned. The tests hold the PDFs to these minimums.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle

from .fonts import BOLD, FAMILY, ITALIC, REGULAR, register_fonts

PAGE_SIZES = {"letter": LETTER, "a4": A4}
MIN_BODY_PT = 12
MIN_ANY_PT = 9
MIN_LARGE_PT = 18

NORMAL_SIZES = {"body": 13, "lead": 15, "small": 11, "dose": 14, "caption": 11, "h1": 24, "h2": 18,
                "h3": 15, "card_title": 15, "header": 14, "header_small": 10, "footer": 9.5, "table": 12,
                "box_title": 14}
LARGE_SIZES = {"body": 18, "lead": 20, "small": 18, "dose": 20, "caption": 18, "h1": 30, "h2": 24,
               "h3": 21, "card_title": 22, "header": 20, "header_small": 18, "footer": 18, "table": 18,
               "box_title": 20}


def grey_of(hex_color: str) -> colors.Color:
    c = colors.HexColor(hex_color)
    y = 0.299 * c.red + 0.587 * c.green + 0.114 * c.blue
    return colors.Color(y * 0.8, y * 0.8, y * 0.8)


@dataclass(frozen=True)
class Theme:
    """Everything about how a page looks, from the clinic colour and the print mode."""

    brand_hex: str = "#1F6F8B"
    large_print: bool = False
    greyscale: bool = False

    @property
    def sizes(self) -> dict:
        return LARGE_SIZES if self.large_print else NORMAL_SIZES

    @property
    def leading(self) -> float:
        return 1.45 if self.large_print else 1.3

    @property
    def brand(self) -> colors.Color:
        return grey_of(self.brand_hex) if self.greyscale else colors.HexColor(self.brand_hex)

    @property
    def brand_tint(self) -> colors.Color:
        b = self.brand
        return colors.Color(1 - (1 - b.red) * 0.12, 1 - (1 - b.green) * 0.12, 1 - (1 - b.blue) * 0.12)

    ink = colors.Color(0.1, 0.1, 0.1)
    muted = colors.Color(0.3, 0.3, 0.3)
    rule = colors.Color(0.6, 0.6, 0.6)
    warning = colors.HexColor("#B3261E")
    warning_tint = colors.HexColor("#FDF0EF")

    def margins(self) -> tuple[float, float, float, float]:
        """left, right, top (below the header), bottom (above the footer), in points."""
        return (54, 54, 82, 50) if not self.large_print else (60, 60, 96, 64)

    def style(self, name: str) -> ParagraphStyle:
        return _styles(self)[name]


@lru_cache(maxsize=32)
def _styles(theme: Theme) -> dict[str, ParagraphStyle]:
    register_fonts()
    s, lead = theme.sizes, theme.leading
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=s["body"], leading=s["body"] * lead,
                          textColor=theme.ink, alignment=TA_LEFT, spaceAfter=s["body"] * 0.4)
    base.fontName = FAMILY

    def derive(name, **kw):
        size = kw.pop("size", s.get(name, s["body"]))
        return ParagraphStyle(name, parent=base, fontSize=size, leading=size * lead, **kw)

    styles = {
        "body": base,
        "lead": derive("lead", spaceAfter=s["lead"] * 0.6),
        "small": derive("small", textColor=theme.muted),
        "caption": derive("caption", textColor=theme.muted),
        "dose": derive("dose", fontName=BOLD, textColor=theme.brand, spaceAfter=4),
        "h1": derive("h1", fontName=BOLD, textColor=theme.brand, spaceAfter=6, spaceBefore=0, keepWithNext=1),
        "h2": derive("h2", fontName=BOLD, textColor=theme.brand, spaceBefore=s["h2"] * 0.6, spaceAfter=4,
                     keepWithNext=1),
        "h3": derive("h3", fontName=BOLD, spaceBefore=s["h3"] * 0.4, spaceAfter=2, keepWithNext=1),
        "card_title": derive("card_title", fontName=BOLD, textColor="white", spaceAfter=0),
        "box_title": derive("box_title", fontName=BOLD, spaceAfter=3),
        "table": derive("table", spaceAfter=0),
        "table_head": derive("table_head", size=s["table"], fontName=BOLD, spaceAfter=0),
        "li": derive("li", size=s["body"], spaceAfter=s["body"] * 0.15),
    }
    if not theme.large_print:
        styles["i"] = derive("i", fontName=ITALIC)
    return styles
