"""One exercise figure: props, the start pose pale, the end pose solid, highlight, arrows.

In: a FigureSpec, a size in points and a FigureStyle. Out: a ReportLab Drawing exactly that
size, every shape inside it. Painter's order: props; the end pose's still pieces (a thigh
that only turns about its own axis is still); the start pose's moved pieces, a near-white
ghost (over the still pieces, so a shin that pointed up over its thigh shows), with no band
(a light start band was read as a second band, and made E3 busy); the end pose's moved pieces; the working limb's start again as dashed outlines, where the
end pose covers it, and the sole of a start foot whose shin stands toward the viewer; the end pose's bands, round the ankles; the working-hip patch (under the moving pieces when
the thighs stay still); a light 1 on the working shin (``sides``), clear of the arrows; the
arrows; the side mark's footprints in a free corner.
"""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Drawing

from ..model.pose import FigureSpec
from .arrows import figure_arrows
from . import body
from .draw import (Colours, _ghost_ops, end_on_foot, ghost_outline_ops, groups, highlight_ops, moved_pieces, person_ops,
                   working_parts)
from .kinematics import Camera, Skeleton, solve, sub
from .paint import Op, to_drawing
from .props import band_ops, prop_ops
from .sides import RIGHT_SOLE, leg_digit_ops, side_mark_ops, working_side
from .style import FigureStyle

SOLE_FACING = 0.85  # a start shin pointing at the viewer closer than this (cosine) shows its sole


def figure_ops(spec: FigureSpec, style: FigureStyle) -> list[Op]:
    """Every paint operation of the figure, in body units, in painting order."""
    cam = Camera.for_spec(spec)
    start = solve(spec, 0.0)
    end = solve(spec, 1.0, start)
    ops = prop_ops(spec, start, end, cam, style)
    solid = Colours.solid(style)
    end_parts = groups(end, cam)
    moved = moved_pieces(start, end, end_parts) if spec.end else set()
    if "pelvis" in spec.moving:  # a hip turn: only the hips get a ghost; a ghost of the whole
        # upper body was read as a second person, and of the free leg as a knee bent up behind
        moved = {(name, i) for name, i in moved if name == "pelvis"}
    work = working_parts(spec.moving, spec.support)
    ops += person_ops(end, cam, solid, keep=lambda name, i: (name, i) not in moved, parts=end_parts, work=work)
    # the hip patch goes under the moving pieces when the thighs stay still: over a shin's
    # start ghost its translucent discs banded it into odd white blocks
    early = spec.highlight and not any(name.endswith("_leg") and i == 0 for name, i in moved)
    if early:
        ops += highlight_ops(end, cam, spec.highlight, style)
    if moved:
        ops += person_ops(start, cam, Colours.ghost(style),
                          keep=lambda name, i: (name, i) in moved and not end_on_foot(start, cam, name, i)
                          and not (i == 2 and (name, 1) in moved))  # no ghost foot under a ghost shin
        ops += person_ops(end, cam, solid, keep=lambda name, i: (name, i) in moved, parts=end_parts, work=work)
        ops += ghost_outline_ops(start, end, cam, style.pale_ink, work)
        ops += ghost_sole_ops(start, cam, Colours.ghost(style), {name for name, i in moved if i == 1})
    ops += band_ops(spec, end, cam, style.band, start)
    if spec.highlight and not early:
        ops += highlight_ops(end, cam, spec.highlight, style)
    arrows = figure_arrows(spec, cam, style.arrow)
    ops += leg_digit_ops(spec, end, cam, style, arrows) + arrows
    return ops + side_mark_ops(working_side(spec), ops, style)


def ghost_sole_ops(start: Skeleton, cam: Camera, colours: Colours, legs: set[str]) -> list[Op]:
    """The sole of a start foot on a shin that stands up toward the viewer (E7 from the feet
    and above), as a dashed footprint, heel on the shin's top and toes toward the knee: drawn
    as a segment the foot lay over its shin as a scribble and was left out, and the bare shin,
    tapering to its top, read as "flames", "white teeth" or "socks" (blind15 to blind17)."""
    ops: list[Op] = []
    for leg in sorted(legs):
        side = leg.split("_")[0]
        shin = sub(start.points[f"{side}_ankle"], start.points[f"{side}_knee"])
        if sum(a * b for a, b in zip(shin, cam.toward)) < SOLE_FACING * math.sqrt(sum(a * a for a in shin)):
            continue
        (hx, hy), (tx, ty) = cam.page(start.points[f"{side}_heel"]), cam.page(start.points[f"{side}_toe"])
        length = math.hypot(tx - hx, ty - hy) or 1.0
        ux, uy = (tx - hx) / length, (ty - hy) / length
        other = cam.page(start.points[f"{'left' if side == 'right' else 'right'}_heel"])
        out = -1.0 if (other[0] - hx) * -uy + (other[1] - hy) * ux > 0 else 1.0  # the big toe toward the other foot
        pts = tuple((hx + (ux * y - uy * x * out) * body.FOOT, hy + (uy * y + ux * x * out) * body.FOOT)
                    for x, y in RIGHT_SOLE)
        ops += _ghost_ops([("poly", pts)], colours)
    return ops


def pose_drawing(spec: FigureSpec, width_pt: float, height_pt: float, style: FigureStyle) -> Drawing:
    """The figure fitted into a box of ``width_pt`` x ``height_pt``."""
    return to_drawing(figure_ops(spec, style), width_pt, height_pt)
