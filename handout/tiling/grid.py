"""How a poster is cut into office sheets: pure geometry, no PDF.

In: the poster's size in points, the sheet size, overlap and margin. Out: a ``TileGrid``
(rows, columns, each sheet's window and core), in poster points (origin bottom left, y up;
rows count from the top). Sheet windows step by (printable size - overlap), so neighbours
share an ``overlap`` band. The seam runs down the middle of each band: the right (or lower)
sheet is trimmed there and laid over its neighbour, leaving half the band as a glue strip
and half as tolerance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm

from ..errors import RequestError

SHEET_SIZES_PT: dict[str, tuple[float, float]] = {"letter": LETTER, "a4": A4}
"""Portrait office sheet sizes, by the names ``onto`` accepts."""

OVERLAP_MM = 10.0
MARGIN_MM = 5.0
MAX_MARGIN_MM = 25.0
MAX_OVERLAP_MM = 50.0
MAX_SHEETS = 400  # a poster needing more is almost surely a unit mistake

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
