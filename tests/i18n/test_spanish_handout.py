"""A whole Spanish handout (ir-mobility: normal, large print, compact): the PDF says it is
Spanish, prints Spanish headings, doses and dates, keeps the patient's name exactly, holds no
English string from the templates or the render code (checked against the catalog's source
strings), and its longer words stay inside the page and the log's columns."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdfium2
import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner
from pypdf import PdfReader

from handout import HandoutRequest
from handout.cli import cli
from handout.model import i18n
from handout.pipeline.handout import build_handout_document, render_markup
from handout.render.fonts import BOLD, register_fonts
from handout.render.logbook import HEAD_EMS, _head_lines
from handout.render.theme import Theme

from ..conftest import pdf_text

pytestmark = pytest.mark.slow  # three whole handouts, large print the longest

PATIENT = "Zoë Ünal-Ñúñez"
VARIANTS = {"normal": {}, "large": {"large_print": True}, "compact": {"layout": "compact"}}
# Strings of the English templates and render code a patient would notice (the brief's list).
ENGLISH = ("Your exercises", "Before you start", "Key point", "Watch out", "Stop if", "page 1 of", "Pain during",
           "Week 1", "Questions? Call", "Too hard?", "Stop the exercise if", "Had a hip replacement?",
           "Your exercise log", "When to stop and get help", "no pain", "your limit", "For Zoë")
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


@pytest.fixture(scope="module")
def built():
    out = {}
    for name, kw in VARIANTS.items():
        request = HandoutRequest(program="ir-mobility", patient=PATIENT, date=dt.date(2026, 12, 3), language="es",
                                 **kw)
        out[name] = build_handout_document(request)
    return out


def _words(data: bytes) -> str:
    return " ".join(pdf_text(data).split())


def _source_fragments() -> list[str]:
    """Every fixed run of the catalog's English strings (split at their placeholders) of two
    words or more: none of them may print on a Spanish page."""
    with i18n.catalog_path("es").open("rb") as po:
        catalog = read_po(po, locale="es")
    out = []
    for message in catalog:
        for msgid in (message.id if isinstance(message.id, tuple) else (message.id,)):
            for part in PLACEHOLDER.split(msgid):
                part = part.strip(" ,.:()\"")
                if len(part.split()) >= 2 and part not in (message.string if isinstance(message.string, tuple)
                                                           else (message.string,)):
                    out.append(part)
    return out


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_pdf_is_spanish_and_the_name_prints_exactly(built, variant):
    data = built[variant].pdf
    reader = PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "es"
    meta = reader.metadata
    assert meta.title == f"Giros suaves de cadera para {PATIENT}"
    assert meta.subject == "Ejercicios en casa para los músculos que giran la cadera"
    text = _words(data)
    assert PATIENT in text
    assert "3 de diciembre de 2026" in text
    assert "Plan de ejercicios en casa" in text  # no clinic profile: the neutral header title
    assert "Pare el ejercicio si:" in text and "Su registro de ejercicios" in text
    assert "jue 3" in text  # the log's first day, Babel's Spanish weekday
    assert "¿Preguntas? Llame al" in text
    if variant != "compact":
        pages = len(reader.pages)
        assert f"página 1 de {pages}" in text and f"página {pages} de {pages}" in text
        assert f"Para {PATIENT}" in text  # the footer
        for heading in ("Sus ejercicios", "Antes de empezar", "Cuándo parar y pedir ayuda", "Recuerde:",
                        "Evite:", "¿Muy difícil?", "¿Muy fácil?", "Dolor durante"):
            assert heading in text, heading


@pytest.mark.parametrize("variant", VARIANTS)
def test_doses_are_spanish(built, variant):
    text = _words(built[variant].pdf)
    assert "20 veces · a diario · cada pierna" in text  # card 1
    assert "5 veces · mantenga 5 segundos · a diario · a cada lado" in text  # card 3
    assert re.search(r"\b\d series? de \d+\b", text) or "veces" in text


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_english_string_of_the_templates_prints(built, variant):
    text = _words(built[variant].pdf)
    for english in ENGLISH:
        assert english not in text, english
    fragments = _source_fragments()
    assert len(fragments) > 60  # the catalog's strings, not an empty list that passes anything
    printed = [f for f in fragments if f in text]
    assert printed == []


def test_template_logic_reads_keys_not_english_words(built):
    """The intro's floor line and "each leg" line come from the cards' position and side,
    which the English words in the dose no longer decide."""
    text = _words(built["normal"].pdf)
    assert "Los ejercicios 2, 3, 4, 5 y 6 se hacen en el piso." in text
    assert '"Cada pierna": una pierna y luego la otra' in text
    assert "¿Pinzamiento de cadera (los huesos chocan)" in text


@pytest.mark.parametrize("variant", ("normal", "large"))
def test_longer_spanish_words_stay_inside_the_page_and_the_log(built, variant):
    data = built[variant].pdf
    raw = pdf_text(data)
    assert "Semana 1" in raw and "Semana\n1" not in raw  # the day column is wide enough for the week
    theme = Theme("#1F6F8B", variant == "large", False)
    left, right = theme.margins()[:2]
    pdf = pypdfium2.PdfDocument(data)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            width = page.get_width()
            text = page.get_textpage()
            for n in range(text.count_chars()):
                if not text.get_text_range(n, 1).strip():
                    continue
                x0, _, x1, _ = text.get_charbox(n)
                assert left - 1 <= x0 and x1 <= width - right + 1, (i + 1, text.get_text_range(n, 1), x0, x1)
    finally:
        pdf.close()


def test_log_heads_split_where_the_widest_line_is_narrowest():
    register_fonts()
    size = 12
    assert _head_lines("Pain during", size) == ("Pain", "during")
    assert _head_lines("Pain next morning", size) == ("Pain next", "morning")  # English as before
    assert _head_lines("Dolor a la mañana siguiente", size) == ("Dolor a la", "mañana", "siguiente")
    assert _head_lines("Dolor al despertar", size) == ("Dolor al", "despertar")  # the catalog's words now
    assert _head_lines("Notes", size) == ("Notes",)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert max(stringWidth(line, BOLD, size) for line in _head_lines("Dolor a la mañana siguiente", size)) \
        <= HEAD_EMS * size


def test_check_in_spanish_passes():
    result = CliRunner().invoke(cli, ["check", "--language", "es"])
    assert result.exit_code == 0, result.output + result.stderr


def test_precautions_name_their_moves_in_spanish():
    """One move, several moves and all the moves, each with Spanish grammar (ir-strength)."""
    markup = render_markup(HandoutRequest(program="ir-strength", language="es", date=dt.date(2026, 12, 3)))
    assert "(todos los ejercicios)" in markup and "(ejercicios 1, 2 y 3)" in markup
    assert "(ejercicio 6, Pie afuera, de pie)" in markup
    assert " and " not in markup and "(move" not in markup


def test_the_pain_scale_speaks_spanish_at_every_limit():
    for limit, legend in ((10, "De 0 a 10 (cuadros sombreados): está bien. 10 es su límite."),
                         (5, "De 0 a 5 (cuadros sombreados): está bien")):
        request = HandoutRequest(program="ir-desk-break", language="es", date=dt.date(2026, 12, 3), layout="compact",
                                 pain_limit=limit)
        text = _words(build_handout_document(request).pdf)
        assert legend in text and "sin dolor" in text and "peor dolor" in text
        assert ("su límite" in text.replace(legend, "")) == (limit == 5)


def test_the_too_hard_and_too_easy_labels_never_break_across_lines(built):
    """"¿Muy fácil?" split after "¿Muy" in large print (the line breaker took the folded no-break
    space for a space); each label is one unbreakable run, so no line ends in "¿Muy"."""
    pdf = pypdfium2.PdfDocument(built["large"].pdf)
    lines = [line.strip() for page in pdf for line in page.get_textpage().get_text_range().splitlines()]
    assert any("¿Muy fácil?" in line or "¿Muy\xa0fácil?" in line for line in lines)
    assert not [line for line in lines if line.endswith("¿Muy") or re.match(r"(fácil|difícil)\?", line)]
