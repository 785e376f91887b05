"""handout: printable patient handouts and gym wall posters from checked clinical content.

The public API. In: requests (``HandoutRequest``, ``PosterRequest``, a roster); out: PDF
bytes, markup text and batch reports. Every function raises ``handout.errors.HandoutError``
subclasses; none prints or exits. The builders are imported on first use, so
``import handout`` (and ``handout --help``) stays quick.
"""

from importlib import import_module

from .errors import HandoutError

__version__ = "0.1.0"

__all__ = [
    "build_handout",
    "render_markup",
    "build_poster",
    "tile",
    "read_roster",
    "export_batch",
    "load_plan",
    "save_plan",
    "HandoutRequest",
    "PosterRequest",
    "Clinic",
    "ExercisePick",
    "load_clinic",
    "HandoutError",
    "Reuse",
]

_LAZY = {
    "build_handout": ".pipeline.handout",
    "render_markup": ".pipeline.handout",
    "build_poster": ".pipeline.poster",
    "tile": ".tiling",
    "read_roster": ".export",
    "export_batch": ".export",
    "Reuse": ".render.reuse",
    "load_plan": ".model.planfile",
    "HandoutRequest": ".model.request",
    "PosterRequest": ".model.request",
    "Clinic": ".model.request",
    "ExercisePick": ".model.request",
    "load_clinic": ".model.request",
    "save_plan": ".model.planfile",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
