"""Which characters the fonts draw (``render/font_cover.py``): the same answer kept on disk
as read from the fonts, and, with it kept, no ReportLab import to give it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from handout.disk import DISK, PREFIX
from handout.model import printable as font_cover

SAMPLES = ["Zoë Ünal", "Дмитрий", "Αλέξανδρος", "Nguyễn Thị Minh Khai", "王小明", "🙂", "a\u00adb\n", "José"]


@pytest.fixture
def kept_here(disk_here):
    font_cover._uncovered.cache_clear()
    yield disk_here
    font_cover._uncovered.cache_clear()


def test_the_kept_set_is_the_set_read_from_the_fonts(kept_here):
    read = font_cover._read_covered()
    assert font_cover._covered() == read  # made and kept
    assert [p.name for p in kept_here.glob(f"{PREFIX}cover*")]
    hits = DISK.counts.hits
    assert font_cover._covered() == read and DISK.counts.hits == hits + 1  # read back
    assert ord("ë") in read and ord("Д") in read and ord("王") not in read


def test_a_damaged_kept_set_is_read_again(kept_here):
    expected = font_cover._covered()
    for path in kept_here.glob(f"{PREFIX}cover*"):
        path.write_bytes(b"not a pickle")
    assert font_cover._covered() == expected


def test_answers_are_the_same_kept_and_off(kept_here, monkeypatch):
    kept = [font_cover.missing_char(text) for text in SAMPLES]
    font_cover._uncovered.cache_clear()
    monkeypatch.setattr(DISK, "enabled", False)
    assert [font_cover.missing_char(text) for text in SAMPLES] == kept == [None, None, None, None, "王", "🙂",
                                                                           None, None]


CHECK_ROSTER = r"""
import json, sys
from handout import Clinic
from handout.export import read_roster
from handout.export.batch import _Run
roster = read_roster(sys.argv[1], clinic=Clinic(name="Riverside Physio"))
print(json.dumps({"rows": len(roster.jobs), "errors": [e.message for e in roster.errors],
                  "loaded": sorted({m.split(".")[0] for m in sys.modules} & {"reportlab", "PIL", "jinja2"}),
                  "reportlab": sorted(m for m in sys.modules if m.startswith("reportlab"))}))
"""


def test_a_batch_parent_reads_and_checks_a_roster_without_the_renderer(tmp_path):
    """The parent builds nothing: with the fonts' characters kept, no page layout, PIL or Jinja."""
    roster = tmp_path / "roster.csv"
    roster.write_text("patient,program\nZoë Ünal,ir-mobility\n王小明,ir-mobility\n", encoding="utf-8")
    env = {**os.environ, "HANDOUT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("HANDOUT_DISK_CACHE", None)
    runs = [json.loads(subprocess.run([sys.executable, "-c", CHECK_ROSTER, str(roster)], env=env, check=True,
                                      capture_output=True, text=True).stdout) for _ in range(2)]
    first, second = runs
    assert first["rows"] == second["rows"] == 1
    assert len(second["errors"]) == 1 and "王" in second["errors"][0]
    assert second["loaded"] == ["reportlab"]  # its package, units and page sizes only
    assert set(second["reportlab"]) <= {"reportlab", "reportlab.lib", "reportlab.lib.units", "reportlab.lib.pagesizes"}
