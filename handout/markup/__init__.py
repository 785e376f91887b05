"""Stage 2, plan to elements: a ``Plan`` in, the sandboxed template's markup text and then a
checked element tree out (``spec`` is the tag table, ``parse`` the safe parser)."""
