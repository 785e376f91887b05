"""Reading rosters: formats, row checks with row numbers and columns, file-level errors, scale.

Nothing here builds a PDF."""

from __future__ import annotations

import csv
import datetime as dt
import json
import tracemalloc

import openpyxl
import pytest

from handout import read_roster
from handout.errors import ContentError
from handout.export.roster_files import COLUMNS

from ..conftest import REPO

HEADER = ["patient", "patient_id", "program", "clinician", "date", "page_size", "large_print", "exercises",
          "kind", "output"]
GOOD_ROWS = [
    ["Zoë Ünal", "", "ir-mobility", "", "2026-11-25", "", "", "", "", ""],
    ["O'Brien & <Sons>", "P-0002", "ir-strength", "Sam Rivera", "2026-11-25", "A4", "yes", "", "handout", ""],
    ["Mary Smith", "P-0003", "ir-mobility", "", "2026-11-25", "letter", "0", "seated-ir:2x10; prone-ir", "", ""],
    ["Zoë Ünal", "", "ir-mobility", "", "2026-11-25", "", "", "", "", ""],
    ["Lobby", "", "ir-desk-break", "", "", "a1", "", "", "poster", "lobby.pdf"],
]


def write_csv(path, rows, header=HEADER, encoding="utf-8", delimiter=","):
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        cells = list(row)
        if cells[4]:
            cells[4] = dt.datetime.fromisoformat(cells[4])  # Excel keeps dates as dates
        if cells[1].startswith("P-"):
            cells[1] = cells[1]
        sheet.append([c if c != "" else None for c in cells])
    book.save(path)
    return path


def messages(roster) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for error in roster.errors:
        out.setdefault(error.row, []).append(f"{error.column}: {error.message}")
    return out


def test_the_bundled_example_roster_reads_cleanly():
    roster = read_roster(REPO / "content" / "roster.example.csv")
    assert roster.ok and roster.rows == 6 and len(roster.jobs) == 6
    jobs = list(roster.jobs)
    assert [j.row for j in jobs] == [2, 3, 4, 5, 6, 7]
    assert jobs[0].output == "p-0001-ir-mobility-2026-11-25.pdf"
    assert jobs[0].request.page_size == "a4" and jobs[0].request.patient == "Zoë Ünal"
    assert jobs[5].request.large_print and jobs[5].output.endswith("-large.pdf")
    assert [p.id for p in jobs[4].request.exercises] == ["seated-ir", "prone-ir"]
    assert jobs[4].output.startswith("dmitrii-ivanov-")  # a Cyrillic name, in Latin letters


def test_good_rows_become_jobs_with_unique_safe_names(tmp_path):
    roster = read_roster(write_csv(tmp_path / "r.csv", GOOD_ROWS))
    assert roster.ok, roster.errors
    jobs = list(roster.jobs)
    assert [j.output for j in jobs] == [
        "zoe-unal-ir-mobility-2026-11-25.pdf",
        "p-0002-ir-strength-2026-11-25-large.pdf",
        "p-0003-ir-mobility-2026-11-25.pdf",
        "zoe-unal-ir-mobility-2026-11-25-2.pdf",
        "lobby.pdf",
    ]
    assert jobs[1].request.page_size == "a4" and jobs[1].request.clinician == "Sam Rivera"
    assert jobs[2].request.exercises[0].dose.sets == 2 and jobs[2].request.exercises[0].dose.reps == 10
    assert jobs[4].kind == "poster" and jobs[4].request.size == "a1"


BAD_ROWS = [
    ["Sam Lee", "S-1", "ir-mobilty", "", "2026-11-25", "", "", "", "", ""],
    ["", "S-2", "ir-mobility", "", "2026-11-25", "", "", "", "", ""],
    ["Ana Costa", "S-3", "ir-mobility", "", "2026-11-25", "b5", "", "", "", ""],
    ["Ben Ode", "S-4", "ir-mobility", "", "2026-11-25", "", "", "seated-ir:2x10; sated-ir", "", ""],
    ["Eve Sly", "S-5", "ir-mobility", "", "2026-11-25", "", "", "", "", "../escape.pdf"],
    ["Dan Abs", "S-6", "ir-mobility", "", "2026-11-25", "", "", "", "", "/tmp/abs.pdf"],
    ["Cy Date", "S-7", "ir-mobility", "", "2026-02-30", "", "maybe", "", "", ""],
    ["Kay Kind", "S-8", "ir-mobility", "", "", "", "", "", "flyer", ""],
    ["Sam 😀", "S-9", "ir-mobility", "", "", "", "", "", "", ""],
    ["Pat Post", "S-10", "ir-mobility", "Dr Who", "", "a4", "", "", "poster", ""],
]


def test_each_bad_row_is_reported_with_its_row_column_and_reason(tmp_path):
    roster = read_roster(write_csv(tmp_path / "r.csv", GOOD_ROWS[:1] + BAD_ROWS))
    assert [j.row for j in roster.jobs] == [2]
    found = messages(roster)
    assert found[3] == ['program: unknown program "ir-mobilty"; did you mean ir-mobility?']
    assert found[4] == ["patient: is required (the name printed on the handout)"]
    assert found[5] == ['page_size: "b5" is not a handout page size; choose letter or a4']
    assert found[6][0].startswith('exercises: unknown exercise "sated-ir"; did you mean seated-ir')
    assert "leave the output folder" in found[7][0]
    assert "absolute path" in found[8][0]
    assert found[9] == ['date: must be a real date written YYYY-MM-DD, got "2026-02-30"',
                        'large_print: must be true or false (or yes/no, 1/0), got "maybe"']
    assert found[10] == ['kind: must be handout or poster, got "flyer"']
    assert found[11][0].startswith("patient: the character '😀' (U+1F600) cannot be printed")
    assert sorted(found[12]) == ['clinician: applies to handouts only; leave it empty on a poster row',
                                 'page_size: "a4" is not a poster size; choose a3, a2, a1, a0, 18x24in, 24x36in']
    assert [e.patient_id for e in roster.errors if e.row == 3] == ["S-1"]
    assert "Sam" not in " ".join(str(e) for e in roster.errors)  # names never go into messages


def test_csv_xlsx_yaml_and_json_of_the_same_rows_give_the_same_jobs(tmp_path):
    from_csv = read_roster(write_csv(tmp_path / "r.csv", GOOD_ROWS + BAD_ROWS[:2]))
    from_xlsx = read_roster(write_xlsx(tmp_path / "r.xlsx", GOOD_ROWS + BAD_ROWS[:2]))
    assert list(from_csv.jobs) == list(from_xlsx.jobs)
    assert from_csv.errors == from_xlsx.errors
    mappings = [dict(zip(HEADER, row)) for row in GOOD_ROWS]
    (tmp_path / "r.json").write_text(json.dumps(mappings, ensure_ascii=False), encoding="utf-8")
    yaml_text = "".join("- " + "\n  ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in m.items()) + "\n"
                        for m in mappings)
    (tmp_path / "r.yaml").write_text(yaml_text, encoding="utf-8")
    for name in ("r.json", "r.yaml"):
        other = read_roster(tmp_path / name)
        assert [j.request for j in other.jobs] == [j.request for j in from_csv.jobs][:5]
        assert [j.row for j in other.jobs] == [1, 2, 3, 4, 5]  # item numbers, not spreadsheet rows


def test_excel_bom_and_semicolon_csv_read_the_same(tmp_path):
    plain = read_roster(write_csv(tmp_path / "a.csv", GOOD_ROWS))
    bom = read_roster(write_csv(tmp_path / "b.csv", GOOD_ROWS, encoding="utf-8-sig"))
    semi = read_roster(write_csv(tmp_path / "c.csv", GOOD_ROWS, delimiter=";"))
    assert list(plain.jobs) == list(bom.jobs) == list(semi.jobs)


def test_an_unknown_column_names_it_and_suggests_the_right_one(tmp_path):
    path = write_csv(tmp_path / "r.csv", GOOD_ROWS[:1], header=["pateint"] + HEADER[1:])
    with pytest.raises(ContentError) as info:
        read_roster(path)
    assert str(info.value) == f'{path}:1: unknown column "pateint"; did you mean patient?'


def test_headers_are_forgiving_about_case_and_spaces(tmp_path):
    header = [h.replace("_", " ").title() for h in HEADER]  # "Patient Id", "Large Print"
    assert read_roster(write_csv(tmp_path / "r.csv", GOOD_ROWS, header=header)).ok


@pytest.mark.parametrize("content, expected", [
    (b"", "the file is empty"),
    (b"\xef\xbb\xbf\r\n", "the file is empty"),
    (b"patient,program\n", "has a header but no rows"),
    (b"\x00\x01\x02binary\xff" * 50, "not a text file"),
    (b"PK\x03\x04rest-of-a-zip", "give it the .xlsx extension"),
    (b'patient,program\n"Zo\xc3\xab,ir-mobility\n', "ends inside a quoted cell (row 2); is the file cut short?"),
    # neither UTF-8 nor clean Windows-1252 (0x81 is no character in it): the row of the byte is named
    (b"patient,program\nAnn,ir-mobility\nZo\x81,ir-mobility\n", "is not UTF-8 text (row 3: byte 0x81)"),
])
def test_an_unreadable_csv_is_one_clear_error_naming_the_file(tmp_path, content, expected):
    path = tmp_path / "roster.csv"
    path.write_bytes(content)
    with pytest.raises(ContentError) as info:
        read_roster(path)
    assert str(path) in str(info.value) and expected in str(info.value)
    assert len(info.value.issues) == 1


def test_a_cut_short_workbook_or_json_is_one_clear_error(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", GOOD_ROWS)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ContentError) as info:
        read_roster(cut)
    assert str(cut) in str(info.value) and "cut short or damaged" in str(info.value)
    half = tmp_path / "cut.json"
    half.write_text('[{"patient": "A", "program": "ir-mob', encoding="utf-8")
    with pytest.raises(ContentError) as info:
        read_roster(half)
    assert str(half) in str(info.value) and "is the file cut short?" in str(info.value)


def test_a_short_or_long_row_is_a_row_error_not_a_silent_default(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("patient,program,date\nAna,ir-mobility\nBen,ir-mobility,2026-11-25,extra\n", encoding="utf-8")
    found = messages(read_roster(path))
    assert "is the row cut short?" in found[2][0]
    assert "has 4 cells but the header has 3" in found[3][0]


def test_a_program_file_is_found_beside_the_roster(tmp_path):
    (tmp_path / "mine.yaml").write_text((REPO / "content" / "programs" / "ir-desk-break.yaml").read_text()
                                        .replace("id: ir-desk-break", "id: mine"), encoding="utf-8")
    roster = read_roster(write_csv(tmp_path / "r.csv", [["Ana", "", "mine.yaml"] + [""] * 7,
                                                          ["Ben", "", "missing.yaml"] + [""] * 7]))
    assert roster.jobs[0].request.program == str(tmp_path / "mine.yaml")
    assert roster.jobs[0].output.startswith("ana-mine-")
    assert messages(roster)[3][0].startswith("program: no program file missing.yaml")


def test_columns_match_the_design():
    poster = ("landscape", "fit", "viewing_distance")
    assert COLUMNS == tuple(HEADER[:1] + ["program", "patient_id"] + HEADER[3:]) + poster + ("language",)


def big_roster(path, rows: int, bad_every: int = 0):
    """``rows`` rows of every kind of cell; with ``bad_every``, that often a date that does not exist."""
    programs = ("ir-mobility", "ir-strength", "ir-desk-break", "ir-advanced")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            date = "2026-02-30" if bad_every and n % bad_every == bad_every - 1 else "2026-11-25"
            writer.writerow([f"Patient Zoë {n}", f"P-{n:06d}", programs[n % 4], "Sam Rivera" if n % 3 else "",
                             date, "a4" if n % 2 else "", "yes" if n % 7 == 0 else "",
                             "seated-ir:2x10; prone-ir" if n % 5 == 0 else "", "", ""])
    return path


@pytest.mark.slow
def test_a_100000_row_roster_is_checked_row_by_row(tmp_path):
    """Every row checked, each bad one reported with its own row number; how fast is in
    benchmarks/roster_check.py."""
    rows = 100_000
    roster = read_roster(big_roster(tmp_path / "big.csv", rows, bad_every=10))
    assert roster.rows == rows and len(roster.jobs) == rows * 9 // 10
    assert len(roster.errors) == rows // 10 and {e.column for e in roster.errors} == {"date"}
    assert [e.row for e in roster.errors[:2]] == [11, 21] and roster.errors[-1].row == rows + 1
    assert roster.jobs[-1].row == rows and roster.jobs[-1].request.patient == f"Patient Zoë {rows - 2}"
    assert len({j.output for j in roster.jobs[:1000]}) == 1000


@pytest.mark.slow
def test_validation_memory_stays_small_per_row(tmp_path):
    path = big_roster(tmp_path / "mid.csv", 20_000)
    read_roster(REPO / "content" / "roster.example.csv")
    tracemalloc.start()
    try:
        roster = read_roster(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    print(f"peak {peak / 1e6:.1f} MB for 20,000 rows ({peak / 20_000:.0f} bytes a row)")
    assert len(roster.jobs) == 20_000
    assert peak / 20_000 < 1000  # a full request would be about 1,500 bytes a row
