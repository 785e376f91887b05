"""The clinician's controls: full doses, notes, saved plans, the settings file, safe names."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import handout
from handout.cli import cli

from ..conftest import pdf_text

FAST = ("--date", "2026-12-03", "--article", "none", "--log-weeks", "0")


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env)


def card_doses(*args) -> list[str]:
    result = run("markup", *args)
    assert result.exit_code == 0, result.stderr
    return [line.split('dose="')[1].split('"')[0] for line in result.output.splitlines() if "<exercise " in line]


def test_a_full_dose_shows_every_field_in_words():
    dose = 'sets=2,reps=10,hold=5,rest=30,per-day=2,days=5,side=left,load="red band",tempo=slowly'
    [text] = card_doses("--exercise", f"standing-ir-band:{dose}")
    assert text == ("2 sets of 10 · hold 5 seconds · rest 30 seconds · twice a day · 5 days a week · "
                    "left leg only · red band · slowly")


def test_sets_and_reps_keep_the_programs_frequency_and_side():
    [plain] = card_doses("--program", "ir-mobility", "--exercise", "seated-ir")
    [dosed] = card_doses("--program", "ir-mobility", "--exercise", "seated-ir:2x10")
    assert plain == "20 times · every day · each leg"
    assert dosed == "2 sets of 10 · every day · each leg"
    [mixed] = card_doses("--program", "ir-desk-break", "--exercise", "seated-ir:2x10,hold=3")
    assert mixed == "2 sets of 10 · hold 3 seconds · 5 days a week · each leg"


def test_a_note_prints_on_its_card(tmp_path):
    out = tmp_path / "n.pdf"
    result = run("build", "--program", "ir-mobility", *FAST, "--note", "prone-ir=Keep the towel under your hips.",
                 "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert "Keep the towel under your hips." in " ".join(pdf_text(out.read_bytes()).split())


def test_the_api_and_a_roster_take_the_same_dose_text(tmp_path):
    request = handout.HandoutRequest(exercises=["seated-ir:sets=3,reps=8,days=4"])
    assert request.exercises[0].dose.days_per_week == 4
    roster = tmp_path / "r.csv"
    roster.write_text('patient,program,exercises\nAnn,ir-mobility,"seated-ir:sets=3,reps=8,days=4;prone-ir:hold=20"\n',
                      encoding="utf-8")
    [job] = handout.read_roster(roster).jobs
    assert [p.dose.model_dump(exclude_none=True) for p in job.request.exercises] == [
        {"sets": 3, "reps": 8, "days_per_week": 4}, {"hold_seconds": 20}]


def test_a_saved_plan_builds_the_same_bytes_and_takes_a_new_date(tmp_path):
    first, again, later, plan = (tmp_path / n for n in ("a.pdf", "b.pdf", "c.pdf", "zoe.yaml"))
    made = run("build", "--program", "ir-mobility", "--patient", "Zoë Ünal", "--date", "2026-12-03",
               "--exercise", "seated-ir:2x10,hold=5", "--exercise", "prone-ir", "--note", "seated-ir=Go slowly.",
               "--save-plan", str(plan), "--out", str(first))
    assert made.exit_code == 0, made.stderr
    text = plan.read_text(encoding="utf-8")
    assert "patient: Zoë Ünal" in text and "hold_seconds: 5" in text and "note: Go slowly." in text
    assert "days_per_week: 7" in text  # the program's frequency, written in
    assert run("build", "--plan", str(plan), "--out", str(again)).exit_code == 0
    assert again.read_bytes() == first.read_bytes()
    assert run("build", "--plan", str(plan), "--date", "2027-01-10", "--out", str(later)).exit_code == 0
    assert "10 January 2027" in pdf_text(later.read_bytes())
    assert handout.load_plan(plan).exercises[0].note == "Go slowly."


def test_a_bad_plan_names_file_line_and_field(tmp_path):
    plan = tmp_path / "p.yaml"
    plan.write_text("patient: Ann\nexercises:\n  - id: seated-ir\n    dose: {sets: 99}\n", encoding="utf-8")
    result = run("build", "--plan", str(plan), "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert f"{plan}:4: exercises[0].dose.sets: must be at most 20" in result.stderr


def test_save_plan_through_the_api(tmp_path):
    request = handout.HandoutRequest(program="ir-desk-break", patient="Ann", exercise_notes={"seated-ir": "Slowly."})
    path = handout.save_plan(request, tmp_path / "ann.yaml")
    loaded = handout.load_plan(path)
    assert [p.id for p in loaded.exercises][:1] == ["seated-ir"] and loaded.exercises[0].note == "Slowly."
    assert loaded.exercises[0].dose.days_per_week == 5 and loaded.patient == "Ann"


def test_two_patients_get_two_files_and_a_file_is_never_replaced_silently(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for patient in ("Ann Lee", "Bo Kim"):
        assert run("build", "--exercise", "seated-ir", "--patient", patient, *FAST).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == [
        "ann-lee-custom-2026-12-03.pdf", "bo-kim-custom-2026-12-03.pdf"]
    from handout.pipeline import handout as pipeline

    builds = []
    real_build = pipeline.build_handout_document
    monkeypatch.setattr(pipeline, "build_handout_document", lambda request: builds.append(1) or real_build(request))
    again = run("build", "--exercise", "seated-ir", "--patient", "Ann Lee", *FAST, "--large-print",
                "--out", "output/bo-kim-custom-2026-12-03.pdf")
    assert again.exit_code == 1 and "output/bo-kim-custom-2026-12-03.pdf already exists" in again.stderr
    assert builds == []  # refused before any work
    assert "Bo Kim" in pdf_text((tmp_path / "output/bo-kim-custom-2026-12-03.pdf").read_bytes())
    forced = run("build", "--exercise", "seated-ir", "--patient", "Ann Lee", *FAST,
                 "--out", "output/bo-kim-custom-2026-12-03.pdf", "--force")
    assert forced.exit_code == 0 and builds == [1]
    assert "Ann Lee" in pdf_text((tmp_path / "output/bo-kim-custom-2026-12-03.pdf").read_bytes())


def test_the_settings_file_supplies_the_clinic_and_an_option_wins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = tmp_path / "conf" / "settings.yaml"
    env = {"HANDOUT_CONFIG": str(settings)}
    made = run("config", "init", "--clinic-name", "Harbour Physio", "--clinician", "Sam Lee", "--page-size", "a4",
               "--output-folder", "pdfs", env=env)
    assert made.exit_code == 0, made.stderr
    assert (tmp_path / "conf" / "clinic.yaml").is_file()
    assert run("build", "--program", "ir-desk-break", "--patient", "Ann", *FAST, env=env).exit_code == 0
    data = (tmp_path / "conf" / "pdfs" / "ann-ir-desk-break-2026-12-03.pdf").read_bytes()
    assert "Harbour Physio" in pdf_text(data) and "Sam Lee" in pdf_text(data)
    from ..conftest import page_sizes
    assert {round(w) for w, _ in page_sizes(data)} == {595}  # A4 from the settings
    out = tmp_path / "letter.pdf"
    assert run("build", "--program", "ir-desk-break", *FAST, "--page-size", "letter", "--clinician", "Jo Park",
               "--out", str(out), env=env).exit_code == 0
    assert {round(w) for w, _ in page_sizes(out.read_bytes())} == {612}
    assert "Jo Park" in pdf_text(out.read_bytes())
    shown = run("config", "show", env=env)
    assert shown.exit_code == 0
    assert f"page_size: a4 (from {settings})" in shown.output and "pain_limit: 3 (default)" in shown.output
    again = run("config", "init", "--clinic-name", "X", env=env)
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_clinic_example_writes_a_profile_to_copy(tmp_path):
    out = tmp_path / "my-clinic.yaml"
    assert run("clinic-example", "--out", str(out)).exit_code == 0
    assert handout.load_clinic(out).name == "Riverside Physiotherapy"


@pytest.mark.parametrize("command", ["build", "markup", "list", "check", "figures", "batch", "config", "demo"])
def test_every_command_shows_an_example_and_explains_every_option(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    cmd = cli.commands[command]
    for param in getattr(cmd, "params", ()):
        if isinstance(param, __import__("click").Option):
            assert param.help, f"{command} {param.opts} has no help"


def test_version_short_and_long():
    assert run("-V").output.startswith("handout, version")
    assert run("--version").output == run("-V").output


def test_a_plan_keeps_the_settings_clinic_and_its_own_errors_exit_1(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {"HANDOUT_CONFIG": str(tmp_path / "settings.yaml")}
    assert run("config", "init", "--clinic-name", "Harbour Physio", "--page-size", "a4", env=env).exit_code == 0
    plan = tmp_path / "ann.yaml"
    first = run("build", "--program", "ir-desk-break", "--patient", "Ann", *FAST, "--save-plan", str(plan), env=env)
    assert first.exit_code == 0, first.stderr
    assert f"clinic: {tmp_path / 'clinic.yaml'}" in plan.read_text(encoding="utf-8")
    assert "page_size: a4" in plan.read_text(encoding="utf-8")
    again = run("build", "--plan", str(plan), "--out", "again.pdf")  # no settings now: the plan has it all
    assert again.exit_code == 0, again.stderr
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "output/ann-ir-desk-break-2026-12-03.pdf").read_bytes()
    plan.write_text(plan.read_text(encoding="utf-8").replace("program: ir-desk-break", "program: nope"),
                    encoding="utf-8")
    broken = run("build", "--plan", str(plan), "--out", "x.pdf")
    assert broken.exit_code == 1 and f"{plan}: program: unknown program" in broken.stderr
    bad_option = run("build", "--plan", str(plan), "--exercise", "seated-ir:3x", "--out", "x.pdf")
    assert bad_option.exit_code == 2 and "--exercise:" in bad_option.stderr


def test_open_shows_the_finished_pdf(tmp_path, monkeypatch):
    import click

    opened = []
    monkeypatch.setattr(click, "launch", lambda target, **kw: opened.append(target) or 0)
    out = tmp_path / "o.pdf"
    assert run("build", "--program", "ir-desk-break", *FAST, "--out", str(out), "--open").exit_code == 0
    assert opened == [str(out)]


@pytest.mark.parametrize("text, fields", [
    ("2x10", {"sets": 2, "reps": 10}),
    ("2X10, hold=5", {"sets": 2, "reps": 10, "hold_seconds": 5}),
    ('load="band, red",side=each-way', {"load": "band, red", "side": "each-way"}),
    ("per-day=3,days=7,rest=60", {"per_day": 3, "days_per_week": 7, "rest_seconds": 60}),
])
def test_dose_text_parses_to_the_fields_it_names(text, fields):
    from handout.model.dose_spec import parse_dose

    assert parse_dose(text).model_dump(exclude_none=True) == fields


@pytest.mark.parametrize("text, message", [
    ("", "empty dose"), ("2x", "is not a dose"), ("hold=5s", "hold must be a whole number"),
    ("days=8", "days must be at most 7"), ("sets=2,,reps=3", "is not a dose"), ("notes=hi", '"notes" is not'),
])
def test_a_bad_dose_says_which_field(text, message):
    from handout.errors import RequestError
    from handout.model.dose_spec import parse_dose

    with pytest.raises(RequestError, match=message) as caught:
        parse_dose(text)
    assert caught.value.field == "exercise"


def test_settings_large_print_can_be_turned_off_and_a_bad_settings_file_names_its_line(tmp_path):
    settings = tmp_path / "settings.yaml"
    settings.write_text("large_print: true\npain_limit: 5\n", encoding="utf-8")
    env = {"HANDOUT_CONFIG": str(settings)}
    markup = run("markup", "--program", "ir-desk-break", *FAST, env=env).output
    assert '<pain-scale limit="5"/>' in markup  # pain_limit from the settings file
    big = run("build", "--program", "ir-desk-break", *FAST, "--out", str(tmp_path / "a.pdf"), env=env)
    small = run("build", "--program", "ir-desk-break", *FAST, "--regular-print", "--out", str(tmp_path / "b.pdf"),
                env=env)
    assert big.exit_code == small.exit_code == 0
    from ..conftest import char_sizes
    assert min(s for _, s in char_sizes((tmp_path / "a.pdf").read_bytes())) >= 18 - 0.01
    assert min(s for _, s in char_sizes((tmp_path / "b.pdf").read_bytes())) < 18
    settings.write_text("page_size: a5\n", encoding="utf-8")
    bad = run("build", "--program", "ir-desk-break", env=env)
    assert bad.exit_code == 1 and f"{settings}:1: page_size:" in bad.stderr


@pytest.mark.parametrize("args, option", [
    (["--program", "ir-mobility", "--qr", "notaurl"], "--qr:"),
    (["--program", "nope"], "--program:"),
    (["--exercise", "seated-ir:3x"], "--exercise:"),
])
def test_poster_usage_errors_exit_2_too(tmp_path, args, option):
    result = run("poster", *args, "--out", str(tmp_path / "p.pdf"))
    assert result.exit_code == 2 and option in result.stderr


def test_config_init_asks_on_a_terminal(tmp_path, monkeypatch):
    import handout.cli.config as config

    monkeypatch.setattr(config, "on_terminal", lambda: True)
    env = {"HANDOUT_CONFIG": str(tmp_path / "settings.yaml")}
    answers = "Harbour Physio\nSam Lee\n555 0100\n\n\n\n"
    result = CliRunner().invoke(cli, ["config", "init"], input=answers, env=env)
    assert result.exit_code == 0, result.stderr
    clinic = handout.load_clinic(tmp_path / "clinic.yaml")
    assert (clinic.name, clinic.clinician, clinic.phone, clinic.email) == ("Harbour Physio", "Sam Lee", "555 0100", None)


def test_config_init_off_a_terminal_needs_the_clinic_name(tmp_path):
    result = run("config", "init", env={"HANDOUT_CONFIG": str(tmp_path / "settings.yaml")})
    assert result.exit_code == 2 and "--clinic-name" in result.stderr
    assert not (tmp_path / "settings.yaml").exists()


def test_build_warns_when_a_card_says_how_many_but_not_how_often(tmp_path):
    """clinical.md leaves frequency to the clinician, and readers of a card with none asked
    "how many times a day?": the build says which cards have none (on stderr; it still builds)."""
    result = run("build", "--exercise", "seated-ir:2x10", "--exercise", "prone-ir:days=7", *FAST,
                 "--out", str(tmp_path / "a.pdf"))
    assert result.exit_code == 0 and (tmp_path / "a.pdf").is_file()
    assert result.stderr == ("warning: card 1 (Seated foot swing-out) says how many times but not how often; add it "
                             "to its dose: days=7 or per-day=2 (--exercise seated-ir:days=7, or in a plan file)\n")
    both = run("build", "--exercise", "seated-ir", "--exercise", "hip-airplane", *FAST, "--out", str(tmp_path / "b.pdf"))
    assert both.stderr.startswith("warning: cards 1 (Seated foot swing-out) and 2 (Supported hip airplane) say how")
    program = run("build", "--program", "ir-mobility", *FAST, "--out", str(tmp_path / "c.pdf"))
    assert program.exit_code == 0 and program.stderr == ""  # every day, in the program
