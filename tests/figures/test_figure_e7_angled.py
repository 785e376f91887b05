"""Issue 14, round 8 (after blind17): E7 on an angled mat with visible thighs, each upright
start shin carrying its sole, checked on computed geometry."""

from __future__ import annotations

import math

from handout.figures import body
from handout.figures.compose import figure_ops, ghost_sole_ops
from handout.figures.draw import Colours
from handout.figures.kinematics import Camera, solve
from handout.figures.sides import RIGHT_SOLE

from .test_figure_geometry import COLOUR, GREY, SPECS


def test_e7s_start_shins_carry_a_whole_sole_drawn_over_the_end_pose():
    """blind15 to blind17: the bare dashed start shins, tapering to their tops, read as "flames",
    "white teeth" or "socks". Each now carries a dashed pale footprint at least 0.9 of a foot long
    and 0.35 of a foot wide, one end within 0.02 of its start heel on the page, painted after both
    end legs so neither covers it. Fails on round 7's E7 (no start foot at all); E6, whose start
    shin stands at 40 degrees to the view, gets none."""
    spec = SPECS["prone-ir-stretch"]
    cam = Camera.for_spec(spec)
    start = solve(spec, 0.0)
    for style in (COLOUR, GREY):
        ops = figure_ops(spec, style)
        last_leg = max(i for i, op in enumerate(ops) if op.fill == style.work or op.stroke == style.work)
        for side in ("right", "left"):
            heel = cam.page(start.points[f"{side}_heel"])
            soles = [i for i, op in enumerate(ops) if op.kind == "poly" and op.fill == style.pale
                     and len(op.pts) == len(RIGHT_SOLE) and min(math.dist(p, heel) for p in op.pts) < 0.02]
            assert soles and min(soles) > last_leg, (side, soles, last_leg)
            pts = ops[soles[0]].pts
            assert max(math.dist(p, q) for p in pts for q in pts) >= 0.9 * body.FOOT
            assert any(op.dashed and op.pts == pts for op in ops), side
            (hx, hy), far = heel, max(pts, key=lambda p: math.dist(p, heel))
            ux, uy = (far[0] - hx) / math.dist(far, heel), (far[1] - hy) / math.dist(far, heel)
            across = [(x - hx) * -uy + (y - hy) * ux for x, y in pts]
            assert max(across) - min(across) >= 0.35 * body.FOOT, side
    e6 = SPECS["prone-ir"]
    assert ghost_sole_ops(solve(e6, 0.0), Camera.for_spec(e6), Colours.ghost(COLOUR), {"right_leg"}) == []
