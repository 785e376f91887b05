"""Exercise figures: a clinician's own picture (PNG, SVG; every way a file can be wrong) in
place of pose data, and the review sheet of every figure (split from ``test_figures``)."""

from __future__ import annotations

import io
import math
import struct
import zlib

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image as PILImage
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas

from handout.errors import FigureError
from handout.figures import build_figure
from handout.model.content import Exercise
from handout.render.review import build_review_sheet

from .test_figures import DATA, STYLE, _near, _object_types, _pixels, _render_one


# --- own pictures -------------------------------------------------------------------------

def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims a size, with one tiny (wrong) data block: read, never decoded."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


def test_png_picture_is_scaled_and_centred(tmp_path):
    PILImage.new("RGB", (200, 100), "#336699").save(tmp_path / "pic.png")
    flowable = build_figure("own", None, "pic.png", tmp_path, 120, 120, STYLE)
    assert flowable.wrap(500, 500) == (120, 120)
    assert (round(flowable.drawWidth), round(flowable.drawHeight)) == (120, 60)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(120, 120), invariant=1)
    flowable.drawOn(canvas, 0, 0)
    canvas.save()
    image = _pixels(out.getvalue(), 1.0)
    assert _near(image.getpixel((60, 60)), "#336699", 10) and sum(image.getpixel((60, 10))) > 700


def test_svg_picture_is_drawn_as_vectors(tmp_path):
    (tmp_path / "pic.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">'
        '<rect x="0" y="0" width="100" height="50" fill="#336699"/></svg>', encoding="utf-8")
    drawing = build_figure("own", None, "pic.svg", tmp_path, 200, 200, STYLE)
    assert isinstance(drawing, Drawing) and (drawing.width, drawing.height) == (200, 200)
    x0, y0, x1, y1 = drawing.getBounds()
    assert (round(x0), round(y0), round(x1), round(y1)) == (0, 50, 200, 150)
    assert set(_object_types(_render_one(drawing))) == {pdfium_c.FPDF_PAGEOBJ_PATH}


def test_svg_drawing_outside_its_own_box_still_stays_in_ours(tmp_path):
    (tmp_path / "wide.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
        '<circle cx="150" cy="50" r="40" fill="#336699"/></svg>', encoding="utf-8")
    drawing = build_figure("own", None, "wide.svg", tmp_path, 120, 120, STYLE)
    x0, y0, x1, y1 = drawing.getBounds()
    assert 0 <= x0 and 0 <= y0 and x1 <= 120.01 and y1 <= 120.01


@pytest.mark.parametrize("name,content,problem", [
    ("gone.png", None, "not found"),
    ("../pic.png", None, "inside the exercise's folder"),
    ("broken.png", b"not a picture", "not a readable picture"),
    ("wide.png", _png_header(8000, 6000), "the limit is 40 megapixels"),
    ("bomb.png", _png_header(20000, 20000), "too many pixels"),
    ("fake.jpg", _png_header(10, 10), "is not a JPG picture"),
    ("notes.txt", b"hello", "must be a .png, .jpg or .svg"),
    ("link.svg", b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                 b'width="10" height="10"><image xlink:href="../secret.png" width="10" height="10"/></svg>',
     "outside its folder"),
    ("web.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                b'<image href="https://example.com/a.png" width="10" height="10"/></svg>', "outside its folder"),
    ("entity.svg", b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]>'
                   b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', "DTD or entities"),
])
def test_bad_picture_is_a_figure_error_naming_exercise_and_file(tmp_path, name, content, problem):
    if content is not None:
        (tmp_path / name).write_bytes(content)
    with pytest.raises(FigureError) as info:
        build_figure("my-exercise", None, name, tmp_path, 100, 100, STYLE)
    message = str(info.value)
    assert "exercise my-exercise" in message and name in message and problem in message


def test_oversized_file_is_refused_before_reading(tmp_path):
    with open(tmp_path / "huge.png", "wb") as f:
        f.truncate(21_000_000)  # sparse: no disk used
    with pytest.raises(FigureError, match="limit is 20 MB"):
        build_figure("my-exercise", None, "huge.png", tmp_path, 100, 100, STYLE)


# --- the review sheet ---------------------------------------------------------------------

def _exercises() -> list[Exercise]:
    return [Exercise.model_validate(d) for d in DATA.values()]


def test_review_sheet_has_every_exercise_on_pages_of_six():
    exercises = _exercises()
    data = build_review_sheet(exercises)
    pdf = pypdfium2.PdfDocument(data)
    try:
        assert len(pdf) == math.ceil(len(exercises) / 6)
        assert pdf[0].get_size() == (612, 792)
        pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
        text = "\n".join(pages)
        kinds = {obj.type for i in range(len(pdf)) for obj in pdf[i].get_objects()}
    finally:
        pdf.close()
    for exercise in exercises:
        assert exercise.name in text and exercise.code in text
    assert pages[0].index("E1 ") < pages[0].index("E2 ") < pages[0].index("E6 ")  # code order
    assert "E12 " in pages[1] and "E1 " not in pages[1]
    assert pdfium_c.FPDF_PAGEOBJ_IMAGE not in kinds
    assert build_review_sheet(exercises) == data  # reproducible


def test_review_sheet_of_seven_has_two_pages_and_a_4_size():
    data = build_review_sheet(_exercises()[:7], page_size=(595.28, 841.89))
    pdf = pypdfium2.PdfDocument(data)
    try:
        assert len(pdf) == 2
    finally:
        pdf.close()
