"""One exercise figure: props, the start pose pale, the end pose solid, highlight, arrows.

In: a FigureSpec, a size in points and a FigureStyle. Out: a ReportLab Drawing exactly that
size, every shape inside it. Painter's order: props; the end pose's still pieces (a thigh
that only turns about its own axis is still); the start pose's moved pieces, a near-white
ghost (over the still pieces, so a shin that pointed up over its thigh shows), with no band
(a light start band was read as a second band, and made E3 busy); the end pose's moved pieces; the working limb's start again as dashed outlines, where the
end pose covers it; the end pose's bands, round the ankles; the working-hip patch (under the moving pieces when
the thighs stay still); a light 1 on the working shin (``sides``), clear of the arrows; the
arrows; the side mark's footprints in a free corner. A figure of one leg only (``only``, from
a clinician's dose) has neither the 1 nor the footprints, and is the mirror image when the pose
works the other leg: the same movement, done by the leg the dose names.
"""

from __future__ import annotations

from dataclasses import replace

from reportlab.graphics.shapes import Drawing

from ..model.pose import FigureSpec
from .arrows import figure_arrows
from .draw import Colours, end_on_foot, ghost_outline_ops, groups, highlight_ops, moved_pieces, person_ops, working_parts
from .kinematics import Camera, solve
from .paint import Op, to_drawing
from .props import band_ops, prop_ops
from .sides import leg_digit_ops, side_mark_ops
from .style import FigureStyle


def figure_ops(spec: FigureSpec, style: FigureStyle) -> list[Op]:
    """Every paint operation of the figure, in body units, in painting order."""
    cam = Camera.for_spec(spec)
    start = solve(spec, 0.0)
    end = solve(spec, 1.0, start)
    ops = prop_ops(spec, start, end, cam, style)
    solid = Colours.solid(style)
    end_parts = groups(end, cam, spec.head)
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
        ops += person_ops(start, cam, Colours.ghost(style), parts=groups(start, cam, only={name for name, _ in moved}),
                          keep=lambda name, i: (name, i) in moved and not end_on_foot(start, cam, name, i)
                          and not (i == 2 and (name, 1) in moved))  # no ghost foot under a ghost shin
        ops += person_ops(end, cam, solid, keep=lambda name, i: (name, i) in moved, parts=end_parts, work=work)
        ops += ghost_outline_ops(start, end, cam, style.pale_ink, work)
    ops += band_ops(spec, end, cam, style.band, start)
    if spec.highlight and not early:
        ops += highlight_ops(end, cam, spec.highlight, style)
    arrows = figure_arrows(spec, cam, style.arrow)
    side = spec.working_side
    if spec.only is not None:  # one leg only: no "this leg, then the other" key
        ops += arrows
        return _mirrored(ops) if side is not None and side != spec.only else ops
    ops += leg_digit_ops(spec, end, cam, style, arrows) + arrows
    return ops + side_mark_ops(side, ops, style)


def _mirrored(ops: list[Op]) -> list[Op]:
    """The mirror image (left and right swapped on the page): the person working the other leg."""
    return [replace(op, pts=tuple((-x, y) for x, y in op.pts)) for op in ops]


def pose_drawing(spec: FigureSpec, width_pt: float, height_pt: float, style: FigureStyle) -> Drawing:
    """The figure fitted into a box of ``width_pt`` x ``height_pt``."""
    return to_drawing(figure_ops(spec, style), width_pt, height_pt)
