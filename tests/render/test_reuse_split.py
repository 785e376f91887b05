"""A paragraph split across pages draws as from scratch when its line breaks were kept.

ReportLab's line breaking swaps a paragraph's frags for its words, and a later split cuts
the words or the lines depending on which it finds: kept line breaks must bring the words
with them. (Found with exercise E5's figure drawn from a turned view: a warm large-print
handout wrote a part's fill colour outside its text object, 2 bytes off the cold one.)
"""

from __future__ import annotations

import datetime as dt
import io

import yaml
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from handout import Clinic, HandoutRequest, build_handout
from handout.paths import bundled
from handout.render.fonts import REGULAR, register_fonts
from handout.render.reuse import Para, Reuse

TEXT = ("<b>Start:</b> Sit on the floor with both knees bent to a right angle. Your front leg lies on its "
        "outer side. Your back leg lies on its inner side.")

STYLE = ParagraphStyle("step", fontName=REGULAR, fontSize=18, leading=26.1, textColor="#1A1A1A")


def _parts_drawn(reuse: Reuse) -> list[list[str]]:
    """The operators each part of the paragraph draws, split before its last line."""
    register_fonts()
    with reuse.active():
        para = Para(TEXT, STYLE)
        _, height = para.wrap(255.5, 1000)
        parts = para.split(255.5, height - STYLE.leading / 2)
        canv = Canvas(io.BytesIO())
        out = []
        for part in parts:
            part.wrap(255.5, 1000)
            before = len(canv._code)
            part.drawOn(canv, 0, 0)
            out.append(canv._code[before:])
    return out


def test_a_split_of_kept_line_breaks_draws_as_from_scratch():
    warm = Reuse()
    _parts_drawn(warm)
    lines = warm.counts.lines_reused
    got = _parts_drawn(warm)
    assert warm.counts.lines_reused > lines  # the second time the line breaks were kept ones
    want = _parts_drawn(Reuse(enabled=False))
    assert len(want) == 2
    assert got == want


def _turned_content(tmp_path) -> str:
    """A content folder whose E5 (ninety-ninety) figure is drawn from a view turned 35 degrees."""
    source = bundled("content") / "exercises" / "ninety-ninety.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["figure"]["turn"] = 35
    folder = tmp_path / "content" / "exercises"
    folder.mkdir(parents=True)
    (folder / source.name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(tmp_path / "content")


def test_a_turned_figure_warm_large_print_gives_the_bytes_of_a_cold_build(tmp_path):
    content = _turned_content(tmp_path)
    clinic = Clinic(name="Test Clinic", phone="555 0199", website="clinic.example", address="1 Main St")

    def request(program, patient):
        return HandoutRequest(program=program, patient=patient, clinic=clinic, date=dt.date(2026, 11, 25),
                              large_print=True, content_dirs=(content,))

    warm = Reuse()
    # E5's steps wrapped for another program's handout first (the same card, another page).
    for program in ("ir-advanced", "ir-mobility"):
        for name in ("Sam Smith", "Αλέξανδρος Παπαδόπουλος", "Дмитрий Иванов"):
            build_handout(request(program, name), reuse=warm)
    target = request("ir-mobility", "Zoë Ünal")
    assert build_handout(target, reuse=warm) == build_handout(target, reuse=Reuse(enabled=False))
