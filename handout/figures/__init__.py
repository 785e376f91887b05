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

Only ``style`` loads with the package; the drawing code loads on the first figure drawn,
so a build whose figures all come from the disk cache never imports it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import FigureError
from .style import FigureStyle

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from ..model.pose import FigureSpec

__all__ = ["FigureStyle", "build_figure", "pose_points"]


def build_figure(exercise_id: str, spec: FigureSpec | None, image: str | None, base_dir: Path | None,
                 width_pt: float, height_pt: float, style: FigureStyle) -> Flowable:
    """The exercise's picture as a Flowable exactly ``width_pt`` x ``height_pt``.

    An own picture (``image``) wins over pose data. Built anew on each call: the render
    stage keeps the figures it reuses (``render.reuse``). The drawing code is imported
    here, on the first figure drawn: a build whose figures all come from the disk cache
    never loads it.
    """
    if not (math.isfinite(width_pt) and math.isfinite(height_pt) and width_pt > 4 and height_pt > 4):
        raise FigureError(f"exercise {exercise_id}: a figure needs a box of at least 4 x 4 points, "
                          f"got {width_pt} x {height_pt}")
    if image is None and spec is None:
        raise FigureError(f"exercise {exercise_id} has no figure or image")
    if image is not None:
        from .images import image_flowable

        return image_flowable(exercise_id, image, Path(base_dir) if base_dir is not None else None,
                              float(width_pt), float(height_pt))
    from .compose import pose_drawing

    return pose_drawing(spec, float(width_pt), float(height_pt), style)


def __getattr__(name: str):
    """``pose_points`` (``kinematics``), loaded when first asked for, as the drawing code is."""
    if name == "pose_points":
        from .kinematics import pose_points

        return pose_points
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
