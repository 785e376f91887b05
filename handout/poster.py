"""A wall poster, stage by stage: PosterRequest -> Plan -> markup -> element tree -> one page.

The layout (``render/poster.py``) says whether the content fits at a type size; this module
decides the size: the one the viewing distance asks for, or with ``fit`` the largest that
fits. When nothing fits it says what would: a larger poster, fewer exercises, or ``--fit``.
Nothing here touches the filesystem, prints or exits.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass

from reportlab.platypus.doctemplate import LayoutError as RLLayoutError

from .errors import LayoutError, MarkupError, RequestError
from .markup.environment import render_template
from .markup.parse import Node
from .model.library import Library, load_library
from .model.plan import Plan, resolve_handout
from .model.request import HandoutRequest, PosterRequest
from .pipeline import check_tree_text, check_request_text, layout_failure
from .render import blocks, components  # noqa: F401  (registers the tag handlers)
from .render.fonts import REGULAR, x_height
from .render.handlers import RenderContext
from .render.reuse import Reuse, current
from .render.poster import (POSTER_SIZES_PT, SIZE_LABELS, DoesNotFit, PosterLayout, PosterTheme, compose,
                            page_size_pt, readable_distance_m, render_poster)

POSTER_TEMPLATE = "poster.xml.j2"
FIT_STEP_M = 0.05  # --fit looks for the longest readable distance on this grid
MIN_FIT_FRACTION = 0.1  # and gives up below a tenth of the design distance


@dataclass(frozen=True)
class PosterBuilt:
    """A finished poster and what a user needs to know about it."""

    pdf: bytes
    readable_from_m: float  # the distance the smallest text can be read from
    smallest_x_height_mm: float
    grid: tuple[int, int]  # (columns, rows)
    size_name: str  # "a1", "18x24in", ...
    landscape: bool
    page_size_pt: tuple[float, float]
    viewing_distance_m: float  # the distance asked for
    fitted: bool  # True when --fit made the text smaller than the distance asked for
    exercises: int
    figure_boxes: tuple[tuple[float, float, float, float], ...]  # (x, y, w, h) in page points
    markup: str

    @property
    def label(self) -> str:
        return size_label(self.size_name, self.landscape)


def size_label(size: str, landscape: bool) -> str:
    """How a user names a poster: "A1 portrait", "18x24 in landscape"."""
    return f"{SIZE_LABELS[size]} {'landscape' if landscape else 'portrait'}"


def metres(value: float) -> str:
    """A distance for people, never rounded up: "2.0 m", "1.35 m"."""
    text = f"{math.floor(value * 100 + 1e-6) / 100:.2f}"
    return (text[:-1] if text.endswith("0") else text) + " m"


def plan_poster(request: PosterRequest, library: Library | None = None) -> Plan:
    """Stage 1: the poster request, checked and resolved against the library."""
    if request.size not in POSTER_SIZES_PT:
        raise RequestError(f'"{request.size}" is not a poster size; use one of {", ".join(POSTER_SIZES_PT)}', "size")
    check_request_text(request)
    library = library or load_library(request.content_dirs)
    handout = HandoutRequest(program=request.program, exercises=request.exercises, clinic=request.clinic,
                             qr=request.qr, greyscale=request.greyscale, content_dirs=request.content_dirs,
                             template_dirs=request.template_dirs)
    return dataclasses.replace(resolve_handout(handout, library), kind="poster")


def first_sentence(text: str) -> str:
    """The program's "why", cut to its first sentence: a poster has room for one line."""
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip())
    return match.group(1) if match else text.strip()


def poster_markup(plan: Plan, request: PosterRequest) -> str:
    """Stage 2: the Plan through the sandboxed poster template."""
    ctx = plan.context()
    ctx["poster"] = {"why": first_sentence(plan.why), "size": size_label(request.size, request.landscape),
                     "viewing_distance_m": request.viewing_distance_m}
    return render_template(POSTER_TEMPLATE, ctx, plan.template_dirs)


def _render_context(plan: Plan, theme: PosterTheme, page) -> RenderContext:
    image_dirs = tuple(p for p in (plan.clinic.base_dir,) if p)
    return RenderContext(theme, page[0], page[1], POSTER_TEMPLATE,
                         {i.exercise.id: (i.exercise, i.base_dir) for i in plan.items}, plan.date,
                         image_dirs=image_dirs)


def _layout(tree: Node, plan: Plan, size: str, landscape: bool, distance_m: float) -> PosterLayout:
    """The poster laid out for text readable from ``distance_m`` (raises DoesNotFit)."""
    page = page_size_pt(size, landscape)
    theme = PosterTheme(plan.clinic.brand_color, False, plan.greyscale, distance_m)
    return compose(tree, _render_context(plan, theme, page), page)


def _fits(tree, plan, size, landscape, distance_m) -> bool:
    try:
        _layout(tree, plan, size, landscape, distance_m)
    except DoesNotFit:
        return False
    return True


def _fit_distance(tree, plan, size, landscape, distance_m) -> float | None:
    """The longest distance (on a FIT_STEP_M grid, at most ``distance_m``) the poster fits at."""
    lo, hi = 1, int(distance_m / FIT_STEP_M + 1e-9)  # in steps
    floor = max(1, int(distance_m * MIN_FIT_FRACTION / FIT_STEP_M))
    if not _fits(tree, plan, size, landscape, floor * FIT_STEP_M):
        return None
    lo = floor
    while lo < hi:  # invariant: fits at lo
        mid = (lo + hi + 1) // 2
        if _fits(tree, plan, size, landscape, mid * FIT_STEP_M):
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
    fitting = [s for s in larger if _fits(tree, plan, s, landscape, d)]
    if fitting:
        names = [SIZE_LABELS[s] for s in fitting]
        if fitting == larger[-len(fitting):]:
            options.append(f"use {names[0]} or larger" if len(names) > 1 else f"use {names[0]}")
        else:
            options.append("use " + " or ".join(names))
    if _fits(tree, plan, size, not landscape, d):
        options.append(f"turn it {'portrait' if landscape else 'landscape'}")
    fewer = next((n for n in range(count - 1, 0, -1) if _fits(_with_panels(tree, n), plan, size, landscape, d)), 0)
    if fewer:
        options.append(f"at most {fewer} exercise{'s' if fewer != 1 else ''}")
    fit_d = _fit_distance(tree, plan, size, landscape, d)
    if fit_d:
        options.append(f"--fit to read it from {metres(fit_d)}")
    if not options:
        return f"{head}: use a larger poster or a shorter viewing distance"
    return f"{head}: " + (", ".join(options[:-1]) + ", or " + options[-1] if len(options) > 1 else options[0])


def _smallest_x_height_mm(theme: PosterTheme) -> float:
    """The smallest x-height on the poster: body text in the regular weight (every other
    style is as large or larger, and bold's x-height ratio is the larger)."""
    return theme.sizes["body"] * x_height(REGULAR) * 25.4 / 72


def build_poster_document(request: PosterRequest, library: Library | None = None,
                          reuse: Reuse | None = None) -> PosterBuilt:
    """The whole poster pipeline, with what the user needs to hear: grid, readable distance
    (``reuse``: the caches to use; the process's own when None)."""
    reuse = reuse or current()
    with reuse.active():
        return _build_poster_document(request, library, reuse)


def _build_poster_document(request: PosterRequest, library: Library | None, reuse: Reuse) -> PosterBuilt:
    plan = plan_poster(request, library)
    markup = poster_markup(plan, request)
    tree = reuse.parse(markup, POSTER_TEMPLATE)
    check_tree_text(tree, POSTER_TEMPLATE)
    if tree.attrs.get("kind") != "poster":
        raise MarkupError('a poster template starts with <document kind="poster">', POSTER_TEMPLATE, tree.line)
    size, landscape, d = request.size, request.landscape, request.viewing_distance_m
    distance = d
    try:
        try:
            layout = _layout(tree, plan, size, landscape, d)
        except DoesNotFit:
            distance = _fit_distance(tree, plan, size, landscape, d) if request.fit else None
            if distance is None:
                raise LayoutError(cannot_fit_message(tree, plan, request)) from None
            layout = _layout(tree, plan, size, landscape, distance)
        pdf = render_poster(layout, dict(tree.attrs))
    except (ValueError, RLLayoutError) as exc:  # ReportLab could not place something a template asked for
        raise layout_failure(exc, POSTER_TEMPLATE) from None
    smallest = _smallest_x_height_mm(layout.theme)
    a = layout.grid.arrangement
    return PosterBuilt(
        pdf=pdf, readable_from_m=readable_distance_m(smallest), smallest_x_height_mm=smallest,
        grid=(a.cols, a.rows), size_name=size, landscape=landscape, page_size_pt=layout.page,
        viewing_distance_m=d, fitted=distance < d, exercises=len(layout.grid.panels),
        figure_boxes=tuple(layout.figure_boxes_on_page()), markup=markup,
    )


def build_poster(request: PosterRequest, reuse: Reuse | None = None) -> bytes:
    """A wall poster as PDF bytes: exactly one page."""
    return build_poster_document(request, reuse=reuse).pdf
