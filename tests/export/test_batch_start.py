"""The workers start while the roster is read: ``start_workers`` begins them in the
background and the next local batch takes them (counted in pools made, never in seconds)."""

from __future__ import annotations

import pytest

from handout.export import batch

from .test_batch import fake_pdf, handout_jobs


def _counting(monkeypatch) -> list:
    made = []
    real = batch.LocalRunner

    def counting(workers, *args, **kwargs):
        made.append(workers)
        return real(workers, *args, **kwargs)

    monkeypatch.setattr(batch, "LocalRunner", counting)
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
