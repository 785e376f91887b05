"""Reusing work across documents (handout.render.reuse) changes no byte of any PDF."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from handout import Clinic, HandoutRequest, build_handout
from handout.render import recording, reuse

CLINIC = Clinic(name="Test Clinic", phone="555 0199", website="clinic.example", address="1 Main St")
DATE = dt.date(2026, 11, 25)


def request(patient: str, **kw) -> HandoutRequest:
    return HandoutRequest(**{"program": "ir-mobility", "patient": patient, "clinic": CLINIC, "date": DATE, **kw})


VARIANTS = [dict(), dict(large_print=True), dict(page_size="a4", article="summary"),
            dict(large_print=True, page_size="a4", greyscale=True, log_weeks=1),
            dict(notes="Walk for ten minutes after the exercises. " * 6, qr="https://clinic.example/hips",
                 log_weeks=3)]


@pytest.mark.parametrize("kw", VARIANTS, ids=["letter", "large", "a4-summary", "large-a4-grey", "notes-qr"])
def test_reuse_gives_the_bytes_of_a_build_from_scratch(kw):
    with reuse.off():
        scratch = build_handout(request("Zoë Ünal", **kw))
    first = build_handout(request("Zoë Ünal", **kw))
    for name in ("Sam Smith", "Αλέξανδρος Παπαδόπουλος", "O'Brien & <Sons> with a long name that wraps"):
        build_handout(request(name, **kw))
        build_handout(request(name, **{**kw, "large_print": not kw.get("large_print", False)}))
    again = build_handout(request("Zoë Ünal", **kw))
    assert first == scratch
    assert again == scratch


NAMES = ["Zoë Ünal", "Sam Smith", "Αλέξανδρος Παπαδόπουλος", "Nguyễn Thị Minh Khai", "Дмитрий Иванов",
         "Siobhán Ó Súilleabháin-Ñúñez, a name long enough to wrap in the intro table", "O'Brien & <Sons>"]


@pytest.mark.parametrize("kw", VARIANTS[:2], ids=["letter", "large"])
def test_every_patient_gets_the_bytes_of_a_build_from_scratch(kw):
    """Names with letters beyond ASCII come first in the PDF and take the fonts' first codes;
    the kept drawings must be rewritten for them, whatever came before."""
    with reuse.off():
        scratch = {name: build_handout(request(name, **kw)) for name in NAMES}
    for name in NAMES + NAMES[::-1]:
        assert build_handout(request(name, **kw)) == scratch[name], name


def test_a_fresh_process_gives_the_bytes_of_a_warm_one(tmp_path):
    for name in ("Sam Smith", "Дмитрий Иванов"):
        build_handout(request(name))
    warm = build_handout(request("Zoë Ünal"))
    script = ("import sys, datetime as dt\n"
              "from handout import Clinic, HandoutRequest, build_handout\n"
              f"r = HandoutRequest(program='ir-mobility', patient='Zoë Ünal', clinic=Clinic(**{CLINIC.model_dump()!r}),"
              " date=dt.date(2026, 11, 25))\n"
              "sys.stdout.buffer.write(build_handout(r))\n")
    fresh = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True).stdout
    assert fresh == warm


def test_recoding_changes_only_the_codes_of_the_fonts_it_was_given():
    ops = ["BT /F1+0 12 Tf 14 TL (\\\\101\\201x\\() Tj ET", "BT /F3+0 12 Tf 14 TL (\\201) Tj ET"]
    out = recording.recoded(ops, {"/F1+0": "/F2+0"}, {"/F1+0": {0o201: 0o202, 0o101: 0o150}})
    assert out == ["BT /F2+0 12 Tf 14 TL (\\\\101\\202x\\() Tj ET", "BT /F3+0 12 Tf 14 TL (\\201) Tj ET"]
    assert recording.recoded(["BT /F5 12 Tf (a) Tj ET"], {"/F1+0": "/F2+0"}, {}) is None  # a standard font


def test_a_clinic_logo_is_drawn_each_time_with_the_same_bytes(tmp_path):
    from PIL import Image

    Image.new("RGB", (60, 30), (200, 40, 40)).save(tmp_path / "logo.png")
    clinic = CLINIC.model_copy(update={"logo": "logo.png", "base_dir": str(tmp_path)})
    with reuse.off():
        scratch = build_handout(request("Zoë Ünal", clinic=clinic))
    build_handout(request("Sam Smith", clinic=clinic))
    assert build_handout(request("Zoë Ünal", clinic=clinic)) == scratch


def test_threads_building_at_once_get_the_bytes_of_one_at_a_time():
    from concurrent.futures import ThreadPoolExecutor

    jobs = [request(name, **kw) for name in NAMES[:4] for kw in VARIANTS[:2]]
    alone = [build_handout(job) for job in jobs]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(build_handout, jobs * 2))
    assert together == alone * 2


def test_pictures_in_the_story_are_drawn_each_time_with_the_same_bytes(tmp_path):
    """A picture belongs to the PDF that drew it first: it is never replayed into another."""
    from PIL import Image

    Image.new("RGB", (60, 30), (40, 120, 200)).save(tmp_path / "pic.png")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "handout.xml.j2").write_text(
        '<document title="Pictures" author="{{ clinic.name }}">\n<clinic-header name="{{ clinic.name }}"/>\n'
        '<img src="pic.png" alt="a square" width="40mm"/>\n<p>For {{ patient }}.</p>\n'
        '<img src="pic.png" alt="a square" width="40mm"/>\n'
        '{% for i in range(60) %}<p>Line {{ i }} of the same text.</p>\n{% endfor %}'
        '<img src="pic.png" alt="a square" width="40mm"/>\n</document>\n', encoding="utf-8")
    clinic = CLINIC.model_copy(update={"base_dir": str(tmp_path)})
    kw = dict(clinic=clinic, template_dirs=(str(templates),))
    with reuse.off():
        scratch = {name: build_handout(request(name, **kw)) for name in NAMES[:3]}
    for name in NAMES[:3] * 2:
        assert build_handout(request(name, **kw)) == scratch[name], name


def test_a_failed_build_leaves_no_recording_behind(monkeypatch):
    """A document that fails half-way through a page being recorded must not leave the fonts
    noting characters for a recording that will never finish."""
    from handout.render import document, recording

    reuse.clear()
    build_handout(request(NAMES[0], page_size="a4"))  # the pages are seen once: recorded next time

    noted = document.HandoutDoc.note

    def broken(self, note):
        if self.page > 2:  # past the patient's page: a page being recorded
            raise RuntimeError("something failed while a page was being recorded")
        noted(self, note)

    monkeypatch.setattr(document.HandoutDoc, "note", broken)
    with pytest.raises(RuntimeError):
        build_handout(request(NAMES[1], page_size="a4"))
    monkeypatch.undo()
    assert recording._LOGS == []
    with reuse.off():
        scratch = build_handout(request(NAMES[2], page_size="a4"))
    assert build_handout(request(NAMES[2], page_size="a4")) == scratch
