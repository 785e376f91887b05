"""``Reuse``: the one object that owns every cache of work reused across documents.

One switch (``enabled``) turns every cache off: templates' output, parsed markup, figures,
paragraphs, blocks, drawings, pages, font programs, page streams and page dictionaries.
Counters (``counts``) say what was reused, so a test can fail when reuse silently stops;
bounds (``Bounds``) cap what each cache keeps.

Here too are the caches that wrap one call each: templates' output with a hole for the
name (``markup.holes``), parsing (the render side hands a store to ``markup.parse``),
figures, and font programs (``KeptFace``).

The pipeline hands a ``Reuse`` to the render stage; deep inside ReportLab's callbacks (a
paragraph's ``wrap``, a font's subset) the object in use is ``current()``: the one made
active for the document being built, else the process's own (``SHARED``).
"""

from __future__ import annotations

import pickle
import threading
import zlib
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFace

from ...disk import DISK, fingerprint
from ...figures import build_figure
from ...markup.parse import Node, parse_markup
from ..fonts import FONT_NAMES, register_fonts
from . import shapes

# Kept flowables are shared by the documents made from them, and recording watches the
# process's fonts: one document is laid out and drawn at a time in a process (the batch
# uses processes; threads calling build_handout at once take turns here).
LOCK = threading.RLock()


_MISSING = object()


class Lru(OrderedDict):
    """A dict that forgets its least recently used entries beyond ``size``.

    What is put in waits on trial (the ``trial`` entries put last) until it is asked for
    again; only then is it kept. Work done for one patient alone (their name's paragraph,
    block, footer, font subset) is never asked for again, so it passes through the trial
    and a worker's memory stays flat however many patients it serves. ``trial=0``: kept at
    once (for what is put only on its second sight)."""

    def __init__(self, size: int, trial: int = 0):
        super().__init__()
        self.size = size
        self.trial_size = trial
        self.trial: OrderedDict = OrderedDict()

    def __contains__(self, key) -> bool:
        return OrderedDict.__contains__(self, key) or key in self.trial

    def get(self, key, default=None):
        try:
            self.move_to_end(key)
            return self[key]
        except KeyError:
            pass
        value = self.trial.pop(key, _MISSING)
        if value is _MISSING:
            return default
        self._keep(key, value)  # asked for again: kept
        return value

    def put(self, key, value) -> None:
        if not self.trial_size or OrderedDict.__contains__(self, key):
            self._keep(key, value)
            return
        self.trial[key] = value
        self.trial.move_to_end(key)
        if len(self.trial) > self.trial_size:
            self._dropped(*self.trial.popitem(last=False))

    def _keep(self, key, value) -> None:
        self[key] = value
        self.move_to_end(key)
        if len(self) > self.size:
            self._dropped(*self.popitem(last=False))

    def _dropped(self, key, value) -> None:
        """An entry was forgotten (for caches that hold more about their entries)."""

    def clear(self) -> None:
        super().clear()
        self.trial.clear()


class ParsedBlocks(Lru):
    """Checked top-level Nodes by (line, source), shared between the trees that hold them;
    ``source_of`` gives the markup a kept Node came from (a cheap key for its block)."""

    def __init__(self, size: int, trial: int, counts: Counts):
        super().__init__(size, trial)
        self.counts = counts
        self.sources: dict = {}  # id(Node kept or on trial) -> (Node, source)

    def get(self, key, default=None):
        node = super().get(key, default)
        if node is not None:
            self.counts.parsed_reused += 1
        return node

    def put(self, key, node: Node) -> None:
        self.sources[id(node)] = (node, key[1])
        super().put(key, node)

    def _dropped(self, key, node) -> None:
        self.sources.pop(id(node), None)

    def clear(self) -> None:
        super().clear()
        self.sources.clear()

    def source_of(self, node: Node) -> bytes | None:
        entry = self.sources.get(id(node))
        return entry[1] if entry is not None and entry[0] is node else None


@dataclass(frozen=True)
class Bounds:
    """How many entries each cache keeps at most (the least recently used go first)."""

    markups: int = 64         # plans, and templates' output with a hole for the name, per all else they were given
    parsed: int = 4096        # checked Nodes, per (line, markup) of a top-level block
    figures: int = 512        # exercise figures, per (exercise, pose data, size, style)
    paragraphs: int = 8192    # a paragraph's parsed markup, per (text, style)
    lines: int = 16384        # a paragraph's line breaks, per (text, style, width, frags)
    blocks: int = 2048        # a top-level block's flowables, per (markup, render context)
    decorations: int = 256    # page headers and footers drawn, per what they show
    pages: int = 256          # whole pages, per the story they start from
    seen_pages: int = 4096    # starts of pages seen once (recorded the second time)
    programs: int = 128       # font subset programs, per (font file, characters)
    streams: int = 256        # written page stream objects, per their operators
    written: int = 256        # written page dictionaries, per what they hold
    trial: int = 64           # entries seen once that each cache holds on trial, at least (or an eighth of its bound)


@dataclass
class Counts:
    """What was reused (and made to be reused) since the Reuse was made: a test reads the
    difference a build makes."""

    plans_reused: int = 0        # requests not resolved again (the patient put into a kept plan)
    markups_reused: int = 0      # templates not rendered again (the name filled into a kept shape)
    trees_reused: int = 0        # markup not parsed and checked again (the name put into a kept shape's tree)
    parsed_reused: int = 0       # top-level markup blocks not parsed again
    figures_reused: int = 0      # figures not drawn up again
    paragraphs_reused: int = 0   # paragraphs whose markup was not parsed again
    lines_reused: int = 0        # paragraph wraps that took kept line breaks
    blocks_built: int = 0        # top-level blocks built and kept
    blocks_reused: int = 0       # top-level blocks copied from kept ones
    drawings_recorded: int = 0   # drawings (blocks, headers, footers) recorded
    drawings_replayed: int = 0   # recorded drawings replayed instead of drawn
    pages_recorded: int = 0      # whole pages recorded
    pages_replayed: int = 0      # whole pages replayed instead of laid out
    programs_reused: int = 0     # font subset programs not made again
    streams_reused: int = 0      # page streams not compressed and written again (the same page as another handout's)
    written_reused: int = 0      # page dictionaries not written again


class Reuse:
    """Every cache of work reused across documents, behind one switch.

    ``Reuse(enabled=False)`` builds every document from scratch (the bytes are the same:
    tests prove it). Hand one to ``build_handout(..., reuse=)`` or ``build_poster``, or make
    it active for a block of code with ``with reuse.active():``.
    """

    def __init__(self, enabled: bool = True, bounds: Bounds = Bounds()):
        self.enabled = enabled
        self.bounds = bounds
        self.counts = Counts()
        self._make()

    def _make(self) -> None:
        b = self.bounds

        def trial(size: int) -> int:
            return max(b.trial, size // 8)

        self.plans = Lru(b.markups, trial(b.markups))  # request but the patient -> (plan, library)
        self.markups = Lru(b.markups, trial(b.markups))  # shape key -> shapes.Shape, None or SEEN_ONCE
        self.last = shapes.Last()  # the plan and markup last made from kept ones (see shapes)
        self.parsed = ParsedBlocks(b.parsed, trial(b.parsed), self.counts)
        self.figures = Lru(b.figures)
        self.frags = Lru(b.paragraphs, trial(b.paragraphs))  # (text, style id) -> (style, cleaned text, frags)
        # A paragraph wraps once per width (``_again``): its line breaks come as often as its
        # markup, so they wait on the same trial (a longer one holds a thousand more patients').
        self.lines = Lru(b.lines, trial(b.paragraphs))  # (text, style id, width, frags id) -> (style, frags, what wrap set)
        self.blocks = Lru(b.blocks, trial(b.blocks))  # (block key, context key) -> a kept block
        self.decorations = Lru(b.decorations, trial(b.decorations))  # key -> Recording, False or SEEN_ONCE
        self.pages = Lru(b.pages)        # start of a page -> a kept page, or None: lay it out each time
        self.seen = Lru(b.seen_pages)    # hashes of page starts seen once
        self.programs = Lru(b.programs, trial(b.programs))  # (font file, characters) -> the subset's program
        self.compressed = Lru(b.programs, trial(b.programs))  # id of a kept program -> (program, its Flate bytes)
        self.streams = Lru(b.streams, trial(b.streams))  # a page's operators -> its stream object written (Flate)
        self.written = Lru(b.written, trial(b.written))  # what a page dictionary holds -> its bytes

    _NAMES = ("plans", "markups", "parsed", "figures", "frags", "lines", "blocks", "decorations", "pages", "seen", "programs",
              "streams", "written")

    def held(self) -> dict[str, int]:
        """How many entries each cache keeps now (each at most its bound)."""
        return {name: len(getattr(self, name)) for name in self._NAMES}

    def on_trial(self) -> dict[str, int]:
        """How many entries seen once each cache holds on trial (each at most its trial size)."""
        return {name: len(getattr(self, name).trial) for name in self._NAMES}

    def clear(self) -> None:
        """Forget everything kept (the counts go on)."""
        with LOCK:
            self._make()

    @contextmanager
    def active(self):
        """Make this the ``current()`` Reuse while a document is built."""
        keep_programs()
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)

    def plan(self, request, library, resolve):
        """``resolve(request, library)``, or for a patient of a request seen before, the
        plan it gave with this patient's name and id (``shapes.plan_for``)."""
        return shapes.plan_for(self, request, library, resolve)

    def markup(self, template: str, context, value: str, extra: tuple[str, ...], language: str,
               plan=None) -> str:
        """``render_template`` with ``context()`` (``value``: the name there), or the kept
        shape with the name filled in (``shapes.markup_for``)."""
        return shapes.markup_for(self, template, context, value, extra, language, plan)

    def parse_checked(self, markup: str, template: str, check) -> Node:
        """``parse`` the markup and ``check(tree, template)``, or the tree of the kept shape it
        was filled from with the name put in (``shapes.parse_checked``)."""
        return shapes.parse_checked(self, markup, template, check)

    def kept(self, store: Lru, key, make, count: str):
        """``make()``, or what it gave for ``key`` before (``store``: one of these caches,
        ``count``: the counter of its hits)."""
        value = store.get(key)
        if value is None:
            value = make()
            store.put(key, value)
        else:
            setattr(self.counts, count, getattr(self.counts, count) + 1)
        return value

    def parse(self, markup: str, template: str = "") -> Node:
        """``parse_markup``, sharing checked top-level blocks with earlier documents."""
        return parse_markup(markup, template, self.parsed if self.enabled else None)

    def source_of(self, node: Node) -> bytes | None:
        """The markup a kept top-level Node was parsed from (None for any other Node)."""
        return self.parsed.source_of(node)

    def figure(self, exercise_id, spec, image, base_dir, width_pt, height_pt, style):
        """``figures.build_figure``, kept: the same object may come back (draw it, do not
        change it)."""
        if not self.enabled:
            return build_figure(exercise_id, spec, image, base_dir, width_pt, height_pt, style)
        key = (exercise_id, spec, image, base_dir, width_pt, height_pt, style)
        made = self.figures.get(key)
        if made is None:
            made = _figure_kept_on_disk(exercise_id, spec, image, base_dir, width_pt, height_pt, style)
            self.figures.put(key, made)
        else:
            self.counts.figures_reused += 1
        return made


def _figure_kept_on_disk(exercise_id, spec, image, base_dir, width_pt, height_pt, style):
    """``build_figure``, through the disk cache (``handout.disk``) for figures drawn from
    pose data: a fresh process does not draw them up again. Keyed on the pose data (its
    ``repr``, every field: a JSON dump would build a serializer in each fresh process), size
    and style, and on the figure code and ReportLab's version."""
    if image is not None or spec is None or not DISK.enabled:
        return build_figure(exercise_id, spec, image, base_dir, width_pt, height_pt, style)
    key = _figure_code() + repr((exercise_id, spec, width_pt, height_pt, style)).encode()
    data = DISK.load("figure", key)
    if data is not None:
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 (a damaged file is work to do again, not an error)
            pass
    made = build_figure(exercise_id, spec, image, base_dir, width_pt, height_pt, style)
    DISK.store("figure", key, pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
    return made


@lru_cache(maxsize=1)
def _figure_code() -> bytes:
    from reportlab import Version

    from ... import figures
    from ...model import pose

    # the figure code, and the pose model whose properties it asks (working_side decides the
    # mirror and the footprints)
    return fingerprint(*sorted(Path(figures.__file__).parent.glob("*.py")), Path(pose.__file__),
                       extra=f"{Version} {pickle.HIGHEST_PROTOCOL}")


SHARED = Reuse()  # the process's own, used when no other is handed over
_ACTIVE: ContextVar[Reuse] = ContextVar("handout_reuse", default=SHARED)


def current() -> Reuse:
    """The Reuse of the document being built (``SHARED`` outside a build)."""
    return _ACTIVE.get()


def kept_figure(exercise_id, spec, image, base_dir, width_pt, height_pt, style):
    """An exercise figure, kept by the ``current()`` Reuse (see ``Reuse.figure``)."""
    return _ACTIVE.get().figure(exercise_id, spec, image, base_dir, width_pt, height_pt, style)


def kept_aspect(exercise_id, spec, image, base_dir, style, measure) -> float:
    """``measure()`` (the aspect of a figure's ink), kept with the ``current()`` Reuse's
    figures, and on disk beside them for a figure drawn from pose data (keyed as they are):
    a fresh build need not load a probe figure to measure it."""
    reuse = _ACTIVE.get()
    if not reuse.enabled:
        return measure()
    key = ("aspect", exercise_id, spec, image, base_dir, style)
    found = reuse.figures.get(key)
    if found is None:
        if image is not None or spec is None or not DISK.enabled:
            found = measure()
        else:
            found = DISK.pickled("aspect", _figure_code() + repr((exercise_id, spec, style)).encode(), measure)
        reuse.figures.put(key, found)
    return found


# --- font programs ------------------------------------------------------------------------


class _KeptFlate:
    """Flate, as ReportLab applies it, remembering the font programs it compressed."""

    pdfname = "FlateDecode"

    def encode(self, data):
        reuse = current()
        if not reuse.enabled:
            return zlib.compress(data)
        kept = reuse.compressed.get(id(data))
        if kept is None or kept[0] is not data:
            kept = (data, zlib.compress(data))
            reuse.compressed.put(id(data), kept)
        return kept[1]


_KEPT_FLATE = _KeptFlate()


class KeptFace(TTFontFace):
    """A face that makes (and compresses) each subset's font program once per Reuse: every
    handout embeds subsets of the same fonts, most with the same characters in the same
    order (all of ASCII, then the few others in order of first use), and the same
    characters give the same program, byte for byte."""

    def makeSubset(self, subset):
        reuse = current()
        if not reuse.enabled:
            return super().makeSubset(subset)
        make = lambda: super(KeptFace, self).makeSubset(subset)
        return reuse.kept(reuse.programs, (self.filename, tuple(subset)), make, "programs_reused")

    def addSubsetObjects(self, doc, fontname, subset):
        ref = super().addSubsetObjects(doc, fontname, subset)
        program = doc.idToObject.get(f"fontFile:{self.filename}({fontname})")
        if program is not None and program.filters == [pdfdoc.PDFZCompress]:
            program.filters = [_KEPT_FLATE]
        return ref


def keep_programs() -> None:
    """Give the bundled fonts faces that keep their programs (idempotent; a face does
    what ReportLab's does while reuse is off)."""
    register_fonts()
    for name in FONT_NAMES:
        face = pdfmetrics.getFont(name).face
        if type(face) is TTFontFace:
            face.__class__ = KeptFace
