"""Tiling, bytes to bytes: a one-page poster PDF in, the same poster on Letter or A4 sheets
out (an assembly page, then one page per sheet, with overlap, cut marks and labels).

``tile_grid`` plans the sheets (geometry only); ``tile`` makes the PDF and imports pypdf
only when first used.
"""

from .grid import MARGIN_MM, OVERLAP_MM, SHEET_SIZES_PT, Tile, TileGrid, tile_grid

__all__ = ["tile", "tile_grid", "TileGrid", "Tile", "OVERLAP_MM", "MARGIN_MM", "SHEET_SIZES_PT"]


def __getattr__(name: str):
    if name == "tile":  # pypdf is imported here, not by ``import handout.tiling``
        from .sheets import tile

        return tile
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
