"""Tile a one-page poster PDF onto Letter or A4 sheets, keeping every vector.

In: the poster's PDF bytes. Out: PDF bytes holding an assembly page (map, instructions,
10 cm ruler) followed by one page per sheet. The poster page becomes one Form XObject that
every sheet draws, moved and clipped to its window; ReportLab draws the marks and labels
(``marks``, ``assembly``) on pages that pypdf then puts the poster under. Nothing is
rasterised. The cut itself is planned in ``grid``. The words on the tiles are in the
poster's language: the one asked for, or else the poster PDF's own /Lang (so a Spanish
poster tiles in Spanish with no option to forget), English when it has none handout knows.
"""

from __future__ import annotations

import hashlib
from io import BytesIO

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
)

from ..errors import RequestError
from ..model.i18n import SOURCE_LANGUAGE, languages, translations
from .assembly import assembly_layout
from .grid import MARGIN_MM, OVERLAP_MM, Matrix, Rect, TileGrid, tile_grid
from .marks import draw_overlay

POSTER_XOBJECT = "/HandoutPoster"


def tile(
    pdf_bytes: bytes,
    onto: str = "letter",
    overlap_mm: float = OVERLAP_MM,
    margin_mm: float = MARGIN_MM,
    language: str | None = None,
) -> bytes:
    """Tile a one-page poster PDF onto office sheets: an assembly page, then the sheets,
    worded in ``language`` (None: the poster's /Lang).

    Raises ``RequestError`` for bytes that are not a one-page PDF and for bad options.
    """
    reader, page = _read_poster(pdf_bytes)
    upright, poster_w, poster_h = _upright_matrix(page)
    grid = tile_grid(poster_w, poster_h, onto, overlap_mm, margin_mm)
    language = _poster_language(reader) if language is None else _known_language(language)
    title, author = _poster_metadata(reader)
    title = title or translations(language).gettext("Poster")
    layout = assembly_layout(grid, language)
    overlay = draw_overlay(grid, title, layout, author)
    writer = PdfWriter(clone_from=PdfReader(BytesIO(overlay)))
    form = _add_poster_form(writer, page)
    placements = [(layout.map_rect, _concat(upright, layout.to_map))]
    placements += [(_printable_rect(grid), _concat(upright, grid.to_sheet(t))) for t in grid.tiles]
    for sheet, (clip, matrix) in zip(writer.pages, placements, strict=True):
        _put_poster_under(writer, sheet, form, clip, matrix)
    # A fixed file identifier derived from the input, so equal inputs give equal bytes
    # (pypdf has no public setter; without it the clone would carry the overlay's).
    digest = hashlib.md5(bytes(pdf_bytes) + repr(grid).encode(), usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _printable_rect(grid: TileGrid) -> Rect:
    m = grid.margin_pt
    return (m, m, grid.sheet_w_pt - m, grid.sheet_h_pt - m)


# --- reading the poster ---------------------------------------------------------------


def _read_poster(pdf_bytes: bytes):
    """Open the poster with pypdf; any failure becomes a RequestError saying why."""
    if not isinstance(pdf_bytes, (bytes, bytearray, memoryview)):
        raise RequestError(f"the poster must be PDF bytes, not {type(pdf_bytes).__name__}")
    data = bytes(pdf_bytes)
    if b"%PDF-" not in data[:1024]:
        raise RequestError("the poster is not a PDF (no %PDF- header)")
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        count = len(reader.pages)
        page = reader.pages[0] if count == 1 else None
    except Exception as exc:  # pypdf raises many kinds for broken files
        raise RequestError(f"the poster PDF cannot be read: {exc}") from exc
    if count != 1:
        raise RequestError(f"the poster PDF must have exactly one page, but it has {count}")
    return reader, page


def _known_language(value: str) -> str:
    """``value`` ("es", "es-US") as the language handout has a catalog for ("es")."""
    base = str(value).split("-")[0].lower()
    if base not in languages():
        raise RequestError(f'"{value}" is not a language handout has; use one of {", ".join(languages())}', "language")
    return base


def _poster_language(reader) -> str:
    """The language named by the poster's /Lang when handout has it, else English."""
    lang = str(reader.trailer["/Root"].get("/Lang", "") or "")  # the root was read with the pages
    base = lang.split("-")[0].lower()
    return base if base in languages() else SOURCE_LANGUAGE


def _poster_metadata(reader) -> tuple[str, str]:
    """The poster's title (or "" for the caller to name) and author (or "") from its /Info
    dictionary."""
    try:
        info = reader.metadata
        title, author = (info.title, info.author) if info else (None, None)
    except Exception:  # a broken /Info dictionary is no reason to fail
        title, author = None, None
    title = " ".join(str(title or "").split())
    # ReportLab names a document it was given no title for "untitled".
    if title.lower() == "untitled":
        title = ""
    author = " ".join(str(author or "").split())
    return title, "" if author == "anonymous" else author


def _upright_matrix(page) -> tuple[Matrix, float, float]:
    """The matrix from the page's own space to upright poster space, and the poster size.

    Upright space has the visible (crop) box's lower left corner at the origin and the
    page's /Rotate and /UserUnit applied, so it is the poster as a viewer shows it.
    """
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    turns = (int(page.get("/Rotate", 0) or 0) // 90) % 4
    unit = float(page.get("/UserUnit", 1) or 1)
    # /Rotate turns the page clockwise for display: (x, y) -> (y, -x) per quarter turn.
    a, b, c, d = (unit * v for v in [(1, 0, 0, 1), (0, -1, 1, 0), (-1, 0, 0, -1), (0, 1, -1, 0)][turns])
    corners = [(a * x + c * y, b * x + d * y) for x in (x0, x1) for y in (y0, y1)]
    left = min(p[0] for p in corners)
    bottom = min(p[1] for p in corners)
    width = max(p[0] for p in corners) - left
    height = max(p[1] for p in corners) - bottom
    return (a, b, c, d, -left, -bottom), width, height


def _concat(first: Matrix, then: Matrix) -> Matrix:
    """The matrix applying ``first`` and then ``then`` (PDF's row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


# --- writing the sheets ---------------------------------------------------------------


def _add_poster_form(writer, page):
    """Copy the poster page into ``writer`` as one Form XObject, shared by every sheet."""
    form = DecodedStreamObject()
    form.set_data(_page_content(page))
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(v) for v in page.cropbox)
    resources = page.raw_get("/Resources") if "/Resources" in page else DictionaryObject()
    form[NameObject("/Resources")] = resources.clone(writer)
    if "/Group" in page:
        form[NameObject("/Group")] = page.raw_get("/Group").clone(writer)
    # pypdf has no public call that registers a new indirect object; _add_object is the
    # one its own page-merging code uses.
    return writer._add_object(form.flate_encode())


def _page_content(page) -> bytes:
    contents = page.get("/Contents")
    if contents is None:
        return b""
    streams = contents.get_object()
    if not isinstance(streams, list):
        streams = [streams]
    return b"\n".join(s.get_object().get_data() for s in streams)


def _put_poster_under(writer, sheet, form, clip: Rect, matrix: Matrix) -> None:
    """Draw the poster form, clipped to ``clip``, beneath what ReportLab drew on ``sheet``."""
    resources = sheet[NameObject("/Resources")].get_object()
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    resources["/XObject"].get_object()[NameObject(POSTER_XOBJECT)] = form
    x0, y0, x1, y1 = clip
    numbers = " ".join(_num(v) for v in matrix)
    prefix = DecodedStreamObject()
    prefix.set_data(
        f"q {_num(x0)} {_num(y0)} {_num(x1 - x0)} {_num(y1 - y0)} re W n "
        f"{numbers} cm {POSTER_XOBJECT} Do Q\n".encode("ascii")
    )
    old = sheet.raw_get("/Contents")
    old_list = list(old.get_object()) if isinstance(old.get_object(), list) else [old]
    sheet[NameObject("/Contents")] = ArrayObject([writer._add_object(prefix), *old_list])


def _num(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
