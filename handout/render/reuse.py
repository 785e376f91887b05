"""Work that is the same for every patient, done once per process and reused.

Each level is keyed on everything that decides its result, so a key that matches gives the
same bytes as doing the work again:

- ``Para``: ReportLab parses a paragraph's markup with an HTML parser when the Paragraph is
  made and breaks it into lines on every ``wrap()`` (a table wraps each cell at least
  twice). The same step texts, styles and widths come back in every handout, so both
  results are kept, keyed on the text and style (and the width, for the lines).
- ``build_story``: each top-level block of the markup (a card, a box, an article paragraph)
  becomes flowables once per process, keyed on the block's own markup and the render
  context (theme, frame, date, the plan's exercises). A block that holds the patient's name
  has a key of its own; one that holds nothing personal is built once for the whole batch.
  Every document gets fresh shallow copies, so what ReportLab changes while laying out
  (``keepWithNext``, ``_postponed``) never reaches the kept originals.
- ``_Replay``: a kept block drawn at the same size draws the same operators: the first
  drawing is recorded and later documents replay it (``recording``); a split of a kept
  table or paragraph in the same space gives the same parts (``_Split``).
- Whole pages past the first replay too (``pages``).

The caches are bounded and per process (the batch uses processes). ``off()`` turns them
off, which tests use to prove they change no byte.
"""

from __future__ import annotations

import copy
import threading
from contextlib import contextmanager
from functools import partial

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table
from reportlab.platypus.doctemplate import ActionFlowable, Indenter
from reportlab.platypus.flowables import CondPageBreak, ImageAndFlowables, LIIndenter, _listWrapOn
from reportlab.rl_config import _FUZZ as _RL_FUZZ, listWrapOnFakeWidth
from reportlab.platypus.paragraph import cleanBlockQuotedText

from ..markup.parse import forget_blocks, source_of
from . import fonts
from .handlers import TraceInfo, build
from .recording import KEPT, ON, Lru, drawn

_FUZZ = 1e-6
_MISSING = object()


# Kept flowables are shared by the documents made from them, and recording watches the
# fonts: one document is built and drawn at a time in a process (the batch uses processes;
# threads calling build_handout at once take turns here).
LOCK = threading.RLock()
_FRAGS = Lru(8192)   # (text, style id) -> (style, cleaned text, frags)
_LINES = Lru(16384)  # (text, style id, width) -> (style, width, wrap widths, blPara, height)
_BLOCKS = Lru(2048)  # (block key, context key) -> _Block
KEPT.extend([_FRAGS, _LINES, _BLOCKS])


def clear() -> None:
    """Forget everything kept (tests use it to start cold)."""
    for cache in KEPT:
        cache.clear()
    fonts.forget_programs()
    forget_blocks()


@contextmanager
def off():
    """Build without reusing anything, for tests and the benchmark's before/after."""
    clear()
    ON[0] = fonts.KEEP_PROGRAMS[0] = False
    try:
        yield
    finally:
        ON[0] = fonts.KEEP_PROGRAMS[0] = True
        clear()


class Para(Paragraph):
    """A Paragraph whose parsed markup and line breaks are kept per process.

    Made with text and a style, it looks both up; made with ready ``frags`` (as
    ``Paragraph.split`` does) it behaves exactly as a plain Paragraph.
    """

    _key = None

    def __init__(self, text, style=None, bulletText=None, frags=None, caseSensitive=1, encoding="utf8"):
        if frags is not None or style is None or bulletText is not None or not caseSensitive or not ON[0]:
            super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
            return
        key = (text, id(style))
        hit = _FRAGS.get(key)
        if hit is not None and hit[0] is style:
            self.caseSensitive, self.encoding = caseSensitive, encoding
            self._setup(hit[1], style, getattr(style, "bulletText", None), hit[2], cleanBlockQuotedText)
        else:
            super().__init__(text, style)
            if self.style is not style:  # the markup changed the style (<para ...>): do not share
                return
            _FRAGS.put(key, (style, self.text, self.frags))
        self._key = key

    def wrap(self, availWidth, availHeight):
        if self._key is None or availWidth < _FUZZ:
            return super().wrap(availWidth, availHeight)
        key = self._key + (availWidth,)
        hit = _LINES.get(key)
        if hit is None or hit[0] is not self.style:
            super().wrap(availWidth, availHeight)
            _LINES.put(key, (self.style, self.width, self._wrapWidths, self.blPara, self.height))
        else:
            _, self.width, self._wrapWidths, self.blPara, self.height = hit
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
        self._sizes = {}  # width -> (height, what measuring set); shared with copies

    def wrap(self, availWidth, availHeight):
        hit = self._sizes.get(availWidth) if ON[0] else None
        if hit is not None and hit[0] <= availHeight + _FUZZ:
            self.__dict__.update(hit[1])
            return self._width, self._height
        before = dict(self.__dict__)
        width, height = super().wrap(availWidth, availHeight)
        if ON[0] and height <= availHeight + _FUZZ:
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
    """KeepTogether, measured with ``wrap_list``."""

    def wrap(self, aW, aH):
        dims = []
        width, self._H = wrap_list(self._content, aW, self.canv, dims)
        self._H0 = dims and dims[0][1] or 0
        self._wrapInfo = aW, aH
        return width, 0xFFFFFF  # force a split, as KeepTogether does


# --- blocks ------------------------------------------------------------------------------


class _Block:
    """A block's flowables as first built (never drawn: documents get copies)."""

    __slots__ = ("flowables", "keep", "drawings", "splits")

    def __init__(self, flowables: list, keep: object):
        self.flowables = flowables
        self.keep = keep  # the objects whose ids are in the key, kept alive with it
        self.drawings: dict = {}  # (path, size) -> Recording, False: always draw, or SEEN_ONCE
        self.splits: dict = {}  # (path, width, space) -> the parts a split made (never drawn)


def node_key(node) -> tuple:
    """Everything a handler can read from a node: tag, attributes, children (not the line)."""
    return (node.tag, tuple(node.attrs.items()),
            tuple(c if isinstance(c, str) else node_key(c) for c in node.children))


def _context_key(ctx) -> tuple[tuple, object]:
    """Every field of the render context, hashable (exercises by identity, kept alive with
    the key), so a field added to RenderContext later is part of the key too."""
    parts, keep = [], ()
    for name, value in sorted(vars(ctx).items()):
        if name == "exercises":
            keep = tuple(ex for ex, _ in value.values())
            value = tuple((k, id(ex), str(base)) for k, (ex, base) in value.items())
        elif isinstance(value, dict):
            value = tuple(sorted(value.items()))
        elif isinstance(value, list):
            value = tuple(value)
        try:
            hash(value)
        except TypeError:
            value = object()  # a key that never matches: built again each time, never wrong
        parts.append((name, value))
    return tuple(parts), keep


def build_story(nodes, ctx) -> list:
    """``handlers.build`` for the document's top-level blocks, reusing blocks built before."""
    if not ON[0]:
        return build(nodes, ctx)
    with LOCK:
        return _build_story(nodes, ctx)


def _build_story(nodes, ctx) -> list:
    out = []
    ctx_key, keep = _context_key(ctx)
    for node in nodes:
        if isinstance(node, str):
            continue
        key = (source_of(node) or node_key(node), ctx_key)
        block = _BLOCKS.get(key)
        if block is None:
            before = dict(ctx.__dict__)
            made = build([node], ctx)
            if ctx.__dict__ != before:  # the handler set something for the page (the header)
                out.extend(made)
                ctx_key, keep = _context_key(ctx)
                continue
            block = _Block(made, keep)
            _BLOCKS.put(key, block)
        trace = TraceInfo(f"{ctx.template} (rendered markup) <{node.tag}>", node.line or 0)
        for index, flowable in enumerate(block.flowables):
            mine = fresh(flowable)
            mine._traceInfo = trace
            arm(mine, block, (index,))
            out.append(mine)
    return out


_ARMING = ("draw", "split", "_reuse_label", "_reuse_part")
_KINDS: dict = {}  # class -> (copied as a plain object?, makes its items on first use?)


def _kind(cls) -> tuple[bool, bool]:
    plain = not (getattr(cls, "__copy__", None) or getattr(cls, "__setstate__", None)
                 or "__reduce_ex__" in cls.__dict__)
    kind = _KINDS[cls] = (plain, isinstance(getattr(cls, "_content", None), property))
    return kind


def fresh(flowable):
    """A copy a document may change: shallow, and so again for what a container hands on."""
    cls = type(flowable)
    plain, lazy = _KINDS.get(cls) or _kind(cls)
    if lazy:
        flowable._content  # a ListFlowable makes its items on first use: make them in the original
    if plain:  # what copy.copy does for a plain object, without its generic machinery
        mine = cls.__new__(cls)
        held = mine.__dict__
        held.update(flowable.__dict__)
    else:
        mine = copy.copy(flowable)
        held = mine.__dict__
    if "_reuse_label" in held:  # a part may hold an armed copy: arm the new copy anew
        for name in _ARMING:
            held.pop(name, None)
    content = held.get("_content")
    if type(content) is list:
        held["_content"] = [fresh(f) for f in content]
    content = held.get("_list_content")
    if type(content) is list:
        held["_list_content"] = [fresh(f) for f in content]
    if "_flowable" in held:  # list items pass what is set on them on to what they wrap
        held["_flowable"] = fresh(held["_flowable"])
    return mine


_ARMS: dict = {}  # class -> (replays its drawing?, reuses its splits?)


def _arms(cls) -> tuple[bool, bool]:
    # A graphics Drawing checks the attributes set on it: it is left as it is.
    draws = cls.drawOn is Flowable.drawOn and cls.__setattr__ is object.__setattr__
    arms = _ARMS[cls] = (draws, issubclass(cls, (Table, Paragraph, LIIndenter)))
    return arms


def arm(flowable, block: _Block, path: tuple) -> None:
    """Let a document's copy (and what it holds) replay its drawing and reuse its splits."""
    held = flowable.__dict__
    held["_reuse_label"] = (block, path)  # the same place in the same kept block: same content
    if "draw" not in held and "split" not in held:
        cls = type(flowable)
        draws, splits = _ARMS.get(cls) or _arms(cls)
        if draws:
            held["draw"] = _Replay(flowable, block, path)
        if splits:
            held["split"] = _Split(flowable, block, path)
    content = held.get("_content")
    if type(content) is list:
        for i, f in enumerate(content):
            arm(f, block, path + ("_content", i))
    content = held.get("_list_content")
    if type(content) is list:
        for i, f in enumerate(content):
            arm(f, block, path + ("_list_content", i))
    if "_flowable" in held:
        arm(held["_flowable"], block, path + ("_flowable",))


class _Split:
    """A kept table's, paragraph's or list item's ``split``: the same space gives the same
    parts, so the parts are made once and each document gets copies (which replay their
    drawings too)."""

    __slots__ = ("flowable", "block", "path")

    def __init__(self, flowable, block: _Block, path: tuple):
        self.flowable, self.block, self.path = flowable, block, path

    def __call__(self, availWidth, availHeight):
        f = self.flowable
        key = self.path + ("split", availWidth, availHeight, f.__dict__.get("width"), f.__dict__.get("_width"))
        parts = self.block.splits.get(key)
        if parts is None:
            parts = type(f).split(f, availWidth, availHeight)
            if any(p is f for p in parts):  # "all of me fits": nothing to keep
                return parts
            self.block.splits[key] = parts
        out = []
        for i, part in enumerate(parts):
            mine = fresh(part)
            arm(mine, self.block, key + (i,))
            mine.__dict__["_reuse_part"] = (key, i)
            out.append(mine)
        return out


class _Replay:
    """A kept block's ``draw``: drawn, then recorded, then replayed (``recording.drawn``)."""

    __slots__ = ("flowable", "block", "path")

    def __init__(self, flowable, block: _Block, path: tuple):
        self.flowable, self.block, self.path = flowable, block, path

    def __call__(self):
        f = self.flowable
        key = self.path + (f.__dict__.get("width"), f.__dict__.get("height"), f.__dict__.get("_width"),
                           f.__dict__.get("_height"))
        drawn(self.block.drawings, key, f.canv, partial(type(f).draw, f))
