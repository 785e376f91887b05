"""ReportLab's platypus, imported with its two costly patterns compiled on first use.

Two patterns platypus compiles at import have character ranges up to U+FFFF, which the
``re`` module expands one character at a time: ``paragraph.uri_pat`` (web addresses, for
splitting a long one over lines, ``uriWasteReduce``, which handout never turns on), case-blind,
325 M instructions, and ``textsplit.rx`` (for ``cjkwrap``, which nothing calls), 49 M:
together a sixth of a fresh ``handout build``. While platypus is imported here, ``re.compile``
hands such a pattern back as a stand-in that compiles it when first used; every other
pattern, and every module, is as before. Called by ``handout.render`` before any of its
modules imports platypus; if something imported platypus earlier, nothing is done.
"""

from __future__ import annotations

import re
import sys

WIDE = "-\uffff"  # the end of a character range that makes a pattern slow to compile


class OnFirstUse:
    """A compiled pattern that compiles itself when first used (``compiled`` says if it has)."""

    __slots__ = ("source", "source_flags", "compiled")

    def __init__(self, source: str, flags: int):
        self.source, self.source_flags, self.compiled = source, flags, None

    def __getattr__(self, name: str):  # every attribute of the pattern (``match``, ``flags``, ...)
        if self.compiled is None:
            self.compiled = re.compile(self.source, self.source_flags)
        return getattr(self.compiled, name)


def import_platypus() -> None:
    """Import ``reportlab.platypus`` with its patterns of ranges up to U+FFFF left to first use."""
    if "reportlab.platypus" in sys.modules:
        return
    real = re.compile

    def compile_later(pattern, flags=0):
        if isinstance(pattern, str) and WIDE in pattern:
            return OnFirstUse(pattern, flags)
        return real(pattern, flags)

    re.compile = compile_later
    try:
        import reportlab.platypus  # noqa: F401
    finally:
        re.compile = real
