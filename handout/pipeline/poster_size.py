"""A poster's type size: the layout at a viewing distance, with the full poster steps or the
short cues; the longest distance the content fits at (the default, and ``--fit``); and,
when nothing fits, every way out (a larger size, the other orientation, fewer exercises,
``--fit``), with sizes as ``--size`` takes them and distances as people say them.
"""

from __future__ import annotations

import dataclasses
import math

from ..markup.parse import Node
from ..model.plan import Plan
from ..model.request import PosterRequest
from ..render.poster import PosterLayout, compose, page_size_pt
from ..model.poster_sizes import POSTER_SIZES_PT, SIZE_LABELS
from ..render.poster_theme import DoesNotFit, PosterTheme
from .steps import render_context

POSTER_TEMPLATE = "poster.xml.j2"
DEFAULT_DISTANCE_M = 2.0  # without --viewing-distance, type reads from up to here
FIT_STEP_M = 0.05  # --fit looks for the longest readable distance on this grid
MIN_FIT_FRACTION = 0.1  # and gives up below a tenth of the design distance
LOOK_FURTHER = 3  # steps past the binary search's answer tried as well


def size_label(size: str, landscape: bool) -> str:
    """How a user names a poster: "A1 portrait", "18x24 in landscape"."""
    return f"{SIZE_LABELS[size]} {'landscape' if landscape else 'portrait'}"


def metres(value: float) -> str:
    """A distance for people, never rounded up: "2.0 m", "1.35 m"."""
    text = f"{math.floor(value * 100 + 1e-6) / 100:.2f}"
    return (text.removesuffix("0")) + " m"


def layout_at(tree: Node, plan: Plan, size: str, landscape: bool, distance_m: float,
              memo: dict | None = None) -> PosterLayout:
    """The poster laid out for text readable from ``distance_m`` (raises DoesNotFit; ``memo``:
    the steps' heights measured at other distances, see ``render.poster_rows.Measure``)."""
    page = page_size_pt(size, landscape)
    theme = PosterTheme(plan.clinic.brand_color, False, plan.greyscale, distance_m)
    return compose(tree, render_context(plan, theme, page[0], page[1], POSTER_TEMPLATE), page, memo)


class Trees(tuple):
    """The poster's element trees (full poster steps, then the short cues), and what one
    build has measured of their steps (kept for every distance the search tries)."""

    def __new__(cls, trees, memo: dict | None = None):
        made = super().__new__(cls, trees)
        made.memo = {} if memo is None else memo
        return made


def fits(trees: Trees, plan, size, landscape, distance_m) -> int | None:
    """Which tree (0: full steps, 1: short cues) first fits at ``distance_m``, or None."""
    for which, tree in enumerate(trees):
        try:
            layout_at(tree, plan, size, landscape, distance_m, trees.memo)
        except DoesNotFit:
            continue
        return which
    return None


def fit_distance(trees: Trees, plan, size, landscape, distance_m) -> float | None:
    """The longest distance (on a FIT_STEP_M grid, at most ``distance_m``) any tree fits at."""
    hi = int(distance_m / FIT_STEP_M + 1e-9)  # in steps
    lo = max(1, int(distance_m * MIN_FIT_FRACTION / FIT_STEP_M))
    if fits(trees, plan, size, landscape, lo * FIT_STEP_M) is None:
        return None
    top = hi
    while lo < hi:  # invariant: fits at lo
        mid = (lo + hi + 1) // 2
        if fits(trees, plan, size, landscape, mid * FIT_STEP_M) is not None:
            lo = mid
        else:
            hi = mid - 1
    # the panels' rows are found by search, so fitting is not quite monotone in the distance:
    # a step or two further may fit again
    lo = max([k for k in range(lo + 1, min(lo + LOOK_FURTHER, top) + 1)
              if fits(trees, plan, size, landscape, k * FIT_STEP_M) is not None], default=lo)
    return round(lo * FIT_STEP_M, 2)


def choose(trees: Trees, plan, size, landscape, distance_m, stretch: bool, farthest: bool = False
           ) -> tuple[int, float] | None:
    """(tree, distance): at ``distance_m`` the full steps, else the short cues. With
    ``stretch``, when neither fits there, the full steps at the longest distance they fit
    (else the cues at theirs), or with ``farthest`` whichever reads from further (--fit:
    closest to the distance asked)."""
    which = fits(trees, plan, size, landscape, distance_m)
    if which is not None:
        return which, distance_m
    if not stretch:
        return None
    best = None
    for which, tree in enumerate(trees):
        d = fit_distance(Trees((tree,), trees.memo), plan, size, landscape, distance_m)
        if d is not None and (best is None or d > best[1]):
            best = which, d
            if not farthest:
                break
    return best


def _with_panels(trees: Trees, count: int) -> Trees:
    """The trees with only the first ``count`` exercise panels (to find how many would fit)."""
    def cut(node: Node) -> Node:
        if node.tag == "poster-grid":
            panels = [c for c in node.children if isinstance(c, Node)][:count]
            return dataclasses.replace(node, children=panels)
        return dataclasses.replace(node, children=[cut(c) if isinstance(c, Node) else c for c in node.children])
    return Trees((cut(tree) for tree in trees), trees.memo)


def _panel_count(tree: Node) -> int:
    return sum(1 for grid in tree.find_all("poster-grid") for c in grid.children if isinstance(c, Node))


def cannot_fit_message(trees: Trees, plan: Plan, request: PosterRequest) -> str:
    """Why the poster does not fit, and every way out: a larger size (as ``--size`` takes it),
    fewer exercises, --fit."""
    size, landscape = request.size, request.landscape
    d = request.viewing_distance_m
    count = _panel_count(trees[0])
    what = f"{count} exercise{'s' if count != 1 else ''} do{'es' if count == 1 else ''} not fit"
    if d is None:  # not even at a tenth of the default distance
        return f"{what} on {size_label(size, landscape)}: use a larger --size or fewer exercises"
    head = f"{what} on {size_label(size, landscape)} at {metres(d)}"
    area = POSTER_SIZES_PT[size][0] * POSTER_SIZES_PT[size][1]
    options = []
    larger = [s for s, (w, h) in sorted(POSTER_SIZES_PT.items(), key=lambda kv: kv[1][0] * kv[1][1])
              if w * h > area]
    fitting = [s for s in larger if fits(trees, plan, s, landscape, d) is not None]
    if fitting:
        if fitting == larger[-len(fitting):]:
            options.append(f"use --size {fitting[0]}" + (" or larger" if len(fitting) > 1 else ""))
        else:
            options.append("use --size " + " or ".join(fitting))
    if fits(trees, plan, size, not landscape, d) is not None:
        options.append("drop --landscape" if landscape else "add --landscape")
    fewer = next((n for n in range(count - 1, 0, -1)
                  if fits(_with_panels(trees, n), plan, size, landscape, d) is not None), 0)
    if fewer:
        options.append(f"at most {fewer} exercise{'s' if fewer != 1 else ''}")
    fit_d = fit_distance(trees, plan, size, landscape, d)
    if fit_d:
        options.append(f"--fit to read it from {metres(fit_d)}")
    if not options:
        return f"{head}: use a larger --size or a shorter --viewing-distance"
    return f"{head}: " + (", ".join(options[:-1]) + ", or " + options[-1] if len(options) > 1 else options[0])
