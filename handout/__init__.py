"""handout: printable patient handouts and gym wall posters from checked clinical content.

The public API. Every function returns data (PDF bytes, markup text, reports) and raises
``handout.errors.HandoutError`` subclasses; none prints or exits.
"""

from .errors import HandoutError
from .export import export_batch, read_roster
from .model.request import Clinic, ExercisePick, HandoutRequest, PosterRequest, load_clinic
from .pipeline import build_handout, render_markup
from .poster import build_poster
from .render.reuse import Reuse
from .render.tiling import tile

__version__ = "0.1.0"

__all__ = [
    "build_handout",
    "render_markup",
    "build_poster",
    "tile",
    "read_roster",
    "export_batch",
    "HandoutRequest",
    "PosterRequest",
    "Clinic",
    "ExercisePick",
    "load_clinic",
    "HandoutError",
    "Reuse",
]
