"""A patient handout, stage by stage: HandoutRequest -> Plan -> markup -> element tree -> PDF bytes.

Each stage is a plain function of the one before; nothing here touches the filesystem
for output, prints or exits.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..model.i18n import translations
from ..model.library import Library
from ..model.plan import Plan, resolve_handout
from ..model.request import HandoutRequest
from ..render.checks import reportlab_errors
from ..render.document import LayoutRecord, PageInfo, frame_size, render_pages
from ..render.reuse import Reuse, build_story, current, first_chars
from ..render.theme import Theme
from .steps import check_handout, checked_library, parsed, render_context

HANDOUT_TEMPLATE = "handout.xml.j2"


@dataclass(frozen=True)
class Built:
    """A finished document and where its parts landed."""

    pdf: bytes
    record: LayoutRecord
    markup: str


def plan_handout(request: HandoutRequest, library: Library | None = None, reuse: Reuse | None = None) -> Plan:
    """Stage 1: the request, checked and resolved against the library (``reuse``: see
    ``render_plan``; for a patient of a request seen before, the plan it gave with this
    patient's name and id)."""
    return (reuse or current()).plan(request, checked_library(request, library), resolve_handout)


def _context(plan: Plan) -> dict:
    ctx = plan.context()
    ctx["article"]["summary"] = Markup(ctx["article"]["summary"])
    for section in ctx["article"]["sections"]:
        section["markup"] = Markup(section["markup"])
    return ctx


def markup_for(plan: Plan, template: str = HANDOUT_TEMPLATE, reuse: Reuse | None = None) -> str:
    """Stage 2: the Plan through the (sandboxed) template (``reuse``: see ``render_plan``;
    for a patient of a shape seen before, the kept output with the name filled in)."""
    return (reuse or current()).markup(template, lambda: _context(plan), plan.patient, plan.template_dirs,
                                       plan.language, plan)


def render_plan(plan: Plan, markup: str, template: str = HANDOUT_TEMPLATE, reuse: Reuse | None = None) -> Built:
    """Stages 3 and 4: parse the markup, build flowables, lay out pages (``reuse``: the
    caches to use; the process's own when None)."""
    reuse = reuse or current()
    tree = parsed(markup, template, reuse, check_handout)
    theme = Theme(plan.clinic.brand_color, plan.large_print, plan.greyscale)
    ctx = render_context(plan, theme, *frame_size(theme, plan.page_size), template)
    story = build_story(tree.children, ctx, reuse)
    footer = translations(plan.language).gettext("For {patient}").format(patient=plan.patient) if plan.patient else plan.title
    info = PageInfo(theme, ctx.header, footer, ctx.image_dirs, plan.language, first_chars(markup, plan.patient or ""))
    with reportlab_errors(template):
        pdf, record = render_pages(story, theme, plan.page_size, {**tree.attrs, "date": plan.date}, info, reuse)
    return Built(pdf, record, markup)


def build_handout_document(request: HandoutRequest, library: Library | None = None,
                           reuse: Reuse | None = None) -> Built:
    """The whole handout pipeline, with the layout record (used by tests and the batch)."""
    plan = plan_handout(request, library, reuse)
    return render_plan(plan, markup_for(plan, reuse=reuse), reuse=reuse)


def build_handout(request: HandoutRequest, reuse: Reuse | None = None) -> bytes:
    """A patient handout as PDF bytes (``reuse``: see ``render_plan``)."""
    return build_handout_document(request, reuse=reuse).pdf


def render_markup(request: HandoutRequest) -> str:
    """The markup the handout template produces for a request (what ``handout markup`` shows)."""
    return markup_for(plan_handout(request))
