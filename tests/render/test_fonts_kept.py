"""The fonts' parsed tables kept on disk (``render/fonts.py``): a font made from what an
earlier process kept holds what ReportLab's own reading gives, draws the same text into
the same bytes, and a damaged kept file is read again."""

from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from handout.disk import DISK, PREFIX
from handout.render import fonts
from handout.render.reproducible import TaggedTTFont


@pytest.fixture
def kept_here(tmp_path, monkeypatch):
    monkeypatch.setattr(DISK, "_folder", tmp_path)
    monkeypatch.setattr(DISK, "enabled", True)
    return tmp_path


def _parts(font) -> tuple[dict, dict]:
    """What ``_font_parts`` keeps, its encoding object by what it holds (it has no ``==``)."""
    own, face = fonts._font_parts(font)
    encoding = own.pop("encoding")
    return {**own, "encoding": (type(encoding), vars(encoding))}, face


def _drawn(font) -> bytes:
    """One line in ``font`` on a page of its own (every face under its own name, once)."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics

    name = f"kept-{id(font)}"
    font.fontName = name
    pdfmetrics.registerFont(font)
    old, rl_config.invariant = rl_config.invariant, 1
    try:
        pdf = canvas.Canvas(None, pagesize=letter)
        pdf.setFont(name, 12)
        pdf.drawString(72, 720, "Zoë Ünal: 3 × 10, hold 5 s — ¿qué tal?")
        return pdf.getpdfdata().replace(name.encode(), b"F")
    finally:
        rl_config.invariant = old


@pytest.mark.parametrize("name", fonts.FONT_NAMES)
def test_a_font_from_the_disk_cache_is_the_font_reportlab_reads(kept_here, name):
    path = fonts.FONT_DIR / fonts.FONT_FILES[name]
    first = fonts._read_font(name, path)
    (kept,) = kept_here.glob(f"{PREFIX}font-*")
    again = fonts._read_font(name, path)
    assert DISK.counts.hits >= 1
    read = TaggedTTFont(name, str(path))
    for made in (first, again):
        assert vars(made).keys() == vars(read).keys() and vars(made.face).keys() == vars(read.face).keys()
        assert _parts(made) == _parts(read) and made.face._ttf_data == read.face._ttf_data
        assert [made.face._pdfScale(v) for v in (0, 1, 1000, 2048, -437)] == \
               [read.face._pdfScale(v) for v in (0, 1, 1000, 2048, -437)]
        assert made.stringWidth("Zoë Ünal", 11) == read.stringWidth("Zoë Ünal", 11)
    assert _drawn(again) == _drawn(TaggedTTFont(name, str(path)))
    kept.write_bytes(b"not a pickle")
    damaged = fonts._read_font(name, path)
    assert _parts(damaged) == _parts(read) and kept.read_bytes() != b"not a pickle"


def test_off_reads_the_file_and_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(DISK, "_folder", tmp_path / "cache")
    monkeypatch.setattr(DISK, "enabled", False)
    font = fonts._read_font(fonts.REGULAR, fonts.FONT_DIR / fonts.FONT_FILES[fonts.REGULAR])
    assert font.face.charToGlyph and not (tmp_path / "cache").exists()
