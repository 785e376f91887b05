"""What runs in a worker process or on a Dask worker: a chunk of jobs in, PDFs out.

A local worker writes each PDF to the temporary file the parent named for it (``staging``)
and sends back only its hash; the parent renames it into place, so a killed worker never
leaves a half-written PDF under a real name. A Dask worker, maybe on another machine, sends
the bytes back and the parent writes them. Each worker loads fonts, templates and the
library once (``warm``), then reuses them for every job it is sent.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence

from ..errors import HandoutError, quiet_library_logs
from ..markup.environment import environment
from ..model.library import load_library
from ..pipeline.handout import HANDOUT_TEMPLATE, build_handout
from ..pipeline.poster import build_poster
from ..model.printable import missing_char
from ..render.fonts import register_fonts
from .job import Item, Job, Outcome
from .staging import stage

Dirs = tuple[tuple[str, ...], tuple[str, ...]]

# Set in each local worker by ``init_worker``: a shared array where worker ``_SLOT`` notes the
# index of the job it is building, so the parent knows which job was running if a worker dies.
_SLOTS = None
WATCH_SECONDS = 0.5
_SLOT = -1


def warm(dirs: Sequence[Dirs]) -> None:
    """Load fonts, the library and the templates once in this process (cached from then on)."""
    register_fonts()
    missing_char("a")
    for content_dirs, template_dirs in dirs:
        try:
            load_library(content_dirs)
            environment(template_dirs).get_template(HANDOUT_TEMPLATE)
        except HandoutError:
            pass  # the job itself reports the problem, naming the file


def warm_up() -> None:
    """``warm`` for the bundled folders, then what that made frozen out of the garbage
    collector's rounds (run in the forkserver: ``preload``)."""
    warm([((), ())])
    gc.freeze()


def init_worker(slots, counter, dirs: Sequence[Dirs], batch_pid: int | None = None) -> None:
    """Initializer of a local worker process: ignore Ctrl-C and SIGHUP (the batch handles them and ends
    its workers), take a slot, warm up, and exit on its own if the batch is gone."""
    global _SLOTS, _SLOT
    for signum in (signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)
    quiet_library_logs()
    if batch_pid is not None:
        threading.Thread(target=_exit_when_gone, args=(batch_pid,), daemon=True, name="handout-watch").start()
    with counter.get_lock():
        _SLOT = counter.value
        counter.value += 1
    _SLOTS = slots if _SLOT < len(slots) else None
    warm(dirs)


def _exit_when_gone(batch_pid: int) -> None:
    """A worker outlives a batch killed with SIGKILL unless it looks: once the batch process is
    gone (or this worker was handed to init), exit at once."""
    while True:
        time.sleep(WATCH_SECONDS)
        try:
            os.kill(batch_pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass  # the pid is alive (someone else's, rarely): keep looking


def build_job(job: Job) -> bytes:
    """The PDF bytes of one job: the same call, and so the same bytes, as a single build."""
    if job.kind == "poster":
        return build_poster(job.request)
    return build_handout(job.request)


def run_chunk(items: Sequence[Item], build: Callable[[Job], bytes] | None = None) -> list[Outcome]:
    """Build each ``(index, job, place)``, writing the bytes to ``place`` when one is given;
    one job's failure is its own Outcome and never stops the rest."""
    build = build or build_job
    outcomes = []
    for index, job, place in items:
        if _SLOTS is not None:
            _SLOTS[_SLOT] = index
        started = time.perf_counter()
        try:
            data = build(job)
            if not isinstance(data, (bytes, bytearray)):
                raise TypeError(f"the builder returned {type(data).__name__}, not PDF bytes")
            if place is None:
                outcomes.append(Outcome(index, bytes(data), "", time.perf_counter() - started))
            else:
                digest = stage(place, data)
                outcomes.append(Outcome(index, None, "", time.perf_counter() - started, place, digest))
        except HandoutError as exc:
            outcomes.append(Outcome(index, None, str(exc), time.perf_counter() - started))
        except Exception as exc:  # a bug, not bad input: report it on the row rather than lose the chunk
            outcomes.append(Outcome(index, None, f"unexpected error ({type(exc).__name__}): {exc}",
                                    time.perf_counter() - started))
        finally:
            if _SLOTS is not None:
                _SLOTS[_SLOT] = -1
    return outcomes
