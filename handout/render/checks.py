"""Render-side checks: every character a document will draw is in the bundled font, and
ReportLab's own errors for content it cannot place become one readable ``LayoutError``.

Both pipelines (handout and poster) call these; nowhere else translates ReportLab errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from reportlab.platypus.doctemplate import LayoutError as RLLayoutError

from ..errors import LayoutError, UnsupportedCharacterError
from ..markup.parse import Node
from ..model.printable import check_text, missing_char

_USER_FIELDS = ("patient", "clinician", "notes", "qr")
_CLINIC_FIELDS = ("name", "phone", "address", "email", "website", "clinician")
MAX_PAGE_BREAKS = 100  # a handout has 2 to 8 pages; a page of layout takes about 10 ms
_TRACE = re.compile(r"\(srcFile (.+?) <([\w-]+)>, line (\d+)")


def check_request_text(request) -> None:
    """Every character a user typed must be printable with the bundled font."""
    for name in _USER_FIELDS:
        check_text(getattr(request, name, None) or "", name)
    for name in _CLINIC_FIELDS:
        check_text(getattr(request.clinic, name) or "", f"clinic.{name}")


def check_tree_text(node: Node, template: str) -> None:
    """Every text and attribute in the rendered markup must be printable, naming its line."""
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


def check_page_breaks(tree: Node, template: str) -> None:
    """At most MAX_PAGE_BREAKS ``<page-break/>``s, refused before layout naming the line of the
    first one too many: 5,000 took 40 seconds to lay out into 5,000 pages."""
    found = 0
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in reversed(node.children):
            if isinstance(child, Node):
                if child.tag == "page-break":
                    found += 1
                    if found > MAX_PAGE_BREAKS:
                        raise LayoutError(f"{template} (rendered markup):{child.line}: more than {MAX_PAGE_BREAKS} "
                                          "<page-break/>s (a handout has a few pages); check for a runaway loop")
                stack.append(child)


def layout_failure(exc: Exception, template: str) -> LayoutError:
    """A LayoutError naming the markup line ReportLab was placing (from the flowable's trace info)."""
    found = _TRACE.search(str(exc))
    if found and "without content" in str(exc):  # ReportLab stops after 10 empty pages in a row
        return LayoutError(f"{found.group(1)}:{found.group(3)}: <{found.group(2)}>: makes page after page with "
                           "nothing on them (page breaks in a row?)")
    if found:
        where = f"{found.group(1)}:{found.group(3)}: <{found.group(2)}>"
        return LayoutError(f"{where}: cannot be laid out (a column, cell or box is too narrow, or nested too deep)")
    if isinstance(exc, RLLayoutError):
        return LayoutError(f"{template}: content does not fit the page: {exc}")
    return LayoutError(f"{template}: cannot be laid out (a column, cell or box is too narrow, or nested too deep)")


@contextmanager
def reportlab_errors(template: str) -> Iterator[None]:
    """Around a layout: ReportLab's errors for content it cannot place, as a LayoutError."""
    try:
        yield
    except (RLLayoutError, ValueError, ArithmeticError) as exc:
        raise layout_failure(exc, template) from exc
