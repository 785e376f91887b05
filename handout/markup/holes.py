"""A template rendered once for every patient of a request's shape, with a hole for the name.

Jinja renders the whole handout for each patient, though only the name differs between
patients of one program, clinic and dose (a batch's rows). ``shaped`` renders the template
with a ``Hole`` where the name goes: an object that prints as a marker and refuses anything
else (its length, text, comparison, attributes), so a template that does more with the
name than print it escaped gives no shape. ``fill`` puts a name's escaped text where the
marker printed. A shape is checked before it is trusted: filled with the patient's name it
must give what the template gave for that name, and filled with a probe of every character
XML escapes it must give what the template gives for the probe (a name printed ``|safe``,
or tested ``is string``, fails here). The caller keeps shapes (the render stage's ``Reuse``)
keyed on ``shape_key``: everything that decides the template's output but the name.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from markupsafe import Markup, escape

from ..model.request import MAX_NAME_CHARS
from .environment import MAX_MARKUP_CHARS, environment, render_template
from .parse import Node, holding, parse_markup, substituted

MARKER = "\x00hole\x00"
PROBE = "A&<>'\" z"  # every character escaping changes, and a space
# Two names for a shape's tree: the first stands for the name in the tree kept, the second
# (the longest a name may be, in four-byte characters) finds the limits any name keeps to.
TREE_NAMES = ("Qzx Zoë O'Brien & <Sons> \"Ω\"", "A" + "\U00010000" * (MAX_NAME_CHARS - 1))


@lru_cache(maxsize=1)
def _plain_name() -> re.Pattern:
    """A name that parses back as itself in text and attributes (XML's characters, no tab or
    line break) and has no white space at its ends (which the parser's checks look at).
    Compiled when first needed (when a kept shape first takes a name; never in a one-shot build):
    its wide ranges cost more to compile than parsing a handout's markup does."""
    return re.compile("(?=\\S)[\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]+(?<=\\S)")


class HoleTouched(Exception):
    """The template used the hole as more than a value to print."""


def _touched(self, *args, **kwargs):
    raise HoleTouched


class Hole:
    """Prints (escaped) as ``MARKER``; true, as a name is; anything else raises ``HoleTouched``."""

    __slots__ = ()

    def __html__(self) -> str:
        return MARKER

    def __bool__(self) -> bool:
        return True

    __str__ = __repr__ = __format__ = __len__ = __iter__ = __contains__ = __getitem__ = _touched
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = _touched
    __add__ = __radd__ = __mul__ = __rmul__ = __mod__ = __rmod__ = __call__ = _touched
    __int__ = __float__ = __index__ = __reduce__ = __reduce_ex__ = _touched

    def __getattr__(self, name):
        raise HoleTouched


_PLAIN = (str, Markup, int, float, bool, type(None), dt.date)


def frozen(value):
    """``value`` as a hashable key (types kept: 1, 1.0 and True print differently), or
    raise TypeError for anything but plain data."""
    kind = type(value)
    if kind is dict:
        return tuple((k, frozen(v)) for k, v in value.items())
    if kind is list or kind is tuple:
        return (kind, tuple(frozen(v) for v in value))
    if kind in _PLAIN:
        return (kind, value)
    raise TypeError(kind.__name__)


def shape_key(name: str, context: dict, field: str, extra: tuple[str, ...], language: str):
    """What decides the template's output but ``context[field]``; None if the context holds
    anything but plain data."""
    try:
        rest = frozen({k: v for k, v in context.items() if k != field})
    except TypeError:
        return None
    return (name, environment(extra, language), language, field, rest)


def fill(shape: str, value: str) -> str:
    """The template's output for ``value`` in the hole."""
    return shape.replace(MARKER, str(escape(value)))


def shaped(name: str, context: dict, field: str, extra: tuple[str, ...], language: str,
           rendered: str) -> str | None:
    """The template's output with a hole for ``context[field]`` (``rendered``: its output
    for the value there now), or None when the template does more with it than print it."""
    def render(value) -> str:
        return render_template(name, {**context, field: value}, extra, language)

    try:
        shape = render(Hole())
        if MARKER not in shape or len(shape) > MAX_MARKUP_CHARS:
            return None
        if fill(shape, context[field]) != rendered or fill(shape, PROBE) != render(PROBE):
            return None
    except Exception:  # noqa: BLE001 (a hole touched, or any failure: no shape, render as always)
        return None
    return shape


class ShapeTree:
    """A shape's checked tree with ``TREE_NAMES[0]`` in the hole: every name that ``fits``
    gets the tree parsing would give by ``for_name`` (the Nodes not holding it shared)."""

    def __init__(self, tree: Node):
        self.tree = tree
        self.where = holding(tree, TREE_NAMES[0])

    def fits(self, value: str) -> bool:
        return len(value) <= MAX_NAME_CHARS and _plain_name().fullmatch(value) is not None

    def for_name(self, value: str) -> Node:
        return substituted(self.tree, TREE_NAMES[0], value, self.where)


def shape_tree(shape: str, template: str, kept, check) -> ShapeTree | None:
    """The tree of ``shape`` parsed and ``check``ed once for every name, or None when a
    name's tree is not that tree with the name put in (the name in a typed attribute, in
    a place that refuses text) or the names break a limit of the markup."""
    try:
        first = parse_markup(fill(shape, TREE_NAMES[0]), template, kept)
        check(first, template)
        longest = parse_markup(fill(shape, TREE_NAMES[1]), template)
    except Exception:  # noqa: BLE001 (a name's parse fails or is refused: parse each as always)
        return None
    kept_tree = ShapeTree(first)
    if not kept_tree.where or kept_tree.for_name(TREE_NAMES[1]) != longest:
        return None
    return kept_tree
