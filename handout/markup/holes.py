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

from markupsafe import Markup, escape

from .environment import MAX_MARKUP_CHARS, environment, render_template

MARKER = "\x00hole\x00"
PROBE = "A&<>'\" z"  # every character escaping changes, and a space


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


def _frozen(value):
    """``value`` as a hashable key (types kept: 1, 1.0 and True print differently), or
    raise TypeError for anything but plain data."""
    kind = type(value)
    if kind is dict:
        return tuple((k, _frozen(v)) for k, v in value.items())
    if kind is list or kind is tuple:
        return (kind, tuple(_frozen(v) for v in value))
    if kind in _PLAIN:
        return (kind, value)
    raise TypeError(kind.__name__)


def shape_key(name: str, context: dict, field: str, extra: tuple[str, ...], language: str):
    """What decides the template's output but ``context[field]``; None if the context holds
    anything but plain data."""
    try:
        frozen = _frozen({k: v for k, v in context.items() if k != field})
    except TypeError:
        return None
    return (name, environment(extra, language), language, field, frozen)


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
