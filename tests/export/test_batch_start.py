"""The workers start while the roster is read: ``start_workers`` begins them in the
background and the next local batch takes them (counted in pools made, never in seconds)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from handout.export import batch, started as started_module

from ..conftest import REPO
from .test_batch import fake_pdf, handout_jobs


def _counting(monkeypatch) -> list:
    made = []
    real = batch.LocalRunner

    def counting(workers, *args, **kwargs):
        made.append(workers)
        return real(workers, *args, **kwargs)

    monkeypatch.setattr(batch, "LocalRunner", counting)
    monkeypatch.setattr(started_module, "LocalRunner", counting)
    return made


def test_the_next_batch_takes_the_started_workers(tmp_path, monkeypatch):
    made = _counting(monkeypatch)
    batch.start_workers(1)
    report = batch.export_batch(handout_jobs(2), tmp_path, workers=1)
    assert report.counts["written"] == 2
    assert made == [1]  # no second pool: the batch used the one already starting
    assert not batch._STARTED


def test_workers_that_do_not_suit_the_batch_are_ended_and_new_ones_made(tmp_path, monkeypatch):
    made = _counting(monkeypatch)
    batch.start_workers(1)
    started = batch._STARTED[0]
    report = batch.export_batch(handout_jobs(2), tmp_path, workers=1, build=fake_pdf)  # another builder
    assert report.counts["written"] == 2
    assert made == [1, 1] and not batch._STARTED
    with pytest.raises(RuntimeError):  # the started pool was shut down
        started.pool.submit(int)


def _cli(*args):
    from click.testing import CliRunner

    from handout.cli import cli

    return CliRunner().invoke(cli, list(args))


def test_handout_batch_starts_its_workers_before_reading_the_roster_and_uses_them(tmp_path, monkeypatch):
    made = _counting(monkeypatch)
    roster = tmp_path / "roster.csv"
    roster.write_text("patient,program,date\nZoë Ünal,ir-mobility,2026-11-25\nSam Lee,ir-strength,2026-11-25\n",
                      encoding="utf-8")
    result = _cli("batch", str(roster), "--out-dir", str(tmp_path / "out"), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 2
    assert made == [1] and not batch._STARTED  # the pool started first is the one that built


def test_workers_started_for_a_roster_that_cannot_be_read_are_ended(tmp_path, monkeypatch):
    made = _counting(monkeypatch)
    (tmp_path / "bad.csv").write_bytes(b"\xff\xfe\x00not a roster")
    result = _cli("batch", str(tmp_path / "bad.csv"), "--out-dir", str(tmp_path / "out"), "--jobs", "1")
    assert result.exit_code == 1, result.output
    assert made == [1] and not batch._STARTED  # started, then ended with nothing to build


def test_ending_workers_still_starting_does_not_hang():
    """Workers still starting when the pool is ended (a roster refused at once): the starts
    end first, then every worker is ended (none is left waiting on the work queue)."""
    import threading

    batch.start_workers(2)
    runner = batch._STARTED[0]
    ender = threading.Thread(target=batch.end_started, daemon=True)
    ender.start()
    ender.join(120)  # a hang detector, not a timing: the end takes a second or two
    assert not ender.is_alive() and not batch._STARTED
    assert not any(p.is_alive() for p in (runner.pool._processes or {}).values())



def report_warmth(job) -> bytes:
    """What a worker holds before its first job: the forkserver's warm-up, inherited by fork."""
    import gc
    import json

    from reportlab.pdfbase import pdfmetrics

    return b"%PDF- " + json.dumps({"frozen": gc.get_freeze_count(),
                                   "fonts": "NotoSans" in pdfmetrics.getRegisteredFontNames()}).encode()


def test_workers_start_warm_from_the_forkserver(tmp_path):
    """The forkserver loads fonts, content and templates before it forks: a worker's first job
    finds the fonts registered and the warm-up frozen out of the collector."""
    report = batch.export_batch(handout_jobs(1), tmp_path, workers=1, build=report_warmth)
    assert report.counts["written"] == 1
    warm = json.loads(next(tmp_path.glob("*.pdf")).read_bytes()[6:])
    assert warm["frozen"] > 10_000 and warm["fonts"]


PRELOADED_BUILD = """
import datetime as dt, json, sys
import handout.export.preload  # what a batch's forkserver runs before it forks a worker
from handout.export.worker import build_job
from handout.export.job import Job
from handout.model.request import HandoutRequest
request = HandoutRequest(program="ir-mobility", patient="Sam Smith", date=dt.date(2026, 11, 25))
pdf = build_job(Job(1, "handout", request))
print(json.dumps({"pdf": pdf.startswith(b"%PDF"), "metadata": "importlib.metadata" in sys.modules}))
"""


@pytest.mark.parametrize("plugins, reads_metadata", [("__all__", False), ("", True)])
def test_a_forkserver_inherits_plugins_off_and_its_workers_read_no_package_metadata(plugins, reads_metadata):
    """``handout batch`` turns pydantic's plugins off and its forkserver inherits that: the
    preload stands in for pydantic's plugin loader, so no worker reads every installed package's
    metadata on its first job; with plugins on, pydantic's own loader runs."""
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": plugins, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", PRELOADED_BUILD], env=env, capture_output=True, text=True,
                          cwd=REPO, check=True)
    assert json.loads(done.stdout.splitlines()[-1]) == {"pdf": True, "metadata": reads_metadata}


@pytest.mark.parametrize("rows, workers", [(1000, 2), (1000, 1), (37, 4), (3, 8), (1, 1)])
def test_chunks_shrink_toward_single_rows_at_the_end(rows, workers):
    """Each row once, in order, in chunks of at most MAX_CHUNK that never grow, the last
    ``workers`` of them a single row: the workers end within a row of each other."""
    chunks = batch.chunked(list(range(rows)), workers)
    sizes = [len(c) for c in chunks]
    assert [i for c in chunks for i in c] == list(range(rows))
    assert max(sizes) <= batch.MAX_CHUNK and sizes == sorted(sizes, reverse=True)
    assert sizes[-min(workers, len(sizes)):] == [1] * min(workers, len(sizes))
    if rows == 1000:
        assert len(chunks) < rows // 5  # still chunks, not a message per row
