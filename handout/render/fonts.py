"""The bundled font family (Noto Sans, SIL Open Font License), registered once per process.

ReportLab's font registry is process-global; ``register_fonts()`` is idempotent, and the
batch uses processes, never threads. A character the font cannot draw is an error naming
the field, never an empty box.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from functools import lru_cache
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab.graphics.shapes import STATE_DEFAULTS
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFace
from reportlab.platypus.tables import CellStyle

from ..disk import DISK, fingerprint
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
            pdfmetrics.registerFont(_read_font(name, FONT_DIR / file))
    addMapping(FAMILY, 0, 0, REGULAR)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, ITALIC)
    addMapping(FAMILY, 1, 1, BOLD)
    # ReportLab graphics and table cells start in Helvetica; start them in ours, so no
    # unembedded standard font ever enters a PDF.
    STATE_DEFAULTS["fontName"] = REGULAR
    CellStyle.fontname = REGULAR
    return FAMILY


def _read_font(name: str, path: Path) -> TaggedTTFont:
    """The font in ``path``, named ``name``: its tables parsed by ReportLab (about 100 M
    instructions, 10 ms, for the three faces), or what an earlier process parsed, from the
    disk cache (``handout.disk``), keyed on the name, the place and bytes of the file and
    ReportLab's version. The file's bytes are handed to the face again, and what ReportLab
    makes that does not pickle (a function of the font's units, the per-document state,
    still empty) is made again."""
    if not DISK.enabled:
        return TaggedTTFont(name, str(path))
    data = path.read_bytes()
    key = _font_code() + repr((name, str(path))).encode() + hashlib.sha256(data).digest()
    return _font_from(DISK.pickled("font", key, lambda: _font_parts(TaggedTTFont(name, str(path)))), data)


_MADE_AGAIN = {"font": ("face", "state"), "face": ("_ttf_data", "_pdfScale")}


def _font_parts(font: TaggedTTFont) -> tuple[dict, dict]:
    """What a newly read font holds, less what ``_font_from`` makes again."""
    return ({k: v for k, v in vars(font).items() if k not in _MADE_AGAIN["font"]},
            {k: v for k, v in vars(font.face).items() if k not in _MADE_AGAIN["face"]})


def _font_from(parts: tuple[dict, dict], data: bytes) -> TaggedTTFont:
    """The font ``_font_parts`` took apart, with its file's bytes ``data``."""
    own, face_parts = parts
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(face_parts, _ttf_data=data, _pdfScale=_units_scale(face_parts["unitsPerEm"]))
    font = TaggedTTFont.__new__(TaggedTTFont)
    font.__dict__.update(own, face=face, state=WeakKeyDictionary())
    return font


def _units_scale(units_per_em: int):
    """Font units to thousandths of the size, as ReportLab's ``TTFontFile.extractInfo`` makes it."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


@lru_cache(maxsize=1)
def _font_code() -> bytes:
    from reportlab import Version

    return fingerprint(__file__, extra=f"font {Version} {pickle.HIGHEST_PROTOCOL}")


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
