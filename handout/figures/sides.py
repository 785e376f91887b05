"""The side mark: "this leg is shown; then do the other one", without a letter.

An R beside the working leg was read by a 70-year-old as "right leg only", and a letter would
also need translating (R is D in Spanish). So a figure in which one leg works carries a small
pair of footprints in a free corner, a left and a right sole seen from above, toes up, as the
patient looks down at their own feet: the working leg's own foot filled in the darkest
(working-limb) colour and numbered 1, the other near-white with a bold dark 2 (a thin 2 on a
pale print read as stripes or cracks): this side first, then the other. The working leg itself carries the same light 1 on its shin, so the mark follows
the person's own side in every view. (Round 9 put the filled print on the side of the picture
where the working leg is drawn: in the front views (E1 to E3) readers then asked whether the 1
meant the person's left or the picture's left. Round 8's small arrow from the filled print to
the other read as "move the foot toward the other foot".) The prints sit clear of the body and
the arrows, off every prop (on E2's wall they read as "put your feet on the wall") and away
from every arrow's tip (E6's arrow pointing at them read as "move your foot over there"), so
they read as a legend. A figure of one leg only (``FigureSpec.only``, a card whose dose says
"left leg only") has neither the mark nor the 1: "then the other" would be wrong there.
"""

from __future__ import annotations

import math

from ..model.pose import FigureSpec
from . import body
from .draw import inside
from .kinematics import Camera, Skeleton
from .paint import OUTLINE_BODY, Op, bounds, extents
from .style import FigureStyle

PRINT_LENGTH = 0.15  # body units: about 5.5 mm on a card
DIGIT_HEIGHT = 0.42  # of a print's length: about 2 mm on a card
DIGIT_WEIGHT = 2.0  # outlines: a one-outline dark 2 on a pale print read as stripes or cracks (round 12)
GAP = 0.04  # the mark's distance from the body, the arrows and the figure's edge, body units
TIP_CLEAR = 0.2  # body units (about 7 mm on a card) from an arrow's tip: E6's arrow pointing at
# the prints read as "move your foot over there" (round 12)

# The right foot's sole seen from above, toes up, big toe on the inner (left) side; 1 = its length.
RIGHT_SOLE = ((0.0, 0.0), (0.14, 0.07), (0.16, 0.35), (0.21, 0.68), (0.15, 0.86), (0.0, 0.96),
              (-0.1, 0.99), (-0.17, 0.88), (-0.16, 0.68), (-0.09, 0.48), (-0.14, 0.14))
# The digits 1 and 2 as one stroke each, in a box 0.6 wide and 1 high.
DIGITS = {1: ((0.1, 0.75), (0.4, 1.0), (0.4, 0.0)),
          2: ((0.0, 0.74), (0.1, 0.93), (0.3, 1.0), (0.5, 0.93), (0.6, 0.74), (0.52, 0.52), (0.0, 0.0), (0.62, 0.0))}


def leg_digit_ops(spec: FigureSpec, end: Skeleton, cam: Camera, style: FigureStyle, arrows: list[Op]) -> list[Op]:
    """A light 1 on the working leg's shin in the end pose: the leg the filled print's 1 names,
    whichever way the person faces. Half way down the shin, or the nearest point along it clear
    of the arrows (pale on an arrow's white halo it vanished: E2's push arrow) and off the other
    leg (on E12 the free leg, nearer, crosses the standing shin)."""
    side = spec.working_side
    if side is None:
        return []
    (kx, ky), (ax, ay) = (cam.page(end.points[f"{side}_{j}"]) for j in ("knee", "ankle"))
    d = DIGIT_HEIGHT * PRINT_LENGTH
    boxes = extents(arrows)

    def digit(t: float) -> tuple[Op, tuple[float, float, float, float]]:
        cx, cy = kx + (ax - kx) * t, ky + (ay - ky) * t
        op = Op("line", tuple((cx + (x - 0.25) * d, cy + (y - 0.5) * d) for x, y in DIGITS[1]), (0.0, 1.0),
                stroke=style.pale)
        return op, (cx - 0.3 * d, cy - 0.5 * d, cx + 0.3 * d, cy + 0.5 * d)
    other = "left" if side == "right" else "right"
    bones = [(cam.page(end.points[f"{other}_{a}"]), cam.page(end.points[f"{other}_{b}"]), max(body.TAPER[r]))
             for a, b, r in (("hip", "knee", "thigh"), ("knee", "ankle", "shank"))]

    def clear(box) -> bool:
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        return not any(bx0 - m < box[2] and bx1 + m > box[0] and by0 - m < box[3] and by1 + m > box[1]
                       for bx0, by0, bx1, by1, m, _ in boxes) and all(
            _off_line(centre, a, b) > r + d / 2 for a, b, r in bones)  # not on the other leg (E12's free knee)
    tries = [digit(t) for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)]
    return [next((op for op, box in tries if clear(box)), tries[0][0])]


def _off_line(p, a, b) -> float:
    """How far the point ``p`` lies from the segment ``a``-``b``."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    t = max(0.0, min(1.0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / (((bx - ax) ** 2 + (by - ay) ** 2) or 1.0)))
    return math.dist(p, (ax + (bx - ax) * t, ay + (by - ay) * t))


def _mark(first: str, style: FigureStyle) -> list[Op]:
    """The mark at the origin (lower left corner), in body units: the left sole on the left,
    the right on the right; the ``first`` (the working leg's) filled dark with a light 1, the
    other light with a dark 2."""
    n = PRINT_LENGTH
    ops = []
    for which, centre in (("left", 0.22), ("right", 0.78)):
        mirror = 1 if which == "right" else -1
        x0 = centre * n * 1.05
        pts = tuple((x0 + mirror * x * n, y * n) for x, y in RIGHT_SOLE)
        number, fill, ink = (1, style.work, style.pale) if which == first else (2, style.pale, style.ink)
        ops.append(Op("poly", pts, (0.0, 1.0), stroke=style.ink, fill=fill))
        d = DIGIT_HEIGHT * n
        ops.append(Op("line", tuple((x0 + mirror * 0.03 * n + (x - 0.3) * d * 0.75, 0.33 * n + y * d)
                                    for x, y in DIGITS[number]), (0.0, DIGIT_WEIGHT), stroke=ink))
    return ops


def _hits(box, boxes) -> bool:
    x0, y0, x1, y1 = box
    for bx0, by0, bx1, by1, m, _ in boxes:
        grow = m + GAP
        if bx0 - grow < x1 and bx1 + grow > x0 and by0 - grow < y1 and by1 + grow > y0:
            return True
    return False


def arrow_tips(ops: list[Op], style: FigureStyle) -> list[tuple[float, float]]:
    """The tips of the arrows' heads (a head is a filled triangle in the arrow's colour, tip first)."""
    return [op.pts[0] for op in ops if op.kind == "poly" and len(op.pts) == 3 and op.fill == style.arrow]


def _gap(box, p) -> float:
    """How far the point ``p`` lies from the box (0 inside)."""
    return math.hypot(max(box[0] - p[0], 0.0, p[0] - box[2]), max(box[1] - p[1], 0.0, p[1] - box[3]))


def _on_prop(box, faces: list[tuple[tuple, Op]], lines) -> bool:
    """Whether the box lies on a prop: a sample point inside a prop's face (each face given
    with its box), or near a prop's line."""
    x0, y0, x1, y1 = box
    samples = [(x0 + (x1 - x0) * i / 2, y0 + (y1 - y0) * j / 2) for i in range(3) for j in range(3)]
    return any(inside(p, op.pts) for (bx0, by0, bx1, by1, *_), op in faces
               if bx0 < x1 and bx1 > x0 and by0 < y1 and by1 > y0 for p in samples) or _hits(box, lines)


def side_mark_ops(first: str | None, ops: list[Op], style: FigureStyle) -> list[Op]:
    """The mark (the ``first`` leg's own print filled) for a figure whose ops are ``ops``: in the
    first free corner of the figure (top right, top left, bottom right, bottom left), ``GAP``
    inside its edges, else the first spot along its top, bottom, left or right edge clear of the
    person, the arrows and the props, else the nearest such spot out past the top right corner;
    never within ``TIP_CLEAR`` of an arrow's tip. (Footprints on a counter top or a wall read as
    "stand here".)"""
    if first is None or not ops:
        return []
    mark = _mark(first, style)
    # corners of the bounds with strokes (at a card's outline): a mark whose halo or outline
    # stuck out past the figure's edge shrank the whole figure a few per cent
    mx0, my0, mx1, my1 = bounds(extents(mark), OUTLINE_BODY, 0.0)
    w, h = mx1 - mx0, my1 - my0
    boxes = extents(ops)
    x0, y0, x1, y1 = bounds(boxes, OUTLINE_BODY, 0.0)
    x0, y0, x1, y1 = x0 + GAP, y0 + GAP, x1 - GAP, y1 - GAP  # off the edge: not on a card's rule
    kinds = {style.prop, style.prop_ink}
    is_prop = [op.fill in kinds or op.stroke in kinds for op in ops]
    scene = [b for b, prop in zip(boxes, is_prop) if not prop]
    faces = [(b, op) for b, op, prop in zip(boxes, ops, is_prop) if prop and op.kind == "poly"]
    lines = [b for b, op, prop in zip(boxes, ops, is_prop) if prop and op.kind != "poly"]
    corners = [(x1 - w, y1 - h), (x0, y1 - h), (x1 - w, y0), (x0, y0)]
    steps = [i / 8 for i in range(1, 8)]
    edges = ([(x0 + (x1 - w - x0) * t, y1 - h) for t in steps] + [(x0 + (x1 - w - x0) * t, y0) for t in steps]
             + [(x0, y0 + (y1 - h - y0) * t) for t in steps] + [(x1 - w, y0 + (y1 - h - y0) * t) for t in steps])

    def rect(c):
        return (c[0], c[1], c[0] + w, c[1] + h)
    tips = arrow_tips(ops, style)

    def free(c, among) -> bool:
        return not _hits(rect(c), among) and all(_gap(rect(c), tip) >= TIP_CLEAR for tip in tips)
    spot = next((c for c in corners if free(c, boxes)), None)
    if spot is None:
        spot = next((c for c in corners + edges if free(c, scene) and not _on_prop(rect(c), faces, lines)), None)
    if spot is None:  # out past the top right corner, step by step, off the props (E2's wall: the
        # prints on it read as "put your feet on the wall")
        spot = next((c for k in range(1, 40) for c in ((x1 - w + k * GAP / 2, y1 - h),)
                     if free(c, scene) and not _on_prop(rect(c), faces, lines)), (x1 + 2 * GAP, y1 - h))
    dx, dy = spot[0] - mx0, spot[1] - my0
    return [Op(op.kind, tuple((x + dx, y + dy) for x, y in op.pts), op.width, op.stroke, op.fill,
               op.radius, op.opacity, op.dashed) for op in mark]
