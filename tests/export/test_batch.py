"""The batch: files, report and exit code for a mixed roster; the same bytes as single builds;
nothing lost when a worker dies, Ctrl-C arrives or the disk fills; reruns skip; Dask matches.

Where the PDF itself does not matter, a tiny stand-in builder (``fake_pdf``) keeps the tests
fast; it lives at module level so worker processes can import it.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from handout import HandoutRequest, PosterRequest, build_handout, build_poster, export_batch, read_roster
from handout.cli import cli
from handout.errors import HandoutError
from handout.export import BatchInterrupted, Job
from handout.export import files as files_module
from handout.export.files import TEMP_PREFIX, TEMP_SUFFIX
from handout.export.manifest import MANIFEST_NAME

DATE = dt.date(2026, 11, 25)
SMALL = dict(article="none", log_weeks=0, date=DATE)  # the content of these PDFs does not matter


# --- stand-in builders, run in worker processes ---------------------------------------------

def fake_pdf(job: Job) -> bytes:
    return f"%PDF-1.4 stand-in for row {job.row} {job.request.patient}".encode()


def crash_on_rows_4_and_15(job: Job) -> bytes:
    if job.row in (4, 15):
        os._exit(3)  # a worker dying in native code, or killed by the OOM killer
    return fake_pdf(job)


def slow_fake_pdf(job: Job) -> bytes:
    time.sleep(0.15)
    return fake_pdf(job)


def fail_on_row_3(job: Job) -> bytes:
    if job.row == 3:
        raise HandoutError(f"cannot draw the card for {job.request.patient}")
    return fake_pdf(job)


# --- helpers --------------------------------------------------------------------------------

def handout_jobs(count: int, **fields) -> list[Job]:
    names = ["Zoë Ünal", "Mary Smith", "Nguyễn Thị Minh Khai", "Dana Cole", "Ivo Ruiz", "Disk Full"]
    return [Job(n + 2, "handout", HandoutRequest(program="ir-desk-break", patient=names[n % len(names)],
                                                 patient_id=f"P-{n + 2}", **SMALL, **fields))
            for n in range(count)]


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}")]


def report_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


MIXED = """patient,patient_id,program,date,page_size,exercises,output
Zoë Ünal,,ir-desk-break,2026-11-25,,,
Sam Lee,S-1,ir-mobilty,2026-11-25,,,
,S-2,ir-desk-break,2026-11-25,,,
Ana Costa,S-3,ir-desk-break,2026-11-25,b5,,
Ben Ode,S-4,ir-desk-break,2026-11-25,,seated-ir:2x10; sated-ir,
Zoë Ünal,,ir-desk-break,2026-11-25,,,
Eve Sly,S-5,ir-desk-break,2026-11-25,,,../escape.pdf
"""


# --- the command line -------------------------------------------------------------------------

def test_a_mixed_roster_writes_the_good_rows_reports_the_bad_and_exits_1(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(MIXED, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(roster), "--out-dir", str(out), "--jobs", "2"])
    assert result.exit_code == 1, result.output
    pdfs = sorted(p.name for p in out.glob("*.pdf"))
    assert pdfs == ["zoe-unal-ir-desk-break-2026-11-25-2.pdf", "zoe-unal-ir-desk-break-2026-11-25.pdf"]
    assert all((out / p).read_bytes().startswith(b"%PDF") for p in pdfs)
    assert not (tmp_path / "escape.pdf").exists() and not leftovers(out)
    # one summary line on stdout when not on a terminal; the bad rows on stderr
    assert result.stdout.count("\n") == 1 and result.stdout.startswith("batch: 2 written, 0 skipped, 5 failed")
    assert 'row 3: program: unknown program "ir-mobilty"; did you mean ir-mobility?' in result.stderr
    assert result.stderr.rstrip().endswith("error: 5 of 7 rows were not made; the report says why")

    rows = report_rows(out / "batch-report.csv")
    assert [(r["row"], r["patient_id"], r["status"]) for r in rows] == [
        ("2", "", "written"), ("3", "S-1", "failed"), ("4", "S-2", "failed"), ("5", "S-3", "failed"),
        ("6", "S-4", "failed"), ("7", "", "written"), ("8", "S-5", "failed")]
    assert rows[0]["output"] == str(out / "zoe-unal-ir-desk-break-2026-11-25.pdf")
    assert rows[2]["error"] == "patient: is required (the name printed on the handout)"
    assert rows[3]["error"].startswith('page_size: "b5" is not a handout page size')
    assert rows[4]["error"].startswith('exercises: unknown exercise "sated-ir"')
    assert rows[6]["error"].startswith("output: ") and "leave the output folder" in rows[6]["error"]
    data = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
    assert data["summary"]["written"] == 2 and data["summary"]["failed"] == 5
    assert [r["status"] for r in data["rows"]] == [r["status"] for r in rows]
    for report in ("batch-report.csv", "batch-report.json"):  # privacy: ids, never names
        text = (out / report).read_text(encoding="utf-8-sig")
        assert not any(name in text for name in ("Zoë", "Sam Lee", "Ana Costa", "Ben Ode", "Eve Sly"))

    again = CliRunner().invoke(cli, ["batch", str(roster), "--out-dir", str(out), "--report",
                                     str(tmp_path / "again.json")])
    assert again.exit_code == 1 and again.stdout.startswith("batch: 0 written, 2 skipped, 5 failed")
    forced = CliRunner().invoke(cli, ["batch", str(roster), "--out-dir", str(out), "--force", "--jobs", "1"])
    assert forced.stdout.startswith("batch: 2 written, 0 skipped, 5 failed")
    assert not leftovers(out)


def test_a_clean_roster_exits_0_and_bad_usage_exits_2(tmp_path):
    roster = tmp_path / "roster.yaml"
    roster.write_text("- {patient: Zoë Ünal, program: ir-desk-break, date: 2026-11-25}\n", encoding="utf-8")
    ok = CliRunner().invoke(cli, ["batch", str(roster), "--out-dir", str(tmp_path / "o"), "--jobs", "1",
                                  "--report", str(tmp_path / "r.json")])
    assert ok.exit_code == 0, ok.output
    assert json.loads((tmp_path / "r.json").read_text())["rows"][0]["status"] == "written"
    assert CliRunner().invoke(cli, ["batch", str(roster), "--report", "r.txt"]).exit_code == 2
    assert CliRunner().invoke(cli, ["batch", str(tmp_path / "missing.csv")]).exit_code == 2
    assert CliRunner().invoke(cli, ["batch", str(roster), "--jobs", "0"]).exit_code == 2


def test_an_unknown_column_fails_the_command_with_a_suggestion(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("patient,progam\nAna,ir-mobility\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["batch", str(roster), "--out-dir", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr == f'error: {roster}:1: unknown column "progam"; did you mean program?\n'


# --- the API: same bytes, kinds, names -----------------------------------------------------------

def test_batch_bytes_equal_single_build_bytes(tmp_path):
    jobs = handout_jobs(2) + [Job(9, "poster", PosterRequest(program="ir-desk-break", size="a1"), "lobby.pdf")]
    report = export_batch(jobs, tmp_path, workers=2)
    assert report.ok and report.counts["written"] == 3
    assert (tmp_path / "p-2-ir-desk-break-2026-11-25.pdf").read_bytes() == build_handout(jobs[0].request)
    assert (tmp_path / "p-3-ir-desk-break-2026-11-25.pdf").read_bytes() == build_handout(jobs[1].request)
    assert (tmp_path / "lobby.pdf").read_bytes() == build_poster(jobs[2].request)


def test_an_output_that_leads_out_through_a_link_fails_that_row_before_any_work(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(elsewhere)
    jobs = [Job(2, "handout", handout_jobs(1)[0].request, "link/x.pdf"), *handout_jobs(2)[1:]]
    report = export_batch(jobs, out, workers=1, build=fake_pdf)
    assert [r.status for r in report.rows] == ["failed", "written"]
    assert "leads outside" in report.rows[0].error
    assert not any(elsewhere.iterdir())


def test_errors_never_carry_the_patients_name(tmp_path):
    report = export_batch(handout_jobs(3), tmp_path, workers=1, build=fail_on_row_3)
    failed = report.failures
    assert [r.row for r in failed] == [3] and failed[0].error == "cannot draw the card for <patient>"


# --- nothing lost ----------------------------------------------------------------------------------

def test_a_worker_that_dies_takes_only_its_own_row(tmp_path):
    jobs = handout_jobs(20)
    report = export_batch(jobs, tmp_path, workers=2, build=crash_on_rows_4_and_15)
    statuses = {r.row: r.status for r in report.rows}
    assert [row for row, status in statuses.items() if status != "written"] == [4, 15]
    assert all("worker process stopped while building this row" in r.error for r in report.failures)
    assert not leftovers(tmp_path)
    paths = report.write_default(tmp_path)
    assert [p.name for p in paths] == ["batch-report.json", "batch-report.csv"]
    assert (tmp_path / "p-5-ir-desk-break-2026-11-25.pdf").read_bytes() == fake_pdf(jobs[3])
    assert len(list(tmp_path.glob("*.pdf"))) == 18


def test_ctrl_c_keeps_finished_files_cancels_the_rest_and_still_reports(tmp_path):
    seen = []

    def interrupt_after_first(done, failed, total):
        seen.append(done)
        if done >= 1:
            raise KeyboardInterrupt

    jobs = handout_jobs(16)
    with pytest.raises(BatchInterrupted) as info:
        export_batch(jobs, tmp_path, workers=2, on_progress=interrupt_after_first, build=slow_fake_pdf)
    report = info.value.report
    counts = report.counts
    assert report.interrupted and counts["written"] >= 1 and counts["not run"] >= 8
    assert counts["written"] + counts["not run"] == 16
    for row in report.rows:
        path = Path(row.output) if row.output else None
        if row.status == "written":
            assert path.read_bytes() == fake_pdf(jobs[row.row - 2])
    assert len(list(tmp_path.glob("*.pdf"))) == counts["written"]
    assert not leftovers(tmp_path)
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())["files"]
    assert len(manifest) == counts["written"]
    assert "not run" in report.to_csv() and report.summary().endswith("(interrupted)")
    rerun = export_batch(jobs, tmp_path, workers=2, build=fake_pdf)
    assert rerun.counts == {"written": 16 - counts["written"], "skipped": counts["written"], "failed": 0,
                            "not run": 0}


def _disk_fills(handle, data):
    """The disk fills halfway through the "Disk Full" row's PDF."""
    if b"Disk Full" in data:
        handle.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")
    handle.write(data)


def fake_pdf_on_a_filling_disk(job: Job) -> bytes:
    """fake_pdf, in a worker whose disk fills up: the worker writes its own files."""
    files_module._write_data = _disk_fills
    return fake_pdf(job)


def test_a_full_disk_fails_that_row_cleanly(tmp_path):
    report = export_batch(handout_jobs(6), tmp_path, workers=1, build=fake_pdf_on_a_filling_disk)
    failed = report.failures
    assert [r.row for r in failed] == [7] and "disk is full" in failed[0].error
    assert "p-7-ir-desk-break-2026-11-25.pdf" in failed[0].error  # the target is named, not a temporary file
    assert not (tmp_path / "p-7-ir-desk-break-2026-11-25.pdf").exists()
    assert not leftovers(tmp_path)
    assert report.counts["written"] == 5


def test_a_rerun_skips_everything_and_force_rebuilds(tmp_path):
    jobs = handout_jobs(4)
    first = export_batch(jobs, tmp_path, workers=1, build=fake_pdf)
    assert first.counts["written"] == 4
    assert export_batch(jobs, tmp_path, workers=1, build=fake_pdf).counts["skipped"] == 4
    (tmp_path / "p-3-ir-desk-break-2026-11-25.pdf").write_bytes(b"edited by hand")
    changed = [jobs[0].request.model_copy(update={"large_print": True})]
    mixed = export_batch([Job(2, "handout", changed[0]), *jobs[1:]], tmp_path, workers=1, build=fake_pdf)
    assert {r.row: r.status for r in mixed.rows} == {2: "written", 3: "written", 4: "skipped", 5: "skipped"}
    forced = export_batch(jobs, tmp_path, workers=1, build=fake_pdf, force=True)
    assert forced.counts["written"] == 4


def test_fail_fast_runs_nothing_when_a_row_is_bad_and_stops_at_the_first_failure(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(MIXED, encoding="utf-8")
    report = export_batch(read_roster(roster), tmp_path / "a", workers=1, fail_fast=True)
    assert report.counts["written"] == 0 and report.counts["not run"] == 2
    assert not list((tmp_path / "a").glob("*.pdf"))
    stopped = export_batch(handout_jobs(12), tmp_path / "b", workers=1, fail_fast=True, build=fail_on_row_3)
    assert stopped.counts["failed"] == 1 and stopped.counts["not run"] >= 6


# --- beyond one machine ------------------------------------------------------------------------------

@pytest.mark.slow
def test_a_local_dask_cluster_gives_the_same_bytes(tmp_path):
    jobs = handout_jobs(2)
    report = export_batch(jobs, tmp_path, workers=2, executor="dask")
    assert report.ok, report.rows
    assert (tmp_path / "p-2-ir-desk-break-2026-11-25.pdf").read_bytes() == build_handout(jobs[0].request)
    assert (tmp_path / "p-3-ir-desk-break-2026-11-25.pdf").read_bytes() == build_handout(jobs[1].request)
