"""Issue 19, round two: a budget on every input. Each class of hostile input has its own
section; each case asserts the exit code or error, the message naming the place, and
that the refusal stays small (traced memory, steps or rows) - never seconds.
"""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from handout.cli import cli
from handout.errors import ContentError
from handout.model.library import load_library
from handout.model.yamlfile import read_text

FAST = ("--article", "none", "--log-weeks", "0", "--date", "2026-11-25")
SMALL_MB = 20.0


def traced_peak(fn):
    """Run ``fn``; return (its result or exception, the traced peak memory in MB)."""
    tracemalloc.start()
    try:
        try:
            out = fn()
        except Exception as exc:  # noqa: BLE001 - the caller checks which
            out = exc
        return out, tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


# --- 1. files: type and size before any byte is read ---------------------------------------

def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _huge(path: Path) -> None:
    with open(path, "wb") as handle:  # sparse: 3 GB claimed, no disk used
        handle.truncate(3_000_000_000)


HOSTILE_FILES = [pytest.param(_fifo, "not a regular file", id="fifo"),
                 pytest.param(_dev_zero, "not a regular file", id="dev-zero"),
                 pytest.param(_huge, "too large (3,000,000,000 bytes", id="3-GB")]


@pytest.mark.parametrize("make, message", HOSTILE_FILES)
def test_a_content_file_is_checked_by_type_and_size_before_reading(make, message, tmp_path):
    exercises = tmp_path / "content" / "exercises"
    exercises.mkdir(parents=True)
    make(exercises / "bad.yaml")
    error, peak = traced_peak(lambda: load_library((tmp_path / "content",)))
    assert isinstance(error, ContentError), error
    text = str(error)
    assert f"{exercises / 'bad.yaml'}" in text and message in text, text
    assert peak < SMALL_MB, f"{peak:.1f} MB to refuse"


@pytest.mark.parametrize("make, message", HOSTILE_FILES)
def test_read_text_reads_at_most_the_limit(make, message, tmp_path):
    make(tmp_path / "f.md")
    error, peak = traced_peak(lambda: read_text(tmp_path / "f.md", "Markdown", limit=1000))
    assert isinstance(error, ContentError) and message.split(" (")[0] in str(error)
    assert peak < SMALL_MB


def test_a_file_that_grows_past_the_limit_is_cut_at_limit_plus_one(tmp_path, monkeypatch):
    """The size is checked by fstat first, and the reads together never ask for more than limit + 1,
    a block of at most 1 MB at a time (one read of limit + 1 set the whole limit aside first)."""
    path = tmp_path / "f.yaml"
    path.write_text("a: 1\n" * 100)
    asked = []
    real_read = os.fdopen

    def spy(*args, **kwargs):
        handle = real_read(*args, **kwargs)
        original = handle.read
        handle_read = lambda n=-1: (asked.append(n), original(n))[1]  # noqa: E731
        return _Wrapped(handle, handle_read)

    monkeypatch.setattr(os, "fdopen", spy)
    assert read_text(path, limit=10_000).startswith("a: 1")
    assert asked == [10_001, 10_001 - 500]  # each read asks only for what is left of limit + 1; the second meets EOF
    assert read_text(path, limit=3_000_000).startswith("a: 1") and max(asked) == 1 << 20


class _Wrapped:
    def __init__(self, handle, read):
        self._handle, self.read = handle, read

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()


@pytest.mark.parametrize("make, message", HOSTILE_FILES)
def test_a_roster_that_is_not_a_regular_file_is_refused_before_reading(make, message, tmp_path):
    make(tmp_path / "roster.csv")
    result, peak = traced_peak(lambda: CliRunner().invoke(cli, ["batch", str(tmp_path / "roster.csv"),
                                                                "--out-dir", str(tmp_path / "out")]))
    assert result.exit_code == 1, result.output
    assert f"{tmp_path / 'roster.csv'}" in result.stderr and message.split(" (")[0] in result.stderr
    assert peak < SMALL_MB
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.parametrize("make, message", HOSTILE_FILES[:2])
def test_a_template_or_logo_that_is_not_a_regular_file_is_refused(make, message, tmp_path):
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    make(tpl / "handout.xml.j2")
    result = CliRunner().invoke(cli, ["build", "--program", "ir-desk-break", "--templates", str(tpl),
                                      "--out", str(tmp_path / "o.pdf"), *FAST])
    assert result.exit_code == 1, result.output
    assert "handout.xml.j2" in result.stderr and message in result.stderr, result.stderr
    make(tmp_path / "logo.png")
    (tmp_path / "clinic.yaml").write_text("name: Test clinic\nlogo: logo.png\n")
    result = CliRunner().invoke(cli, ["build", "--program", "ir-desk-break", "--clinic", str(tmp_path / "clinic.yaml"),
                                      "--out", str(tmp_path / "o.pdf"), *FAST])
    assert result.exit_code == 1, result.output
    # a link out of the content folders is not followed at all: it is "not found" there
    assert "logo.png" in result.stderr and (message in result.stderr or "not found" in result.stderr)
    assert not (tmp_path / "o.pdf").exists()


def test_libyaml_and_python_parsers_give_the_same_values_and_lines(monkeypatch):
    """The fast (libyaml) parser is used only because it keeps every line mark the errors need."""
    import yaml

    from handout.model import yamlfile
    from handout.paths import bundled

    assert yamlfile._fast_loader() is yaml.CSafeLoader
    for path in sorted(bundled("content").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        fast = yamlfile.parse_yaml(text, str(path))
        monkeypatch.setattr(yamlfile, "_fast_loader", lambda: None)
        slow = yamlfile.parse_yaml(text, str(path))
        monkeypatch.undo()
        assert fast[0] == slow[0] and fast[1].lines == slow[1].lines, path


# --- 2. XLSX rosters: bounded by what is present, not by what the file claims ---------------

def _xlsx(path: Path, rows: list[list], dimension: str | None = None, far_cell: str | None = None) -> None:
    """A workbook; ``dimension`` replaces the sheet's declared range, ``far_cell`` adds one cell far away."""
    import io
    import re
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                if dimension:
                    text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', text)
                if far_cell:
                    number = re.sub(r"\D", "", far_cell)
                    text = text.replace("</sheetData>", f'<row r="{number}"><c r="{far_cell}" t="inlineStr">'
                                                        f"<is><t>x</t></is></c></row></sheetData>")
                data = text.encode()
            dst.writestr(info, data)


ROSTER_ROWS = [["patient", "program"], ["Ann", "ir-desk-break"], ["Bo", "ir-desk-break"]]


def _count_sheet_rows(monkeypatch) -> list[int]:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    calls, real = [], ReadOnlyWorksheet._get_row

    def counted(self, row, *args, **kwargs):
        out = real(self, row, *args, **kwargs)
        calls.append(len(out))
        return out

    monkeypatch.setattr(ReadOnlyWorksheet, "_get_row", counted)
    return calls


def test_an_xlsx_claiming_a_million_rows_by_16384_columns_reads_only_what_is_there(tmp_path, monkeypatch):
    from handout.export.roster_files import MAX_ROSTER_COLUMNS, read_rows

    path = tmp_path / "roster.xlsx"
    _xlsx(path, ROSTER_ROWS, dimension="A1:XFD1048576")
    assert path.stat().st_size < 10_000
    calls = _count_sheet_rows(monkeypatch)
    rows, peak = traced_peak(lambda: list(read_rows(path)))
    assert [values["patient"] for _, values, _ in rows] == ["Ann", "Bo"]
    assert len(calls) == 3 and max(calls) <= MAX_ROSTER_COLUMNS + 1  # rows and cells present, no more
    assert peak < SMALL_MB


def test_an_xlsx_with_one_cell_a_million_rows_down_stops_at_the_row_limit(tmp_path, monkeypatch):
    from handout.export import roster_files

    monkeypatch.setattr(roster_files, "MAX_ROSTER_ROWS", 1_000)
    path = tmp_path / "roster.xlsx"
    _xlsx(path, ROSTER_ROWS, far_cell="XFD1048576")
    error, peak = traced_peak(lambda: list(roster_files.read_rows(path)))
    assert isinstance(error, ContentError) and "more than 1,000 rows" in str(error) and str(path) in str(error)
    assert peak < SMALL_MB


def test_an_xlsx_cell_past_the_column_limit_is_refused(tmp_path):
    from handout.export.roster_files import MAX_ROSTER_COLUMNS, read_rows

    path = tmp_path / "roster.xlsx"
    _xlsx(path, [["patient", "program"] + [None] * (MAX_ROSTER_COLUMNS - 2) + ["far"]])
    with pytest.raises(ContentError, match=f"more than {MAX_ROSTER_COLUMNS} columns"):
        list(read_rows(path))


def test_a_csv_roster_stops_at_the_row_limit(tmp_path, monkeypatch):
    from handout.export import roster_files

    monkeypatch.setattr(roster_files, "MAX_ROSTER_ROWS", 50)
    path = tmp_path / "roster.csv"
    path.write_text("patient,program\n" + "Ann,ir-desk-break\n" * 200)
    seen = []
    with pytest.raises(ContentError, match="more than 50 rows"):
        for row in roster_files.read_rows(path):
            seen.append(row)
    assert len(seen) == 50


def test_an_xlsx_that_unpacks_past_the_limit_is_refused_before_inflating(tmp_path, monkeypatch):
    from handout.export import roster_files

    path = tmp_path / "roster.xlsx"
    _xlsx(path, ROSTER_ROWS)
    monkeypatch.setattr(roster_files, "MAX_XLSX_UNPACKED_BYTES", 1_000)
    with pytest.raises(ContentError, match="unpacks to .* bytes \\(at most 1,000\\)"):
        list(roster_files.read_rows(path))


# --- 5. pictures: SVG <use> and embedded images through the same limits as files -------------

SVG_HEAD = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            'width="100" height="100">')


def _png(width: int, height: int, mode: str = "1") -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def _svg_error(tmp_path: Path, body: str) -> tuple[Exception | object, float]:
    from handout.figures.images import image_flowable

    (tmp_path / "pic.svg").write_text(SVG_HEAD + body + "</svg>")
    return traced_peak(lambda: image_flowable("my-ex", "pic.svg", tmp_path, 200, 200))


LAUGHS = '<rect id="l0" width="1" height="1"/>' + "".join(
    f'<g id="l{i + 1}">' + f'<use xlink:href="#l{i}"/>' * 10 + "</g>" for i in range(9))

SVG_CASES = [
    pytest.param('<use id="a" xlink:href="#a"/>', "refers back to itself (#a)", id="use-itself"),
    pytest.param('<use id="a" xlink:href="#b"/><use id="b" href="#a"/>', "refers back to itself", id="use-cycle"),
    pytest.param(LAUGHS, "draws more than 100,000 shapes", id="use-billion-laughs"),
]


@pytest.mark.parametrize("body, message", SVG_CASES)
def test_svg_use_cycles_and_blowups_are_clean_errors(body, message, tmp_path):
    from handout.errors import FigureError

    error, peak = _svg_error(tmp_path, body)
    assert isinstance(error, FigureError), repr(error)
    assert 'exercise my-ex: image "pic.svg"' in str(error) and message in str(error), str(error)
    assert peak < SMALL_MB


def test_an_svg_embedding_a_100_megapixel_png_is_refused_by_the_pixel_limit(tmp_path, recwarn):
    import base64

    from handout.errors import FigureError

    data = base64.b64encode(_png(10_000, 10_000)).decode()
    assert len(data) < 20_000  # a small file that would decode to 100 megapixels
    error, peak = _svg_error(tmp_path, f'<image width="10" height="10" xlink:href="data:image/png;base64,{data}"/>')
    assert isinstance(error, FigureError) and "embeds a picture that" in str(error), repr(error)
    assert "10000 x 10000 pixels" in str(error) or "too many pixels" in str(error)
    assert peak < SMALL_MB, f"{peak:.0f} MB"
    assert not [w for w in recwarn if "DecompressionBomb" in str(w.category)]


def test_an_svg_embedding_a_small_png_still_draws(tmp_path):
    import base64

    from reportlab.graphics.shapes import Drawing

    data = base64.b64encode(_png(20, 10, "RGB")).decode()
    drawing, _ = _svg_error(tmp_path, f'<image width="10" height="10" xlink:href="data:image/png;base64,{data}"/>'
                                      '<rect id="r" width="5" height="5"/><use xlink:href="#r" x="10"/>')
    assert isinstance(drawing, Drawing)


def test_an_exercise_png_with_a_cut_stream_is_decoded_and_refused(tmp_path):
    from handout.errors import FigureError
    from handout.figures.images import image_flowable

    data = _png(300, 300, "RGB")
    (tmp_path / "pic.png").write_bytes(data[: len(data) // 2] + data[-12:])  # IEND kept, image data cut
    with pytest.raises(FigureError, match="not a readable picture"):
        image_flowable("my-ex", "pic.png", tmp_path, 200, 200)


# --- 6. numeric options have ranges: workers and viewing distance -----------------------------

def test_jobs_10000_starts_no_more_workers_than_rows_and_cpus_and_says_so(tmp_path, monkeypatch):
    from handout.export import batch
    from tests.export.test_batch import fake_pdf, handout_jobs

    started = []
    real = batch.LocalRunner

    def counting(workers, *args, **kwargs):
        started.append(workers)
        return real(workers, *args, **kwargs)

    monkeypatch.setattr(batch, "LocalRunner", counting)
    report = batch.export_batch(handout_jobs(40), tmp_path, workers=10_000, build=fake_pdf)
    cpus = batch._cpu_count()
    assert report.counts["written"] == 40
    assert started == [min(40, batch.WORKERS_PER_CPU * cpus, batch.MAX_WORKERS)]
    assert any(note.startswith("10000 workers asked for") for note in report.notes), report.notes
    small = batch.export_batch(handout_jobs(2), tmp_path / "small", workers=2, build=fake_pdf)
    assert started[-1] <= 2 and not small.notes  # asking for what the machine has is not a warning


def test_jobs_10000_on_the_command_line_warns_and_builds(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("patient,program\nAnn,ir-desk-break\nBo,ir-desk-break\n")
    result = CliRunner().invoke(cli, ["batch", str(roster), "--out-dir", str(tmp_path / "out"), "--jobs", "10000"])
    assert result.exit_code == 0, result.output + result.stderr
    assert "warning: 10000 workers asked for" in result.stderr
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 2


@pytest.mark.parametrize("distance", ["0.0001", "0.4", "21"])
def test_a_viewing_distance_out_of_range_is_usage_error_with_the_range(distance, tmp_path):
    result = CliRunner().invoke(cli, ["poster", "--program", "ir-mobility", "--viewing-distance", distance,
                                      "--out", str(tmp_path / "p.pdf")])
    assert result.exit_code == 2, result.output
    assert "--viewing-distance" in result.stderr and "0.5<=x<=20" in result.stderr
    assert not (tmp_path / "p.pdf").exists()


def test_the_poster_request_model_holds_the_same_range():
    from handout.errors import RequestError
    from handout.model.request import PosterRequest, make_request

    assert PosterRequest(program="ir-mobility", viewing_distance_m=0.5).viewing_distance_m == 0.5
    with pytest.raises((RequestError, ContentError, ValueError), match="at least 0.5"):
        make_request(PosterRequest, program="ir-mobility", viewing_distance_m=0.0001)


# --- 4. layout: paragraph length and total text refused before layout ----------------------------

def _article_with(paragraph: str) -> str:
    from handout.paths import bundled

    text = (bundled("content") / "article" / "hip-internal-rotators.md").read_text(encoding="utf-8")
    head, rest = text.split("\n## ", 1)
    return head + "\n## " + rest.replace("\n\n", f"\n\n{paragraph}\n\n", 1)


def test_a_600_kb_article_paragraph_is_refused_before_layout_naming_its_line(tmp_path):
    folder = tmp_path / "content" / "article"
    folder.mkdir(parents=True)
    text = _article_with("word " * 120_000)
    (folder / "hip-internal-rotators.md").write_text(text)
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row.startswith("word word"))
    result, peak = traced_peak(lambda: CliRunner().invoke(cli, [
        "build", "--program", "ir-desk-break", "--content", str(tmp_path / "content"),
        "--out", str(tmp_path / "o.pdf"), "--date", "2026-11-25"]))
    assert result.exit_code == 1, result.output
    assert f"hip-internal-rotators.md:{line}:" in result.stderr, result.stderr
    assert "a paragraph of 599,999 characters (at most 10,000)" in result.stderr
    assert not (tmp_path / "o.pdf").exists()
    assert peak < 100, f"{peak:.0f} MB"


def test_a_huge_paragraph_made_by_a_template_is_refused_by_the_markup_check():
    from handout.errors import MarkupError
    from handout.markup.parse import parse_markup

    pieces = "".join(f"<b>{'x' * 1000}</b> " for _ in range(11))  # split by inline tags: still one paragraph
    with pytest.raises(MarkupError, match=r"t.j2 \(rendered markup\):3: <p> holds more than 10,000 characters \(starting \"xxx"):
        parse_markup(f"<document>\n<section title='A'>\n<p>{pieces}</p></section></document>", "t.j2")


def test_the_whole_text_of_a_document_is_capped(monkeypatch):
    from handout.errors import MarkupError
    from handout.markup import parse

    monkeypatch.setattr(parse, "MAX_TEXT_CHARS", 20_000)
    body = "".join(f"<p>{'y' * 5000}</p>\n" for _ in range(5))
    with pytest.raises(MarkupError, match="more than 20,000 characters of text"):
        parse.parse_markup(f"<document>\n<section title='A'>\n{body}</section></document>", "t.j2")
    three = "".join(f"<p>{'y' * 5000}</p>\n" for _ in range(3))
    from lxml import etree

    parse._check_extent(etree.fromstring(f"<document><section>{three}</section></document>"), "t.j2")  # under
