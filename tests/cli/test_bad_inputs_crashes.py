"""The bad-input catalogue, continued: inputs that once crashed with "internal error" (or let
a library speak for us) are each one clear message naming the file, row and column, or
option; each case asserts the exit code, the message, and that nothing was written.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from handout.cli import cli

from .test_bad_inputs import BOMB_MB, SEATED_IR, Case, case, check_case, names_a_place

ROOT = Path(__file__).resolve().parents[2]
B = ("batch", "{in}/roster.csv")
J = ("batch", "{in}/roster.json")
T = ("build", "--program", "ir-desk-break", "--templates", "{in}/tpl")
HEAD = "patient,program,date\n"


def png_with_a_broken_stream() -> bytes:
    """A PNG whose every chunk checksum is right, but whose pixel stream stops halfway."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    width, height = 400, 300
    raw = b"".join(b"\0" + bytes(range(256)) * 4 + bytes(width * 3 - 1024) for _ in range(height))
    stream = zlib.compress(raw)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", stream[: len(stream) // 2])
            + chunk(b"IEND", b""))


def with_image(name: str) -> str:
    return SEATED_IR[: SEATED_IR.index("figure:")] + f"image: {name}\n"


def page_breaks(count: int, before: str = "") -> str:
    return "<document title='x'>" + before + "<page-break/>" * count + "</document>"


CRASHES = [
    # dates past the calendar's end once overflowed adding the log's weeks
    case("date-9999-12-31", ("build", "--program", "ir-desk-break", "--date", "9999-12-31"), 2,
         ["--date: must be from 1900-01-01 to 2999-12-31, got 9999-12-31"]),
    case("roster-date-9999-12-31", B, 1, ["{in}/roster.csv row 2: date: must be from 1900-01-01 to 2999-12-31"],
         {"roster.csv": HEAD + "Ann,ir-desk-break,9999-12-31\n"}),
    case("roster-date-year-1", B, 1, ["{in}/roster.csv row 2: date: must be from 1900-01-01"],
         {"roster.csv": HEAD + "Ann,ir-desk-break,0001-01-01\n"}),
    # a JSON roster nested 100,000 deep once hit Python's recursion limit
    case("roster-json-nested-100000-deep", J, 1, ["{in}/roster.json:", "is nested too deep to be a roster"],
         {"roster.json": "[" * 100_000 + "]" * 100_000}, peak_mb=BOMB_MB),
    case("roster-json-cell-nested-deep", J, 1, ["{in}/roster.json row 1: program:"],
         {"roster.json": '[{"patient": "Ann", "program": ' + "[" * 900 + "]" * 900 + "}]"}),
    # an exercise PNG with right checksums over a stream cut short: decoded in full, like logos
    case("exercise-png-broken-stream", ("build", "--exercise", "seated-ir", "--content", "{in}/content"), 1,
         ['exercise seated-ir: image "pic.png"', "not a readable picture"],
         {"content/exercises/seated-ir.yaml": with_image("pic.png"),
          "content/exercises/pic.png": png_with_a_broken_stream}),
    # 10,000 unknown columns: the first 20 named, the rest counted
    case("roster-10000-unknown-columns", B, 1, ["{in}/roster.csv:1:", 'unknown column "x0"',
                                                "... and 9,980 more unknown columns"],
         {"roster.csv": "patient,program," + ",".join(f"x{i}" for i in range(10_000)) + "\nAnn,ir-desk-break\n"}),
    case("roster-json-10000-unknown-keys", J, 1, ["{in}/roster.json:", "... and 9,980 more"],
         {"roster.json": '[{"patient": "Ann", "program": "ir-desk-break", '
                         + ", ".join(f'"x{i}": 1' for i in range(10_000)) + "}]"}),
    # page breaks: ours, before layout, not ReportLab's "More than 10 pages generated without content"
    case("template-9990-page-breaks", T, 1, ["handout.xml.j2 (rendered markup):1:", "more than 100 <page-break/>s"],
         {"tpl/handout.xml.j2": page_breaks(9_990)}),
    case("template-empty-pages-in-a-row", T, 1, ["handout.xml.j2 (rendered markup):1: <page-break>:",
                                                 "page after page with nothing on them"],
         {"tpl/handout.xml.j2": page_breaks(50, "<p>a</p>")}),
]


@pytest.mark.parametrize("c", CRASHES)
def test_input_that_once_crashed_is_a_clear_error(c: Case, tmp_path):
    check_case(c, tmp_path)


def test_every_crash_case_names_the_place():
    assert [p.values[0].id for p in CRASHES if not names_a_place(p.values[0])] == []


def test_unknown_columns_are_a_short_message(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("patient,program," + ",".join(f"column-{i}" for i in range(10_000)) + "\nAnn,ir-desk-break\n",
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["batch", str(path), "--out-dir", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr.count('unknown column "') == 20 and len(result.stderr) < 6_000  # was 1.8 MB


def test_a_malformed_source_date_epoch_is_bad_usage(tmp_path):
    result = CliRunner(env={"SOURCE_DATE_EPOCH": "yesterday"}).invoke(
        cli, ["build", "--program", "ir-desk-break", "--out", str(tmp_path / "a.pdf")])
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH must be whole seconds since 1970, got 'yesterday'" in result.stderr
    assert not (tmp_path / "a.pdf").exists()


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "handout", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env}, timeout=300)


def test_svglib_log_lines_never_reach_the_terminal(tmp_path):
    folder = tmp_path / "content" / "exercises"
    folder.mkdir(parents=True)
    (folder / "seated-ir.yaml").write_text(with_image("pic.svg"), encoding="utf-8")
    (folder / "pic.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                                    '<rect width="5" height="5" style="fill:nonsense"/></svg>', encoding="utf-8")
    done = _run(["build", "--exercise", "seated-ir:days=7", "--content", str(tmp_path / "content"), "--article", "none",
                 "--out", str(tmp_path / "a.pdf")], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # svglib said "Can't handle color: nonsense" here, twice
    assert (tmp_path / "a.pdf").is_file()


@pytest.mark.slow
def test_a_long_tmpdir_still_runs_a_batch(tmp_path):
    """The forkserver's socket under a 150-byte TMPDIR is past AF_UNIX's 108: workers start with spawn."""
    tmp = tmp_path / ("t" * (150 - len(str(tmp_path))))
    tmp.mkdir()
    (tmp_path / "roster.csv").write_text("patient,patient_id,program,date\nAnn,P-1,ir-desk-break,2026-11-25\n"
                                         "Ben,P-2,ir-desk-break,2026-11-25\n", encoding="utf-8")
    done = _run(["batch", "roster.csv", "--out-dir", "o", "--jobs", "2"], tmp_path, TMPDIR=str(tmp))
    assert done.returncode == 0, done.stderr
    assert "batch: 2 written" in done.stdout and "AF_UNIX" not in done.stderr
    assert sorted(p.name for p in (tmp_path / "o").glob("*.pdf")) == [
        "p-1-ir-desk-break-2026-11-25.pdf", "p-2-ir-desk-break-2026-11-25.pdf"]
