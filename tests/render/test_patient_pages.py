"""The patient's pages, read back from the PDF: each card carries its cue, mistakes and stop
rules beside its steps; one safety section with the red-flag heading kept with its list and
precautions naming their exercises; a log with named columns and the clinic's phone; figures
wide enough to see; a neutral header without a clinic; no card that contradicts itself."""

from __future__ import annotations

import datetime as dt
import re

import pypdfium2
import pytest

from handout import Clinic, HandoutRequest, build_handout
from handout.model.library import load_library
from handout.model.plan import resolve_handout

DATE = dt.date(2026, 11, 25)
CLINIC = Clinic(name="Test Clinic", phone="555 0199")
MM = 72 / 25.4
CASES = [(p, large) for p in ("ir-mobility", "ir-advanced") for large in (False, True)]
PROGRAMS = ["ir-mobility", "ir-strength", "ir-desk-break", "ir-advanced"]
EVERY = [(p, large, size) for p in PROGRAMS for large in (False, True) for size in ("letter", "a4")]


def _request(program, large, **kw):
    return HandoutRequest(program=program, patient="Sam Lee", date=DATE, large_print=large,
                          **{"clinic": CLINIC, **kw})


def _pages(pdf: bytes) -> list[str]:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return [" ".join(doc[i].get_textpage().get_text_range().split()) for i in range(len(doc))]
    finally:
        doc.close()


def _page_of(pages: list[str], text: str) -> int:
    """The page holding ``text`` (whitespace-normalised), or -1."""
    text = " ".join(text.split())
    return next((i for i, page in enumerate(pages) if text in page), -1)


@pytest.fixture(scope="module")
def built():
    out = {}
    for program, large in CASES:
        request = _request(program, large)
        out[(program, large)] = (resolve_handout(request, load_library()).context(), build_handout(request))
    return out


@pytest.mark.parametrize("program,large,page_size", EVERY)
def test_card_cue_mistake_and_stop_rule_print_on_the_page_of_its_steps(program, large, page_size):
    request = _request(program, large, page_size=page_size, article="none", log_weeks=0)
    ctx, pdf = resolve_handout(request, load_library()).context(), build_handout(request)
    pages = _pages(pdf)
    for ex in ctx["exercises"]:
        page = _page_of(pages, "Start: " + ex["start"])  # each start is its card's own
        assert page >= 0, f"{ex['id']}: start not printed"
        wanted = [*ex["steps"], "Key point: " + ex["cue"], "Watch out: " + ex["watch_out"].split(";")[0].rstrip(".")]
        wanted += ["Stop if: " + ex["stop_text"].rstrip(".")] if ex["stop_if"] else []
        wanted += ["Too hard? " + ex["easier"], "Too easy? " + ex["harder"]]
        for text in wanted:
            assert " ".join(text.split()) in pages[page], f"{ex['id']}: {text!r} not on page {page + 1} with its steps"


def _before_you_start(text: str) -> str:
    """The box "Before you start", under the heading "Your exercises"; it ends by pointing to the safety section."""
    assert text.index("Your exercises") < text.index("Before you start")
    start = text.index("Before you start")
    return text[start:text.index("after the cards.", start)]


def test_stop_rules_and_precautions_print_where_they_belong(built):
    ctx, pdf = built[("ir-mobility", False)]
    text = " ".join(_pages(pdf))
    assert "Stop if: sharp pain in your knee or hip" in text  # E7's own stop rule, on its card
    before = _before_you_start(text)
    assert "groin pain" in before  # the impingement rule, since 5 of the 6 moves carry it
    assert "Pregnan" not in before  # shown where a patient can skip it, under "If you ..."
    care = text[text.index("Take extra care if one of these fits you"):]
    # each precaution is led by a plain "If you ..." and names its exercises
    assert "If kneeling hurts your knees (move 6, Hands-knees swing):" in care
    assert "If you have had a hip replacement (all the moves):" in care
    assert "If you are pregnant (move 2, Knee tips):" in care
    assert "If you have a pinching hip (impingement) or a torn hip rim (moves 1, 2, 3, 5 and 6):" in care
    stop = text[text.index("Stop the exercise if:"):]
    stop = stop[:stop.index("Mild discomfort")]
    assert stop.count("•") >= 4 and "Stop if" not in stop


def test_before_you_start_explains_each_leg_the_floor_and_one_side():
    text = " ".join(_pages(build_handout(_request("ir-mobility", False, article="none", log_weeks=0))))
    before = _before_you_start(text)
    assert '"Each leg": one leg, then the other, even if only one hip is stiff.' in before
    assert "Moves 2, 3, 4, 5 and 6 are on the floor." in before
    assert "If getting down or up is hard for you, ask your clinician first." in before
    one_side = build_handout(_request("ir-mobility", False, article="none", log_weeks=0,
                                      exercises=["seated-ir:side=left"]))
    text = " ".join(_pages(one_side))
    assert "20 times · every day · left leg only" in text and '"Left (or right) leg only": that leg only.' in text
    assert "on the floor" not in text  # a seated move only: no floor line


@pytest.mark.parametrize("program,large,page_size", EVERY)
def test_red_flag_heading_and_its_first_item_share_a_page(program, large, page_size):
    """The section opens with the red flags: its heading, the urgent-care box and its second
    list ("call your clinician soon") on one page (the box never splits); the stop box, its
    rules and the pain scale on one page."""
    request = _request(program, large, page_size=page_size)
    ctx, pdf = resolve_handout(request, load_library()).context(), build_handout(request)
    pages = _pages(pdf)
    safety = ctx["safety"]
    heading = _page_of(pages, "When to stop and get help " + safety["red_flags_intro"])
    assert heading >= 0
    for text in safety["red_flags"] + [safety["call_flags_intro"]] + safety["call_flags"]:
        assert _page_of(pages, text) == heading, text
    assert sum(p.count(safety["red_flags_intro"]) for p in pages) == 1  # written once
    stop = _page_of(pages, "Stop the exercise if:")
    assert stop >= heading
    assert _page_of(pages, safety["stop_rules"][0]) == stop and _page_of(pages, safety["stop_rules"][-1]) == stop and _page_of(pages, "Shaded, 0 to 3: OK") == stop


def test_the_article_points_to_the_safety_section_instead_of_its_own_red_flags():
    pdf = build_handout(_request("ir-mobility", False, article="full"))
    text = " ".join(_pages(pdf))
    assert text.count("shorter or turned out") == 1
    assert 'in the box "When to stop and get help"' in text


def test_pain_scale_labels_sit_under_their_numbers(built):
    _, pdf = built[("ir-mobility", False)]
    doc = pypdfium2.PdfDocument(pdf)
    page = next(doc[i] for i in range(len(doc)) if "worst" in doc[i].get_textpage().get_text_range())
    tp = page.get_textpage()
    full = tp.get_text_range()

    def centre(word, after=0):
        i = full.index(word, after)
        boxes = [tp.get_charbox(i + k) for k in range(len(word))]
        return (min(b[0] for b in boxes) + max(b[2] for b in boxes)) / 2, i

    scale = full.index("0 1 2 3") if "0 1 2 3" in full else full.index("0\r\n1")
    ten, _ = centre("10", scale)
    three, _ = centre("3", scale)
    zero, _ = centre("0", scale)
    assert abs(centre("worst", scale)[0] - ten) < 4
    assert abs(centre("your", scale)[0] - three) < 4
    assert abs(centre("no", scale)[0] - zero) < 4
    assert "Shaded, 0 to 3: OK" in full
    doc.close()


@pytest.mark.parametrize("large", [False, True])
def test_log_has_named_columns_two_pain_columns_notes_and_the_phone(built, large):
    ctx, pdf = built[("ir-mobility", large)]
    pages = _pages(pdf)
    log = _page_of(pages, "Pain next morning")
    assert log >= 0
    assert "Write your worst pain (0 to 10) during the moves and the next morning." in pages[log]
    for head in ("Day", "Pain during", "Notes", "Week 1"):
        assert head in pages[log]
    for n, ex in enumerate(ctx["exercises"], start=1):
        assert f"{n} {ex['short_name']}" in pages[log], ex["short_name"]
    log_pages = [p for p in pages if re.search(r"Week \d", p)]
    for page in log_pages:  # each page of the log reads alone: legend, one table of whole weeks, the phone once
        assert page.count("Questions? Call 555 0199.") == 1
        for n, ex in enumerate(ctx["exercises"], start=1):
            assert f"{n} {ex['short_name']}" in page
        weeks = len(re.findall(r"Week \d", page))  # whole weeks: 7 days each, under one head row
        assert page.count("Pain next morning") == 1 and len(re.findall(r"\b(?:Mon|Tue|Wed) \d", page)) == 3 * weeks
    assert sum(len(re.findall(r"Week \d", p)) for p in log_pages) == ctx["log"]["weeks"]


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("program,weeks", [("ir-mobility", 2), ("ir-strength", 4)])
def test_log_rows_leave_room_to_write_and_the_weeks_fit_one_page(program, weeks, large):
    """Rows at least 5 mm apart (7 mm in large print or in a log of 2 weeks), read from where the days print; a
    2-week log on one page in both print sizes, a 4-week log on one page in normal print."""
    pdf = build_handout(_request(program, large))
    doc = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for i in range(len(doc)):
            tp = doc[i].get_textpage()
            text = tp.get_text_range()
            tops = [tp.get_charbox(m.start())[3] for m in re.finditer(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d", text)]
            if tops:
                pages.append(tops)
    finally:
        doc.close()
    assert sum(len(t) for t in pages) == 7 * weeks
    if weeks == 2 or not large:
        assert len(pages) == 1, [len(t) for t in pages]
    gaps = [a - b for tops in pages for a, b in zip(tops, tops[1:]) if a > b]
    assert min(gaps) >= (7 if large or weeks <= 2 else 5) * MM - 0.01, min(gaps) / MM


def test_log_reminder_prints_in_body_size():
    from ..conftest import char_sizes

    pdf = build_handout(_request("ir-mobility", False, article="none"))
    text = "".join(c for c, _ in char_sizes(pdf))
    sizes = char_sizes(pdf)
    start = text.index("Fever,ahotswollenhip")
    assert {s for _, s in sizes[start:start + 20]} == {13.0}


def test_no_made_up_clinic_name_without_a_profile():
    pdf = build_handout(HandoutRequest(program="ir-mobility", patient="Sam Lee", date=DATE))
    text = " ".join(_pages(pdf))
    assert "Your clinic" not in text
    assert "Home exercise plan" in text
    assert "Questions? Call ________________ (your clinic's phone)." in text  # a line to write it on


def test_library_note_is_a_tip_not_the_clinicians(built):
    ctx, pdf = built[("ir-mobility", False)]
    text = " ".join(_pages(pdf))
    assert "Tip: You can build up to 30 times on each leg." in text
    assert "Your clinician's note" not in text  # ir-mobility has no program notes
    ctx, pdf = built[("ir-advanced", False)]
    assert "Your clinician's note: A warm-up. Try it with no hands." in " ".join(_pages(pdf))


def _figure_widths(pdf: bytes) -> list[list[float]]:
    """Per page, the width (mm) of each cluster of drawn shapes taller than 15 mm and wider
    than 5 mm: the figures (rules, borders and bars are thinner or span the page)."""
    doc = pypdfium2.PdfDocument(pdf)
    out = []
    try:
        for i in range(len(doc)):
            boxes = []
            for obj in doc[i].get_objects(max_depth=0):
                if obj.type != 2:  # paths only
                    continue
                x0, y0, x1, y1 = obj.get_bounds()
                if min(x1 - x0, y1 - y0) >= 3 and x1 - x0 < 400:
                    boxes.append((x0, y0, x1, y1))
            groups = []
            for b in boxes:
                touching = [g for g in groups if b[0] <= g[2] + 2 and g[0] <= b[2] + 2 and b[1] <= g[3] + 2
                            and g[1] <= b[3] + 2]
                for g in touching:
                    groups.remove(g)
                    b = (min(b[0], g[0]), min(b[1], g[1]), max(b[2], g[2]), max(b[3], g[3]))
                groups.append(b)
            out.append([(g[2] - g[0]) / MM for g in groups if g[3] - g[1] > 15 * MM and g[2] - g[0] > 5 * MM])
    finally:
        doc.close()
    return out


@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("large", [False, True])
def test_card_figures_are_wide_enough(program, large):
    request = _request(program, large, article="none", log_weeks=0)
    ctx, pdf = resolve_handout(request, load_library()).context(), build_handout(request)
    pages = _pages(pdf)
    card_pages = {_page_of(pages, "Start: " + ex["start"]) for ex in ctx["exercises"]}
    widths = _figure_widths(pdf)
    found = [w for p in sorted(card_pages) for w in widths[p]]
    assert len(found) >= len(ctx["exercises"])
    assert min(found) >= (70 if large else 45), found


def test_large_print_keeps_easier_and_harder_on_the_card(built):
    _, pdf = built[("ir-mobility", True)]
    assert "Easier and harder versions" not in " ".join(_pages(pdf))


@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize("page_size", ["letter", "a4"])
def test_large_print_cards_fit_a_page_without_shrinking(program, page_size):
    """A card taller than a page would be shrunk below 18 pt: every glyph stays 18 pt or more."""
    from ..conftest import char_sizes

    pdf = build_handout(_request(program, True, page_size=page_size, article="none", log_weeks=0))
    assert min(s for _, s in char_sizes(pdf)) >= 18


def test_poster_without_a_clinic_names_none():
    from handout import PosterRequest, build_poster

    text = " ".join(_pages(build_poster(PosterRequest(program="ir-desk-break"))))
    assert "Your clinic" not in text


def test_a_dose_on_a_title_bar_stays_on_one_line():
    """Beside the name or under it, each card's dose reads as one line in normal print: two
    equal columns on the title bar broke "4 times · hold 3 seconds · left leg only" into
    "... left leg" and "only". (In large print a long dose wraps under the name.)"""
    picks = tuple(f"{ident}:side=left" for ident in sorted(load_library().exercises)) + ("seated-ir:2x12,per-day=2",)
    request = HandoutRequest(exercises=picks, patient="Sam Lee", date=DATE, log_weeks=0)
    plan = resolve_handout(request, load_library())
    doc = pypdfium2.PdfDocument(build_handout(request))
    try:
        lines = [" ".join(line.split()) for i in range(len(doc))
                 for line in doc[i].get_textpage().get_text_range().splitlines()]
    finally:
        doc.close()
    broken = [item.dose_text for item in plan.items if not any(item.dose_text in line for line in lines)]
    assert not broken, broken


@pytest.mark.parametrize("large", [False, True])
def test_a_wide_figure_gets_a_wider_box(large):
    """A body lying on its side (E8) in a box as wide as a seated figure's was drawn about 20 mm
    tall ("the picture is tiny"): a wide figure's box is wider, so it is drawn at least 1.2
    times as wide as the seated one (at most 1.3 times its box)."""
    widths = {}
    for ident in ("seated-ir", "reverse-clamshell"):
        pdf = build_handout(HandoutRequest(exercises=(ident,), date=DATE, large_print=large, article="none",
                                           log_weeks=0))
        widths[ident] = max(w for page in _figure_widths(pdf) for w in page)
    assert widths["reverse-clamshell"] >= 1.2 * widths["seated-ir"], widths
    assert widths["reverse-clamshell"] <= 1.31 * (76 if large else 48), widths


def test_before_you_start_explains_left_leg_only_only_where_a_card_says_it():
    """The box explains "Left (or right) leg only" when a card says it; a hip airplane for one
    leg says "standing on your right leg" instead, so the box does not explain a phrase the
    page never prints."""
    def text(*picks):
        return " ".join(_pages(build_handout(HandoutRequest(exercises=picks, date=DATE, log_weeks=0, article="none"))))
    alone = text("hip-airplane:side=right")
    assert "standing on your right leg" in alone and "leg only" not in alone
    both = text("hip-airplane:side=right", "seated-ir:side=left")
    assert '"Left (or right) leg only": that leg only.' in both and "left leg only" in both
