"""Props in light grey behind the person: floor or mat, chair, wall, counter, block, band
(and the post a tied band is tied to).

Each prop is placed from the pose, so a clinician only names it: the chair goes under the
pelvis, the wall beside the pushing foot, the counter under the hands, the block between
the knees. Solid props are boxes in the room, seen through the same camera as the body.
"""

from __future__ import annotations

import math

from ..model.pose import MOTIONS, FigureSpec, Prop
from . import body
from .contacts import counter_top, seat_height
from .kinematics import Camera, Skeleton, add, lerp, pose_angles, skeleton, sub
from .paint import Op, convex_hull
from .style import FigureStyle, mix

Vec = tuple[float, float, float]
Box = tuple[Vec, Vec]  # two opposite corners in the room
FLAT_TILT = 15.0
BAND_STRAND = 0.015  # width of one strand of a band (0.010 read "thin in grey", round 9)
BAND_PINCH = 0.55  # a stretched loop band's sides come this much closer half way along
BAND_RING = 0.036  # radius of the ring a band makes round an ankle
WALL_HEIGHT = 0.78  # above the seated knee, so it reads as a wall, not a chair side
POST_HALF, POST_HEIGHT = 0.02, 0.45  # a tied band's post: a table leg
SLAB = 0.07  # a mat's thickness in a perspective view: its near edge shows as a band
MAT_PAST = 0.07  # in perspective the mat shows this far round each joint (a head's radius and a bit)
RIDGES = 5  # a mat in a perspective view in this many strips: RIDGES - 1 lengthwise ridges, converging away


def _box_op(box: Box, cam: Camera, style: FigureStyle) -> tuple[float, list[Op]]:
    (x0, y0, z0), (x1, y1, z1) = box
    corners = [(x, y, z) for x in (x0, x1) for y in (y0, y1) for z in (z0, z1)]
    hull = tuple(convex_hull([cam.page(c) for c in corners]))
    centre = ((x0 + x1) / 2, (y0 + y1) / 2, (z0 + z1) / 2)
    ops = [Op("poly", hull, (0.0, 0.8), stroke=style.prop_ink, fill=style.prop)]
    if cam.up[1] < 0.995 and y1 - y0 > 0.05:  # seen from above: the top's edges, so a box reads as solid
        top = tuple(cam.page(c) for c in ((x0, y1, z0), (x1, y1, z0), (x1, y1, z1), (x0, y1, z1)))
        ops.append(Op("poly", top, (0.0, 0.8), stroke=style.prop_ink, fill=style.prop))
    return cam.depth(centre), ops


def _span(skeletons: list[Skeleton], axis: int, margin: float) -> tuple[float, float]:
    values = [p[axis] for sk in skeletons for p in sk.points.values()]
    return min(values) - margin, max(values) + margin


def _chair(start: Skeleton) -> list[Box]:
    p = start.points
    seat = seat_height(start)
    back = start.origin[2] - 0.10
    front = max(min(p["right_knee"][2], p["left_knee"][2]) - 0.04, back + 0.15)
    x = start.origin[0]
    half, leg = 0.135, 0.018
    boxes = [((x - half, seat - 0.028, back), (x + half, seat, front))]
    for lx in (x - half, x + half - leg):
        for lz in (back, front - leg):
            boxes.append(((lx, 0.0, lz), (lx + leg, seat - 0.028, lz + leg)))
    for px in (x - half, x + half - leg):  # backrest: two uprights and a rail
        boxes.append(((px, seat, back - leg), (px + leg, seat + 0.30, back)))
    boxes.append(((x - half, seat + 0.20, back - leg), (x + half, seat + 0.30, back)))
    return boxes


def _push_direction(spec: FigureSpec, part: str) -> Vec:
    """Room direction a part would move if the pushed motion happened."""
    motion = MOTIONS[spec.push] if spec.push else None
    side = part.split("_")[0]
    start = pose_angles(spec, 0.0)
    nudged = dict(start)
    if motion:
        nudged[motion.axis] = start.get(motion.axis, 0.0) + motion.sign * 8.0
    a = skeleton(spec.posture, start, spec.support).points[f"{side}_ankle"]
    b = skeleton(spec.posture, nudged, spec.support).points[f"{side}_ankle"]
    d = sub(b, a)
    n = math.hypot(d[0], d[2])
    return (d[0] / n, 0.0, d[2] / n) if n > 1e-9 else (-1.0 if side == "right" else 1.0, 0.0, 0.0)


def _wall(spec: FigureSpec, prop: Prop, start: Skeleton) -> list[Box]:
    feet = [m for m in spec.moving if m.endswith("_foot")]
    side = prop.side or (feet[0].split("_")[0] if feet else "right")
    if prop.side is None and feet and spec.push:
        d = _push_direction(spec, feet[0])
    else:  # beside that foot, on the outside
        left = (start.pelvis[0][0], 0.0, start.pelvis[2][0])
        n = math.hypot(left[0], left[2]) or 1.0
        sign = 1.0 if side == "left" else -1.0
        d = (sign * left[0] / n, 0.0, sign * left[2] / n)
    ankle = start.points[f"{side}_ankle"]
    touch = body.RADIUS["shank"] + 0.004
    centre = (ankle[0] + d[0] * touch, ankle[2] + d[2] * touch)
    forward = (start.pelvis[0][2], start.pelvis[2][2])  # the person's front, level
    n = math.hypot(*forward) or 1.0
    thick, behind, ahead = 0.04, 0.42, 0.30  # the wall runs past the foot and the chair, both ways
    corners = [(centre[0] + d[0] * t + forward[0] / n * a, centre[1] + d[2] * t + forward[1] / n * a)
               for t in (0.0, thick) for a in (-behind, ahead)]
    xs, zs = [c[0] for c in corners], [c[1] for c in corners]
    return [((min(xs), 0.0, min(zs)), (max(xs), WALL_HEIGHT, max(zs)))]


def _counter(start: Skeleton, table: bool) -> list[Box]:
    p = start.points
    hands = [p["right_hand"], p["left_hand"]]
    top = counter_top(start)
    near = min(h[2] for h in hands) - 0.05
    cx = (hands[0][0] + hands[1][0]) / 2
    if table:
        boxes = [((cx - 0.32, top - 0.03, near), (cx + 0.32, top, near + 0.30))]
        boxes += [((x, 0.0, near + 0.02), (x + 0.025, top - 0.03, near + 0.045)) for x in (cx - 0.30, cx + 0.275)]
        return boxes
    return [((cx - 0.34, 0.0, near), (cx + 0.34, top, near + 0.34))]


def _block(start: Skeleton, towel: bool) -> list[Box]:
    a, b = start.points["right_knee"], start.points["left_knee"]
    mid = lerp(a, b, 0.5)
    gap = max(abs(a[0] - b[0]) - 2 * body.RADIUS["thigh"] + 0.02, 0.04)
    size = 0.07 if towel else 0.09
    return [((mid[0] - gap / 2, mid[1] - size / 2, mid[2] - size * 0.8),
             (mid[0] + gap / 2, mid[1] + size / 2, mid[2] + size * 0.8))]


def _mat(skeletons: list[Skeleton]) -> list[Box]:
    """Wide enough round the body that a knee or foot resting on it reads as on it, not on its edge."""
    x0, x1 = _span(skeletons, 0, 0.07)
    z0, z1 = _span(skeletons, 2, 0.14)
    return [((x0, -0.012, z0), (x1, 0.0, z1))]


def _floor(skeletons: list[Skeleton], cam: Camera, spec: FigureSpec, style: FigureStyle) -> list[Op]:
    tilt = spec.tilt if spec.tilt is not None else (90.0 if spec.view == "top" else 0.0)
    x0, x1 = _span(skeletons, 0, 0.12)
    z0, z1 = _span(skeletons, 2, 0.12)
    corners = [(x, 0.0, z) for x in (x0, x1) for z in (z0, z1)]
    page = [cam.page(c) for c in corners]
    if tilt < FLAT_TILT:
        left = min(p[0] for p in page)
        right = max(p[0] for p in page)
        y = min(p[1] for p in page)
        return [Op("line", ((left, y), (right, y)), (0.0, 1.4), stroke=style.prop_ink)]
    if tilt > 60:
        return []
    return [Op("poly", tuple(convex_hull(page)), (0.0, 0.6), stroke=style.prop, fill=style.prop)]


def _slab_ops(box: Box, cam: Camera, style: FigureStyle) -> list[Op]:
    """A mat in a perspective view as a thing on the floor (a body lying away from the viewer
    was read as kneeling against a wall): a slab whose near edge shows, and ridges along it that
    converge away from the viewer. No shadow under the body: one under the trunk and thighs was
    read as the body "lifted off the mat" (blind19a)."""
    (x0, _, z0), (x1, y1, z1) = box
    corners = [(x, y, z) for x in (x0, x1) for y in (y1 - SLAB, y1) for z in (z0, z1)]
    top = tuple(cam.page(c) for c in ((x0, y1, z0), (x1, y1, z0), (x1, y1, z1), (x0, y1, z1)))
    ops = [Op("poly", tuple(convex_hull([cam.page(c) for c in corners])), (0.0, 0.8), stroke=style.prop_ink,
              fill=style.prop_ink),
           Op("poly", top, (0.0, 0.8), stroke=style.prop_ink, fill=style.prop)]
    inset = 0.06 * (z1 - z0)
    for i in range(1, RIDGES):
        x = x0 + (x1 - x0) * i / RIDGES
        ops.append(Op("line", (cam.page((x, y1, z0 + inset)), cam.page((x, y1, z1 - inset))), (0.0, 0.6),
                      stroke=mix(style.prop, style.prop_ink, 0.6)))
    return ops


def _past_body(box: Box, skeletons: list[Skeleton], cam: Camera) -> Box:
    """The mat's length in perspective: it shows round every part of the body on the page by
    ``MAT_PAST`` (the raised head was drawn past the far edge: "the head sticks up past the
    mat", blind19a). Each joint, grown to a ball as wide as a head, is seen from the eye onto
    the mat; across, the mat keeps its width (grown, it would shrink the figure on a card)."""
    (x0, y0, _), (x1, y1, _) = box
    ey, ez = cam.distance * cam.toward[1], cam.distance * cam.toward[2]
    uy, uz = MAT_PAST * cam.up[1], MAT_PAST * cam.up[2]
    zs = [ez + (ey - y1) / (ey - y) * (z - ez)
          for sk in skeletons for _, py, pz in sk.points.values()
          for y, z in ((py + uy, pz + uz), (py - uy, pz - uz)) if y < ey - 1e-6]  # the ball's top and bottom
    return (x0, y0, min(zs) - MAT_PAST), (x1, y1, max(zs) + MAT_PAST)


def prop_ops(spec: FigureSpec, start: Skeleton, end: Skeleton, cam: Camera, style: FigureStyle) -> list[Op]:
    """Everything drawn behind the person, far to near."""
    kinds = {p.kind for p in spec.props}
    flat: list[Op] = [] if "mat" in kinds else _floor([start, end], cam, spec, style)
    boxes = prop_boxes(spec, start, end)
    if cam.distance is not None:  # seen in perspective, a mat is a slab lying on the floor
        flat += [op for kind, box in boxes if kind == "mat" for op in _slab_ops(_past_body(box, [start, end], cam), cam, style)]
        boxes = [(kind, box) for kind, box in boxes if kind != "mat"]
    solid = sorted((_box_op(b, cam, style) for _, b in boxes), key=lambda item: item[0])
    return flat + [op for _, ops in solid for op in ops]


def prop_boxes(spec: FigureSpec, start: Skeleton, end: Skeleton) -> list[tuple[str, Box]]:
    """Every solid prop as (kind, box) in the room; the first box of a chair is its seat."""
    out: list[tuple[str, Box]] = []
    for prop in spec.props:
        if prop.kind == "mat":
            boxes = _mat([start, end])
        elif prop.kind == "chair":
            boxes = _chair(start)
        elif prop.kind == "wall":
            boxes = _wall(spec, prop, start)
        elif prop.kind in ("counter", "table"):
            boxes = _counter(start, prop.kind == "table")
        elif prop.kind in ("block", "towel"):
            boxes = _block(start, prop.kind == "towel")
        elif prop.kind == "band" and prop.anchor:
            out.append(("post", _post(prop, start)))
            continue
        else:
            boxes = []
        out += [(prop.kind, box) for box in boxes]
    return out


def _post(prop: Prop, start: Skeleton) -> Box:
    """A post (a table or door leg) the band is tied to, standing on the floor at the anchor:
    a ring on its own was read as "a floating circle attached to nothing"."""
    x, _, z = _anchor_point(prop, start)
    return ((x - POST_HALF, 0.0, z - POST_HALF), (x + POST_HALF, POST_HEIGHT, z + POST_HALF))


def _anchor_point(prop: Prop, start: Skeleton) -> Vec:
    across, height = prop.anchor
    at = start.points[prop.from_]
    left = start.pelvis[0][0], 0.0, start.pelvis[2][0]  # the person's left, level with the floor
    n = math.hypot(left[0], left[2]) or 1.0
    base = add(start.origin, (left[0] / n * across, 0.0, left[2] / n * across))
    return (base[0], height, at[2])


def _loop(a, b, steps: int = 8) -> tuple[tuple[float, float], ...]:
    """A loop band round two ankles, as it looks stretched: round each ankle, its two sides
    pulled in toward each other half way (elastic, not a stiff bar with rings)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = math.hypot(dx, dy) or 1.0
    ux, uy = dx / n, dy / n
    heading = math.atan2(uy, ux)
    pts = []
    for centre, a0 in ((b, heading - math.pi / 2), (a, heading + math.pi / 2)):
        pts += [(centre[0] + BAND_RING * math.cos(a0 + math.pi * i / steps),
                 centre[1] + BAND_RING * math.sin(a0 + math.pi * i / steps)) for i in range(steps + 1)]
        if centre is b:  # the side from b back to a, pinched in the middle
            pts += [(b[0] - ux * n * t - uy * BAND_RING * (1 - BAND_PINCH * math.sin(math.pi * t)),
                     b[1] - uy * n * t + ux * BAND_RING * (1 - BAND_PINCH * math.sin(math.pi * t)))
                    for t in (0.25, 0.5, 0.75)]
    pts += [(a[0] + ux * n * t + uy * BAND_RING * (1 - BAND_PINCH * math.sin(math.pi * t)),
             a[1] + uy * n * t - ux * BAND_RING * (1 - BAND_PINCH * math.sin(math.pi * t)))
            for t in (0.25, 0.5, 0.75)]
    return tuple(pts)


def band_ops(spec: FigureSpec, sk: Skeleton, cam: Camera, colour: str, start: Skeleton) -> list[Op]:
    """Bands of the end pose ``sk``: a ring round each limb it holds, and a loop (two strands)
    to the other limb or one strand to a knot round a drawn anchor (placed from ``start``);
    dark, so it survives grey scale and copies."""
    ops: list[Op] = []
    for prop in spec.props:
        if prop.kind != "band":
            continue
        a = cam.page(sk.points[prop.from_])
        b = cam.page(sk.points[prop.to] if prop.to else _anchor_point(prop, start))
        if prop.to:
            ops.append(Op("poly", _loop(a, b), (BAND_STRAND, 0.0), stroke=colour))
        else:
            ops.append(Op("line", (a, b), (1.6 * BAND_STRAND, 0.0), stroke=colour))
            ops.append(Op("circle", (a,), (BAND_STRAND, 0.0), stroke=colour, radius=BAND_RING))
        if prop.anchor:  # the knot round the post
            ops.append(Op("circle", (b,), (BAND_STRAND, 0.0), stroke=colour, radius=1.4 * POST_HALF))
    return ops
