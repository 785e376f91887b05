"""Pages written once: past the first page a handout's pages are the same operators for
every patient of a program (their line in the footer is a form each document defines; the
content's characters get their font codes before the name's), so their compressed streams
are made once per process, and the bytes are those of a build with every cache off."""

from __future__ import annotations

import io

import pypdfium2
import pytest
from pypdf import PdfReader

from handout import build_handout
from handout.render.reuse import Reuse, first_chars

from .test_reuse import request, scratch

NAMES = ["Sam Smith", "Zoë Ünal", "Αλέξανδρος Παπαδόπουλος", "Nguyễn Thị Minh Khai", "Дмитрий Иванов",
         "O'Brien & <Sons>"]


def streams(pdf: bytes) -> list[bytes]:
    return [page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages]


def page_texts(pdf: bytes) -> list[str]:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


@pytest.mark.parametrize("variant", [
    pytest.param({}, id="normal"),
    pytest.param({"large_print": True}, id="large", marks=pytest.mark.slow),
    pytest.param({"language": "es", "program": "ir-strength"}, id="spanish", marks=pytest.mark.slow)])
def test_pages_past_the_first_are_the_same_operators_for_every_patient(variant):
    """Names with letters beyond ASCII (which once shifted the content's character codes on
    every later page) and an ASCII one: pages 2 to N are the same bytes, from scratch too."""
    built = [scratch(request(name, **variant)) for name in NAMES]
    first = streams(built[0])
    assert len(first) >= 2
    for name, pdf in zip(NAMES[1:], built[1:]):
        mine = streams(pdf)
        assert len(mine) == len(first), name
        assert mine[1:] == first[1:], name
        assert mine[0] != first[0], name  # the first page holds the name


@pytest.mark.parametrize("cache, count, past", [("streams", "streams_reused", 1), ("written", "written_reused", 0)],
                         ids=["streams", "dictionaries"])
def test_pages_are_compressed_and_written_once_and_the_bytes_do_not_change(cache, count, past):
    """Pages past the first are the same stream objects for every patient, and every page's
    dictionary (its stream's number, the resources) the same bytes: each is written once
    per process, the same bytes as from scratch."""
    reuse = Reuse()
    for name in NAMES[:2]:
        build_handout(request(name), reuse=reuse)
    for name in NAMES[2:]:
        before = getattr(reuse.counts, count)
        pdf = build_handout(request(name), reuse=reuse)
        assert getattr(reuse.counts, count) - before == len(streams(pdf)) - past, name
        assert pdf == scratch(request(name)), name
    assert 0 < reuse.held()[cache] <= getattr(reuse.bounds, cache)
    if cache == "streams":  # kept as written (dictionary and bytes), not formatted again
        assert all(kept.startswith(b"<<") and kept.endswith(b"endstream\n") for kept in reuse.streams.values())


def test_the_footer_names_the_patient_on_every_page():
    pdf = scratch(request("Zoë Ünal"))
    texts = page_texts(pdf)
    assert len(texts) >= 2 and all("For Zoë Ünal" in t for t in texts), texts


def test_a_long_name_is_cut_the_same_on_every_page():
    long_name = "Maximiliana " + " ".join(["Wolfeschlegelsteinhausenberger"] * 4)
    texts = page_texts(scratch(request(long_name)))
    footers = {next(line for line in t.splitlines() if line.strip().startswith("For ")) for t in texts}
    assert len(footers) == 1 and "\u2026" in footers.pop()


def test_first_chars_leave_out_the_patient_and_keep_the_content():
    markup = "<p>Caf\u00e9 \u00b7 O&#39;Brien &amp; &lt;Sons&gt; Zo\u00eb \u00dcnal</p>"
    chars = first_chars(markup, "Zo\u00eb \u00dcnal")
    assert "\u00e9" in chars and "\u00b7" in chars and "\u2022" in chars
    assert "\u00eb" not in chars and "\u00dc" not in chars
    assert list(chars) == sorted(chars)


def test_a_page_dictionary_holding_what_is_not_known_is_written_each_time():
    from reportlab.pdfbase import pdfdoc

    from handout.render.reuse import pages

    numbers = {"R1": (1, 0)}
    assert pages._written_key(pdfdoc.PDFArray([1, 2.5, "/Name", pdfdoc.PDFObjectReference("R1")]), numbers)
    for unknown in (pdfdoc.PDFObjectReference("R2"), pdfdoc.PDFString("text"), pdfdoc.PDFStream(),
                    pdfdoc.PDFArray([pdfdoc.PDFDictionary({"A": object()})])):
        with pytest.raises(pages._Unkeyed):
            pages._written_key(unknown, numbers)
