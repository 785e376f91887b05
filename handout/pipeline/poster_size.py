"""A poster's type size: the layout at a viewing distance, the longest distance the content
fits at (``--fit``), and, when nothing fits, every way out (a larger size, the other
orientation, fewer exercises, ``--fit``); with sizes and distances written as people say them.
"""

from __future__ import annotations

import dataclasses
import math

from ..markup.parse import Node
from ..model.plan import Plan
from ..model.request import PosterRequest
from ..render.poster import POSTER_SIZES_PT, SIZE_LABELS, PosterLayout, compose, page_size_pt
from ..render.poster_theme import DoesNotFit, PosterTheme
from .steps import render_context

POSTER_TEMPLATE = "poster.xml.j2"
FIT_STEP_M = 0.05  # --fit looks for the longest readable distance on this grid
MIN_FIT_FRACTION = 0.1  # and gives up below a tenth of the design distance


def size_label(size: str, landscape: bool) -> str:
    """How a user names a poster: "A1 portrait", "18x24 in landscape"."""
    return f"{SIZE_LABELS[size]} {'landscape' if landscape else 'portrait'}"


def metres(value: float) -> str:
    """A distance for people, never rounded up: "2.0 m", "1.35 m"."""
    text = f"{math.floor(value * 100 + 1e-6) / 100:.2f}"
    return (text[:-1] if text.endswith("0") else text) + " m"


def layout_at(tree: Node, plan: Plan, size: str, landscape: bool, distance_m: float) -> PosterLayout:
    """The poster laid out for text readable from ``distance_m`` (raises DoesNotFit)."""
    page = page_size_pt(size, landscape)
    theme = PosterTheme(plan.clinic.brand_color, False, plan.greyscale, distance_m)
    return compose(tree, render_context(plan, theme, page[0], page[1], POSTER_TEMPLATE), page)


def fits(tree, plan, size, landscape, distance_m) -> bool:
    try:
        layout_at(tree, plan, size, landscape, distance_m)
    except DoesNotFit:
        return False
    return True


def fit_distance(tree, plan, size, landscape, distance_m) -> float | None:
    """The longest distance (on a FIT_STEP_M grid, at most ``distance_m``) the poster fits at."""
    lo, hi = 1, int(distance_m / FIT_STEP_M + 1e-9)  # in steps
    floor = max(1, int(distance_m * MIN_FIT_FRACTION / FIT_STEP_M))
    if not fits(tree, plan, size, landscape, floor * FIT_STEP_M):
        return None
    lo = floor
    while lo < hi:  # invariant: fits at lo
        mid = (lo + hi + 1) // 2
        if fits(tree, plan, size, landscape, mid * FIT_STEP_M):
            lo = mid
        else:
            hi = mid - 1
    return round(lo * FIT_STEP_M, 2)


def _with_panels(tree: Node, count: int) -> Node:
    """The tree with only the first ``count`` exercise panels (to find how many would fit)."""
    def cut(node: Node) -> Node:
        if node.tag == "poster-grid":
            panels = [c for c in node.children if isinstance(c, Node)][:count]
            return dataclasses.replace(node, children=panels)
        return dataclasses.replace(node, children=[cut(c) if isinstance(c, Node) else c for c in node.children])
    return cut(tree)


def _panel_count(tree: Node) -> int:
    return sum(1 for grid in tree.find_all("poster-grid") for c in grid.children if isinstance(c, Node))


def cannot_fit_message(tree: Node, plan: Plan, request: PosterRequest) -> str:
    """Why the poster does not fit, and every way out: a larger size, fewer exercises, --fit."""
    size, landscape, d = request.size, request.landscape, request.viewing_distance_m
    count = _panel_count(tree)
    what = f"{count} exercise{'s' if count != 1 else ''} do{'es' if count == 1 else ''} not fit"
    head = f"{what} on {size_label(size, landscape)} at {metres(d)}"
    area = POSTER_SIZES_PT[size][0] * POSTER_SIZES_PT[size][1]
    options = []
    larger = [s for s, (w, h) in sorted(POSTER_SIZES_PT.items(), key=lambda kv: kv[1][0] * kv[1][1])
              if w * h > area]
    fitting = [s for s in larger if fits(tree, plan, s, landscape, d)]
    if fitting:
        names = [SIZE_LABELS[s] for s in fitting]
        if fitting == larger[-len(fitting):]:
            options.append(f"use {names[0]} or larger" if len(names) > 1 else f"use {names[0]}")
        else:
            options.append("use " + " or ".join(names))
    if fits(tree, plan, size, not landscape, d):
        options.append(f"turn it {'portrait' if landscape else 'landscape'}")
    fewer = next((n for n in range(count - 1, 0, -1) if fits(_with_panels(tree, n), plan, size, landscape, d)), 0)
    if fewer:
        options.append(f"at most {fewer} exercise{'s' if fewer != 1 else ''}")
    fit_d = fit_distance(tree, plan, size, landscape, d)
    if fit_d:
        options.append(f"--fit to read it from {metres(fit_d)}")
    if not options:
        return f"{head}: use a larger poster or a shorter viewing distance"
    return f"{head}: " + (", ".join(options[:-1]) + ", or " + options[-1] if len(options) > 1 else options[0])
