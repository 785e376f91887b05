"""One rule names default output files: the CLI and the batch give a request the same name."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from click.testing import CliRunner

from handout import HandoutRequest, PosterRequest, read_roster
from handout.cli import cli
from handout.export.job import default_output, job_output, tiled_output

from ..conftest import REPO

FAST = ("--article", "none", "--log-weeks", "0")


@pytest.mark.parametrize("program, label", [
    ("ir-mobility", "ir-mobility"),
    ("mine.yaml", "mine"),
    ("plans/Mine Two.yml", "mine-two"),
    (None, "custom"),
])
def test_the_program_part_is_its_id_or_the_file_stem(program, label):
    request = HandoutRequest(program=program, patient="Zoë Ünal", date=dt.date(2026, 11, 25))
    assert default_output("handout", request) == f"zoe-unal-{label}-2026-11-25.pdf"
    poster = PosterRequest(program=program, size="a2", landscape=True)
    assert default_output("poster", poster) == f"poster-{label}-a2-landscape.pdf"


def test_names_for_large_print_patient_ids_and_tiles():
    request = HandoutRequest(program="ir-mobility", patient="Zoë", patient_id="P-7", large_print=True,
                             date=dt.date(2026, 1, 2))
    assert default_output("handout", request) == "p-7-ir-mobility-2026-01-02-large.pdf"
    assert default_output("handout", HandoutRequest(program="ir-mobility", patient="Дмитрий", date=dt.date(2026, 1, 2)),
                          patient="Дмитрий", row=4) == "dmitrii-ir-mobility-2026-01-02.pdf"
    assert default_output("handout", HandoutRequest(program="ir-mobility", patient="Νίκος", date=dt.date(2026, 1, 2)),
                          row=4) == "nikos-ir-mobility-2026-01-02.pdf"
    assert tiled_output("poster-ir-mobility-a1.pdf", "letter") == "poster-ir-mobility-a1-tiled-letter.pdf"


def test_the_cli_and_a_batch_name_a_program_file_alike(tmp_path, monkeypatch):
    shutil.copy(REPO / "content" / "programs" / "ir-desk-break.yaml", tmp_path / "mine.yaml")
    (tmp_path / "roster.csv").write_text("patient,program,date\nZoe,mine.yaml,2026-11-25\n", encoding="utf-8")
    roster = read_roster(tmp_path / "roster.csv")
    assert roster.ok, roster.errors
    from_batch = job_output(roster.jobs[0])
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--program", "mine.yaml", "--patient", "Zoe", "--date", "2026-11-25",
                                      *FAST])
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in (tmp_path / "output").iterdir()] == [from_batch] == ["zoe-mine-2026-11-25.pdf"]
