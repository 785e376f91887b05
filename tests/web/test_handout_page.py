"""The handout page's endpoints: the page, figures, preview, the PDF (the CLI's bytes), plans,
and messages beside the fields they concern (the CLI's words)."""

from __future__ import annotations

import io
import re
import shlex

from click.testing import CliRunner
from PIL import Image

from handout.cli import cli

from ..conftest import pdf_text
from .conftest import form, run_cli


def cli_build(command: str, out) -> bytes:
    """The bytes ``handout build`` writes (in a fresh process) for the command the page shows."""
    words = shlex.split(command)
    assert words[:2] == ["handout", "build"]
    result = run_cli(words[1:] + ["--out", str(out)])
    assert result.returncode == 0, result.stderr
    return out.read_bytes()


def cli_error(*args) -> str:
    result = CliRunner().invoke(cli, ["build", *args, "--out", "never.pdf"])
    assert result.exit_code == 2, result.output
    return result.stderr


def test_the_page_labels_every_control_and_shows_every_figure(page):
    html = page.get("/").text
    for label in ("Patient name", "Program", "Download PDF", "Save plan", "Open plan", "Page size", "Large print",
                  "Compact layout", "Article", "Log weeks", "Pain limit", "QR code address", "Goal", "Position",
                  "Equipment", "Reps", "Note on this card"):
        assert re.search(rf"<(label|button)[^>]*>(<input[^>]*>)?\s*{label}", html), label
    assert len(re.findall(r'<img src="/figure/[a-z-]+\.png"', html)) == 12
    assert f'<meta name="handout-token" content="{page.token}">' in html
    for fieldname in ("patient", "program", "page_size", "log_weeks", "pain_limit", "qr", "notes", "date"):
        assert f'<label for="{fieldname}">' in html, fieldname


def test_a_figure_is_a_picture_of_the_exercise(page):
    response = page.get("/figure/seated-ir.png")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content)).convert("L")
    assert image.size == (300, 220)
    dark = sum(image.histogram()[:200])
    assert dark > 2000  # a figure drawn, not an empty box
    assert page.get("/figure/no-such.png").status_code == 404


def test_the_preview_is_every_page_as_a_picture_and_the_same_command(page):
    response = page.post("/api/handout/preview", json=form(patient="Zoë Ünal", article="none"))
    assert response.status_code == 200, response.text
    data = response.json()
    assert len(data["pages"]) == data["page_count"] >= 2
    first = page.get(data["pages"][0])
    assert first.headers["content-type"] == "image/png" and first.headers["cache-control"] == "no-store"
    assert Image.open(io.BytesIO(first.content)).size == (612, 792)  # Letter at 72 dpi
    assert page.get("/preview/0123-612x792.png").status_code == 404
    assert data["command"] == ("handout build --program ir-mobility --patient 'Zoë Ünal' --date 2026-11-25 "
                               "--article none")


def test_download_pdf_gives_the_bytes_the_cli_writes(page, tmp_path):
    state = form(patient="Zoë Ünal", large_print=True, layout="compact", qr="https://example.org/v", pain_limit="4")
    state["exercises"][1]["reps"] = "14"
    state["exercises"][2]["note"] = "Go slowly, with a pillow."
    state["exercises"][0]["load"] = 'red, "thick" band'  # a comma and quotes: quoted as the CLI reads them
    state["exercises"].reverse()
    response = page.post("/api/handout/pdf", json=state)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="zoe-unal-ir-mobility-2026-11-25-large.pdf"'
    command = page.post("/api/handout/preview", json=state).json()["command"]
    assert "--exercise windshield-wipers:reps=14" in command and "--note 'ninety-ninety=Go slowly" in command
    assert response.content == cli_build(command, tmp_path / "cli.pdf")
    text = " ".join(pdf_text(response.content).split())
    assert "Zoë Ünal" in text and "14 times · every day · each way" in text  # (compact prints no notes)
    assert 'each leg · red, "thick" band' in text


def test_the_program_as_it_comes_is_the_program_alone(page):
    command = page.post("/api/handout/preview", json=form(article="none")).json()["command"]
    assert "--exercise" not in command and command.startswith("handout build --program ir-mobility ")


def test_exercises_picked_by_hand_without_a_program(page, tmp_path):
    state = form(program="", article="none")
    state["exercises"] = [dict(row) for row in form("ir-strength")["exercises"][:2]]
    state["exercises"][0]["sets"] = "3"
    response = page.post("/api/handout/pdf", json=state)
    command = page.post("/api/handout/preview", json=state).json()["command"]
    assert response.status_code == 200 and "--program" not in command
    assert response.content == cli_build(command, tmp_path / "cli.pdf")


def test_each_bad_field_gets_the_clis_message_beside_it(page):
    state = form(patient="Zo\u200bë", date="2026-02-30", qr="not an address", log_weeks="15")
    state["exercises"][1]["reps"] = "0"
    response = page.post("/api/handout/preview", json=state)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"patient", "date", "qr", "log_weeks", "exercise.1.reps"}
    assert errors["exercise.1.reps"] in cli_error("--exercise", "windshield-wipers:reps=0")
    assert errors["patient"] in cli_error("--program", "ir-mobility", "--patient", "Zo\u200bë")
    assert errors["date"] in cli_error("--program", "ir-mobility", "--date", "2026-02-30")
    assert errors["qr"] in cli_error("--program", "ir-mobility", "--qr", "not an address")
    assert errors["log_weeks"] == 'must be at most 12, got "15"'


def test_nothing_chosen_and_unknown_ids_are_named(page):
    errors = page.post("/api/handout/preview", json=form(program="")).json()["errors"]
    assert errors == {"program": "give a program (--program) or at least one exercise (--exercise)"}
    state = form(program="")
    state["program"], state["exercises"] = "ir-mobilty", [{"id": "seated-ri"}]
    errors = page.post("/api/handout/preview", json=state).json()["errors"]
    assert "did you mean ir-mobility?" in errors["program"] and "did you mean seated-ir or" in errors["exercise.0"]


def test_a_character_the_font_cannot_draw_stops_the_pdf_beside_the_name(page):
    response = page.post("/api/handout/pdf", json=form(patient="Zoë 🙂"))
    assert response.status_code == 422 and response.headers["content-type"] == "application/json"
    assert "cannot be printed with the bundled font" in response.json()["errors"]["patient"]


def test_the_clinics_settings_fill_the_page_and_the_pdf(settings_page, tmp_path):
    html = settings_page.get("/").text
    assert "Test Clinic" in html and 'value="Sam Lee"' in html and 'value="3"' in html
    assert re.search(r'<option value="a4" selected>', html)
    state = form(patient="Ana Lima", clinician="Sam Lee", page_size="a4", log_weeks="3", article="none")
    response = settings_page.post("/api/handout/pdf", json=state)
    command = settings_page.post("/api/handout/preview", json=state).json()["command"]
    assert command == "handout build --program ir-mobility --patient 'Ana Lima' --date 2026-11-25 --article none"
    assert response.content == cli_build(command, tmp_path / "cli.pdf")
    assert "Test Clinic" in pdf_text(response.content)


def test_save_plan_writes_the_clis_plan_and_open_plan_reads_it_back(page, tmp_path):
    state = form(patient="Zoë Ünal", article="summary")
    state["exercises"][0]["hold"] = "3"
    state["exercises"][3]["note"] = "Put a pillow under your hips."
    saved = page.post("/api/handout/plan", json=state)
    assert saved.status_code == 200 and saved.headers["content-disposition"].endswith('.yaml"')
    command = page.post("/api/handout/preview", json=state).json()["command"]
    result = run_cli(shlex.split(command)[1:] + ["--out", str(tmp_path / "a.pdf"), "--save-plan",
                                                 str(tmp_path / "cli.yaml")])
    assert result.returncode == 0, result.stderr
    assert saved.text == (tmp_path / "cli.yaml").read_text("utf-8")
    opened = page.post("/api/handout/open-plan", content=saved.content, headers={"x-file-name": "zo%C3%AB.yaml"})
    assert opened.status_code == 200, opened.text
    loaded = opened.json()["state"]
    assert loaded["patient"] == "Zoë Ünal" and loaded["exercises"][0]["hold"] == "3"
    assert loaded["exercises"][3]["note"] == "Put a pillow under your hips."
    again = page.post("/api/handout/pdf", json=loaded)
    assert again.content == page.post("/api/handout/pdf", json=state).content == (tmp_path / "a.pdf").read_bytes()


def test_a_bad_plan_is_named_by_its_own_file_name(page):
    response = page.post("/api/handout/open-plan", content=b"program: [\n", headers={"x-file-name": "zoe.yaml"})
    assert response.status_code == 422
    message = response.json()["errors"]["plan"]
    assert message.startswith("zoe.yaml:2: not valid YAML") and "/tmp" not in message
    unknown = page.post("/api/handout/open-plan", content=b"program: ir-mobility\npatients: A\n")
    assert unknown.json()["errors"]["plan"].startswith("plan.yaml:2: patients: is not a known field")


def test_a_change_to_one_exercise_encodes_only_the_pages_it_changes(page):
    state = form(patient="Zoë Ünal", article="full")
    first = page.post("/api/handout/preview", json=state).json()
    pictures = page.app.state.handout.pictures
    before = pictures.encoded
    state["exercises"][4]["hold"] = "45"
    second = page.post("/api/handout/preview", json=state).json()
    changed = [i for i, (a, b) in enumerate(zip(first["pages"], second["pages"], strict=True)) if a != b]
    assert len(second["pages"]) == len(first["pages"]) >= 4
    assert 1 <= len(changed) <= 2 and pictures.encoded - before == len(changed)


def test_a_download_is_the_clis_bytes_whatever_the_process_built_before(page, tmp_path):
    """The process's caches can hold work that replays into other bytes (the same pixels):
    a download is built from scratch, as ``handout build`` builds its one document."""
    import datetime as dt

    import handout

    other = handout.Clinic(name="Test Clinic", phone="555 0199", website="clinic.example", address="1 Main St")
    handout.build_handout(handout.HandoutRequest(program="ir-mobility", patient="Zoë Ünal", clinic=other,
                                                 date=dt.date(2026, 11, 25), large_print=True))
    state = form(patient="Mary Smith", clinician="Sam Rivera", large_print=True)
    page.post("/api/handout/preview", json=form(patient="Zoë Ünal", large_print=True))
    page.post("/api/handout/preview", json=state)
    command = page.post("/api/handout/preview", json=state).json()["command"]
    assert page.post("/api/handout/pdf", json=state).content == cli_build(command, tmp_path / "cli.pdf")
