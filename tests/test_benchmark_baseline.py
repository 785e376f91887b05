"""The benchmark's hand-written ReportLab baseline makes the same pages as handout, so the
comparison in benchmarks/bench.py stays honest: same page count, same text, same fonts."""

from __future__ import annotations

import datetime as dt
import io
import sys

import pytest
from pypdf import PdfReader

from handout import Clinic, HandoutRequest, build_handout

from .conftest import REPO, fonts, page_sizes, pdf_text, render_page

sys.path.insert(0, str(REPO / "benchmarks"))
from baseline import build_baseline  # noqa: E402

CLINIC = dict(name="Riverside Physiotherapy", phone="555 0199", website="riverside-physio.example",
              address="12 River Road, Springfield", brand_color="#1F6F8B")
DATE = dt.date(2026, 11, 25)


def _both(patient: str, large: bool) -> tuple[bytes, bytes]:
    request = HandoutRequest(program="ir-mobility", patient=patient, clinic=Clinic(**CLINIC), date=DATE,
                             large_print=large)
    return build_handout(request), build_baseline(patient, CLINIC, DATE, large_print=large)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("patient", ["Zoë Ünal", "O'Brien & <Sons>"])
def test_baseline_has_the_same_pages_and_text(patient, large):
    project, baseline = _both(patient, large)
    assert len(PdfReader(io.BytesIO(baseline)).pages) == len(PdfReader(io.BytesIO(project)).pages)
    assert page_sizes(baseline) == page_sizes(project)
    assert pdf_text(baseline) == pdf_text(project)


def test_baseline_uses_the_same_fonts_and_size_class():
    project, baseline = _both("Zoë Ünal", False)
    # (the subset tag before "+" names the subset's characters, which handout gives their
    # codes in an order of its own: see "Pages written once" in docs/performance.md)
    untagged = [{name.split("+")[-1]: embedded for name, embedded in fonts(pdf).items()} for pdf in (baseline, project)]
    assert untagged[0] == untagged[1]
    assert abs(len(baseline) - len(project)) < 0.05 * len(project)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_baseline_pages_look_the_same(large):
    """Same figures, sizes and colours: every page renders to the same pixels (at half scale)."""
    from PIL import ImageChops

    project, baseline = _both("Zoë Ünal", large)
    for index in range(len(PdfReader(io.BytesIO(project)).pages)):
        diff = ImageChops.difference(render_page(project, index, 0.5), render_page(baseline, index, 0.5))
        assert diff.convert("L").point(lambda v: 255 if v > 40 else 0).getbbox() is None, f"page {index + 1}"
