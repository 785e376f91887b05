"""The bundled font family (Noto Sans, SIL Open Font License), registered once per process.

ReportLab's font registry is process-global; ``register_fonts()`` is idempotent, and the
batch uses processes, never threads. A character the font cannot draw is an error naming
the field, never an empty box.
"""

from __future__ import annotations

import re
import zlib
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from reportlab.graphics.shapes import STATE_DEFAULTS
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
from reportlab.platypus.tables import CellStyle

from ..errors import UnsupportedCharacterError

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD, ITALIC = "NotoSans", "NotoSans-Bold", "NotoSans-Italic"
FAMILY = "NotoSans"
_FILES = {REGULAR: "NotoSans-Regular.ttf", BOLD: "NotoSans-Bold.ttf", ITALIC: "NotoSans-Italic.ttf"}
# Characters that need no glyph of their own: line breaks and soft hyphens.
_ALWAYS_OK = frozenset("\n\r\t\u00ad")


_KEPT_PROGRAMS = 128


class _Kept(OrderedDict):
    """Font programs by what decides them, least recently used dropped first."""

    def get_or_make(self, key, make):
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = self[key] = make()
        if len(self) > _KEPT_PROGRAMS:
            self.popitem(last=False)
        return value


_programs = _Kept()    # (font file, characters in code order) -> the subset's font program
_compressed = _Kept()  # id of a kept program -> (program, its Flate-compressed bytes)
KEEP_PROGRAMS = [True]  # ``render.reuse.off()`` turns keeping off, to prove it changes no byte


def forget_programs() -> None:
    _programs.clear()
    _compressed.clear()


class _KeptFlate:
    """Flate, as ReportLab applies it, remembering the last font programs it compressed."""

    pdfname = "FlateDecode"

    def encode(self, data):
        if not KEEP_PROGRAMS[0]:
            return zlib.compress(data)
        kept = _compressed.get_or_make(id(data), lambda: (data, zlib.compress(data)))
        return kept[1] if kept[0] is data else zlib.compress(data)


_KEPT_FLATE = _KeptFlate()


class _KeptFace(TTFontFace):
    """A face that makes (and compresses) each subset's font program once per process.

    Every handout embeds subsets of the same fonts, most of them with the same characters
    in the same order (all of ASCII, then the few others in order of first use), so the
    programs repeat; the same characters give the same program, byte for byte."""

    def makeSubset(self, subset):
        if not KEEP_PROGRAMS[0]:
            return super().makeSubset(subset)
        return _programs.get_or_make((self.filename, tuple(subset)), lambda: super(_KeptFace, self).makeSubset(subset))

    def addSubsetObjects(self, doc, fontname, subset):
        ref = super().addSubsetObjects(doc, fontname, subset)
        program = doc.idToObject.get(f"fontFile:{self.filename}({fontname})")
        if program is not None and program.filters == [pdfdoc.PDFZCompress]:
            program.filters = [_KEPT_FLATE]
        return ref


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register the family with ReportLab (once) and return its name."""
    for name, file in _FILES.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
        face = pdfmetrics.getFont(name).face
        if type(face) is TTFontFace:
            face.__class__ = _KeptFace
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
