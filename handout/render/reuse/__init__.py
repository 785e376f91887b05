"""Work that is the same for every patient, done once and reused: one ``Reuse`` object owns
it all, behind one switch.

In: the request, markup and flowables of each document; out: the same bytes, sooner. A
request's plan, markup and tree per its shape, the patient put in (``shapes``), parsed
markup, figures and font programs (``core``, with the ``Reuse`` object), paragraphs and
tables (``flowables``), top-level blocks and their drawings and splits (``story``,
``recording``) and whole pages, their streams and dictionaries (``pages``) are keyed on
everything that decides them, so a key that matches gives the bytes doing the work again
would give.
``Reuse(enabled=False)`` proves it.

This package is where handout relies on ReportLab's private names (the canvas's operator
list, a font's code assignments, a paragraph's and a table's measures); pyproject pins
ReportLab to the minor version they were checked against.
"""

from .core import LOCK, SHARED, Bounds, Counts, Reuse, current, kept_aspect, kept_figure
from .flowables import KeptTogether, MemoTable, Para
from .pages import first_chars, keep_page_streams
from .recording import OWN_FORMS, draw_kept
from .story import build_story, label_beside

__all__ = ["Reuse", "Bounds", "Counts", "SHARED", "LOCK", "current", "kept_aspect", "kept_figure", "Para", "MemoTable",
           "KeptTogether", "build_story", "label_beside", "draw_kept", "OWN_FORMS", "first_chars",
           "keep_page_streams"]
