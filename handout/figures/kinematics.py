"""Joint angles to joint positions: forward kinematics in 3D, then a view onto the page.

In: a FigureSpec and which pose (start, end, or a fraction of the way between). Out: the
room positions of the joints (a Skeleton) and, through a Camera, page points with depth.
Working in 3D makes every view agree: hip internal rotation turns the kneecap toward the
other leg, so with the knee bent the foot swings outward, whichever way it is seen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model.pose import FigureSpec, net_angles
from . import body
from .body import Matrix
from .contacts import hand_targets

Vec = tuple[float, float, float]
ARM_TURN = 60.0  # the most the upper arm turns about its own axis to reach a pinned point


def rot(axis: str, degrees: float) -> Matrix:
    """Right-handed rotation about a body axis ("x", "y" or "z")."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    if axis == "x":
        return ((1, 0, 0), (0, c, -s), (0, s, c))
    if axis == "y":
        return ((c, 0, s), (0, 1, 0), (-s, 0, c))
    return ((c, -s, 0), (s, c, 0), (0, 0, 1))


def mul(a: Matrix, b: Matrix) -> Matrix:
    (a0, a1, a2), (a3, a4, a5), (a6, a7, a8) = a
    (b0, b1, b2), (b3, b4, b5), (b6, b7, b8) = b
    return ((a0 * b0 + a1 * b3 + a2 * b6, a0 * b1 + a1 * b4 + a2 * b7, a0 * b2 + a1 * b5 + a2 * b8),
            (a3 * b0 + a4 * b3 + a5 * b6, a3 * b1 + a4 * b4 + a5 * b7, a3 * b2 + a4 * b5 + a5 * b8),
            (a6 * b0 + a7 * b3 + a8 * b6, a6 * b1 + a7 * b4 + a8 * b7, a6 * b2 + a7 * b5 + a8 * b8))


def apply(m: Matrix, v: Vec) -> Vec:
    x, y, z = v
    return (m[0][0] * x + m[0][1] * y + m[0][2] * z, m[1][0] * x + m[1][1] * y + m[1][2] * z,
            m[2][0] * x + m[2][1] * y + m[2][2] * z)


def turned(m: Matrix, axis: str, degrees: float) -> Matrix:
    """``m`` then a turn about its own ``axis``; no turn is ``m`` itself (most joints of a pose
    stay at zero, and a figure solves its poses several times)."""
    return mul(m, rot(axis, degrees)) if degrees else m


def transpose(m: Matrix) -> Matrix:
    return tuple(tuple(m[j][i] for j in range(3)) for i in range(3))


def add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def lerp(a: Vec, b: Vec, t: float) -> Vec:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


@dataclass(frozen=True)
class Skeleton:
    """One pose in room coordinates (1 unit = standing height; y up, floor at y = 0)."""

    points: dict[str, Vec]
    pelvis: Matrix  # orientation of the pelvis frame in the room
    trunk: Matrix  # orientation of the trunk frame in the room
    origin: Vec  # pelvis centre (midpoint of the hip joints)

    def moved(self, by: Vec) -> "Skeleton":
        return Skeleton({k: add(p, by) for k, p in self.points.items()}, self.pelvis,
                        self.trunk, add(self.origin, by))

    def in_pelvis(self, local: Vec) -> Vec:
        return add(self.origin, apply(self.pelvis, local))

    def in_trunk(self, local: Vec) -> Vec:
        return add(self.in_pelvis(body.LUMBAR), apply(self.trunk, local))


def _hip_local(side: str, net: dict[str, float]) -> Matrix:
    """Thigh orientation in the pelvis frame: flexion, then abduction, then axial rotation."""
    s = 1 if side == "left" else -1
    return turned(turned(rot("x", -net.get(f"{side}_hip.flex", 0.0)), "z", s * net.get(f"{side}_hip.abd", 0.0)),
                  "y", -s * net.get(f"{side}_hip.rot", 0.0))


def _leg(side: str, net: dict[str, float], pelvis: Matrix, origin: Vec, out: dict[str, Vec]) -> None:
    s = 1 if side == "left" else -1
    hip = add(origin, apply(pelvis, (s * body.HIP_HALF, 0.0, 0.0)))
    thigh = mul(pelvis, _hip_local(side, net))
    knee = add(hip, apply(thigh, (0.0, -body.THIGH, 0.0)))
    shank = turned(thigh, "x", net.get(f"{side}_knee.flex", 0.0))
    ankle = add(knee, apply(shank, (0.0, -body.SHANK, 0.0)))
    foot = turned(shank, "x", -net.get(f"{side}_ankle.dorsi", 0.0))
    out[f"{side}_hip"], out[f"{side}_knee"], out[f"{side}_ankle"] = hip, knee, ankle
    out[f"{side}_heel"] = add(ankle, apply(foot, (0.0, -0.018, -0.035)))
    out[f"{side}_toe"] = add(ankle, apply(foot, (0.0, -0.022, body.FOOT - 0.05)))


def _arm(side: str, net: dict[str, float], skel_trunk, out: dict[str, Vec]) -> None:
    s = 1 if side == "left" else -1
    trunk_m, trunk_at = skel_trunk
    shoulder = add(trunk_at, apply(trunk_m, (s * body.SHOULDER_HALF, body.SHOULDER_Y, 0.0)))
    upper = mul(trunk_m, turned(turned(rot("x", -net.get(f"{side}_shoulder.flex", 0.0)),
                                       "z", s * net.get(f"{side}_shoulder.abd", 0.0)),
                                "y", net.get(f"{side}_shoulder.rot", 0.0)))
    elbow = add(shoulder, apply(upper, (0.0, -body.UPPER_ARM, 0.0)))
    fore = turned(upper, "x", -net.get(f"{side}_elbow.flex", 0.0))
    wrist = add(elbow, apply(fore, (0.0, -body.FOREARM, 0.0)))
    out[f"{side}_shoulder"], out[f"{side}_elbow"], out[f"{side}_wrist"] = shoulder, elbow, wrist
    hand = turned(fore, "x", -net.get(f"{side}_wrist.ext", 0.0))
    out[f"{side}_hand"] = add(wrist, apply(hand, (0.0, -body.HAND * 0.75, 0.0)))


def _reach(side: str, sk: Skeleton, net: dict[str, float], goal: Vec) -> dict[str, float]:
    """Shoulder flexion and abduction and elbow flexion that put the hand point on ``goal``.

    Closed form (the elbow sets the shoulder-to-hand distance, then two turns aim the arm),
    each angle kept inside figures.md's range; a point out of reach gets the arm pointing at it.
    A hand across the body's front (abduction would be negative) turns the upper arm about
    its own axis instead, at most ``ARM_TURN`` degrees (figures.md gives no range for it).
    """
    s = 1 if side == "left" else -1
    out: dict[str, Vec] = {}
    lumbar = sk.in_pelvis(body.LUMBAR)
    _arm(side, net, (sk.trunk, lumbar), out)
    w = apply(transpose(sk.trunk), sub(goal, out[f"{side}_shoulder"]))
    upper, fore = body.UPPER_ARM, body.FOREARM + 0.75 * body.HAND
    reach = math.sqrt(w[0] ** 2 + w[1] ** 2 + w[2] ** 2)
    cos_e = max(-1.0, min(1.0, (reach ** 2 - upper ** 2 - fore ** 2) / (2 * upper * fore)))
    elbow = min(math.degrees(math.acos(cos_e)), 145.0)
    e = math.radians(elbow)
    vy, vz = -upper - fore * math.cos(e), fore * math.sin(e)
    abd = min(180.0, s * math.degrees(math.asin(max(-1.0, min(1.0, -w[0] / vy)))))
    turn = 0.0
    if abd < 0 and vz > 1e-6:
        abd = 0.0
        turn = max(-ARM_TURN, min(ARM_TURN, math.degrees(math.asin(max(-1.0, min(1.0, w[0] / vz))))))
        vz *= math.cos(math.radians(turn))
    py = math.cos(math.radians(s * max(abd, 0.0))) * vy
    theta = math.degrees(math.atan2(w[2], w[1]) - math.atan2(vz, py))
    flex = max(-60.0, min(180.0, (-theta + 180.0) % 360.0 - 180.0))
    return {**net, f"{side}_shoulder.flex": flex, f"{side}_shoulder.abd": max(abd, 0.0),
            f"{side}_shoulder.rot": turn, f"{side}_elbow.flex": elbow, f"{side}_wrist.ext": 0.0}


def pinned(sk: Skeleton, net: dict[str, float], goals: dict[str, Vec]) -> Skeleton:
    """The pose with each hand moved onto its goal point (see ``contacts``)."""
    if not goals:
        return sk
    points = dict(sk.points)
    lumbar = sk.in_pelvis(body.LUMBAR)
    for side, goal in goals.items():
        _arm(side, _reach(side, sk, net, goal), (sk.trunk, lumbar), points)
    return Skeleton(points, sk.pelvis, sk.trunk, sk.origin)


def skeleton(posture: str, net: dict[str, float], support: str | None = None) -> Skeleton:
    """Joint positions for signed axis angles, pelvis centre at the room origin."""
    root = body.POSTURES[posture].root
    if support:  # the planted thigh keeps its room orientation; the pelvis turns on it
        side = support.split("_")[0]
        pelvis = mul(root, transpose(_hip_local(side, net)))
    else:
        pelvis = root
    origin: Vec = (0.0, 0.0, 0.0)
    trunk = mul(pelvis, mul(mul(rot("x", net.get("trunk.flex", 0.0)), rot("z", -net.get("trunk.side", 0.0))),
                            rot("y", net.get("trunk.rot", 0.0))))
    points: dict[str, Vec] = {"pelvis": origin}
    for side in ("right", "left"):
        _leg(side, net, pelvis, origin, points)
    lumbar = add(origin, apply(pelvis, body.LUMBAR))
    for side in ("right", "left"):
        _arm(side, net, (trunk, lumbar), points)
    points["neck"] = add(lumbar, apply(trunk, (0.0, body.NECK_BASE_Y, 0.0)))
    points["head"] = add(lumbar, apply(trunk, body.HEAD_CENTRE))
    return Skeleton(points, pelvis, trunk, origin)


def pose_angles(spec: FigureSpec, t: float) -> dict[str, float]:
    """Signed axis angles at fraction ``t`` of the way from the start pose to the end pose."""
    base = dict(body.POSTURES[spec.posture].defaults)
    start = {**base, **net_angles(spec.start)}
    if t <= 0 or not spec.end:
        return start
    end = {**base, **net_angles(spec.end_angles)}
    return {k: start.get(k, 0.0) + (end.get(k, 0.0) - start.get(k, 0.0)) * t for k in set(start) | set(end)}


def _pillow_arms(posture: str, angles: dict[str, float]) -> dict[str, float]:
    """Face down, an arm raised past the shoulder line lies with its forearm flat on the mat,
    under the forehead (the upper arm turned a quarter about its own axis): the head resting on
    folded arms is what says "face down" from the side, and figures.md names no range for the turn."""
    if posture != "lying_face_down":
        return angles
    out = dict(angles)
    for side, s in (("right", -1), ("left", 1)):
        if out.get(f"{side}_shoulder.abd", 0.0) > 90 and f"{side}_shoulder.rot" not in out:
            out[f"{side}_shoulder.rot"] = s * 90.0
    return out


def lowest_y(sk: Skeleton, feet: bool = True, arms: bool = True) -> float:
    """The lowest surface of the body (a joint minus its limb's thickness).

    Lying down, the feet may dip a little rather than lift the body off the floor; arms whose
    hands are pinned later do not count (they reach the floor, not hold the body up).
    """
    r = body.RADIUS
    joints = [("knee", "thigh"), ("hip", "thigh")]
    if arms:
        joints += [("hand", "hand"), ("wrist", "forearm"), ("elbow", "upper_arm"), ("shoulder", "upper_arm")]
    if feet:
        joints += [("heel", "foot"), ("toe", "foot")]
    low = [sk.points[f"{s}_{j}"][1] - r[seg] for s in ("right", "left") for j, seg in joints]
    low.append(sk.points["head"][1] - body.HEAD_RADIUS)
    for y, hw, hd in body.PELVIS_SECTIONS:
        for corner in ((hw, y, 0), (-hw, y, 0), (0, y, hd), (0, y, -hd)):
            low.append(sk.in_pelvis(corner)[1])
    for y, hw, hd in body.TRUNK_SECTIONS:
        for corner in ((hw, y, 0), (-hw, y, 0), (0, y, hd), (0, y, -hd)):
            low.append(sk.in_trunk(corner)[1])
    return min(low)


def solve(spec: FigureSpec, t: float, start: Skeleton | None = None) -> Skeleton:
    """The pose at fraction ``t`` (0 start, 1 end), resting on the floor as the start does;
    ``start``, if given, is ``solve(spec, 0.0)`` already solved (a figure solves it once)."""
    angles = _pillow_arms(spec.posture, pose_angles(spec, t))
    pose = skeleton(spec.posture, angles, spec.support)
    if t <= 0:
        rest = lowest_y(pose, body.POSTURES[spec.posture].feet_rest, arms=not hand_targets(spec, pose))
        pose = pose.moved((0.0, -rest, 0.0))
        return pinned(pose, angles, hand_targets(spec, pose))
    start = start or solve(spec, 0.0)
    if spec.support:  # the planted foot stays where it was
        ankle = f"{spec.support.split('_')[0]}_ankle"
        pose = pose.moved(sub(start.points[ankle], pose.points[ankle]))
    else:
        pose = pose.moved(sub(start.origin, pose.origin))
    return pinned(pose, angles, hand_targets(spec, start))


VIEWS = {"front": (0.0, 0.0), "back": (180.0, 0.0), "right": (-90.0, 0.0), "side": (-90.0, 0.0),
         "left": (90.0, 0.0), "top": (0.0, 90.0)}


@dataclass(frozen=True)
class Camera:
    """A view: ``right`` and ``up`` span the page, ``toward`` points at the viewer.

    Parallel unless ``distance`` is set (the spec's ``perspective``): then the eye sits that
    far from the room origin (the start pose's hips, on the floor) and a point is drawn larger
    the nearer it is, about the origin's place on the page; a body lying away from the viewer
    shrinks toward its head, as a kneeling one does not.
    """

    right: Vec
    up: Vec
    toward: Vec
    distance: float | None = None

    @classmethod
    def for_spec(cls, spec: FigureSpec) -> "Camera":
        azimuth, elevation = VIEWS[spec.view]
        if spec.tilt is not None:
            elevation = spec.tilt
        a, e = math.radians(azimuth + spec.turn), math.radians(elevation)
        toward = (math.cos(e) * math.sin(a), math.sin(e), math.cos(e) * math.cos(a))
        up = (-math.sin(e) * math.sin(a), math.cos(e), -math.sin(e) * math.cos(a))
        right = (up[1] * toward[2] - up[2] * toward[1], up[2] * toward[0] - up[0] * toward[2],
                 up[0] * toward[1] - up[1] * toward[0])
        return cls(right, up, toward, spec.perspective)

    def page(self, p: Vec) -> tuple[float, float]:
        """Where ``p`` lands on the page; in perspective, its parallel place times ``d / (d - depth)``
        (written out: this is called for every point drawn)."""
        if self.distance is None:
            return (_dot(p, self.right), _dot(p, self.up))
        x, y, z = p
        (rx, ry, rz), (ux, uy, uz), (tx, ty, tz), d = self.right, self.up, self.toward, self.distance
        gap = d - (x * tx + y * ty + z * tz)
        k = d / gap if gap > 0.1 * d else 10.0  # at (or behind) the eye: drawn ten times larger, not flipped
        return ((x * rx + y * ry + z * rz) * k, (x * ux + y * uy + z * uz) * k)

    def depth(self, p: Vec) -> float:
        """Larger is nearer the viewer."""
        return _dot(p, self.toward)


def _dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def pose_points(spec: FigureSpec, pose: str = "end") -> dict[str, tuple[float, float]]:
    """Page positions of the joints of the start or end pose, in body heights.

    ``midline`` is the start pose's pelvis centre: in a front or back view the body's
    midline is the vertical line through it, and it is the same point for both poses.
    """
    if pose not in ("start", "end"):
        raise ValueError(f"pose must be 'start' or 'end', got {pose!r}")
    cam = Camera.for_spec(spec)
    sk = solve(spec, 0.0 if pose == "start" else 1.0)
    out = {name: cam.page(p) for name, p in sk.points.items()}
    out["midline"] = cam.page(solve(spec, 0.0).origin)
    return out
