"""Fixes after the seventh blind reading: E7 (face down, both feet fall out) read as lying on
the back from every view tried. Checked on computed geometry."""

from __future__ import annotations

import math
from pathlib import Path

import yaml

from handout.figures import body
from handout.figures.draw import groups
from handout.figures.kinematics import Camera, solve
from handout.model.pose import FigureSpec

EXERCISES = Path(__file__).resolve().parents[2] / "content" / "exercises"
SPECS = {p.stem: FigureSpec.model_validate(yaml.safe_load(p.read_text(encoding="utf-8"))["figure"])
         for p in sorted(EXERCISES.glob("*.yaml"))}


def test_face_down_stretch_rests_the_head_on_folded_arms_with_hair_on_top():
    """The head resting face down on folded forearms is what says "face down" from the side:
    both hands lie at the head (within two head radii of its centre, no higher than its top,
    so on the mat, not raised), and the hair sits on the upper side of the head on the page, the face side
    toward the mat left bare. Arms along the sides (every earlier E7) fail the first check."""
    spec = SPECS["prone-ir-stretch"]
    cam = Camera.for_spec(spec)
    for t in (0.0, 1.0):
        sk = solve(spec, t)
        head = sk.points["head"]
        for side in ("right", "left"):
            hand = sk.points[f"{side}_hand"]
            assert math.dist(hand, head) < 2 * body.HEAD_RADIUS, side
            assert hand[1] < head[1] + body.HEAD_RADIUS, side
    items = dict(groups(solve(spec, 1.0), cam)["head"][1][1:])
    (hx, hy), _ = items["circle"]
    (cx, cy), _ = items["hair"]
    assert cy > hy and "eye" not in items


def test_only_a_face_down_arm_raised_past_the_shoulder_line_folds_flat():
    """The forearm turns flat onto the mat only face down with the arm raised past 90 degrees:
    E6 (arms by the sides) and every other posture keep their arms as the pose says."""
    sk = solve(SPECS["prone-ir"], 1.0)
    for side in ("right", "left"):
        assert sk.points[f"{side}_hand"][2] < sk.points["pelvis"][2] + 0.1  # beside the hips, not by the head
