"""A wall poster, stage by stage: PosterRequest -> Plan -> markup -> element tree -> one page.

The layout (``render/poster.py``) says whether the content fits at a type size. Without a
viewing distance the type is the largest that fits (up to 2 m); with one it is a promise,
kept with the full poster steps or else each exercise's short cues, or broken only by
``fit`` (``poster_size``, which also says what would fit when nothing does). Nothing here touches
the filesystem, prints or exits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import LayoutError, MarkupError, RequestError
from ..markup.environment import render_template
from ..markup.parse import Node
from ..model.i18n import language_name
from ..model.library import Library
from ..model.plan import Plan, resolve_poster
from ..model.request import PosterRequest
from ..render.checks import reportlab_errors
from ..render.fonts import REGULAR, x_height
from ..render.poster import render_poster
from ..model.poster_sizes import POSTER_SIZES_PT, poster_size_key
from ..render.poster_theme import PosterTheme, readable_distance_m
from ..render.reuse import Reuse, current
from .poster_size import (
    DEFAULT_DISTANCE_M,
    POSTER_TEMPLATE,
    Trees,
    cannot_fit_message,
    choose,
    layout_at,
    size_label,
)
from .steps import checked_library, parsed


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
    viewing_distance_m: float | None  # the distance asked for (None: as far as the size allows)
    fitted: bool  # True when --fit made the text smaller than the distance asked for
    short_steps: bool  # True when the panels give the short poster cues, not the poster steps
    exercises: int
    figure_boxes: tuple[tuple[float, float, float, float], ...]  # (x, y, w, h) in page points
    panel_boxes: tuple[tuple[float, float, float, float], ...]  # each panel's, in the same order
    arrow_strokes_mm: tuple[float, ...]  # each figure's arrow stroke (0: no arrow)
    markup: str

    @property
    def label(self) -> str:
        return size_label(self.size_name, self.landscape)


def plan_poster(request: PosterRequest, library: Library | None = None) -> Plan:
    """Stage 1: the poster request, checked and resolved against the library."""
    request = sized(request)
    return resolve_poster(request, checked_library(request, library))


def sized(request: PosterRequest) -> PosterRequest:
    """The request with its size as ``POSTER_SIZES_PT`` names it ("18 x 24 in" -> "18x24in")."""
    key = poster_size_key(request.size)
    if key is None:
        raise RequestError(f'"{request.size}" is not a poster size; use one of {", ".join(POSTER_SIZES_PT)}', "size")
    return request if key == request.size else request.model_copy(update={"size": key})


def first_sentence(text: str) -> str:
    """The program's "why", cut to its first sentence: a poster has room for one line."""
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip())
    return match.group(1) if match else text.strip()


def poster_markup(plan: Plan, request: PosterRequest, short: bool = False) -> str:
    """Stage 2: the Plan through the sandboxed poster template (``short``: each panel gives
    the exercise's short poster cues instead of its poster steps)."""
    ctx = plan.context()
    ctx["poster"] = {"why": first_sentence(plan.why), "size": size_label(request.size, request.landscape),
                     "viewing_distance_m": request.viewing_distance_m, "short": short}
    return render_template(POSTER_TEMPLATE, ctx, plan.template_dirs, plan.language)


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


def _tree(plan: Plan, request: PosterRequest, short: bool, reuse: Reuse) -> tuple[str, Node]:
    markup = poster_markup(plan, request, short)
    tree = parsed(markup, POSTER_TEMPLATE, reuse)
    if tree.attrs.get("kind") != "poster":
        raise MarkupError('a poster template starts with <document kind="poster">', POSTER_TEMPLATE, tree.line)
    lang = str(tree.attrs.get("lang") or "en")
    if lang.split("-")[0] != plan.language:  # the PDF's /Lang, which the tiles follow, says the poster's language
        raise MarkupError(f'the poster is in {language_name(plan.language)} ("{plan.language}") but its <document> '
                          f'says lang="{lang}"; write lang="{{{{ language }}}}"', POSTER_TEMPLATE, tree.line)
    return markup, tree


def _build_poster_document(request: PosterRequest, library: Library | None, reuse: Reuse) -> PosterBuilt:
    request = sized(request)
    plan = plan_poster(request, library)
    versions = [_tree(plan, request, short, reuse) for short in (False, True)]
    trees = Trees(tree for _, tree in versions)
    size, landscape, asked = request.size, request.landscape, request.viewing_distance_m
    with reportlab_errors(POSTER_TEMPLATE):
        if asked is None:  # as far as the size allows, full steps first
            found = choose(trees, plan, size, landscape, DEFAULT_DISTANCE_M, stretch=True)
        else:  # a promise: the full steps, or the short cues, at the distance asked
            found = choose(trees, plan, size, landscape, asked, stretch=request.fit, farthest=True)
        if found is None:
            raise LayoutError(cannot_fit_message(trees, plan, request))
        which, distance = found
        layout = layout_at(trees[which], plan, size, landscape, distance, trees.memo)
        pdf = render_poster(layout, dict(trees[which].attrs))
    smallest = _smallest_x_height_mm(layout.theme)
    a = layout.grid.arrangement
    return PosterBuilt(
        pdf=pdf, readable_from_m=readable_distance_m(smallest), smallest_x_height_mm=smallest,
        grid=(a.cols, a.rows), size_name=size, landscape=landscape, page_size_pt=layout.page,
        viewing_distance_m=asked, fitted=asked is not None and distance < asked, short_steps=bool(which),
        exercises=len(layout.grid.panels), figure_boxes=tuple(layout.figure_boxes_on_page()),
        panel_boxes=tuple(layout.panel_boxes_on_page()), markup=versions[which][0],
        arrow_strokes_mm=tuple(round(w * 25.4 / 72, 2) for w in layout.grid.arrow_strokes()),
    )


def build_poster(request: PosterRequest, reuse: Reuse | None = None) -> bytes:
    """A wall poster as PDF bytes: exactly one page."""
    return build_poster_document(request, reuse=reuse).pdf
