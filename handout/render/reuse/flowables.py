"""Paragraphs and tables that keep what ReportLab works out again on every document.

- ``Para``: ReportLab parses a paragraph's markup with an HTML parser when the Paragraph is
  made and breaks it into lines on every ``wrap()`` (a table wraps each cell at least
  twice). The same step texts, styles and widths come back in every handout, so both
  results are kept (in the ``current()`` Reuse), keyed on the text and style (and, for
  the lines, the width and the frags wrapped: breaking lines swaps the frags for words,
  which decides how a split cuts the paragraph).
- ``MemoTable``: a table measured once per width.
- ``KeptTogether``: ReportLab's KeepTogether, measured without first deep-copying the frame.
"""

from __future__ import annotations

import copy

from reportlab.platypus import KeepTogether, Paragraph, Table
from reportlab.platypus.doctemplate import ActionFlowable, Indenter
from reportlab.platypus.flowables import CondPageBreak, ImageAndFlowables, _listWrapOn
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.rl_config import _FUZZ as _RL_FUZZ, listWrapOnFakeWidth

from .core import current

_FUZZ = 1e-6
_MISSING = object()


# What a paragraph's wrap sets, even when it sets what an earlier wrap had.
_WRAPPED = ("width", "height", "_wrapWidths", "blPara", "frags", "_width_max", "_splitLongWordCount",
            "_hyphenations")


class Para(Paragraph):
    """A Paragraph whose parsed markup and line breaks are kept (by the current Reuse).

    Made with text and a style, it looks both up; made with ready ``frags`` (as
    ``Paragraph.split`` does) it behaves exactly as a plain Paragraph.
    """

    _key = None

    def __init__(self, text, style=None, bulletText=None, frags=None, caseSensitive=1, encoding="utf8"):
        reuse = current()
        if frags is not None or style is None or bulletText is not None or not caseSensitive or not reuse.enabled:
            super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
            return
        key = (text, id(style))
        hit = reuse.frags.get(key)
        if hit is not None and hit[0] is style:
            self.caseSensitive, self.encoding = caseSensitive, encoding
            self._setup(hit[1], style, getattr(style, "bulletText", None), hit[2], cleanBlockQuotedText)
            reuse.counts.paragraphs_reused += 1
        else:
            super().__init__(text, style)
            if self.style is not style:  # the markup changed the style (<para ...>): do not share
                return
            reuse.frags.put(key, (style, self.text, self.frags))
        self._key = key

    def wrap(self, availWidth, availHeight):
        reuse = current()
        if self._key is None or availWidth < _FUZZ or not reuse.enabled:
            return super().wrap(availWidth, availHeight)
        # Breaking lines also swaps the paragraph's frags for its words (which decides how a
        # later split cuts it, and so how the parts draw): the frags it starts from are part
        # of the key, and what it sets is kept with the lines.
        frags = self.frags
        again = self.__dict__.get("_again")
        if again is not None and again[0] == availWidth and again[1] is frags and again[2] is self.style:
            self.__dict__.update(again[3])  # wrapped again at this width: see below
            reuse.counts.lines_reused += 1
            return self.width, self.height
        key = self._key + (availWidth, id(frags))
        hit = reuse.lines.get(key)
        if hit is None or hit[0] is not self.style or hit[1] is not frags:
            before = dict(self.__dict__)
            super().wrap(availWidth, availHeight)
            held = self.__dict__
            wrapped = {k: v for k, v in held.items() if before.get(k, _MISSING) is not v}
            wrapped.update((k, held[k]) for k in _WRAPPED if k in held)
            reuse.lines.put(key, (self.style, frags, wrapped))
        else:
            wrapped = hit[2]
            self.__dict__.update(wrapped)
            reuse.counts.lines_reused += 1
        # Wrapped again at the same width (a column balanced, a table measured then drawn),
        # the words the lines were broken into give the same lines and words again: this
        # paragraph keeps them for that (not the shared cache, which would keep a patient's).
        words = wrapped.get("frags", frags)
        if words is not frags:
            self._again = (availWidth, words, self.style, wrapped)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        # ReportLab's split adds a space to the last word of each line it hands on, in
        # place; the lines are shared through the cache, so split a private copy.
        if self._key is not None and getattr(self, "blPara", None) is not None and self.blPara.kind == 1:
            self.blPara = _own_lines(self.blPara)
        return super().split(availWidth, availHeight)


def _own_lines(bl_para):
    """A copy of wrapped lines whose words can be changed without touching the original."""
    mine = copy.copy(bl_para)
    mine.lines = []
    for line in bl_para.lines:
        line = copy.copy(line)
        line.words = [w.clone() for w in line.words]
        mine.lines.append(line)
    return mine


_MEASURED = ("_colWidths", "_colpositions", "_height", "_hmax", "_rowHeights", "_rowpositions", "_width",
             "_width_calculated_once", "availWidth", "_colSpanCells", "_rowSpanCells", "_spanRanges", "_spanRects",
             "_hmax_spanRects", "_hBlocks", "_vBlocks", "_nosplitRanges", "_rowSplitRange")


class MemoTable(Table):
    """A Table that measures its rows and columns once per width and reuses the result.

    ReportLab measures a table again on every ``wrap()`` (and again to draw). A measure
    that fits the space given is complete, so it holds for any space at least as tall;
    one that does not fit is left to ReportLab (it may have stopped early, and a split
    measures again anyway).
    """

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        # width -> (height, what measuring set); shared with copies. None: reuse is off.
        self._sizes = {} if current().enabled else None

    def wrap(self, availWidth, availHeight):
        hit = self._sizes.get(availWidth) if self._sizes is not None else None
        if hit is not None and hit[0] <= availHeight + _FUZZ:
            self.__dict__.update(hit[1])
            return self._width, self._height
        before = dict(self.__dict__)
        width, height = super().wrap(availWidth, availHeight)
        if self._sizes is not None and height <= availHeight + _FUZZ:
            held = self.__dict__
            measured = {k: v for k, v in held.items() if before.get(k, _MISSING) is not v}
            # What measuring sets, even when it set the same object an earlier measure had:
            # a copy that was never measured needs it too.
            measured.update((k, held[k]) for k in _MEASURED if k in held)
            self._sizes[availWidth] = (height, measured)
        return width, height


# ReportLab's flowables that add content to the frame while they are measured.
_ADDS_CONTENT = (CondPageBreak, ImageAndFlowables, ActionFlowable)


def wrap_list(flowables, avail_width, canv, dims=None):
    """The width and height of flowables stacked (spaces merged), as ReportLab's
    ``_listWrapOn`` measures them, without first deep-copying the page frame: that copy only
    catches content a flowable adds to the frame while measured, which ours never do."""
    if any(isinstance(f, _ADDS_CONTENT) for f in flowables):
        return _listWrapOn(flowables, avail_width, canv, dims=dims)
    width = height = space = 0
    top = True
    for f in flowables:
        if hasattr(f, "frameAction"):
            if isinstance(f, Indenter):
                avail_width -= f.left + f.right
            continue
        w, h = f.wrapOn(canv, avail_width, 0xFFFFFFF)
        if dims is not None:
            dims.append((w, h))
        if h <= _RL_FUZZ:
            continue
        width = max(width, min(w, avail_width) if listWrapOnFakeWidth else w)
        height += h
        if not top:
            before = space if getattr(f, "_SPACETRANSFER", False) else f.getSpaceBefore()
            height += max(before - space, 0)
        else:
            top = False
        space = space if getattr(f, "_SPACETRANSFER", False) else f.getSpaceAfter()
        height += space
    return width, height - space


class KeptTogether(KeepTogether):
    """KeepTogether, measured with ``wrap_list``; labelled by what it holds when that is all
    from kept blocks, so a page that starts from it (a heading kept with what follows,
    postponed to the next page) can replay."""

    def __init__(self, flowables, maxHeight=None):
        super().__init__(flowables, maxHeight)
        labels = [getattr(f, "__dict__", {}).get("_reuse_label") for f in self._content]
        if labels and None not in labels:
            self._reuse_label = (labels[0][0], labels[0][1] + ("together", *labels[1:]))

    def wrap(self, aW, aH):
        dims = []
        width, self._H = wrap_list(self._content, aW, self.canv, dims)
        self._H0 = dims and dims[0][1] or 0
        self._wrapInfo = aW, aH
        return width, 0xFFFFFF  # force a split, as KeepTogether does

