"""One document, stage by stage: request -> Plan -> markup -> element tree -> PDF bytes.

Each stage is a plain function of the one before; nothing here touches the filesystem
for output, prints or exits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from .errors import LayoutError, UnsupportedCharacterError
from .markup.environment import render_template
from .markup.parse import Node
from .model.library import Library, load_library
from .model.plan import Plan, resolve_handout
from .model.request import HandoutRequest
from .render import blocks, components  # noqa: F401  (registers the tag handlers)
from .render.document import LayoutRecord, PageInfo, frame_size, render_pages
from .render.fonts import check_text, missing_char
from .render.handlers import RenderContext
from .render.reuse import Reuse, build_story, current
from .render.theme import Theme

HANDOUT_TEMPLATE = "handout.xml.j2"
_USER_FIELDS = ("patient", "clinician", "notes", "qr")
_CLINIC_FIELDS = ("name", "phone", "address", "email", "website", "clinician")
_TRACE = re.compile(r"\(srcFile (.+?) <([\w-]+)>, line (\d+)")


@dataclass(frozen=True)
class Built:
    """A finished document and where its parts landed."""

    pdf: bytes
    record: LayoutRecord
    markup: str


def layout_failure(exc: Exception, template: str) -> LayoutError:
    """A LayoutError naming the markup line ReportLab was placing (from the flowable's trace info)."""
    found = _TRACE.search(str(exc))
    where = f"{found.group(1)}:{found.group(3)}: <{found.group(2)}>" if found else template
    return LayoutError(f"{where}: cannot be laid out (a column, cell or box is too narrow, or nested too deep)")


def check_request_text(request) -> None:
    """Every character a user typed must be printable with the bundled font."""
    for name in _USER_FIELDS:
        check_text(getattr(request, name, None) or "", name)
    for name in _CLINIC_FIELDS:
        check_text(getattr(request.clinic, name) or "", f"clinic.{name}")


def plan_handout(request: HandoutRequest, library: Library | None = None) -> Plan:
    """Stage 1: the request, checked and resolved against the library."""
    check_request_text(request)
    library = library or load_library(request.content_dirs)
    return resolve_handout(request, library)


def _context(plan: Plan) -> dict:
    ctx = plan.context()
    ctx["article"]["summary"] = Markup(ctx["article"]["summary"])
    for section in ctx["article"]["sections"]:
        section["markup"] = Markup(section["markup"])
    return ctx


def markup_for(plan: Plan, template: str = HANDOUT_TEMPLATE) -> str:
    """Stage 2: the Plan through the (sandboxed) template."""
    return render_template(template, _context(plan), plan.template_dirs)


def check_tree_text(node: Node, template: str) -> None:
    for child in node.children:
        if isinstance(child, str):
            char = missing_char(child)
            if char is not None:
                raise UnsupportedCharacterError(f"{template} (rendered markup) line {node.line}", char, child)
        else:
            check_tree_text(child, template)
    for value in node.attrs.values():
        if isinstance(value, str) and missing_char(value):
            raise UnsupportedCharacterError(f"{template} (rendered markup) line {node.line}",
                                            missing_char(value), value)


def render_plan(plan: Plan, markup: str, template: str = HANDOUT_TEMPLATE, reuse: Reuse | None = None) -> Built:
    """Stages 3 and 4: parse the markup, build flowables, lay out pages (``reuse``: the
    caches to use; the process's own when None)."""
    reuse = reuse or current()
    tree = reuse.parse(markup, template)
    check_tree_text(tree, template)
    theme = Theme(plan.clinic.brand_color, plan.large_print, plan.greyscale)
    width, height = frame_size(theme, plan.page_size)
    image_dirs = tuple(p for p in (plan.clinic.base_dir,) if p)
    ctx = RenderContext(theme, width, height, template,
                        {i.exercise.id: (i.exercise, i.base_dir) for i in plan.items}, plan.date,
                        image_dirs=image_dirs)
    story = build_story(tree.children, ctx, reuse)
    footer = f"For {plan.patient}" if plan.patient else plan.title
    info = PageInfo(theme, ctx.header, footer, image_dirs)
    meta = dict(tree.attrs)
    try:
        pdf, record = render_pages(story, theme, plan.page_size, meta, info, reuse)
    except (ValueError, ArithmeticError) as exc:  # ReportLab's own, for content it cannot place
        raise layout_failure(exc, template) from exc
    return Built(pdf, record, markup)


def build_handout_document(request: HandoutRequest, library: Library | None = None,
                           reuse: Reuse | None = None) -> Built:
    """The whole handout pipeline, with the layout record (used by tests and the batch)."""
    plan = plan_handout(request, library)
    return render_plan(plan, markup_for(plan), reuse=reuse)


def build_handout(request: HandoutRequest, reuse: Reuse | None = None) -> bytes:
    """A patient handout as PDF bytes (``reuse``: see ``render_plan``)."""
    return build_handout_document(request, reuse=reuse).pdf


def render_markup(request: HandoutRequest) -> str:
    """The markup the handout template produces for a request (what ``handout markup`` shows)."""
    return markup_for(plan_handout(request))
