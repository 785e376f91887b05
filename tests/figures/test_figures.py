"""Exercise figures: pose validation, the direction rule from computed joints, drawing inside
its box at card and poster size, pixels and vectors (own pictures and the review sheet are
in ``test_figure_pictures``).

The direction checks read the real ``figure:`` blocks of content/exercises/*.yaml.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
import yaml
from PIL import Image as PILImage
from pydantic import ValidationError
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Group, Line
from reportlab.pdfgen.canvas import Canvas

from handout.errors import FigureError
from handout.figures import FigureStyle, build_figure, pose_points
from handout.model.content import Exercise
from handout.model.pose import MOTIONS, FigureSpec

EXERCISES = Path(__file__).resolve().parents[2] / "content" / "exercises"
MM = 72 / 25.4
STYLE = FigureStyle.from_brand("#1F6F8B")


def _exercise_files() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(EXERCISES.glob("*.yaml"))}


DATA = _exercise_files()
SPECS = {name: FigureSpec.model_validate(d["figure"]) for name, d in DATA.items() if d.get("figure")}


def _spec(**changes) -> dict:
    base = {"posture": "seated", "view": "front", "moving": "right_foot",
            "start": {"right_hip_ir": 0}, "end": {"right_hip_ir": 35}}
    base.update(changes)
    return base


# --- validation -------------------------------------------------------------------------

def test_unknown_joint_error_reaches_the_key():
    with pytest.raises(ValidationError) as info:
        FigureSpec.model_validate(_spec(start={"right_hip_irr": 10}))
    (error,) = info.value.errors()
    assert error["loc"] == ("start", "right_hip_irr", "[key]")
    assert "unknown joint" in error["msg"] and "right_hip_ir" in error["msg"]


def test_angle_out_of_range_names_the_joint_and_range():
    with pytest.raises(ValidationError) as info:
        FigureSpec.model_validate(_spec(end={"right_knee_flexion": 170}))
    (error,) = info.value.errors()
    assert error["loc"] == ("end",)
    assert "right_knee_flexion: 170 is outside the knee's flexion range" in error["msg"]
    assert "135" in error["msg"]


def test_negative_rotation_points_to_the_opposite_motion():
    with pytest.raises(ValidationError, match="right_hip_ir: -10 .* use right_hip_er"):
        FigureSpec.model_validate(_spec(end={"right_hip_ir": -10}))


def test_opposite_motions_together_are_an_error():
    with pytest.raises(ValidationError, match="right_hip_er and right_hip_ir are opposite motions"):
        FigureSpec.model_validate(_spec(end={"right_hip_ir": 10, "right_hip_er": 5}))


def test_band_without_anchor_names_the_joint():
    with pytest.raises(ValidationError) as info:
        FigureSpec.model_validate(_spec(props=[{"kind": "band", "from": "right_ankle"}]))
    (error,) = info.value.errors()
    assert error["loc"] == ("props", 0)
    assert "band from right_ankle has no anchor" in error["msg"]


def test_unknown_prop_and_view_are_errors_at_their_place():
    with pytest.raises(ValidationError) as info:
        FigureSpec.model_validate(_spec(props=["chair", "sofa"], view="diagonal"))
    locs = {e["loc"] for e in info.value.errors()}
    assert ("props", 1, "kind") in locs and ("view",) in locs


def test_moving_without_end_and_push_with_end_are_errors():
    with pytest.raises(ValidationError, match="needs an end"):
        FigureSpec.model_validate(_spec(end=None))
    with pytest.raises(ValidationError, match="holds still"):
        FigureSpec.model_validate(_spec(push="right_hip_ir"))


def test_spec_is_frozen_and_hashable():
    spec = FigureSpec.model_validate(_spec(props=["chair", {"kind": "band", "from": "right_ankle",
                                                             "to": "left_ankle"}]))
    assert hash(spec) == hash(FigureSpec.model_validate(spec.model_dump(by_alias=True)))
    with pytest.raises(ValidationError):
        spec.view = "back"
    assert spec.model_dump()["start"] == {"right_hip_ir": 0.0}


def test_exercise_model_carries_the_figure_error_path():
    data = dict(DATA["seated-ir"])
    data["figure"] = _spec(start={"hipp": 3})
    with pytest.raises(ValidationError) as info:
        Exercise.model_validate(data)
    assert info.value.errors()[0]["loc"] == ("figure", "start", "hipp", "[key]")


def test_loader_reports_file_and_line_of_a_bad_joint(tmp_path):
    library = pytest.importorskip("handout.model.library")
    from handout.errors import ContentError

    text = (EXERCISES / "seated-ir.yaml").read_text(encoding="utf-8")
    text = text.replace("  end: {right_hip_ir: 35}\n", "  end:\n    right_hip_ir: 35\n    hipp_ir: 3\n")
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "seated-ir.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index("    hipp_ir: 3") + 1
    with pytest.raises(ContentError) as info:
        library.load_library((tmp_path,))
    message = str(info.value)
    assert f"seated-ir.yaml:{line}:" in message and "figure.end.hipp_ir" in message


# --- the direction rule, from computed joint positions ------------------------------------

def _off_midline(points: dict, joint: str) -> float:
    return abs(points[joint][0] - points["midline"][0])


def _points(spec: FigureSpec) -> tuple[dict, dict]:
    """Start and end joints in the figure's view, squared up (no ``turn``) so the body's
    midline is the vertical line through ``midline`` in a front or back view. A side view
    (E7 since the seventh round) shows left and right in depth, so it is checked from behind."""
    view = "back" if spec.view in ("left", "right", "side") else spec.view
    square = FigureSpec.model_validate({**spec.model_dump(by_alias=True), "turn": 0, "view": view})
    return pose_points(square, "start"), pose_points(square, "end")


def _foot_swings_out(spec: FigureSpec, side: str) -> None:
    start, end = _points(spec)
    assert _off_midline(end, f"{side}_ankle") > _off_midline(start, f"{side}_ankle") + 0.05
    assert math.dist(start[f"{side}_knee"], end[f"{side}_knee"]) < 0.02  # the knee stays


def check_e1_e3_e6_e10_e11(spec):
    """Knee bent, one hip turns in: that foot moves away from the midline, its knee stays."""
    _foot_swings_out(spec, "right")


def check_e7(spec):
    """Both hips turn in: both feet fall out, away from the midline."""
    _foot_swings_out(spec, "right")
    _foot_swings_out(spec, "left")


def check_e2(spec):
    """Isometric: no motion; the push (the hip turning in) would move the foot outward."""
    assert spec.end is None and spec.push == "right_hip_ir" and "wall" in {p.kind for p in spec.props}
    seen_from_front = {"view": "front", "tilt": 0, "turn": 0}
    trial = FigureSpec.model_validate({**spec.model_dump(by_alias=True, exclude={"push"}),
                                       **seen_from_front, "end": {"right_hip_ir": 20}})
    _foot_swings_out(trial, "right")
    from handout.figures.arrows import push_path
    from handout.figures.kinematics import Camera

    front = FigureSpec.model_validate({**spec.model_dump(by_alias=True), **seen_from_front})
    (x0, _), (x1, _) = push_path(front, "right_foot", Camera.for_spec(front))
    assert x1 < x0  # the push arrow points to the person's right: outward


def check_e4(spec):
    """Knees tip to one side together; the foot of the leg turning in stays outward of its knee.

    Seen from above, whatever view the figure uses (it may be drawn from the side)."""
    spec = FigureSpec.model_validate({**spec.model_dump(by_alias=True), "view": "top", "tilt": None})
    start, end = _points(spec)
    shift = [end[f"{s}_knee"][0] - start[f"{s}_knee"][0] for s in ("right", "left")]
    assert all(abs(d) > 0.05 for d in shift) and shift[0] * shift[1] > 0
    inward = "left" if spec.end_angles.get("left_hip_ir") else "right"
    outward = math.copysign(1, start[f"{inward}_hip"][0] - start["midline"][0])
    assert (end[f"{inward}_ankle"][0] - end[f"{inward}_knee"][0]) * outward > 0.05
    for side in ("right", "left"):  # the feet stay planted
        assert math.dist(start[f"{side}_ankle"], end[f"{side}_ankle"]) < 0.03


def check_e5(spec):
    """Heels stay down and both knees turn together to the other side (as E4, sitting): the
    hip that ends turned in has its foot outward of its knee, the feet stay planted. (Until
    the sixth round the feet switched places; the fifth reader saw the legs tangle.)"""
    check_e4(spec)


def check_e8(spec):
    """Side-lying: the top foot rises while the knees stay together."""
    start, end = _points(spec)
    assert end["right_ankle"][1] > start["right_ankle"][1] + 0.05
    assert math.dist(end["right_knee"], end["left_knee"]) < 0.15
    assert math.dist(start["right_knee"], end["right_knee"]) < 0.02


def check_e9(spec):
    """Side-lying, top knee held up at hip height: it stays there and the top foot rises."""
    start, end = _points(spec)
    assert end["right_ankle"][1] > start["right_ankle"][1] + 0.05
    assert math.dist(start["right_knee"], end["right_knee"]) < 0.02
    assert abs(end["right_knee"][1] - end["right_hip"][1]) < 0.06  # knee level with the hip


def check_e12(spec):
    """Hip airplane: seen from above, the pelvis turns toward the standing (left) leg."""
    from handout.figures.arrows import turn_hoop
    from handout.figures.kinematics import Camera

    assert spec.moving == ("pelvis",) and turn_hoop(spec, Camera.for_spec(spec))[0]
    spec = FigureSpec.model_validate({**spec.model_dump(by_alias=True), "view": "top", "tilt": None})
    start, end = _points(spec)
    toward_standing = math.copysign(1, start["left_hip"][0] - start["right_hip"][0])
    assert (end["head"][0] - start["head"][0]) * toward_standing > 0.05
    a = (start["right_hip"][0] - start["left_hip"][0], start["right_hip"][1] - start["left_hip"][1])
    b = (end["right_hip"][0] - end["left_hip"][0], end["right_hip"][1] - end["left_hip"][1])
    turn = math.degrees(math.atan2(a[0] * b[1] - a[1] * b[0], a[0] * b[0] + a[1] * b[1]))
    assert abs(turn) > 15  # the hip line turns, the standing foot stays
    assert math.dist(start["left_ankle"], end["left_ankle"]) < 0.01


CHECKS = {
    "seated-ir": check_e1_e3_e6_e10_e11, "seated-ir-isometric": check_e2,
    "seated-ir-band": check_e1_e3_e6_e10_e11, "windshield-wipers": check_e4, "ninety-ninety": check_e5,
    "prone-ir": check_e1_e3_e6_e10_e11, "prone-ir-stretch": check_e7, "reverse-clamshell": check_e8,
    "side-lying-raised-ir": check_e9, "hands-knees-ir": check_e1_e3_e6_e10_e11,
    "standing-ir-band": check_e1_e3_e6_e10_e11, "hip-airplane": check_e12,
}


def test_every_internal_rotation_exercise_has_pose_data_and_a_check():
    ir = {name for name, d in DATA.items() if d.get("internal_rotation", True)}
    assert len(ir) >= 12
    assert ir <= set(SPECS), f"no figure: block in {sorted(ir - set(SPECS))}"
    assert ir <= set(CHECKS), f"no direction check for {sorted(ir - set(CHECKS))}"


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_direction_rule(name):
    CHECKS[name](SPECS[name])


def test_the_rule_holds_in_every_view_for_a_seated_foot_swing():
    for view, tilt in (("front", 0), ("back", 0), ("front", 30), ("back", 45)):
        _foot_swings_out(FigureSpec.model_validate(_spec(view=view, tilt=tilt)), "right")
    turned_out = FigureSpec.model_validate(_spec(end={"right_hip_er": 30}))
    start, end = _points(turned_out)
    assert end["right_ankle"][0] > start["right_ankle"][0] + 0.05  # ER: the foot swings inward


def test_pose_points_rejects_an_unknown_pose():
    with pytest.raises(ValueError):
        pose_points(SPECS["seated-ir"], "middle")


# --- drawing ------------------------------------------------------------------------------

def _shapes(node):
    for shape in node.contents:
        if isinstance(shape, Group):
            yield from _shapes(shape)
        else:
            yield shape


def _extent(shape) -> tuple[float, float, float, float]:
    """A shape's box including half its stroke."""
    half = (shape.strokeWidth / 2) if shape.strokeColor is not None else 0.0
    if isinstance(shape, Circle):
        r = shape.r + half
        return shape.cx - r, shape.cy - r, shape.cx + r, shape.cy + r
    if isinstance(shape, Line):
        xs, ys = (shape.x1, shape.x2), (shape.y1, shape.y2)
    else:
        xs, ys = shape.points[0::2], shape.points[1::2]
    return min(xs) - half, min(ys) - half, max(xs) + half, max(ys) + half


@pytest.mark.parametrize("name", sorted(SPECS))
@pytest.mark.parametrize("width_mm,height_mm", [(40, 32), (300, 240), (40, 60)])
def test_figure_stays_inside_its_box(name, width_mm, height_mm):
    w, h = width_mm * MM, height_mm * MM
    drawing = build_figure(name, SPECS[name], None, None, w, h, STYLE)
    assert isinstance(drawing, Drawing) and (drawing.width, drawing.height) == (w, h)
    assert drawing.wrap(w, h) == (w, h)
    x0, y0, x1, y1 = drawing.getBounds()
    assert 0 <= x0 and 0 <= y0 and x1 <= w and y1 <= h
    for shape in _shapes(drawing):
        a, b, c, d = _extent(shape)
        assert -0.01 <= a and -0.01 <= b and c <= w + 0.01 and d <= h + 0.01, (name, shape)
        if shape.strokeColor is not None:
            assert shape.strokeWidth >= 0.6  # no line too thin to print


def test_strokes_scale_with_the_figure():
    small = build_figure("seated-ir", SPECS["seated-ir"], None, None, 40 * MM, 40 * MM, STYLE)
    large = build_figure("seated-ir", SPECS["seated-ir"], None, None, 300 * MM, 300 * MM, STYLE)
    widest = [max(s.strokeWidth for s in _shapes(d)) for d in (small, large)]
    assert 6 < widest[1] / widest[0] < 9


def _render_one(drawing: Drawing) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(drawing.width, drawing.height), invariant=1)
    renderPDF.draw(drawing, canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _pixels(pdf_bytes: bytes, scale: float = 2.0) -> PILImage.Image:
    pdf = pypdfium2.PdfDocument(pdf_bytes)
    try:
        return pdf[0].render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()


def _near(colour: tuple[int, int, int], hex_colour: str, tolerance: int = 6) -> bool:
    target = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return all(abs(a - b) <= tolerance for a, b in zip(colour, target))


def test_pixels_show_a_body_and_both_poses():
    w, h = 80 * MM, 70 * MM
    image = _pixels(_render_one(build_figure("seated-ir", SPECS["seated-ir"], None, None, w, h, STYLE)))
    counts = image.getcolors(maxcolors=1 << 20)
    dark = sum(n for n, c in counts if sum(c) < 200)
    assert dark > 500  # the outlines
    assert sum(n for n, c in counts if _near(c, STYLE.pale)) > 200  # start pose
    assert sum(n for n, c in counts if _near(c, STYLE.body)) > 2000  # end pose
    middle = image.crop((image.width // 3, image.height // 4, 2 * image.width // 3, 3 * image.height // 4))
    assert sum(n for n, c in middle.getcolors(maxcolors=1 << 20) if sum(c) < 200) > 100  # the body


def test_greyscale_has_no_colour_and_keeps_the_poses_apart():
    grey = FigureStyle.from_brand("#1F6F8B", greyscale=True)
    image = _pixels(_render_one(build_figure("prone-ir", SPECS["prone-ir"], None, None, 200, 160, grey)))
    colours = image.getcolors(maxcolors=1 << 20)
    assert all(max(c) - min(c) <= 2 for _, c in colours)
    assert sum(n for n, c in colours if _near(c, grey.pale, 3)) > 100
    assert sum(n for n, c in colours if _near(c, grey.body, 3)) > 500
    lightness = {name: int(getattr(grey, name)[1:3], 16) for name in ("pale", "body", "ink")}
    assert lightness["pale"] - lightness["body"] > 50 and lightness["body"] - lightness["ink"] > 100


def _object_types(pdf_bytes: bytes) -> list[int]:
    pdf = pypdfium2.PdfDocument(pdf_bytes)
    try:
        return [obj.type for obj in pdf[0].get_objects()]
    finally:
        pdf.close()


def test_pose_figure_is_vector_paths_only_and_small():
    data = _render_one(build_figure("windshield-wipers", SPECS["windshield-wipers"], None, None, 300, 240, STYLE))
    types = _object_types(data)
    assert types and set(types) == {pdfium_c.FPDF_PAGEOBJ_PATH}
    assert len(data) < 8000


def test_no_figure_and_no_image_is_an_error():
    with pytest.raises(FigureError, match="exercise lonely has no figure or image"):
        build_figure("lonely", None, None, None, 100, 100, STYLE)


def test_style_from_brand_checks_the_colour():
    with pytest.raises(ValueError):
        FigureStyle.from_brand("teal")
    pale_brand = FigureStyle.from_brand("#FFEE88")
    assert int(pale_brand.arrow[1:3], 16) < 0xE0  # a pale brand still gives a visible arrow


def test_every_motion_has_a_range_from_figures_md():
    assert MOTIONS["right_hip_ir"].high == 45 and MOTIONS["left_knee_flexion"].high == 135
    assert MOTIONS["trunk_flexion"].high == 90 and MOTIONS["right_elbow_flexion"].high == 145
