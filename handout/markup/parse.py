"""Parse rendered markup safely and check it against the tag table, into a tree of Nodes.

lxml parses with entities, DTDs and the network off; a DOCTYPE is refused outright. Each
Node keeps its line in the rendered markup so errors (and layout problems) can name it.

Most top-level blocks of a handout (cards, boxes, the article) are the same markup, on the
same line, for every patient, so a caller may keep their checked Nodes (``kept``, keyed on
line and source; the render stage's ``Reuse`` does) and share them between the trees that
contain them: treat Nodes as read-only (make changed copies with ``dataclasses.replace``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..errors import MarkupError
from ..model.article import MAX_PARAGRAPH_CHARS
from .spec import INLINE_TAGS, ROOT, TAGS

MAX_MARKUP_BYTES = 4_000_000
# A handout or poster has a few hundred elements, nested about five deep. Far more means a
# runaway template, and nesting (boxes in boxes, tables in tables) costs layout time that
# grows exponentially with depth, so both are refused before layout.
MAX_MARKUP_ELEMENTS = 10_000
MAX_MARKUP_DEPTH = 16
MAX_TEXT_CHARS = 400_000  # all the text of one document (the bundled article is under 9,000)


@dataclass
class Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)  # Node or str
    line: int | None = None

    def text(self) -> str:
        """All the text inside, tags dropped."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str):
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    yield child
                yield from child.find_all(tag)


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
    huge_tree=False, remove_comments=True, remove_pis=True, strip_cdata=False,
)


def _convert_top(el, holds, template, kept) -> Node:
    """A child of the root, taken from ``kept`` if the same source was seen on the same line."""
    key = (el.sourceline, etree.tostring(el, with_tail=False))
    node = kept.get(key)
    if node is None:
        node = _convert(el, holds, template)
        kept.put(key, node)
    return node


def parse_markup(markup: str, template: str = "", kept=None) -> Node:
    """The rendered markup as a checked Node tree, or a MarkupError naming the line.

    ``kept``: None, or a store of checked top-level Nodes with ``get(key)`` and
    ``put(key, node)``, keyed on ``(line, source bytes)``; equal keys give equal Nodes."""
    data = markup.encode("utf-8")
    if len(data) > MAX_MARKUP_BYTES:
        raise MarkupError(f"markup is larger than {MAX_MARKUP_BYTES:,} bytes", template)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        message = exc.msg.split(", line")[0] if exc.msg else "not well-formed"
        if "Excessive depth" in message:  # libxml2's own limit, far past ours
            message = f"elements nested more than {MAX_MARKUP_DEPTH} deep"
        raise MarkupError(f"not well-formed markup: {message}", template, line) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise MarkupError("a DOCTYPE or entity declaration is not allowed", template, 1)
    if root.tag != "document":
        raise MarkupError(f"the root element must be <document>, got <{root.tag}>", template, root.sourceline)
    _check_extent(root, template)
    return _convert(root, None, template, kept)


def _check_extent(root, template: str) -> None:
    """At most MAX_MARKUP_ELEMENTS elements, nested at most MAX_MARKUP_DEPTH deep; paragraphs and
    the whole text within the layout budget (breaking a paragraph into lines costs time that
    grows with the square of its length, so a huge one is refused here, before layout)."""
    depth = count = total = 0
    blocks: list[list] = []  # per open element: [the block its text counts towards, characters]
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            depth -= 1
            blocks.pop()
            if blocks:
                total += _add_text(blocks[-1][0], el.tail, template)
            continue
        block = blocks[-1][0] if blocks and el.tag in INLINE_TAGS else [el, 0]
        blocks.append([block])
        total += _add_text(block, el.text, template)
        if total > MAX_TEXT_CHARS:
            raise MarkupError(f"the markup holds more than {MAX_TEXT_CHARS:,} characters of text (a handout holds "
                              "a few tens of thousands); check for a runaway loop", template, el.sourceline)
        depth += 1
        count += 1
        if depth > MAX_MARKUP_DEPTH:
            raise MarkupError(f"<{el.tag}> is nested more than {MAX_MARKUP_DEPTH} elements deep", template,
                              el.sourceline)
        if count > MAX_MARKUP_ELEMENTS:
            raise MarkupError(f"the markup has more than {MAX_MARKUP_ELEMENTS:,} elements (a handout has a "
                              "few hundred); check for a runaway loop", template, el.sourceline)


def _add_text(block: list, text: str | None, template: str) -> int:
    """Count ``text`` towards its block (a paragraph, a list item...); refuse one past the limit."""
    if not text:
        return 0
    block[1] += len(text)
    if block[1] > MAX_PARAGRAPH_CHARS:
        element = block[0]
        start = " ".join(next((t for t in element.itertext() if t.strip()), "").split())[:40]
        raise MarkupError(f"<{element.tag}> holds more than {MAX_PARAGRAPH_CHARS:,} characters (starting "
                          f"\"{start}...\"); split it into shorter paragraphs", template, element.sourceline)
    return len(text)


def _check_attrs(el, spec, template) -> dict:
    attrs = {}
    for name, raw in el.attrib.items():
        if name not in spec.attr_map:
            known = ", ".join(spec.attr_map) or "none"
            raise MarkupError(f"<{el.tag}> has no attribute '{name}' (known: {known})", template, el.sourceline)
        try:
            attrs[name] = spec.attr_map[name].convert(raw)
        except ValueError as exc:
            shown = raw if len(raw) <= 60 else raw[:57] + "..."
            raise MarkupError(f"<{el.tag} {name}=\"{shown}\">: {exc}", template, el.sourceline) from None
    for attr in spec.attrs:
        if attr.name not in attrs:
            if attr.required:
                raise MarkupError(f"<{el.tag}> needs the attribute '{attr.name}'", template, el.sourceline)
            attrs[attr.name] = attr.default
    return attrs


def _convert(el, parent_holds, template, kept=None) -> Node:
    if not isinstance(el.tag, str):
        raise MarkupError("entity references are not allowed", template, el.sourceline)
    spec = TAGS.get(el.tag)
    if spec is None:
        raise MarkupError(f"unknown tag <{el.tag}>", template, el.sourceline)
    if spec.kind == ROOT and parent_holds is not None:
        raise MarkupError("<document> may only be the root", template, el.sourceline)
    node = Node(el.tag, _check_attrs(el, spec, template), [], el.sourceline)
    holds = spec.holds
    pieces = [el.text] if el.text else []
    for child in el:
        pieces.append(child)
        if child.tail:
            pieces.append(child.tail)
    has_blocks = any(not isinstance(p, str) and p.tag not in INLINE_TAGS for p in pieces)
    mixed = holds == "flow" and has_blocks
    run: list = []
    for piece in pieces:
        if isinstance(piece, str):
            if mixed:
                run.append(piece)
                continue
            if not piece.strip() and holds != "inline" and holds != "flow":
                continue
            if holds == "empty" or isinstance(holds, tuple) or holds == "blocks":
                raise MarkupError(f"<{el.tag}> cannot hold loose text here: {piece.strip()[:40]!r}",
                                  template, el.sourceline)
            node.children.append(piece)
            continue
        _check_child(el, piece, holds, template)
        if parent_holds is None and kept is not None:  # a child of the root
            child = _convert_top(piece, holds, template, kept)
        else:
            child = _convert(piece, holds, template)
        if mixed and child.tag in INLINE_TAGS:
            run.append(child)
            continue
        if mixed:
            _flush(run, node)
        node.children.append(child)
    if mixed:
        _flush(run, node)
    return node


def _flush(run: list, node: Node) -> None:
    """Loose text and inline tags beside blocks become an implicit paragraph."""
    if any(isinstance(p, Node) or p.strip() for p in run):
        node.children.append(Node("p", {"style": "body"}, list(run), node.line))
    run.clear()


def _check_child(el, child, holds, template) -> None:
    tag = child.tag if isinstance(child.tag, str) else "?"
    child_spec = TAGS.get(tag)
    if child_spec is None:
        raise MarkupError(f"unknown tag <{tag}>", template, child.sourceline)
    is_inline = child_spec.kind == "inline"
    ok = (
        (isinstance(holds, tuple) and tag in holds)
        or (holds == "inline" and is_inline)
        or (holds == "blocks" and not is_inline and child_spec.kind != ROOT)
        or (holds == "flow" and (is_inline or child_spec.kind != ROOT))
    )
    if not ok:
        raise MarkupError(f"<{el.tag}> cannot hold <{tag}>", template, child.sourceline)


def holding(node: Node, text: str) -> set[int]:
    """The ids of ``node`` and the Nodes under it whose texts or attributes hold ``text``."""
    found: set[int] = set()

    def walk(n: Node) -> bool:
        hit = any(isinstance(v, str) and text in v for v in n.attrs.values())
        for child in n.children:
            hit = (walk(child) if isinstance(child, Node) else text in child) or hit
        if hit:
            found.add(id(n))
        return hit

    walk(node)
    return found


def substituted(node: Node, old: str, new: str, where: set[int]) -> Node:
    """``node`` with ``old`` put as ``new`` in its texts and attributes (``where``: the ids
    ``holding`` gave); Nodes that do not hold it are shared, not copied."""
    if id(node) not in where:
        return node
    children = [c.replace(old, new) if isinstance(c, str) else substituted(c, old, new, where)
                for c in node.children]
    attrs = {k: v.replace(old, new) if isinstance(v, str) else v for k, v in node.attrs.items()}
    return Node(node.tag, attrs, children, node.line)
