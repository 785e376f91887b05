"""A local batch's workers write their own PDFs to temporary files; the parent only renames them.

Whatever stops a worker (a crash mid-write, a full disk) or changes a target meanwhile (a
link put in its place), no PDF appears half-written under its name, nothing that is not
ours is replaced, and no temporary file stays.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from handout.errors import OutputError
from handout.export import export_batch
from handout.export import files as files_module
from handout.export.batch import WORKER_DIED
from handout.export.staging import StagingArea, stage

from .test_batch import fake_pdf, handout_jobs, leftovers


def _dies_halfway(handle, data):
    """The worker is killed halfway through writing row 5's PDF."""
    if b"for row 5 " in data:
        handle.write(data[: len(data) // 2])
        handle.flush()
        os._exit(3)
    handle.write(data)


def fake_pdf_killed_mid_write(job) -> bytes:
    files_module._write_data = _dies_halfway
    return fake_pdf(job)


def test_local_workers_write_the_pdfs_and_the_parent_writes_none(tmp_path, monkeypatch):
    real_write = files_module._write_data

    def parent_writes(handle, data):
        assert not data.startswith(b"%PDF"), "the parent wrote a PDF's bytes itself"
        real_write(handle, data)  # the manifest is still the parent's to write

    monkeypatch.setattr(files_module, "_write_data", parent_writes)
    jobs = handout_jobs(9)
    report = export_batch(jobs, tmp_path, workers=2, build=fake_pdf)
    assert report.ok and report.counts["written"] == 9
    for job, row in zip(jobs, report.rows):
        written = tmp_path / os.path.basename(row.output)
        assert written.read_bytes() == fake_pdf(job)
        assert stat.S_IMODE(written.stat().st_mode) == 0o644
    assert not leftovers(tmp_path)
    assert export_batch(jobs, tmp_path, workers=2, build=fake_pdf).counts["skipped"] == 9  # hashes recorded


def test_a_worker_killed_mid_write_leaves_no_half_file_and_no_temporary_file(tmp_path):
    jobs = handout_jobs(8)
    report = export_batch(jobs, tmp_path, workers=2, build=fake_pdf_killed_mid_write)
    statuses = {r.row: r.status for r in report.rows}
    assert [row for row, status in statuses.items() if status != "written"] == [5]
    assert report.failures[0].error == WORKER_DIED
    assert not (tmp_path / "p-5-ir-desk-break-2026-11-25.pdf").exists()
    assert (tmp_path / "p-6-ir-desk-break-2026-11-25.pdf").read_bytes() == fake_pdf(jobs[4])
    assert not leftovers(tmp_path)


def test_each_attempt_gets_its_own_temporary_name_beside_its_target(tmp_path):
    area = StagingArea()
    target = str(tmp_path / "sub" / "a.pdf")
    first, again = area.place(target), area.place(target)
    assert first.staged != again.staged
    for place in (first, again):
        name = os.path.basename(place.staged)
        assert os.path.dirname(place.staged) == str(tmp_path / "sub")
        assert name.startswith(files_module.TEMP_PREFIX) and name.endswith(files_module.TEMP_SUFFIX)
    digest = stage(first, b"%PDF- one")
    assert len(digest) == 64 and (tmp_path / "sub").is_dir()
    area.commit(first)
    assert (tmp_path / "sub" / "a.pdf").read_bytes() == b"%PDF- one"
    stage(again, b"%PDF- a lost attempt")
    assert area.clear() == 1 and not leftovers(tmp_path)


def test_stage_never_writes_over_or_through_an_existing_name(tmp_path):
    elsewhere = tmp_path / "elsewhere.pdf"
    elsewhere.write_bytes(b"not ours")
    area = StagingArea()
    place = area.place(str(tmp_path / "a.pdf"))
    os.symlink(elsewhere, place.staged)
    with pytest.raises(OutputError, match="a.pdf"):
        stage(place, b"%PDF- new")
    assert elsewhere.read_bytes() == b"not ours"


def test_a_target_turned_into_a_link_meanwhile_is_refused_and_the_staged_file_removed(tmp_path):
    elsewhere = tmp_path / "elsewhere.pdf"
    elsewhere.write_bytes(b"not ours")
    area = StagingArea()
    target = tmp_path / "a.pdf"
    place = area.place(str(target))
    stage(place, b"%PDF- new")
    target.symlink_to(elsewhere)  # after the batch planned, before the rename
    with pytest.raises(OutputError, match="symbolic link"):
        area.commit(place)
    assert elsewhere.read_bytes() == b"not ours" and target.is_symlink()
    assert not leftovers(tmp_path)


def test_an_input_of_the_run_is_never_renamed_over(tmp_path):
    roster = tmp_path / "roster.pdf"
    roster.write_bytes(b"the roster")
    area = StagingArea()
    place = area.place(str(roster))
    stage(place, b"%PDF- new")
    info = roster.stat()
    with pytest.raises(OutputError, match="an input of this run"):
        area.commit(place, {(info.st_dev, info.st_ino): "the roster"})
    assert roster.read_bytes() == b"the roster" and not leftovers(tmp_path)


def test_a_worker_writes_each_file_on_its_writing_thread_while_the_next_builds_and_returns_once_all_are_on_disk(
        tmp_path, monkeypatch):
    """The flush to disk waits on the disk, not the CPU: a worker's writing thread writes and
    flushes each file while its main thread builds the next; the chunk's Outcomes come back
    only when every file is whole and flushed (the parent renames on them)."""
    import threading

    from handout.export import worker

    events = []
    real_fsync = os.fsync

    def flushed(fd):
        real_fsync(fd)
        events.append(("flushed", threading.current_thread().name))

    def built(job):
        events.append(("built", job.row))
        return fake_pdf(job)

    monkeypatch.setattr(os, "fsync", flushed)
    area = StagingArea()
    jobs = handout_jobs(5)
    items = [(i, job, area.place(str(tmp_path / f"row-{job.row}.pdf"))) for i, job in enumerate(jobs)]
    outcomes = worker.run_chunk(items, built)
    assert [o.index for o in outcomes] == list(range(5)) and not any(o.error for o in outcomes)
    flushes = [name for kind, name in events if kind == "flushed"]
    assert len(flushes) == 5 and all(name.startswith("handout-write") for name in flushes)
    assert events[-1][0] == "flushed"  # every flush came before run_chunk returned
    for outcome, job in zip(outcomes, jobs):
        assert Path(outcome.place.staged).read_bytes() == fake_pdf(job)
    assert area.clear() == 5  # none renamed here: the parent does that
