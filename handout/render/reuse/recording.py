"""Drawings recorded once and replayed: the same flowable at the same size draws the same
PDF operators in every document, but for what belongs to the document.

Those are the codes a TrueType subset gives to characters (in order of first use, so a
patient's name drawn first shifts them), the subsets' font names (in order of first use of
each font), the names of transparency states, and the forms a page shows. A recording
keeps the operators and, per font, the characters drawn in order of first use. Replaying
feeds those characters to the fonts in the same order (which assigns what drawing would
have assigned), and appends the operators, with subset names and character codes rewritten
where this document's differ. Anything else a drawing leaves in the document (links,
images, standard fonts) makes it one that is drawn every time.
"""

from __future__ import annotations

import re

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics

from .core import current

# Forms every document defines for itself (the page count), so a recording may show them.
# Any other form or image belongs to the document that drew it first: not replayable.
OWN_FORMS: set = set()


# Canvas state a drawing may read before it sets its own (position aside: drawOn translates).
_STATE = ("_fontname", "_fontsize", "_leading", "_fillColorObj", "_strokeColorObj", "_lineWidth", "_lineCap",
          "_lineJoin", "_lineDash", "_mitreLimit", "_charSpace", "_wordSpace", "_horizScale",
          "_textRenderMode", "_rise", "_fillMode", "_textMode")
_GSTATE = re.compile(r"/(gRLs\d+) gs")


class Recording:
    """What a drawing wrote, and what of it belongs to the document it was drawn in."""

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


def traces(canv) -> tuple:
    """What a drawing must not change for its operators to be replayable elsewhere (forms it
    shows are noted and noted again on replay)."""
    doc = canv._doc
    return (doc.objectcounter, len(doc.idToObject), len(canv._annotationrefs),
            canv.__dict__.get("_currentPageHasImages"), len(getattr(canv, "_colorsUsed", ()) or ()),
            len(getattr(canv, "_shadingUsed", ()) or ()))


SEEN_ONCE = "seen once"  # drawn once, not recorded: most things drawn once are drawn only once


def drawn(kept: dict, key, canv, draw) -> None:
    """``draw()`` the first time a key is seen, record it the second, replay it after (or
    draw, when it cannot be replayed): what a patient's handout draws only for that
    patient costs no recording."""
    keep = getattr(kept, "put", kept.__setitem__)
    found = kept.get(key)
    if found is None:
        keep(key, SEEN_ONCE)
        draw()
    elif found is SEEN_ONCE:
        rec = record(canv, draw)
        keep(key, rec or False)
        current().counts.drawings_recorded += rec is not None
    elif found is False or not replay(found, canv):
        draw()
    else:
        current().counts.drawings_replayed += 1


def draw_kept(key, canv, draw) -> None:
    """``draw()`` on ``canv``, or replay what it drew for the same key before.

    For page decoration (a clinic's header): the key must name everything ``draw`` reads."""
    reuse = current()
    if not reuse.enabled:
        draw()
        return
    drawn(reuse.decorations, key, canv, draw)


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


class Start:
    """Where a recording began: the canvas as it was, and the log of characters drawn."""

    __slots__ = ("state", "traces", "fonts", "code", "forms", "log")

    def __init__(self, canv):
        self.state, self.traces, self.fonts = _state(canv), traces(canv), set(canv._doc.fontMapping)
        self.code, self.forms = len(canv._code), len(canv._formsinuse)
        self.log = _log_start()


def finish(canv, start: Start, expected=None) -> Recording | None:
    """The recording begun at ``start`` (None if what was drawn left more in the document
    than characters, fonts, transparency states and forms). ``expected``: the traces it may
    leave, if not those it started with."""
    _log_stop(start.log)
    doc = canv._doc
    ops = canv._code[start.code:]
    used = start.log
    forms = canv._formsinuse[start.forms:]
    if traces(canv) != (expected or start.traces) or not set(doc.fontMapping) - start.fonts <= {
            f.fontName for f in used} or not OWN_FORMS.issuperset(forms):
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
    return Recording(ops, chars, gstates, start.state, forms)


def stop(start: Start) -> None:
    """Give up the recording begun at ``start`` (the drawing failed)."""
    _log_stop(start.log)


def record(canv, draw) -> Recording | None:
    """Draw, noting the operators written and what they hold that belongs to the document."""
    start = Start(canv)
    try:
        draw()
    except BaseException:
        stop(start)
        raise
    return finish(canv, start)


def replay(rec: Recording, canv) -> bool:
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
            rec.template = template(ops)
        ops = recoded(ops, rename, recode, rec.template)
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


def template(ops: list) -> list:
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


def recoded(ops: list, rename: dict, recode: dict, cut: list | None = None) -> list | None:
    """The operators with subset names and character codes of this document's fonts (None
    if they show a font this does not know how to rewrite)."""
    current = None
    out = []
    for op, pieces in zip(ops, cut or template(ops)):
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


