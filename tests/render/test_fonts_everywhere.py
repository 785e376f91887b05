"""Every PDF the tool makes embeds every font it uses: handouts, posters, tiles, review sheet."""

from __future__ import annotations

from handout import PosterRequest, build_poster, tile
from handout.catalogue import review_sheet

from ..conftest import fonts


def _all_embedded(data: bytes) -> None:
    used = fonts(data)
    assert used and all(used.values()), used


def test_review_sheet_embeds_its_fonts():
    _all_embedded(review_sheet())


def test_poster_and_its_tiles_embed_their_fonts():
    poster = build_poster(PosterRequest(program="ir-desk-break", size="a2", fit=True))
    _all_embedded(poster)
    _all_embedded(tile(poster, "a4"))
