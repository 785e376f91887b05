"""Raster pictures named by templates (logos, <img>): found only inside allowed folders."""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

from PIL import Image as PILImage
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image

from ..errors import ContentError, FigureError
from ..model.yamlfile import check_file

MAX_PICTURE_BYTES = 20_000_000
MAX_PICTURE_PIXELS = 40_000_000


def resolve_inside(name: str, folders) -> Path:
    """The file ``name`` inside one of ``folders``; never a path that leaves them."""
    rel = Path(name)
    if rel.is_absolute() or ".." in rel.parts:
        raise FigureError(f'"{name}" must be a file name inside a content folder, not a path that leaves it')
    for folder in folders:
        folder = Path(folder).resolve()
        path = (folder / rel).resolve()
        if path.is_relative_to(folder) and path.exists():
            if not path.is_file():  # a FIFO or device would block or flood the reader
                raise FigureError(f'picture "{name}" is not a regular file (a folder, device, pipe or socket)')
            return path
    raise FigureError(f'picture "{name}" not found in the content folders')


@lru_cache(maxsize=64)
def checked_reader(path: Path) -> tuple[ImageReader, int, int]:
    """Open a PNG or JPG once, checking its kind and size and decoding it whole, and keep a reader.

    Decoding here, before layout, means a cut-short or corrupt file is a clear error now,
    not a failure halfway through drawing a page.
    """
    if path.suffix.lower() == ".svg":
        raise FigureError(f"{path.name}: must be a PNG or JPG picture, got SVG")
    try:
        check_file(path, MAX_PICTURE_BYTES, "a picture")
    except ContentError as exc:
        raise FigureError(f"{path.name}: {exc.issues[0].message}") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as im:
                if im.format not in ("PNG", "JPEG"):
                    raise FigureError(f"{path.name}: must be a PNG or JPG picture, got {im.format}")
                w, h = im.size
                if w * h > MAX_PICTURE_PIXELS:
                    raise FigureError(f"{path.name}: picture is too large ({w} x {h} pixels; "
                                      f"at most {MAX_PICTURE_PIXELS:,})")
                im.load()
    except FigureError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise FigureError(f"{path.name}: picture is too large (more than {MAX_PICTURE_PIXELS:,} pixels)") from None
    except (OSError, SyntaxError, ValueError, MemoryError) as exc:
        raise FigureError(f"{path.name}: not a readable picture ({exc})") from None
    return ImageReader(str(path)), w, h


def picture(name: str, folders, max_width: float, max_height: float) -> Image:
    """A picture scaled to fit the width (and height), keeping its shape."""
    path = resolve_inside(name, folders)
    _, w, h = checked_reader(path)
    scale = min(max_width / w, max_height / h)
    return Image(str(path), width=w * scale, height=h * scale)
