"""Stage 3, elements to PDF bytes: an element tree and a theme in, flowables and laid-out
pages out (tag handlers, fonts, handout pages, the poster page, render-side checks).

ReportLab's platypus is imported here first, with its two costly patterns left to first use
(``platypus_import``)."""

from .platypus_import import import_platypus

import_platypus()
