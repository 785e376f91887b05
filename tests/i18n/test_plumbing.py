"""The language reaches every front end: --language on build, poster, batch and check, the
settings file, plan files and a roster's language column; the API refuses a language it has
no catalog for."""

from __future__ import annotations

import csv

import pytest
import yaml
from click.testing import CliRunner

from handout import HandoutRequest, build_handout, read_roster
from handout.cli import cli
from handout.errors import RequestError
from handout.model.library import load_library
from handout.model.plan import resolve_handout
from handout.model.planfile import load_plan
from handout.model.request import make_request

from ..conftest import pdf_text as raw_text

FAST = ("--date", "2026-12-03", "--article", "none", "--log-weeks", "1")


def pdf_text(data: bytes) -> str:
    """The PDF's words with every line break and run of spaces as one space (a date may wrap)."""
    return " ".join(raw_text(data).split())


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env)


def test_build_in_spanish_prints_spanish_dates_and_doses(tmp_path):
    out = tmp_path / "es.pdf"
    result = run("build", "--program", "ir-desk-break", "--patient", "Zoë Ünal", "--language", "es", *FAST,
                 "--out", str(out))
    assert result.exit_code == 0, result.stderr
    text = pdf_text(out.read_bytes())
    assert "3 de diciembre de 2026" in text
    assert "10 veces · 5 días a la semana · cada pierna" in text
    assert "Pausa en la silla para la cadera" in text and "Zoë Ünal" in text
    assert "jue 3 dic" in text  # the log's first day
    assert "Desk break for your hips" not in text and "each leg" not in text


def test_an_unknown_language_is_bad_usage_naming_the_option(tmp_path):
    result = run("build", "--program", "ir-desk-break", "--language", "fr", *FAST, "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2 and "--language" in result.stderr and "fr" in result.stderr
    assert not (tmp_path / "x.pdf").exists()
    with pytest.raises(RequestError, match='language: "fr" is not a language handout has; use one of en, es'):
        make_request(HandoutRequest, program="ir-mobility", language="fr")


def test_poster_in_spanish(tmp_path):
    out = tmp_path / "poster.pdf"
    result = run("poster", "--program", "ir-desk-break", "--size", "a3", "--language", "es", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    text = pdf_text(out.read_bytes())
    assert "Giros de cadera en la silla" in text and "Banda en los dos tobillos." in text
    assert "Desk break hip turns" not in text


def test_the_settings_file_sets_the_language_and_the_option_wins(tmp_path):
    settings = tmp_path / "settings.yaml"
    settings.write_text("language: es\n", encoding="utf-8")
    env = {"HANDOUT_CONFIG": str(settings)}
    spanish, english = tmp_path / "es.pdf", tmp_path / "en.pdf"
    assert run("build", "--program", "ir-desk-break", *FAST, "--out", str(spanish), env=env).exit_code == 0
    assert run("build", "--program", "ir-desk-break", *FAST, "--language", "en", "--out", str(english),
               env=env).exit_code == 0
    assert "3 de diciembre de 2026" in pdf_text(spanish.read_bytes())
    assert "3 December 2026" in pdf_text(english.read_bytes())
    settings.write_text("language: klingon\n", encoding="utf-8")
    bad = run("build", "--program", "ir-desk-break", *FAST, "--out", str(tmp_path / "x.pdf"), env=env)
    assert bad.exit_code == 1 and f"{settings}:1: language:" in bad.stderr and "klingon" in bad.stderr


def test_a_saved_plan_keeps_its_language(tmp_path):
    plan, out = tmp_path / "plan.yaml", tmp_path / "a.pdf"
    made = run("build", "--exercise", "seated-ir:2x10", "--language", "es", *FAST, "--out", str(out),
               "--save-plan", str(plan))
    assert made.exit_code == 0, made.stderr
    assert yaml.safe_load(plan.read_text(encoding="utf-8"))["language"] == "es"
    assert load_plan(plan).language == "es"
    again = tmp_path / "b.pdf"
    assert run("build", "--plan", str(plan), "--out", str(again)).exit_code == 0
    assert again.read_bytes() == out.read_bytes()
    plan.write_text(plan.read_text(encoding="utf-8").replace("language: es", "language: xx"), encoding="utf-8")
    bad = run("build", "--plan", str(plan), "--out", str(tmp_path / "c.pdf"))
    assert bad.exit_code == 1 and f"{plan}:" in bad.stderr and "language" in bad.stderr


def test_a_roster_row_chooses_its_language(tmp_path):
    roster = tmp_path / "r.csv"
    with roster.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["patient", "program", "date", "language"])
        writer.writerow(["Ana", "ir-desk-break", "2026-12-03", "es"])
        writer.writerow(["Ben", "ir-desk-break", "2026-12-03", ""])
        writer.writerow(["Cy", "ir-desk-break", "2026-12-03", "fr"])
    checked = read_roster(roster)
    assert [j.request.language for j in checked.jobs] == ["es", "en"]
    assert [(e.row, e.column) for e in checked.errors] == [(4, "language")]
    assert "use one of en, es" in checked.errors[0].message
    spanish = read_roster(roster, defaults={"language": "es"})
    assert [j.request.language for j in spanish.jobs] == ["es", "es"]  # an empty cell takes the batch's language
    result = run("batch", str(roster), "--out-dir", str(tmp_path / "out"), "--jobs", "1", "--language", "es")
    assert result.exit_code == 1 and "row 4: language:" in result.stderr
    made = sorted((tmp_path / "out").glob("*.pdf"))
    assert len(made) == 2 and all("3 de diciembre de 2026" in pdf_text(p.read_bytes()) for p in made)


def test_check_reports_spanish_reading_ease():
    result = run("check", "--language", "es")
    assert result.exit_code == 0, result.output + result.stderr
    assert "every printed field is translated" in result.output
    assert "seated-ir: steps" in result.output and "INFLESZ" in result.output
    assert "Flesch-Kincaid" not in result.output


def test_a_library_in_one_language_does_not_serve_a_request_in_another():
    request = HandoutRequest(program="ir-mobility", language="es")
    with pytest.raises(RequestError, match="language"):
        resolve_handout(request, load_library())
    assert resolve_handout(request, load_library(language="es")).title == "Giros suaves de cadera"


def test_english_is_unchanged_by_default():
    text = pdf_text(build_handout(HandoutRequest(program="ir-desk-break", date="2026-12-03", article="none")))
    assert "3 December 2026" in text and "Thu 3 Dec" in text and "10 times · 5 days a week · each leg" in text


def test_the_languages_page_runs_verbatim(tmp_path, monkeypatch):
    import shlex

    from ..conftest import REPO

    monkeypatch.chdir(tmp_path)
    block = (REPO / "docs" / "languages.md").read_text(encoding="utf-8").split("```bash\n", 1)[1].split("```")[0]
    for line in block.splitlines():
        words = shlex.split(line)
        assert words[0] == "handout"
        result = run(*words[1:])
        assert result.exit_code == 0, f"{line}\n{result.stderr}"
    assert "Zoë Ünal" in pdf_text((tmp_path / "output" / "zoe-es.pdf").read_bytes())
    assert "Giros de cadera en la silla" in pdf_text((tmp_path / "output" / "poster-es.pdf").read_bytes())


def test_config_show_names_the_language(tmp_path):
    settings = tmp_path / "settings.yaml"
    env = {"HANDOUT_CONFIG": str(settings)}
    assert "language: en (default)" in run("config", "show", env=env).output
    settings.write_text("language: es\n", encoding="utf-8")
    assert f"language: es (from {settings})" in run("config", "show", env=env).output


def test_default_file_names_tell_the_languages_apart(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for lang in ("en", "es"):
        assert run("build", "--program", "ir-desk-break", "--patient", "Ana Ruiz", *FAST, "--large-print",
                   "--language", lang).exit_code == 0
        assert run("poster", "--program", "ir-desk-break", "--size", "a3", "--language", lang).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == [
        "ana-ruiz-ir-desk-break-2026-12-03-large-es.pdf", "ana-ruiz-ir-desk-break-2026-12-03-large.pdf",
        "poster-ir-desk-break-a3-es.pdf", "poster-ir-desk-break-a3.pdf"]
