"""The batch's files are flushed to disk in writer threads, never on its main thread, and a
row is known as done (journal, manifest, report) only once its file is on disk."""

from __future__ import annotations

import hashlib
import json
import threading

from handout import export_batch
from handout.export import files as files_module
from handout.export.manifest import MANIFEST_NAME, Manifest

from .test_batch import fake_pdf, handout_jobs, leftovers


def test_the_main_thread_flushes_only_the_manifest(tmp_path, monkeypatch):
    real_fsync = files_module.os.fsync
    calls: dict[str, int] = {}

    def counted(fd):
        where = "main" if threading.current_thread() is threading.main_thread() else "writer"
        calls[where] = calls.get(where, 0) + 1
        real_fsync(fd)

    monkeypatch.setattr(files_module.os, "fsync", counted)
    report = export_batch(handout_jobs(12), tmp_path, workers=1, build=fake_pdf)
    assert report.counts["written"] == 12
    assert calls == {"main": 1, "writer": 12}  # the manifest's one; every PDF's in a writer thread
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())["files"]
    assert len(manifest) == 12 and not leftovers(tmp_path)
    for name, entry in manifest.items():
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == entry["output"]


def test_a_row_reaches_the_journal_only_once_its_file_is_on_disk(tmp_path, monkeypatch):
    real_line = Manifest.journal_line
    seen: list[bool] = []

    def checked(self, name, inputs, digest):
        path = tmp_path / name
        seen.append(path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() == digest)
        real_line(self, name, inputs, digest)

    monkeypatch.setattr(Manifest, "journal_line", checked)
    progress: list[tuple[int, int, int]] = []
    report = export_batch(handout_jobs(9), tmp_path, workers=2, build=fake_pdf,
                          on_progress=lambda *counts: progress.append(counts))
    assert report.counts["written"] == 9 and seen == [True] * 9
    assert progress[-1] == (9, 0, 9)
    written = [r for r in report.rows if r.status == "written"]
    assert all((tmp_path / r.output).exists() for r in written)
