"""The bad-input catalogue, continued: outputs. Nothing is written over what is not ours (a
device, a FIFO, a socket, a folder, an input of the same run), file names hold on every disk,
and nothing we write or print can attack its reader (a spreadsheet formula in the CSV report,
a terminal escape sequence in a message).

Each case asserts the exit code, the message, and that nothing was written or replaced.
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import stat
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from handout import HandoutRequest
from handout.cli import cli
from handout.export import Job, export_batch

from .test_bad_inputs import FAST, leftovers

ROSTER_HEAD = "patient,patient_id,program,date,output\n"


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def roster(folder: Path, *rows: str, name: str = "roster.csv") -> Path:
    path = folder / name
    path.write_text(ROSTER_HEAD + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def pdfs(folder: Path) -> list[str]:
    """The PDF files written under ``folder`` (regular files only: not the FIFO named t.pdf)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.pdf") if stat.S_ISREG(os.lstat(p).st_mode))


# --- nothing replaced that is not ours: the kinds of file a target may not be ----------------

def make_fifo(path: Path) -> str:
    os.mkfifo(path)
    return "a FIFO (named pipe)"


def make_folder(path: Path) -> str:
    path.mkdir()
    return "a folder"


def make_socket(path: Path) -> str:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    make_socket.keep.append(server)  # bound while the test runs
    return "a socket"


make_socket.keep = []


def make_device(path: Path) -> str:
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a copy of /dev/null, in the test's folder
    return "a character device"


NOT_A_FILE = [pytest.param(make_fifo, id="fifo"), pytest.param(make_socket, id="socket"),
              pytest.param(make_device, id="char-device")]
KIND = {stat.S_ISFIFO: "fifo", stat.S_ISSOCK: "socket", stat.S_ISCHR: "device", stat.S_ISDIR: "folder"}


def kind_of(path: Path) -> str:
    mode = os.lstat(path).st_mode
    return next(name for test, name in KIND.items() if test(mode))


TARGETS = {  # a command, and which of its outputs is the odd file
    "build --out": lambda d, t: ["build", "--program", "ir-desk-break", *FAST, "--out", t, "--force"],
    "build --save-plan": lambda d, t: ["build", "--program", "ir-desk-break", *FAST, "--out", d / "a.pdf",
                                       "--save-plan", t],
    "poster --out": lambda d, t: ["poster", "--program", "ir-desk-break", "--size", "a3", "--out", t],
    "poster --tile": lambda d, t: ["poster", "--program", "ir-desk-break", "--size", "a3", "--out", d / "p.pdf",
                                   "--tile", "a4"],
    "figures --out": lambda d, t: ["figures", "--out", t],
    "batch --report": lambda d, t: ["batch", roster(d, "Ann,P-1,ir-desk-break,2026-11-25,"), "--out-dir", d / "o",
                                    "--report", t],
}
TARGET_NAME = {"poster --tile": "p-tiled-a4.pdf", "batch --report": "t.json", "build --save-plan": "t.yaml"}


@pytest.mark.parametrize("command", list(TARGETS))
@pytest.mark.parametrize("make", NOT_A_FILE + [pytest.param(make_folder, id="folder")])
def test_no_output_is_written_over_a_device_fifo_socket_or_folder(command, make, tmp_path):
    target = tmp_path / TARGET_NAME.get(command, "t.pdf")
    kind = make(target)
    before = kind_of(target)
    result = run(*TARGETS[command](tmp_path, target))
    assert result.exit_code in (1, 2), result.output
    if result.exit_code == 1 or make is not make_folder:  # click itself may refuse a folder (exit 2)
        assert f"refusing to write {target}: it is {kind}" in result.stderr
    assert kind_of(target) == before  # still what it was
    assert pdfs(tmp_path) == [] and leftovers(tmp_path) == []
    assert "Traceback" not in result.output


@pytest.mark.parametrize("make", NOT_A_FILE + [pytest.param(make_folder, id="folder")])
def test_a_batch_row_whose_output_is_not_a_file_fails_alone(make, tmp_path):
    (tmp_path / "o").mkdir()
    kind = make(tmp_path / "o" / "odd.pdf")
    path = roster(tmp_path, "Ann,P-1,ir-desk-break,2026-11-25,odd.pdf", "Ben,P-2,ir-desk-break,2026-11-25,")
    result = run("batch", path, "--out-dir", tmp_path / "o", "--jobs", "1")
    assert result.exit_code == 1
    assert "row 2: output:" in result.stderr and ("is a folder" in result.stderr or kind in result.stderr)
    assert pdfs(tmp_path / "o") == ["p-2-ir-desk-break-2026-11-25.pdf"]
    report = json.loads((tmp_path / "o" / "batch-report.json").read_text())
    assert [r["status"] for r in report["rows"]] == ["failed", "written"]


# --- ... nor over an input of the same run -------------------------------------------------------

def test_the_report_never_replaces_the_roster(tmp_path):
    path = roster(tmp_path, "Ann,P-1,ir-desk-break,2026-11-25,")
    before = path.read_bytes()
    for spelled in (path, tmp_path / "." / "roster.csv", tmp_path / "o" / ".." / "roster.csv"):
        result = run("batch", path, "--out-dir", tmp_path / "o", "--report", spelled)
        assert result.exit_code == 2, result.output
        assert "--report" in result.stderr and "it is the roster" in result.stderr
        assert path.read_bytes() == before and pdfs(tmp_path) == []


def test_the_default_report_never_replaces_a_roster_in_the_output_folder(tmp_path):
    (tmp_path / "o").mkdir()
    path = roster(tmp_path / "o", "Ann,P-1,ir-desk-break,2026-11-25,", name="batch-report.csv")
    before = path.read_bytes()
    result = run("batch", path, "--out-dir", tmp_path / "o")
    assert result.exit_code == 1
    assert f"refusing to write {path}: it is the roster" in result.stderr
    assert path.read_bytes() == before and pdfs(tmp_path) == []


def test_the_manifest_never_replaces_the_roster(tmp_path):
    (tmp_path / "o").mkdir()
    rows = [{"patient": "Ann", "patient_id": "P-1", "program": "ir-desk-break", "date": "2026-11-25"}]
    path = tmp_path / "o" / ".handout-manifest.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    before = path.read_bytes()
    result = run("batch", path, "--out-dir", tmp_path / "o", "--report", tmp_path / "r.json")
    assert "the manifest was not saved" in result.stderr and "it is the roster" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("option, file", [("--clinic", "clinic.yaml"), ("--program", "program.yaml")])
def test_a_build_never_replaces_its_own_input(option, file, tmp_path):
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text("name: Test Clinic\n", encoding="utf-8")
    program = tmp_path / "program.yaml"
    program.write_text("id: mine\ntitle: Mine\naudience: Anyone\nwhy: Because.\nitems:\n  - exercise: seated-ir\n",
                       encoding="utf-8")
    target = tmp_path / file
    before = target.read_bytes()
    for command in (["build", *FAST, "--force"], ["poster", "--size", "a3"]):
        result = run(*command, "--program", program, "--clinic", clinic, "--out", target)
        assert result.exit_code == 1, result.output
        assert f"refusing to write {target}: it is the" in result.stderr and "an input of this run" in result.stderr
        assert target.read_bytes() == before
    result = run("build", *FAST, "--program", program, option, target, "--out", tmp_path / "a.pdf",
                 "--save-plan", target)
    assert result.exit_code == 1 and "an input of this run" in result.stderr
    assert target.read_bytes() == before and pdfs(tmp_path) == []


# --- names that hold on every disk ---------------------------------------------------------------

def test_a_name_too_long_in_bytes_fails_only_its_row(tmp_path):
    long = "Д" * 130 + ".pdf"  # 134 characters, 264 bytes: under the character limit, over every disk's
    path = roster(tmp_path, f"Ann,P-1,ir-desk-break,2026-11-25,{long}", "Ben,P-2,ir-desk-break,2026-11-25,")
    result = run("batch", path, "--out-dir", tmp_path / "o", "--jobs", "1")
    assert result.exit_code == 1
    assert "row 2: output: name is too long for a file system (264 bytes in UTF-8; at most 255)" in result.stderr
    assert pdfs(tmp_path / "o") == ["p-2-ir-desk-break-2026-11-25.pdf"]
    statuses = [r["status"] for r in json.loads((tmp_path / "o" / "batch-report.json").read_text())["rows"]]
    assert statuses == ["failed", "written"]


def test_a_name_too_long_from_the_api_fails_only_its_job(tmp_path):
    request = HandoutRequest(program="ir-desk-break", patient="Ann", article="none", log_weeks=0)
    jobs = [Job(1, "handout", request, "д" * 130 + ".pdf"), Job(2, "handout", request, "ok.pdf")]
    report = export_batch(jobs, tmp_path, workers=1)
    assert [r.status for r in report.rows] == ["failed", "written"]
    assert "too long for a file system" in report.rows[0].error
    assert pdfs(tmp_path) == ["ok.pdf"]


def test_names_equal_after_normalisation_or_case_never_share_a_file(tmp_path):
    nfc, nfd = "café.pdf", unicodedata.normalize("NFD", "café.pdf")
    path = roster(tmp_path, f"Ann,P-1,ir-desk-break,2026-11-25,{nfc}", f"Ben,P-2,ir-desk-break,2026-11-25,{nfd}",
                  "Cy,P-3,ir-desk-break,2026-11-25,CAFÉ.pdf")
    result = run("batch", path, "--out-dir", tmp_path / "o", "--jobs", "1")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "o").glob("*.pdf"))
    assert names == ["CAFÉ-3.pdf", "café-2.pdf", "café.pdf"]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


@pytest.mark.parametrize("name", ["aux.pdf", "CON.pdf", "con", "Com1.pdf", "lpt9.pdf", "nul.tar.pdf",
                                  "sub/prn.pdf", "trailing-dot..pdf."])
def test_windows_device_names_are_refused_naming_the_row(name, tmp_path):
    path = roster(tmp_path, f"Ann,P-1,ir-desk-break,2026-11-25,{name}", "Ben,P-2,ir-desk-break,2026-11-25,")
    result = run("batch", path, "--out-dir", tmp_path / "o", "--jobs", "1")
    assert result.exit_code == 1
    assert "row 2: output:" in result.stderr
    assert "Windows" in result.stderr or "must end in .pdf" in result.stderr
    assert pdfs(tmp_path / "o") == ["p-2-ir-desk-break-2026-11-25.pdf"]


# --- output that cannot attack its reader: the CSV report --------------------------------------

FORMULAS = ["=1+1", "+1+1", "-1+cmd|' /C calc'!A0", "@SUM(A1)", "=HYPERLINK(\"http://x\")", "-2"]


def test_report_cells_a_spreadsheet_could_run_are_escaped(tmp_path):
    rows = [f'Ann,"{p.replace(chr(34), chr(34) * 2)}",ir-desk-break,2026-11-25,' for p in FORMULAS]
    rows.append("Ben,=bad,ir-desk-break,2026-02-30,")  # a failed row: its error cell too
    path = roster(tmp_path, *rows)
    result = run("batch", path, "--out-dir", tmp_path / "o", "--jobs", "1", "--report", tmp_path / "r.csv")
    assert result.exit_code == 1
    table = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8-sig"))))
    ids = [r["patient_id"] for r in table]
    assert ids == ["'" + p for p in FORMULAS + ["=bad"]]
    for record in table:
        for column in ("patient_id", "output", "error"):
            assert not record[column].startswith(("=", "+", "-", "@", "\t", "\r")), record


# --- ... and the terminal: control and escape characters are shown, never sent ----------------

OSC_TITLE = "\x1b]0;pwned\x07"
OSC_CLIPBOARD = "\x1b]52;c;Y2FsYw==\x07"


def assert_shown_not_sent(text: str, *pieces: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x00" not in text and "\x9b" not in text
    for piece in pieces:
        assert piece in text, f"{piece!r} not in {text!r}"


def test_roster_cells_with_escape_sequences_are_shown_not_run(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("patient,program,date,exercises,kind\n"
                    f"Ann,{OSC_CLIPBOARD},{OSC_TITLE},,\n"
                    f"Ben,ir-desk-break,,,\x9b31m\n", encoding="utf-8")
    result = run("batch", path, "--out-dir", tmp_path / "o", "--jobs", "1")
    assert result.exit_code == 1
    assert_shown_not_sent(result.stderr, "row 2: date:", r"\x1b]0;pwned\x07", "row 2: program:", r"\x1b]52;c;Y2FsYw==\x07",
                          r"row 3: kind:", r"\x9b31m")
    report = (tmp_path / "o" / "batch-report.json").read_text()
    assert "\x1b" not in json.loads(report)["rows"][0]["error"]


def test_a_nul_in_a_json_roster_is_shown_not_sent(tmp_path):
    path = tmp_path / "roster.json"
    path.write_text(json.dumps([{"patient": "Ann", "program": "ir-desk-break", "date": "a\x00\x1b[2J"}]))
    result = run("batch", path, "--out-dir", tmp_path / "o")
    assert result.exit_code == 1
    assert_shown_not_sent(result.stderr, "row 1: date:", r"a\x00\x1b[2J")


@pytest.mark.parametrize("args, pieces", [
    (["build", "--page-size", OSC_TITLE], ["--page-size", r"\x1b]0;pwned\x07"]),
    (["build", "--program", OSC_CLIPBOARD], ["--program", r"\x1b]52;c;Y2FsYw==\x07"]),
    (["build", "--exercise", f"seated-ir:{OSC_TITLE}"], ["--exercise", r"\x1b]0;pwned\x07"]),
    (["build", "--program", "ir-desk-break", "--patient", f"Ann{OSC_TITLE}"], ["--patient", "U+001B"]),
    (["poster", "--program", "ir-desk-break", "--size", OSC_CLIPBOARD], ["--size", r"\x1b]52;c;Y2FsYw==\x07"]),
    (["batch", "nowhere.csv", "--date-format", OSC_TITLE], ["--date-format", r"\x1b]0;pwned\x07"]),
])
def test_option_values_with_escape_sequences_are_shown_not_run(args, pieces, tmp_path):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert_shown_not_sent(result.stderr, *pieces)


def test_a_path_with_escape_sequences_is_shown_not_run(tmp_path):
    target = tmp_path / f"a{OSC_TITLE}.pdf"
    result = run("build", "--program", "ir-desk-break", *FAST, "--out", target)
    assert result.exit_code == 0, result.output
    assert_shown_not_sent(result.stdout, r"a\x1b]0;pwned\x07.pdf")
    assert target.is_file()


@pytest.mark.parametrize("make", [pytest.param(make_fifo, id="fifo"), pytest.param(make_folder, id="folder")])
def test_a_journal_that_is_not_a_file_neither_blocks_nor_is_written(make, tmp_path):
    """The manifest's journal is appended to as rows finish: a FIFO in its place would block
    the batch for ever; it is passed over, and the manifest is still saved at the end."""
    (tmp_path / "o").mkdir()
    make(tmp_path / "o" / ".handout-manifest.journal")
    path = roster(tmp_path, "Ann,P-1,ir-desk-break,2026-11-25,")
    result = run("batch", path, "--out-dir", tmp_path / "o", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert pdfs(tmp_path / "o") == ["p-1-ir-desk-break-2026-11-25.pdf"]
    assert "p-1-ir-desk-break-2026-11-25.pdf" in (tmp_path / "o" / ".handout-manifest.json").read_text()


def test_check_shows_escape_sequences_in_content_messages(tmp_path):
    folder = tmp_path / "content" / "programs"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text('id: mine\ntitle: My program\naudience: Anyone\nwhy: Because.\n'
                                      'items:\n  - exercise: "seated-ir\\e]0;pwned\\a"\n', encoding="utf-8")
    result = run("check", "--content", tmp_path / "content")
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert r'items[0].exercise: must use only lowercase letters' in result.output
    assert r'got "seated-ir\x1b]0;pwned\x07"' in result.output
