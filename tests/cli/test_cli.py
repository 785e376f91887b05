"""The command line: exit codes, one readable message naming file and line, no stray output."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from handout.cli import cli

from ..conftest import page_sizes, pdf_text


def run(*args):
    return CliRunner().invoke(cli, list(args))


def outputs(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def test_build_writes_a_handout(tmp_path, clinic_file):
    out = tmp_path / "zoe.pdf"
    result = run("build", "--program", "ir-desk-break", "--patient", "Zoë Ünal", "--clinic", str(clinic_file),
                 "--date", "2026-11-25", "--page-size", "a4", "--out", str(out))
    assert result.exit_code == 0, result.output + result.stderr
    assert "wrote" in result.output
    data = out.read_bytes()
    assert {(round(w), round(h)) for w, h in page_sizes(data)} == {(595, 842)}
    assert "Zoë Ünal" in pdf_text(data) and "Test Clinic" in pdf_text(data)


def test_build_default_name_goes_to_output_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("build", "--program", "ir-desk-break", "--patient", "O'Brien & <Sons>", "--date", "2026-11-25")
    assert result.exit_code == 0, result.stderr
    assert outputs(tmp_path / "output") == ["o-brien-sons-ir-desk-break-2026-11-25.pdf"]


def test_a_name_the_font_cannot_draw_exits_1_with_one_message_and_no_file(tmp_path):
    out = tmp_path / "x.pdf"
    result = run("build", "--program", "ir-mobility", "--patient", "Sam 😀", "--out", str(out))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert "patient:" in result.stderr and "U+1F600" in result.stderr
    assert outputs(tmp_path) == []


@pytest.mark.parametrize(
    "args, expected",
    [
        ([], ["--program: give a program"]),
        (["--program", "nope"], ["--program:", 'unknown program "nope"']),
        (["--program", "missing.yaml"], ["--program:", "no such program file"]),
        (["--program", "ir-mobilty"], ["--program:", "did you mean ir-mobility"]),
        (["--exercise", "seated-irr"], ["--exercise:", "did you mean seated-ir"]),
        (["--exercise", "seated-ir:3x"], ["--exercise:", '"3x" is not a dose']),
        (["--exercise", "seated-ir:sets=2,wobble=3"], ["--exercise:", '"wobble" is not a dose field']),
        (["--exercise", "seated-ir:side=up"], ["--exercise:", "side must be one of"]),
        (["--program", "ir-mobility", "--qr", "notaurl"], ["--qr:", "is not a web address"]),
        (["--program", "ir-mobility", "--note", "clamshell=Hi"], ["--note:", '"clamshell" is not one of']),
        (["--program", "ir-mobility", "--note", "no-equals"], ["--note", "ID=TEXT"]),
        (["--page-size", "a5"], ["--page-size"]),
        (["--date", "2026-02-30"], ["--date", "real date"]),
    ],
)
def test_every_usage_error_exits_2_naming_its_option(tmp_path, args, expected):
    out = tmp_path / "x.pdf"
    result = run("build", *args, "--out", str(out))
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    for piece in expected:
        assert piece in result.stderr
    assert outputs(tmp_path) == []


def test_bad_usage_exits_2(tmp_path):
    assert run("build", "--page-size", "a5").exit_code == 2
    assert run("build", "--date", "2026-02-30").exit_code == 2
    assert "real date" in run("build", "--date", "2026-02-30").stderr


def test_malformed_program_yaml_names_file_and_line(tmp_path):
    program = tmp_path / "mine.yaml"
    program.write_text("id: mine\ntitle: Mine\n  audience: x\n", encoding="utf-8")
    result = run("build", "--program", str(program), "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert f"{program}:3: not valid YAML" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_dose_of_the_wrong_type_names_file_line_and_field(tmp_path):
    program = tmp_path / "x.yaml"
    program.write_text(
        "id: x\ntitle: Test\naudience: Anyone\nwhy: Because.\nitems:\n"
        "  - exercise: seated-ir\n  - exercise: prone-ir\n  - exercise: seated-ir-band\n"
        "    dose:\n      reps: 10\n      per_day: 2\n      sets: three\n",
        encoding="utf-8",
    )
    result = run("build", "--program", str(program), "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert f'{program}:12: items[2].dose.sets: must be a whole number of at least 1, got "three"' in result.stderr


def test_template_syntax_error_names_template_and_line(tmp_path):
    folder = tmp_path / "tpl" / "partials"
    folder.mkdir(parents=True)
    (folder / "intro.xml.j2").write_text("<h1>{{ title }}</h1>\n<p>{% if %}</p>\n", encoding="utf-8")
    result = run("build", "--program", "ir-desk-break", "--templates", str(tmp_path / "tpl"),
                 "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "partials/intro.xml.j2:2: template syntax error" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_markup_tag_names_template_and_rendered_line(tmp_path):
    folder = tmp_path / "tpl" / "partials"
    folder.mkdir(parents=True)
    (folder / "intro.xml.j2").write_text("<h1>{{ title }}</h1>\n<blink>hi</blink>\n", encoding="utf-8")
    result = run("build", "--program", "ir-desk-break", "--templates", str(tmp_path / "tpl"),
                 "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "handout.xml.j2 (rendered markup):" in result.stderr and "unknown tag <blink>" in result.stderr
    markup = run("markup", "--program", "ir-desk-break", "--templates", str(tmp_path / "tpl")).output
    line = int(result.stderr.split("(rendered markup):")[1].split(":")[0])
    assert markup.splitlines()[line - 1].startswith("<blink>")


def test_a_clinic_can_override_one_partial(tmp_path):
    folder = tmp_path / "tpl" / "partials"
    folder.mkdir(parents=True)
    (folder / "intro.xml.j2").write_text("<h1>{{ title }}</h1>\n<p>Welcome to our clinic.</p>\n", encoding="utf-8")
    out = tmp_path / "x.pdf"
    result = run("build", "--program", "ir-desk-break", "--templates", str(tmp_path / "tpl"), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    text = pdf_text(out.read_bytes())
    assert "Welcome to our clinic." in text
    assert "Your exercises" in text  # the rest still comes from the bundled templates


def test_debug_shows_the_traceback(tmp_path):
    result = run("--debug", "build", "--program", "nope", "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert result.exception is not None and type(result.exception).__name__ == "RequestError"


def test_list_and_markup_and_check():
    listed = run("list", "exercises")
    assert listed.exit_code == 0 and len(listed.output.splitlines()) == 12
    assert "ir-mobility" in run("list", "programs").output
    assert "handout.xml.j2" in run("list", "templates").output
    markup = run("markup", "--program", "ir-mobility", "--patient", "A & B")
    assert markup.exit_code == 0 and "A &amp; B" in markup.output and markup.output.startswith("<document")
    checked = run("check")
    assert checked.exit_code == 0, checked.output + checked.stderr
    assert "grade" in checked.output and "all content and templates check out" in checked.output


def test_demo_writes_real_pdfs(tmp_path):
    result = run("demo", "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "demo-handout.pdf").read_bytes().startswith(b"%PDF-")
    assert "Zoë Ünal" in pdf_text((tmp_path / "demo-handout.pdf").read_bytes())
