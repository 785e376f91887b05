"""The handout PDF itself: names exactly as given, page sizes, fonts, type sizes, cards,
metadata, bookmarks and reproducibility, all read back from the PDF."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from pypdf import PdfReader

from handout import Clinic, HandoutRequest, Reuse, build_handout
from handout.errors import UnsupportedCharacterError
from handout.pipeline.handout import build_handout_document
from handout.render.document import frame_size
from handout.render.theme import MIN_ANY_PT, MIN_BODY_PT, MIN_LARGE_PT, Theme

from ..conftest import char_sizes, fonts, fresh_builds, page_sizes, pdf_text, render_page

CLINIC = Clinic(name="Test Clinic", phone="555 0199")
DATE = dt.date(2026, 11, 25)
NAMES = ["Zoë Ünal", "O'Brien & <Sons>", "Nguyễn Thị Minh Khai", "Αλέξανδρος Παπαδόπουλος", "Дмитрий Иванов"]


def request(**kw) -> HandoutRequest:
    base = dict(program="ir-mobility", patient="Zoë Ünal", clinic=CLINIC, date=DATE, article="summary")
    base.update(kw)
    return HandoutRequest(**base)


@pytest.fixture(scope="module")
def letter():
    return build_handout_document(request())


@pytest.fixture(scope="module")
def large():
    return build_handout_document(request(large_print=True, page_size="a4", article="full"))


@pytest.mark.parametrize("name", NAMES)
def test_patient_name_prints_exactly_as_given(name):
    text = pdf_text(build_handout(request(patient=name, log_weeks=0, article="none")))
    assert name in text


@pytest.mark.parametrize("name", ["Sam 😀", "Dana \u05d3"])
def test_a_character_the_font_lacks_is_a_clear_error(name):
    with pytest.raises(UnsupportedCharacterError) as info:
        build_handout(request(patient=name))
    message = str(info.value)
    assert message.startswith("patient:")
    assert f"U+{ord(name[-1]):04X}" in message


def test_page_size_is_exactly_letter_or_a4(letter, large):
    assert set(page_sizes(letter.pdf)) == {(612.0, 792.0)}
    assert {(round(w, 1), round(h, 1)) for w, h in page_sizes(large.pdf)} == {(595.3, 841.9)}


def test_every_font_is_embedded(letter, large):
    for built in (letter, large):
        used = fonts(built.pdf)
        assert used and all(used.values()), used
        assert all("NotoSans" in name for name in used)


def test_no_card_is_split_and_each_fits_a_page(letter, large):
    for built, theme, size in ((letter, Theme(), "letter"), (large, Theme(large_print=True), "a4")):
        numbers = [c[0] for c in built.record.cards]
        assert numbers == [1, 2, 3, 4, 5, 6]
        _, frame_h = frame_size(theme, size)
        assert all(c[3] < frame_h for c in built.record.cards)  # never shrunk to fit, never split


def test_large_print_has_no_glyph_under_18_pt(large):
    sizes = [s for _, s in char_sizes(large.pdf)]
    assert min(sizes) >= MIN_LARGE_PT


def test_normal_print_body_is_at_least_12_pt_and_nothing_under_9(letter):
    sizes = Counter(s for _, s in char_sizes(letter.pdf))
    assert min(sizes) >= MIN_ANY_PT
    body = sizes.most_common(1)[0][0]
    assert body >= MIN_BODY_PT


def test_two_fresh_processes_give_identical_bytes_and_so_does_reuse_off():
    """Reproducible builds: nothing from an earlier build in the same process (replayed pages,
    kept blocks) can make the two agree, and turning reuse off changes no byte."""
    first, second = fresh_builds(request())
    assert first.startswith(b"%PDF-") and first == second
    assert build_handout(request(), reuse=Reuse(enabled=False)) == first


def test_page_n_of_m_and_header_on_every_page(letter):
    reader = PdfReader(io.BytesIO(letter.pdf))
    total = len(reader.pages)
    for n, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"page {n} of {total}" in text
        assert "Test Clinic" in text


def test_metadata_and_bookmarks(letter):
    reader = PdfReader(io.BytesIO(letter.pdf))
    info = reader.metadata
    assert info.title == "Gentle hip turning moves for Zoë Ünal"
    assert info.author == "Test Clinic"
    assert info.subject
    assert reader.trailer["/Root"]["/Lang"] == "en"
    titles = [o.title for o in _flat(reader.outline)]
    assert "Your exercises" in titles and "When to stop and get help" in titles


def _flat(outline):
    for item in outline:
        yield from (_flat(item) if isinstance(item, list) else [item])


def test_handout_holds_the_dose_steps_safety_and_log(letter):
    text = " ".join(pdf_text(letter.pdf).split())
    assert "20 times · every day · each leg" in text
    assert "hip replacement" in text.lower()
    assert "Week 1" in text and "Week 2" in text and "Pain during" in text and "Pain next morning" in text
    assert "Fever" in text or "fever" in text


def test_qr_code_is_drawn_as_vectors_and_scans_back_to_its_address():
    import zxingcpp

    url = "https://example.org/hip?from=handout"
    with_qr = build_handout(request(article="none", qr=url))
    reader = PdfReader(io.BytesIO(with_qr))
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        assert not any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.values())
    found = [[(code.format, code.text) for code in zxingcpp.read_barcodes(render_page(with_qr, i, scale=2))]
             for i in range(len(reader.pages))]
    assert [codes for codes in found if codes] == [[(zxingcpp.BarcodeFormat.QRCode, url)]]  # one code, on one page


def test_exercise_option_replaces_the_program_list():
    built = build_handout_document(request(exercises=("prone-ir:3x12", "seated-ir"), article="none"))
    assert [c[1] for c in built.record.cards] == ["Face-down foot swing-out", "Seated foot swing-out"]
    assert "3 sets of 12" in pdf_text(built.pdf)
