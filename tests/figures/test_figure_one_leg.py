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
