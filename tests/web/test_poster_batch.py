"""The poster and batch pages: the CLI's bytes, its messages, a zip only when every row is done."""

from __future__ import annotations

import io
import json
import shlex
import zipfile

import pytest
from click.testing import CliRunner
from PIL import Image

from handout.cli import cli

from ..conftest import REPO, pdf_text
from .conftest import run_cli
from .test_security import _wait_done

ROSTER = REPO / "content" / "roster.example.csv"


def poster_form(**fields) -> dict:
    return {"program": "ir-desk-break", "size": "a2", "landscape": False, "viewing_distance": "", "fit": False,
            "qr": "", "greyscale": False, "tile": "letter", "overlap": "", **fields}


def test_the_poster_page_labels_its_controls(page):
    html = page.get("/poster").text
    for label in ("Program", "Size", "Viewing distance (metres)", "Landscape", "Sheets", "Overlap (mm)",
                  "Download poster PDF", "Download tiled PDF"):
        assert f">{label}<" in html or f"> {label}<" in html, label


def test_the_poster_preview_says_how_far_it_reads_as_the_cli_does(page, tmp_path):
    data = page.post("/api/poster/preview", json=poster_form(landscape=True)).json()
    [picture] = data["pages"]
    image = Image.open(io.BytesIO(page.get(picture).content))
    assert image.width == 900 and image.width > image.height  # landscape
    assert data["command"] == "handout poster --program ir-desk-break --size a2 --landscape --tile letter"
    result = CliRunner().invoke(cli, shlex.split(data["command"])[1:] + ["--out", str(tmp_path / "p.pdf")])
    assert result.exit_code == 0, result.stderr
    readable = data["readable"].split("; ", 1)[1]
    assert readable in result.output and data["readable"].startswith("A2 landscape")


def test_poster_and_tiles_are_the_bytes_the_cli_writes(page, tmp_path):
    state = poster_form(viewing_distance="1.1", overlap="12", qr="https://example.org/v")
    poster = page.post("/api/poster/pdf", json=state)
    tiled = page.post("/api/poster/tiled", json=state)
    assert poster.status_code == tiled.status_code == 200
    assert poster.headers["content-disposition"] == 'attachment; filename="poster-ir-desk-break-a2.pdf"'
    assert tiled.headers["content-disposition"] == 'attachment; filename="poster-ir-desk-break-a2-tiled-letter.pdf"'
    command = page.post("/api/poster/preview", json=state).json()["command"]
    assert "--viewing-distance 1.1" in command and "--overlap 12" in command
    out = tmp_path / "poster.pdf"
    result = run_cli(shlex.split(command)[1:] + ["--out", str(out)])
    assert result.returncode == 0, result.stderr
    assert poster.content == out.read_bytes()
    assert tiled.content == (tmp_path / "poster-tiled-letter.pdf").read_bytes()


def test_a_poster_that_cannot_keep_its_distance_says_so_beside_it(page):
    too_far = page.post("/api/poster/preview", json=poster_form(size="a3", viewing_distance="6"))
    assert too_far.status_code == 422
    message = too_far.json()["errors"]["viewing_distance"]
    result = CliRunner().invoke(cli, ["poster", "--program", "ir-desk-break", "--size", "a3",
                                      "--viewing-distance", "6", "--out", "never.pdf"])
    assert result.exit_code == 1 and message in result.stderr
    errors = page.post("/api/poster/preview", json=poster_form(viewing_distance="25", size="b9", overlap="x",
                                                               program="")).json()["errors"]
    assert errors["viewing_distance"] == "must be at most 20, got 25" or errors["viewing_distance"].startswith(
        "must be at most 20")
    assert errors["size"].startswith("'b9' is not one of the poster sizes")
    assert set(errors) == {"viewing_distance", "size", "overlap", "program"}


def test_the_batch_page_says_what_a_roster_holds(page):
    html = page.get("/batch").text
    assert ">Roster file<" in html and ">Make the PDFs<" in html and ">Download zip<" in html and "5 MB" in html


def test_a_roster_is_checked_row_by_row_as_the_cli_does(page, tmp_path):
    roster = b"patient,program,date\nAna Lima,ir-mobility,2026-11-25\nBo,ir-mobilty,\nCy,ir-strength,2026-13-01\n"
    checked = page.post("/api/batch/check", content=roster, headers={"x-file-name": "clinic%20list.csv"})
    assert checked.status_code == 200
    data = checked.json()
    assert (data["name"], data["good"], data["bad"], data["total"]) == ("clinic list.csv", 1, 2, 3)
    rows = {r["row"]: r for r in data["rows"]}
    assert rows[2]["ok"] and rows[2]["patient"] == "Ana Lima"
    (tmp_path / "clinic list.csv").write_bytes(roster)
    result = CliRunner().invoke(cli, ["batch", str(tmp_path / "clinic list.csv"), "--out-dir", str(tmp_path / "o")])
    for n in (3, 4):
        assert not rows[n]["ok"] and rows[n]["message"] in result.stderr
        assert "Bo" not in rows[n]["message"] and "Cy" not in rows[n]["message"]


def test_a_roster_file_that_cannot_be_read_is_named_as_uploaded(page):
    response = page.post("/api/batch/check", content=b"name,program\nA,ir-mobility\n", headers={"x-file-name": "x.csv"})
    assert response.status_code == 422
    assert response.json()["errors"]["roster"].startswith('x.csv:1: unknown column "name"')


def test_the_batch_runs_with_progress_and_zips_the_clis_files(page, tmp_path):
    checked = page.post("/api/batch/check", content=ROSTER.read_bytes(),
                        headers={"x-file-name": "roster.example.csv"}).json()
    ident = checked["id"]
    assert page.get(f"/api/batch/{ident}/zip").status_code == 409  # not run: no half a zip
    started = page.post(f"/api/batch/{ident}/run", json={})
    assert started.status_code == 202 and started.json()["status"] == "running"
    assert page.post(f"/api/batch/{ident}/run", json={}).status_code == 409
    done = _wait_done(page, ident)
    assert done["done"] == done["total"] == checked["total"] and done["failed"] == checked["bad"]
    response = page.get(f"/api/batch/{ident}/zip")
    assert response.headers["content-disposition"] == 'attachment; filename="roster.example-pdfs.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    result = run_cli(["batch", str(ROSTER), "--out-dir", str(tmp_path), "--jobs", "1"])
    pdfs = sorted(n for n in archive.namelist() if n.endswith(".pdf"))
    assert pdfs == sorted(p.name for p in tmp_path.glob("*.pdf")) and len(pdfs) == checked["good"]
    for name in pdfs:
        assert archive.read(name) == (tmp_path / name).read_bytes(), name
    report = json.loads(archive.read("batch-report.json"))
    cli_report = json.loads((tmp_path / "batch-report.json").read_text("utf-8"))

    def strip(rows):  # the CLI's report names its files by path; the zip's by name
        return [{**{k: v for k, v in r.items() if k != "seconds"}, "output": r["output"].rsplit("/", 1)[-1]}
                for r in rows]

    assert strip(report["rows"]) == strip(cli_report["rows"])
    assert "batch-report.csv" in archive.namelist() and result.returncode in (0, 1)
    assert "Zoë Ünal" in pdf_text(archive.read(pdfs[-1])) or any("Zoë Ünal" in pdf_text(archive.read(n)) for n in pdfs)


@pytest.mark.parametrize("url", ["/api/batch/unknown", "/api/batch/unknown/zip"])
def test_a_batch_no_longer_kept_says_so(page, url):
    response = page.get(url)
    assert response.status_code == 422 and "upload the roster again" in response.json()["errors"]["roster"]


def test_a_roster_longer_than_the_page_takes_points_to_the_cli(page):
    roster = "patient,program\n" + "".join(f"P{n},ir-desk-break\n" for n in range(501))
    errors = page.post("/api/batch/check", content=roster.encode()).json()["errors"]
    assert errors["roster"] == ("roster.csv has 501 rows; the page makes at most 500 at a time "
                                "(run 'handout batch roster.csv' for more)")


def test_an_xlsx_roster_is_read_from_memory_like_a_csv(page):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["patient", "program", "patient_id"])
    sheet.append(["Дмитрий Иванов", "ir-strength", "P-7"])
    data = io.BytesIO()
    book.save(data)
    checked = page.post("/api/batch/check", content=data.getvalue(), headers={"x-file-name": "week.xlsx"}).json()
    assert checked["good"] == 1 and checked["rows"][0]["patient"] == "Дмитрий Иванов"
