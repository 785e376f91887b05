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


def test_face_down_stretch_shows_the_thighs_on_the_mat_and_the_feet_falling_apart():
    """E7 from the feet read as lying on the back with the knees falling out (a butterfly):
    the thighs were hidden behind the shins. Now the thighs show (at least 0.6 of a shin's
    length on the page), the head shows hair and no eyes, and the feet move apart while the
    knees stay together."""
    spec = SPECS["prone-ir-stretch"]
    cam = Camera.for_spec(spec)
    start, end = solve(spec, 0.0), solve(spec, 1.0)
    mm = _mm_per_page_unit(spec)
    for side in ("left", "right"):
        hip, knee, ankle = (cam.page(start.points[f"{side}_{j}"]) for j in ("hip", "knee", "ankle"))
        assert math.dist(hip, knee) >= 0.6 * math.dist(knee, ankle), side
        turn = math.atan2(hip[1] - knee[1], hip[0] - knee[0]) - math.atan2(ankle[1] - knee[1], ankle[0] - knee[0])
        assert abs(math.sin(turn / 2)) > math.sin(math.radians(35 / 2)), side  # shin 35 degrees or more off its thigh
    kinds = [kind for kind, _ in groups(end, cam)["head"][1]]
    assert "hair" in kinds and "eye" not in kinds

    def apart(sk, joint):
        return math.dist(cam.page(sk.points[f"left_{joint}"]), cam.page(sk.points[f"right_{joint}"])) * mm

    assert apart(end, "ankle") - apart(start, "ankle") > 5
    assert abs(apart(end, "knee") - apart(start, "knee")) < 2
    for side in ("left", "right"):
        assert math.dist(cam.page(start.points[f"{side}_knee"]), cam.page(end.points[f"{side}_knee"])) * mm < 2


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
