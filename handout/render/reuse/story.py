"""Top-level blocks built once and copied into each document's story.

Each top-level block of the markup (a card, a box, an article paragraph) becomes flowables
once, keyed on the block's own markup and the render context (theme, frame, date, the
plan's exercises). A block that holds the patient's name has a key of its own; one that
holds nothing personal is built once for the whole batch. Every document gets fresh
shallow copies, so what ReportLab changes while laying out (``keepWithNext``,
``_postponed``) never reaches the kept originals.

A kept block drawn at the same size draws the same operators: the first drawing is
recorded and later documents replay it (``_Replay``, ``recording``); a split of a kept
table or paragraph in the same space gives the same parts (``_Split``). Every copy carries
a label (its block and place in it), from which whole pages replay (``pages``).
"""

from __future__ import annotations

import copy
import itertools
from functools import partial

from reportlab.platypus import Flowable, Paragraph, Table
from reportlab.platypus.flowables import LIIndenter

from ..handlers import TraceInfo, build
from .core import LOCK, Reuse, current
from .recording import drawn


class _Block:
    """A block's flowables as first built (never drawn: documents get copies).

    Hashed by a serial number, never by ``id``: the pages seen once are kept as hashes of
    the labels that start them, and a patient's block, once forgotten, would hand its id to
    the next patient's, whose first page would then pass for one seen before and be kept
    (with that block) as every patient's is."""

    __slots__ = ("flowables", "keep", "drawings", "splits", "serial")
    _serials = itertools.count()

    def __init__(self, flowables: list, keep: object):
        self.serial = next(self._serials)
        self.flowables = flowables
        self.keep = keep  # the objects whose ids are in the key, kept alive with it
        self.drawings: dict = {}  # (path, size) -> Recording, False: always draw, or SEEN_ONCE
        self.splits: dict = {}  # (path, width, space) -> the parts a split made (never drawn)

    def __hash__(self) -> int:
        return hash(("block", self.serial))


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


def build_story(nodes, ctx, reuse: Reuse | None = None) -> list:
    """``handlers.build`` for the document's top-level blocks, reusing blocks built before."""
    reuse = reuse or current()
    with reuse.active():
        if not reuse.enabled:
            return build(nodes, ctx)
        with LOCK:
            return _build_story(nodes, ctx, reuse)


def _build_story(nodes, ctx, reuse: Reuse) -> list:
    out = []
    ctx_key, keep = _context_key(ctx)
    for node in nodes:
        if isinstance(node, str):
            continue
        key = (reuse.source_of(node) or node_key(node), ctx_key)
        block = reuse.blocks.get(key)
        if block is not None:
            reuse.counts.blocks_reused += 1
        else:
            before = dict(ctx.__dict__)
            made = build([node], ctx)
            if ctx.__dict__ != before:  # the handler set something for the page (the header)
                out.extend(made)
                ctx_key, keep = _context_key(ctx)
                continue
            block = _Block(made, keep)
            reuse.blocks.put(key, block)
            reuse.counts.blocks_built += 1
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
    splits = issubclass(cls, (Table, Paragraph, LIIndenter)) or getattr(cls, "kept_splits", False)
    arms = _ARMS[cls] = (draws, splits)
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


def label_beside(flowable, kept, *place):
    """Label a flowable made for each document (a break kept before a heading) by a kept
    neighbour and its ``place`` beside it, so a page that starts from it can replay."""
    label = kept.__dict__.get("_reuse_label")
    if label is not None:
        flowable.__dict__["_reuse_label"] = (label[0], label[1] + place)
    return flowable
