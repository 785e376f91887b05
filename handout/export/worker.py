"""What runs in a worker process or on a Dask worker: a chunk of jobs in, PDFs out.

A local worker writes each PDF to the temporary file the parent named for it (``staging``),
flushes a chunk's files to disk together and sends back only their hashes; the parent
renames each into place, so a killed worker never leaves a half-written PDF under a real
name. A Dask worker, maybe on another machine, sends the bytes back and the parent writes
them. Each worker loads fonts, templates and the library once (``warm``), then reuses them
for every job it is sent.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import HandoutError, quiet_library_logs
from ..markup.environment import environment
from ..model.library import load_library
from ..pipeline.handout import HANDOUT_TEMPLATE, build_handout
from ..pipeline.poster import build_poster
from ..model.printable import missing_char
from ..render.fonts import register_fonts
from .job import Item, Job, Outcome
from .files import describe_error
from .staging import ChunkFiles, libc_syncfs

Dirs = tuple[tuple[str, ...], tuple[str, ...]]

# Set in each local worker by ``init_worker``: a shared array where worker ``_SLOT`` notes the
# index of the job it is building or writing, so the parent knows which job was running if a worker dies.
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
    """``warm`` for the bundled folders and look up ``syncfs``, then freeze what that made out
    of the garbage collector's rounds (run in the forkserver: ``preload``)."""
    warm([((), ())])
    libc_syncfs()
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


def _note(index: int) -> None:
    """Note in this worker's slot the job it is on, -1 for none."""
    if _SLOTS is not None:
        _SLOTS[_SLOT] = index


def run_chunk(items: Sequence[Item], build: Callable[[Job], bytes] | None = None) -> list[Outcome]:
    """Build each ``(index, job, place)``, writing the bytes to ``place`` when one is given;
    one job's failure is its own Outcome and never stops the rest.

    The chunk's files are flushed to disk together once all are written (``ChunkFiles``), and
    the Outcomes go back only then, so the parent renames none early.
    """
    build = build or build_job
    files = ChunkFiles()
    outcomes: list[Outcome] = []
    for index, job, place in items:
        _note(index)
        started = time.perf_counter()
        try:
            data = build(job)
            if not isinstance(data, (bytes, bytearray)):
                raise TypeError(f"the builder returned {type(data).__name__}, not PDF bytes")
            if place is None:
                outcomes.append(Outcome(index, bytes(data), "", time.perf_counter() - started))
            else:
                digest = files.write(place, bytes(data))
                outcomes.append(Outcome(index, None, "", time.perf_counter() - started, place, digest))
        except Exception as exc:  # noqa: BLE001  one job's failure is its own row
            outcomes.append(_failed(index, exc, time.perf_counter() - started))
        finally:
            _note(-1)
    try:
        files.flush()
    except OSError as exc:  # (flush removed every file of the chunk)
        return [Outcome(o.index, None, describe_error(exc, Path(o.place.target)), o.seconds) if o.place else o
                for o in outcomes]
    return outcomes


def _failed(index: int, exc: Exception, seconds: float) -> Outcome:
    """A failed job's Outcome: bad input says what is wrong; anything else is a bug, reported
    on the row rather than losing the chunk."""
    if isinstance(exc, HandoutError):
        return Outcome(index, None, str(exc), seconds)
    return Outcome(index, None, f"unexpected error ({type(exc).__name__}): {exc}", seconds)
