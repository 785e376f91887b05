"""Where the hands rest: the points the steps pin them to, found from the posture and props.

The pose data names no hand positions; the posture and props imply them. Sitting on a chair,
the hands hold the sides of the seat; sitting on the floor, they rest on it behind the hips;
standing at a counter or table, they rest on its top; lying on a side, the top hand rests on
the mat in front of the chest. ``kinematics`` reaches each point with
an inverse-kinematics step, and ``props`` builds the seat and counter from the same numbers,
so a hand lands on its prop. An arm the pose data gives angles for is left as posed. Only
``body`` is imported: the kinematics calls in here.
"""

from __future__ import annotations

import math

from . import body

Vec = tuple[float, float, float]
ARM_REACH = body.UPPER_ARM + body.FOREARM + 0.75 * body.HAND  # shoulder to the hand point
HAND_REST = body.TAPER["hand"][0]  # the hand point sits this far above the surface it rests on
COUNTER_TOP = 0.52  # a kitchen counter, as a fraction of height
COUNTER_REACH = 0.78  # of the arm's reach: elbows a little bent
SEAT_SIDE = body.PELVIS_SECTIONS[1][1] + 0.03  # hands just outside the hips, on the seat edge
SIDE_LYING_REACH = 0.2  # lying on a side, the top hand rests this far in front of the chest


def _level(v: Vec) -> Vec:
    n = math.hypot(v[0], v[2]) or 1.0
    return (v[0] / n, 0.0, v[2] / n)


def axes(sk) -> tuple[Vec, Vec]:
    """The person's left and forward, level with the floor."""
    m = sk.pelvis
    return _level((m[0][0], m[1][0], m[2][0])), _level((m[0][2], m[1][2], m[2][2]))


def seat_height(sk) -> float:
    """The top of a chair seat under this seated pose."""
    return min(sk.points["right_hip"][1], sk.points["left_hip"][1]) - body.RADIUS["thigh"] - 0.004


def counter_top(sk) -> float:
    """A counter's top for this standing pose: kitchen height, lower for a deep forward lean."""
    shoulders = min(sk.points["right_shoulder"][1], sk.points["left_shoulder"][1])
    return min(COUNTER_TOP, shoulders - 0.12)


def _at(origin: Vec, left: Vec, forward: Vec, across: float, ahead: float, y: float) -> Vec:
    return (origin[0] + left[0] * across + forward[0] * ahead, y,
            origin[2] + left[2] * across + forward[2] * ahead)


def side_lying_hand(sk) -> Vec:
    """Lying on a side, the top hand rests on the mat in front of the chest (along the side,
    the top shoulder sat over the head: "head tucked under the top arm", ninth reading)."""
    chest = tuple(0.5 * (sk.points["right_shoulder"][i] + sk.points["left_shoulder"][i]) * 0.7 + sk.origin[i] * 0.3
                  for i in range(3))
    forward = _level(tuple(sk.pelvis[i][2] for i in range(3)))
    return (chest[0] + forward[0] * SIDE_LYING_REACH, HAND_REST, chest[2] + forward[2] * SIDE_LYING_REACH)


def hand_targets(spec, start) -> dict[str, Vec]:
    """Room points the hands are pinned to, from the start pose resting on the floor: {side: point}."""
    kinds = {p.kind for p in spec.props}
    left, forward = axes(start)
    named = {key for angles in (spec.start, spec.end or {}) for key in angles}
    out: dict[str, Vec] = {}
    for side, s in (("right", -1.0), ("left", 1.0)):
        if any(key.startswith((f"{side}_shoulder", f"{side}_elbow")) for key in named):
            continue  # the clinician posed this arm: their angles win
        if spec.posture == "seated" and "chair" in kinds:
            out[side] = _at(start.origin, left, forward, s * SEAT_SIDE, 0.03, seat_height(start) + HAND_REST)
        elif spec.posture == "sitting_on_floor":
            out[side] = _at(start.origin, left, forward, s * 0.21, -0.11, HAND_REST)
        elif spec.posture == f"lying_on_{'left' if side == 'right' else 'right'}_side":  # the top hand
            out[side] = side_lying_hand(start)
        elif spec.posture == "standing" and kinds & {"counter", "table"}:
            top = counter_top(start) + HAND_REST
            shoulder = start.points[f"{side}_shoulder"]
            drop = shoulder[1] - top
            ahead = math.sqrt(max((COUNTER_REACH * ARM_REACH) ** 2 - drop ** 2, 0.01))
            out[side] = (shoulder[0] + forward[0] * ahead, top, shoulder[2] + forward[2] * ahead)
    if spec.posture == "standing" and len(out) == 2:  # one counter edge: both hands equally far out
        depth = max(out[s][0] * forward[0] + out[s][2] * forward[2] for s in out)
        for side, p in out.items():
            extra = depth - (p[0] * forward[0] + p[2] * forward[2])
            out[side] = (p[0] + forward[0] * extra, p[1], p[2] + forward[2] * extra)
    return out
