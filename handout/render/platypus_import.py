"""ReportLab's platypus, imported with its one costly pattern compiled on first use.

``reportlab.platypus.paragraph`` compiles at import a pattern for web addresses (used to
split a long address over lines, ``uriWasteReduce``, which handout never turns on) whose
case-blind ranges up to U+FFFF cost about 325 M instructions, a seventh of a fresh
``handout build``. While platypus is imported here, ``re.compile`` hands such a pattern back
as a stand-in that compiles it when first used; every other pattern, and every module, is
as before. Called by ``handout.render`` before any of its modules imports platypus; if
something imported platypus earlier, nothing is done.
"""

from __future__ import annotations

import re
import sys

WIDE = "\xa1-\uffff"  # a character range that makes a case-blind pattern slow to compile


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
    """Import ``reportlab.platypus`` with its wide case-blind patterns left to first use."""
    if "reportlab.platypus" in sys.modules:
        return
    real = re.compile

    def compile_later(pattern, flags=0):
        if isinstance(pattern, str) and flags & re.IGNORECASE and WIDE in pattern:
            return OnFirstUse(pattern, flags)
        return real(pattern, flags)

    re.compile = compile_later
    try:
        import reportlab.platypus  # noqa: F401
    finally:
        re.compile = real
