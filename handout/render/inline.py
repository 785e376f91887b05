"""Inline markup (b, i, u, br, a, span) to ReportLab paragraph markup; text is escaped."""

from __future__ import annotations

import re
from html import escape as _escape_html

from .theme import Theme

_ASCII_SPACE = " \t\n\r\f\v"
_FOLDED = re.compile(f"[{_ASCII_SPACE}]+")


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities, as ``xml.sax.saxutils.escape`` does (its import pulls
    in urllib and ssl: about 13 ms of a fresh build)."""
    return _escape_html(text, quote=False)


def quoteattr(value: str) -> str:
    """An attribute value in double quotes, every character XML escapes as an entity."""
    return f'"{_escape_html(value)}"'


def inline_markup(children, theme: Theme) -> str:
    """The paragraph markup for a node's inline children."""
    out = []
    for child in children:
        if isinstance(child, str):
            out.append(escape(child))
            continue
        inner = inline_markup(child.children, theme)
        tag = child.tag
        if tag == "b":
            out.append(f"<b>{inner}</b>")
        elif tag == "i":
            out.append(inner if theme.large_print else f"<i>{inner}</i>")
        elif tag == "u":
            out.append(f"<u>{inner}</u>")
        elif tag == "br":
            out.append("<br/>")
        elif tag == "a":
            href = quoteattr(child.attrs["href"])
            out.append(f'<a href={href} color="#{theme.brand.hexval()[2:]}"><u>{inner}</u></a>')
        elif tag == "span":
            out.append(f'<font color="{child.attrs["color"]}">{inner}</font>')
        else:  # blocks never reach here: the parser checked the tree
            out.append(inner)
    return "".join(out)


def collapse(markup: str) -> str:
    """Fold white space the way HTML does, so template indentation does not show; a
    no-break space is a character, not white space to fold (it holds "¿Muy fácil?" whole)."""
    return " ".join(_FOLDED.split(markup.strip(_ASCII_SPACE)))
