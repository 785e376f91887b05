"""Round 12 B (issue 14): the side mark stands where nothing points at it and off every prop,
and its 2 is a solid digit (round A's readers: E6's arrow pointing at the prints read as "move
your foot over there"; E2's prints on the wall as "put your feet on the wall"; the thin 2 as
stripes or cracks)."""

from __future__ import annotations

import math

import pytest

from handout.figures import FigureStyle
from handout.figures.compose import figure_ops
from handout.figures.paint import OUTLINE_BODY, extents, fit
from handout.figures.sides import (
    DIGIT_HEIGHT,
    DIGITS,
    PRINT_LENGTH,
    arrow_tips,
)

from .test_figure_geometry import CARD, MM, SPECS

COLOUR = FigureStyle.from_brand("#1F6F8B")
ONE_LEG = sorted(name for name, spec in SPECS.items() if spec.working_side)


def _mark(ops):
    """The side mark's ops (the last four: two prints, two digits) and the ops before it."""
    return ops[-4:], ops[:-4]


def _box(ops):
    boxes = extents(ops)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@pytest.mark.parametrize("name", ONE_LEG)
def test_no_arrow_points_at_the_side_mark(name):
    """No arrow's tip lies within 5 mm (on the card) of the mark's box (E6's tip was 2 mm off)."""
    ops = figure_ops(SPECS[name], COLOUR)
    mark, scene = _mark(ops)
    assert [op.kind for op in mark] == ["poly", "line", "poly", "line"], name
    x0, y0, x1, y1 = _box(mark)
    mm = fit(ops, *CARD)[0] / MM
    tips = arrow_tips(scene, COLOUR)
    assert tips, name
    for px, py in tips:
        gap = math.hypot(max(x0 - px, 0, px - x1), max(y0 - py, 0, py - y1)) * mm
        assert gap >= 5.0, (name, gap)


def _segment_gap(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    t = max(0.0, min(1.0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / (((bx - ax) ** 2 + (by - ay) ** 2) or 1.0)))
    return math.dist(p, (ax + (bx - ax) * t, ay + (by - ay) * t))


@pytest.mark.parametrize("name", ONE_LEG)
def test_the_side_mark_stands_on_no_prop(name):
    """No point of the mark's box (a 9 x 9 grid over it, grown by an outline) lies inside a
    prop's face or within a prop's stroke of its edges (E2's prints sat on its wall)."""
    from handout.figures.draw import inside

    ops = figure_ops(SPECS[name], COLOUR)
    mark, scene = _mark(ops)
    x0, y0, x1, y1 = _box(mark)
    g = OUTLINE_BODY
    grid = [(x0 - g + (x1 - x0 + 2 * g) * i / 8, y0 - g + (y1 - y0 + 2 * g) * j / 8) for i in range(9) for j in range(9)]
    props = [op for op in scene if COLOUR.prop in (op.fill, op.stroke) or COLOUR.prop_ink in (op.fill, op.stroke)]
    assert props, name
    for op in props:
        edges = list(zip(op.pts, op.pts[1:] + (op.pts[:1] if op.kind == "poly" else ())))
        reach = op.width[0] / 2 + op.width[1] * OUTLINE_BODY / 2
        for p in grid:
            assert not (op.kind == "poly" and inside(p, list(op.pts))), (name, p)
            assert all(_segment_gap(p, a, b) > reach for a, b in edges), (name, p)


def test_the_2_is_a_bold_dark_digit_on_a_light_print_as_bold_as_the_1():
    """The 2 is drawn in the darkest ink at the same stroke as the 1 (two outlines, where round
    A's was one) on the lightest print, inside the print."""
    from handout.figures.draw import inside

    for name in ONE_LEG:
        mark, _ = _mark(figure_ops(SPECS[name], COLOUR))
        prints, digits = mark[0::2], mark[1::2]
        two = next(i for i, op in enumerate(digits) if len(op.pts) == len(DIGITS[2]))
        one = 1 - two
        assert digits[two].stroke == COLOUR.ink and prints[two].fill == COLOUR.pale, name
        assert digits[two].width == digits[one].width and digits[two].width[1] >= 2.0, name
        assert all(inside(p, list(prints[two].pts)) for p in digits[two].pts), name


def test_the_airplane_hinges_forward_with_a_flat_back_and_the_hands_stay_on_the_counter():
    """Step 1 says hinge forward with a flat back: the trunk (the hips' middle to the shoulders'
    middle) rises at most 25 degrees above level in both poses (round A's rose 40: leaning,
    not hinged), and both hands stay within 3 mm on the card of their points on the counter."""
    from handout.figures.contacts import hand_targets
    from handout.figures.kinematics import solve

    spec = SPECS["hip-airplane"]
    start = solve(spec, 0.0)
    mm = fit(figure_ops(spec, COLOUR), *CARD)[0] / MM
    for sk in (start, solve(spec, 1.0, start)):
        hips = sk.origin
        shoulders = tuple((a + b) / 2 for a, b in zip(sk.points["left_shoulder"], sk.points["right_shoulder"]))
        rise = math.degrees(math.atan2(shoulders[1] - hips[1], math.hypot(shoulders[0] - hips[0], shoulders[2] - hips[2])))
        assert rise <= 25, rise
        for side, target in hand_targets(spec, start).items():
            assert math.dist(sk.points[f"{side}_hand"], target) * mm <= 3.0, (side, math.dist(sk.points[f"{side}_hand"], target) * mm)


@pytest.mark.parametrize("name", ONE_LEG)
def test_the_shins_1_lies_off_the_other_leg(name):
    """The working shin's 1 sits where that shin shows: its centre farther from the other
    leg's thigh and shin lines than their radius and half the digit (E12's free knee, nearer,
    covered the standing shin where the 1 was)."""
    from handout.figures import body
    from handout.figures.kinematics import Camera, solve

    spec = SPECS[name]
    ops = figure_ops(spec, COLOUR)
    one = [op for op in ops[:-4] if op.kind == "line" and op.stroke == COLOUR.pale and len(op.pts) == len(DIGITS[1])]
    assert len(one) == 1, name
    x0, y0, x1, y1 = _box(one)
    centre = ((x0 + x1) / 2, (y0 + y1) / 2)
    cam, end = Camera.for_spec(spec), solve(spec, 1.0, solve(spec, 0.0))
    other = "left" if spec.working_side == "right" else "right"
    for a, b, r in (("hip", "knee", "thigh"), ("knee", "ankle", "shank")):
        gap = _segment_gap(centre, cam.page(end.points[f"{other}_{a}"]), cam.page(end.points[f"{other}_{b}"]))
        assert gap > max(body.TAPER[r]) + DIGIT_HEIGHT * PRINT_LENGTH / 2, (name, a, b, gap)
