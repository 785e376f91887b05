"""Font programs made and compressed once: every handout embeds subsets of the same fonts,
most with the same characters in the same order (all of ASCII, then the few others in
order of first use), and the same characters give the same program, byte for byte."""

from __future__ import annotations

import zlib

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFace

from ..fonts import FONT_NAMES, register_fonts
from .core import current


class _KeptFlate:
    """Flate, as ReportLab applies it, remembering the font programs it compressed."""

    pdfname = "FlateDecode"

    def encode(self, data):
        reuse = current()
        if not reuse.enabled:
            return zlib.compress(data)
        kept = reuse.compressed.get(id(data))
        if kept is None or kept[0] is not data:
            kept = (data, zlib.compress(data))
            reuse.compressed.put(id(data), kept)
        return kept[1]


_KEPT_FLATE = _KeptFlate()


class KeptFace(TTFontFace):
    """A face that makes (and compresses) each subset's font program once per Reuse."""

    def makeSubset(self, subset):
        reuse = current()
        if not reuse.enabled:
            return super().makeSubset(subset)
        key = (self.filename, tuple(subset))
        program = reuse.programs.get(key)
        if program is None:
            program = super().makeSubset(subset)
            reuse.programs.put(key, program)
        else:
            reuse.counts.programs_reused += 1
        return program

    def addSubsetObjects(self, doc, fontname, subset):
        ref = super().addSubsetObjects(doc, fontname, subset)
        program = doc.idToObject.get(f"fontFile:{self.filename}({fontname})")
        if program is not None and program.filters == [pdfdoc.PDFZCompress]:
            program.filters = [_KEPT_FLATE]
        return ref


def keep_programs() -> None:
    """Give the bundled fonts faces that keep their programs (idempotent; a face does
    what ReportLab's does while reuse is off)."""
    register_fonts()
    for name in FONT_NAMES:
        face = pdfmetrics.getFont(name).face
        if type(face) is TTFontFace:
            face.__class__ = KeptFace
