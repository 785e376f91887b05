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
    head"; E7 had its arms by the sides, since round 11 its forearms out beside the head). The pose language still lets a face-down pose
    raise its arms: raised past 90 degrees the forearm turns flat onto the mat, so both
    hands lie at the head (within two head radii, no higher than its top), and the hair
    sits on the upper side of the head on the page."""
    base = SPECS["prone-ir-stretch"].model_dump()  # its legs; its own arms (round 11) and turned head left out
    legs = {k: v for k, v in base["start"].items() if not k.endswith(("shoulder_flexion", "shoulder_abduction", "elbow_flexion"))}
    base["start"] = dict(legs, right_shoulder_abduction=150, left_shoulder_abduction=150,
                         right_elbow_flexion=110, left_elbow_flexion=110)
    base["head"] = None
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


def test_a_one_leg_figure_carries_footprints_numbered_and_filled_for_the_persons_own_working_leg():
    """The side mark (an R was read as "right leg only"): a pair of footprints, on every figure
    where one leg works and the steps say to do each side, none where both legs work (E4, E5,
    E7). The left sole stands on the left, the right on the right, as the patient sees their own
    feet; the working leg's own print is filled darkest and numbered 1, the other light and
    numbered 2; the mark holds no arrow (round 9 filled the print on the side of the picture
    where the working leg is drawn: on the front views readers asked "my left or the picture's
    left?"; this fails on round 9's mark, E1 to E3 and E12 among others)."""
    from handout.figures.sides import DIGITS, DIGIT_HEIGHT, PRINT_LENGTH, RIGHT_SOLE

    colour = FigureStyle.from_brand("#1F6F8B")
    for name, spec in SPECS.items():
        dose = yaml.safe_load((EXERCISES / f"{name}.yaml").read_text(encoding="utf-8"))["dose"]
        ops = figure_ops(spec, colour)
        prints = _prints(ops)
        side = spec.working_side
        if side is None:
            assert not prints, name
            continue
        assert dose.get("side") == "each" and len(prints) == 2, name
        assert side == (spec.highlight or "").split("_")[0], name  # the hip patch's side
        filled = [op for op in prints if op.fill == colour.work]
        other = [op for op in prints if op.fill == colour.pale]
        assert len(filled) == len(other) == 1, name
        fx = sum(p[0] for p in filled[0].pts) / len(filled[0].pts)
        ox = sum(p[0] for p in other[0].pts) / len(other[0].pts)
        assert (fx > ox) == (side == "right"), name  # the person's own side, in every view
        # the filled print is that side's sole: a right sole's big toe (its widest point near
        # the toes) lies on the sole's left, a left sole's on its right
        x0 = filled[0].pts[0][0]
        toe = max(RIGHT_SOLE, key=lambda p: p[1])
        assert math.isclose(filled[0].pts[RIGHT_SOLE.index(toe)][0] - x0,
                            (1 if side == "right" else -1) * toe[0] * PRINT_LENGTH, abs_tol=1e-6), name
        mark = ops[ops.index(prints[0]):]
        digits = [op for op in mark if op.kind == "line"]
        assert len(mark) == 4 and len(digits) == 2, name  # two prints, two digits, no arrow
        for op, number, ink in zip(digits, (1, 2) if fx < ox else (2, 1),
                                   (colour.pale, colour.ink) if fx < ox else (colour.ink, colour.pale)):
            assert len(op.pts) == len(DIGITS[number]) and op.stroke == ink, name
            height = max(p[1] for p in op.pts) - min(p[1] for p in op.pts)
            assert math.isclose(height, DIGIT_HEIGHT * PRINT_LENGTH), name


def test_the_working_leg_carries_the_same_light_1_on_its_own_shin_clear_of_the_arrows():
    """The 1 of the filled print is also drawn on the working leg: a light 1 whose centre lies
    on that leg's shin (within its thickness of the knee-to-ankle line, on the page, in the end
    pose), nearer to it than to the other shin, and not under an arrow's box; exactly one such
    1 outside the mark, none where both legs work."""
    from handout.figures.arrows import figure_arrows
    from handout.figures.paint import extents
    from handout.figures.sides import DIGITS

    colour = FigureStyle.from_brand("#1F6F8B")
    for name, spec in SPECS.items():
        ops = figure_ops(spec, colour)
        prints = _prints(ops)
        body_ops = ops[:ops.index(prints[0])] if prints else ops
        ones = [op for op in body_ops if op.kind == "line" and op.stroke == colour.pale
                and len(op.pts) == len(DIGITS[1])]
        side = spec.working_side
        if side is None:
            assert not ones, name
            continue
        assert len(ones) == 1, name
        centre = tuple((min(p[i] for p in ones[0].pts) + max(p[i] for p in ones[0].pts)) / 2 for i in (0, 1))
        cam, end = Camera.for_spec(spec), solve(spec, 1.0, solve(spec, 0.0))  # as the figure solves it
        other = "left" if side == "right" else "right"

        def off(s):
            a, b = (cam.page(end.points[f"{s}_{j}"]) for j in ("knee", "ankle"))
            ax, ay, bx, by = *a, *b
            t = max(0.0, min(1.0, ((centre[0] - ax) * (bx - ax) + (centre[1] - ay) * (by - ay))
                             / (((bx - ax) ** 2 + (by - ay) ** 2) or 1.0)))
            return math.dist(centre, (ax + (bx - ax) * t, ay + (by - ay) * t))
        assert off(side) <= max(body.TAPER["shank"]), (name, off(side))
        assert off(side) < off(other), name
        for bx0, by0, bx1, by1, *_ in extents(figure_arrows(spec, cam, colour.arrow)):
            assert not (bx0 < centre[0] < bx1 and by0 < centre[1] < by1), name


def test_the_side_mark_sits_clear_of_the_body_and_arrows_and_reads_in_grey():
    """On the card each print is at least 4 mm long and the mark touches no part of the person
    or the motion arrows, and it stands on no prop (footprints on a counter top read as "stand
    here"; E2's prints on its wall read as "put your feet on the wall"); in grey the filled and the light print differ by at least 60 levels
    in rendered pixels."""
    from handout.figures.sides import PRINT_LENGTH
    from handout.figures.draw import inside
    from handout.figures.paint import extents, fit

    colour, grey = FigureStyle.from_brand("#1F6F8B"), FigureStyle.from_brand("#1F6F8B", greyscale=True)
    card = (52 * 72 / 25.4, 42 * 72 / 25.4)
    on_props = []
    for name, spec in SPECS.items():
        if spec.working_side is None:
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
        for op in _prints(figure_ops(spec, grey)):  # inside the heel, clear of the digit
            cx = op.pts[0][0] * scale + dx
            cy = (op.pts[0][1] + 0.12 * PRINT_LENGTH) * scale + dy
            levels.append(image.getpixel((round(cx * 4), round((card[1] - cy) * 4))))
        assert abs(levels[0] - levels[1]) >= 60, (name, levels)
    assert not on_props, on_props


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
