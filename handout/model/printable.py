"""Which characters the bundled fonts can draw, answered without importing ReportLab.

A batch's parent process checks every roster row's text before any work starts and draws
nothing itself: it should not pay ReportLab's import for that. The characters all three
faces share are read from the fonts once, by ReportLab's reader as the renderer reads them, and kept
in the disk cache (``handout.disk``), keyed on the font files, this code and ReportLab's
version. A character the fonts cannot draw is an error naming the field, never an empty box.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from ..disk import DISK, fingerprint
from ..errors import UnsupportedCharacterError

FONT_DIR = Path(__file__).resolve().parent.parent / "render" / "fonts"
REGULAR, BOLD, ITALIC = "NotoSans", "NotoSans-Bold", "NotoSans-Italic"
FONT_FILES = {REGULAR: "NotoSans-Regular.ttf", BOLD: "NotoSans-Bold.ttf", ITALIC: "NotoSans-Italic.ttf"}
# Characters that need no glyph of their own: line breaks and soft hyphens.
_ALWAYS_OK = frozenset("\n\r\t\u00ad")


@lru_cache(maxsize=8)
def font_file(path: Path) -> tuple[bytes, bytes]:
    """A font file's bytes and their SHA-256, read once a process (this check's disk key and
    the renderer's, ``render/fonts.py``, share them)."""
    data = path.read_bytes()
    return data, hashlib.sha256(data).digest()


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


def _covered() -> frozenset[int]:
    if not DISK.enabled:
        return _read_covered()
    import reportlab  # its package only: the version, not the library

    key = fingerprint(__file__, extra=f"cover {reportlab.Version}")
    key += b"".join(font_file(FONT_DIR / file)[1] for file in FONT_FILES.values())
    return DISK.pickled("cover", key, _read_covered)


def _read_covered() -> frozenset[int]:
    """Read by ReportLab's own font reader, as the renderer reads the faces."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    sets = [set(TTFontFace(str(FONT_DIR / file)).charToGlyph) for file in FONT_FILES.values()]
    return frozenset(set.intersection(*sets))
