"""Whole pages recorded once and replayed.

Past the first page, a handout's pages hold nothing of the patient's: the same kept
blocks, in the same order, from the same place. ReportLab would still measure, split and
place every flowable again. A page is recorded (the second time its start is seen): the
story it started from (each flowable's kept block and place in it, and what layout had
set on it), the operators it drew, what it noted (bookmarks, cards), and the story it
left. A later page starting from the same story replays that, with the fonts' codes and
names checked and rewritten as for a block (``recording``), and hands on the same story.

Pages written once: such a page's operators are then the same bytes for every patient
(their line in the footer is a form each document defines; the content's characters are
given their font codes before anything is drawn, so the letters of a name do not shift
them), and their stream object is written once per process, as is every page's
dictionary (``keep_page_streams``).
"""

from __future__ import annotations

import hashlib
import re

from markupsafe import escape
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.platypus import BaseDocTemplate

from ..fonts import FONT_NAMES
from .core import current
from .flowables import KeptTogether
from .recording import Start, finish, replay, stop
from .story import arm, fresh

_MISSING = object()


class _Page:
    __slots__ = ("rec", "notes", "placed", "ended", "parts", "tail", "touched", "blocks")

    def __init__(self, rec, notes, placed, ended, parts, tail, touched, blocks):
        self.rec = rec          # the frame's drawing (a Recording)
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
        self.start = Start(canv)
        self.notes = []
        self.objects = 0  # objects the notes added to the document (bookmarks)

    def finish(self, doc) -> _Page | None:
        canv = doc.canv
        t = self.start.traces
        expected = (t[0] + self.objects, t[1] + self.objects) + t[2:]
        rec = finish(canv, self.start, expected)
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
            elif isinstance(f, KeptTogether):  # a heading and what follows, grouped by layout
                held_at = [index.get(id(c)) for c in f._content]
                if None in held_at or held_at != list(range(held_at[0], held_at[0] + len(held_at))):
                    return None
                parts.append(("together", held_at[0], len(held_at), [_marks(c) for c in f._content], _marks(f)))
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
    reuse = current()
    if not reuse.enabled:
        return False
    key = _start_of(story)
    if key is None:
        return False
    if key in reuse.pages:
        page = reuse.pages.get(key)
        if page is None or not _replay_page(doc, story, page):
            return False
        reuse.counts.pages_replayed += 1
        return True
    if reuse.seen.get(hash(key)) is None:  # (a patient's first page is seen once: not kept)
        reuse.seen.put(hash(key), True)
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
        reuse = current()
        page = recording.finish(doc)
        reuse.pages.put(recording.key, page)
        reuse.counts.pages_recorded += page is not None


def page_abandon(doc) -> None:
    """The document failed: stop recording its page (the fonts stop logging characters)."""
    recording = getattr(doc, "_page_recording", None)
    if recording is not None:
        doc._page_recording = None
        stop(recording.start)


def _replay_page(doc, story: list, page: _Page) -> bool:
    if not replay(page.rec, doc.canv):
        return False
    for note in page.notes:
        doc.note(note)
    handed = []
    for kind, *where, marks in page.parts:
        if kind == "part":
            block, key, index = where
            mine = fresh(block.splits[key][index])
            arm(mine, block, key + (index,))
            mine.__dict__["_reuse_part"] = (key, index)
        elif kind == "together":  # as ReportLab's handle_keepWithNext groups them
            start, count, inner = where
            for f, held in zip(story[start:start + count], inner):
                _mark(f, held)
            mine = doc.keepTogetherClass(story[start:start + count])
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


class ReplayingDocTemplate(BaseDocTemplate):
    """A DocTemplate whose pages replay when they start from a story seen before
    (``page_start``); the document calls ``page_note`` for what it notes and
    ``page_abandon`` when its build fails."""

    _fresh_page = False
    _page_recording = None
    first_chars = ""  # given their font codes before anything is drawn (``first_chars``)

    def beforeDocument(self):  # noqa: N802 (ReportLab's name)
        super().beforeDocument()
        doc = self.canv._doc
        for name in FONT_NAMES:
            pdfmetrics.getFont(name).splitString(self.first_chars, doc)  # codes in this order

    def beforePage(self):
        self._fresh_page = True

    def handle_flowable(self, flowables):
        if self._fresh_page and flowables is not self._hanging:
            self._fresh_page = False
            if page_start(self, flowables):
                return
        super().handle_flowable(flowables)

    def handle_pageEnd(self):
        page_end(self)
        super().handle_pageEnd()


# Characters the renderer draws that the markup does not spell out (a list's bullet, the
# no-break space of an entity).
DRAWN_CHARS = "\u00a0\u2022"
_BEYOND_ASCII = re.compile("[^\x00-\x7e]")


def first_chars(markup: str, own: str) -> str:
    """Every character beyond ASCII that ``markup`` holds apart from ``own`` (the patient's
    name), and those in ``DRAWN_CHARS``, in code point order: given their font codes first,
    they get the same codes in every patient's handout of the same content. (ASCII has its
    own codes; the letters of a name come after these.)"""
    if own:
        markup = markup.replace(str(escape(own)), "")
    return "".join(sorted(set(_BEYOND_ASCII.findall(markup)) | set(DRAWN_CHARS)))


class _KeptStream(pdfdoc.PDFStream):
    """A page stream as ReportLab writes it (binary Flate), the whole written object
    (dictionary and compressed bytes) kept per operators: a page past the first is the
    same operators for every patient of a program, and its object holds no reference."""

    def format(self, document):
        reuse = current()
        if not reuse.enabled or type(document.encrypt) is not pdfdoc.NoEncryption:
            return super().format(document)
        text = self.content
        key = (hashlib.sha256(text.encode("utf8") if isinstance(text, str) else text).digest(),
               rl_config.pdfMultiLine)
        # (a digest, not the operators: the first page's pass through)
        return reuse.kept(reuse.streams, key, lambda: super(_KeptStream, self).format(document), "streams_reused")


class _Unkeyed(Exception):
    """A page dictionary holds something whose writing is not known to depend on its value alone."""


def _written_key(value, numbers: dict):
    """What decides how ``value`` (a page dictionary's entry) is written: its plain values,
    and the object numbers its references resolve to; anything else is ``_Unkeyed``."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bytes or value is None:
        return kind, value
    if kind is pdfdoc.PDFObjectReference:
        if value.name not in numbers:
            raise _Unkeyed
        return kind, numbers[value.name]
    if kind is pdfdoc.PDFDictionary or kind is dict:
        items = value.dict if kind is pdfdoc.PDFDictionary else value
        return kind, getattr(value, "multiline", None), tuple((k, _written_key(v, numbers)) for k, v in items.items())
    if kind is pdfdoc.PDFArray or kind is list:
        items = value.sequence if kind is pdfdoc.PDFArray else value
        return kind, getattr(value, "multiline", None), tuple(_written_key(v, numbers) for v in items)
    if kind is pdfdoc.PDFResourceDictionary:
        return kind, tuple(_written_key(getattr(value, n), numbers) for n in (*value.dict_attributes, "ProcSet"))
    raise _Unkeyed


class _KeptPage(pdfdoc.PDFPage):
    """A page dictionary written once per what it holds: every page of a handout is the same
    dictionary but for its stream's object number, so every patient's are the same bytes."""

    def format(self, document):
        reuse = current()
        if not reuse.enabled:
            return super().format(document)
        self.check_format(document)
        entries = {k: getattr(self, k, v) for k, v in self.__Defaults__.items()}
        entries.update((k, getattr(self, k, None)) for k in self.__NoDefault__)
        entries = {k: v for k, v in entries.items() if v is not None}
        for k in self.__Refs__:  # in ReportLab's order: a reference made here numbers an object
            if k in entries:
                entries[k] = document.Reference(entries[k])
        try:
            key = (_written_key(entries, document.idToObjectNumberAndVersion), rl_config.pdfMultiLine)
        except _Unkeyed:
            return super().format(document)
        return reuse.kept(reuse.written, key, lambda: super(_KeptPage, self).format(document), "written_reused")


def keep_page_streams(canv) -> None:
    """Give the canvas's pages the streams ReportLab would (binary Flate, no ASCII85: call
    it while ``rl_config.useA85`` is off), compressed through the kept streams, and page
    dictionaries written through the kept ones."""
    if rl_config.useA85:
        return  # ReportLab's own streams (ASCII85 over Flate)
    for page in canv._doc.Pages.pages:
        if type(page) is pdfdoc.PDFPage:
            page.__class__ = _KeptPage
        if not page.Contents and page.stream and page.compression and not page.Override_default_compilation:
            stream = _KeptStream()
            stream.filters = [pdfdoc.PDFZCompress]
            stream.content = page.stream
            stream.__Comment__ = "page stream"
            page.Contents = stream
