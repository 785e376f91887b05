"""The compiled catalog kept on disk (``handout/model/i18n.py``): what a later process reads
is what compiling gives, and a damaged kept file is compiled again."""

from __future__ import annotations

from handout.disk import DISK, PREFIX
from handout.model import i18n


def _catalog(lang: str) -> dict:
    i18n.translations.cache_clear()  # as a fresh process
    return dict(i18n.translations(lang)._catalog)


def test_a_kept_catalog_is_the_compiled_one_and_a_damaged_one_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setattr(DISK, "enabled", False)
    compiled = _catalog("es")
    monkeypatch.setattr(DISK, "_folder", tmp_path)
    monkeypatch.setattr(DISK, "enabled", True)
    try:
        assert _catalog("es") == compiled and len(compiled) > 50
        (kept,) = tmp_path.glob(f"{PREFIX}catalog-*")
        hits = DISK.counts.hits
        assert _catalog("es") == compiled and DISK.counts.hits == hits + 1
        assert i18n.translations("es").gettext("For {patient}") == compiled["For {patient}"]
        kept.write_bytes(b"not a catalog")
        assert _catalog("es") == compiled and kept.read_bytes() != b"not a catalog"
    finally:
        i18n.translations.cache_clear()
