"""Tile a one-page poster PDF onto Letter or A4 sheets, keeping every vector.

In: the poster's PDF bytes. Out: PDF bytes holding an assembly page (map, instructions,
10 cm ruler) followed by one page per sheet. The poster page becomes one Form XObject that
every sheet draws, moved and clipped to its window; ReportLab draws the marks and labels
(``tiling_marks``) on pages that pypdf then puts the poster under. Nothing is rasterised.

Geometry, in poster points (origin bottom left, y up; rows count from the top): sheet
windows step by (printable size - overlap), so neighbours share an ``overlap`` band. The
seam runs down the middle of each band: the right (or lower) sheet is trimmed there and
laid over its neighbour, leaving half the band as a glue strip and half as tolerance.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
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
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm

from handout.errors import RequestError
from handout.render.tiling_marks import assembly_layout, draw_overlay

SHEET_SIZES_PT: dict[str, tuple[float, float]] = {"letter": LETTER, "a4": A4}
"""Portrait office sheet sizes, by the names ``onto`` accepts."""

OVERLAP_MM = 10.0
MARGIN_MM = 5.0
MAX_MARGIN_MM = 25.0
MAX_OVERLAP_MM = 50.0
MAX_SHEETS = 400  # a poster needing more is almost surely a unit mistake
POSTER_XOBJECT = "/HandoutPoster"

Rect = tuple[float, float, float, float]  # (x0, y0, x1, y1)
Matrix = tuple[float, float, float, float, float, float]  # PDF (a b c d e f)


@dataclass(frozen=True)
class Tile:
    """One sheet: where it sits in the grid and which part of the poster it shows."""

    row: int  # 1 = top row
    col: int  # 1 = left column
    index: int  # k in "sheet k of n", row by row from the top left
    rect: Rect  # the poster area printed on the sheet (its printable window)
    core: Rect  # the part still visible once the poster is assembled


@dataclass(frozen=True)
class TileGrid:
    """How a poster is cut into sheets; every length in points, poster space y up."""

    onto: str
    orientation: str  # "portrait" | "landscape" (of the office sheets)
    sheet_w_pt: float
    sheet_h_pt: float
    margin_pt: float
    overlap_pt: float
    poster_w_pt: float
    poster_h_pt: float
    rows: int
    cols: int
    tiles: tuple[Tile, ...]

    @property
    def count(self) -> int:
        return self.rows * self.cols

    @property
    def sheet_size(self) -> tuple[float, float]:
        return (self.sheet_w_pt, self.sheet_h_pt)

    @property
    def printable_w_pt(self) -> float:
        return self.sheet_w_pt - 2 * self.margin_pt

    @property
    def printable_h_pt(self) -> float:
        return self.sheet_h_pt - 2 * self.margin_pt

    @property
    def extent(self) -> Rect:
        """The poster-space area all sheets together cover (at least the poster)."""
        x1 = max(t.rect[2] for t in self.tiles)
        y0 = min(t.rect[1] for t in self.tiles)
        return (0.0, y0, x1, self.poster_h_pt)

    def tile_at(self, row: int, col: int) -> Tile:
        return self.tiles[(row - 1) * self.cols + (col - 1)]

    def to_sheet(self, tile: Tile) -> Matrix:
        """The matrix taking poster points to the sheet's page points."""
        return (1.0, 0.0, 0.0, 1.0, self.margin_pt - tile.rect[0], self.margin_pt - tile.rect[1])


def tile_grid(
    poster_w_pt: float,
    poster_h_pt: float,
    onto: str = "letter",
    overlap_mm: float = OVERLAP_MM,
    margin_mm: float = MARGIN_MM,
) -> TileGrid:
    """Plan the sheets for a poster, choosing the sheet orientation that needs fewer."""
    name = _sheet_name(onto)
    overlap_pt = _length_mm("overlap_mm", overlap_mm, MAX_OVERLAP_MM) * mm
    margin_pt = _length_mm("margin_mm", margin_mm, MAX_MARGIN_MM) * mm
    for field, value in (("poster width", poster_w_pt), ("poster height", poster_h_pt)):
        if not _is_number(value) or not math.isfinite(value) or value <= 0:
            raise RequestError(f"must be a positive number of points, not {value!r}", field)
    short, long = sorted(SHEET_SIZES_PT[name])
    options = [("portrait", short, long), ("landscape", long, short)]
    counts = [_counts(poster_w_pt, poster_h_pt, w, h, margin_pt, overlap_pt) for _, w, h in options]
    pick = 1 if counts[1][0] * counts[1][1] < counts[0][0] * counts[0][1] else 0  # ties: portrait
    (rows, cols), (orientation, sheet_w, sheet_h) = counts[pick], options[pick]
    if rows * cols > MAX_SHEETS:
        raise RequestError(
            f"the poster ({poster_w_pt / mm:.0f} x {poster_h_pt / mm:.0f} mm) would need "
            f"{rows * cols} {name} sheets, more than {MAX_SHEETS}; check its size"
        )
    return TileGrid(
        onto=name,
        orientation=orientation,
        sheet_w_pt=sheet_w,
        sheet_h_pt=sheet_h,
        margin_pt=margin_pt,
        overlap_pt=overlap_pt,
        poster_w_pt=poster_w_pt,
        poster_h_pt=poster_h_pt,
        rows=rows,
        cols=cols,
        tiles=_tiles(rows, cols, poster_h_pt, sheet_w - 2 * margin_pt, sheet_h - 2 * margin_pt, overlap_pt),
    )


def tile(
    pdf_bytes: bytes,
    onto: str = "letter",
    overlap_mm: float = OVERLAP_MM,
    margin_mm: float = MARGIN_MM,
) -> bytes:
    """Tile a one-page poster PDF onto office sheets: an assembly page, then the sheets.

    Raises ``RequestError`` for bytes that are not a one-page PDF and for bad options.
    """
    reader, page = _read_poster(pdf_bytes)
    upright, poster_w, poster_h = _upright_matrix(page)
    grid = tile_grid(poster_w, poster_h, onto, overlap_mm, margin_mm)
    title, author = _poster_metadata(reader)
    layout = assembly_layout(grid)
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


# --- the grid -------------------------------------------------------------------------


def _counts(poster_w, poster_h, sheet_w, sheet_h, margin, overlap) -> tuple[int, int]:
    """Rows and columns of sheets of this size (and orientation) the poster needs."""
    window_w, window_h = sheet_w - 2 * margin, sheet_h - 2 * margin
    return (_count(poster_h, window_h, window_h - overlap), _count(poster_w, window_w, window_w - overlap))


def _tiles(rows, cols, poster_h, window_w, window_h, overlap) -> tuple[Tile, ...]:
    """Each sheet's window and core, row by row from the poster's top left corner."""
    step_x, step_y = window_w - overlap, window_h - overlap
    xs = [c * step_x for c in range(cols)]
    tops = [poster_h - r * step_y for r in range(rows)]
    # Seams sit mid-band; the outer edges of the outer sheets bound the cores.
    seam_x = [0.0] + [x + overlap / 2 for x in xs[1:]] + [xs[-1] + window_w]
    seam_y = [poster_h] + [t - overlap / 2 for t in tops[1:]] + [tops[-1] - window_h]
    return tuple(
        Tile(
            row=r + 1,
            col=c + 1,
            index=r * cols + c + 1,
            rect=(xs[c], tops[r] - window_h, xs[c] + window_w, tops[r]),
            core=(seam_x[c], seam_y[r + 1], seam_x[c + 1], seam_y[r]),
        )
        for r in range(rows)
        for c in range(cols)
    )


def _count(length: float, window: float, step: float) -> int:
    """Sheets needed along one side: the first covers ``window``, each next adds ``step``."""
    if length <= window + 1e-6:
        return 1
    return 1 + math.ceil((length - window) / step - 1e-9)


def _sheet_name(onto: object) -> str:
    name = onto.strip().lower() if isinstance(onto, str) else None
    if name not in SHEET_SIZES_PT:
        choices = " or ".join(SHEET_SIZES_PT)
        raise RequestError(f"unknown sheet size {onto!r}; choose {choices}", "onto")
    return name


def _length_mm(field: str, value: object, largest: float) -> float:
    if not _is_number(value) or not math.isfinite(value) or not 0 <= value <= largest:
        raise RequestError(f"must be a number of millimetres from 0 to {largest:g}, not {value!r}", field)
    return float(value)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


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


def _poster_metadata(reader) -> tuple[str, str]:
    """The poster's title (or "Poster") and author (or "") from its /Info dictionary."""
    try:
        info = reader.metadata
        title, author = (info.title, info.author) if info else (None, None)
    except Exception:  # a broken /Info dictionary is no reason to fail
        title, author = None, None
    title = " ".join(str(title or "").split())
    # ReportLab names a document it was given no title for "untitled".
    if not title or title.lower() == "untitled":
        title = "Poster"
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
