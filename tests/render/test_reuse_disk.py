"""The on-disk cache (``handout.disk``: compiled templates, figures): a fresh process takes
what an earlier one kept, the bytes are those of a process with it off, and it touches no
file but its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from handout.disk import PREFIX, DiskCache

from ..conftest import REPO

SCRIPT = r"""
import datetime as dt, hashlib, json, sys
from handout import HandoutRequest, build_handout
from handout.disk import DISK
pdf = build_handout(HandoutRequest(program="ir-mobility", patient="Zoë Ünal", date=dt.date(2026, 11, 25)))
print(json.dumps({"sha": hashlib.sha256(pdf).hexdigest(), "hits": DISK.counts.hits, "writes": DISK.counts.writes}))
"""


def _fresh(folder, enabled: bool = True) -> dict:
    env = dict(os.environ, HANDOUT_CACHE_DIR=str(folder), HANDOUT_DISK_CACHE="1" if enabled else "0",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_fresh_process_takes_what_an_earlier_one_kept_and_makes_the_same_bytes(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "notes.txt").write_text("not the cache's")  # someone else's file in the folder
    first = _fresh(folder)
    assert first["writes"] > 0 and first["hits"] == 0
    kinds = {p.name.split("-")[1] for p in folder.glob(f"{PREFIX}*")}
    assert kinds == {"template", "figure", "aspect", "library", "font", "cover", "dates"}
    kept = sorted(p.name for p in folder.iterdir())
    second = _fresh(folder)
    assert second["hits"] >= first["writes"] and second["writes"] == 0
    off = _fresh(tmp_path / "unused", enabled=False)
    assert off["hits"] == off["writes"] == 0 and not (tmp_path / "unused").exists()
    assert first["sha"] == second["sha"] == off["sha"]
    assert sorted(p.name for p in folder.iterdir()) == kept  # nothing more, no temporary file left
    assert (folder / "notes.txt").read_text() == "not the cache's"
    assert all(name.startswith(PREFIX) for name in kept if name != "notes.txt")


def test_store_replaces_only_its_own_file_and_clear_removes_only_its_own(tmp_path):
    cache = DiskCache(tmp_path, enabled=True)
    (tmp_path / "mine.pdf").write_bytes(b"%PDF")
    cache.store("thing", b"key", b"one")
    cache.store("thing", b"key", b"two")
    assert cache.load("thing", b"key") == b"two" and cache.load("thing", b"other") is None
    assert cache.counts.hits == 1 and cache.counts.misses == 1 and cache.counts.writes == 2
    assert len([p for p in tmp_path.iterdir() if p.name.startswith(PREFIX)]) == 1
    cache.clear()
    assert [p.name for p in tmp_path.iterdir()] == ["mine.pdf"]


def test_off_means_nothing_read_or_written(tmp_path):
    cache = DiskCache(tmp_path / "c", enabled=False)
    cache.store("thing", b"key", b"one")
    assert cache.load("thing", b"key") is None and not (tmp_path / "c").exists()


def test_a_folder_that_cannot_be_written_is_no_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = DiskCache(blocker / "sub", enabled=True)  # a folder under a file: cannot exist
    cache.store("thing", b"key", b"one")
    assert cache.load("thing", b"key") is None and cache.counts.writes == 0


def test_a_changed_template_is_compiled_again(tmp_path, monkeypatch):
    from handout.disk import DISK
    from handout.markup.environment import _environment, environment, render_template

    monkeypatch.setattr(DISK, "_folder", tmp_path / "cache")
    monkeypatch.setattr(DISK, "enabled", True)
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "t.xml.j2").write_text("one {{ x }}")
    assert render_template("t.xml.j2", {"x": 1}, (str(folder),)) == "one 1"
    _environment.cache_clear()  # as a fresh process: compiled from the disk cache
    assert render_template("t.xml.j2", {"x": 1}, (str(folder),)) == "one 1"
    (folder / "t.xml.j2").write_text("two {{ x }}")
    _environment.cache_clear()
    assert render_template("t.xml.j2", {"x": 2}, (str(folder),)) == "two 2"
    _environment.cache_clear()
    assert environment((str(folder),)).get_template("t.xml.j2").render(x=3) == "two 3"


def test_a_figure_kept_on_disk_draws_the_same_and_a_damaged_one_is_drawn_again(tmp_path, monkeypatch):
    import pickle

    from handout.disk import DISK
    from handout.figures import FigureStyle, build_figure
    from handout.model.library import load_library
    from handout.render.reuse import core

    monkeypatch.setattr(DISK, "_folder", tmp_path)
    monkeypatch.setattr(DISK, "enabled", True)
    spec = load_library(()).exercises["prone-ir"].figure
    args = ("prone-ir", spec, None, None, 100.0, 90.0, FigureStyle.from_brand("#1F6F8B"))
    def dumped(figure) -> bytes:
        """The figure drawn on a PDF page of its own."""
        from reportlab import rl_config
        from reportlab.graphics import renderPDF

        monkeypatch.setattr(rl_config, "invariant", 1)
        return renderPDF.drawToString(figure)

    made = core._figure_kept_on_disk(*args)
    (kept,) = tmp_path.glob(f"{PREFIX}figure-*")
    again = core._figure_kept_on_disk(*args)
    assert DISK.counts.hits >= 1
    assert again is not made and dumped(again) == dumped(build_figure(*args))
    assert dumped(pickle.loads(kept.read_bytes())) == dumped(made)
    kept.write_bytes(b"not a pickle")
    assert dumped(core._figure_kept_on_disk(*args)) == dumped(made)


def test_a_figures_aspect_is_measured_once_and_kept_on_disk_with_the_figures(tmp_path, monkeypatch):
    """A card measures its figure's ink on a probe; the measure is kept in the process and
    on disk (a fresh process loads no probe), and measured anew with either cache off."""
    from handout.disk import DISK
    from handout.figures import FigureStyle
    from handout.model.library import load_library
    from handout.render.reuse import Reuse, kept_aspect

    monkeypatch.setattr(DISK, "enabled", True)
    monkeypatch.setattr(DISK, "_folder", tmp_path)
    spec, style = load_library().exercises["seated-ir"].figure, FigureStyle()
    measured = []

    def aspect(reuse: Reuse, image=None) -> float:
        with reuse.active():
            return kept_aspect("seated-ir", spec, image, None, style, lambda: measured.append(1) or 1.25)

    first = Reuse()
    assert aspect(first) == aspect(first) == 1.25 and len(measured) == 1
    assert aspect(Reuse()) == 1.25 and len(measured) == 1  # a fresh process: from the disk
    assert len(list(tmp_path.glob(f"{PREFIX}aspect-*"))) == 1
    assert aspect(Reuse(enabled=False)) == 1.25 and len(measured) == 2
    assert aspect(Reuse(), image="own.png") == 1.25 and len(measured) == 3  # an own picture: not on disk
    monkeypatch.setattr(DISK, "enabled", False)
    assert aspect(Reuse()) == 1.25 and len(measured) == 4
