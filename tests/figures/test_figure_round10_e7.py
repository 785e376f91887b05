"""E7 in perspective (round 10 of issue 14): blind readers took the square view from the feet
for someone kneeling against a wall ("nothing shows floor versus wall; the grey rectangle could
be a door"). A camera at a finite distance draws a body lying away from the viewer smaller
toward its head, and the mat as a slab on the floor whose near edge is the wider. Each check
is on computed geometry, and fails on E7 as it was (a parallel view, a flat mat)."""

from __future__ import annotations

import math
from itertools import pairwise

from handout.figures.compose import figure_ops
from handout.figures.draw import groups, inside
from handout.figures.kinematics import Camera, solve
from handout.figures.props import RIDGES, prop_boxes
from handout.figures.style import mix

from .test_figure_geometry import COLOUR, GREY, SPECS

E7 = SPECS["prone-ir-stretch"]


def _top_face(spec, style):
    """The mat's top face as drawn: the prop-filled quadrilateral (near edge, far edge)."""
    faces = [op for op in figure_ops(spec, style) if op.kind == "poly" and op.fill == style.prop and len(op.pts) == 4]
    assert len(faces) == 1
    pts = sorted(faces[0].pts, key=lambda p: p[1])
    near, far = pts[:2], pts[2:]  # the near edge is the lower one on the page (seen from above)
    return near, far


def _figure_height(spec) -> float:
    ys = [y for op in figure_ops(spec, COLOUR) for _, y in op.pts]
    return max(ys) - min(ys)


def test_only_a_spec_that_asks_for_perspective_gets_it():
    """Every other figure keeps its parallel view (and so its bytes)."""
    for name, spec in SPECS.items():
        cam = Camera.for_spec(spec)
        assert (cam.distance is not None) == (name == "prone-ir-stretch"), name
        p = (0.3, 0.2, -0.4)
        if cam.distance is None:
            assert cam.page(p) == (sum(a * b for a, b in zip(p, cam.right)), sum(a * b for a, b in zip(p, cam.up)))


def test_e7s_mat_narrows_away_from_the_viewer():
    """The near edge of the mat is at least 1.25 times as wide on the page as its far edge,
    and the two edges stay level (the view is square), in colour and in grey."""
    for style in (COLOUR, GREY):
        near, far = _top_face(E7, style)
        wide, narrow = abs(near[0][0] - near[1][0]), abs(far[0][0] - far[1][0])
        assert wide >= 1.25 * narrow, (wide, narrow)
        assert abs(near[0][1] - near[1][1]) < 1e-6 and abs(far[0][1] - far[1][1]) < 1e-6


def test_e7s_head_is_drawn_smaller_than_its_feet():
    """A body lying away shrinks toward its head: the shoulders' width on the page is less than
    in the parallel view, the upright start feet spread at least 1.3 times as far apart, and
    the feet are drawn at least 1.4 times the scale of the shoulders and of the head."""
    cam, flat = Camera.for_spec(E7), Camera.for_spec(E7.model_copy(update={"perspective": None}))
    start, end = solve(E7, 0.0), solve(E7, 1.0)

    def apart(c, sk, a, b):
        return math.dist(c.page(sk.points[a]), c.page(sk.points[b]))

    shoulders = apart(cam, end, "right_shoulder", "left_shoulder") / apart(flat, end, "right_shoulder", "left_shoulder")
    feet = apart(cam, start, "right_toe", "left_toe") / apart(flat, start, "right_toe", "left_toe")
    assert shoulders < 1.0 and feet >= 1.3 and feet >= 1.4 * shoulders, (shoulders, feet)

    def scale(p):  # how much larger than in the parallel view a point is drawn
        return math.hypot(*cam.page(p)) / math.hypot(*flat.page(p))

    assert scale(end.points["head"]) < scale(start.points["right_toe"]) / 1.4


def test_e7s_mat_shows_its_near_edge_as_a_band():
    """The slab's outline reaches below the top face's near edge by at least 0.8 % of the
    figure's height (a band as wide as an outline on a 42 mm card), filled darker than the top."""
    for style in (COLOUR, GREY):
        ops = figure_ops(E7, style)
        near, _ = _top_face(E7, style)
        slab = [op for op in ops if op.kind == "poly" and op.fill == style.prop_ink]
        assert len(slab) == 1
        band = min(near[0][1], near[1][1]) - min(y for _, y in slab[0].pts)
        assert band >= 0.008 * _figure_height(E7), band


def test_e7s_mat_has_ridges_that_converge_away_from_the_viewer():
    """At least four lengthwise ridges on the mat, each pair closer at the far end."""
    ridge = mix(COLOUR.prop, COLOUR.prop_ink, 0.6)
    lines = [op.pts for op in figure_ops(E7, COLOUR) if op.kind == "line" and op.stroke == ridge]
    assert len(lines) >= 4
    lines.sort(key=lambda pts: pts[0][0])
    for a, b in pairwise(lines):
        near_a, far_a = sorted(a, key=lambda p: p[1])
        near_b, far_b = sorted(b, key=lambda p: p[1])
        assert abs(far_b[0] - far_a[0]) < 0.85 * abs(near_b[0] - near_a[0])


def test_e7s_mat_carries_no_shadow_under_the_body():
    """Round 10's shadow under the trunk and thighs read as the body "lifted off the mat" and
    merged with the legs in grey (blind19a): between the mat and the body only the slab, its
    top face and the ridges are painted, in colour and in grey."""
    for style in (COLOUR, GREY):
        ops = figure_ops(E7, style)
        body_fills = (style.body, style.body_far, style.pelvis, style.work)
        first = min(i for i, op in enumerate(ops) if op.fill in body_fills or style.ink in (op.fill, op.stroke))
        ridge = mix(style.prop, style.prop_ink, 0.6)
        kinds = [(op.kind, op.fill, op.stroke) for op in ops[:first]]
        assert kinds == [("poly", style.prop_ink, style.prop_ink), ("poly", style.prop, style.prop_ink)] \
            + [("line", None, ridge)] * (RIDGES - 1), kinds


def test_only_a_mat_in_perspective_is_a_slab():
    """The same E7 in a parallel view gets the flat mat of round 9 (one box outline)."""
    flat = E7.model_copy(update={"perspective": None})
    ops = figure_ops(flat, COLOUR)
    assert not [op for op in ops if op.kind == "poly" and op.fill == COLOUR.prop_ink]
    start = solve(flat, 0.0)
    assert [kind for kind, _ in prop_boxes(flat, start, start)] == ["mat"]


def test_a_camera_nearer_than_one_body_height_is_refused():
    """Closer than the body is long, the feet would blow up past the page: the spec refuses it."""
    import pytest
    from pydantic import ValidationError

    data = {**E7.model_dump(by_alias=True, exclude_none=True), "perspective": 0.5}
    with pytest.raises(ValidationError, match="perspective"):
        type(E7).model_validate(data)


def test_a_body_sitting_up_on_a_mat_in_perspective_gets_the_slab():
    """E5 (sitting on the floor, leaning back) seen in perspective stands on a slab too."""
    sitting = SPECS["ninety-ninety"].model_copy(update={"perspective": 2.0})
    assert len([op for op in figure_ops(sitting, COLOUR) if op.kind == "poly" and op.fill == COLOUR.prop_ink]) == 1
