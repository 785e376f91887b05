"""Issue 14, round 6 (after the fifteenth blind reading): E7's forehead on folded forearms and
E12's first turn, each checked on computed geometry."""

from __future__ import annotations

import math

from handout.figures import body
from handout.figures.draw import _order, groups
from handout.figures.kinematics import Camera, solve
from handout.figures.style import FigureStyle

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


def test_e12s_first_turn_is_the_bold_longer_arrow_and_the_other_way_is_light():
    """Fifteenth reading: "turn the hips one way, then the other" (60 %), but nobody could say
    which way first. The steps turn first belly down toward the standing leg (the end pose),
    then open: in colour and in grey the arrow that ends where the end pose's free hip moved on
    the page has the one filled head and is at least 1.3 times as long as the other, which has an
    open head (filled with the halo's white) and a shaft at most half as wide. Fails on the
    fifteenth reading's two equal filled heads."""
    from handout.figures.arrows import figure_arrows, turn_arrows, turn_path

    spec = SPECS["hip-airplane"]
    cam = Camera.for_spec(spec)
    start, end = solve(spec, 0.0), solve(spec, 1.0, solve(spec, 0.0))
    other, first = turn_arrows(turn_path(spec, cam))
    hip = cam.page(end.points["right_hip"])[0] - cam.page(start.points["right_hip"])[0]
    assert (first[-1][0] - first[0][0]) * hip > 0  # the first turn runs the way the free hip moved

    def length(path):
        return sum(math.dist(a, b) for a, b in zip(path, path[1:]))
    assert length(first) >= 1.3 * length(other), (length(first), length(other))
    for style in (FigureStyle.from_brand("#1F6F8B"), FigureStyle.from_brand("#1F6F8B", greyscale=True)):
        ops = figure_arrows(spec, cam, style.arrow)
        heads = [op for op in ops if op.kind == "poly" and op.stroke == style.arrow]
        filled = [op for op in heads if op.fill == style.arrow]
        open_ = [op for op in heads if op.fill == "#FFFFFF"]
        assert len(filled) == 1 and len(open_) == 1, heads
        assert math.dist(filled[0].pts[0], first[-1]) < 1e-6  # the filled head's tip ends the first turn
        assert math.dist(open_[0].pts[0], other[-1]) < 1e-6
        shafts = {op.width[0] for op in ops if op.kind == "line" and op.stroke == style.arrow}
        assert len(shafts) == 2 and min(shafts) <= 0.5 * max(shafts), shafts
