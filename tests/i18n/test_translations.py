"""A missing translation is an error naming the file and the field, never a page that mixes
languages: in content, in the catalog, and in a template's strings."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from handout.cli import cli
from handout.errors import ContentError, TemplateError
from handout.markup.environment import render_template
from handout.model import i18n
from handout.model.library import load_library

from ..conftest import REPO


def _messages(exc: ContentError) -> list[str]:
    return [str(i) for i in exc.issues]


def _own_exercise(tmp_path, spanish: str | None):
    """A content folder with one new exercise (a copy of seated-ir) and, maybe, its Spanish."""
    english = (REPO / "content" / "exercises" / "seated-ir.yaml").read_text(encoding="utf-8")
    (tmp_path / "exercises").mkdir(parents=True)
    (tmp_path / "exercises" / "my-swing.yaml").write_text(english.replace("id: seated-ir", "id: my-swing"),
                                                         encoding="utf-8")
    if spanish is not None:
        (tmp_path / "es" / "exercises").mkdir(parents=True)
        (tmp_path / "es" / "exercises" / "my-swing.yaml").write_text(spanish, encoding="utf-8")
    return tmp_path


def _bundled_spanish(**changes) -> str:
    text = (REPO / "content" / "es" / "exercises" / "seated-ir.yaml").read_text(encoding="utf-8")
    text = text.replace("id: seated-ir", "id: my-swing")
    for old, new in changes.items():
        text = text.replace(old.replace("_", " "), new)
    return text


def test_an_exercise_with_no_spanish_file_is_named(tmp_path):
    folder = _own_exercise(tmp_path, None)
    with pytest.raises(ContentError) as caught:
        load_library((folder,), "es")
    assert _messages(caught.value) == [f"{folder}/es/exercises/my-swing.yaml: no Spanish translation of "
                                       f"{folder}/exercises/my-swing.yaml"]
    assert load_library((folder,)).exercises["my-swing"].name == "Seated foot swing-out"  # English is unaffected


def test_a_missing_field_a_short_list_and_an_untranslated_line_name_file_and_field(tmp_path):
    spanish = _bundled_spanish().replace("cues:\n  - Solo el pie y la pierna, de la rodilla para abajo, van hacia afuera.\n"
                                         "  - Muévase despacio, sin rebotes.\n", "")
    spanish = spanish.replace("  - Repita con la misma pierna. Luego cambie de pierna.\n", "")
    spanish = spanish.replace("easier: Haga el giro más pequeño, o hágalo menos veces.", "easier: Make the swing smaller, "
                              "or do it fewer times.")
    folder = _own_exercise(tmp_path, spanish)
    with pytest.raises(ContentError) as caught:
        load_library((folder,), "es")
    where = f"{folder}/es/exercises/my-swing.yaml"
    assert _messages(caught.value) == [
        f"{where}: steps: has 4 entries; the English has 5",
        f'{where}: cues: has no Spanish translation (English: "Only your foot and shin move out.")',
        f"{where}: easier: is the same as the English; translate it",
    ]


def test_a_translation_cannot_change_a_number(tmp_path):
    folder = _own_exercise(tmp_path, _bundled_spanish() + "  reps: 30\n")
    with pytest.raises(ContentError) as caught:
        load_library((folder,), "es")
    assert len(caught.value.issues) == 1
    issue = caught.value.issues[0]
    assert issue.field == "dose.reps" and issue.line is not None and "is not a translated field" in issue.message


def test_check_and_build_report_a_missing_translation(tmp_path):
    folder = _own_exercise(tmp_path, None)
    checked = CliRunner().invoke(cli, ["check", "--language", "es", "--content", str(folder)])
    assert checked.exit_code == 1
    assert f"{folder}/es/exercises/my-swing.yaml: no Spanish translation" in checked.output
    built = CliRunner().invoke(cli, ["build", "--program", "ir-mobility", "--language", "es", "--content",
                                     str(folder), "--out", str(tmp_path / "x.pdf")])
    assert built.exit_code == 1 and "my-swing.yaml: no Spanish translation" in built.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_program_item_note_needs_its_translation(tmp_path):
    (tmp_path / "programs").mkdir()
    english = (REPO / "content" / "programs" / "ir-strength.yaml").read_text(encoding="utf-8")
    (tmp_path / "programs" / "ir-strength.yaml").write_text(english, encoding="utf-8")
    (tmp_path / "es" / "programs").mkdir(parents=True)
    spanish = (REPO / "content" / "es" / "programs" / "ir-strength.yaml").read_text(encoding="utf-8")
    (tmp_path / "es" / "programs" / "ir-strength.yaml").write_text(spanish.replace("    notes: Para calentar.\n", ""),
                                                                  encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_library((tmp_path,), "es")
    assert _messages(caught.value) == [f'{tmp_path}/es/programs/ir-strength.yaml: items[0].notes: has no Spanish '
                                       f'translation (English: "A warm-up.")']


def test_a_template_string_the_catalog_lacks_is_an_error_naming_both(tmp_path):
    (tmp_path / "t.xml.j2").write_text('<p>{% trans %}each leg{% endtrans %} / {{ _("both legs together") }}</p>\n'
                                       '<p>{{ _("Not in any catalog") }}</p>\n', encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render_template("t.xml.j2", {}, (str(tmp_path),), "es")
    message = str(caught.value)
    assert "t.xml.j2" in message and "messages.po" in message and 'msgid "Not in any catalog"' in message
    (tmp_path / "u.xml.j2").write_text('<p>{% trans %}each leg{% endtrans %} / {{ _("both legs together") }}</p>\n',
                                       encoding="utf-8")
    assert render_template("u.xml.j2", {}, (str(tmp_path),), "es") == "<p>cada pierna / las dos piernas a la vez</p>\n"
    assert render_template("u.xml.j2", {}, (str(tmp_path),)) == "<p>each leg / both legs together</p>\n"


def test_a_fuzzy_or_empty_catalog_entry_is_reported(tmp_path, monkeypatch):
    (tmp_path / "es" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(i18n.catalog_path("es"), tmp_path / "es" / "LC_MESSAGES" / "messages.po")
    po = tmp_path / "es" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8").replace('msgid "each way"\nmsgstr "a cada lado"',
                                                  '#, fuzzy\nmsgid "each way"\nmsgstr "a cada lado"')
    po.write_text(text.replace('msgstr "a diario"', 'msgstr ""'), encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    found = [(i.field, i.message) for i in i18n.catalog_issues("es")]
    assert found == [('msgid "each way"', "is marked fuzzy; check and unmark it"),
                     ('msgid "every day"', "has no Spanish translation")]


def test_every_catalog_entry_is_translated():
    assert i18n.catalog_issues("es") == []
    assert i18n.languages() == ("en", "es")


def test_template_strings_translated_ahead_render_in_spanish(tmp_path):
    """The catalog's template entries match what Jinja2 extracts from {% trans %} and _()."""
    (tmp_path / "w.xml.j2").write_text(
        '<h2>{{ _("When to stop and get help") }}</h2>\n'
        '<p>{% trans date=day %}Checked against published sources on {{ date }}.{% endtrans %}</p>\n'
        '<p><b>{{ _("Too hard?") }}</b> {{ _("A note from %(name)s", name=who) }}</p>\n', encoding="utf-8")
    out = render_template("w.xml.j2", {"day": "25 de noviembre de 2026", "who": "Ana"}, (str(tmp_path),), "es")
    assert out == ("<h2>Cuándo parar y pedir ayuda</h2>\n<p>Este texto se revisó el 25 de noviembre de 2026, "
                   "comparándolo con fuentes publicadas.</p>\n<p><b>¿Muy\u00a0difícil?</b> Una nota de Ana</p>\n")
