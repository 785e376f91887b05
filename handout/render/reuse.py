"""Work that is the same for every patient, done once per process and reused.

Two levels, each keyed on everything that decides its result, so a key that matches gives
the same bytes as doing the work again:

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
- ``_Replay``: drawing a kept block at the same size writes the same PDF operators every
  time, but for two things that belong to the document: the codes its TrueType subsets give
  to characters (in order of first use) with the subsets' font names, and the names of
  transparency states. The first drawing is recorded with the characters it used per font;
  later documents feed those characters to the fonts in the same order (which assigns what
  drawing would have assigned), check the codes and names came out the same, and then
  append the recorded operators. Anything else a drawing could leave in the document
  (links, images, forms, standard fonts) makes the block one that is always drawn.

The caches are bounded and per process (the batch uses processes). ``off()`` turns them
off, which tests use to prove they change no byte.
"""

from __future__ import annotations

import copy
import re
import threading
from collections import OrderedDict
from contextlib import contextmanager
from functools import partial

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table
from reportlab.platypus.doctemplate import ActionFlowable, Indenter
from reportlab.platypus.flowables import CondPageBreak, ImageAndFlowables, _listWrapOn
from reportlab.rl_config import _FUZZ as _RL_FUZZ, listWrapOnFakeWidth
from reportlab.platypus.paragraph import cleanBlockQuotedText

from ..markup.parse import forget_blocks, source_of
from . import fonts
from .handlers import TraceInfo, build

_FUZZ = 1e-6
_MISSING = object()


class Lru(OrderedDict):
    """A dict that forgets its least recently used entries beyond ``size``."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get(self, key, default=None):
        try:
            self.move_to_end(key)
            return self[key]
        except KeyError:
            return default

    def put(self, key, value) -> None:
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)


_ON = [True]  # switched off only by ``off()``, to prove reuse changes no byte
# Kept flowables are shared by the documents made from them, and recording watches the
# fonts: one document is built and drawn at a time in a process (the batch uses processes;
# threads calling build_handout at once take turns here).
LOCK = threading.RLock()
_FRAGS = Lru(8192)   # (text, style id) -> (style, cleaned text, frags)
_LINES = Lru(16384)  # (text, style id, width) -> (style, width, wrap widths, blPara, height)
_BLOCKS = Lru(2048)  # (block key, context key) -> _Block
_CACHES = [_FRAGS, _LINES, _BLOCKS]  # (and _DECORATIONS, _PAGES, _SEEN below)


def clear() -> None:
    """Forget everything kept (tests use it to start cold)."""
    for cache in _CACHES + [_DECORATIONS, _PAGES, _SEEN]:
        cache.clear()
    fonts.forget_programs()
    forget_blocks()


@contextmanager
def off():
    """Build without reusing anything, for tests and the benchmark's before/after."""
    clear()
    _ON[0] = fonts.KEEP_PROGRAMS[0] = False
    try:
        yield
    finally:
        _ON[0] = fonts.KEEP_PROGRAMS[0] = True
        clear()


class Para(Paragraph):
    """A Paragraph whose parsed markup and line breaks are kept per process.

    Made with text and a style, it looks both up; made with ready ``frags`` (as
    ``Paragraph.split`` does) it behaves exactly as a plain Paragraph.
    """

    _key = None

    def __init__(self, text, style=None, bulletText=None, frags=None, caseSensitive=1, encoding="utf8"):
        if frags is not None or style is None or bulletText is not None or not caseSensitive or not _ON[0]:
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
        hit = self._sizes.get(availWidth) if _ON[0] else None
        if hit is not None and hit[0] <= availHeight + _FUZZ:
            self.__dict__.update(hit[1])
            return self._width, self._height
        before = dict(self.__dict__)
        width, height = super().wrap(availWidth, availHeight)
        if _ON[0] and height <= availHeight + _FUZZ:
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
        self.drawings: dict = {}  # (path, size) -> _Recording, or None: always draw
        self.splits: dict = {}  # (path, width, space) -> the parts a split made (never drawn)


def node_key(node) -> tuple:
    """Everything a handler can read from a node: tag, attributes, children (not the line)."""
    return (node.tag, tuple(node.attrs.items()),
            tuple(c if isinstance(c, str) else node_key(c) for c in node.children))


def _context_key(ctx) -> tuple[tuple, object]:
    exercises = tuple((k, id(ex), str(base)) for k, (ex, base) in ctx.exercises.items())
    header = tuple(sorted(ctx.header.items())) if ctx.header else None
    key = (ctx.theme, ctx.frame_width, ctx.frame_height, ctx.template, exercises, ctx.date, header,
           ctx.image_dirs)
    return key, tuple(ex for ex, _ in ctx.exercises.values())


def build_story(nodes, ctx) -> list:
    """``handlers.build`` for the document's top-level blocks, reusing blocks built before."""
    if not _ON[0]:
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
            mine = _fresh(flowable)
            mine._traceInfo = trace
            _arm(mine, block, (index,))
            out.append(mine)
    return out


def _fresh(flowable):
    """A copy a document may change: shallow, and so again for what a container hands on."""
    if isinstance(getattr(type(flowable), "_content", None), property):
        flowable._content  # a ListFlowable makes its items on first use: make them in the original
    cls = type(flowable)
    if getattr(cls, "__copy__", None) or getattr(cls, "__setstate__", None) or "__reduce_ex__" in cls.__dict__:
        mine = copy.copy(flowable)
    else:  # what copy.copy does for a plain object, without its generic machinery
        mine = cls.__new__(cls)
        mine.__dict__.update(flowable.__dict__)
    held = mine.__dict__
    for name in ("_content", "_list_content"):
        if isinstance(held.get(name), list):
            held[name] = [_fresh(f) for f in held[name]]
    if "_flowable" in held:  # list items pass what is set on them on to what they wrap
        held["_flowable"] = _fresh(held["_flowable"])
    return mine


def _arm(flowable, block: _Block, path: tuple) -> None:
    """Let a document's copy (and what it holds) replay its drawing and reuse its splits."""
    held = flowable.__dict__
    held["_reuse_label"] = (block, path)  # the same place in the same kept block: same content
    if "draw" not in held and "split" not in held:
        try:
            if type(flowable).drawOn is Flowable.drawOn:
                flowable.draw = _Replay(flowable, block, path)
            if isinstance(flowable, (Table, Paragraph)):
                flowable.split = _Split(flowable, block, path)
        except AttributeError:  # a graphics Drawing checks its attributes: leave it as it is
            pass
    for name in ("_content", "_list_content"):
        if isinstance(held.get(name), list):
            for i, f in enumerate(held[name]):
                _arm(f, block, path + (name, i))
    if "_flowable" in held:
        _arm(held["_flowable"], block, path + ("_flowable",))


class _Split:
    """A kept table's or paragraph's ``split``: the same space gives the same parts, so the
    parts are made once and each document gets copies (which replay their drawings too)."""

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
            mine = _fresh(part)
            _arm(mine, self.block, key + (i,))
            mine.__dict__["_reuse_part"] = (key, i)
            out.append(mine)
        return out


# --- drawing once, replaying after ------------------------------------------------------

# Canvas state a drawing may read before it sets its own (position aside: drawOn translates).
_STATE = ("_fontname", "_fontsize", "_leading", "_fillColorObj", "_strokeColorObj", "_lineWidth", "_lineCap",
          "_lineJoin", "_lineDash", "_mitreLimit", "_charSpace", "_wordSpace", "_horizScale",
          "_textRenderMode", "_rise", "_fillMode", "_textMode")
_GSTATE = re.compile(r"/(gRLs\d+) gs")


class _Recording:
    __slots__ = ("ops", "fonts", "gstates", "state", "forms", "template")

    def __init__(self, ops, fonts, gstates, state, forms):
        self.template = None    # the operators cut for rewriting codes (made when first needed)
        self.forms = forms      # names of the forms it showed (the page lists them)
        self.ops = ops          # the operators the drawing appended
        self.fonts = fonts      # [(font, characters in first-use order, codes, subset names, fast check)]
        self.gstates = gstates  # [(name used, transparency state)], in order of first use
        self.state = state      # the canvas state the drawing started from


def _state(canv) -> tuple:
    gstate = canv._extgstate._d
    return tuple(map(canv.__dict__.get, _STATE)) + ((tuple(sorted(gstate.items())),) if gstate else ())


def _traces(canv) -> tuple:
    """What a drawing must not change for its operators to be replayable elsewhere (forms it
    shows are noted and noted again on replay)."""
    doc = canv._doc
    return (doc.objectcounter, len(doc.idToObject), len(canv._annotationrefs),
            canv.__dict__.get("_currentPageHasImages"), len(getattr(canv, "_colorsUsed", ()) or ()),
            len(getattr(canv, "_shadingUsed", ()) or ()))


class _Replay:
    """A kept block's ``draw``: the first time record, afterwards replay (or draw)."""

    __slots__ = ("flowable", "block", "path")

    def __init__(self, flowable, block: _Block, path: tuple):
        self.flowable, self.block, self.path = flowable, block, path

    def __call__(self):
        f = self.flowable
        key = self.path + (f.__dict__.get("width"), f.__dict__.get("height"), f.__dict__.get("_width"),
                           f.__dict__.get("_height"))
        drawings = self.block.drawings
        if key not in drawings:
            drawings[key] = _record(f.canv, partial(type(f).draw, f))
        elif drawings[key] is None or not _replay(drawings[key], f.canv):
            type(f).draw(f)


_DECORATIONS = Lru(256)  # key -> _Recording or None, for what page callbacks draw


def draw_kept(key, canv, draw) -> None:
    """``draw()`` on ``canv``, or replay what it drew for the same key in an earlier document.

    For page decoration (a clinic's header): the key must name everything ``draw`` reads."""
    if not _ON[0]:
        draw()
        return
    if key not in _DECORATIONS:
        _DECORATIONS.put(key, _record(canv, draw))
        return
    rec = _DECORATIONS.get(key)
    if rec is None or not _replay(rec, canv):
        draw()


# The characters each recording in progress has drawn, per font in order of first use
# (recordings nest: a page being recorded holds blocks being recorded).
_LOGS: list = []


def _logging_split(font):
    split = type(font).splitString

    def splitString(text, doc, encoding="utf-8"):
        for log in _LOGS:
            log[font] = log.get(font, "") + text
        return split(font, text, doc, encoding)
    return splitString


def _log_start() -> dict:
    if not _LOGS:
        for font in pdfmetrics._fonts.values():
            if getattr(font, "_dynamicFont", 0):
                font.splitString = _logging_split(font)
    log: dict = {}
    _LOGS.append(log)
    return log


def _log_stop(log: dict) -> None:
    del _LOGS[next(i for i, held in enumerate(_LOGS) if held is log)]
    if not _LOGS:
        for font in pdfmetrics._fonts.values():
            font.__dict__.pop("splitString", None)


class _Start:
    """Where a recording began: the canvas as it was, and the log of characters drawn."""

    __slots__ = ("state", "traces", "fonts", "code", "forms", "log")

    def __init__(self, canv):
        self.state, self.traces, self.fonts = _state(canv), _traces(canv), set(canv._doc.fontMapping)
        self.code, self.forms = len(canv._code), len(canv._formsinuse)
        self.log = _log_start()


def _finish(canv, start: _Start, traces=None) -> _Recording | None:
    """The recording begun at ``start`` (None if what was drawn left more in the document
    than characters, fonts, transparency states and forms). ``traces``: the traces expected."""
    _log_stop(start.log)
    doc = canv._doc
    ops = canv._code[start.code:]
    used = start.log
    if _traces(canv) != (traces or start.traces) or not set(doc.fontMapping) - start.fonts <= {
            f.fontName for f in used}:
        return None
    chars = []
    for font, text in used.items():
        text = "".join(dict.fromkeys(text))
        codes = font.splitString(text, doc)
        # The quick check: each character's code in the font's table, and the font's name.
        ords = tuple(32 if c == "\xa0" else ord(c) for c in text)
        flat = tuple((n << 8) | b for n, chunk in codes for b in chunk)
        quick = (ords, flat, font.state[doc].internalName)
        chars.append((font, text, codes, [font.getSubsetInternalName(n, doc) for n, _ in codes], quick))
    names = {name: t for t, name in canv._extgstate._c.items()}
    gstates = [(name, names[name]) for name in dict.fromkeys(_GSTATE.findall("\n".join(ops)))]
    return _Recording(ops, chars, gstates, start.state, canv._formsinuse[start.forms:])


def _record(canv, draw) -> _Recording | None:
    """Draw, noting the operators written and what they hold that belongs to the document."""
    start = _Start(canv)
    try:
        draw()
    except BaseException:
        _log_stop(start.log)
        raise
    return _finish(canv, start)


def _replay(rec: _Recording, canv) -> bool:
    """Append the recorded operators, rewritten for this document's fonts, if drawing would
    write exactly those; False (having assigned only what drawing assigns) otherwise."""
    if _state(canv) != rec.state:
        return False
    doc = canv._doc
    rename, recode = {}, {}
    for font, text, codes, names, (ords, flat, internal) in rec.fonts:
        state = font.state.get(doc)
        if (state is not None and state.internalName == internal
                and tuple(map(state.assignments.get, ords)) == flat):
            for log in _LOGS:  # (drawing would have shown these to the font)
                log[font] = log.get(font, "") + text
            continue  # every character already has the recorded code, under the recorded name
        # Assign codes as drawing would, in its order, and compare.
        now = font.splitString(text, doc)
        now_names = [font.getSubsetInternalName(n, doc) for n, _ in now]
        if now == codes and now_names == names:
            continue
        # The patient's name came first and took other codes: same subsets, other bytes?
        if [(n, len(b)) for n, b in now] != [(n, len(b)) for n, b in codes]:
            return False
        for (_, old), (_, new), old_name, new_name in zip(codes, now, names, now_names):
            if new_name != old_name:
                rename[old_name] = new_name
            changed = {a: b for a, b in zip(old, new) if a != b}
            if changed:
                recode.setdefault(old_name, {}).update(changed)
    ops = rec.ops
    if rename or recode:
        if rec.template is None:
            rec.template = _template(ops)
        ops = _recoded(ops, rename, recode, rec.template)
        if ops is None:
            return False
    if rec.gstates:
        known = canv._extgstate._c
        rename = {}
        for name, gstate in rec.gstates:
            if gstate not in known:
                known[gstate] = "gRLs" + str(len(known))
            if known[gstate] != name:
                rename[name] = known[gstate]
        if rename:
            ops = [_GSTATE.sub(lambda m: f"/{rename.get(m.group(1), m.group(1))} gs", op) for op in ops]
    canv._code.extend(ops)
    canv._formsinuse.extend(rec.forms)
    return True


# A font chosen for text ("/F1+0 13 Tf"), or a string shown in it. ReportLab writes every
# byte outside printable ASCII as an octal escape, and ASCII keeps its codes in every
# document, so only the octal escapes can differ between documents.
_TEXT = re.compile(r"(/[^\s/()<>\[\]{}%]+) [-+.\d]+ Tf|\((?:\\[0-7]{3}|\\[\\()]|[^\\()])*\)")
_ESCAPED = re.compile(r"\\([0-7]{3})|\\[\\()]")


def _template(ops: list) -> list:
    """Each operator string cut where a document's fonts show through it: font choices and
    strings holding escaped bytes (None for a string where nothing does)."""
    out = []
    for op in ops:
        pieces, pos = [], 0
        for m in _TEXT.finditer(op):
            name = m.group(1)
            if name is None and "\\" not in m.group(0):
                continue  # printable ASCII only: the same in every document
            pieces.append(op[pos:m.start()])
            pieces.append((name, m.group(0)[len(name):]) if name is not None else (None, m.group(0)))
            pos = m.end()
        out.append(pieces + [op[pos:]] if pieces else None)
    return out


def _recoded(ops: list, rename: dict, recode: dict, template: list | None = None) -> list | None:
    """The operators with subset names and character codes of this document's fonts (None
    if they show a font this does not know how to rewrite)."""
    current = None
    out = []
    for op, pieces in zip(ops, template or _template(ops)):
        if pieces is None:
            out.append(op)
            continue
        made = []
        for piece in pieces:
            if type(piece) is str:
                made.append(piece)
            elif piece[0] is not None:  # a font chosen
                current = piece[0]
                if "+" not in current and current not in rename:
                    return None  # not a subset of a TrueType font
                made.append(rename.get(current, current) + piece[1])
            else:  # a string shown in the current font
                table = recode.get(current)
                made.append(_ESCAPED.sub(lambda m: m.group(0) if m.group(1) is None else escapePDF(
                    bytes((table.get(int(m.group(1), 8), int(m.group(1), 8)),))), piece[1]) if table else piece[1])
        out.append("".join(made))
    return out


# --- whole pages ------------------------------------------------------------------------
#
# Past the first page, a handout's pages hold nothing of the patient's: the same kept
# blocks, in the same order, from the same place. ReportLab still measures, splits and
# places every flowable again. A page is recorded (the second time its start is seen):
# the story it started from (each flowable's kept block and place in it, and what layout
# had set on it), the operators it drew, what it noted (bookmarks, cards), and the story it
# left. A later page starting from the same story replays that, with the fonts' codes and
# names checked and rewritten as for a block, and hands on the same story.

_PAGES = Lru(256)   # start of a page -> _Page, or None: lay it out each time
_SEEN = Lru(4096)   # hashes of starts seen once (a patient's first page is seen once: not kept)
class _Page:
    __slots__ = ("rec", "notes", "placed", "ended", "parts", "tail", "touched", "blocks")

    def __init__(self, rec, notes, placed, ended, parts, tail, touched, blocks):
        self.rec = rec          # the frame's drawing (_Recording)
        self.notes = notes      # what the document noted, in order (bookmarks, cards)
        self.placed = placed    # flowables placed (ReportLab's empty-page check counts them)
        self.ended = ended      # "page": the story went on; "story": the last page
        self.parts = parts      # what starts the story after: kept split parts, items of a list
        self.tail = tail        # index in the starting story of the first flowable handed on
        self.touched = touched  # [(index, postponed, keepWithNext)] that layout changed
        self.blocks = blocks    # the kept blocks the labels name (kept alive with the page)


def _marks(f) -> tuple:
    """What layout may have set on a flowable, that decides how it is laid out again."""
    return hasattr(f, "_postponed"), f.__dict__.get("keepWithNext", _MISSING)


def _mark(f, marks) -> None:
    """Set on a flowable what layout had set on it where the page was recorded."""
    postponed, keep = marks
    if postponed and not hasattr(f, "_postponed"):
        f._postponed = 1
    if keep is _MISSING:
        f.__dict__.pop("keepWithNext", None)
    else:
        f.__dict__["keepWithNext"] = keep


def _start_of(story: list) -> tuple | None:
    """The story a page starts from, as a key: None if any flowable is not from a kept block."""
    key = []
    for f in story:
        label = getattr(f, "__dict__", {}).get("_reuse_label")
        if label is None:
            return None
        key.append((label, _marks(f)))
    return tuple(key)


class PageRecording:
    """A page being recorded, from its first flowable to its end."""

    __slots__ = ("key", "story", "before", "start", "notes", "objects")

    def __init__(self, key, story: list, canv):
        self.key, self.story, self.before = key, story, list(story)
        self.start = _Start(canv)
        self.notes = []
        self.objects = 0  # objects the notes added to the document (bookmarks)

    def finish(self, doc) -> _Page | None:
        canv = doc.canv
        t = self.start.traces
        expected = (t[0] + self.objects, t[1] + self.objects) + t[2:]
        rec = _finish(canv, self.start, expected)
        if rec is None:
            return None
        after, before = self.story, self.before
        index = {id(f): i for i, f in enumerate(before)}
        holders = {label: i for i, (label, _) in enumerate(self.key)}
        parts = []
        for f in after:
            if id(f) in index:
                break
            held = getattr(f, "__dict__", {})
            label, part = held.get("_reuse_label"), held.get("_reuse_part")
            if part is not None:  # a part of a kept split
                parts.append(("part", label[0]) + part + (_marks(f),))
            elif label is not None and label[1][-2:-1] in (("_content",), ("_list_content",)) and (
                    (label[0], label[1][:-2]) in holders):  # an item a list or group handed on
                parts.append(("held", holders[(label[0], label[1][:-2])], label[1][-2], label[1][-1], _marks(f)))
            else:
                return None  # something of ReportLab's own starts the next page
        tail = len(before) - (len(after) - len(parts))
        if [id(f) for f in after[len(parts):]] != [id(f) for f in before[tail:]]:
            return None
        touched = [(i, *_marks(before[i])) for i in range(tail, len(before)) if _marks(before[i]) != self.key[i][1]]
        blocks = {label[0] for label, _ in self.key}
        return _Page(rec, self.notes, doc._curPageFlowableCount, "page" if after else "story", parts, tail,
                     touched, blocks)


def page_start(doc, story: list) -> bool:
    """At the top of a page: replay it (True), or begin recording it if seen before."""
    doc._page_recording = None
    if not _ON[0]:
        return False
    key = _start_of(story)
    if key is None:
        return False
    if key in _PAGES:
        page = _PAGES.get(key)
        return page is not None and _replay_page(doc, story, page)
    if _SEEN.get(hash(key)) is None:
        _SEEN.put(hash(key), True)
        return False
    doc._page_recording = PageRecording(key, story, doc.canv)
    return False


def page_note(doc, note, apply) -> None:
    """The document notes something (a bookmark, a card): ``apply(note)``, kept with the page."""
    recording = getattr(doc, "_page_recording", None)
    if recording is None:
        apply(note)
        return
    before = doc.canv._doc.objectcounter
    apply(note)
    recording.objects += doc.canv._doc.objectcounter - before
    recording.notes.append(note)


def page_end(doc) -> None:
    """The page is ending: keep what was recorded."""
    recording = getattr(doc, "_page_recording", None)
    if recording is not None:
        doc._page_recording = None
        _PAGES.put(recording.key, recording.finish(doc))


def _replay_page(doc, story: list, page: _Page) -> bool:
    if not _replay(page.rec, doc.canv):
        return False
    for note in page.notes:
        doc.note(note)
    handed = []
    for kind, *where, marks in page.parts:
        if kind == "part":
            block, key, index = where
            mine = _fresh(block.splits[key][index])
            _arm(mine, block, key + (index,))
            mine.__dict__["_reuse_part"] = (key, index)
        else:
            holder, name, index = where
            mine = story[holder].__dict__[name][index]
        _mark(mine, marks)
        handed.append(mine)
    rest = story[page.tail:]
    for index, *marks in page.touched:
        _mark(story[index], marks)
    story[:] = handed + rest
    doc._curPageFlowableCount = page.placed
    if page.ended == "page":
        doc.handle_frameEnd()
    return True
