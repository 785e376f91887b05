"""The markup contract: the tag table validates, and the reference doc is generated from it."""

from __future__ import annotations

import pytest

from handout.errors import MarkupError
from handout.markup.parse import parse_markup
from handout.markup.spec import TAGS, reference_markdown

from ..conftest import REPO


def test_docs_markup_is_generated_from_the_tag_table():
    assert (REPO / "docs" / "markup.md").read_text("utf-8") == reference_markdown(), \
        "docs/markup.md is stale: run `handout markup --reference > docs/markup.md`"


def test_every_tag_is_documented_and_has_a_handler():
    from handout.render.handlers import HANDLERS
    import handout.pipeline.handout  # noqa: F401  registers the handout's handlers
    import handout.pipeline.poster  # noqa: F401  and the poster's (imported only when a poster is built)

    doc = reference_markdown()
    held_only = {h for t in TAGS.values() if isinstance(t.holds, tuple) for h in t.holds} - {"li"}
    for name, tag in TAGS.items():
        assert f"`<{name}>`" in doc
        if tag.kind in ("block", "component") and name not in held_only:
            assert name in HANDLERS, f"no handler for <{name}>"


@pytest.mark.parametrize(
    "markup, message, line",
    [
        ('<document title="t">\n<blink/>\n</document>', "unknown tag <blink>", 2),
        ('<document title="t">\n<p colour="red">x</p>\n</document>', "<p> has no attribute 'colour'", 2),
        ('<document title="t">\n\n<spacer height="tall"/>\n</document>', "must be a length with a unit", 3),
        ('<document title="t">\n<ul>text</ul>\n</document>', "cannot hold loose text", 2),
        ('<document title="t">\n<p><h2>x</h2></p>\n</document>', "<p> cannot hold <h2>", 2),
        ('<document>\n</document>', "needs the attribute 'title'", 1),
        ('<!DOCTYPE d [<!ENTITY x "boom">]>\n<document title="t"><p>&x;</p></document>', "", None),
        ('<document title="t"><p>unclosed</document>', "not well-formed", 1),
    ],
)
def test_bad_markup_names_the_line(markup, message, line):
    with pytest.raises(MarkupError) as info:
        parse_markup(markup, "t.xml.j2")
    text = str(info.value)
    assert text.startswith("t.xml.j2 (rendered markup)")
    assert message in text
    if line is not None:
        assert f":{line}:" in text


def test_mixed_flow_content_becomes_a_paragraph():
    tree = parse_markup('<document title="t"><ul><li>one <b>two</b><ul><li>three</li></ul></li></ul></document>')
    li = tree.children[0].children[0]
    assert [c.tag for c in li.children] == ["p", "ul"]
    assert li.children[0].text() == "one two"
