"""A left/right mark beside the working leg, drawn as strokes (no font), for views a patient
might mirror (an upright person facing the viewer, whose right leg is on the viewer's left)
or where near and far are hard to tell (on hands and knees, seen from behind at an angle).
"""

from __future__ import annotations

import math

from ..model.pose import FigureSpec
from . import body
from .kinematics import Camera, Skeleton
from .paint import Op

MARK_HEIGHT = 0.06  # body units: about 2 mm on a card
STROKE = 0.011
# Letter strokes in a unit box (x right, y up), each a polyline.
LETTERS = {
    "R": (((0, 0), (0, 1), (0.55, 1), (0.75, 0.86), (0.75, 0.64), (0.55, 0.5), (0, 0.5)), ((0.35, 0.5), (0.8, 0))),
    "L": (((0, 1), (0, 0), (0.75, 0)),),
}


def needs_mark(spec: FigureSpec, cam: Camera) -> bool:
    """Sitting or standing with the front of the body turned to the viewer, or on hands and
    knees (readers could not tell which leg works)."""
    return (spec.posture in ("seated", "standing") and cam.toward[2] > 0.6) or spec.posture == "hands_and_knees"


def side_mark_ops(spec: FigureSpec, sk: Skeleton, cam: Camera, colour: str, halo: str = "#FFFFFF") -> list[Op]:
    """An R or L just outside the working thigh, level with its middle."""
    legs = [part.split("_")[0] for part in spec.moving if part.endswith(("_foot", "_knee"))]
    if not legs or not needs_mark(spec, cam):
        return []
    side = legs[0]
    hip, knee = cam.page(sk.points[f"{side}_hip"]), cam.page(sk.points[f"{side}_knee"])
    mid = cam.page(sk.origin)
    out = -1.0 if hip[0] < mid[0] else 1.0  # away from the body's middle, on the page
    x = (hip[0] + knee[0]) / 2 + out * (body.TAPER["thigh"][0] + 0.035) - (MARK_HEIGHT * 0.8 if out < 0 else 0.0)
    y = (hip[1] + knee[1]) / 2 - MARK_HEIGHT / 2
    ops = []
    for colour_, extra in ((halo, 2.0), (colour, 0.0)):
        for stroke in LETTERS[side[0].upper()]:
            pts = tuple((x + px * MARK_HEIGHT, y + py * MARK_HEIGHT) for px, py in stroke)
            ops.append(Op("line", pts, (STROKE, extra), stroke=colour_))
    return ops
