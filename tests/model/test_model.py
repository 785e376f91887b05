"""Content loading and request resolving: every error names file, line and field."""

from __future__ import annotations

import inspect
import pickle
import re
import shutil

import pytest

from handout import errors
from handout.model.content import Dose
from handout.model.dose_text import dose_text
from handout.model.library import load_library
from handout.model.yamlfile import parse_yaml
from handout.paths import bundled


def test_bundled_library_loads():
    library = load_library()
    assert len(library.exercises) == 12
    assert {"ir-mobility", "ir-strength", "ir-desk-break", "ir-advanced"} <= set(library.programs)
    assert library.article.sections


@pytest.mark.parametrize(
    "dose, text",
    [
        (Dose(sets=2, reps=10, hold_seconds=5, per_day=2, side="each"),
         "2 sets of 10 · hold 5 seconds · twice a day · each leg"),
        (Dose(sets=1, reps=1, hold_seconds=1, per_day=1), "1 set of 1 · hold 1 second · once a day"),
        (Dose(reps=12, per_day=3, days_per_week=5), "12 times · 3 times a day · 5 days a week"),
        (Dose(hold_seconds=60, days_per_week=7, side="both"), "hold 1 minute · every day · both legs together"),
        (Dose(sets=3, hold_seconds=30, rest_seconds=90, days_per_week=1), "3 sets · hold 30 seconds · rest 90 seconds · 1 day a week"),
    ],
)
def test_dose_in_plain_words(dose, text):
    assert dose_text(dose) == text


@pytest.mark.parametrize("language, left, right", [
    ("en", "standing on your left leg", "right leg only"),
    ("es", "de pie sobre la pierna izquierda", "solo la pierna derecha"),
])
def test_a_balance_moves_one_side_is_the_leg_stood_on(language, left, right):
    """The hip airplane turns over its standing leg: "left leg only" left two readers asking
    whether to stand on the left leg or lift it. The band move stands on one foot and works the
    other leg, so its side is said as before."""
    from handout import HandoutRequest
    from handout.model.plan import resolve_handout

    request = HandoutRequest(exercises=("hip-airplane:side=left", "standing-ir-band:side=right", "hip-airplane"),
                             language=language)
    airplane, band, each = resolve_handout(request, load_library(language=language)).items
    assert airplane.dose_text.endswith(left) and band.dose_text.split(" · ")[1] == right
    assert each.dose_text.endswith("each leg" if language == "en" else "cada pierna")


def test_yaml_duplicate_keys_aliases_and_tabs_are_errors():
    with pytest.raises(errors.ContentError, match=r"x.yaml:2: duplicate key 'a'"):
        parse_yaml("a: 1\na: 2\n", "x.yaml")
    with pytest.raises(errors.ContentError, match="aliases"):
        parse_yaml("a: &x [1, 2]\nb: *x\n", "x.yaml")
    with pytest.raises(errors.ContentError, match=r"x.yaml:2: .*tab"):
        parse_yaml("a:\n\tb: 1\n", "x.yaml")


@pytest.mark.parametrize("text, line", [("a: !!python/tuple [1, 2]\n", 1), ("a: 1\nb: !!set {x: 1}\n", 2),
                                        ("- 1\n- !foo\n  - 2\n", 2), ("a: !!python/name:os.system x\n", 1)])
def test_a_yaml_tag_is_refused_on_a_list_or_map_as_on_a_scalar(text, line):
    with pytest.raises(errors.ContentError, match=f"^x.yaml:{line}: .*tag"):
        parse_yaml(text, "x.yaml")
    assert parse_yaml("a: !!seq [1]\nb: !!map {c: 2}\n", "x.yaml")[0] == {"a": [1], "b": {"c": 2}}


def test_every_error_in_a_folder_is_reported_at_once(tmp_path):
    (tmp_path / "exercises").mkdir()
    source = bundled("content") / "exercises" / "seated-ir.yaml"
    text = source.read_text(encoding="utf-8")
    (tmp_path / "exercises" / "seated-ir.yaml").write_text(text.replace("goal: mobility", "goal: speed"), "utf-8")
    bad = text.replace("id: seated-ir", "id: other-id")
    (tmp_path / "exercises" / "other.yaml").write_text(bad, "utf-8")
    with pytest.raises(errors.ContentError) as info:
        load_library((tmp_path,))
    message = str(info.value)
    assert "2 problems" in message
    assert "seated-ir.yaml:" in message and "goal: must be one of" in message and 'got "speed"' in message
    assert "other.yaml:1: id: must match the file name 'other'" in message


def test_user_content_overrides_a_bundled_exercise(tmp_path):
    (tmp_path / "exercises").mkdir()
    source = bundled("content") / "exercises" / "seated-ir.yaml"
    shutil.copy(source, tmp_path / "exercises")
    path = tmp_path / "exercises" / "seated-ir.yaml"
    path.write_text(path.read_text("utf-8").replace("name: Seated foot swing-out", "name: Our seated swing"), "utf-8")
    library = load_library((tmp_path,))
    assert library.exercises["seated-ir"].name == "Our seated swing"
    assert library.exercise_files["seated-ir"] == path.resolve()


def error_tree() -> list[type]:
    """HandoutError and every class below it, wherever in handout it is defined."""
    import importlib
    import pkgutil

    import handout

    for module in pkgutil.walk_packages(handout.__path__, "handout."):
        if not module.name.endswith(".__main__"):  # running the command is not importing it
            importlib.import_module(module.name)
    found, todo = [], [errors.HandoutError]
    while todo:
        cls = todo.pop(0)
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


ERROR_TREE = error_tree()
# A value for each constructor argument an error class may take; a new argument needs one here.
SAMPLE_ARGS = {"message": "it went wrong", "field": "patient", "char": "😀", "text": "Sam 😀", "template": "t.j2",
               "line": 4, "issues": [errors.Issue("a.yaml", 3, "x", "bad"), errors.Issue("b.yaml", None, "", "worse")]}


def test_the_error_tree_holds_every_documented_error():
    documented = {getattr(errors, name) for name in errors.__all__ if name.endswith("Error")}
    assert documented <= set(ERROR_TREE) and len(ERROR_TREE) == len(set(ERROR_TREE))


@pytest.mark.parametrize("cls", ERROR_TREE, ids=lambda cls: cls.__name__)
def test_every_error_pickles_with_its_message(cls):
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    missing = [p.name for p in params if p.name not in SAMPLE_ARGS and p.default is p.empty]
    assert not missing, f"{cls.__name__}: add a sample for {missing} to SAMPLE_ARGS"
    error = cls(**{p.name: SAMPLE_ARGS[p.name] for p in params if p.name in SAMPLE_ARGS})
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls and str(copy) == str(error) and str(error)
    assert vars(copy) == vars(error)  # every field it carries (issues, field, line) survives


def test_save_plan_replaces_only_an_ordinary_file(tmp_path):
    """The API's save_plan, like the CLI, never writes through a link or over a FIFO or folder."""
    import os

    from handout import HandoutRequest
    from handout.model.planfile import save_plan

    target = tmp_path / "kept.txt"
    target.write_text("mine", encoding="utf-8")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "link.yaml").symlink_to(target)
    request = HandoutRequest(program="ir-mobility")
    for name in ("fifo", "link.yaml", "."):
        with pytest.raises(errors.OutputError, match="not an ordinary file"):
            save_plan(request, tmp_path / name)
    assert target.read_text(encoding="utf-8") == "mine" and (tmp_path / "link.yaml").is_symlink()
    assert "program: ir-mobility" in save_plan(request, tmp_path / "plan.yaml").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo", "kept.txt", "link.yaml", "plan.yaml"]


def test_an_other_side_step_past_the_last_step_names_the_file_line_and_field(tmp_path):
    (tmp_path / "exercises").mkdir()
    source = {name: (bundled("content") / "exercises" / f"{name}.yaml").read_text(encoding="utf-8")
              for name in ("seated-ir", "prone-ir")}
    assert all("\nother_side_step: 5" in text for text in source.values())
    (tmp_path / "exercises" / "seated-ir.yaml").write_text(
        source["seated-ir"].replace("  - Hold the sides of the seat.\n", ""), "utf-8")  # 4 steps left
    (tmp_path / "exercises" / "prone-ir.yaml").write_text(
        source["prone-ir"].replace("\nother_side_step: 5", "\nother_side_step: 0"), "utf-8")
    with pytest.raises(errors.ContentError) as info:
        load_library((tmp_path,))
    message = str(info.value)
    assert re.search(r"seated-ir\.yaml:\d+: other_side_step: there are only 4 steps, got 5", message), message
    assert re.search(r"prone-ir\.yaml:\d+: other_side_step: must be at least 1, got 0", message), message
