"""``render.platypus_import``: ReportLab's web-address and CJK patterns are compiled on first
use, not at import, and then match as the patterns themselves do. Checked in a fresh process (the test
process may have imported platypus before ``handout.render``)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from handout.render.platypus_import import OnFirstUse

from ..conftest import REPO

FRESH = r"""
import datetime as dt, json, re, sys
real_compile = re.compile
import handout.render
from reportlab.platypus import paragraph
from handout import HandoutRequest, build_handout
from handout.render.platypus_import import OnFirstUse

late = {f"{name}.{key}": value for name, module in list(sys.modules.items()) if name.startswith("reportlab")
        for key, value in vars(module).items() if isinstance(value, OnFirstUse)}
patterns = sum(isinstance(value, re.Pattern) for value in vars(paragraph).values())
from handout.markup import holes
pdf = build_handout(HandoutRequest(program="ir-mobility", patient="Sam Smith", date=dt.date(2026, 11, 25)))
after_build = sorted(name for name, value in late.items() if value.compiled is not None)
plain_name = [holes._plain_name.cache_info().currsize]
for patient in ("Ana Ruiz", "Li Wei"):
    build_handout(HandoutRequest(program="ir-mobility", patient=patient, date=dt.date(2026, 11, 25)))
    plain_name.append(holes._plain_name.cache_info().currsize)
print(json.dumps({"late": sorted(late), "patterns": patterns, "compile_restored": re.compile is real_compile,
                  "compiled_by_a_build": after_build, "pdf": pdf[:5].decode(),
                  "plain_name": plain_name}))
"""


def test_a_fresh_process_leaves_only_the_two_wide_patterns_to_first_use_and_a_build_never_uses_them():
    out = subprocess.run([sys.executable, "-c", FRESH], capture_output=True, text=True, cwd=REPO, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["late"] == ["reportlab.lib.textsplit.rx", "reportlab.platypus.paragraph.uri_pat"]
    assert got["patterns"] >= 5  # the module's other patterns compiled as before
    assert got["compile_restored"] is True
    assert got["pdf"] == "%PDF-"
    assert got["compiled_by_a_build"] == []
    # markup.holes' pattern of plain names (ranges to U+10FFFF): compiled when a kept shape
    # first takes a name (the third patient of a shape), never by a one-shot build
    assert got["plain_name"] == [0, 0, 1]


def test_the_stand_in_matches_as_the_pattern_does():
    from reportlab.platypus import paragraph

    source = paragraph.uri_pat.pattern
    real = re.compile(source, re.IGNORECASE)
    late = OnFirstUse(source, re.IGNORECASE)
    assert late.compiled is None
    addresses = ["https://example.org/exercises/hip/ir", "www.clínica-ejemplo.es/ejercicios/", "ftp://10.0.0.1/a",
                 "not an address", "HTTP://EXAMPLE.ORG/", "C:\\handouts\\zoe.pdf"]
    for address in addresses:
        want, got = real.match(address), late.match(address)
        assert (want is None) == (got is None), address
        assert want is None or want.groups() == got.groups()
    assert late.compiled is not None and late.flags == real.flags and late.groups == real.groups


def test_the_cjk_stand_in_splits_as_the_pattern_does():
    from reportlab.lib import textsplit

    source = textsplit.rx.pattern
    real, late = re.compile(source, re.UNICODE), OnFirstUse(source, re.UNICODE)
    for text in ("plain words", "日本語の文 and words", "한국어", "\uffff\u2e80"):
        assert late.sub(r"\1\0 ", text) == real.sub(r"\1\0 ", text)
    assert late.compiled is not None
