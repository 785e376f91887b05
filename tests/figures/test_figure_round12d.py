"""Round 12 D (issue 14): E7's arrows run from the feet, not from the hips (round 14's reader:
"the arrows start at the hips, so I might think spread the knees rather than let the feet fall
out"); E12's free thigh does not run on into the standing shin."""

from __future__ import annotations

import math

from handout.figures.arrows import motion_path
from handout.figures.kinematics import Camera, solve

from .test_figure_geometry import SPECS, _off_segment


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


def test_hip_airplane_free_thigh_does_not_run_on_into_the_standing_shin():
    """E12's reader: "the light thigh joins straight onto the dark 1 shin: it looks like one leg".
    In the start and end poses the free knee lies at least 0.1 body units from the standing shin
    on the page and the free thigh runs at least 20 degrees off the standing shin's line (round C's
    hanging thigh: 0.004 units and 2 degrees in the end pose)."""
    spec = SPECS["hip-airplane"]
    cam = Camera.for_spec(spec)
    stand = spec.support.split("_")[0]
    free = "right" if stand == "left" else "left"
    start = solve(spec, 0.0)
    for sk in (start, solve(spec, 1.0, start)):
        hip, knee = (cam.page(sk.points[f"{free}_{j}"]) for j in ("hip", "knee"))
        top, ankle = (cam.page(sk.points[f"{stand}_{j}"]) for j in ("knee", "ankle"))
        assert _off_segment(knee, top, ankle) >= 0.1
        thigh = math.atan2(knee[1] - hip[1], knee[0] - hip[0])
        shin = math.atan2(ankle[1] - top[1], ankle[0] - top[0])
        assert abs(math.degrees((thigh - shin + math.pi) % (2 * math.pi) - math.pi)) >= 20
