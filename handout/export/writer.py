"""Write a batch's finished PDFs off its main thread: the flush to disk is waiting, not work.

While the main thread waits for one file's ``fsync`` it cannot take the next worker's
bytes, so with two workers the parent, not the workers, set the pace. Here each file is
still written by ``write_atomic`` (temporary file, flush to disk, rename), in a few
threads; a row counts as written only when its write has returned, so the report and
the manifest never name a file that is not on disk, and ``drain`` waits for every write
begun, so a stopped batch leaves nothing half-written.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from ..errors import OutputError
from .files import write_atomic

WRITER_THREADS = 2
MAX_PENDING = 32  # files handed over and not yet written: bounds the bytes held in memory


@dataclass(frozen=True, slots=True)
class Written:
    """One write's end: the file's SHA-256, or the error that stopped it; how long it took."""

    index: int
    digest: str | None
    error: str
    seconds: float


def _write(index: int, path: Path, data: bytes, inputs: Mapping | None,
           on_disk: Callable[[int, str], None] | None) -> Written:
    started = time.perf_counter()
    try:
        write_atomic(path, data, inputs)
    except OutputError as exc:
        return Written(index, None, str(exc), time.perf_counter() - started)
    digest = hashlib.sha256(data).hexdigest()
    if on_disk is not None:
        on_disk(index, digest)
    return Written(index, digest, "", time.perf_counter() - started)


class Writer:
    """Writes files in ``threads`` threads; ``finished`` hands back the writes that have ended.

    ``on_disk(index, digest)`` runs in the writing thread as soon as a file is on disk (the
    manifest's journal, so that even a SIGKILL a moment later leaves the row known as done).
    """

    def __init__(self, inputs: Mapping | None = None, threads: int = WRITER_THREADS,
                 on_disk: Callable[[int, str], None] | None = None):
        self.inputs, self.on_disk = inputs, on_disk
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="handout-write")
        self.pending: set[Future] = set()

    def submit(self, index: int, path: Path, data: bytes) -> list[Written]:
        """Start writing ``data`` to ``path``; when too many writes wait, first the ones that end."""
        ended = self.finished(None) if len(self.pending) >= MAX_PENDING else []
        self.pending.add(self.pool.submit(_write, index, path, data, self.inputs, self.on_disk))
        return ended

    def finished(self, timeout: float | None = 0.0) -> list[Written]:
        """The writes that have ended, waiting at most ``timeout`` seconds (None: for one) for the first."""
        if not self.pending:
            return []
        done, self.pending = wait(self.pending, timeout=timeout, return_when=FIRST_COMPLETED)
        return [future.result() for future in done]

    def drain(self) -> list[Written]:
        """Wait for every write begun, then let the threads go."""
        done, self.pending = wait(self.pending), set()
        self.pool.shutdown(wait=True)
        return [future.result() for future in done[0]]
