"""A local batch's workers write their own PDFs to temporary files; the parent only renames them.

Whatever stops a worker (a crash mid-write, a full disk) or changes a target meanwhile (a
link put in its place), no PDF appears half-written under its name, nothing that is not
ours is replaced, and no temporary file stays.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from handout.errors import OutputError
from handout.export import export_batch
from handout.export import files as files_module
from handout.export.batch import WORKER_DIED
from handout.export import staging
from handout.export.staging import ChunkFiles, StagingArea

from .test_batch import fake_pdf, handout_jobs, leftovers


def stage(place, data: bytes) -> str:
    """One file written and flushed, as a worker writes a chunk of one."""
    files = ChunkFiles()
    digest = files.write(place, data)
    files.flush()
    return digest


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


def _chunk_run(tmp_path, monkeypatch, folders=("",)):
    """run_chunk over five rows (their files spread over ``folders``), noting each build,
    each ``os.fsync`` and each flush of a whole filesystem, in order."""
    from handout.export import worker

    events = []
    real_fsync, real_sync = os.fsync, staging._sync_filesystem

    def fsynced(fd):
        real_fsync(fd)
        events.append("fsync")

    def synced(fd):
        real_sync(fd)
        events.append("syncfs")

    def built(job):
        events.append(f"built {job.row}")
        return fake_pdf(job)

    monkeypatch.setattr(os, "fsync", fsynced)
    monkeypatch.setattr(staging, "_sync_filesystem", synced)
    area = StagingArea()
    jobs = handout_jobs(5)
    items = [(i, job, area.place(str(tmp_path / folders[i % len(folders)] / f"row-{job.row}.pdf")))
             for i, job in enumerate(jobs)]
    return worker.run_chunk(items, built), jobs, events, area


@pytest.mark.skipif(staging.libc_syncfs() is None, reason="no syncfs here: each file is flushed as it is written")
def test_a_chunk_s_files_are_written_whole_then_flushed_to_disk_at_once_before_its_outcomes_return(
        tmp_path, monkeypatch):
    """One syncfs for the chunk (its two folders are on one filesystem) instead of an fsync a
    file, after every file is written and before the Outcomes the parent renames on."""
    outcomes, jobs, events, area = _chunk_run(tmp_path, monkeypatch, folders=("", "sub"))
    assert events == [f"built {job.row}" for job in jobs] + ["syncfs"]
    assert [o.index for o in outcomes] == list(range(5)) and not any(o.error for o in outcomes)
    for outcome, job in zip(outcomes, jobs):
        assert Path(outcome.place.staged).read_bytes() == fake_pdf(job)
        assert stat.S_IMODE(os.stat(outcome.place.staged).st_mode) == 0o644
    assert area.clear() == 5  # none renamed here: the parent does that


def test_without_syncfs_each_file_is_flushed_as_it_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "libc_syncfs", lambda: None)  # as on macOS and Windows
    outcomes, jobs, events, _ = _chunk_run(tmp_path, monkeypatch)
    assert events == [step for job in jobs for step in (f"built {job.row}", "fsync")]
    assert not any(o.error for o in outcomes)


@pytest.mark.skipif(staging.libc_syncfs() is None, reason="no syncfs here: each file is flushed as it is written")
def test_files_in_a_folder_that_cannot_be_listed_are_flushed_one_by_one(tmp_path, monkeypatch):
    """A folder one may write in but not read (mode 0333) cannot be opened for the flush: its
    files are flushed as they are written, and the others of the chunk together."""
    real_open = os.open

    def no_listing(path, flags, *args):
        if flags & getattr(os, "O_DIRECTORY", 0) and str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", no_listing)
    outcomes, jobs, events, _ = _chunk_run(tmp_path, monkeypatch, folders=("locked", ""))
    assert events == ["built 2", "fsync", "built 3", "built 4", "fsync", "built 5", "built 6", "fsync", "syncfs"]
    assert not any(o.error for o in outcomes)


@pytest.mark.parametrize("number", [errno.ENOSYS, errno.EPERM])
def test_a_syncfs_the_system_refuses_falls_back_to_an_fsync_a_file(tmp_path, monkeypatch, number):
    """A container's filter may refuse syncfs itself (ENOSYS, EPERM): that is no write error, so
    each file of the chunk is flushed on its own and every row is written."""
    def refused(fd):
        raise OSError(number, os.strerror(number))

    monkeypatch.setattr(staging, "libc_syncfs", lambda: os.fsync)  # a syncfs to refuse, on any system
    monkeypatch.setattr(staging, "_sync_filesystem", refused)
    outcomes, jobs, events, _ = _chunk_run(tmp_path, monkeypatch)
    assert events == [f"built {job.row}" for job in jobs] + ["fsync"] * len(jobs)
    for outcome, job in zip(outcomes, jobs):
        assert not outcome.error and Path(outcome.place.staged).read_bytes() == fake_pdf(job)


@pytest.mark.parametrize("number, words", [(errno.EIO, "Input/output error"), (errno.ENOSPC, "the disk is full")])
def test_a_chunk_whose_flush_fails_fails_every_row_and_leaves_no_file(tmp_path, monkeypatch, number, words):
    """The disk reports a write error for the filesystem, not for a file: none of the chunk's
    files is known to be whole, so every row fails, naming its own file, and none stays."""
    def fails(fd):
        raise OSError(number, os.strerror(number))

    from handout.export import worker

    monkeypatch.setattr(staging, "libc_syncfs", lambda: os.fsync)  # a flush to fail, on any system
    monkeypatch.setattr(staging, "_sync_filesystem", fails)
    area = StagingArea()
    jobs = handout_jobs(3)
    items = [(i, job, area.place(str(tmp_path / f"row-{job.row}.pdf"))) for i, job in enumerate(jobs)]
    outcomes = worker.run_chunk(items, fake_pdf)
    assert all(o.failed for o in outcomes)
    for outcome, job in zip(outcomes, jobs):
        assert outcome.error == f"cannot write {tmp_path / f'row-{job.row}.pdf'}: {words}"
    assert not list(tmp_path.iterdir())
