"""Stale translations: each translated file is stamped with a short hash of every English field
it was made from; when an English field changes, ``handout check --language es`` names the
file and the field (a warning, a problem with --strict) until ``handout stamp`` records it again."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner

from handout.cli import cli
from handout.model.library import load_library
from handout.model.stamps import STAMP_FILE, digest, english_fields, read_stamps, stale_issues

from ..conftest import REPO


def _own_exercise(tmp_path):
    """A content folder with one new exercise (a copy of seated-ir) and its Spanish."""
    for lang, sub in (("", "exercises"), ("es", "es/exercises")):
        text = (REPO / "content" / sub / "seated-ir.yaml").read_text(encoding="utf-8")
        (tmp_path / sub).mkdir(parents=True)
        (tmp_path / sub / "my-swing.yaml").write_text(text.replace("id: seated-ir", "id: my-swing"), encoding="utf-8")
    return tmp_path


def _edited(folder, to, *changes):
    """A copy of ``folder`` at ``to`` (a new path: the library is cached per folder) with its
    English exercise changed, ``(old, new)`` for each change."""
    shutil.copytree(folder, to)
    english = to / "exercises" / "my-swing.yaml"
    text = english.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    english.write_text(text, encoding="utf-8")
    return to


def _mine(folder, lang="es") -> list[str]:
    """The stale messages about the folder's own translations (the bundled ones are not this test's)."""
    return [str(i).replace(str(folder), "DIR") for i in stale_issues((folder,), lang) if i.file.startswith(str(folder))]


def test_the_bundled_stamps_are_well_formed_and_stale_fields_only_warn():
    """Not compared with today's English: when it changes, check warns (the next test) and the
    suite still passes until a translator updates the Spanish and runs 'handout stamp'."""
    stamps = read_stamps(REPO / "content" / "es" / STAMP_FILE)
    files = load_library(language="es").translation_files
    translated = {p.relative_to(REPO / "content" / "es").as_posix() for p in files if p.suffix in (".yaml", ".md")}
    assert set(stamps) <= translated and len(stamps) >= 18
    field = re.compile(r"(items\[\d+\]\.)?(dose\.)?[a-z_]+|sections\[\d+\]|precautions\.[a-z-]+\.[a-z]+")
    for rel, hashes in stamps.items():
        assert all(re.fullmatch(r"[0-9a-f]{8}", h) for h in hashes.values()), rel
        assert all(field.fullmatch(name) for name in hashes), rel
    assert all(i.message for i in stale_issues())  # reported, never raised


def test_a_changed_english_field_is_named_until_it_is_stamped_again(tmp_path):
    folder = _own_exercise(tmp_path / "own")
    assert _mine(folder) == ["DIR/es/exercises/my-swing.yaml: has no stamp of the English it was translated from "
                             "(handout stamp --language es)"]
    result = CliRunner().invoke(cli, ["stamp", "--language", "es", "--content", str(folder)])
    assert result.exit_code == 0 and result.output == f"stamped {folder / 'es' / STAMP_FILE}\n"
    assert _mine(folder) == []
    folder = _edited(folder, tmp_path / "edited", ("Only your foot and shin move out.",
                                                   "Only your foot and lower leg move out."),
                     ("You can build up to 30 times", "You can build up to 25 times"))
    assert _mine(folder) == [
        'DIR/es/exercises/my-swing.yaml: cues: the English changed after this was translated '
        '(English now: "Only your foot and lower leg move out. / Move slowly, with no bouncing.")',
        'DIR/es/exercises/my-swing.yaml: dose.notes: the English changed after this was translated '
        '(English now: "You can build up to 25 times on each leg.")']
    result = CliRunner().invoke(cli, ["stamp", "--language", "es", "--content", str(folder),
                                      str(folder / "es" / "exercises" / "my-swing.yaml")])
    assert result.exit_code == 0 and _mine(folder) == []


def test_stamping_one_file_leaves_the_others_stamps_alone(tmp_path):
    folder = _own_exercise(tmp_path)
    (folder / "es" / STAMP_FILE).write_text("exercises/my-swing.yaml:\n  name: 00000000\n"
                                            "exercises/gone.yaml:\n  name: 11111111\n", encoding="utf-8")
    assert [m.split(": ")[1] for m in _mine(folder)] == [n for n in english_fields(load_library((folder,)))
                                                          ["exercises/my-swing.yaml"]]
    runner = CliRunner()
    assert runner.invoke(cli, ["stamp", "--language", "es", "--content", str(folder),
                               str(folder / "es" / "exercises" / "my-swing.yaml")]).exit_code == 0
    stamps = read_stamps(folder / "es" / STAMP_FILE)
    assert stamps["exercises/gone.yaml"] == {"name": "11111111"} and stamps["exercises/my-swing.yaml"]["name"] == \
        digest("Seated foot swing-out")
    text = (folder / "es" / STAMP_FILE).read_text(encoding="utf-8")
    assert text.startswith("# The English each translation") and "handout stamp --language es" in text


def test_stamp_refuses_a_file_that_is_not_a_translation_and_a_missing_language(tmp_path):
    folder = _own_exercise(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["stamp", "--language", "es", "--content", str(folder), str(folder / "x.yaml")])
    assert result.exit_code == 2 and f'"{folder / "x.yaml"}" is not a Spanish translation in {folder / "es"}' \
        in result.output
    result = runner.invoke(cli, ["stamp", "--content", str(folder)])
    assert result.exit_code == 2 and "--language: give the language" in result.output
    assert not (folder / "es" / STAMP_FILE).exists()


def test_a_broken_stamps_file_names_itself(tmp_path):
    folder = _own_exercise(tmp_path)
    (folder / "es" / STAMP_FILE).write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(Exception) as caught:
        stale_issues((folder,), "es")
    assert f"{folder / 'es' / STAMP_FILE}: not a stamps file" in str(caught.value)


def test_a_hash_is_short_and_follows_the_text():
    assert digest("Hold the sides of the seat.") == digest("Hold the sides of the seat.")
    assert digest(["a", "b"]) != digest(["b", "a"]) and len(digest("x")) == 8


@pytest.mark.slow  # a check builds every program twice
def test_check_warns_about_stale_fields_and_fails_only_when_strict(tmp_path):
    folder = _own_exercise(tmp_path / "own")
    runner = CliRunner()
    assert runner.invoke(cli, ["stamp", "--language", "es", "--content", str(folder)]).exit_code == 0
    folder = _edited(folder, tmp_path / "edited", ("Hold the sides of the seat.", "Hold the edge of the seat."))
    result = runner.invoke(cli, ["check", "--language", "es", "--content", str(folder)])
    line = f"    warning: {folder}/es/exercises/my-swing.yaml: steps: the English changed after this was translated"
    assert result.exit_code == 0 and line in result.output
    assert "'handout stamp --language es'" in result.output
    result = runner.invoke(cli, ["check", "--language", "es", "--content", str(folder), "--strict"])
    assert result.exit_code == 1 and f"  ! {folder}/es/exercises/my-swing.yaml: steps: the English changed" \
        in result.output
