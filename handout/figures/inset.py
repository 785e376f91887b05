"""A second, small view of the start position: a side silhouette beside the main figure.

E7 (both feet fall out, lying face down) is drawn from the feet and above so both shins fall
apart across the page, but from there twelve readers split between "lying face down" and
"kneeling seen from behind", and the upright start shins showed only as rings at the knees.
A body seen from the side lying long and flat on a mat line, head down, with both shins
standing straight up, can only be lying face down with the knees bent. So a face-down figure
in which both feet move carries that silhouette, framed, in a free lower corner (figures.md
allows a second view); the main view keeps the movement. One leg stands for both (from the
side they coincide).
"""

from __future__ import annotations

import math

from ..model.pose import FigureSpec
from . import body
from .kinematics import Camera, Skeleton
from .paint import OUTLINE_BODY, Op, bounds, extents
from .style import FigureStyle

SCALE = 0.3  # of the main figure's body units: the silhouette about 0.29 wide, 13 mm on a card
GAP = 0.025  # body units between the frame and the person or the arrows
EDGE = 0.015  # body units between the frame and the figure's edge
MARGIN = 0.018  # inside the frame, around the silhouette
TRUNK_RADIUS = 0.066  # half the trunk's depth (front to back), as body.TRUNK_SECTIONS
SIDE = Camera((0.0, 0.0, -1.0), (0.0, 1.0, 0.0), (1.0, 0.0, 0.0))  # from the left side: head to the left
HEAD_BOLD = 1.2  # the head a little larger than life, so it reads at 15 mm (no arm: drawn over the
# trunk it made a pill inside a pill)
HAIR_DEPTH = 0.55  # the share of the head's outline the dark cap spans, centred on the top: the back
# of the head, dark as in the main view


def wants_inset(spec: FigureSpec) -> bool:
    """A face-down figure in which both feet move (E7); E6's one foot reads face down already."""
    return spec.posture == "lying_face_down" and sum(part.endswith("_foot") for part in spec.moving) >= 2


def _limb(a, b, r: float, fill: str, style: FigureStyle) -> list[Op]:
    """A rounded segment: its outline, then its fill."""
    return [Op("line", (a, b), (2 * r, 2.0), stroke=style.ink), Op("line", (a, b), (2 * r, 0.0), stroke=fill)]


def silhouette_ops(start: Skeleton, style: FigureStyle) -> tuple[list[Op], dict[str, tuple[float, float]]]:
    """The start pose from the side at ``SCALE``, on a mat line, unplaced, and its joints on the page."""
    names = ("head", "neck", "pelvis", "left_hip", "left_knee", "left_ankle", "left_toe")
    joints = {n: tuple(c * SCALE for c in SIDE.page(start.points[n])) for n in names}
    r = {k: v * SCALE for k, v in (("trunk", TRUNK_RADIUS), ("thigh", body.TAPER["thigh"][0]),
                                    ("shank", body.TAPER["shank"][0]), ("foot", body.TAPER["foot"][0]),
                                    ("head", body.HEAD_RADIUS * HEAD_BOLD))}
    j = joints
    xs = [p[0] for p in joints.values()]
    ops = [Op("line", ((min(xs) - 2 * r["head"], 0.0), (max(xs) + 2 * r["foot"], 0.0)), (0.0, 1.5),
              stroke=style.prop_ink)]  # the mat line: the floor
    ops += _limb(j["left_hip"], j["left_knee"], r["thigh"], style.body, style)
    ops += _limb(j["pelvis"], j["neck"], r["trunk"], style.body, style)
    ops += _limb(j["left_knee"], j["left_ankle"], r["shank"], style.work, style)
    ops += _limb(j["left_ankle"], j["left_toe"], r["foot"], style.work, style)
    (hx, hy), hr = j["head"], r["head"]
    ops.append(Op("circle", ((hx, hy),), (0.0, 1.0), stroke=style.ink, fill=style.body, radius=hr))
    # the back of the head, up: a dark cap over the top of the head (face down on the mat)
    cap = [(hx + hr * math.cos(a), hy + hr * math.sin(a))
           for a in (math.pi * (0.5 - HAIR_DEPTH) + math.pi * i / 8 * 2 * HAIR_DEPTH for i in range(9))]
    ops.append(Op("poly", tuple(cap), fill=style.ink))
    return ops, joints


def inset_ops(spec: FigureSpec, start: Skeleton, main: list[Op], style: FigureStyle
              ) -> tuple[list[Op], dict[str, tuple[float, float]]]:
    """The framed silhouette in the first corner of ``main`` (the figure so far: bottom right,
    bottom left) clear of the person and the arrows, else just past its top right corner; and
    its joints where they are drawn. Nothing when the figure wants no inset. (Past the corner
    it widened E7, a tall figure, so its main view shrank by a third on a handout card.)"""
    if not wants_inset(spec) or not main:
        return [], {}
    ops, joints = silhouette_ops(start, style)
    sx0, sy0, sx1, sy1 = bounds(extents(ops), OUTLINE_BODY, 0.0)
    w, h = sx1 - sx0 + 2 * MARGIN, sy1 - sy0 + 2 * MARGIN
    x0, y0, x1, y1 = bounds(extents(main), OUTLINE_BODY, 0.0)
    props = {style.prop, style.prop_ink}
    scene = [b for b, op in zip(extents(main), main) if op.fill not in props and op.stroke not in props]

    def clear(fx0: float, fy0: float) -> bool:
        return not any(bx0 - m - GAP < fx0 + w and bx1 + m + GAP > fx0 and by0 - m - GAP < fy0 + h and by1 + m + GAP > fy0
                       for bx0, by0, bx1, by1, m, _ in scene)
    corners = [(x1 - EDGE - w, y0 + EDGE), (x0 + EDGE, y0 + EDGE)]
    fx0, fy0 = next((c for c in corners if clear(*c)), (x1 + GAP, y1 - h))
    dx, dy = fx0 + MARGIN - sx0, fy0 + MARGIN - sy0
    frame = ((fx0, fy0), (fx0 + w, fy0), (fx0 + w, fy0 + h), (fx0, fy0 + h))
    moved = [Op(op.kind, tuple((x + dx, y + dy) for x, y in op.pts), op.width, op.stroke, op.fill, op.radius,
                op.opacity, op.dashed) for op in ops]
    return ([Op("poly", frame, (0.0, 1.0), stroke=style.prop_ink, fill="#FFFFFF")] + moved,
            {n: (x + dx, y + dy) for n, (x, y) in joints.items()})
