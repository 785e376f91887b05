"""Fixes after the seventh blind reading, checked on computed geometry and rendered pixels:
E7 (face down, both feet fall out) read as lying on the back from every view tried, and the
side mark that says "this leg is shown; do both" without a letter."""

from __future__ import annotations

import math
from pathlib import Path

import yaml

from handout.figures import body
from handout.figures.compose import figure_ops
from handout.figures.draw import groups
from handout.figures.kinematics import Camera, solve
from handout.figures.style import FigureStyle
from handout.model.pose import FigureSpec

EXERCISES = Path(__file__).resolve().parents[2] / "content" / "exercises"
SPECS = {p.stem: FigureSpec.model_validate(yaml.safe_load(p.read_text(encoding="utf-8"))["figure"])
         for p in sorted(EXERCISES.glob("*.yaml"))}


def test_a_face_down_arm_raised_past_the_shoulder_line_folds_flat_round_the_head():
    """Round 8 drew E7 face down on folded forearms (read in round 9 as "hands behind the
    head"; E7 now has its arms by the sides). The pose language still lets a face-down pose
    raise its arms: raised past 90 degrees the forearm turns flat onto the mat, so both
    hands lie at the head (within two head radii, no higher than its top), and the hair
    sits on the upper side of the head on the page."""
    base = SPECS["prone-ir-stretch"].model_dump()
    base["start"] = dict(base["start"], right_shoulder_abduction=150, left_shoulder_abduction=150,
                         right_elbow_flexion=110, left_elbow_flexion=110)
    spec = FigureSpec.model_validate(dict(base, view="left", tilt=30, turn=-25))
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


def _prints(ops):
    """The footprints: polygons that are the sole's outline (or its mirror image), moved."""
    from handout.figures.sides import PRINT_LENGTH, RIGHT_SOLE

    def sole(op, mirror):
        (x0, y0) = op.pts[0]
        return all(math.isclose((x - x0) / PRINT_LENGTH, mirror * sx, abs_tol=1e-4)
                   and math.isclose((y - y0) / PRINT_LENGTH, sy, abs_tol=1e-4)
                   for (x, y), (sx, sy) in zip(op.pts, RIGHT_SOLE))
    return [op for op in ops if op.kind == "poly" and len(op.pts) == len(RIGHT_SOLE)
            and (sole(op, 1) or sole(op, -1))]


def test_a_one_leg_figure_carries_footprints_numbered_and_filled_on_the_working_legs_side():
    """The side mark (an R was read as "right leg only"): a pair of footprints, on every figure
    where one leg works and the steps say to do each side, none where both legs work (E4, E5,
    E7). The print filled darkest and numbered 1 stands on the side of the picture where the
    working leg is drawn (round 9: placed as the patient sees their own feet, it stood
    opposite the dark leg in the front views, and its curved arrow read as a move); the other
    is light and numbered 2; the mark holds no arrow."""
    from handout.figures.sides import DIGITS, DIGIT_HEIGHT, PRINT_LENGTH, working_side

    colour = FigureStyle.from_brand("#1F6F8B")
    for name, spec in SPECS.items():
        dose = yaml.safe_load((EXERCISES / f"{name}.yaml").read_text(encoding="utf-8"))["dose"]
        ops = figure_ops(spec, colour)
        prints = _prints(ops)
        side = working_side(spec)
        if side is None:
            assert not prints, name
            continue
        assert dose.get("side") == "each" and len(prints) == 2, name
        assert side == (spec.highlight or "").split("_")[0], name  # the hip patch's side
        filled = [op for op in prints if op.fill == colour.work]
        other = [op for op in prints if op.fill == colour.body]
        assert len(filled) == len(other) == 1, name
        fx = sum(p[0] for p in filled[0].pts) / len(filled[0].pts)
        ox = sum(p[0] for p in other[0].pts) / len(other[0].pts)
        cam, end = Camera.for_spec(spec), solve(spec, 1.0)
        mine, theirs = (sum(cam.page(end.points[f"{s}_{j}"])[0] for j in ("hip", "knee", "ankle"))
                        for s in (side, "left" if side == "right" else "right"))
        assert (fx > ox) == (mine > theirs), name
        mark = ops[ops.index(prints[0]):]
        digits = [op for op in mark if op.kind == "line"]
        assert len(mark) == 4 and len(digits) == 2, name  # two prints, two digits, no arrow
        for op, number, ink in zip(digits, (1, 2) if fx < ox else (2, 1),
                                   (colour.pale, colour.ink) if fx < ox else (colour.ink, colour.pale)):
            assert len(op.pts) == len(DIGITS[number]) and op.stroke == ink, name
            height = max(p[1] for p in op.pts) - min(p[1] for p in op.pts)
            assert math.isclose(height, DIGIT_HEIGHT * PRINT_LENGTH), name


def test_the_side_mark_sits_clear_of_the_body_and_arrows_and_reads_in_grey():
    """On the card each print is at least 4 mm long and the mark touches no part of the person
    or the motion arrows, and it stands on no prop (footprints on a counter top read as "stand
    here"; only E2, whose wall fills the figure's left side, has no free spot); in grey the filled and the light print differ by at least 60 levels
    in rendered pixels."""
    from handout.figures.draw import inside
    from handout.figures.paint import extents, fit
    from handout.figures.sides import working_side

    colour, grey = FigureStyle.from_brand("#1F6F8B"), FigureStyle.from_brand("#1F6F8B", greyscale=True)
    card = (52 * 72 / 25.4, 42 * 72 / 25.4)
    on_props = []
    for name, spec in SPECS.items():
        if working_side(spec) is None:
            continue
        ops = figure_ops(spec, colour)
        prints = _prints(ops)
        first = ops.index(prints[0])
        mark, scene = ops[first:], [op for op in ops[:first] if colour.prop not in (op.fill, op.stroke)
                                     and colour.prop_ink not in (op.fill, op.stroke)]
        mx0, my0 = min(b[0] for b in extents(mark)), min(b[1] for b in extents(mark))
        mx1, my1 = max(b[2] for b in extents(mark)), max(b[3] for b in extents(mark))
        for x0, y0, x1, y1, m, _ in extents(scene):
            assert x1 + m <= mx0 or x0 - m >= mx1 or y1 + m <= my0 or y0 - m >= my1, name
        centre = ((mx0 + mx1) / 2, (my0 + my1) / 2)
        faces = [op for op in ops[:first] if op.kind == "poly" and op.fill == colour.prop]
        if any(inside(centre, list(op.pts)) for op in faces):  # footprints on a counter read as "stand here"
            on_props.append(name)
        scale, dx, dy, _ = fit(ops, *card)
        length = max(p[1] for p in prints[0].pts) - min(p[1] for p in prints[0].pts)
        assert length * scale * 25.4 / 72 >= 4.0, name
        image = _card_pixels(spec, grey, card)
        levels = []
        for op in _prints(figure_ops(spec, grey)):
            cx = sum(p[0] for p in op.pts) / len(op.pts) * scale + dx
            cy = sum(p[1] for p in op.pts) / len(op.pts) * scale + dy
            levels.append(image.getpixel((round(cx * 4), round((card[1] - cy) * 4))))
        assert abs(levels[0] - levels[1]) >= 60, (name, levels)
    assert set(on_props) <= {"seated-ir-isometric"}, on_props  # E2's wall fills its left side


def _card_pixels(spec, style, card):
    import io

    import pypdfium2
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    from handout.figures.paint import to_drawing

    drawing = to_drawing(figure_ops(spec, style), *card)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=card, invariant=1)
    renderPDF.draw(drawing, canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    return pypdfium2.PdfDocument(out.getvalue())[0].render(scale=4, grayscale=True).to_pil().convert("L")
