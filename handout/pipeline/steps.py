"""The steps every document shares: check the request's text, load the library, parse and
check the rendered markup, and give the renderer the plan's exercises."""

from __future__ import annotations

from ..markup.parse import Node
from ..model.library import Library, load_library
from ..model.plan import Plan, figure_key
from ..render import blocks, components, logbook  # noqa: F401  (registers the tag handlers)
from ..render.checks import check_page_breaks, check_request_text, check_tree_text
from ..render.handlers import RenderContext
from ..render.reuse import Reuse
from ..render.theme import Theme


def checked_library(request, library: Library | None) -> Library:
    """The library a request resolves against, once every character it holds is printable."""
    check_request_text(request)
    return library or load_library(request.content_dirs, request.language)


def check_text(tree: Node, template: str) -> None:
    """Every character in the tree printable."""
    check_tree_text(tree, template)


def check_handout(tree: Node, template: str) -> None:
    """Every character printable, and no more page breaks than a handout may have."""
    check_tree_text(tree, template)
    check_page_breaks(tree, template)


def parsed(markup: str, template: str, reuse: Reuse, check=check_text) -> Node:
    """The markup as an element tree (through ``reuse``'s caches), ``check``ed."""
    return reuse.parse_checked(markup, template, check)


def render_context(plan: Plan, theme: Theme, width: float, height: float, template: str) -> RenderContext:
    """What the tag handlers need: theme, frame size, the plan's exercises and image folders."""
    image_dirs = tuple(p for p in (plan.clinic.base_dir,) if p)
    # each card's figure by its own name (id@left for one leg), and each exercise by its id
    # (the first card of it) for a template that names the id
    figures = {figure_key(i.exercise): (i.exercise, i.base_dir) for i in plan.items}
    by_id = {i.exercise.id: (i.exercise, i.base_dir) for i in reversed(plan.items)}
    return RenderContext(theme, width, height, template, {**by_id, **figures}, plan.date,
                         image_dirs=image_dirs, language=plan.language)
