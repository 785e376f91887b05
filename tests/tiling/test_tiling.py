"""Tiling a poster onto office sheets: the grid, the sheets' text and structure, pixels."""

from __future__ import annotations

import math
from io import BytesIO

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageStat
from pypdf import PdfReader, PdfWriter
from pypdf.generic import FloatObject, NameObject
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A0, A1, A2, A3, A4, A5, LETTER
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas

from handout.errors import RequestError
from handout.tiling import assembly as tiling_marks
from handout.tiling import tile, tile_grid

SCALE = 0.25  # pixels per point for the pixel checks: small, so the file runs fast
POSTER_24X36_LANDSCAPE = (36 * inch, 24 * inch)


def make_poster(
    size, title: str | None = "Hip mobility", pages: int = 1, rotate: int = 0, user_unit: float = 1
) -> bytes:
    """A poster of coloured, labelled rectangles and a headline; no two cells alike."""
    buf = BytesIO()
    canvas = Canvas(buf, pagesize=size, invariant=1)
    if title is not None:
        canvas.setTitle(title)
    width, height = size
    cells = 7
    for _ in range(pages):
        for i in range(cells):
            for j in range(cells):
                canvas.setFillColor(Color(i / cells, j / cells, 0.3 + 0.6 * ((i * 3 + j) % 4) / 3))
                canvas.rect(i * width / cells, j * height / cells, width / cells, height / cells, stroke=0, fill=1)
                canvas.setFillColor(Color(1, 1, 1))
                canvas.setFont("Helvetica-Bold", 60)
                canvas.drawCentredString((i + 0.5) * width / cells, (j + 0.4) * height / cells, f"{i}-{j}")
        canvas.setFillColor(Color(0, 0, 0))
        canvas.setFont("Helvetica-Bold", 100)
        canvas.drawString(60, height - 150, "Hip internal rotation")
        canvas.setLineWidth(8)
        canvas.line(0, 0, width, height)
        canvas.showPage()
    canvas.save()
    data = buf.getvalue()
    if rotate or user_unit != 1:  # the same picture, turned or drawn in larger units
        writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
        page = writer.pages[0]
        page.rotate(rotate)
        if user_unit != 1:
            page.scale_by(1 / user_unit)
            page[NameObject("/UserUnit")] = FloatObject(user_unit)
        out = BytesIO()
        writer.write(out)
        data = out.getvalue()
    return data


@pytest.fixture(scope="module")
def a1_poster() -> bytes:
    return make_poster(A1)


@pytest.fixture(scope="module")
def a1_tiled(a1_poster) -> bytes:
    return tile(a1_poster, "letter")


@pytest.fixture(scope="module")
def wide_poster() -> bytes:
    return make_poster(POSTER_24X36_LANDSCAPE, title="Wide one")


def render(pdf: bytes, index: int = 0, scale: float = SCALE) -> Image.Image:
    return pdfium.PdfDocument(pdf)[index].render(scale=scale).to_pil().convert("RGB")


# --- the grid -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "onto", "count"),
    [
        (A3, "letter", 4),
        (A2, "letter", 6),
        (A1, "letter", 12),
        (A0, "letter", 25),
        (A1, "a4", 12),
        (POSTER_24X36_LANDSCAPE, "letter", 15),
        ((18 * inch, 24 * inch), "a4", 8),
        (A0, "a4", 21),
    ],
)
def test_sheet_counts(size, onto, count):
    grid = tile_grid(*size, onto=onto)
    assert grid.count == count == len(grid.tiles)
    assert [t.index for t in grid.tiles] == list(range(1, count + 1))


def test_overlap_is_honoured_between_neighbours():
    for overlap_mm in (10, 15):
        grid = tile_grid(*A1, onto="letter", overlap_mm=overlap_mm)
        assert grid.rows > 1 and grid.cols > 1
        for t in grid.tiles:
            if t.col < grid.cols:
                right = grid.tile_at(t.row, t.col + 1)
                assert t.rect[2] - right.rect[0] == pytest.approx(overlap_mm * mm)
            if t.row < grid.rows:
                below = grid.tile_at(t.row + 1, t.col)
                assert below.rect[3] - t.rect[1] == pytest.approx(overlap_mm * mm)


def test_windows_fill_the_printable_area():
    grid = tile_grid(*A2, onto="a4", margin_mm=6)
    assert sorted(grid.sheet_size) == pytest.approx(sorted(A4))
    for t in grid.tiles:
        assert t.rect[2] - t.rect[0] == pytest.approx(grid.sheet_w_pt - 12 * mm)
        assert t.rect[3] - t.rect[1] == pytest.approx(grid.sheet_h_pt - 12 * mm)


def test_cores_cover_the_poster_exactly_once():
    grid = tile_grid(*A0, onto="letter")
    area = sum((t.core[2] - t.core[0]) * (t.core[3] - t.core[1]) for t in grid.tiles)
    x0, y0, x1, y1 = grid.extent
    assert area == pytest.approx((x1 - x0) * (y1 - y0))
    assert x0 <= 0 and y0 <= 0 and x1 >= A0[0] and y1 >= A0[1]
    for t in grid.tiles:  # each core lies in its window, so it is printed on its sheet
        assert t.rect[0] <= t.core[0] < t.core[2] <= t.rect[2]
        assert t.rect[1] <= t.core[1] < t.core[3] <= t.rect[3]


# Just under two landscape Letter windows wide (less one overlap), one window tall.
WIDE = (2 * (LETTER[1] - 10 * mm) - 10 * mm - 1, LETTER[0] - 10 * mm)


def test_orientation_with_fewer_sheets_wins():
    wide = tile_grid(*WIDE, onto="letter")
    assert (wide.orientation, wide.count, wide.rows, wide.cols) == ("landscape", 2, 1, 2)
    assert wide.sheet_size == (LETTER[1], LETTER[0])
    # Turned upright, the same poster needs 2 portrait sheets (one column, two rows).
    tall = tile_grid(*WIDE[::-1], onto="letter")
    assert (tall.orientation, tall.rows, tall.cols) == ("portrait", 2, 1)
    # A tie (one sheet either way) goes to portrait.
    assert tile_grid(100 * mm, 100 * mm).orientation == "portrait"
    assert tile_grid(*A1, onto="letter").orientation == "portrait"  # 12 sheets, not 15


def test_landscape_sheets_in_the_pdf():
    pages = PdfReader(BytesIO(tile(make_poster(WIDE), "letter"))).pages
    assert len(pages) == 3
    for page in pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            (LETTER[1], LETTER[0]), abs=1
        )


@pytest.mark.parametrize("onto", ["Letter", " A4 ", "a4"])
def test_onto_is_case_insensitive(onto):
    assert tile_grid(*A2, onto=onto).onto == onto.strip().lower()


# --- the PDF --------------------------------------------------------------------------


def test_page_count_is_sheets_plus_assembly_page(a1_tiled):
    grid = tile_grid(*A1, onto="letter")
    assert len(PdfReader(BytesIO(a1_tiled)).pages) == grid.count + 1


@pytest.mark.parametrize("onto", ["letter", "a4"])
def test_every_page_is_an_office_sheet(wide_poster, onto):
    expected = {"letter": LETTER, "a4": A4}[onto]
    for page in PdfReader(BytesIO(tile(wide_poster, onto))).pages:
        size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert size == pytest.approx(sorted(expected), abs=1)


def test_labels_and_title_on_every_sheet(a1_tiled):
    reader = PdfReader(BytesIO(a1_tiled))
    grid = tile_grid(*A1, onto="letter")
    assert "Hip mobility" in reader.pages[0].extract_text()
    for t, page in zip(grid.tiles, reader.pages[1:], strict=True):
        text = " ".join(page.extract_text().split())
        assert f"row {t.row}, column {t.col} (sheet {t.index} of {grid.count})" in text
        assert "Hip mobility" in text


def _without_metadata(pdf: bytes) -> bytes:
    writer = PdfWriter()
    writer.add_page(PdfReader(BytesIO(pdf)).pages[0])
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("strip", [False, True])
def test_untitled_poster_is_called_poster(strip):
    poster = make_poster(A3, title=None)  # ReportLab calls it "untitled"
    if strip:
        poster = _without_metadata(poster)
        assert PdfReader(BytesIO(poster)).metadata is None or not PdfReader(BytesIO(poster)).metadata.title
    reader = PdfReader(BytesIO(tile(poster)))
    assert "Poster – row 1, column 1" in " ".join(reader.pages[1].extract_text().split())
    assert reader.metadata.title == "Poster"


def test_assembly_page_has_instructions_and_numbers(a1_tiled):
    text = " ".join(PdfReader(BytesIO(a1_tiled)).pages[0].extract_text().split())
    for phrase in ("100 %", "actual size", "10 cm", "scissors", "12 Letter sheets"):
        assert phrase in text


def _sheet_texts(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages]


def test_poster_that_fits_one_sheet():
    texts = _sheet_texts(tile(make_poster(A5, title="Small")))
    assert len(texts) == 2
    assert "Small \u2013 row 1, column 1 (sheet 1 of 1)" in texts[1]
    assert "scissors" not in texts[0]  # nothing to trim


def test_narrow_overlap_puts_labels_in_a_corner():
    grid = tile_grid(*A3, onto="a4", overlap_mm=3)
    texts = _sheet_texts(tile(make_poster(A3, title="Tight"), "a4", overlap_mm=3))
    for t, text in zip(grid.tiles, texts[1:], strict=True):
        assert f"Tight \u2013 row {t.row}, column {t.col} (sheet {t.index} of 4)" in text


def _xobjects(resources):
    """Every XObject reachable from a resources dictionary, forms searched inside."""
    found = []
    xobjects = resources.get("/XObject") if resources else None
    for ref in (xobjects.get_object() if xobjects else {}).values():
        obj = ref.get_object()
        found.append(obj)
        if obj.get("/Subtype") == "/Form":
            found += _xobjects(obj.get("/Resources", {}).get_object() if "/Resources" in obj else None)
    return found


def test_vectors_kept_no_images(a1_tiled):
    for page in PdfReader(BytesIO(a1_tiled)).pages:
        xobjects = _xobjects(page["/Resources"].get_object())
        assert xobjects, "the poster is drawn as a form on every page"
        assert {x["/Subtype"] for x in xobjects} == {"/Form"}
        poster = next(x for x in xobjects if x.get("/Subtype") == "/Form")
        assert b" re" in poster.get_data() and b" l" in poster.get_data()  # the poster's paths
        assert b" re W n" in page.get_contents().get_data()  # clipped to the printable area


@pytest.mark.parametrize(("rotate", "user_unit"), [(90, 1), (270, 2), (180, 1)])
def test_rotated_poster_is_tiled_upright(tmp_path, rotate, user_unit):
    poster = make_poster(A2, rotate=rotate, user_unit=user_unit)
    turned = rotate % 180 == 90
    grid = tile_grid(*(A2[::-1] if turned else A2))
    tiled = tile(poster)
    assert len(PdfReader(BytesIO(tiled)).pages) == grid.count + 1
    _assert_cores_match(poster, tiled, grid, tmp_path, user_unit)


# --- pixels ---------------------------------------------------------------------------


def _box(x0, y0, x1, y1, page_h, inset):
    """PDF-space rectangle to a pixel box (left, top, right, bottom), shrunk by ``inset``."""
    return (
        round(x0 * SCALE) + inset,
        round((page_h - y1) * SCALE) + inset,
        round(x1 * SCALE) - inset,
        round((page_h - y0) * SCALE) - inset,
    )


def _core_pair(poster_img, sheet_img, grid, t, shift=(0.0, 0.0)):
    """A sheet's core (inside the poster) and the same part of the poster, as images."""
    x0, y0 = max(t.core[0], 0), max(t.core[1], 0)
    x1, y1 = min(t.core[2], grid.poster_w_pt), min(t.core[3], grid.poster_h_pt)
    if x1 - x0 < 20 or y1 - y0 < 20:
        return None
    want = poster_img.crop(_box(x0 + shift[0], y0 + shift[1], x1 + shift[0], y1 + shift[1], grid.poster_h_pt, 2))
    dx, dy = grid.margin_pt - t.rect[0], grid.margin_pt - t.rect[1]
    left, top, _, _ = _box(x0 + dx, y0 + dy, x1 + dx, y1 + dy, grid.sheet_h_pt, 2)
    return want, sheet_img.crop((left, top, left + want.width, top + want.height))


def _core_difference(poster_img, sheet_img, grid, t, shift=(0.0, 0.0)) -> float:
    """Mean absolute difference (0-255) between a sheet's core and its part of the poster."""
    pair = _core_pair(poster_img, sheet_img, grid, t, shift)
    return sum(ImageStat.Stat(ImageChops.difference(*pair)).mean) / 3 if pair else 0.0


def _assert_cores_match(poster: bytes, tiled: bytes, grid, out_dir, user_unit: float = 1) -> None:
    """Each core matches the poster; on failure both images are saved for a person."""
    poster_img = render(poster, scale=SCALE * user_unit)  # pdfium ignores /UserUnit
    doc = pdfium.PdfDocument(tiled)
    for t in grid.tiles:
        sheet_img = doc[t.index].render(scale=SCALE).to_pil().convert("RGB")
        difference = _core_difference(poster_img, sheet_img, grid, t)
        if difference >= 6:
            want, got = _core_pair(poster_img, sheet_img, grid, t)
            want.save(out_dir / f"sheet{t.index}-expected.png")
            got.save(out_dir / f"sheet{t.index}-actual.png")
            pytest.fail(f"sheet {t.index} differs from the poster by {difference:.1f}; see {out_dir}")


def test_every_part_of_the_poster_is_on_its_sheet(a1_poster, a1_tiled, tmp_path):
    grid = tile_grid(*A1, onto="letter")
    _assert_cores_match(a1_poster, a1_tiled, grid, tmp_path)
    # The union of the cores covers every pixel of the poster.
    mask = Image.new("L", (round(A1[0] * SCALE), round(A1[1] * SCALE)), 0)
    draw = ImageDraw.Draw(mask)
    for t in grid.tiles:
        draw.rectangle(_box(*t.core, A1[1], 0), fill=255)
    assert mask.getextrema() == (255, 255)


def test_pixel_check_has_teeth(a1_poster, a1_tiled):
    """Compared with the wrong part of the poster (half a cell off), a core differs clearly."""
    grid = tile_grid(*A1, onto="letter")
    poster_img = render(a1_poster)
    t = grid.tile_at(2, 2)
    sheet_img = render(a1_tiled, t.index)
    assert _core_difference(poster_img, sheet_img, grid, t) < 6
    assert _core_difference(poster_img, sheet_img, grid, t, shift=(A1[0] / 14, A1[1] / 14)) > 20


CONFIGURATIONS = [  # (poster size, onto): portrait and landscape sheets, both layouts
    (A1, "letter"),
    (POSTER_24X36_LANDSCAPE, "a4"),
    ((18 * inch, 24 * inch), "letter"),
    (WIDE, "letter"),
]


@pytest.fixture(scope="module", params=CONFIGURATIONS, ids=["a1-letter", "24x36-a4", "18x24-letter", "wide"])
def tiled_case(request):
    size, onto = request.param
    return tile(make_poster(size), onto), tile_grid(*size, onto=onto)


def test_margin_is_blank(tiled_case):
    tiled, grid = tiled_case
    doc = pdfium.PdfDocument(tiled)
    inner = _box(grid.margin_pt, grid.margin_pt, grid.sheet_w_pt - grid.margin_pt,
                 grid.sheet_h_pt - grid.margin_pt, grid.sheet_h_pt, -1)
    for index in range(len(doc)):
        img = doc[index].render(scale=SCALE).to_pil().convert("L")
        ImageDraw.Draw(img).rectangle(inner, fill=255)  # everything outside must be white
        assert img.getextrema() == (255, 255), index


def test_ruler_is_ten_centimetres(tiled_case):
    tiled, grid = tiled_case
    assert tiling_marks.RULER_LENGTH_MM == 100
    x, y = tiling_marks.assembly_layout(grid).ruler_origin
    printable_right = grid.sheet_w_pt - grid.margin_pt
    assert grid.margin_pt < x and x + 100 * mm < printable_right
    dpi = 300
    scale = dpi / 72
    img = render(tiled, 0, scale=scale).convert("L")
    # A band just above the baseline, where only the ticks are (no digits, no caption).
    top = round((grid.sheet_h_pt - y - 2.5) * scale)
    bottom = round((grid.sheet_h_pt - y - 1.0) * scale)
    band = img.crop((round((x - 5) * scale), top, round((x + 100 * mm + 5) * scale), bottom))
    dark = [c for c in range(band.width) if band.crop((c, 0, c + 1, band.height)).getextrema()[0] < 128]
    extent_px = dark[-1] - dark[0] + 1 - tiling_marks.RULER_LINE_PT * scale
    assert extent_px / dpi * 25.4 == pytest.approx(100, abs=0.5)
    assert len(_runs(dark)) == 101  # a tick every millimetre


def _runs(columns: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for c in columns:
        if runs and c == runs[-1][-1] + 1:
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


# --- errors and reproducibility -------------------------------------------------------


def _empty_pdf() -> bytes:
    out = BytesIO()
    PdfWriter().write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"hello, not a pdf", "not a PDF"),
        (b"%PDF-1.4\n garbage garbage", "cannot be read"),
        ("a string", "PDF bytes"),
    ],
)
def test_not_a_pdf(data, words):
    with pytest.raises(RequestError, match=words):
        tile(data)


def test_page_count_must_be_one():
    with pytest.raises(RequestError, match="exactly one page, but it has 0"):
        tile(_empty_pdf())
    with pytest.raises(RequestError, match="exactly one page, but it has 2"):
        tile(make_poster(A3, pages=2))


def test_unknown_sheet_size_names_value_and_choices():
    with pytest.raises(RequestError) as caught:
        tile(make_poster(A3), onto="legal")
    assert "'legal'" in str(caught.value) and "letter or a4" in str(caught.value)
    assert caught.value.field == "onto"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"overlap_mm": -1}, "overlap_mm"),
        ({"overlap_mm": math.nan}, "overlap_mm"),
        ({"margin_mm": 80}, "margin_mm"),
        ({"margin_mm": True}, "margin_mm"),
    ],
)
def test_bad_lengths(kwargs, field):
    with pytest.raises(RequestError) as caught:
        tile_grid(*A1, **kwargs)
    assert caught.value.field == field


@pytest.mark.parametrize("size", [(0, 100), (100, -1), (math.inf, 100)])
def test_bad_poster_size(size):
    with pytest.raises(RequestError, match="positive number"):
        tile_grid(*size)


def test_absurd_poster_is_refused():
    with pytest.raises(RequestError, match="more than"):
        tile_grid(20_000 * mm, 20_000 * mm)


def test_two_runs_give_identical_bytes(a1_poster, a1_tiled):
    assert tile(a1_poster, "letter") == a1_tiled
    other = tile(make_poster(A1, title="Other"), "letter")
    assert PdfReader(BytesIO(other)).trailer["/ID"] != PdfReader(BytesIO(a1_tiled)).trailer["/ID"]
