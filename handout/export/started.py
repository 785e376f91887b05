"""Workers started ahead of the batch that will use them.

``handout batch`` calls ``start_workers`` before it imports the batch code and reads the
roster: the forkserver imports the worker module, and each worker loads fonts, content and
templates, while this process imports, reads, checks and plans the rows. This module
imports no renderer, so the start is not held up by the imports it overlaps.
"""

from __future__ import annotations

import os

from .runners import LocalRunner

WORKERS_PER_CPU = 2  # more workers than this only share the same CPUs (and each holds its own fonts)
MAX_WORKERS = 64

# Started, not yet taken by a batch (``export_batch`` takes or ends them).
_STARTED: list[LocalRunner] = []


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def start_workers(workers: int | None = None, content_dirs: tuple[str, ...] = (),
                  template_dirs: tuple[str, ...] = ()) -> None:
    """Start the next local batch's workers now, in the background. ``export_batch`` takes
    them; ``end_started`` ends them if no batch will (say the roster could not be read)."""
    workers = _cpu_count() if workers is None else workers
    end_started()
    runner = LocalRunner(min(max(workers, 1), WORKERS_PER_CPU * _cpu_count(), MAX_WORKERS),
                         [(tuple(content_dirs), tuple(template_dirs))])
    runner.spawn_in_background()
    _STARTED.append(runner)


def end_started() -> None:
    """End the workers ``start_workers`` began that no batch took."""
    while _STARTED:
        _STARTED.pop().close()
