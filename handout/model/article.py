"""The article: YAML front matter and Markdown sections, turned into our markup vocabulary.

markdown-it-py renders the CommonMark body with raw HTML off; its ``strong``/``em`` become
our ``b``/``i``, so the article and the templates meet in one vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ContentError, Issue
from .content import ArticleMeta
from .validate import validate
from .yamlfile import parse_yaml, read_text

# Breaking a paragraph into lines takes time that grows with the square of its length; no
# patient paragraph comes near this, and a 600 KB one would keep layout busy for minutes.
MAX_PARAGRAPH_CHARS = 10_000


@dataclass(frozen=True)
class Section:
    """One ``##`` section: its title, body markup, plain text and first line in the file."""

    title: str
    markup: str
    text: str
    line: int


@dataclass(frozen=True)
class Article:
    meta: ArticleMeta
    sections: tuple[Section, ...]
    summary_markup: str
    file: str


@lru_cache(maxsize=1)
def _markdown():
    """The renderer, made when an article is first read (markdown-it-py takes about 15 ms to
    import; a library from the disk cache needs none)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline", "code", "fence"])
    rules = md.renderer.rules
    rules["strong_open"] = lambda *a: "<b>"
    rules["strong_close"] = lambda *a: "</b>"
    rules["em_open"] = lambda *a: "<i>"
    rules["em_close"] = lambda *a: "</i>"
    rules["code_inline"] = lambda tokens, idx, *a: _escape(tokens[idx].content)
    rules["softbreak"] = lambda *a: " "
    rules["hardbreak"] = lambda *a: "<br/>"
    rules["hr"] = lambda *a: "<hr/>\n"
    return md


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown_to_markup(text: str) -> str:
    """Markdown to our HTML subset (``b i a br p ul ol li h2 h3 hr``)."""
    html = _markdown().render(text)
    return html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")


def plain_text(markup: str) -> str:
    """The words only, one block (paragraph, list item) a line, for readability checks."""
    text = re.sub(r"</(p|li|h\d)>", "\n", markup)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def split_front_matter(text: str, name: str) -> tuple[str, str, int]:
    """Return (front matter YAML, body, line where the body starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ContentError([Issue(file=name, line=1, message="must start with front matter between '---' lines")])
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    raise ContentError([Issue(file=name, line=1, message="front matter has no closing '---' line")])


def parse_article(text: str, name: str, inherit: dict | None = None) -> Article:
    """Parse an article's text; errors name the file and line. ``inherit``: front matter
    fields to take when the file leaves them out (a translation keeps the English sources)."""
    head, body, body_line = split_front_matter(text, name)
    data, linemap = parse_yaml(head, name)
    if inherit and isinstance(data, dict):
        data = {**inherit, **data}
    linemap.lines = {k: v + 1 for k, v in linemap.lines.items()}  # front matter starts on line 2
    meta = validate(ArticleMeta, data, linemap)
    md = _markdown()
    tokens = md.parse(body)
    sections: list[Section] = []
    start, title, line = None, "", body_line
    bounds: list[tuple[int, int, str, int]] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h1", "h2"):
            if start is not None:
                bounds.append((start, i, title, line))
            title = tokens[i + 1].content
            line = body_line + (token.map[0] if token.map else 0)
            start = i + 3
    if start is not None:
        bounds.append((start, len(tokens), title, line))
    elif body.strip():
        raise ContentError([Issue(file=name, line=body_line, message="the body needs '## ' section headings")])
    for token in tokens:  # layout time grows with the square of a paragraph's length: refuse huge ones here
        if token.type == "inline" and len(token.content) > MAX_PARAGRAPH_CHARS:
            line = body_line + (token.map[0] if token.map else 0)
            raise ContentError([Issue(file=name, line=line, message=f"a paragraph of {len(token.content):,} "
                                      f"characters (at most {MAX_PARAGRAPH_CHARS:,}); split it into shorter ones")])
    for lo, hi, sec_title, sec_line in bounds:
        markup = md.renderer.render(tokens[lo:hi], md.options, {})
        sections.append(Section(sec_title.strip(), markup, plain_text(markup), sec_line))
    if not sections:
        raise ContentError([Issue(file=name, line=body_line, message="the article has no sections")])
    return Article(meta, tuple(sections), markdown_to_markup(meta.summary), name)


def load_article(path: Path, inherit: dict | None = None) -> Article:
    return parse_article(read_text(path, "Markdown"), str(path), inherit)
