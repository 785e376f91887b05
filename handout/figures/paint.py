"""A list of paint operations in body units, fitted into a box of points as a Drawing.

Widths are ``(body units, outlines)``: a limb is its thickness plus outlines, an outline is
one outline. The outline width scales with the figure and never drops below
``MIN_STROKE_PT``, so a 40 mm card and a 300 mm panel both print every line.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine
from reportlab.lib.colors import HexColor

MIN_STROKE_PT = 0.6
OUTLINE_BODY = 0.0085  # outline width as a fraction of the person's height
PAD_PT = 1.0

Point = tuple[float, float]


@dataclass(frozen=True)
class Op:
    """One thing to paint, in body units (1 = standing height) on the page plane."""

    kind: str  # "line" (round-capped stroke through pts), "poly" (filled, outlined), "circle"
    pts: tuple[Point, ...]
    width: tuple[float, float] = (0.0, 1.0)  # stroke: body units + this many outlines
    stroke: str | None = None
    fill: str | None = None
    radius: float = 0.0  # circles
    opacity: float = 1.0
    dashed: bool = False  # the stroke in dashes three outlines long


def convex_hull(points: list[Point]) -> list[Point]:
    """Andrew's monotone chain; counter-clockwise, no repeated end point."""
    pts = sorted({(round(x, 7), round(y, 7)) for x, y in points})  # rounding kills 1e-17 noise
    if len(pts) <= 2:
        return pts

    def cross(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    upper: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def extents(ops: list[Op]) -> list[tuple[float, float, float, float, float, float]]:
    """Each op's box without its stroke, and its stroke's half width as (body, outlines)."""
    out = []
    for op in ops:
        m, k = (op.width[0] / 2, op.width[1] / 2) if op.stroke else (0.0, 0.0)
        if op.kind == "circle":
            (x, y), r = op.pts[0], op.radius
            out.append((x - r, y - r, x + r, y + r, m, k))
        else:
            xs = [p[0] for p in op.pts]
            ys = [p[1] for p in op.pts]
            out.append((min(xs), min(ys), max(xs), max(ys), m, k))
    return out


def bounds(boxes, outline: float, floor: float) -> tuple[float, float, float, float]:
    """Extents with strokes; ``floor`` is the thinnest stroke, in body units."""
    grow = [max(m + k * outline, floor / 2) if (m or k) else 0.0 for *_, m, k in boxes]
    return (min(b[0] - g for b, g in zip(boxes, grow)), min(b[1] - g for b, g in zip(boxes, grow)),
            max(b[2] + g for b, g in zip(boxes, grow)), max(b[3] + g for b, g in zip(boxes, grow)))


def fit(ops: list[Op], width_pt: float, height_pt: float) -> tuple[float, float, float, float]:
    """Scale (points per body unit), offsets and outline width (body units) to fit the box."""
    room_w, room_h = width_pt - 2 * PAD_PT, height_pt - 2 * PAD_PT
    boxes = extents(ops)
    scale, outline = 1.0, 0.0
    for _ in range(3):
        x0, y0, x1, y1 = bounds(boxes, outline, MIN_STROKE_PT / scale)
        scale = min(room_w / max(x1 - x0, 1e-6), room_h / max(y1 - y0, 1e-6))
        outline = max(MIN_STROKE_PT / scale, OUTLINE_BODY)
    scale *= 0.99  # the last step's strokes grow a little as the scale shrinks
    outline = max(MIN_STROKE_PT / scale, OUTLINE_BODY)
    x0, y0, x1, y1 = bounds(boxes, outline, MIN_STROKE_PT / scale)
    dx = (width_pt - (x1 - x0) * scale) / 2 - x0 * scale
    dy = (height_pt - (y1 - y0) * scale) / 2 - y0 * scale
    return scale, dx, dy, outline


_COLOURS: dict[str, HexColor] = {}


def _colour(hex_colour: str | None):
    if hex_colour is None:
        return None
    if hex_colour not in _COLOURS:
        _COLOURS[hex_colour] = HexColor(hex_colour)
    return _COLOURS[hex_colour]


def to_drawing(ops: list[Op], width_pt: float, height_pt: float) -> Drawing:
    """The ops as ReportLab shapes in a Drawing exactly ``width_pt`` x ``height_pt``."""
    drawing = Drawing(width_pt, height_pt)
    if not ops:
        return drawing
    scale, dx, dy, outline = fit(ops, width_pt, height_pt)

    def xy(p: Point) -> list[float]:
        return [round(p[0] * scale + dx, 1), round(p[1] * scale + dy, 1)]

    for op in ops:
        stroke_w = round(max((op.width[0] + op.width[1] * outline) * scale, MIN_STROKE_PT), 2)
        style = dict(strokeColor=_colour(op.stroke), strokeWidth=stroke_w, strokeLineCap=1)
        if op.opacity < 1:
            style.update(fillOpacity=op.opacity, strokeOpacity=op.opacity)
        if op.dashed:
            dash = round(3 * max(outline * scale, MIN_STROKE_PT), 1)
            style.update(strokeDashArray=[dash, dash * 0.8], strokeLineCap=0)
        if op.kind == "circle":
            x, y = xy(op.pts[0])
            drawing.add(Circle(x, y, round(op.radius * scale, 2), fillColor=_colour(op.fill), **style))
        elif op.kind == "poly":
            drawing.add(Polygon([c for p in op.pts for c in xy(p)], fillColor=_colour(op.fill),
                                strokeLineJoin=1, **style))
        elif len(op.pts) == 2:
            (x1, y1), (x2, y2) = xy(op.pts[0]), xy(op.pts[1])
            drawing.add(Line(x1, y1, x2, y2, **style))
        else:
            drawing.add(PolyLine([c for p in op.pts for c in xy(p)], strokeLineJoin=1, **style))
    return drawing
