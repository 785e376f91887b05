"""The library kept on disk (``handout/model/library_kept.py``): a fresh process takes what an
earlier one read and checked (and, with the dates' names and the catalog kept too, imports
no YAML, Markdown or Babel), a changed, added or
broken file is read again with the same errors, a damaged kept file is loaded again, and
the bytes are those of a process with the cache off."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from handout import errors
from handout.disk import DISK, PREFIX
from handout.model import library
from handout.paths import bundled

from ..conftest import REPO

SCRIPT = r"""
import datetime as dt, hashlib, json, sys
from handout import HandoutRequest, build_handout
from handout.disk import DISK
pdf = build_handout(HandoutRequest(program="ir-mobility", patient="Zoë Ünal", date=dt.date(2026, 11, 25),
                                   language=sys.argv[1]))
print(json.dumps({"sha": hashlib.sha256(pdf).hexdigest(), "hits": DISK.counts.hits, "writes": DISK.counts.writes,
                  "read": sorted(m for m in ("yaml", "markdown_it", "babel") if m in sys.modules)}))
"""


def _fresh(folder, language: str = "en", enabled: bool = True) -> dict:
    env = dict(os.environ, HANDOUT_CACHE_DIR=str(folder), HANDOUT_DISK_CACHE="1" if enabled else "0",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    out = subprocess.run([sys.executable, "-c", SCRIPT, language], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _kept(folder) -> list[str]:
    return sorted(p.name for p in folder.glob(f"{PREFIX}library-*"))


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_fresh_process_takes_the_kept_library_and_reads_no_content(tmp_path, language):
    folder = tmp_path / "cache"
    first = _fresh(folder, language)
    assert len(_kept(folder)) == 1 and first["read"] == ["babel", "markdown_it", "yaml"]
    second = _fresh(folder, language)
    assert second["read"] == [] and second["writes"] == 0  # no YAML, Markdown, dates or catalog made
    off = _fresh(tmp_path / "unused", language, enabled=False)
    assert off["read"] == ["babel", "markdown_it", "yaml"] and not (tmp_path / "unused").exists()
    assert first["sha"] == second["sha"] == off["sha"]


@pytest.fixture
def kept_here(tmp_path, monkeypatch):
    """The disk cache on, in a folder of the test's own; each load as a fresh process's."""
    monkeypatch.setattr(DISK, "_folder", tmp_path / "cache")
    monkeypatch.setattr(DISK, "enabled", True)

    def load(*folders, language="en"):
        library._library.cache_clear()
        library._load.cache_clear()
        library._translate.cache_clear()
        return library.load_library(tuple(folders), language)

    yield load
    library._library.cache_clear()
    library._load.cache_clear()
    library._translate.cache_clear()


def test_a_changed_added_or_removed_file_is_read_again(tmp_path, kept_here):
    mine = tmp_path / "mine" / "exercises"
    mine.mkdir(parents=True)
    source = (bundled("content") / "exercises" / "seated-ir.yaml").read_text(encoding="utf-8")
    (mine / "seated-ir.yaml").write_text(source, encoding="utf-8")
    before = kept_here(tmp_path / "mine")
    assert kept_here(tmp_path / "mine") == before and len(_kept(tmp_path / "cache")) == 1
    (mine / "seated-ir.yaml").write_text(source.replace("name: ", "name: Mine, ", 1), encoding="utf-8")
    changed = kept_here(tmp_path / "mine")
    assert changed.exercises["seated-ir"].name == "Mine, " + before.exercises["seated-ir"].name
    shutil.copy(mine / "seated-ir.yaml", mine / "my-seated-ir.yaml")
    with pytest.raises(errors.ContentError, match="my-seated-ir.yaml:1: id: must match the file name"):
        kept_here(tmp_path / "mine")
    (mine / "my-seated-ir.yaml").unlink()
    assert kept_here(tmp_path / "mine") == changed and len(_kept(tmp_path / "cache")) == 2


def test_a_broken_file_is_never_kept_and_says_its_line_as_before(tmp_path, kept_here):
    mine = tmp_path / "mine" / "exercises"
    mine.mkdir(parents=True)
    good = (bundled("content") / "exercises" / "seated-ir.yaml").read_text(encoding="utf-8")
    (mine / "seated-ir.yaml").write_text(good, encoding="utf-8")
    kept_here(tmp_path / "mine")
    (mine / "seated-ir.yaml").write_text(good.replace("goal: ", "goal: flying #", 1), encoding="utf-8")
    line = 1 + next(n for n, text in enumerate(good.splitlines()) if text.startswith("goal: "))
    for _ in range(2):
        with pytest.raises(errors.ContentError, match=rf"seated-ir.yaml:{line}: goal"):
            kept_here(tmp_path / "mine")
    assert len(_kept(tmp_path / "cache")) == 1  # the good library alone


def test_a_file_that_is_not_ordinary_is_reported_not_read_for_the_key(tmp_path, kept_here):
    mine = tmp_path / "mine" / "exercises"
    mine.mkdir(parents=True)
    os.mkfifo(mine / "pipe.yaml")  # reading it for the key would wait for a writer forever
    with pytest.raises(errors.ContentError, match="pipe.yaml: is not a regular file"):
        kept_here(tmp_path / "mine")
    assert _kept(tmp_path / "cache") == []


def test_a_damaged_kept_library_is_loaded_again(tmp_path, kept_here):
    made = kept_here()
    (kept,) = (tmp_path / "cache").glob(f"{PREFIX}library-*")
    kept.write_bytes(b"not a pickle")
    again = kept_here()
    assert again == made and again.exercises["seated-ir"].dose == made.exercises["seated-ir"].dose
    assert kept.read_bytes() != b"not a pickle"  # kept again, whole


def test_a_repeated_request_resolves_no_path_but_the_users_folders(monkeypatch, tmp_path):
    """The bundled folder is resolved once per process; a user's folder on every request
    (the working folder may change), and one that is gone is still reported."""
    library.load_library()
    monkeypatch.setattr(DISK, "enabled", False)  # the user's folder's library: not kept on disk
    resolved = []
    real = type(tmp_path).resolve
    monkeypatch.setattr(type(tmp_path), "resolve", lambda self, *a, **k: resolved.append(self) or real(self, *a, **k))
    for _ in range(5):
        library.load_library()
    assert resolved == []
    mine = tmp_path / "mine"
    mine.mkdir()
    for _ in range(2):
        library.load_library((mine,))
    assert resolved == [mine, mine]
    mine.rmdir()
    with pytest.raises(errors.ContentError, match="content folder not found"):
        library.load_library((mine,))
