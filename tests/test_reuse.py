"""Reusing work across documents (handout.render.reuse) changes no byte of any PDF."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from handout import Clinic, HandoutRequest, build_handout
from handout.render import reuse

CLINIC = Clinic(name="Test Clinic", phone="555 0199", website="clinic.example", address="1 Main St")
DATE = dt.date(2026, 11, 25)


def request(patient: str, **kw) -> HandoutRequest:
    return HandoutRequest(program="ir-mobility", patient=patient, clinic=CLINIC, date=DATE, **kw)


VARIANTS = [dict(), dict(large_print=True), dict(page_size="a4", article="summary"),
            dict(large_print=True, page_size="a4", greyscale=True, log_weeks=1)]


@pytest.mark.parametrize("kw", VARIANTS, ids=["letter", "large", "a4-summary", "large-a4-grey"])
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
