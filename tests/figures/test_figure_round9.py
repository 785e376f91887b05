"""Fixes after the ninth blind reading (/work/review/readings-round9-A.md, -B.md), each
checked on computed geometry: what the readers misread, and the shape that now stops it."""

from __future__ import annotations

import math

from handout.figures import body
from handout.figures.compose import figure_ops
from handout.figures.kinematics import Camera, solve

from .test_figure_geometry import COLOUR, SPECS


def _heads(ops) -> int:
    """Arrow heads: filled triangles in the arrow colour."""
    return sum(op.kind == "poly" and len(op.pts) == 3 and op.fill == COLOUR.arrow for op in ops)


def test_windshield_wipers_has_the_head_at_the_top_and_one_arrow():
    """E4, seen from beyond the head, was read upside down ("77" legs) and asked "why two
    arrows?": now the head is drawn above the hips and the hips above the feet on the page,
    in both poses, and the two knees tipping together carry one arrow."""
    spec = SPECS["windshield-wipers"]
    cam = Camera.for_spec(spec)
    for t in (0.0, 1.0):
        sk = solve(spec, t)
        head, hips = cam.page(sk.points["head"])[1], cam.page(sk.points["pelvis"])[1]
        feet = max(cam.page(sk.points[f"{s}_ankle"])[1] for s in ("right", "left"))
        assert head > hips > feet, t
    assert _heads(figure_ops(spec, COLOUR)) == 1


def test_two_feet_falling_apart_keep_an_arrow_each():
    """Parts that move different ways keep their own arrows (E7's feet fall apart)."""
    assert _heads(figure_ops(SPECS["prone-ir-stretch"], COLOUR)) == 2


def test_a_hip_turn_fills_the_standing_leg_darkest_and_not_the_free_one():
    """E12's readers could not tell which leg works ("neither leg is dark"): the standing
    leg is now filled in the working colour, the lifted leg in the body colours."""
    from handout.figures.draw import groups

    spec = SPECS["hip-airplane"]
    cam = Camera.for_spec(spec)
    end = solve(spec, 1.0)
    ops = figure_ops(spec, COLOUR)
    stand = spec.support.split("_")[0]
    free = "right" if stand == "left" else "left"
    parts = groups(end, cam)

    def fills(side):
        shapes = {tuple(shape) for _, shape in parts[f"{side}_leg"][1] if isinstance(shape, (list, tuple))}
        return {op.fill for op in ops if op.kind == "poly" and tuple(op.pts) in shapes} - {COLOUR.ink}  # less outlines
    assert fills(stand) == {COLOUR.work}, fills(stand)
    assert COLOUR.work not in fills(free), fills(free)


def test_two_working_legs_are_told_apart_by_shade_and_e7s_thighs_by_a_gap():
    """E5's reader could not tell its two dark legs apart, and in grey E7's "merge into one
    blob": where two legs work, the farther one is a shade darker (at least 15 grey levels),
    and E7's knees sit hip-width apart, its thighs apart on the page at the knees."""
    from handout.figures.draw import Colours
    from handout.figures.style import FigureStyle, grey

    style = FigureStyle.from_brand("#1F6F8B", greyscale=True)
    solid = Colours.solid(style)
    assert int(grey(solid.work)[1:3], 16) - int(grey(solid.work_far)[1:3], 16) >= 15
    fills = {op.fill for op in figure_ops(SPECS["ninety-ninety"], COLOUR)}
    assert {COLOUR.work, Colours.solid(COLOUR).work_far} <= fills
    spec = SPECS["prone-ir-stretch"]
    cam, sk = Camera.for_spec(spec), solve(spec, 0.0)
    knees = [cam.page(sk.points[f"{s}_knee"]) for s in ("right", "left")]
    assert abs(knees[0][0] - knees[1][0]) > 2.6 * body.RADIUS["thigh"]  # a clear gap between the thighs


def test_side_lying_top_arm_reaches_the_mat_clear_of_the_head():
    """E8 and E9's heads looked "tucked under the top arm" (the arm lay along the side, its
    shoulder over the head): the top hand now rests on the mat in front of the chest, lower
    on the page than the shoulder (by 0.15 of body height), and the top arm's elbow and hand lie farther from the
    head's centre than a head radius and an arm's width."""
    for name in ("reverse-clamshell", "side-lying-raised-ir"):
        spec = SPECS[name]
        cam, sk = Camera.for_spec(spec), solve(spec, 1.0)
        top = "right" if spec.posture == "lying_on_left_side" else "left"
        head = cam.page(sk.points["head"])
        drop = cam.page(sk.points[f"{top}_shoulder"])[1] - cam.page(sk.points[f"{top}_hand"])[1]
        assert drop > 0.15, (name, drop)  # along the side: 0.05
        for joint in ("elbow", "hand"):
            assert math.dist(cam.page(sk.points[f"{top}_{joint}"]), head) > body.HEAD_RADIUS + 2 * body.RADIUS["forearm"], (name, joint)
