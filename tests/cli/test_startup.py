"""Start-up: a command imports only what it needs (``handout --help`` no renderer, no
models; ``handout build`` no poster, tiling or batch code). Counted in modules loaded by a
fresh process, never in seconds."""

from __future__ import annotations

import json
import subprocess
import sys

from ..conftest import REPO

RUN = """
import json, sys
from handout.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = ("pydantic", "reportlab", "jinja2", "yaml", "markdown_it", "pypdf", "lxml", "PIL",
         "reportlab.graphics.barcode.qr", "handout.model.request", "handout.pipeline.poster", "handout.tiling",
         "handout.export.batch", "handout.render.poster")
print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
"""


def loaded(*args: str, cwd=REPO) -> list[str]:
    out = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True, cwd=cwd, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_help_imports_no_stage():
    assert loaded("--help") == []
    assert loaded("--version") == []


def test_build_imports_no_poster_tiling_or_batch_code(tmp_path):
    got = loaded("build", "--program", "ir-mobility", "--patient", "Sam Smith", "--out", str(tmp_path / "a.pdf"),
                 cwd=tmp_path)
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    assert "reportlab" in got  # it did build
    for module in ("pypdf", "handout.pipeline.poster", "handout.tiling", "handout.export.batch",
                   "handout.render.poster", "reportlab.graphics.barcode.qr"):
        assert module not in got
