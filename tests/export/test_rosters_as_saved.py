"""Rosters as people save them: Excel's Windows code page, day-first dates, a workbook with
a hidden sheet, a JSON file with a key twice; and a Dask scheduler nobody works for.

Each case runs the real command and asserts the exit code, the message (the row and the
byte, the sheet read and those not), and what was written.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from handout.cli import cli
from handout.export.roster import read_roster

from ..conftest import pdf_text

HEAD = "patient,patient_id,program,date\n"


def run(*args) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args])


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.pdf")) if folder.exists() else []


# --- encodings --------------------------------------------------------------------------------

def test_a_windows_csv_is_read_as_cp1252_with_a_warning(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes((HEAD + "Zoë Ünal,P-1,ir-desk-break,2026-11-25\nJosé Núñez,P-2,ir-desk-break,2026-11-25\n")
                     .encode("cp1252"))
    result = run("batch", path, "--out-dir", tmp_path / "o", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert f"warning: {path}: is not UTF-8; read it as Windows-1252 (cp1252)" in result.stderr
    text = pdf_text((tmp_path / "o" / "p-1-ir-desk-break-2026-11-25.pdf").read_bytes())
    assert "Zoë Ünal" in text and "Ã" not in text


def test_encoding_said_is_read_without_a_warning(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes((HEAD + "Zoë,P-1,ir-desk-break,2026-11-25\n").encode("cp1252"))
    roster = read_roster(path, encoding="cp1252")
    assert roster.warnings == () and roster.jobs[0].request.patient == "Zoë"
    assert read_roster(path, encoding="latin-1").jobs[0].request.patient == "Zoë"


def test_utf8_with_and_without_bom_needs_no_warning(tmp_path):
    for bom in (b"", b"\xef\xbb\xbf"):
        path = tmp_path / "roster.csv"
        path.write_bytes(bom + (HEAD + "Zoë,P-1,ir-desk-break,2026-11-25\n").encode("utf-8"))
        roster = read_roster(path)
        assert roster.warnings == () and roster.jobs[0].request.patient == "Zoë"


@pytest.mark.parametrize("bad_row", [2, 4, 7])
def test_a_bad_byte_is_named_at_its_own_row(bad_row, tmp_path):
    """0x81 is no character in UTF-8 or Windows-1252: the message names the byte and its row
    (it said "near row 1", wherever the byte was). A quoted cell over two lines counts once."""
    rows = [f"Ann {n},P-{n},ir-desk-break,2026-11-25" for n in range(2, 9)]
    rows[0] = '"Ann\nSmith",P-2,ir-desk-break,2026-11-25'
    lines = [r.encode() for r in rows]
    lines[bad_row - 2] = lines[bad_row - 2].replace(b"Ann", b"A\x81n")
    path = tmp_path / "roster.csv"
    path.write_bytes(HEAD.encode() + b"\n".join(lines) + b"\n")
    result = run("batch", path, "--out-dir", tmp_path / "o")
    assert result.exit_code == 1
    assert f"{path}: is not UTF-8 text (row {bad_row}: byte 0x81)" in result.stderr and "--encoding" in result.stderr
    assert names(tmp_path / "o") == []


def test_an_unknown_encoding_is_bad_usage(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(HEAD + "Ann,P-1,ir-desk-break,2026-11-25\n", encoding="utf-8")
    for name in ("klingon", "rot13"):
        result = run("batch", path, "--out-dir", tmp_path / "o", "--encoding", name)
        assert result.exit_code == 2 and "--encoding:" in result.stderr and name in result.stderr
    assert names(tmp_path / "o") == []


# --- dates ------------------------------------------------------------------------------------

def test_day_first_dates_only_when_the_roster_says_so(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(HEAD + "Ann,P-1,ir-desk-break,25/11/2026\nBen,P-2,ir-desk-break,03/04/2026\n"
                    "Cy,P-3,ir-desk-break,2026-11-26\n", encoding="utf-8")
    result = run("batch", path, "--out-dir", tmp_path / "guess", "--jobs", "1")
    assert result.exit_code == 1
    assert 'row 2: date: must be a real date written YYYY-MM-DD, got "25/11/2026" (for dates like' in result.stderr
    assert "--date-format DD/MM/YYYY" in result.stderr
    assert names(tmp_path / "guess") == ["p-3-ir-desk-break-2026-11-26.pdf"]  # 03/04 is never guessed either
    result = run("batch", path, "--out-dir", tmp_path / "o", "--jobs", "1", "--date-format", "DD/MM/YYYY")
    assert result.exit_code == 0, result.output
    assert names(tmp_path / "o") == ["p-1-ir-desk-break-2026-11-25.pdf", "p-2-ir-desk-break-2026-04-03.pdf",
                                     "p-3-ir-desk-break-2026-11-26.pdf"]


def test_a_date_not_in_the_format_said_names_the_format(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(HEAD + "Ann,P-1,ir-desk-break,31/02/2026\nBen,P-2,ir-desk-break,11/25/2026\n", encoding="utf-8")
    result = run("batch", path, "--out-dir", tmp_path / "o", "--date-format", "dd/mm/yyyy")
    assert result.exit_code == 1
    assert 'row 2: date: must be a real date written DD/MM/YYYY (or YYYY-MM-DD), got "31/02/2026"' in result.stderr
    assert 'row 3: date: must be a real date written DD/MM/YYYY (or YYYY-MM-DD), got "11/25/2026"' in result.stderr
    assert names(tmp_path / "o") == []
    result = run("batch", path, "--out-dir", tmp_path / "o", "--date-format", "YY/MM/DD")
    assert result.exit_code == 2 and "--date-format" in result.stderr


# --- workbooks ---------------------------------------------------------------------------------

def workbook(path: Path, sheets: list[tuple[str, str, list[list]]], active: int) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, state, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    book.active = active
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


ROWS = [["patient", "patient_id", "program", "date"]]


def test_the_visible_active_sheet_is_read_and_the_others_named(tmp_path):
    path = workbook(tmp_path / "roster.xlsx", [
        ("Old", "hidden", ROWS + [["Old Patient", "OLD", "ir-desk-break", "2026-11-25"]]),
        ("Patients", "visible", ROWS + [["Ann", "P-1", "ir-desk-break", "2026-11-25"]]),
        ("Notes", "visible", [["nothing here"]]),
    ], active=1)
    result = run("batch", path, "--out-dir", tmp_path / "o")
    assert result.exit_code == 0, result.output
    assert f'warning: {path}: read the sheet "Patients"; not read: "Old", "Notes"' in result.stderr
    assert names(tmp_path / "o") == ["p-1-ir-desk-break-2026-11-25.pdf"]


def test_a_hidden_active_sheet_gives_way_to_the_first_visible_one(tmp_path):
    path = workbook(tmp_path / "roster.xlsx", [
        ("Notes", "visible", ROWS + [["Ann", "P-1", "ir-desk-break", "2026-11-25"]]),
        ("Old", "visible", ROWS + [["Old Patient", "OLD", "ir-desk-break", "2026-11-25"]]),
    ], active=1)
    import openpyxl

    book = openpyxl.load_workbook(path)
    book["Old"].sheet_state = "hidden"
    book.save(path)
    roster = read_roster(path)
    assert [j.patient_id for j in roster.jobs] == ["P-1"]
    assert roster.warnings == (f'{path}: read the sheet "Notes"; not read: "Old"',)


# --- JSON -------------------------------------------------------------------------------------

def test_a_json_key_given_twice_is_refused_like_yamls(tmp_path):
    path = tmp_path / "roster.json"
    path.write_text('[{"patient": "Ann", "program": "ir-desk-break"},\n'
                    ' {"patient": "Ben", "program": "ir-desk-break", "patient": "Someone Else"}]\n', encoding="utf-8")
    result = run("batch", path, "--out-dir", tmp_path / "o")
    assert result.exit_code == 1
    assert f"{path}: row 2: duplicate key 'patient' (JSON would keep only the last); remove one" in result.stderr
    assert names(tmp_path / "o") == []
    yaml_path = tmp_path / "roster.yaml"
    yaml_path.write_text("- patient: Ann\n  program: ir-desk-break\n  patient: Ben\n", encoding="utf-8")
    result = run("batch", yaml_path, "--out-dir", tmp_path / "o")
    assert result.exit_code == 1 and "duplicate key 'patient'" in result.stderr


# --- a Dask scheduler with no workers -----------------------------------------------------------

@pytest.mark.slow
def test_a_scheduler_without_workers_fails_every_row_after_the_timeout(tmp_path):
    distributed = pytest.importorskip("distributed")
    path = tmp_path / "roster.csv"
    path.write_text(HEAD + "Ann,P-1,ir-desk-break,2026-11-25\nBen,P-2,ir-desk-break,2026-11-25\n", encoding="utf-8")
    with distributed.LocalCluster(n_workers=0, processes=False, protocol="tcp", dashboard_address=None) as cluster:
        result = run("batch", path, "--out-dir", tmp_path / "o", "--scheduler", cluster.scheduler_address,
                     "--scheduler-timeout", "2")
    assert result.exit_code == 1, result.output
    assert "no Dask worker joined the scheduler at tcp://" in result.stderr and "within 2 s" in result.stderr
    report = json.loads((tmp_path / "o" / "batch-report.json").read_text())
    assert [r["status"] for r in report["rows"]] == ["failed", "failed"]
    assert all("--scheduler-timeout" in r["error"] for r in report["rows"])
    assert names(tmp_path / "o") == []


def test_the_scheduler_timeout_has_a_range(tmp_path):
    result = run("batch", "roster.csv", "--scheduler", "tcp://127.0.0.1:1", "--scheduler-timeout", "0")
    assert result.exit_code == 2 and "--scheduler-timeout" in result.stderr


def test_a_utf8_file_with_one_stray_byte_is_not_taken_for_windows_text(tmp_path):
    """Read as Windows-1252, its UTF-8 "Zoë" would print "ZoÃ«": the error names the stray byte's row."""
    path = tmp_path / "roster.csv"
    path.write_bytes(HEAD.encode() + "Zoë,P-1,ir-desk-break,2026-11-25\n".encode()
                     + b"Ren\xe9,P-2,ir-desk-break,2026-11-25\n")
    result = run("batch", path, "--out-dir", tmp_path / "o")
    assert result.exit_code == 1
    assert "is not UTF-8 text (row 3: byte 0xe9)" in result.stderr and "warning" not in result.stderr
    assert names(tmp_path / "o") == []
