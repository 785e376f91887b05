"""Run many jobs: plan names, skip what is up to date, build in workers, rename in the parent.

    jobs --plan (safe unique names, skip up-to-date)--> chunks --workers--> staged files
         --rename (in this process)--> files + manifest --> BatchReport

Nothing is lost: a local worker writes each PDF to a temporary file this process named
(a Dask worker sends the bytes back instead) and only this process renames it into place;
on Ctrl-C the pending work is cancelled, every finished file stays, no temporary file is
left, and the report still lists every row (``not run`` for the rows not reached). A worker
that dies takes only the row it was building with it: the rows it was running beside are
retried alone, to find which one it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import OutputError, RequestError
from ..model.plan import default_date
from .files import (Confiner, NameBook, check_relative_name, check_target, file_identity, folder_lock,
                    remove_leftovers, write_atomic)
from .job import Item, Job, Outcome, job_output
from .manifest import InputDigests, Manifest
from .report import BatchReport, RowResult
from .roster import Roster, RowError
from .runners import DaskRunner, LocalRunner, NoWorkers, WorkerDied
from .staging import StagingArea
# (start_workers is named here too: the API's callers start workers from this module)
from .started import _STARTED, MAX_WORKERS, WORKERS_PER_CPU, _cpu_count, end_started, start_workers  # noqa: F401

Progress = Callable[[int, int, int], None]
EXECUTORS = ("local", "dask")
MAX_CHUNK = 8
CHUNKS_PER_WORKER = 4
POLL_SECONDS = 0.1
MAX_BLIND_RESTARTS = 3
WORKER_DIED = ("the worker process stopped while building this row (it crashed or was killed); "
               "the other rows were not affected")
WORKERS_KEEP_DYING = ("the worker processes stopped before building anything, again and again; is the machine "
                      "out of memory, or does the script that started the batch lack "
                      "'if __name__ == \"__main__\":'?")


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP (or a KeyboardInterrupt from ``on_progress``) stopped the batch;
    ``report`` says what was done, ``signum`` which signal, ``exit_code`` the shell's 128 + signum."""

    def __init__(self, report: BatchReport, signum: int = signal.SIGINT):
        super().__init__("batch interrupted")
        self.report = report
        self.signum = int(signum)
        self.exit_code = 128 + self.signum  # the shell's convention: 130 for Ctrl-C, 143 for SIGTERM


@dataclass(frozen=True, slots=True)
class _Planned:
    index: int
    row: int
    patient_id: str | None
    name: str
    target: str
    inputs: str | None


def export_batch(jobs: Roster | Iterable[Job], out_dir: str | Path, workers: int | None = None,
                 on_progress: Progress | None = None, executor: str = "local", force: bool = False,
                 fail_fast: bool = False, scheduler: str | None = None, *,
                 build: Callable[[Job], bytes] | None = None, scheduler_timeout: float = 60.0) -> BatchReport:
    """Build every job into ``out_dir`` and report on every row.

    ``jobs`` is a ``Roster`` (its bad rows are reported as failed) or any iterable of
    ``Job``. ``workers`` defaults to the CPU count. ``on_progress(done, failed, total)`` is
    called as rows finish: ``done`` counts every finished row (written, skipped or failed),
    ``failed`` those that failed. ``executor`` is "local" (a process pool) or "dask" (the
    cluster at ``scheduler``, or a local one). ``force`` rebuilds up-to-date files;
    ``fail_fast`` runs nothing if a row is bad and stops at the first failed job. ``build``
    replaces the builder (a picklable ``job -> bytes``); the default builds the job's
    handout or poster. ``scheduler_timeout`` is how many seconds a Dask scheduler may go
    without a worker before every row fails saying so. A roster's own file is never written
    over. Raises ``BatchInterrupted`` (a ``KeyboardInterrupt``) on Ctrl-C, carrying the report.
    """
    started = time.perf_counter()
    if executor not in EXECUTORS:
        raise RequestError(f'"{executor}" is not an executor; choose local or dask', "executor")
    if scheduler and executor != "dask":
        raise RequestError('a scheduler address needs executor="dask"', "scheduler")
    workers = _cpu_count() if workers is None else workers
    if workers < 1:
        raise RequestError(f"must be at least 1, got {workers}", "workers")
    row_errors: tuple[RowError, ...] = ()
    inputs: dict[tuple[int, int], str] = {}
    if isinstance(jobs, Roster):
        identity = file_identity(jobs.path)
        inputs = {identity: f"the roster {jobs.path}"} if identity else {}
        row_errors, jobs = jobs.errors, jobs.jobs
    if not isinstance(jobs, Sequence):
        jobs = list(jobs)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out}: {exc.strerror or exc}") from None
    run = _Run(jobs, out, row_errors, on_progress, force, fail_fast, inputs)
    interrupted = False
    with _DeferredInterrupt() as interrupt, folder_lock(out) as alone:
        try:
            if alone:
                remove_leftovers(out)
            run.plan(interrupt)
            if run.pending and not (fail_fast and run.failed):
                run.execute(workers, executor, scheduler, build, interrupt, scheduler_timeout)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            run.finish()
            end_started()  # started for this batch, not needed (every row skipped or refused)
    report = BatchReport(run.report_rows(), time.perf_counter() - started, str(out), interrupted, run.notes)
    if interrupted:
        raise BatchInterrupted(report, interrupt.signum or signal.SIGINT)
    return report


def _started_runner(workers: int, dirs: list, build) -> LocalRunner:
    """The workers ``start_workers`` began, if they suit this run; else new ones."""
    runner = _STARTED.pop() if _STARTED else None
    if runner is not None and runner.workers >= workers and build is None and set(dirs) <= set(runner.dirs):
        return runner
    if runner is not None:
        runner.close()
    return LocalRunner(workers, dirs, build)


def _prepared(job: Job, today: dt.date) -> Job:
    """The job as it will be built: a handout without a date gets the batch's date, fixed once,
    so its file name, its inputs hash and the date printed in it all agree (even past midnight)."""
    if job.kind == "handout" and job.request.date is None:
        return replace(job, request=job.request.model_copy(update={"date": today}))
    return job


class _Run:
    """The state of one batch: planned rows, results so far, the manifest."""

    def __init__(self, jobs: Sequence[Job], out: Path, row_errors: tuple[RowError, ...],
                 on_progress: Progress | None, force: bool, fail_fast: bool,
                 inputs: dict[tuple[int, int], str] | None = None):
        self.jobs, self.out, self.on_progress = jobs, out, on_progress
        self.inputs = inputs or {}
        self.force, self.fail_fast = force, fail_fast
        self.results: dict[int, RowResult] = {}
        self.pending: list[_Planned] = []
        self.planned: dict[int, _Planned] = {}
        self.errors = merge_row_errors(row_errors)
        self.total = len(jobs) + len(self.errors)
        self.failed = len(self.errors)
        self.done = len(self.errors)
        self.manifest = Manifest(out, self.inputs)
        self.staging = StagingArea()
        self.notes: tuple[str, ...] = ()
        self.dirs: list = []
        self.today = default_date()

    # -- planning: names, confinement, up-to-date checks; no building yet --------------------
    def plan(self, interrupt: "_DeferredInterrupt") -> None:
        names, digests, confined = NameBook(), InputDigests(), Confiner(self.out)
        for index, job in enumerate(self.jobs):
            if index % 1000 == 0:
                interrupt.check()
            job = _prepared(job, self.today)
            try:
                name = names.claim(check_relative_name(job_output(job)))
                target = confined(name)
                check_target(target, self.inputs)
            except OutputError as exc:
                self._finish(index, job.row, job.patient_id, "failed", "", f"output: {exc}")
                continue
            shown = str(self.out / name)
            planned = _Planned(index, job.row, job.patient_id, name, target, digests.digest(job))
            if not self.force and self.manifest.up_to_date(name, planned.inputs, target):
                self._finish(index, job.row, job.patient_id, "skipped", shown)
                continue
            self.pending.append(planned)
            self.planned[index] = planned
            pair = (job.request.content_dirs, job.request.template_dirs)
            if pair not in self.dirs and len(self.dirs) < 4:
                self.dirs.append(pair)
        self.progress()

    # -- building ----------------------------------------------------------------------------
    def execute(self, workers: int, executor: str, scheduler: str | None, build, interrupt,
                scheduler_timeout: float = 60.0) -> None:
        indices = [p.index for p in self.pending]
        queue = deque(chunked(indices, workers))
        asked, cpus = workers, _cpu_count()
        workers = min(workers, len(queue), WORKERS_PER_CPU * cpus, MAX_WORKERS)
        if workers < asked and asked > WORKERS_PER_CPU * cpus:
            self.notes += (f"{asked} workers asked for; {workers} started (this machine has {cpus} CPUs "
                           f"and {len(indices)} rows to build)",)
        try:
            runner = (DaskRunner(workers, scheduler, build, scheduler_timeout) if executor == "dask"
                      else _started_runner(workers, self.dirs, build))
        except NoWorkers as exc:  # every row fails saying why; the report is still written
            for index in indices:
                self.fail(index, str(exc))
            return
        _Dispatcher(self, runner, queue, workers, interrupt).run()

    def take(self, outcome: Outcome) -> None:
        """Put one finished job's file in place (here, never in a worker) and record the row."""
        planned = self.planned[outcome.index]
        shown = str(self.out / planned.name)
        if outcome.failed:
            self._finish(planned.index, planned.row, planned.patient_id, "failed", "",
                         self._private(planned.index, outcome.error), outcome.seconds)
            return
        started = time.perf_counter()
        try:
            if outcome.place is not None:
                self.staging.commit(outcome.place, self.inputs)
                digest = outcome.digest
            else:
                write_atomic(Path(planned.target), outcome.data, self.inputs)
                digest = hashlib.sha256(outcome.data).hexdigest()
        except OutputError as exc:
            self._finish(planned.index, planned.row, planned.patient_id, "failed", "",
                         str(exc), outcome.seconds + time.perf_counter() - started)
            return
        self.manifest.record(planned.name, planned.inputs, digest)
        self._finish(planned.index, planned.row, planned.patient_id, "written", shown,
                     seconds=outcome.seconds + time.perf_counter() - started)

    def fail(self, index: int, message: str) -> None:
        planned = self.planned[index]
        self._finish(index, planned.row, planned.patient_id, "failed", "", message)

    def should_stop(self) -> bool:
        return self.fail_fast and self.failed > 0

    def _finish(self, index: int, row: int, patient_id, status: str, output: str = "", error: str = "",
                seconds: float = 0.0) -> None:
        self.results[index] = RowResult(row, patient_id, status, output, error, round(seconds, 3))
        self.done += 1
        self.failed += status == "failed"

    def _private(self, index: int, message: str) -> str:
        """The error with the patient's name taken out: reports identify rows by number and id."""
        name = getattr(self.jobs[index].request, "patient", "")
        return message.replace(name, "<patient>") if name and len(name) > 1 else message

    def progress(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.done, self.failed, self.total)

    # -- the end: whatever happened, the manifest is saved and every row has a status --------
    def finish(self) -> None:
        """(Only once no worker can write: the runner is closed or finished.)"""
        self.staging.clear()
        for planned in self.pending:
            if planned.index not in self.results:
                self.results[planned.index] = RowResult(planned.row, planned.patient_id, "not run")
        try:
            self.manifest.save()
        except OutputError as exc:
            self.notes += (str(exc),)

    def report_rows(self) -> tuple[RowResult, ...]:
        rows = [(r.row, 0, r) for r in self.errors] + [(r.row, 1 + i, r) for i, r in self.results.items()]
        return tuple(r for _, _, r in sorted(rows, key=lambda t: (t[0], t[1])))


def chunked(indices: list[int], workers: int) -> list[list[int]]:
    """The rows in chunks, each about 1/CHUNKS_PER_WORKER of a worker's share and at most
    MAX_CHUNK (one job a message costs more than building it would gain), shrinking toward one
    row at the end (guided self-scheduling), so the workers finish within a row of each other
    instead of one waiting for the other's last whole chunk."""
    size = max(1, min(MAX_CHUNK, math.ceil(len(indices) / (workers * CHUNKS_PER_WORKER))))
    chunks, start = [], 0
    while start < len(indices):
        step = min(size, math.ceil((len(indices) - start) / (workers * CHUNKS_PER_WORKER)))
        chunks.append(indices[start:start + step])
        start += step
    return chunks


def merge_row_errors(errors: tuple[RowError, ...]) -> list[RowResult]:
    """One failed report row per bad roster row, all its problems in one message."""
    by_row: dict[int, list[RowError]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(error)
    return [RowResult(row, found[0].patient_id, "failed", "",
                      "; ".join(f"{e.column}: {e.message}" if e.column else e.message for e in found))
            for row, found in sorted(by_row.items())]


class _Dispatcher:
    """Keeps the workers busy with chunks, takes results as they come, survives a dying worker.

    When a local worker dies, every chunk in flight comes back broken. The rows the workers
    were building at that moment (noted in shared memory) are each run again alone; a row
    that kills its worker alone fails, and every other row is built as usual.
    """

    def __init__(self, run: _Run, runner, queue: deque, workers: int, interrupt: "_DeferredInterrupt"):
        self.run_, self.runner, self.queue = run, runner, queue
        self.window = workers * 2
        self.interrupt = interrupt
        self.in_flight: dict = {}
        self.isolate: deque[int] = deque()
        self.alone: int | None = None
        self.lost: list[int] = []
        self.blind_restarts = 0

    def run(self) -> None:
        stopped = False
        try:
            while (self.queue or self.in_flight or self.isolate) and not stopped:
                self.interrupt.check()
                self._fill()
                done = self.runner.wait(list(self.in_flight), POLL_SECONDS)
                for future in done:
                    self._collect(future, self.in_flight.pop(future))
                if self.lost:
                    self._recover()
                if done:
                    self.run_.progress()
                stopped = self.run_.should_stop()
        finally:
            if stopped or self.queue or self.in_flight or self.isolate:
                self.runner.close()
            else:
                self.runner.finish()

    def _fill(self) -> None:
        if self.alone is not None:  # a suspect runs alone until it finishes or kills its worker
            return
        if self.isolate:
            if not self.in_flight:
                self.alone = self.isolate.popleft()
                self.in_flight[self.runner.submit(self._items([self.alone]))] = [self.alone]
            return
        while self.queue and len(self.in_flight) < self.window:
            chunk = self.queue.popleft()
            self.in_flight[self.runner.submit(self._items(chunk))] = chunk

    def _items(self, chunk: list[int]) -> list[Item]:
        run = self.run_
        stages = self.runner.stages_files
        return [(i, _prepared(run.jobs[i], run.today), run.staging.place(run.planned[i].target) if stages else None)
                for i in chunk]

    def _collect(self, future, chunk: list[int]) -> None:
        try:
            outcomes = self.runner.result(future)
        except WorkerDied:
            self.lost.extend(chunk)
            return
        except Exception as exc:  # a Dask worker lost, a result that could not be sent back
            outcomes = []
            if self.runner.splits_failed_chunks and len(chunk) > 1:
                self.queue.extendleft([i] for i in reversed(chunk))
            else:
                for index in chunk:
                    self.run_.fail(index, f"the job could not run: {type(exc).__name__}: {exc}")
        if chunk == [self.alone]:
            self.alone = None
        for outcome in outcomes:
            self.run_.take(outcome)

    def _recover(self) -> None:
        running = self.runner.running()  # read before the restart replaces the shared memory
        for future, chunk in list(self.in_flight.items()):
            if future.done() and not future.exception():
                self._collect(future, chunk)
            else:
                self.lost.extend(chunk)
        self.in_flight.clear()
        lost, self.lost = sorted(set(self.lost)), []
        self.runner.restart()
        suspects = [i for i in lost if i in running]
        if self.alone is not None and lost == [self.alone] and suspects:
            self.alone = None
            self.run_.fail(lost[0], WORKER_DIED)
            return
        if self.alone is not None and lost == [self.alone]:
            self.isolate.appendleft(self.alone)  # its worker died before starting it: try it again alone
            lost = []
        self.alone = None
        if not suspects:  # the workers died before starting any job
            self.blind_restarts += 1
            if self.blind_restarts >= MAX_BLIND_RESTARTS:
                for index in lost + [i for c in self.queue for i in c] + list(self.isolate):
                    self.run_.fail(index, WORKERS_KEEP_DYING)
                self.queue.clear()
                self.isolate.clear()
                return
            self.queue.extendleft([lost[i:i + MAX_CHUNK] for i in range(0, len(lost), MAX_CHUNK)][::-1])
            return
        self.isolate.extend(suspects)
        others = [i for i in lost if i not in suspects]
        self.queue.extendleft([others[i:i + MAX_CHUNK] for i in range(0, len(others), MAX_CHUNK)][::-1])


STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class _DeferredInterrupt:
    """Turn the first Ctrl-C, SIGTERM or SIGHUP into a flag the batch checks between steps, never mid-write.

    ``timeout``, systemd and container stops send SIGTERM, a closed terminal SIGHUP: each
    stops the batch the way Ctrl-C does (finished files kept, report and manifest written).
    A second signal interrupts at once. Only the main thread can own signal handlers; in
    any other thread this does nothing and signals go where they always would.
    """

    def __init__(self) -> None:
        self.hit = False
        self.signum = 0
        self._previous: dict = {}

    def __enter__(self) -> "_DeferredInterrupt":
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:
                self._previous[signum] = signal.getsignal(signum)
                signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)

    def _handle(self, signum, frame) -> None:
        if self.hit:
            raise KeyboardInterrupt
        self.hit, self.signum = True, signum

    def check(self) -> None:
        if self.hit:
            raise KeyboardInterrupt
