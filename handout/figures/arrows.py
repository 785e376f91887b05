"""Arrows: a curved arrow along the real path of the moving part, or a straight push.

The path comes from the kinematics (poses part of the way from start to end): for a foot
or knee it runs just beyond the joint, away from what it turns about, so the arrow goes
from the pale start to the solid end beside the limb, not over it. A white halo keeps it
readable where it crosses the body.
"""

from __future__ import annotations

import math

from ..model.pose import MOTIONS, FigureSpec
from . import body
from .draw import groups, inside
from .kinematics import Camera, Vec, apply, lerp, pose_angles, skeleton, solve, sub
from .paint import Op

STEPS = 6
ARROW_WIDTH = 0.022  # body units
HALO_OUTLINES = 2.2
HEAD_LENGTH = 0.09
PUSH_LIFT = 0.11  # a push arrow runs this far above the ankle, where it does not hide the foot
KNEE_CLEAR = 0.06
GAP = 0.03  # clearance between the arrow and the limb at either end
FOOT_GAP = 0.012  # two feet falling apart: each arrow's ends this close to its start and end foot
MIN_SPAN = 0.1  # a foot-to-foot arrow shorter than this on the page is moved off its shin instead
TURN_HALF, TURN_RADIUS, TURN_SPLIT = 100.0, 0.25, 0.05  # a pelvis turn: a hoop round the standing leg
# at hip height; its near stretch, TURN_HALF degrees either side of the point nearest the viewer, drawn
# as two arrows out from its middle with TURN_SPLIT body units between them
TURN_DROP, TURN_GAP = 0.04, 25.0  # the hoop this far below the standing hip, off the hip patch; and
# the degrees left open after each head before its far stretch, a plain line where the body does not hide it

# moving part -> (tracked joint, what it turns about, reach, limb whose thickness to clear).
# reach > 0: a point that far along the limb, so the arrow crosses the wedge the limb sweeps;
# reach < 0: just outside the joint, away from what it turns about (a knee tipping sideways
# turns about the hip-to-foot line).
TRACK = {
    "foot": ("ankle", "knee", -1.0, "foot"),
    "knee": ("knee", "hip+ankle", -1.0, "thigh"),
    "hand": ("wrist", "elbow", 0.62, "forearm"),
}

Point = tuple[float, float]


def frames(spec: FigureSpec) -> list:
    """The poses part of the way from start to end, solved once for all of a figure's arrows
    (solving them per arrow made the two-limb figures the slowest to build)."""
    start = solve(spec, 0.0)
    return [start] + [solve(spec, i / STEPS, start) for i in range(1, STEPS + 1)]


def _tracked(spec: FigureSpec, part: str, sk, cam: Camera) -> tuple[Point, Point]:
    if part == "trunk":  # an arc just beyond the head, about the standing hip
        pivot = cam.page(sk.points[f"{spec.support.split('_')[0]}_hip"] if spec.support else sk.origin)
        head = cam.page(sk.points["head"])
        dx, dy = head[0] - pivot[0], head[1] - pivot[1]
        n = math.hypot(dx, dy) or 1.0
        out = body.HEAD_RADIUS + GAP
        return (head[0] + dx / n * out, head[1] + dy / n * out), pivot
    side, what = part.split("_")
    joint, about, reach, radius = TRACK[what]
    p = sk.points[f"{side}_{joint}"]
    if reach > 0:
        a = sk.points[f"{side}_{about}"]
        return cam.page(lerp(a, p, reach)), cam.page(a)
    ends = [sk.points[f"{side}_{j}"] for j in about.split("+")]
    pivot, point = cam.page(lerp(ends[0], ends[-1], 0.5)), cam.page(p)
    dx, dy = point[0] - pivot[0], point[1] - pivot[1]
    n = math.hypot(dx, dy) or 1.0
    out = body.RADIUS[radius] + GAP
    if what == "knee":  # a knee rising toward the hip line slides along its own thigh: go wider
        out += KNEE_CLEAR
    if what == "foot":  # beyond the whole foot too, so the arrow does not cover it
        out += max(0.0, *(((q[0] - point[0]) * dx + (q[1] - point[1]) * dy) / n
                          for q in (cam.page(sk.points[f"{side}_toe"]), cam.page(sk.points[f"{side}_heel"]))))
    return (point[0] + dx / n * out, point[1] + dy / n * out), pivot


def _trim(path: list[Point], start: float, end: float) -> list[Point]:
    """The path without its first ``start`` and last ``end`` units of length."""
    def cut(pts: list[Point], amount: float) -> list[Point]:
        while len(pts) > 1 and amount > 0:
            step = math.dist(pts[0], pts[1])
            if step > amount:
                t = amount / step
                pts = [(pts[0][0] + (pts[1][0] - pts[0][0]) * t, pts[0][1] + (pts[1][1] - pts[0][1]) * t)] + pts[1:]
                break
            amount -= step
            pts = pts[1:]
        return pts
    return cut(cut(path, start)[::-1], end)[::-1]


def _smooth(points: list[Point], between: int = 3) -> list[Point]:
    """A Catmull-Rom curve through the points, so a wide arc has no corners."""
    if len(points) < 3:
        return points
    ext = [points[0]] + points + [points[-1]]
    out = []
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        for k in range(between):
            t = k / between
            out.append(tuple(0.5 * (2 * p1[j] + (p2[j] - p0[j]) * t + (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t * t
                                    + (3 * p1[j] - p0[j] - 3 * p2[j] + p3[j]) * t ** 3) for j in (0, 1)))
    return out + [points[-1]]


def _limb_segments(sk, side: str, cam: Camera, gap: float = GAP) -> list:
    """A pose's shin and foot on the page, each with the distance an arrow keeps from its bone line."""
    return [(cam.page(sk.points[f"{side}_{a}"]), cam.page(sk.points[f"{side}_{b}"]), max(body.TAPER[r]) + gap)
            for a, b, r in (("knee", "ankle", "shank"), ("heel", "toe", "foot"))]


def _over(point: Point, segments: list) -> bool:
    x, y = point
    for (px, py), (qx, qy), clear in segments:
        dx, dy = qx - px, qy - py
        t = max(0.0, min(1.0, ((x - px) * dx + (y - py) * dy) / ((dx * dx + dy * dy) or 1.0)))
        if math.hypot(x - px - dx * t, y - py - dy * t) < clear:
            return True
    return False


def _foot_to_foot(path: list[Point], side: str, start, end, cam: Camera) -> list[Point]:
    """The heel's own path (the top of a foot whose sole faces the ceiling) from just clear of the
    start shin and foot to just short of the end ones, for two feet falling apart (E7): round 14's
    reader took an arrow from beyond the upright foot, at the hips on the page, for "spread the
    knees", and asked for arrows that start near the feet. Where too little is left
    between the two (seen from nearly above, the foot's path runs along its fallen shin), the
    path is moved, whole, off the end shin square to it, so the arc keeps its curve."""
    fine = [(a[0] + (b[0] - a[0]) * i / 8, a[1] + (b[1] - a[1]) * i / 8) for a, b in zip(path, path[1:]) for i in range(8)]
    fine.append(path[-1])
    first, last = _limb_segments(start, side, cam, FOOT_GAP), _limb_segments(end, side, cam, FOOT_GAP)
    i, j = 0, len(fine)
    while i < j and _over(fine[i], first):
        i += 1
    while j > i and _over(fine[j - 1], last):
        j -= 1
    if j - i > 1 and max(max(p[k] for p in fine[i:j]) - min(p[k] for p in fine[i:j]) for k in (0, 1)) >= MIN_SPAN:
        return fine[i:j - 1:8] + [fine[j - 1]]  # the cut ends, every step of the path between
    (kx, ky), (ax, ay), _ = last[0]
    length = math.hypot(ax - kx, ay - ky) or 1.0
    nx, ny = -(ay - ky) / length, (ax - kx) / length
    if sum((x - kx) * nx + (y - ky) * ny for x, y in path) < 0:
        nx, ny = -nx, -ny
    shift, moved = 0.0, path
    while any(_over(p, last) for p in moved) and shift < 0.3:
        shift += 0.005
        moved = [(x + nx * shift, y + ny * shift) for x, y in path]
    return moved


def motion_path(spec: FigureSpec, part: str, cam: Camera, poses: list | None = None) -> list[Point]:
    """The page path a point part-way along the moving limb takes, clear of both poses."""
    poses = poses or frames(spec)
    if part.endswith("_foot") and len(spec.moving) > 1:
        side = part.split("_")[0]
        path = _smooth([cam.page(sk.points[f"{side}_heel"]) for sk in poses])
        return _foot_to_foot(path, side, poses[0], poses[-1], cam)
    path = _smooth([_tracked(spec, part, sk, cam)[0] for sk in poses])
    length = sum(math.dist(a, b) for a, b in zip(path, path[1:]))
    if part == "trunk":
        clear = 0.0
    else:
        _, _, reach, radius = TRACK[part.split("_")[1]]
        clear = body.RADIUS[radius] + GAP if reach > 0 else 0.0
    clear = min(clear, 0.3 * length)
    return _trim(path, clear, clear)


def push_path(spec: FigureSpec, part: str, cam: Camera) -> list[Point]:
    """A short straight path the way the part would go if the pushed motion happened."""
    start = pose_angles(spec, 0.0)
    motion = MOTIONS[spec.push]
    nudged = dict(start)
    nudged[motion.axis] = start.get(motion.axis, 0.0) + motion.sign * 8.0
    side, what = part.split("_")
    joint = TRACK.get(what, ("ankle",))[0]
    base = solve(spec, 0.0)
    moved = skeleton(spec.posture, nudged, spec.support).points[f"{side}_{joint}"]
    here = skeleton(spec.posture, start, spec.support).points[f"{side}_{joint}"]
    a = cam.page(base.points[f"{side}_{joint}"])
    step = cam.page(sub(moved, here))
    norm = math.hypot(*step) or 1.0
    d = (step[0] / norm, step[1] / norm)
    back, ahead = 0.0, body.RADIUS["shank"] + 0.10  # from the middle of the shin into the wall
    lift = PUSH_LIFT
    return [(a[0] - d[0] * back, a[1] - d[1] * back + lift), (a[0] + d[0] * ahead, a[1] + d[1] * ahead + lift)]


TICKS = (-40.0, 0.0, 40.0)  # degrees off the push: a burst round where the foot meets the wall
TICK_FROM, TICK_TO = 0.05, 0.095


def push_ticks(spec: FigureSpec, part: str, cam: Camera, colour: str) -> list[Op]:
    """Short strokes fanning out from where the ankle meets the wall, so "push and hold"
    reads (the fourth reader could not tell whether the foot touched the wall)."""
    (a, b) = push_path(spec, part, cam)
    ux, uy = b[0] - a[0], b[1] - a[1]
    n = math.hypot(ux, uy) or 1.0
    ux, uy = ux / n, uy / n
    reach = body.RADIUS["shank"]
    contact = (a[0] + ux * reach, a[1] - PUSH_LIFT + uy * reach)
    ops = []
    for deg in TICKS:
        c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
        dx, dy = ux * c - uy * s, ux * s + uy * c
        ops.append(Op("line", ((contact[0] + dx * TICK_FROM, contact[1] + dy * TICK_FROM),
                               (contact[0] + dx * TICK_TO, contact[1] + dy * TICK_TO)), (ARROW_WIDTH * 0.8, 0.0),
                      stroke=colour))
    return ops


def arrow_ops(path: list[Point], colour: str, halo: str = "#FFFFFF") -> list[Op]:
    """A stroked shaft with a white halo and a filled triangular head at the end."""
    pts = [path[0]]
    for p in path[1:]:
        if math.dist(p, pts[-1]) > 1e-4:
            pts.append(p)
    length = sum(math.dist(a, b) for a, b in zip(pts, pts[1:]))
    if len(pts) < 2 or length < 0.02:
        return []
    head = min(HEAD_LENGTH, 0.5 * length)
    tip = pts[-1]
    # the point `head` back along the path gives the head's direction
    back, walked, i = tip, 0.0, len(pts) - 1
    while i > 0 and walked + math.dist(pts[i], pts[i - 1]) < head:
        walked += math.dist(pts[i], pts[i - 1])
        i -= 1
    if i > 0:
        rest = head - walked
        seg = math.dist(pts[i], pts[i - 1])
        t = rest / seg
        back = (pts[i][0] + (pts[i - 1][0] - pts[i][0]) * t, pts[i][1] + (pts[i - 1][1] - pts[i][1]) * t)
        shaft = pts[:i] + [back]
    else:
        back, shaft = pts[0], [pts[0]]
    ux, uy = tip[0] - back[0], tip[1] - back[1]
    n = math.hypot(ux, uy) or 1.0
    ux, uy = ux / n, uy / n
    half = head * 0.55
    base = (tip[0] - ux * head, tip[1] - uy * head)
    tri = (tip, (base[0] - uy * half, base[1] + ux * half), (base[0] + uy * half, base[1] - ux * half))
    shaft = shaft[:-1] + [(base[0] + ux * head * 0.3, base[1] + uy * head * 0.3)] if len(shaft) > 1 else []
    ops = []
    if len(shaft) >= 2:
        ops.append(Op("line", tuple(shaft), (ARROW_WIDTH, 2 * HALO_OUTLINES), stroke=halo))
    ops.append(Op("poly", tri, (0.0, 2 * HALO_OUTLINES), stroke=halo, fill=halo))
    if len(shaft) >= 2:
        ops.append(Op("line", tuple(shaft), (ARROW_WIDTH, 0.0), stroke=colour))
    ops.append(Op("poly", tri, (0.0, 0.5), stroke=colour, fill=colour))
    return ops


def _yaw(sk, a: str, b: str) -> float:
    """Heading of the line from joint ``a`` to joint ``b`` about the vertical, in radians."""
    d = sub(sk.points[b], sk.points[a])
    return math.atan2(-d[2], d[0])


def turn_hoop(spec: FigureSpec, cam: Camera) -> tuple[list[Point], list[tuple[Point, bool]]]:
    """A hip turn's hoop round the standing leg's vertical axis at hip height, as page points: its near
    stretch (TURN_HALF degrees either side of the point nearest the viewer) running the way the pelvis
    turns, and its far stretch, each point True where the body hides it (behind the standing hip,
    inside the end pose's trunk, pelvis or a thigh outline).

    Blind15 to 19: a flat arc in front of the hips with a head each way read "twist" or "slide the
    hips toward the box and back"; round 10's ring round the body's long axis read as a pelvic tilt.
    The pelvis turns over the standing leg, so the arc is the front of a hula hoop round it, open
    enough that its ends curve back round the body.
    """
    start = solve(spec, 0.0)
    end = solve(spec, 1.0, start)
    delta = _yaw(end, "left_hip", "right_hip") - _yaw(start, "left_hip", "right_hip")
    delta = (delta + math.pi) % (2 * math.pi) - math.pi
    if abs(delta) < math.radians(3):
        return [], []
    hip = start.points[f"{spec.support.split('_')[0]}_hip"] if spec.support else start.origin
    centre = (hip[0], hip[1] - TURN_DROP, hip[2])
    tx, tz = cam.toward[0], cam.toward[2]
    if math.hypot(tx, tz) > 0.2:
        near = math.atan2(-tz, tx)  # the side nearest the viewer
    else:  # seen from above: the head in front of the body
        forward = apply(start.pelvis, (0.0, 0.0, 1.0))
        near = math.atan2(-forward[2], forward[0])
    way = math.copysign(1.0, delta)

    def at(theta: float) -> Vec:
        return (centre[0] + TURN_RADIUS * math.cos(theta), centre[1], centre[2] - TURN_RADIUS * math.sin(theta))
    steps = STEPS * 6
    front = [cam.page(at(near + way * math.radians(TURN_HALF) * (2 * i / steps - 1))) for i in range(steps + 1)]
    parts = groups(end, cam)
    outlines = [data for name in ("trunk", "pelvis") for _, data in parts[name][1]]
    outlines += [parts[f"{leg}_leg"][1][0][1] for leg in ("right", "left")]
    here, first = cam.depth(centre), math.radians(TURN_HALF + TURN_GAP)
    back = []
    for i in range(steps + 1):
        p = at(near + first + (2 * math.pi - 2 * first) * i / steps)
        page = cam.page(p)
        back.append((page, cam.depth(p) < here and any(inside(page, o) for o in outlines)))
    return front, back


def turn_arrows(path: list[Point]) -> tuple[list[Point], list[Point]]:
    """The turn arc as two arrows out from its middle, TURN_SPLIT apart: (turn back, turn). The steps
    turn one way, then back, so each way has its own head, pointing opposite ways on the page."""
    mid = len(path) // 2
    back, turn = path[:mid + 1][::-1], path[mid:]
    return _trim(back, TURN_SPLIT / 2, 0.0), _trim(turn, TURN_SPLIT / 2, 0.0)


def turn_ops(far: list[tuple[Point, bool]], colour: str) -> list[Op]:
    """The hoop's far stretch (``turn_hoop``'s second part) where the body does not hide it: plain
    lines (no head), so the two arrows in front read as one hoop round the body."""
    runs, run = [], []
    for p, hidden in far + [((0.0, 0.0), True)]:
        if not hidden:
            run.append(p)
        elif len(run) > 1:
            runs.append(run)
        if hidden:
            run = []
    ops: list[Op] = []
    for line in runs:
        ops += [Op("line", tuple(line), (ARROW_WIDTH, 2 * HALO_OUTLINES), stroke="#FFFFFF"),
                Op("line", tuple(line), (ARROW_WIDTH, 0.0), stroke=colour)]
    return ops


def figure_arrows(spec: FigureSpec, cam: Camera, colour: str) -> list[Op]:
    """One arrow per moving part: a push, a turn round the pelvis, or the part's own path;
    a path that runs the same way as one already drawn is left out (E5's two knees turn together along
    one arc: two arrows over each other read as a tangle; E4's two side by side were asked
    "why two arrows?")."""
    ops: list[Op] = []
    drawn: list[list[Point]] = []
    poses = frames(spec) if not spec.push and any(part != "pelvis" for part in spec.moving) else None
    for part in spec.moving:
        if spec.push:
            path = push_path(spec, part, cam)
            ops += push_ticks(spec, part, cam, colour)
        elif part == "pelvis":
            front, far = turn_hoop(spec, cam)
            ops += turn_ops(far, colour)
            drawn += [p for p in turn_arrows(front) if len(p) > 1]
            continue
        else:
            path = motion_path(spec, part, cam, poses)
            same = next((i for i, other in enumerate(drawn) if _alongside(path, other)), None)
            if same is not None:  # the part that travels farther on the page carries the arrow
                if _length(path) > _length(drawn[same]):
                    drawn[same] = path
                continue
        drawn.append(path)
    for path in drawn:
        ops += arrow_ops(path, colour)
    return ops


def _length(path: list[Point]) -> float:
    return sum(math.dist(a, b) for a, b in zip(path, path[1:]))


def _alongside(path: list[Point], other: list[Point]) -> bool:
    """True when two paths run the same way (their chords within 45 degrees): two parts that
    move together (both knees tipping), so one arrow says it."""
    (ax, ay), (bx, by) = ((p[-1][0] - p[0][0], p[-1][1] - p[0][1]) for p in (path, other))
    return ax * bx + ay * by > math.cos(math.pi / 4) * math.hypot(ax, ay) * math.hypot(bx, by)
