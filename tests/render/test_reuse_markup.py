"""The template rendered once per request shape (``markup.holes`` kept by ``Reuse``): the name
filled into a kept shape gives the markup and the bytes rendering gives, and a template
that does more with the name than print it is rendered for every patient. The shape's tree
is parsed and checked once: the name put into it gives the tree parsing gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from markupsafe import escape

from handout import Clinic, HandoutRequest, build_handout
from handout.errors import MarkupError
from handout.markup import holes
from handout.markup.parse import parse_markup
from handout.pipeline.handout import markup_for, plan_handout
from handout.pipeline.steps import check_handout
from handout.render.reuse import Reuse

CLINIC = Clinic(name="Test Clinic", phone="555 0199", website="clinic.example", address="1 Main St")
DATE = dt.date(2026, 11, 25)
NAMES = ("Sam Smith", "Дмитрий Иванов", "O'Brien & <Sons> \"Ltd\"", "Zoë Ünal")
INTRO = Path(__file__).resolve().parents[2] / "templates" / "partials" / "intro.xml.j2"


def request(patient: str, **kw) -> HandoutRequest:
    return HandoutRequest(**{"program": "ir-mobility", "patient": patient, "clinic": CLINIC, "date": DATE, **kw})


def rendered(req: HandoutRequest, reuse: Reuse) -> str:
    return markup_for(plan_handout(req, reuse=reuse), reuse=reuse)


def test_a_shape_is_made_on_its_second_sight_and_filled_after():
    reuse, off = Reuse(), Reuse(enabled=False)
    made = [rendered(request(name), reuse) for name in NAMES]
    assert made == [rendered(request(name), off) for name in NAMES]
    assert reuse.counts.markups_reused == 2 and off.counts.markups_reused == 0
    assert reuse.held()["markups"] == 1 and not off.held()["markups"]
    shape = next(iter(reuse.markups.values())).text
    assert shape.count(holes.MARKER) == 2  # the document's title and the intro's table
    assert "&lt;Sons&gt;" in made[2] and "O&#39;Brien" in made[2]


def test_a_handout_from_a_kept_shape_has_the_bytes_of_one_from_scratch():
    reuse = Reuse()
    for name in NAMES:
        assert build_handout(request(name), reuse=reuse) == build_handout(request(name), reuse=Reuse(enabled=False))
    assert reuse.counts.markups_reused == 2


@pytest.mark.parametrize("kw", [{"large_print": True}, {"page_size": "a4"}, {"clinician": "Dr Lee"},
                                {"language": "es"}], ids=["large", "a4", "clinician", "es"])
def test_each_request_shape_has_a_shape_of_its_own(kw):
    reuse = Reuse()
    for name in NAMES[:3]:
        rendered(request(name), reuse)
    out = rendered(request(NAMES[3], **kw), reuse)
    assert out == rendered(request(NAMES[3], **kw), Reuse(enabled=False))
    assert reuse.counts.markups_reused == 1  # the third name only: the other shape was seen once


@pytest.mark.parametrize("use", [
    '{{ patient|upper }}', '{% if patient|length > 12 %}long{% endif %}', '{{ patient|safe }}',
    '{% if patient is string %}text{% endif %}', '{{ patient ~ "!" }}', '{% if patient == "Sam Smith" %}Sam{% endif %}',
    '{{ patient[:3] }}', '{{ patient.split()[0] }}', '{{ "%s"|format(patient) }}',
], ids=["upper", "length", "safe", "is-string", "concat", "equal", "slice", "split", "format"])
def test_a_template_that_does_more_with_the_name_than_print_it_is_rendered_each_time(tmp_path, use):
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "intro.xml.j2").write_text(f"<p>{use}</p>\n" + INTRO.read_text("utf-8"), "utf-8")
    reuse = Reuse()
    for name in NAMES:
        req = request(name, template_dirs=(str(tmp_path),))
        assert rendered(req, reuse) == rendered(req, Reuse(enabled=False)), name
    assert reuse.counts.markups_reused == 0
    assert all(shape is None for shape in reuse.markups.values())


def test_no_shape_without_a_name_or_with_reuse_off():
    reuse, off = Reuse(), Reuse(enabled=False)
    for _ in range(3):
        rendered(request(""), reuse)
        rendered(request(NAMES[0]), off)
    assert reuse.counts.markups_reused == 0 and not reuse.held()["markups"] and not reuse.on_trial()["markups"]
    assert not off.held()["markups"] and not off.on_trial()["markups"]


def test_the_hole_prints_only_escaped():
    hole = holes.Hole()
    assert str(escape(hole)) == holes.MARKER and bool(hole)
    for use in (str, len, repr, hash, lambda h: h == "x", lambda h: h + "x", lambda h: h.upper, iter):
        with pytest.raises(holes.HoleTouched):
            use(hole)


def test_a_context_of_more_than_plain_data_has_no_shape_key():
    assert holes.shape_key("handout.xml.j2", {"patient": "x", "n": 1}, "patient", (), "en") is not None
    assert holes.shape_key("handout.xml.j2", {"patient": "x", "n": object()}, "patient", (), "en") is None
    one, true = ({"patient": "x", "n": v} for v in (1, True))  # equal in Python, printed differently
    assert (holes.shape_key("handout.xml.j2", one, "patient", (), "en")
            != holes.shape_key("handout.xml.j2", true, "patient", (), "en"))


LONGEST = "Ünal-" + "Øx" * 96 + "Zoë"  # 200 characters, the longest a name may be


@pytest.mark.parametrize("name", ["Zoë Ünal", "O'Brien & <Sons> \"Ltd\"", "Дмитрий Иванов", LONGEST])
def test_a_tree_from_a_kept_shape_is_the_tree_parsing_gives(name):
    reuse = Reuse()
    for other in NAMES[:3]:
        built = build_handout(request(other), reuse=reuse)
    markup = markup_for(plan_handout(request(name), reuse=reuse), reuse=reuse)
    before = reuse.counts.trees_reused
    tree = reuse.parse_checked(markup, "handout.xml.j2", check_handout)
    assert reuse.counts.trees_reused == before + 1
    assert tree == parse_markup(markup, "handout.xml.j2")
    assert tree.attrs["title"].endswith(f" for {name}")
    assert built and build_handout(request(name), reuse=reuse) == build_handout(request(name), reuse=Reuse(enabled=False))


def test_a_kept_shape_tree_shares_every_block_without_the_name():
    reuse = Reuse()
    trees = []
    for name in NAMES:
        markup = markup_for(plan_handout(request(name), reuse=reuse), reuse=reuse)
        trees.append(reuse.parse_checked(markup, "handout.xml.j2", check_handout))
    one, two = trees[2:]
    shared = [a is b for a, b in zip(one.children, two.children)]
    assert len(shared) >= 15 and shared.count(False) == 1  # the intro's table, with the name


def test_a_name_that_would_not_parse_back_as_itself_takes_the_parser():
    tree = holes.ShapeTree(parse_markup('<document title="x"><p>' + holes.TREE_NAMES[0].replace("&", "&amp;")
                                        .replace("<", "&lt;").replace(">", "&gt;") + "</p></document>"))
    assert tree.fits("Zoë Ünal") and tree.fits(LONGEST)
    for name in (" Zoë", "Zoë ", "a\tb", "a\nb", "a\rb", "a\x01b", "a\ufffeb", "x" * 201, ""):
        assert not tree.fits(name), repr(name)


def test_markup_that_refuses_the_name_fails_as_without_reuse(tmp_path):
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "intro.xml.j2").write_text("<ul>{{ patient }}</ul>\n" + INTRO.read_text("utf-8"), "utf-8")
    reuse = Reuse()
    for name in NAMES:
        req = request(name, template_dirs=(str(tmp_path),))
        with pytest.raises(MarkupError) as warm:
            build_handout(req, reuse=reuse)
        with pytest.raises(MarkupError) as cold:
            build_handout(req, reuse=Reuse(enabled=False))
        assert str(warm.value) == str(cold.value)
    assert reuse.counts.markups_reused == 2 and reuse.counts.trees_reused == 0


def test_a_plan_from_a_kept_one_is_the_plan_resolving_gives():
    reuse = Reuse()
    for i, name in enumerate(NAMES):
        req = request(name, patient_id=f"P-{i}")
        assert plan_handout(req, reuse=reuse) == plan_handout(req, reuse=Reuse(enabled=False))
    assert reuse.counts.plans_reused == 2 and reuse.held()["plans"] == 1


def test_a_dateless_request_takes_the_day_it_is_built(monkeypatch):
    reuse = Reuse()
    for day, epoch in ((dt.date(2026, 1, 2), "1767312000"), (dt.date(2026, 1, 3), "1767398400")):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        for name in NAMES:
            assert plan_handout(request(name, date=None), reuse=reuse).date == day
    assert reuse.counts.plans_reused == 4


def test_a_program_read_from_a_file_is_read_each_time(tmp_path):
    program = Path(__file__).resolve().parents[2] / "content" / "programs" / "ir-mobility.yaml"
    copy = tmp_path / "mine.yaml"
    copy.write_text(program.read_text("utf-8"), "utf-8")
    reuse = Reuse()
    for name in NAMES:
        plan_handout(request(name, program=str(copy)), reuse=reuse)
    assert reuse.counts.plans_reused == 0 and not reuse.held()["plans"] and not reuse.on_trial()["plans"]


def test_a_clinic_from_another_folder_is_a_request_of_its_own(tmp_path):
    """A clinic file's folder is not in the clinic's fields as dumped (its logo is found there)."""
    reuse = Reuse()
    for folder in ("one", "two"):
        clinic = CLINIC.model_copy(update={"base_dir": str(tmp_path / folder)})
        for name in NAMES:
            plan = plan_handout(request(name, clinic=clinic), reuse=reuse)
            assert plan.clinic.base_dir == str(tmp_path / folder)
    assert reuse.counts.plans_reused == 4
