"""Start-up: a command imports only what it needs (``handout --help`` no renderer, no
models; ``handout build`` no poster, tiling or batch code). Counted in modules loaded by a
fresh process, never in seconds."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from ..conftest import REPO

RUN = """
import gc, json, sys
from handout.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = ("pydantic", "reportlab", "jinja2", "yaml", "markdown_it", "pypdf", "lxml", "PIL",
         "reportlab.graphics.barcode.qr", "handout.model.request", "handout.pipeline.poster", "handout.tiling",
         "handout.export.batch", "handout.render.poster", "handout.model.settings", "handout.model.planfile",
         "handout.export.files", "handout.figures.compose", "handout.figures.kinematics", "handout.figures.images")
models, built = [], []
if "pydantic" in sys.modules:
    models = list(sys.modules["pydantic"].BaseModel.__subclasses__())
for model in models:
    models.extend(model.__subclasses__())
    if model.__module__.startswith("handout.") and vars(model).get("__pydantic_complete__"):
        built.append(model.__name__)
print(json.dumps({"loaded": sorted(m for m in heavy if m in sys.modules), "collecting": gc.isenabled(),
                  "frozen": gc.get_freeze_count(), "validators": sorted(set(built)),
                  "metadata": sorted(m for m in ("importlib.metadata", "email.message") if m in sys.modules)}))
"""


def run(*args: str, cwd=REPO, env: dict | None = None) -> dict:
    """What a fresh ``handout ARGS`` loaded, and whether it collected garbage at the end."""
    out = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True, cwd=cwd, check=True,
                         env=None if env is None else {**os.environ, **env})
    return json.loads(out.stdout.strip().splitlines()[-1])


def loaded(*args: str, cwd=REPO) -> list[str]:
    return run(*args, cwd=cwd)["loaded"]


def _build(tmp_path, *extra: str) -> list[str]:
    got = loaded("build", "--program", "ir-mobility", "--patient", "Sam Smith", "--out", str(tmp_path / "a.pdf"),
                 *extra, cwd=tmp_path)
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    return got


def test_help_imports_no_stage():
    assert loaded("--help") == []
    assert loaded("--version") == []


def test_build_imports_no_poster_tiling_or_batch_code(tmp_path):
    got = _build(tmp_path)
    assert "reportlab" in got  # it did build
    for module in ("pypdf", "handout.pipeline.poster", "handout.tiling", "handout.export.batch",
                   "handout.render.poster", "reportlab.graphics.barcode.qr"):
        assert module not in got


def test_build_loads_the_settings_and_plan_models_only_when_used(tmp_path, monkeypatch):
    """No settings file (the autouse fixture names none) and no plan: neither model loads."""
    got = _build(tmp_path)
    assert "handout.model.settings" not in got and "handout.model.planfile" not in got
    settings = tmp_path / "settings.yaml"
    settings.write_text("page_size: a4\n", encoding="utf-8")
    monkeypatch.setenv("HANDOUT_CONFIG", str(settings))
    got = _build(tmp_path, "--force", "--save-plan", str(tmp_path / "plan.yaml"))
    assert "handout.model.settings" in got and "handout.model.planfile" in got
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in (tmp_path / "a.pdf").read_bytes()  # the file's A4


def test_a_build_runs_without_the_cyclic_collector_and_a_batch_collects_again(tmp_path):
    """Start-up's objects live as long as the process: a one-shot build never walks them; a
    batch's parent, which runs on, collects again, with start-up's objects frozen out."""
    build = run("build", "--program", "ir-mobility", "--patient", "Sam Smith", "--out", str(tmp_path / "a.pdf"),
                cwd=tmp_path)
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    assert build["collecting"] is False and build["frozen"] == 0
    roster = tmp_path / "roster.csv"
    roster.write_text("patient,program\nSam Smith,ir-mobility\n", encoding="utf-8")
    batch = run("batch", str(roster), "--out-dir", str(tmp_path / "out"), "--jobs", "1", cwd=tmp_path)
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 1
    assert batch["collecting"] is True and batch["frozen"] > 10_000


def test_figures_from_the_disk_cache_load_no_drawing_code_and_the_bytes_stay(tmp_path):
    """The first build draws the figures and keeps them; the next takes them from the disk
    cache without importing the figure code; a build with the cache off draws them again.
    All three write the same bytes."""
    cache = {"HANDOUT_CACHE_DIR": str(tmp_path / "cache")}
    drawing = {"handout.figures.compose", "handout.figures.kinematics"}

    def build(name: str, **env: str) -> tuple[set[str], bytes]:
        got = run("build", "--program", "ir-mobility", "--patient", "Zoë Ünal", "--date", "2026-11-25",
                  "--out", str(tmp_path / name), cwd=tmp_path, env={**cache, **env})
        validators.append(got["validators"])
        return set(got["loaded"]) & drawing, (tmp_path / name).read_bytes()

    validators = []

    first, first_pdf = build("first.pdf")
    assert first == drawing  # an empty cache: the figures were drawn
    assert list((tmp_path / "cache").glob("handout-figure-*"))
    kept, kept_pdf = build("kept.pdf")
    assert kept == set()
    assert "Exercise" in validators[0]  # the library was read and checked
    assert validators[1] == ["HandoutRequest"]  # the command line's request is checked; nothing else
    off, off_pdf = build("off.pdf", HANDOUT_DISK_CACHE="0")
    assert off == drawing
    assert first_pdf.startswith(b"%PDF") and first_pdf == kept_pdf == off_pdf


def test_a_build_with_pydantic_plugins_off_reads_no_package_metadata(tmp_path):
    """The command line turns pydantic's plugins off, so nothing reads installed packages'
    metadata; a user who turns them on (PYDANTIC_DISABLE_PLUGINS="") gets pydantic's own
    plugin loader, and the same bytes."""
    def build(name: str, **env: str) -> tuple[list[str], bytes]:
        got = run("build", "--program", "ir-mobility", "--patient", "Sam Smith", "--date", "2026-11-25",
                  "--out", str(tmp_path / name), cwd=tmp_path, env=env)["metadata"]
        return got, (tmp_path / name).read_bytes()

    off, off_pdf = build("off.pdf")
    assert off == []
    on, on_pdf = build("on.pdf", PYDANTIC_DISABLE_PLUGINS="")
    assert on == ["email.message", "importlib.metadata"]
    assert off_pdf.startswith(b"%PDF") and off_pdf == on_pdf
