"""Round 12 D (issue 14): E7's arrows run from the feet, not from the hips (round 14's reader:
"the arrows start at the hips, so I might think spread the knees rather than let the feet fall
out")."""

from __future__ import annotations

import math

from handout.figures.arrows import motion_path
from handout.figures.kinematics import Camera, solve

from .test_figure_geometry import SPECS


def test_each_falling_foot_arrow_runs_from_its_start_foot_to_its_end_foot():
    """Each of E7's two arrows starts within 0.06 body units of its upright foot's top (the heel,
    the sole to the ceiling) and ends within 0.06 of the fallen foot's, both ends well below the
    hips on the page; the two arrows are mirror images (their ends within 0.01 of each other
    reflected about the midline). Round C's arrows began 0.1 beyond the upright foot, above the
    hips."""
    spec = SPECS["prone-ir-stretch"]
    cam = Camera.for_spec(spec)
    start = solve(spec, 0.0)
    end = solve(spec, 1.0, start)
    hips = max(cam.page(start.points[f"{side}_hip"])[1] for side in ("left", "right"))
    ends = {}
    for side in ("left", "right"):
        path = motion_path(spec, f"{side}_foot", cam)
        assert math.dist(path[0], cam.page(start.points[f"{side}_heel"])) < 0.06, side
        assert math.dist(path[-1], cam.page(end.points[f"{side}_heel"])) < 0.06, side
        assert max(path[0][1], path[-1][1]) < hips - 0.05, side
        ends[side] = (path[0], path[-1])
    mid = (cam.page(start.points["left_hip"])[0] + cam.page(start.points["right_hip"])[0]) / 2
    for (lx, ly), (rx, ry) in zip(ends["left"], ends["right"]):
        assert abs((lx - mid) + (rx - mid)) < 0.01 and abs(ly - ry) < 0.01
