"""Where jobs run: a local process pool, or a Dask cluster. Both take chunks and give Outcomes.

The local pool starts its workers with ``forkserver`` where the platform has it (``spawn``
elsewhere): each worker is forked from a clean process that has imported the worker module
and warmed it once (``preload``), so no ReportLab state or thread is inherited from the
parent, and no worker warms up on its own. Workers ignore Ctrl-C;
the parent decides what stops.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent import futures as cf
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..errors import RequestError

if TYPE_CHECKING:
    from .job import Job

Build = Callable[["Job"], bytes] | None
Dirs = tuple  # (content folders, template folders): see worker.Dirs
PRELOAD_MODULE = "handout.export.preload"  # imports the worker code and warms it (see there)


# The worker's functions, named here so that starting a pool imports no renderer in this
# process (``start_workers`` runs before the batch's own imports); the forkserver has
# imported the worker module already, so in a worker these cost nothing.
def init_worker(*args) -> None:
    from .worker import init_worker as init

    init(*args)


def run_chunk(items, build: Build = None):
    from .worker import run_chunk as run

    return run(items, build)


SOCKET_PATH_BYTES = 100  # AF_UNIX paths: at most 107 bytes on Linux, 103 on macOS; kept clear of both


def _forkserver_fits() -> bool:
    """Whether the forkserver's socket path (``$TMPDIR/pymp-*/listener-*``) fits an AF_UNIX address;
    a long TMPDIR makes it fail with "AF_UNIX path too long"."""
    from multiprocessing import util

    return len(os.fsencode(util.get_temp_dir())) + len("/listener-xxxxxxxx") <= SOCKET_PATH_BYTES


def _context():
    """forkserver where it works (see the module's docstring), else spawn, which needs no socket."""
    if "forkserver" in multiprocessing.get_all_start_methods() and _forkserver_fits():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([PRELOAD_MODULE])
        return context
    return multiprocessing.get_context("spawn")


@contextmanager
def _sigint_ignored():
    """Ignore Ctrl-C while starting processes, which keep ignoring it (a started Python does)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class WorkerDied(Exception):
    """A local worker process stopped (crashed, killed, out of memory) while the pool was busy."""


class LocalRunner:
    """A ``ProcessPoolExecutor`` whose workers note which job they are building and write
    their own PDFs to the temporary files the batch names (``staging``)."""

    splits_failed_chunks = False
    stages_files = True

    def __init__(self, workers: int, dirs: Sequence[Dirs], build: Build = None):
        self.workers = workers
        self.dirs = tuple(dirs)
        self.build = build
        self.context = _context()
        self._spawner: threading.Thread | None = None
        self._start()

    def _start(self) -> None:
        self.slots = self.context.Array("q", [-1] * self.workers, lock=False)
        counter = self.context.Value("i", 0)
        self.pool = cf.ProcessPoolExecutor(self.workers, mp_context=self.context, initializer=init_worker,
                                           initargs=(self.slots, counter, self.dirs, os.getpid()))

    def spawn(self) -> None:
        """Start every worker now, not on the first jobs."""
        try:
            for _ in range(self.workers):
                self.pool.submit(int)  # a job that does nothing, so the pool starts a worker for it
        except (BrokenProcessPool, RuntimeError):
            pass  # the batch's own first jobs meet the same problem and report it

    def spawn_in_background(self) -> None:
        """``spawn`` in a thread (the first start waits for the forkserver's imports), so a
        batch reads and plans its rows meanwhile; ``close`` waits for it first."""
        self._spawner = threading.Thread(target=self.spawn, daemon=True, name="handout-workers")
        self._spawner.start()

    def submit(self, items: list) -> cf.Future:
        try:
            return self.pool.submit(run_chunk, items, self.build)
        except BrokenProcessPool as exc:  # a worker died since the last look: this chunk is lost too
            future = cf.Future()
            future.set_exception(exc)
            return future

    def wait(self, pending: Sequence[cf.Future], timeout: float) -> set:
        done, _ = cf.wait(pending, timeout=timeout, return_when=cf.FIRST_COMPLETED)
        return done

    def result(self, future: cf.Future):
        try:
            return future.result()
        except BrokenProcessPool as exc:
            raise WorkerDied(str(exc)) from None

    def running(self) -> set[int]:
        """Indices of the jobs the workers were building (read after a worker died)."""
        return {int(i) for i in self.slots if i >= 0}

    def restart(self) -> None:
        self.close()
        self._start()

    def close(self) -> None:
        """Stop at once: queued work is cancelled and busy workers are ended (their results are not needed)."""
        # A worker still starting when the others are ended would wait for ever on the queue's
        # lock an ended idle worker held (and shutdown would wait for it): let the starts end.
        if self._spawner is not None:
            self._spawner.join()
        terminate = getattr(self.pool, "terminate_workers", None)
        if terminate is not None:
            terminate()
        else:
            for process in list((getattr(self.pool, "_processes", None) or {}).values()):
                if process.is_alive():
                    process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def finish(self) -> None:
        """Let the workers exit on their own once all work is done."""
        self.pool.shutdown(wait=True)


class NoWorkers(Exception):
    """The Dask scheduler answered but no worker joined it in time: nothing would ever run."""


class DaskRunner:
    """The same job function on a Dask cluster: the given scheduler, or a small local cluster.

    A scheduler with no workers accepts jobs and never runs them, so the runner first waits
    at most ``timeout`` seconds for one worker, then raises ``NoWorkers``.
    """

    splits_failed_chunks = True
    stages_files = False  # a worker may be on another machine: it sends the bytes back

    def __init__(self, workers: int, scheduler: str | None, build: Build = None, timeout: float = 60.0):
        try:
            import distributed
        except ImportError:
            raise RequestError("the dask executor needs dask.distributed: pip install 'handout-pdf[dask]'",
                               "executor") from None
        self.distributed = distributed
        self.build = build
        self.cluster = None
        try:
            if scheduler:
                self.client = distributed.Client(scheduler, timeout="20s")
            else:
                with _sigint_ignored():  # the workers inherit it: Ctrl-C is the parent's to handle
                    self.cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                            dashboard_address=None, silence_logs=logging.ERROR)
                self.client = distributed.Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            self._close_cluster()
            raise RequestError(f"cannot reach the Dask scheduler at {scheduler or 'a local cluster'}: {exc}",
                               "scheduler") from None
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError):
            self.close()
            raise NoWorkers(f"no Dask worker joined the scheduler at {scheduler or 'a local cluster'} within "
                            f"{timeout:g} s, so nothing was built; start workers (dask worker ADDRESS) or wait "
                            "longer with --scheduler-timeout") from None

    def submit(self, items: list):
        return self.client.submit(run_chunk, items, self.build, pure=False)

    def wait(self, pending: Sequence, timeout: float) -> set:
        try:
            self.distributed.wait(list(pending), timeout=timeout, return_when="FIRST_COMPLETED")
        except TimeoutError:
            pass
        return {f for f in pending if f.done()}

    def result(self, future):
        return future.result()

    def running(self) -> set[int]:
        return set()

    def close(self) -> None:
        self.client.close()
        self._close_cluster()

    finish = close

    def _close_cluster(self) -> None:
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None
