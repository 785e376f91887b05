"""Issue 14, round 6 (after the fifteenth blind reading): E7's forehead on folded forearms and
E12's first turn, each checked on computed geometry."""

from __future__ import annotations

import math

from handout.figures import body
from handout.figures.draw import _order, groups
from handout.figures.kinematics import Camera, solve

from .test_figure_geometry import SPECS, _mm_per_unit


def test_e7_rests_its_forehead_on_folded_forearms_flat_on_the_mat_with_the_elbows_out_wide():
    """Fifteenth reading: 35-40 % read E7 as "kneeling or sitting on the heels, seen from
    behind". A body whose forearms lie flat on the mat beside and above its head cannot be
    kneeling: in both poses each elbow and wrist rests on the mat (within 3 mm at card scale),
    the elbows stand out past the shoulders on the page by at least 3 mm, the hands lie at the
    head (within two head radii), and the head is painted over both arms, so the hands sit under
    the forehead (round 9's forearms painted over the head read as "hands behind the head").
    Fails on the fifteenth reading's E7 (arms by the sides)."""
    spec = SPECS["prone-ir-stretch"]
    cam = Camera.for_spec(spec)
    mm = _mm_per_unit(spec)
    for t in (0.0, 1.0):
        sk = solve(spec, t)
        for side in ("right", "left"):
            for joint, segment in (("elbow", "upper_arm"), ("wrist", "forearm")):
                gap = (sk.points[f"{side}_{joint}"][1] - body.RADIUS[segment]) * mm
                assert -3 <= gap <= 3, (t, side, joint, gap)
            assert math.dist(sk.points[f"{side}_hand"], sk.points["head"]) < 2 * body.HEAD_RADIUS, (t, side)
            # hands under the head: no higher than its top
            assert sk.points[f"{side}_hand"][1] < sk.points["head"][1] + body.HEAD_RADIUS, (t, side)
        wide = {s: abs(cam.page(sk.points[f"{s}_elbow"])[0] - cam.page(sk.points["head"])[0]) for s in ("right", "left")}
        shoulders = {s: abs(cam.page(sk.points[f"{s}_shoulder"])[0] - cam.page(sk.points["head"])[0])
                     for s in ("right", "left")}
        for side in ("right", "left"):
            assert (wide[side] - shoulders[side]) * mm >= 3, (t, side, wide, shoulders)
        order = _order(groups(sk, cam), sk)
        assert order.index("head") > max(order.index("right_arm"), order.index("left_arm")), order
