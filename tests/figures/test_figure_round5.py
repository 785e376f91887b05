"""Fixes after the fifth blind reading (/work/review/readings-round5.md), each checked on
computed geometry: what the reader misread, and the shape that now stops it."""

from __future__ import annotations

import math
from pathlib import Path

import yaml

from handout.figures.compose import figure_ops
from handout.figures.draw import groups
from handout.figures.kinematics import Camera, solve
from handout.figures.paint import fit
from handout.figures.style import FigureStyle
from handout.model.pose import FigureSpec

EXERCISES = Path(__file__).resolve().parents[2] / "content" / "exercises"
SPECS = {p.stem: FigureSpec.model_validate(yaml.safe_load(p.read_text(encoding="utf-8"))["figure"])
         for p in sorted(EXERCISES.glob("*.yaml"))}
MM = 72 / 25.4
CARD = (52 * MM, 42 * MM)


def _mm_per_page_unit(spec: FigureSpec) -> float:
    scale, *_ = fit(figure_ops(spec, FigureStyle.from_brand("#1F6F8B")), *CARD)
    return scale / MM


def test_face_down_stretch_is_seen_like_e6_with_a_mirror_image_v():
    """E7 read as lying on the back from the side (folded arms = "hands behind the head"), and
    its two arrows of different size as "only one leg moves"; E6, seen from the feet and
    above with the arms by the sides, read face down. E7 now takes that view, raised further
    so the thighs show: each thigh at least 1.5 times its upright start shin on the page (the
    shin stands toward the viewer, not over the thigh), the head above the hips with hair and
    no eyes, the hands up beyond the shoulders (round 11: by the sides, they ended at the knees
    where the arrows start: "move your hands outward"), and the feet falling apart as mirror images (travel
    on the page within 10 % of each other, opposite ways across the page) while the knees
    stay put."""
    spec = SPECS["prone-ir-stretch"]
    cam = Camera.for_spec(spec)
    start, end = solve(spec, 0.0), solve(spec, 1.0)
    mm = _mm_per_page_unit(spec)
    for side in ("left", "right"):
        hip, knee, ankle = (cam.page(start.points[f"{side}_{j}"]) for j in ("hip", "knee", "ankle"))
        assert math.dist(hip, knee) >= 1.5 * math.dist(knee, ankle), side
        hand, shoulder = start.points[f"{side}_hand"], start.points[f"{side}_shoulder"]
        assert hand[2] > shoulder[2], side  # the hands up by the head, away from the knees
    assert cam.page(end.points["head"])[1] > cam.page(end.points["pelvis"])[1]
    kinds = [kind for kind, _ in groups(end, cam)["head"][1]]
    assert "hair" in kinds and "eye" not in kinds

    def apart(sk, joint):
        return math.dist(cam.page(sk.points[f"left_{joint}"]), cam.page(sk.points[f"right_{joint}"])) * mm

    assert apart(end, "ankle") - apart(start, "ankle") > 5
    assert abs(apart(end, "knee") - apart(start, "knee")) < 2
    moves = {}
    for side in ("left", "right"):
        assert math.dist(cam.page(start.points[f"{side}_knee"]), cam.page(end.points[f"{side}_knee"])) * mm < 2
        (x0, y0), (x1, y1) = cam.page(start.points[f"{side}_ankle"]), cam.page(end.points[f"{side}_ankle"])
        moves[side] = (x1 - x0, y1 - y0)
    (lx, ly), (rx, ry) = moves["left"], moves["right"]
    assert lx * rx < 0 and abs(math.hypot(lx, ly) - math.hypot(rx, ry)) < 0.1 * math.hypot(rx, ry)


def test_face_down_swing_start_shin_stands_up_from_the_knee_beside_the_arrow():
    """E6 read right only after zooming: seen nearly from the feet, the dashed start shin lay
    over the thigh (read as a ghost thigh). Now it stands up from the knee, at least 35 degrees
    off its thigh on the page, with the ankle above the knee; the arrow's ends lie within
    3.5 mm of the foot's tip (start and end) on the card."""
    from handout.figures.arrows import motion_path

    spec = SPECS["prone-ir"]
    cam = Camera.for_spec(spec)
    start = solve(spec, 0.0)
    hip, knee, ankle = (cam.page(start.points[f"right_{j}"]) for j in ("hip", "knee", "ankle"))
    turn = math.atan2(hip[1] - knee[1], hip[0] - knee[0]) - math.atan2(ankle[1] - knee[1], ankle[0] - knee[0])
    assert abs(math.sin(turn / 2)) > math.sin(math.radians(35 / 2))
    assert ankle[1] - knee[1] > abs(ankle[0] - knee[0])  # points up the page
    mm = _mm_per_page_unit(spec)
    path = motion_path(spec, "right_foot", cam)
    for point, t in ((path[0], 0.0), (path[-1], 1.0)):
        toe = cam.page(solve(spec, t).points["right_toe"])
        assert math.dist(point, toe) * mm < 3.5, t


def test_ninety_ninety_both_knees_lean_the_same_way_over_still_feet_on_a_flat_mat():
    """E5 read as one knee out at a time, the feet changing place, and the mat as a wall.
    Now both knees lean the same way across the page in each pose (to one side at the start,
    the other at the end), the ankles move under 2 mm on the card (the feet roll on them), the mat's top is a flat
    parallelogram (a corner at least 15 degrees off square), and the two knees' arcs, which
    lie over each other, get one arrow."""
    from handout.figures.arrows import arrow_ops, figure_arrows, motion_path
    from handout.figures.props import prop_boxes

    spec = SPECS["ninety-ninety"]
    cam = Camera.for_spec(spec)
    start, end = solve(spec, 0.0), solve(spec, 1.0)
    mm = _mm_per_page_unit(spec)

    def lean(sk, side):  # the knee's page offset across the page from its hip-ankle midline
        hip, knee, ankle = (cam.page(sk.points[f"{side}_{j}"]) for j in ("hip", "knee", "ankle"))
        return knee[0] - (hip[0] + ankle[0]) / 2

    leans = [lean(sk, side) for sk in (start, end) for side in ("left", "right")]
    assert leans[0] * leans[1] > 0 and leans[2] * leans[3] > 0 and leans[0] * leans[2] < 0, leans
    assert min(abs(v) for v in leans) * mm > 1.5, leans  # each knee clearly off its midline
    for side in ("left", "right"):
        assert math.dist(cam.page(start.points[f"{side}_ankle"]), cam.page(end.points[f"{side}_ankle"])) * mm < 2
    (lo, hi), = [box for kind, box in prop_boxes(spec, start, end) if kind == "mat"]
    a, b, c = (cam.page((x, hi[1], z)) for x, z in ((lo[0], lo[2]), (hi[0], lo[2]), (lo[0], hi[2])))
    corner = math.degrees(math.acos(((b[0] - a[0]) * (c[0] - a[0]) + (b[1] - a[1]) * (c[1] - a[1]))
                                    / (math.dist(a, b) * math.dist(a, c))))
    assert abs(corner - 90) >= 15
    one = arrow_ops(motion_path(spec, spec.moving[0], cam), "#000000")
    assert len(figure_arrows(spec, cam, "#000000")) == len(one)
