"""Reusing work across documents (``handout.render.reuse``): caches get hits, and change no byte.

Every comparison is against the same document built with ``Reuse(enabled=False)``, which
turns every cache off (parsed markup, figures, paragraphs, blocks, drawings, pages, font
programs).
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys

import pytest
from pypdf import PdfReader

from handout import Clinic, HandoutRequest, PosterRequest, build_handout, build_poster, tile
from handout.model.library import load_library
from handout.render.reuse import Bounds, Reuse, recording

CLINIC = Clinic(name="Test Clinic", phone="555 0199", website="clinic.example", address="1 Main St")
DATE = dt.date(2026, 11, 25)
PROGRAMS = sorted(load_library(()).programs)


def request(patient: str, **kw) -> HandoutRequest:
    return HandoutRequest(**{"program": "ir-mobility", "patient": patient, "clinic": CLINIC, "date": DATE, **kw})


def scratch(req) -> bytes:
    """The handout built from scratch: every cache off."""
    return build_handout(req, reuse=Reuse(enabled=False))


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def gained(reuse: Reuse, build) -> dict:
    """What ``build()`` added to each of the counts."""
    before = dict(vars(reuse.counts))
    build()
    return {name: value - before[name] for name, value in vars(reuse.counts).items()}


def test_programs_are_found():
    assert len(PROGRAMS) >= 4 and "ir-mobility" in PROGRAMS


# --- the caches get hits -------------------------------------------------------------------


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_every_page_past_the_patients_own_is_replayed(large):
    """Past the first page a handout holds nothing of the patient's: once two patients have
    been seen, a third patient's handout replays every later page and copies every block
    but the one holding the name."""
    reuse = Reuse()
    for name in ("Sam Smith", "Дмитрий Иванов"):
        build_handout(request(name, large_print=large), reuse=reuse)
    out = {}
    got = gained(reuse, lambda: out.setdefault("pdf", build_handout(request("Zoë Ünal", large_print=large),
                                                                      reuse=reuse)))
    pages = page_count(out["pdf"])
    assert pages >= 4  # enough pages past the first for replay to show
    assert got["pages_replayed"] == pages - 1
    assert got["blocks_built"] <= 2 and got["blocks_reused"] >= 15  # (the article's columns are one block)
    assert got["drawings_replayed"] > 0 and got["lines_reused"] > 0
    assert got["trees_reused"] == 1  # (the third patient of a shape: its tree is the kept one, the name put in)
    assert out["pdf"] == scratch(request("Zoë Ünal", large_print=large))


def test_every_cache_gets_hits_and_none_when_off():
    on, off = Reuse(), Reuse(enabled=False)
    for reuse in (on, off):
        for name in ("Sam Smith", "Дмитрий Иванов", "Zoë Ünal"):
            build_handout(request(name), reuse=reuse)
        for _ in range(2):
            build_poster(PosterRequest(program="ir-desk-break", size="a1", fit=True), reuse=reuse)
    assert all(vars(on.counts).values()), on.counts  # every counter moved
    assert not any(vars(off.counts).values()), off.counts
    assert all(on.held().values()) and not any(off.held().values())


def test_the_caches_keep_no_more_than_their_bounds():
    small = Bounds(parsed=3, figures=2, paragraphs=5, lines=5, blocks=4, decorations=2, pages=2, seen_pages=64,
                   programs=1)
    reuse = Reuse(bounds=small)
    for name in ("Sam Smith", "Дмитрий Иванов", "Zoë Ünal"):
        assert build_handout(request(name), reuse=reuse) == scratch(request(name))
    held, trial = reuse.held(), reuse.on_trial()
    limits = dict(parsed=3, figures=2, frags=5, lines=5, blocks=4, decorations=2, pages=2, seen=64, programs=1)
    assert all(held[name] <= limit for name, limit in limits.items()), held
    assert (held["parsed"], held["lines"], held["programs"]) == (3, 5, 1) and held["blocks"] >= 3
    assert all(n <= 64 for n in trial.values()) and trial["lines"] > 0, trial  # (at least 64, or an eighth)
    reuse.clear()
    assert not any(reuse.held().values()) and not any(reuse.on_trial().values())


def distinct_names(*firsts: str) -> list[str]:
    """Patients' names, all different, most with letters beyond ASCII (as a clinic's list has)."""
    return [f"{first} {last}" for first in firsts for last in
            ("Ünal", "Smith", "Иванова", "Παππάς", "O'Brien", "Nguyễn", "Lee", "García")]


def _held_after_then_rest(reuse: Reuse, names: list[str], first: int) -> dict:
    """Build the first ``first`` patients, note what the caches hold, build the rest (the last
    one's bytes those of a build from scratch) and return the note."""
    for name in names[:first]:
        build_handout(request(name), reuse=reuse)
    held = reuse.held()
    for name in names[first:]:
        pdf = build_handout(request(name), reuse=reuse)
    assert pdf == scratch(request(names[-1]))
    return held


def test_distinct_patients_leave_no_more_entries_behind():
    """Work done for one patient alone (their name's block, paragraphs, line breaks, font
    subsets) is never asked for again: it waits on trial and drops out, so the caches keep
    as many entries after 40 distinct patients as after 20 (a batch worker's memory stays flat)."""
    reuse = Reuse()
    held = _held_after_then_rest(reuse, distinct_names("Zoë", "Sam", "Ана", "Νίκος", "Jo"), 20)
    now = reuse.held()
    for cache in ("plans", "markups", "parsed", "frags", "lines", "blocks", "pages", "figures"):
        assert now[cache] == held[cache], (cache, held, now)  # nothing of a patient's is kept
    # What waits on trial, the footers (the patient's line is replayed on their own pages)
    # and the page starts seen once are each bounded, so the total stops growing.
    assert all(len(getattr(reuse, cache).trial) <= getattr(reuse, cache).trial_size for cache in now)
    assert reuse.held()["decorations"] <= reuse.bounds.decorations and now["seen"] <= reuse.bounds.seen_pages


def test_a_forgotten_patients_block_does_not_make_the_next_patients_first_page_kept():
    """A patient's block dropped from a short trial hands its memory (and id) to the next
    patient's; the pages seen once are kept as hashes of their starts, so a block hashed by
    id made each new first page pass for one seen before: recorded and kept, with its block
    (issue 20: 44 more pages kept per 1,000 patients). Counts only, never seconds."""
    reuse = Reuse(bounds=Bounds(blocks=160, trial=1))  # (a trial of 20 blocks: one handout's and a few patients')
    held = _held_after_then_rest(reuse, distinct_names("Zoë", "Sam", "Ана", "Νίκος", "Jo", "Iñaki"), 6)
    assert reuse.held()["pages"] == held["pages"], (held, reuse.held())  # no first page of a patient's kept
    assert reuse.counts.pages_replayed > 0


def test_a_figure_is_kept_per_arguments_and_made_anew_when_off():
    from handout.figures import FigureStyle

    spec = load_library(()).exercises["prone-ir"].figure
    args = ("prone-ir", spec, None, None, 100.0, 90.0, FigureStyle.from_brand("#1F6F8B"))
    reuse, off = Reuse(), Reuse(enabled=False)
    first = reuse.figure(*args)
    assert reuse.figure(*args) is first and reuse.counts.figures_reused == 1
    assert reuse.figure(*args[:4], 100.0, 80.0, args[6]) is not first
    assert off.figure(*args) is not off.figure(*args)


def test_the_process_reuse_is_used_when_none_is_handed_over():
    from handout.render.reuse import SHARED

    before = SHARED.counts.blocks_reused
    build_handout(request("Sam Smith"))
    build_handout(request("Zoë Ünal"))
    assert SHARED.counts.blocks_reused > before
    with Reuse(enabled=False).active():  # an active Reuse wins over the process's own
        before = SHARED.counts.blocks_reused
        build_handout(request("Mary Jones"))
    assert SHARED.counts.blocks_reused == before


# --- the same bytes as from scratch --------------------------------------------------------


WARM = Reuse()  # shared by the program cases, as a batch worker's would be


@pytest.mark.slow  # every program, paper and print size: the full run's job
@pytest.mark.parametrize("program", PROGRAMS)
def test_every_program_gives_the_bytes_of_a_build_from_scratch(program):
    """Every bundled program, Letter and A4, normal and large print: a warm build replays
    every page past the patient's own and gives the bytes of a build with every cache off."""
    for page_size in ("letter", "a4"):
        for large in (False, True):
            kw = dict(program=program, page_size=page_size, large_print=large)
            for name in ("Sam Smith", "Αλέξανδρος Παπαδόπουλος", "Дмитрий Иванов"):
                build_handout(request(name, **kw), reuse=WARM)
            target = request("Zoë Ünal", **kw)
            out = {}
            got = gained(WARM, lambda: out.setdefault("pdf", build_handout(target, reuse=WARM)))
            assert out["pdf"] == scratch(target), (page_size, large)
            assert got["pages_replayed"] == page_count(out["pdf"]) - 1, (page_size, large)


@pytest.mark.slow  # every program, paper and print size: the full run's job
@pytest.mark.parametrize("program", PROGRAMS)
def test_posters_and_tiles_give_the_bytes_of_a_build_from_scratch(program):
    req = PosterRequest(program=program, size="a1", fit=True)
    off = Reuse(enabled=False)
    cold = build_poster(req, reuse=off)
    build_poster(PosterRequest(program=program, size="a2", fit=True), reuse=WARM)
    build_poster(req, reuse=WARM)
    warm = build_poster(req, reuse=WARM)
    assert warm == cold
    for onto in ("letter", "a4"):
        with off.active():
            tiles_off = tile(cold, onto=onto)
        with WARM.active():
            tile(warm, onto=onto)
            assert tile(warm, onto=onto) == tiles_off, onto
    assert not any(vars(off.counts).values())


VARIANTS = [dict(), dict(large_print=True), dict(page_size="a4", article="summary"),
            dict(large_print=True, page_size="a4", greyscale=True, log_weeks=1),
            dict(notes="Walk for ten minutes after the exercises. " * 6, qr="https://clinic.example/hips",
                 log_weeks=3)]


@pytest.mark.parametrize("kw", VARIANTS, ids=["letter", "large", "a4-summary", "large-a4-grey", "notes-qr"])
def test_reuse_gives_the_bytes_of_a_build_from_scratch(kw):
    reuse = Reuse()
    cold = scratch(request("Zoë Ünal", **kw))
    first = build_handout(request("Zoë Ünal", **kw), reuse=reuse)
    for name in ("Sam Smith", "Αλέξανδρος Παπαδόπουλος", "O'Brien & <Sons> with a long name that wraps"):
        build_handout(request(name, **kw), reuse=reuse)
        build_handout(request(name, **{**kw, "large_print": not kw.get("large_print", False)}), reuse=reuse)
    again = build_handout(request("Zoë Ünal", **kw), reuse=reuse)
    assert first == cold
    assert again == cold


NAMES = ["Zoë Ünal", "Sam Smith", "Αλέξανδρος Παπαδόπουλος", "Nguyễn Thị Minh Khai", "Дмитрий Иванов",
         "Siobhán Ó Súilleabháin-Ñúñez, a name long enough to wrap in the intro table", "O'Brien & <Sons>"]


@pytest.mark.slow  # seven names in two variants; test_reuse_gives_the_bytes... stays in the fast set
@pytest.mark.parametrize("kw", VARIANTS[:2], ids=["letter", "large"])
def test_every_patient_gets_the_bytes_of_a_build_from_scratch(kw):
    """Names with letters beyond ASCII come first in the PDF and take the fonts' first codes;
    the kept drawings must be rewritten for them, whatever came before."""
    cold = {name: scratch(request(name, **kw)) for name in NAMES}
    reuse = Reuse()
    for name in NAMES + NAMES[::-1]:
        assert build_handout(request(name, **kw), reuse=reuse) == cold[name], name
    assert reuse.counts.pages_replayed > 0


def test_a_fresh_process_gives_the_bytes_of_a_warm_one():
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
    cold = scratch(request("Zoë Ünal", clinic=clinic))
    reuse = Reuse()
    build_handout(request("Sam Smith", clinic=clinic), reuse=reuse)
    build_handout(request("Mary Jones", clinic=clinic), reuse=reuse)
    assert build_handout(request("Zoë Ünal", clinic=clinic), reuse=reuse) == cold


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
    cold = {name: scratch(request(name, **kw)) for name in NAMES[:3]}
    reuse = Reuse()
    for name in NAMES[:3] * 2:
        assert build_handout(request(name, **kw), reuse=reuse) == cold[name], name


def test_a_failed_build_leaves_no_recording_behind(monkeypatch):
    """A document that fails half-way through a page being recorded must not leave the fonts
    noting characters for a recording that will never finish."""
    from handout.render import document

    reuse = Reuse()
    build_handout(request(NAMES[0], page_size="a4"), reuse=reuse)  # pages seen once: recorded next time

    noted = document.HandoutDoc.note

    def broken(self, note):
        if self.page > 2:  # past the patient's page: a page being recorded
            raise RuntimeError("something failed while a page was being recorded")
        noted(self, note)

    monkeypatch.setattr(document.HandoutDoc, "note", broken)
    with pytest.raises(RuntimeError):
        build_handout(request(NAMES[1], page_size="a4"), reuse=reuse)
    monkeypatch.undo()
    assert recording._LOGS == []
    assert build_handout(request(NAMES[2], page_size="a4"), reuse=reuse) == scratch(request(NAMES[2], page_size="a4"))


# ReportLab's private names the reuse package relies on (pyproject pins ReportLab's minor
# version for them); no other module may come to rely on them.
RL_PRIVATE = {"_code", "_formsinuse", "_extgstate", "_doc", "_dynamicFont", "_curPageFlowableCount", "_hanging",
              "_postponed", "_list_content", "_setup", "_wrapWidths", "_listWrapOn", "_SPACETRANSFER", "_colWidths",
              "_rowHeights", "_annotationrefs", "_currentPageHasImages", "_fillColorObj", "_strokeColorObj",
              "_wrapInfo", "_H0", "_fontname", "_fontsize", "_fonts", "_FUZZ", "_pageNumber", "_pagesize",
              "_colorsUsed", "_shadingUsed", "_rowpositions", "_colpositions", "_spanRanges", "_nosplitRanges"}


def test_reportlabs_private_names_stay_in_the_reuse_package():
    import ast
    from pathlib import Path

    import handout

    root = Path(handout.__file__).parent
    found = []
    for path in root.rglob("*.py"):
        if "reuse" in path.relative_to(root).parts[:-1]:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.attr] if isinstance(node, ast.Attribute)
                     else [a.name for a in node.names] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.relative_to(root)}:{node.lineno} {n}" for n in names if n in RL_PRIVATE]
    assert found == []


def test_one_leg_cards_of_new_shapes_still_reuse_blocks():
    """A one-leg card's exercise (no switch step, that leg's figure) is made once with the
    library: made per plan, its new object changed the key of every block of the document, so
    each new dose rebuilt them all (57 against 27 ms a handout). Bytes as with every cache off."""
    reuse = Reuse()

    def one_leg(reps: int) -> HandoutRequest:
        return request("Sam Smith", program=None, exercises=(f"seated-ir:reps={reps},side=left", "prone-ir:side=right",
                                                             "hip-airplane"))
    build_handout(one_leg(10), reuse=reuse)
    out = {}
    got = gained(reuse, lambda: out.setdefault("pdf", build_handout(one_leg(12), reuse=reuse)))
    assert got["blocks_reused"] >= 8 and got["blocks_built"] <= 4, got
    assert out["pdf"] == scratch(one_leg(12))
