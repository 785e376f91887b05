"""Work that is the same for every patient, done once per process and reused.

ReportLab parses a paragraph's markup with an HTML parser when the Paragraph is made and
breaks it into lines again on every ``wrap()`` (a table wraps each cell at least twice).
The same step texts, styles and column widths come back in every handout, so ``Para``
keeps both results per process, keyed on what decides them: the text and the style for the
parse, plus the width for the line breaks. The output is the same bytes; only the work is
not repeated.

The caches are bounded, hold no patient data beyond the texts they were given, and are
per process (the batch uses processes).
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from contextlib import contextmanager

from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

_FUZZ = 1e-6


class Lru(OrderedDict):
    """A dict that forgets its least recently used entries beyond ``size``."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get(self, key, default=None):
        try:
            self.move_to_end(key)
        except KeyError:
            return default
        return self[key]

    def put(self, key, value) -> None:
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)


_ON = [True]  # switched off only by ``off()``, to prove reuse changes no byte
_FRAGS = Lru(8192)   # (text, style id) -> (style, cleaned text, frags)
_LINES = Lru(16384)  # (text, style id, width) -> (style, width, wrap widths, blPara, height)
_CACHES = [_FRAGS, _LINES]


def clear() -> None:
    """Forget everything kept (tests use it to start cold)."""
    for cache in _CACHES:
        cache.clear()


@contextmanager
def off():
    """Build without reusing anything, for tests and the benchmark's before/after."""
    clear()
    _ON[0] = False
    try:
        yield
    finally:
        _ON[0] = True
        clear()


class Para(Paragraph):
    """A Paragraph whose parsed markup and line breaks are kept per process.

    Made with text and a style, it looks both up; made with ready ``frags`` (as
    ``Paragraph.split`` does) it behaves exactly as a plain Paragraph.
    """

    _key = None

    def __init__(self, text, style=None, bulletText=None, frags=None, caseSensitive=1, encoding="utf8"):
        if frags is not None or style is None or bulletText is not None or not caseSensitive or not _ON[0]:
            super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
            return
        key = (text, id(style))
        hit = _FRAGS.get(key)
        if hit is not None and hit[0] is style:
            self.caseSensitive, self.encoding = caseSensitive, encoding
            self._setup(hit[1], style, getattr(style, "bulletText", None), hit[2], cleanBlockQuotedText)
        else:
            super().__init__(text, style)
            if self.style is not style:  # the markup changed the style (<para ...>): do not share
                return
            _FRAGS.put(key, (style, self.text, self.frags))
        self._key = key

    def wrap(self, availWidth, availHeight):
        if self._key is None or availWidth < _FUZZ:
            return super().wrap(availWidth, availHeight)
        key = self._key + (availWidth,)
        hit = _LINES.get(key)
        if hit is None or hit[0] is not self.style:
            super().wrap(availWidth, availHeight)
            _LINES.put(key, (self.style, self.width, self._wrapWidths, self.blPara, self.height))
        else:
            _, self.width, self._wrapWidths, self.blPara, self.height = hit
        return self.width, self.height

    def split(self, availWidth, availHeight):
        # ReportLab's split adds a space to the last word of each line it hands on, in
        # place; the lines are shared through the cache, so split a private copy.
        if self._key is not None and getattr(self, "blPara", None) is not None and self.blPara.kind == 1:
            self.blPara = _own_lines(self.blPara)
        return super().split(availWidth, availHeight)


def _own_lines(bl_para):
    """A copy of wrapped lines whose words can be changed without touching the original."""
    mine = copy.copy(bl_para)
    mine.lines = []
    for line in bl_para.lines:
        line = copy.copy(line)
        line.words = [w.clone() for w in line.words]
        mine.lines.append(line)
    return mine
