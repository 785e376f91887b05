"""Exercise figures, used by ``handout.render``: pose data (or the clinician's own picture)
in, a vector ReportLab flowable out. Figures never import render.

Public API::

    build_figure(exercise_id, spec, image, base_dir, width_pt, height_pt, style) -> Flowable
    pose_points(spec, pose="start" | "end") -> {joint: (x, y)}   # for checks and tests
    FigureStyle.from_brand("#1F6F8B", greyscale=False)

(The review sheet of every figure is ``handout.render.review``.)

Modules, in the order data flows: ``body`` (proportions, postures) -> ``contacts`` (where
the steps put the hands: seat, floor, counter) -> ``kinematics`` (joint angles to room
positions, hands reaching their contacts, the view) -> ``draw``, ``props``, ``arrows`` (paint
operations) -> ``sides`` (the footprints that say which side is shown) -> ``compose`` (one figure) -> ``paint`` (fit into the box as a
Drawing);
``images`` for PNG, JPG and SVG files; ``style`` for colours.
"""

from __future__ import annotations

import math
from pathlib import Path

from reportlab.platypus import Flowable

from ..errors import FigureError
from ..model.pose import FigureSpec
from .compose import pose_drawing
from .images import image_flowable
from .kinematics import pose_points
from .style import FigureStyle

__all__ = ["FigureStyle", "build_figure", "pose_points", "build_review_sheet"]


def build_figure(exercise_id: str, spec: FigureSpec | None, image: str | None, base_dir: Path | None,
                 width_pt: float, height_pt: float, style: FigureStyle) -> Flowable:
    """The exercise's picture as a Flowable exactly ``width_pt`` x ``height_pt``.

    An own picture (``image``) wins over pose data. Built anew on each call: the render
    stage keeps the figures it reuses (``render.reuse``).
    """
    if not (math.isfinite(width_pt) and math.isfinite(height_pt) and width_pt > 4 and height_pt > 4):
        raise FigureError(f"exercise {exercise_id}: a figure needs a box of at least 4 x 4 points, "
                          f"got {width_pt} x {height_pt}")
    if image is None and spec is None:
        raise FigureError(f"exercise {exercise_id} has no figure or image")
    if image is not None:
        return image_flowable(exercise_id, image, Path(base_dir) if base_dir is not None else None,
                              float(width_pt), float(height_pt))
    return pose_drawing(spec, float(width_pt), float(height_pt), style)


def build_review_sheet(exercises, page_size=(612, 792), style: FigureStyle | None = None,
                       base_dir: Path | None = None) -> bytes:
    """PDF bytes showing every exercise's figure with its code and name; see ``review``."""
    from .review import build_review_sheet as build

    return build(exercises, page_size=page_size, style=style, base_dir=base_dir)
