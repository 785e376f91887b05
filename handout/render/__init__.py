"""Stage 3, elements to PDF bytes: an element tree and a theme in, flowables and laid-out
pages out (tag handlers, fonts, handout pages, the poster page, render-side checks)."""
