"""Wall posters: one page at every size, legible from the design distance (measured from the
PDF's own character data), a clear error naming what would fit, --fit, tiles, figures drawn."""

from __future__ import annotations

import ctypes
import io
import math
import re

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from click.testing import CliRunner
from PIL import ImageChops
from pypdf import PdfReader

from handout import build_poster
from handout.cli import cli
from handout.errors import LayoutError, RequestError
from handout.model.request import Clinic, PosterRequest
from handout.pipeline.poster import build_poster_document
from handout.render.fonts import BOLD, ITALIC, REGULAR, x_height
from handout.model.poster_sizes import POSTER_SIZES_PT
from handout.render.poster_theme import TAN_15_ARCMIN
from handout.tiling import tile_grid

from ..conftest import REPO, fonts, fresh_builds, page_sizes, pdf_text

CLINIC = Clinic(name="Riverside Physiotherapy", phone="555 0100", website="riverside.example")
MM_PER_PT = 25.4 / 72
_BUILT: dict = {}


def poster(**fields):
    """A poster of ir-mobility (6 exercises), built once per set of fields."""
    fields = {"program": "ir-mobility", "clinic": CLINIC, **fields}
    key = tuple(sorted((k, repr(v)) for k, v in fields.items()))
    if key not in _BUILT:
        _BUILT[key] = build_poster_document(PosterRequest(**fields))
    return _BUILT[key]


def glyphs(data: bytes) -> list[tuple[str, float | None]]:
    """Each character on the page with its x-height in mm (None for white space), from
    pdfium: the font size the PDF sets times that font's own x-height ratio."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        page = pdf[0].get_textpage()
        out = []
        buffer = ctypes.create_string_buffer(256)
        for i in range(page.count_chars()):
            char = chr(pdfium_c.FPDFText_GetUnicode(page.raw, i))
            if not char.strip():
                out.append((char, None))
                continue
            size = pdfium_c.FPDFText_GetFontSize(page.raw, i)
            pdfium_c.FPDFText_GetFontInfo(page.raw, i, buffer, len(buffer), None)
            name = buffer.value.decode("ascii", "replace")
            font = BOLD if "Bold" in name else ITALIC if "Italic" in name else REGULAR
            out.append((char, size * x_height(font) * MM_PER_PT))
        return out
    finally:
        pdf.close()


def smallest_x_height(chars) -> float:
    return min(xh for _, xh in chars if xh is not None)


def rule_mm(distance_m: float) -> float:
    return distance_m * 1000 * TAN_15_ARCMIN


def flat(text: str) -> str:
    return " ".join(text.split())


# --- pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("landscape", [False, True], ids=["portrait", "landscape"])
@pytest.mark.parametrize("size", list(POSTER_SIZES_PT))
def test_exactly_one_page_of_the_exact_size(size, landscape):
    built = poster(size=size, landscape=landscape)  # no distance asked: as far as the size allows
    w, h = POSTER_SIZES_PT[size]
    expected = (h, w) if landscape else (w, h)
    (actual,) = page_sizes(built.pdf)
    assert actual == pytest.approx(expected, abs=1.0)
    assert not built.fitted and 0.3 < built.readable_from_m < 2.01
    cols, rows = built.grid  # rows may hold different counts (3 + 1 + 2): none is empty, none too full
    row_tops = {round(y + h) for _, y, _, h in built.panel_boxes}
    assert len(built.panel_boxes) == 6 and len(row_tops) == rows and cols <= 6


def test_every_glyph_meets_the_rule_at_the_design_distance_and_the_title_at_twice():
    built = poster(size="a0", viewing_distance_m=1.6)  # six exercises fit A0 at 1.6 m (as short cues)
    assert not built.fitted and built.readable_from_m >= 1.6
    chars = glyphs(built.pdf)
    smallest = smallest_x_height(chars)
    assert smallest >= rule_mm(1.6) - 1e-6
    assert smallest == pytest.approx(built.smallest_x_height_mm, abs=0.01)
    text = "".join(c for c, _ in chars)
    start = text.index("Hip turning moves")
    title = [xh for _, xh in chars[start:start + len("Hip turning moves")] if xh is not None]
    assert min(title) >= rule_mm(3.2) - 1e-6


def test_a_poster_that_cannot_fit_names_a_size_and_a_count_that_would():
    with pytest.raises(LayoutError) as info:
        build_poster(PosterRequest(program="ir-mobility", clinic=CLINIC, size="a2", viewing_distance_m=1.6))
    message = str(info.value)
    assert message.startswith("6 exercises do not fit on A2 portrait at 1.6 m: ")
    name = re.search(r"use --size (\w+)", message).group(1)
    assert name in POSTER_SIZES_PT  # named as --size takes it
    count = int(re.search(r"at most (\d+) exercises?", message).group(1))
    promised = float(re.search(r"--fit to read it from ([\d.]+) m", message).group(1))
    fitted = poster(size="a2", viewing_distance_m=1.6, fit=True)
    assert fitted.fitted and promised <= fitted.readable_from_m < promised + 0.05  # --fit does what it said
    assert poster(size=name, viewing_distance_m=1.6).readable_from_m >= 1.6  # the size named does fit
    picks = [i.exercise for i in _mobility_items()]
    assert not poster(exercises=tuple(picks[:count]), size="a2", viewing_distance_m=1.6).fitted  # so does the count
    with pytest.raises(LayoutError):
        build_poster(PosterRequest(program="ir-mobility", exercises=tuple(picks[:count + 1]), clinic=CLINIC,
                                   size="a2", viewing_distance_m=1.6))  # as the count was found: with the program's text


def _mobility_items():
    from handout.model.library import load_library

    return load_library(()).programs["ir-mobility"].items


def test_fit_shrinks_the_text_and_reports_the_shorter_distance():
    built = poster(size="a1", viewing_distance_m=2.0, fit=True)
    assert built.fitted and 0.5 < built.readable_from_m < 2.0
    smallest = smallest_x_height(glyphs(built.pdf))
    assert smallest >= rule_mm(built.readable_from_m) * (1 - 1e-4)  # the PDF keeps sizes to 0.01 pt
    assert smallest == pytest.approx(built.smallest_x_height_mm, abs=0.01)
    unfitted = poster(size="a0", viewing_distance_m=1.6, fit=True)  # fits as asked: --fit changes nothing
    assert not unfitted.fitted and unfitted.pdf == poster(size="a0", viewing_distance_m=1.6).pdf


def test_the_chosen_grid_gives_figures_at_least_as_big_as_any_other(tmp_path):
    source = (REPO / "templates" / "poster.xml.j2").read_text(encoding="utf-8")
    chosen = poster(size="a0", viewing_distance_m=1.0)
    best = min(w * h for _, _, w, h in chosen.figure_boxes)
    compared = 0
    for cols in range(1, 7):
        folder = tmp_path / str(cols)
        folder.mkdir()
        (folder / "poster.xml.j2").write_text(source.replace("<poster-grid>", f'<poster-grid columns="{cols}">'),
                                              encoding="utf-8")
        try:
            other = poster(size="a0", viewing_distance_m=1.0, template_dirs=(str(folder),))
        except LayoutError:
            continue
        assert other.grid[0] == cols
        assert min(w * h for _, _, w, h in other.figure_boxes) <= best * 1.021, cols
        compared += 1
    assert compared >= 2


# --- what is on the page ------------------------------------------------------------------


def test_every_panel_figure_is_drawn():
    built = poster(size="a1", landscape=True, fit=True)
    scale = 0.1
    pdf = pypdfium2.PdfDocument(built.pdf)
    try:
        image = pdf[0].render(scale=scale).to_pil().convert("L")
    finally:
        pdf.close()
    page_h = built.page_size_pt[1]
    assert len(built.figure_boxes) == 6
    for x, y, w, h in built.figure_boxes:
        box = (int(x * scale), int((page_h - y - h) * scale), math.ceil((x + w) * scale),
               math.ceil((page_h - y) * scale))
        histogram = image.crop(box).histogram()
        dark = sum(histogram[:110])
        assert dark > 0.005 * sum(histogram), f"no figure drawn in {box}"


def test_the_text_holds_the_safety_note_clinic_and_every_exercise():
    built = poster(size="a0", qr="https://riverside.example/hips")
    text = flat(pdf_text(built.pdf))
    assert "Move gently. Stop if pain is sharp. Hip replacement? Ask your surgeon first." in text
    assert "Riverside Physiotherapy" in text and "555 0100" in text
    for name in ("Seated foot swing-out", "Lying knee tips (windshield wipers)", "Floor sitting hip switches (90/90)",
                 "Face-down foot swing-out", "Face-down feet fall-out stretch", "Hands-and-knees foot swing-out"):
        assert name in text
    assert "Scan the code" in text


def test_every_font_is_embedded_and_metadata_set():
    built = poster(size="a2", fit=True, greyscale=True)
    used = fonts(built.pdf)
    assert used and all(used.values()), used
    info = PdfReader(io.BytesIO(built.pdf)).metadata
    assert info.title == "Hip turning moves" and info.author == "Riverside Physiotherapy"


def test_greyscale_has_no_colour():
    built = poster(size="a2", fit=True, greyscale=True)
    pdf = pypdfium2.PdfDocument(built.pdf)
    try:
        image = pdf[0].render(scale=0.08).to_pil().convert("RGB")
    finally:
        pdf.close()
    r, g, b = image.split()
    for one, other in ((r, g), (g, b), (r, b)):
        assert ImageChops.difference(one, other).getextrema()[1] <= 12


def test_two_fresh_processes_give_identical_bytes():
    request = PosterRequest(program="ir-desk-break", clinic=CLINIC, size="a2", fit=True)
    first, second = fresh_builds(request)
    assert first.startswith(b"%PDF-") and first == second
    assert build_poster(request) == first  # and a warm process, after other posters, agrees


def test_the_qr_code_scans_back_to_its_address():
    import zxingcpp

    built = poster(size="a0", qr="https://riverside.example/hips")
    pdf = pypdfium2.PdfDocument(built.pdf)
    try:
        image = pdf[0].render(scale=0.5).to_pil()
    finally:
        pdf.close()
    codes = [(code.format, code.text) for code in zxingcpp.read_barcodes(image)]
    assert codes == [(zxingcpp.BarcodeFormat.QRCode, "https://riverside.example/hips")]


def test_an_unknown_size_is_a_request_error():
    with pytest.raises(RequestError, match="b2"):
        build_poster(PosterRequest(program="ir-mobility", size="b2"))


# --- the command line ---------------------------------------------------------------------


def test_cli_writes_the_poster_and_its_tiles(tmp_path):
    out = tmp_path / "poster.pdf"
    result = CliRunner().invoke(cli, ["poster", "--program", "ir-mobility", "--size", "a2",
                                      "--tile", "letter", "--overlap", "12", "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    tiled = tmp_path / "poster-tiled-letter.pdf"
    assert out.exists() and tiled.exists()
    (size,) = page_sizes(out.read_bytes())
    sheets = tile_grid(*size, "letter", 12).count
    assert len(page_sizes(tiled.read_bytes())) == sheets + 1  # the assembly page, then the sheets
    assert f"{sheets} Letter sheets" in result.output
    assert re.search(r"readable from 0\.\d+ m", result.output)
    assert "A2 portrait, 6 exercises in" in result.output


def test_cli_exit_codes(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["poster", "--program", "ir-desk-break", "--size", "a0", "--out", str(tmp_path / "a.pdf")])
    assert ok.exit_code == 0, ok.stderr
    assert "readable from 2.0 m" in ok.output
    full = runner.invoke(cli, ["poster", "--program", "ir-mobility", "--size", "a3", "--viewing-distance", "2",
                               "--out", str(tmp_path / "b.pdf")])
    assert full.exit_code == 1
    assert "do not fit on A3 portrait at 2.0 m" in full.stderr
    assert not (tmp_path / "b.pdf").exists()
    bad = runner.invoke(cli, ["poster", "--program", "ir-mobility", "--size", "b2"])
    assert bad.exit_code == 2 and "b2" in bad.stderr
    lonely = runner.invoke(cli, ["poster", "--program", "ir-mobility", "--overlap", "5"])
    assert lonely.exit_code == 2 and "--tile" in lonely.stderr


@pytest.mark.parametrize("typed,key", [("18x24in", "18x24in"), ("18x24 in", "18x24in"), ("18 x 24 in", "18x24in"),
                                       ("18x24", "18x24in"), ('18x24"', "18x24in"), ("24X36 IN", "24x36in"),
                                       ("A1", "a1"), ("a1", "a1"), (" a0 ", "a0"), ("b2", None), ("18x25", None),
                                       ("a4", None), ("", None)])
def test_sizes_as_people_type_them(typed, key):
    from handout.model.poster_sizes import poster_size_key

    assert poster_size_key(typed) == key


def test_the_cli_takes_sizes_as_typed_and_names_them_as_it_takes_them(tmp_path):
    runner = CliRunner()
    for typed in ("18 x 24 in", "A1"):
        out = tmp_path / "p.pdf"
        ok = runner.invoke(cli, ["poster", "--program", "ir-desk-break", "--size", typed, "--out", str(out)])
        assert ok.exit_code == 0, ok.stderr
    bad = runner.invoke(cli, ["poster", "--program", "ir-desk-break", "--size", "19x24in"])
    assert bad.exit_code == 2 and "use one of a3, a2, a1, a0, 18x24in, 24x36in" in bad.stderr
    assert build_poster_document(PosterRequest(program="ir-desk-break", size="18 x 24 in")).size_name == "18x24in"
    help_text = runner.invoke(cli, ["poster", "--help"]).output
    assert all(name in help_text for name in POSTER_SIZES_PT)


# --- defaults that work, pictures first, the right words on the wall -----------------------


def _doc_examples() -> list[str]:
    """Every `handout poster` command in README.md and docs/*.md, continuation lines joined
    and comments dropped, exactly as a reader would paste it."""
    commands = []
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        text = re.sub(r"\\\n\s*", " ", path.read_text(encoding="utf-8"))
        for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.DOTALL):
            commands += [line.split(" #")[0].strip() for line in block.splitlines()
                         if line.startswith("handout poster")]
    return commands


def test_the_docs_hold_poster_examples():
    examples = _doc_examples()
    assert len(examples) >= 5 and any("--viewing-distance" in e for e in examples)
    assert any("--landscape" in e for e in examples)


@pytest.mark.parametrize("command", _doc_examples())
def test_every_poster_example_in_the_docs_runs_verbatim(command, tmp_path, monkeypatch):
    import shlex

    monkeypatch.chdir(tmp_path)  # examples name clinic.yaml and write to output/
    (tmp_path / "clinic.yaml").write_text((REPO / "content" / "clinic.example.yaml").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, command + "\n" + result.output + result.stderr
    asked = re.search(r"--viewing-distance (\S+)", command)
    read = float(re.search(r"readable from ([\d.]+) m", result.output).group(1))
    assert read >= (float(asked.group(1)) if asked else 0.3)


def test_a_distance_is_a_promise_kept_by_short_cues():
    built = poster(size="a0", viewing_distance_m=1.7)  # the full steps do not fit A0 at 1.7 m
    assert built.short_steps and not built.fitted
    assert smallest_x_height(glyphs(built.pdf)) >= rule_mm(1.7) - 1e-6
    text = flat(pdf_text(built.pdf))
    assert "Let both feet fall out. Gentle stretch." in text  # E7's short cue
    assert "Bring your feet back up." not in text  # E7's last full poster step
    near = poster(size="a0", viewing_distance_m=1.0)
    assert not near.short_steps and "Bring your feet back up." in flat(pdf_text(near.pdf))


def test_the_safety_line_carries_the_groin_pain_rule_only_when_an_exercise_has_it():
    rule = "Groin pain comes back? Stop."
    with_it = flat(pdf_text(poster(size="a1").pdf))  # most mobility moves carry impingement
    assert "Stop if pain is sharp. Hip replacement? Ask your surgeon first. " + rule in with_it
    without = flat(pdf_text(poster(program=None, exercises=("prone-ir", "reverse-clamshell"), size="a2").pdf))
    assert "Hip replacement? Ask your surgeon first." in without and rule not in without


def test_poster_steps_and_cues_keep_the_set_up_a_patient_needs():
    """The full start line's safety facts (where the band is tied, which part touches the
    wall) are on the poster whether it shows the steps or the short cues."""
    from handout.model.library import load_library

    facts = {"low, on the side of your standing leg": ("low", "standing leg"), "outside of": ("outside of",)}
    checked = 0
    for exercise in load_library(()).exercises.values():
        for fact, words in facts.items():
            if fact in exercise.start:
                for lines in (exercise.poster_steps, exercise.poster_cues):
                    text = " ".join(lines).lower()
                    assert all(w in text for w in words), (exercise.id, lines)
                checked += 1
    assert checked == 2  # E11's band anchor, E2's ankle


# --- posters from a roster -----------------------------------------------------------------


def test_a_roster_asks_for_landscape_fit_and_a_viewing_distance(tmp_path):
    from handout import read_roster

    roster = tmp_path / "roster.csv"
    roster.write_text(
        "kind,program,page_size,landscape,fit,viewing_distance,output,patient\n"
        "poster,ir-mobility,a1,yes,,,wide.pdf,\n"
        "poster,ir-mobility,a1,,true,2,fitted.pdf,\n"
        "poster,ir-desk-break,a1,,,1.5 m,promise.pdf,\n"
        "poster,ir-mobility,a1,sideways,,,bad1.pdf,\n"
        "poster,ir-mobility,a1,,,far,bad2.pdf,\n"
        "poster,ir-mobility,a1,,,25,bad3.pdf,\n"
        "handout,ir-mobility,letter,,yes,,bad4.pdf,Ann Lee\n", encoding="utf-8")
    read = read_roster(roster)
    errors = {(e.row, e.column): e.message for e in read.errors}
    assert set(errors) == {(5, "landscape"), (6, "viewing_distance"), (7, "viewing_distance"), (8, "fit")}
    assert "true or false" in errors[5, "landscape"] and "applies to posters only" in errors[8, "fit"]
    wide, fitted, promise = (job.request for job in read.jobs)
    assert wide.landscape and wide.viewing_distance_m is None and not wide.fit
    assert fitted.fit and fitted.viewing_distance_m == 2.0 and not fitted.landscape
    assert promise.viewing_distance_m == 1.5
    built = build_poster_document(fitted)
    assert built.fitted and built.readable_from_m < 2.0  # fit kept the row building
    kept = build_poster_document(promise)
    assert not kept.fitted and kept.readable_from_m >= 1.5
    assert build_poster_document(wide).label == "A1 landscape"


def test_a_row_cell_wins_over_the_batch_poster_default(tmp_path):
    from handout import read_roster

    roster = tmp_path / "roster.csv"
    roster.write_text("kind,program,fit,patient\nposter,ir-mobility,no,\nposter,ir-mobility,,\n", encoding="utf-8")
    off, default = (job.request for job in read_roster(roster, poster_defaults={"fit": True}).jobs)
    assert not off.fit and default.fit
