"""Pictures for the page: a PDF's pages as PNG (pypdfium2) and each exercise's figure.

A change to one exercise changes one page, so each page's pixels are hashed and the PNG of
pixels already seen is reused: encoding PNG costs more than drawing the page. A page is
known by that hash (``/preview/<key>.png``), so the browser fetches only the pages that
changed. The kept pictures live in one ``Pictures`` object, in memory only (a page holds a
patient's name), with a bound on how many it keeps.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict

import pypdfium2

from ..model.library import Library

PAGE_SCALE = 1.0  # 72 dpi: a Letter page is 612 px wide, as wide as the preview column
POSTER_WIDTH_PX = 900
THUMB_PT = (150.0, 110.0)
KEEP_PAGES = 64


class Pictures:
    """Rendered pages and figure thumbnails, kept in memory and bounded."""

    def __init__(self, keep: int = KEEP_PAGES):
        self._pages: OrderedDict[str, bytes] = OrderedDict()
        self._thumbs: dict[tuple, bytes] = {}
        self._keep = keep
        self._lock = threading.Lock()
        self.encoded = 0  # pages encoded as PNG (a test reads it: an unchanged page is not encoded again)

    def pages(self, pdf: bytes, width_px: int | None = None) -> list[str]:
        """Every page of ``pdf`` drawn, as the key ``page()`` gives its PNG by (``width_px``:
        scale each page to it)."""
        doc = pypdfium2.PdfDocument(pdf)
        try:
            keys = []
            for index in range(len(doc)):
                page = doc[index]
                scale = width_px / page.get_width() if width_px else PAGE_SCALE
                keys.append(self._encoded(page.render(scale=scale)))
            return keys
        finally:
            doc.close()

    def page(self, key: str) -> bytes | None:
        """The PNG kept under ``key``, or None when it is no longer kept."""
        with self._lock:
            return self._pages.get(key)

    def _encoded(self, bitmap) -> str:
        key = hashlib.sha1(bitmap.buffer, usedforsecurity=False).hexdigest() + f"-{bitmap.width}x{bitmap.height}"
        with self._lock:
            if key in self._pages:
                self._pages.move_to_end(key)
                return key
        out = io.BytesIO()
        bitmap.to_pil().save(out, "PNG", compress_level=1)
        with self._lock:
            self.encoded += 1
            self._pages[key] = out.getvalue()
            while len(self._pages) > self._keep:
                self._pages.popitem(last=False)
        return key

    def thumbnail(self, library: Library, exercise_id: str, brand: str) -> bytes:
        """The exercise's figure as a small PNG, in the clinic's colour."""
        key = (id(library), exercise_id, brand)
        with self._lock:
            if key in self._thumbs:
                return self._thumbs[key]
        data = _figure_png(library, exercise_id, brand)
        with self._lock:
            self._thumbs[key] = data
        return data

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def _figure_png(library: Library, exercise_id: str, brand: str) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    from ..figures import FigureStyle, build_figure

    exercise = library.exercises[exercise_id]
    width, height = THUMB_PT
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=THUMB_PT, invariant=1)
    flowable = build_figure(exercise.id, exercise.figure, exercise.image, library.exercise_files[exercise.id].parent,
                            width, height, FigureStyle.from_brand(brand))
    flowable.wrapOn(canvas, width, height)
    flowable.drawOn(canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    doc = pypdfium2.PdfDocument(buffer.getvalue())
    try:
        image = doc[0].render(scale=2).to_pil()
    finally:
        doc.close()
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
