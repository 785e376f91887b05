"""Round 11 of issue 14, E12: the hip turn drawn as a hoop round the standing leg at hip height.

Blind19: main's flat arc under the hips read "slide the hips toward the box and back" or "twist";
round 10's ring round the body's long axis read as a pelvic tilt. The pelvis turns over the
standing leg, so the arrow is now the front of a hoop round that leg, its far stretch behind.
"""

from __future__ import annotations

import math

from handout.figures.arrows import turn_arrows, turn_hoop, turn_ops
from handout.figures.compose import figure_ops
from handout.figures.draw import inside
from handout.figures.kinematics import Camera, solve

from .test_figure_geometry import COLOUR, SPECS

SPEC = SPECS["hip-airplane"]


def _arrow_lines(ops):
    return [op for op in ops if op.kind == "line" and op.stroke == COLOUR.arrow]


def test_e12s_turn_is_a_hoop_round_the_standing_leg():
    """The near stretch (two arrows out from its middle) and the far stretch's drawn lines lie on
    one ellipse round the standing leg: the standing hip and the top of the standing shin's line
    fall within the ellipse's width on the page, the near stretch below the standing hip and the far
    lines above it (the hoop seen from a little above), and the whole at least three pelvis widths
    wide. Each head curves back round the body (up the page), one on each side of the standing
    hip. Main's arc had no far stretch and both heads pointed sideways."""
    cam = Camera.for_spec(SPEC)
    start = solve(SPEC, 0.0)
    hip = cam.page(start.points["left_hip"])
    knee = cam.page(start.points["left_knee"])
    near, hoop = turn_hoop(SPEC, cam)
    far = [p for op in turn_ops(hoop, COLOUR.arrow) if op.stroke == COLOUR.arrow for p in op.pts]
    assert far, "no far stretch: an arc, not a hoop"
    xs = [p[0] for p in near + far]
    assert min(xs) < min(hip[0], knee[0]) and max(xs) > max(hip[0], knee[0])
    pelvis = math.dist(cam.page(start.points["left_hip"]), cam.page(start.points["right_hip"]))
    assert max(xs) - min(xs) >= 3 * max(pelvis, 0.1), (max(xs) - min(xs), pelvis)
    middle = near[len(near) // 2]
    assert middle[1] < hip[1] and min(p[1] for p in far) > middle[1]
    back, ahead = turn_arrows(near)
    for arrow in (back, ahead):
        dx, dy = arrow[-1][0] - arrow[-4][0], arrow[-1][1] - arrow[-4][1]
        assert dy > abs(dx), arrow
    assert (back[-1][0] - hip[0]) * (ahead[-1][0] - hip[0]) < 0


def test_e12s_far_stretch_goes_behind_the_body_and_keeps_off_the_hands_and_counter():
    """In the figure: two arrow heads (the turn and the turn back), and besides their two shafts at
    least one plain far line with no head; the far stretch is cut where the trunk or pelvis hides
    it, so no far line crosses the middle of the trunk; no arrow point lies on the counter's
    face or within 0.05 body units of a hand."""
    ops = figure_ops(SPEC, COLOUR)
    heads = [op for op in ops if op.kind == "poly" and op.fill == COLOUR.arrow]
    lines = _arrow_lines(ops)
    assert len(heads) == 2 and len(lines) >= 3, (len(heads), len(lines))
    cam = Camera.for_spec(SPEC)
    end = solve(SPEC, 1.0, solve(SPEC, 0.0))
    waist = cam.page(end.in_pelvis((0.0, 0.1, 0.0)))
    far = [p for op in turn_ops(turn_hoop(SPEC, cam)[1], COLOUR.arrow) if op.stroke == COLOUR.arrow for p in op.pts]
    assert all(math.dist(p, waist) > 0.05 for p in far), "the far stretch drawn over the body"
    faces = [op for op in ops if op.kind == "poly" and op.fill == COLOUR.prop]
    assert faces
    hands = [cam.page(end.points[f"{side}_hand"]) for side in ("left", "right")]
    for op in lines + heads:
        for p in op.pts:
            assert not any(inside(p, list(face.pts)) for face in faces), p
            assert all(math.dist(p, h) > 0.05 for h in hands), p
