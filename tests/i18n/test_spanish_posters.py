"""A Spanish poster and its tiles: every word from the templates and the tiling code is
Spanish (checked against the catalog's English source strings), plurals agree, /Lang is es,
and the longer Spanish text still fits the assembly page."""

from __future__ import annotations

import re
from io import BytesIO

import pypdfium2
import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from handout.cli import cli
from handout.errors import RequestError
from handout.model.i18n import catalog_path
from handout.tiling import tile

from ..conftest import REPO
from ..conftest import pdf_text as raw_text

# English the poster template and the tiles print; none may reach a Spanish page.
ENGLISH = ("Scan the code", "row 1, column 1", "How to put the poster together", "this ruler measures", "sheet",
           "Poster ", "overlap", "portrait", "landscape", "Letter")


def pdf_text(data: bytes) -> str:
    return " ".join(raw_text(data).split())


def lang(data: bytes) -> str:
    return str(PdfReader(BytesIO(data)).trailer["/Root"].get("/Lang", ""))


def english_fragments() -> set[str]:
    """The words of every catalog string the poster templates or the tiling code use, cut
    at their placeholders: pieces of five letters or more, which no Spanish page holds."""
    with catalog_path("es").open("rb") as po:
        catalog = read_po(po, locale="es")
    pieces = set()
    for message in catalog:
        where = " ".join(path for path, _ in message.locations)
        if not message.id or not re.search(r"handout/tiling|templates/poster|Scan the code", where + str(message.id)):
            continue
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            for piece in re.split(r"\{\w+\}|%\(\w+\)s", msgid):
                piece = piece.strip(" .,:()")
                if sum(c.isalpha() for c in piece) >= 5:
                    pieces.add(piece)
    return pieces


@pytest.fixture(scope="module")
def spanish(tmp_path_factory):
    """`handout poster --language es --tile letter` for ir-mobility on A2, with a QR code."""
    folder = tmp_path_factory.mktemp("es")
    clinic = folder / "clinic.yaml"
    clinic.write_text("name: Clínica Norte\nphone: 555 0100\n", encoding="utf-8")
    out = folder / "poster.pdf"
    result = CliRunner().invoke(cli, ["poster", "--program", "ir-mobility", "--size", "a2", "--language", "es",
                                      "--qr", "https://example.org/caderas", "--clinic", str(clinic),
                                      "--tile", "letter", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return out.read_bytes(), (folder / "poster-tiled-letter.pdf").read_bytes()


def test_the_spanish_poster_has_spanish_words_lang_and_metadata(spanish):
    poster, _ = spanish
    text = pdf_text(poster)
    assert "Escanee el código para saber más." in text and "Giros de cadera" in text
    assert "cada pierna" in text and "Clínica Norte" in text
    assert [word for word in ENGLISH if word in text] == []
    assert lang(poster) == "es"
    info = PdfReader(BytesIO(poster)).metadata
    assert info.title == "Giros de cadera"
    assert info.subject == "Póster de pared: 6 ejercicios para girar la cadera"


def test_the_tiles_of_a_spanish_poster_are_spanish(spanish):
    _, tiled = spanish
    pages = PdfReader(BytesIO(tiled)).pages
    assembly = " ".join(pages[0].extract_text().split())
    assert "Cómo montar el póster" in assembly
    assert "Póster de 420 × 594 mm en 6 hojas tamaño carta (3 filas × 2 columnas, horizontal), superposición de 10 mm" \
        in assembly
    assert "1. Imprima cada página al 100 %" in assembly
    assert "cm – esta regla mide exactamente 10 cm si se imprime al 100 %" in assembly
    labels = [" ".join(page.extract_text().split()) for page in pages[1:]]
    for n, (row, col) in enumerate(((1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2)), 1):
        assert f"fila {row}, columna {col} (hoja {n} de 6)" in labels[n - 1]
    text = pdf_text(tiled)
    assert [word for word in ENGLISH if word in text] == []
    assert lang(tiled) == "es"
    info = PdfReader(BytesIO(tiled)).metadata
    assert (info.title, info.subject) == ("Giros de cadera", "Giros de cadera, en 6 hojas tamaño carta")


def test_no_english_source_string_of_the_posters_and_tiles_prints(spanish):
    pieces = english_fragments()
    assert {"How to put the poster together", "the top edge of each sheet not in row 1",
            "Wall poster", "Scan the code for more"} <= pieces  # the check reads the catalog
    for data in spanish:
        text = pdf_text(data)
        info = PdfReader(BytesIO(data)).metadata
        shown = f"{text} {info.title} {info.subject}"
        assert [piece for piece in pieces if re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", shown)] == []


def char_boxes(textpage, start: int, count: int) -> list[tuple[float, float, float, float]]:
    return [textpage.get_charbox(i) for i in range(start, start + count)]


def found(textpage, words: str) -> list[tuple[float, float, float, float]]:
    """The boxes of the characters of ``words`` where the page first has them."""
    searcher = textpage.search(words)
    hit = searcher.get_next()
    assert hit, words
    return char_boxes(textpage, *hit)


def test_the_spanish_assembly_page_fits(spanish):
    """Spanish runs longer: nothing is cut short with an ellipsis, every character is inside
    the printable area (5 mm margins), and the last step ends above the ruler."""
    _, tiled = spanish
    assert "\u2026" not in pdf_text(tiled)
    pdf = pypdfium2.PdfDocument(tiled)
    try:
        page = pdf[0]
        width, height = page.get_size()
        textpage = page.get_textpage()
        margin = 5 * mm
        boxes = [box for box in char_boxes(textpage, 0, textpage.count_chars()) if box[2] > box[0]]
        assert len(boxes) > 500
        outside = [box for box in boxes if not (margin <= box[0] and box[2] <= width - margin
                                                and margin <= box[1] and box[3] <= height - margin)]
        assert outside == []
        last_step = found(textpage, "misma forma.")
        ruler_caption = found(textpage, "esta regla mide")
        ruler_top = max(box[3] for box in ruler_caption) + 20  # the ticks and numbers above it
        assert min(box[1] for box in last_step) > ruler_top
    finally:
        pdf.close()


def one_sheet_poster(language: str | None) -> bytes:
    """A small untitled one-page PDF, /Lang ``language``: it tiles onto one A4 sheet."""
    buf = BytesIO()
    canvas = Canvas(buf, pagesize=(150 * mm, 200 * mm), invariant=1, lang=language)
    canvas.rect(10, 10, 100, 100, fill=1)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def test_tile_reads_the_posters_lang_and_says_one_sheet_in_the_singular():
    tiled = tile(one_sheet_poster("es-US"), "a4")
    text = " ".join(PdfReader(BytesIO(tiled)).pages[0].extract_text().split())
    assert "Póster de 150 × 200 mm en 1 hoja A4 (1 fila × 1 columna, vertical), superposición de 10 mm" in text
    assert text.startswith("Póster ")  # the title an untitled poster gets
    assert "Recorte" not in text and "fila 1, columna 1 (hoja 1 de 1)" in pdf_text(tiled)
    assert lang(tiled) == "es"


def test_a_language_given_to_tile_wins_over_the_posters():
    english = tile(one_sheet_poster(None), "a4")
    assert "row 1, column 1 (sheet 1 of 1)" in pdf_text(english) and lang(english) == ""
    assert "on 1 A4 sheet (1 row × 1 column, portrait)" in pdf_text(english)
    spanish = tile(one_sheet_poster("en"), "a4", language="es")
    assert "fila 1, columna 1 (hoja 1 de 1)" in pdf_text(spanish) and lang(spanish) == "es"
    assert "row 1, column 1" in pdf_text(tile(one_sheet_poster("fr"), "a4"))  # a /Lang handout lacks: English
    with pytest.raises(RequestError, match='language: "fr" is not a language handout has'):
        tile(one_sheet_poster(None), "a4", language="fr")


def test_every_string_the_posters_and_tiles_use_has_its_spanish():
    """What `pybabel extract` finds in the tiling code and the poster templates, each with a
    non-empty, not fuzzy Spanish entry (the strict catalog would stop a build without one)."""
    from babel.messages.extract import extract_from_file

    with catalog_path("es").open("rb") as po:
        catalog = read_po(po, locale="es")
    files = [(path, "python", {}) for path in sorted((REPO / "handout" / "tiling").glob("*.py"))]
    files += [(path, "jinja2", {"extensions": "jinja2.ext.i18n"})
              for path in sorted((REPO / "templates").rglob("poster*.j2"))]
    used = {message[1] for path, method, options in files for message in extract_from_file(method, path, options=options)}
    assert len(used) >= 20
    for msgid in used:
        entry = catalog.get(msgid)
        assert entry is not None and not entry.fuzzy, msgid
        assert all(entry.string if isinstance(entry.string, tuple) else (entry.string,)), msgid


def test_a_poster_template_that_says_another_language_is_an_error(tmp_path):
    """The tiles follow the poster's /Lang, so a clinic's poster template with lang="en"
    fixed in it cannot make a Spanish poster whose tiles print English."""
    folder = tmp_path / "templates"
    folder.mkdir()
    template = (REPO / "templates" / "poster.xml.j2").read_text(encoding="utf-8")
    (folder / "poster.xml.j2").write_text(template.replace('lang="{{ language }}"', 'lang="en"'), encoding="utf-8")
    out = tmp_path / "poster.pdf"
    args = ["poster", "--program", "ir-desk-break", "--size", "a3", "--templates", str(folder), "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--language", "es"])
    assert result.exit_code == 1 and not out.exists()
    assert "poster.xml.j2" in result.stderr and 'lang="en"' in result.stderr and "Spanish" in result.stderr
    assert CliRunner().invoke(cli, args).exit_code == 0  # in English it is right
