"""A request's shape: everything but the patient, resolved, rendered and parsed once.

Patients of one program, clinic and dose (a batch's rows) differ only by their name and
id. The plan a request resolves to is kept per the request without them, and the patient
put into a copy; the template's output is kept with a hole for the name
(``markup.holes``) and the name filled in; the markup's tree is kept with a stand-in name
and the name put into the Nodes that hold it. Each is made the second time its key is
seen, so a request seen once (a roster row with its own notes) costs what it costs
without reuse. The caches are the ``Reuse``'s own (``plans``, ``markups``); ``Reuse.last``
notes the plan last made for a request with a key and the markup last filled into a
kept shape, so the next step knows their shape (checked by identity: anything else is
worked out again).
"""

from __future__ import annotations

from dataclasses import replace

from ...markup.environment import MAX_MARKUP_CHARS, environment, render_template
from ...markup.holes import fill, frozen, shape_key, shape_tree, shaped
from ...model.plan import default_date
from ...model.printable import missing_char

SEEN_ONCE = object()  # asked for once: made the second time (most things asked for once are asked for only once)
_MISSING = object()


class Shape:
    """A template's output with a hole for the name, and its tree once asked for:
    ``(check, ShapeTree or None)``."""

    __slots__ = ("text", "tree")

    def __init__(self, text: str):
        self.text, self.tree = text, None


class Last:
    """The plan last made (with its request's key) and the markup last filled (with its shape and name)."""

    __slots__ = ("plan", "filled")

    def __init__(self):
        self.plan = self.filled = None


def _request_key(request, library):
    """The request but the patient's name and id (its fields left out of dumps too), the
    library it resolves against and the day a dateless request takes; None for a program
    read from a file (read each time)."""
    if request.program is not None and request.program not in library.programs:
        return None
    try:
        fields = frozen(request.model_dump(exclude={"patient", "patient_id"}))
        hidden = frozen([getattr(m, n) for m in (request, request.clinic)  # (the clinic's folder)
                         for n, f in type(m).model_fields.items() if f.exclude])
    except TypeError:
        return None
    return type(request), fields, hidden, id(library), request.date or default_date()


def plan_for(reuse, request, library, resolve):
    """``resolve(request, library)``, or the plan kept for the request's shape with this
    patient's name and id."""
    key = _request_key(request, library) if reuse.enabled and request.patient else None
    found = reuse.plans.get(key, _MISSING) if key is not None else None
    if type(found) is tuple and found[1] is library:
        reuse.counts.plans_reused += 1
        plan = replace(found[0], patient=request.patient, patient_id=request.patient_id)
        reuse.last.plan = (plan, key)
        return plan
    plan = resolve(request, library)
    if key is not None:
        reuse.last.plan = (plan, key)
        if found is SEEN_ONCE:
            reuse.plans.put(key, (replace(plan, patient="", patient_id=None), library))
        elif found is _MISSING:
            reuse.plans.put(key, SEEN_ONCE)
    return plan


def markup_for(reuse, template: str, context, value: str, extra: tuple[str, ...], language: str, plan=None) -> str:
    """``render_template`` with ``context()``, or the kept shape with ``value`` (the name,
    ``context()["patient"]``) filled in. ``plan``: the plan the context comes from; one
    ``plan_for`` just made has its request's key, and no context is made to find the shape."""
    key, made = None, None
    if reuse.enabled and value:
        last = reuse.last.plan
        if plan is not None and last is not None and last[0] is plan:
            key = (template, environment(extra, language), "plan", last[1])
        else:
            made = context()
            key = shape_key(template, made, "patient", extra, language)
    found = reuse.markups.get(key, _MISSING) if key is not None else None
    if isinstance(found, Shape):
        filled = fill(found.text, value)
        if len(filled) <= MAX_MARKUP_CHARS:  # (else rendering says the markup is too long)
            reuse.counts.markups_reused += 1
            reuse.last.filled = (filled, found, value)
            return filled
    made = made if made is not None else context()
    rendered = render_template(template, made, extra, language)
    if found is _MISSING:
        reuse.markups.put(key, SEEN_ONCE)
    elif found is SEEN_ONCE:
        shape = shaped(template, made, "patient", extra, language, rendered)
        reuse.markups.put(key, Shape(shape) if shape is not None else None)
    return rendered


def parse_checked(reuse, markup: str, template: str, check):
    """``reuse.parse`` the markup and ``check(tree, template)``. Markup just filled into a
    kept shape takes the shape's tree, parsed and checked once, with the name put in
    (``markup.holes.shape_tree``): the same tree parsing gives, for any name that fits."""
    filled = reuse.last.filled
    if reuse.enabled and filled is not None and filled[0] is markup:
        _, shape, value = filled
        if shape.tree is None or shape.tree[0] is not check:
            shape.tree = (check, shape_tree(shape.text, template, reuse.parsed, check))
        tree = shape.tree[1]
        if tree is not None and tree.fits(value) and missing_char(value) is None:
            reuse.counts.trees_reused += 1
            return tree.for_name(value)
    tree = reuse.parse(markup, template)
    check(tree, template)
    return tree
