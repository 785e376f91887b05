"""The bundled font family (Noto Sans, SIL Open Font License), registered once per process.

ReportLab's font registry is process-global; ``register_fonts()`` is idempotent, and the
batch uses processes, never threads. A character the font cannot draw is an error naming
the field, never an empty box.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from reportlab.graphics.shapes import STATE_DEFAULTS
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus.tables import CellStyle

from ..errors import UnsupportedCharacterError
from .reproducible import TaggedTTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD, ITALIC = "NotoSans", "NotoSans-Bold", "NotoSans-Italic"
FAMILY = "NotoSans"
_FILES = {REGULAR: "NotoSans-Regular.ttf", BOLD: "NotoSans-Bold.ttf", ITALIC: "NotoSans-Italic.ttf"}
FONT_NAMES = tuple(_FILES)
# Characters that need no glyph of their own: line breaks and soft hyphens.
_ALWAYS_OK = frozenset("\n\r\t\u00ad")


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register the family with ReportLab (once) and return its name."""
    for name, file in _FILES.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TaggedTTFont(name, str(FONT_DIR / file)))
    addMapping(FAMILY, 0, 0, REGULAR)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, ITALIC)
    addMapping(FAMILY, 1, 1, BOLD)
    # ReportLab graphics and table cells start in Helvetica; start them in ours, so no
    # unembedded standard font ever enters a PDF.
    STATE_DEFAULTS["fontName"] = REGULAR
    CellStyle.fontname = REGULAR
    return FAMILY


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    register_fonts()
    sets = [set(pdfmetrics.getFont(n).face.charToGlyph) for n in _FILES]
    return frozenset(set.intersection(*sets))


@lru_cache(maxsize=1)
def _uncovered() -> re.Pattern:
    """A pattern matching any character outside the fonts (one search, not a loop in Python)."""
    codes = sorted(_covered() | {ord(c) for c in _ALWAYS_OK})
    ranges, start = [], codes[0]
    for prev, code in zip(codes, codes[1:] + [None]):
        if code != prev + 1:
            ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
            start = code
    return re.compile("[^" + "".join(ranges) + "]")


def missing_char(text: str) -> str | None:
    """The first character of ``text`` the bundled fonts cannot draw, if any."""
    found = _uncovered().search(text)
    return found.group() if found else None


def check_text(text: str, field: str) -> None:
    """Raise UnsupportedCharacterError naming ``field`` if the font lacks a character."""
    if text:
        char = missing_char(text)
        if char is not None:
            raise UnsupportedCharacterError(field, char, text)


@lru_cache(maxsize=8)
def x_height(font_name: str = REGULAR) -> float:
    """The font's x-height as a fraction of its size, from the font's own OS/2 table."""
    from fontTools.ttLib import TTFont as FTFont

    path = FONT_DIR / _FILES.get(font_name, _FILES[REGULAR])
    with FTFont(str(path), lazy=True) as font:
        return font["OS/2"].sxHeight / font["head"].unitsPerEm
