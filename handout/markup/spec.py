"""The markup vocabulary: one table of tags, their typed attributes and allowed children.

The same table drives validation (``parse.py``), dispatch (``render/``) and the reference
``docs/markup.md`` (``reference_markdown()``), so the three can never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

# --- attribute converters: each takes the text and returns a value or raises ValueError ---

_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)\s*$")
_UNIT_PT = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0}
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def length(text: str) -> float:
    """A length with a unit: ``30mm``, ``2.5cm``, ``1in``, ``12pt`` (returns points)."""
    match = _LENGTH.match(text)
    if not match:
        raise ValueError("must be a length with a unit, like 30mm, 2cm, 1in or 12pt")
    value = float(match.group(1)) * _UNIT_PT[match.group(2)]
    if value > 5000:
        raise ValueError("is too large")
    return value


def color(text: str) -> str:
    """A colour written ``#1F6F8B``."""
    if not _HEX.match(text.strip()):
        raise ValueError("must be a colour written like #1F6F8B")
    return text.strip().upper()


def integer(lo: int, hi: int) -> Callable[[str], int]:
    def convert(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ValueError(f"must be a whole number from {lo} to {hi}") from None
        if not lo <= value <= hi:
            raise ValueError(f"must be a whole number from {lo} to {hi}")
        return value

    convert.__doc__ = f"a whole number from {lo} to {hi}"
    return convert


def choice(*options: str) -> Callable[[str], str]:
    def convert(text: str) -> str:
        if text not in options:
            raise ValueError("must be one of " + ", ".join(options))
        return text

    convert.__doc__ = "one of " + ", ".join(f"`{o}`" for o in options)
    return convert


def language_tag(value: str) -> str:
    """`en` or another language with a catalog (`es`), optionally with a region (`en-GB`, `es-US`)"""
    from ..model.i18n import languages

    if not re.fullmatch(r"[a-z]{2,3}(-[A-Z]{2})?", value) or value.split("-")[0] not in languages():
        raise ValueError(f"must be a language handout has ({', '.join(languages())}), "
                         "optionally with a region like en-GB")
    return value


def text(value: str) -> str:
    """any text"""
    return value


def url(value: str) -> str:
    """a web address (http, https or mailto)"""
    if not re.match(r"^(https?://|mailto:)\S+$", value.strip()):
        raise ValueError("must be a web address starting with http://, https:// or mailto:")
    return value.strip()


# --- the table ---

BLOCK, INLINE, COMPONENT, ROOT = "block", "inline", "component", "root"
# what a tag may hold: "inline" (text and inline tags), "blocks" (block and component tags,
# no loose text), "flow" (either inline content or blocks), "empty", or a tuple of tag names.


@dataclass(frozen=True)
class Attr:
    name: str
    convert: Callable[[str], object] = text
    required: bool = False
    default: object = None
    doc: str = ""


@dataclass(frozen=True)
class Tag:
    name: str
    kind: str
    holds: str | tuple[str, ...]
    doc: str
    attrs: tuple[Attr, ...] = ()
    example: str = ""
    attr_map: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self.attr_map.update({a.name: a for a in self.attrs})


TAGS: dict[str, Tag] = {}


def _tag(*args, **kw) -> None:
    tag = Tag(*args, **kw)
    if tag.name in TAGS:
        raise ValueError(f"tag {tag.name} defined twice")
    TAGS[tag.name] = tag


_tag("document", ROOT, "blocks", "The root of every template. Its attributes become the PDF's metadata.", (
    Attr("title", text, True, doc="PDF title"),
    Attr("author", text, False, "", "PDF author (the clinic)"),
    Attr("subject", text, False, "", "PDF subject"),
    Attr("lang", language_tag, False, "en", "document language (the PDF's /Lang)"),
    Attr("kind", choice("handout", "poster"), False, "handout", "which page layout to use"),
))
_tag("h1", BLOCK, "inline", "The document title. Makes a bookmark.")
_tag("h2", BLOCK, "inline", "A section heading. Makes a bookmark.")
_tag("h3", BLOCK, "inline", "A sub-heading.")
_tag("p", BLOCK, "inline", "A paragraph.", (
    Attr("style", choice("body", "lead", "small", "dose", "caption"), False, "body", "text style"),
))
_tag("ul", BLOCK, ("li",), "A bulleted list.")
_tag("ol", BLOCK, ("li",), "A numbered list.", (Attr("start", integer(1, 999), False, 1, "first number"),))
_tag("li", BLOCK, "flow", "A list item (inside ul or ol).")
_tag("table", BLOCK, ("tr",), "A table with a grid.", (
    Attr("widths", text, False, "", "column widths as fractions, like `1 2 1`"),
    Attr("header", integer(0, 3), False, 0, "rows repeated on each page"),
))
_tag("tr", BLOCK, ("th", "td"), "A table row.")
_tag("th", BLOCK, "flow", "A header cell.")
_tag("td", BLOCK, "flow", "A cell.")
_tag("img", BLOCK, "empty", "A PNG or JPG picture from a content folder.", (
    Attr("src", text, True, doc="file name, relative to a content folder"),
    Attr("alt", text, True, doc="what the picture shows, in words"),
    Attr("width", length, False, None, "width on the page"),
))
_tag("hr", BLOCK, "empty", "A thin rule across the frame.")
_tag("spacer", BLOCK, "empty", "Vertical space.", (Attr("height", length, True, doc="how much space"),))
_tag("page-break", BLOCK, "empty", "Start a new page.")
_tag("keep-together", BLOCK, "blocks", "Keep its content on one page if it fits.")
_tag("columns", BLOCK, "blocks", "Lay its blocks out side by side, in equal columns.", (
    Attr("count", integer(2, 3), False, 2, "number of columns"),
))
_tag("b", INLINE, "inline", "Bold text.")
_tag("i", INLINE, "inline", "Italic text (shown upright in large print).")
_tag("u", INLINE, "inline", "Underlined text.")
_tag("br", INLINE, "empty", "A line break.")
_tag("a", INLINE, "inline", "A link.", (Attr("href", url, True, doc="where it goes"),))
_tag("span", INLINE, "inline", "Coloured text.", (Attr("color", color, True, doc="text colour"),))
_tag("clinic-header", COMPONENT, "empty", "The clinic's header, drawn at the top of every page.", (
    Attr("name", text, True, doc="clinic name"),
    Attr("phone", text, False, "", "phone number"),
    Attr("address", text, False, "", "address"),
    Attr("website", text, False, "", "web address or e-mail"),
    Attr("color", color, False, "#1F6F8B", "brand colour"),
    Attr("logo", text, False, "", "logo file (PNG, JPG) path"),
))
_tag("exercise", COMPONENT, "blocks", "An exercise card: a numbered title bar, the exercise's "
     "figure, and the blocks inside it. Never split across pages.", (
    Attr("number", integer(1, 99), True, doc="card number"),
    Attr("name", text, True, doc="exercise name"),
    Attr("figure", text, False, "", "exercise id whose figure to show (a one-leg card's: id@left or id@right)"),
    Attr("dose", text, False, "", "the dose in plain words, shown under the figure"),
), example='<exercise number="1" name="Seated hip turn-out" figure="seated-ir" dose="2 sets of 10">\n  <ol><li>...</li></ol>\n</exercise>')
_tag("figure", COMPONENT, "empty", "An exercise's figure on its own.", (
    Attr("exercise", text, True, doc="exercise id (a one-leg card's figure: id@left or id@right)"),
    Attr("width", length, False, None, "width (default: the frame)"),
    Attr("height", length, False, None, "height (default: 3/4 of the width)"),
))
_tag("box", COMPONENT, "flow", "A framed box for safety text, notes or warnings.", (
    Attr("kind", choice("safety", "note", "warning"), False, "note", "how it looks"),
    Attr("title", text, False, "", "heading inside the box"),
))
_tag("log", COMPONENT, ("li", "h2", "p"), "A tick-off log: one table of days by exercises, the weeks "
     "marked up the side, with pain during and next morning (0-10) and notes. Each li names one "
     "exercise (the legend); an h2 and p before them head the log.", (
    Attr("weeks", integer(1, 12), False, 1, "how many weeks"),
    Attr("start", text, False, "", "first day, YYYY-MM-DD (default: the handout's date)"),
), example='<log weeks="2">\n  <li>Seated hip turn-out</li>\n</log>')
_tag("pain-scale", COMPONENT, "empty", "A 0-10 pain scale with the patient's limit marked.", (
    Attr("limit", integer(0, 10), False, 3, "the most pain that is OK"),
))
_tag("qr", COMPONENT, "empty", "A QR code (vector).", (
    Attr("value", url, True, doc="the web address it opens"),
    Attr("size", length, False, 72.0, "width and height"),
    Attr("caption", text, False, "", "a line under it"),
))
_tag("poster-grid", COMPONENT, ("poster-panel",), "The grid of exercise panels on a poster.", (
    Attr("columns", integer(0, 6), False, 0, "columns (0: chosen to fit the page)"),
))
_tag("poster-panel", COMPONENT, "blocks", "One exercise panel on a poster: big figure, name, "
     "short steps, dose.", (
    Attr("number", integer(1, 99), True, doc="panel number"),
    Attr("name", text, True, doc="exercise name"),
    Attr("figure", text, True, doc="exercise id whose figure to show (a one-leg card's: id@left or id@right)"),
))

INLINE_TAGS = frozenset(n for n, t in TAGS.items() if t.kind == INLINE)


def _holds_text(tag: Tag) -> str:
    if isinstance(tag.holds, tuple):
        return ", ".join(f"`{h}`" for h in tag.holds)
    return {"inline": "text and inline tags", "blocks": "block tags", "flow": "text and inline tags, or block tags",
            "empty": "nothing"}[tag.holds]


def reference_markdown() -> str:
    """The generated reference for docs/markup.md."""
    out = ["# The handout markup", "",
           "Generated from `handout/markup/spec.py` by `handout markup --reference`; do not edit by hand.", "",
           "A template renders (with Jinja2) to one XML document in this vocabulary. Unknown tags or",
           "attributes, and bad attribute values, are errors naming the template and the rendered line.",
           "Lengths take a unit (`mm`, `cm`, `in`, `pt`); colours are written `#RRGGBB`.", ""]
    for kind, heading in ((ROOT, "Root"), (BLOCK, "Blocks"), (INLINE, "Inline"), (COMPONENT, "Components")):
        out += [f"## {heading}", ""]
        for tag in (t for t in TAGS.values() if t.kind == kind):
            out += [f"### `<{tag.name}>`", "", tag.doc, "", f"Holds: {_holds_text(tag)}.", ""]
            if tag.attrs:
                out += ["| attribute | required | default | value | meaning |", "| --- | --- | --- | --- | --- |"]
                for a in tag.attrs:
                    value = (a.convert.__doc__ or "").strip().splitlines()[0]
                    default = "" if a.default in (None, "") else f"`{a.default}`"
                    out.append(f"| `{a.name}` | {'yes' if a.required else 'no'} | {default} | {value} | {a.doc} |")
                out.append("")
            if tag.example:
                out += ["```xml", tag.example, "```", ""]
    return "\n".join(out).rstrip() + "\n"
