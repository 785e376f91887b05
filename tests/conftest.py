"""Shared test helpers: read PDFs the way a person's tools would (text, sizes, fonts)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, page by page, as pdfium extracts it."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def char_sizes(data: bytes) -> list[tuple[str, float]]:
    """(character, font size in points) for every visible character, from the PDF's own data."""
    out = []
    pdf = pypdfium2.PdfDocument(data)
    try:
        for i in range(len(pdf)):
            text = pdf[i].get_textpage()
            for n in range(text.count_chars()):
                char = chr(pdfium_c.FPDFText_GetUnicode(text.raw, n))
                if char.strip():
                    out.append((char, round(pdfium_c.FPDFText_GetFontSize(text.raw, n), 2)))
    finally:
        pdf.close()
    return out


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(io.BytesIO(data)).pages]


def fonts(data: bytes) -> dict[str, bool]:
    """Each font used -> whether its program is embedded."""
    found = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            found[str(font["/BaseFont"])] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


def render_page(data: bytes, index: int = 0, scale: float = 1.0):
    pdf = pypdfium2.PdfDocument(data)
    try:
        return pdf[index].render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()


FRESH_BUILD = """\
import sys
import handout
kind = getattr(handout, sys.argv[1])
build = handout.build_poster if sys.argv[1] == "PosterRequest" else handout.build_handout
sys.stdout.buffer.write(build(kind.model_validate_json(sys.argv[2])))
"""


def fresh_builds(request, count: int = 2) -> list[bytes]:
    """The bytes ``count`` fresh Python processes build for ``request`` (a HandoutRequest or a
    PosterRequest), run side by side: nothing any of them keeps can reach another."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)}
    args = [sys.executable, "-c", FRESH_BUILD, type(request).__name__, request.model_dump_json()]
    runs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(count)]
    out = []
    for run in runs:
        data, errors = run.communicate()
        assert run.returncode == 0, errors.decode(errors="replace")
        out.append(data)
    return out


@pytest.fixture
def disk_here(tmp_path, monkeypatch):
    """The disk cache on, in a folder of the test's own (what a module keeps in memory is its
    test's to clear)."""
    from handout.disk import DISK

    monkeypatch.setattr(DISK, "_folder", tmp_path)
    monkeypatch.setattr(DISK, "enabled", True)
    return tmp_path


@pytest.fixture
def clinic_file(tmp_path):
    path = tmp_path / "clinic.yaml"
    path.write_text("name: Test Clinic\nphone: 555 0199\nbrand_color: '#225588'\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def no_user_settings(tmp_path_factory, monkeypatch):
    """Every test starts without the user's settings file (a test that wants one sets its own)."""
    monkeypatch.setenv("HANDOUT_CONFIG", str(tmp_path_factory.getbasetemp() / "no-settings.yaml"))
