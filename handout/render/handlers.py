"""Dispatch from markup tags to the functions that build flowables.

A dict filled by a decorator that refuses duplicates, so a reader can grep for
``@handles("p")`` and find exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from reportlab.platypus import KeepTogether

from ..errors import MarkupError
from .theme import Theme

HANDLERS: dict[str, Callable] = {}


@dataclass(frozen=True)
class TraceInfo:
    """Where a flowable came from, in the shape ReportLab's LayoutError messages expect."""

    srcFile: str
    startLineNo: int
    startLinePos: int = 0
    endLineNo: int = 0
    endLinePos: int = 0


def handles(*tags: str):
    def register(fn):
        for tag in tags:
            if tag in HANDLERS:
                raise ValueError(f"two handlers for <{tag}>")
            HANDLERS[tag] = fn
        return fn

    return register


@dataclass
class RenderContext:
    """What handlers need beyond the node: theme, frame size, and the plan's exercises."""

    theme: Theme
    frame_width: float
    frame_height: float
    template: str = ""
    exercises: dict = field(default_factory=dict)  # id -> (Exercise, base_dir)
    date: object = None
    header: dict | None = None
    image_dirs: tuple = ()
    language: str = "en"


def in_cell(flowables: list) -> list:
    """Flowables for a table cell (a td, a column, a box row, a card's body).

    ReportLab cannot draw a KeepTogether inside a cell (it fails, or claims the content
    does not fit); a cell is never split anyway, so each gives way to what it holds.
    """
    out = []
    for flowable in flowables:
        if isinstance(flowable, KeepTogether):
            out.extend(in_cell(list(flowable._content)))
        else:
            out.append(flowable)
    return out


def build(nodes, ctx: RenderContext) -> list:
    """Flowables for a list of block nodes."""
    out = []
    for node in nodes:
        if isinstance(node, str):
            continue
        handler = HANDLERS.get(node.tag)
        if handler is None:
            raise MarkupError(f"<{node.tag}> cannot stand here", ctx.template, node.line)
        made = handler(node, ctx)
        for flowable in made:
            if getattr(flowable, "_traceInfo", None) is None:
                try:
                    flowable._traceInfo = TraceInfo(f"{ctx.template} (rendered markup) <{node.tag}>",
                                                    node.line or 0)
                except AttributeError:
                    pass
        out.extend(made)
    return out
