"""A figure for a card whose dose names one leg (``only``): that leg drawn working, with no
"1, then 2" footprints and no 1 on the shin; the other leg's figure is the mirror image."""

from __future__ import annotations

import io

import pypdfium2
from reportlab.graphics import renderPDF
from reportlab.pdfgen.canvas import Canvas

from handout import HandoutRequest
from handout.figures import FigureStyle, build_figure
from handout.figures.compose import figure_ops
from handout.figures.sides import DIGITS
from handout.model.library import load_library
from handout.model.plan import resolve_handout

from .test_figure_geometry import CARD, SPECS
from .test_figure_round8 import _prints

COLOUR = FigureStyle.from_brand("#1F6F8B")
ONE_LEG = {name: spec for name, spec in SPECS.items() if spec.working_side}


def test_a_one_leg_figure_has_no_key_and_the_other_leg_is_its_mirror_image():
    assert len(ONE_LEG) >= 8
    for name, spec in ONE_LEG.items():
        side = spec.working_side
        other = "left" if side == "right" else "right"
        full = figure_ops(spec, COLOUR)
        same = figure_ops(spec.model_copy(update={"only": side}), COLOUR)
        mirrored = figure_ops(spec.model_copy(update={"only": other}), COLOUR)
        assert len(_prints(full)) == 2 and _prints(same) == [] and _prints(mirrored) == [], name
        key = [op for op in full if op not in same]  # two prints, their two digits, the shin's 1
        assert len(key) == 5 and sum(op.kind == "line" and len(op.pts) == len(DIGITS[1]) for op in key) == 2, name
        assert same == [op for op in full if op not in key], name  # the same picture, less the key
        assert len(mirrored) == len(same), name
        for a, b in zip(same, mirrored):
            assert (a.kind, a.stroke, a.fill, a.width) == (b.kind, b.stroke, b.fill, b.width), name
            assert all(abs(x + mx) < 1e-9 and abs(y - my) < 1e-9 for (x, y), (mx, my) in zip(a.pts, b.pts)), name


def _pixels(spec) -> list[list[int]]:
    drawing = build_figure("seated-ir", spec, None, None, *CARD, COLOUR)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=CARD, invariant=1)
    renderPDF.draw(drawing, canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    image = pypdfium2.PdfDocument(out.getvalue())[0].render(scale=2, grayscale=True).to_pil().convert("L")
    w, h = image.size
    return [[image.getpixel((x, y)) for x in range(w)] for y in range(h)]


def test_the_left_leg_card_figure_is_drawn_as_the_right_legs_mirror_image():
    """Rendered: the left-only figure matches the right-only one flipped, pixel for pixel
    within anti-aliasing, and differs from it unflipped (the person's left leg moves)."""
    spec = SPECS["seated-ir"]
    left, right = _pixels(spec.model_copy(update={"only": "left"})), _pixels(spec.model_copy(update={"only": "right"}))

    def mean_gap(a, b):
        return sum(abs(p - q) for ra, rb in zip(a, b) for p, q in zip(ra, rb)) / (len(a) * len(a[0]))
    flipped = [row[::-1] for row in right]
    assert mean_gap(left, flipped) < 1.5
    assert mean_gap(left, right) > 8 * mean_gap(left, flipped)


def test_a_card_picked_for_one_leg_carries_that_legs_figure():
    """The plan gives a one-leg card the figure of that leg alone; a card done on each leg
    keeps its key."""
    plan = resolve_handout(HandoutRequest(exercises=("seated-ir:side=left", "prone-ir", "ninety-ninety:side=left")),
                           load_library())
    seated, prone, ninety = (i.exercise.figure for i in plan.items)
    assert seated.only == "left" and seated.model_copy(update={"only": None}) == SPECS["seated-ir"]
    assert prone.only is None and _prints(figure_ops(prone, COLOUR))
    assert ninety == SPECS["ninety-ninety"]  # both legs work: nothing to mirror or leave off


def _figure_crops(pdf: bytes) -> list:
    """Each figure of the document (a cluster of drawn shapes over 15 mm tall and 5 mm wide),
    cut out of its rendered page in grey, in page order."""
    doc = pypdfium2.PdfDocument(pdf)
    crops = []
    try:
        for page in doc:
            boxes = []
            for obj in page.get_objects(max_depth=0):
                if obj.type == 2:
                    x0, y0, x1, y1 = obj.get_bounds()
                    if min(x1 - x0, y1 - y0) >= 3 and x1 - x0 < 400:
                        boxes.append((x0, y0, x1, y1))
            groups = []
            for b in boxes:
                touching = [g for g in groups if b[0] <= g[2] + 2 and g[0] <= b[2] + 2 and b[1] <= g[3] + 2 and g[1] <= b[3] + 2]
                for g in touching:
                    groups.remove(g)
                    b = (min(b[0], g[0]), min(b[1], g[1]), max(b[2], g[2]), max(b[3], g[3]))
                groups.append(b)
            image = page.render(scale=2, grayscale=True).to_pil().convert("L")
            height = page.get_height()
            for x0, y0, x1, y1 in sorted(groups, key=lambda g: -g[3]):
                if y1 - y0 > 15 * 72 / 25.4 and x1 - x0 > 5 * 72 / 25.4:  # (not a card's side rule)
                    crops.append(image.crop((round(x0 * 2), round((height - y1) * 2), round(x1 * 2), round((height - y0) * 2))))
    finally:
        doc.close()
    return crops


def test_two_cards_of_one_exercise_for_each_leg_show_each_legs_figure():
    """A seated swing for the left leg and another for the right, on one handout: the cards'
    figures are mirror images (each card's figure is named for its leg, seated-ir@left; by the
    exercise id alone both cards showed the same one)."""
    from handout import build_handout, render_markup

    request = HandoutRequest(exercises=("seated-ir:side=left", "seated-ir:side=right"), log_weeks=0, article="none")
    markup = render_markup(request)
    assert 'figure="seated-ir@left"' in markup and 'figure="seated-ir@right"' in markup
    left, right = _figure_crops(build_handout(request))
    assert abs(left.width - right.width) <= 2 and abs(left.height - right.height) <= 2
    width, height = min(left.width, right.width), min(left.height, right.height)

    def gap(a, b):
        return sum(abs(a.getpixel((x, y)) - b.getpixel((x, y))) for x in range(0, width, 2)
                   for y in range(0, height, 2)) / ((width // 2 + 1) * (height // 2 + 1))
    from PIL import ImageOps

    assert gap(left, ImageOps.mirror(right)) * 4 < gap(left, right), (gap(left, ImageOps.mirror(right)), gap(left, right))
