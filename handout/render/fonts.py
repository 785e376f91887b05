"""The bundled font family (Noto Sans, SIL Open Font License), registered once per process.

ReportLab's font registry is process-global; ``register_fonts()`` is idempotent, and the
batch uses processes, never threads. Which characters the faces can draw is
``model/printable.py``'s, which needs no ReportLab.
"""

from __future__ import annotations

import pickle
from functools import lru_cache
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab.graphics.shapes import STATE_DEFAULTS
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFace
from reportlab.platypus.tables import CellStyle

from ..disk import DISK, fingerprint
from ..model.printable import BOLD, FONT_DIR, FONT_FILES, ITALIC, REGULAR, font_file
from .reproducible import TaggedTTFont

FAMILY = "NotoSans"
FONT_NAMES = tuple(FONT_FILES)


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register the family with ReportLab (once) and return its name."""
    for name, file in FONT_FILES.items():
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
    data, digest = font_file(path)
    key = _font_code() + repr((name, str(path))).encode() + digest
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


@lru_cache(maxsize=8)
def x_height(font_name: str = REGULAR) -> float:
    """The font's x-height as a fraction of its size, from the font's own OS/2 table."""
    from fontTools.ttLib import TTFont as FTFont

    path = FONT_DIR / FONT_FILES.get(font_name, FONT_FILES[REGULAR])
    with FTFont(str(path), lazy=True) as font:
        return font["OS/2"].sxHeight / font["head"].unitsPerEm
