"""A batch from the page: a checked roster, built row by row in a thread, zipped in memory.

The roster, the PDFs and the zip stay in memory (they hold patients' names); the PDFs are
made by the batch's own job function (``build_job``) with caches of their own, as in a fresh
batch worker, so each is the file ``handout batch --jobs 1`` writes for that row, and the
zip's report is the batch's report. The zip exists only once
every row is done, so there is never half a zip to download.
"""

from __future__ import annotations

import io
import secrets
import threading
import time
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field

from ..errors import HandoutError
from ..export.batch import merge_row_errors
from ..export.files import NameBook
from ..export.job import job_output
from ..export.report import DEFAULT_REPORT_NAMES, BatchReport, RowResult
from ..export.roster import Roster
from ..export.worker import build_job
from ..render.reuse import Reuse

MAX_PAGE_ROWS = 500  # the page keeps every PDF in memory; 'handout batch' has no such limit
KEEP_RUNS = 4
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same roster gives the same zip


@dataclass
class BatchRun:
    """One uploaded roster: its rows' check results, then its progress, then its zip."""

    ident: str
    name: str
    roster: Roster
    status: str = "checked"  # checked -> running -> done
    done: int = 0
    failed: int = 0
    results: list[RowResult] = field(default_factory=list)
    summary: str = ""
    zip_data: bytes | None = None

    @property
    def total(self) -> int:
        return len(self.roster.jobs) + len({e.row for e in self.roster.errors})

    def rows(self) -> list[dict]:
        """Each row's check result, in roster order, for the page."""
        shown = [{"row": e.row, "ok": False, "message": str(e)} for e in self.roster.errors]
        for job in self.roster.jobs:
            what = getattr(job.request, "program", "") or "custom"
            shown.append({"row": job.row, "ok": True, "message": f"ready: a {job.kind} of {what}",
                          "patient": job.patient})
        return sorted(shown, key=lambda r: r["row"])

    def progress(self) -> dict:
        return {"status": self.status, "done": self.done, "failed": self.failed, "total": self.total,
                "summary": self.summary}

    def run(self, lock: threading.Lock) -> None:
        """Build every good row (one at a time, under ``lock``), then zip the PDFs and the report."""
        started = time.perf_counter()
        self.results = merge_row_errors(self.roster.errors)
        self.done = self.failed = len(self.results)
        names, files, reuse = NameBook(), [], Reuse()  # as a fresh batch worker starts
        for job in self.roster.jobs:
            begun = time.perf_counter()
            name = names.claim(job_output(job))
            try:
                with lock, reuse.active():
                    data = build_job(job)
                files.append((job.row, name, data))
                self.results.append(RowResult(job.row, job.patient_id, "written", name, "",
                                              round(time.perf_counter() - begun, 3)))
            except Exception as exc:  # a row's failure is its own, as in the batch's workers
                error = str(exc) if isinstance(exc, HandoutError) else f"unexpected error ({type(exc).__name__})"
                self.results.append(RowResult(job.row, job.patient_id, "failed", "", error))
                self.failed += 1
            self.done += 1
        rows = tuple(sorted(self.results, key=lambda r: r.row))
        report = BatchReport(rows, time.perf_counter() - started)
        self.zip_data = _zipped(sorted(files), report)
        self.summary = report.summary()
        self.status = "done"


def _zipped(files: list[tuple[int, str, bytes]], report: BatchReport) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for _, name, data in files:
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), data, zipfile.ZIP_STORED)
        json_name, csv_name = DEFAULT_REPORT_NAMES
        archive.writestr(zipfile.ZipInfo(json_name, ZIP_TIME), report.to_json().encode("utf-8"), zipfile.ZIP_DEFLATED)
        archive.writestr(zipfile.ZipInfo(csv_name, ZIP_TIME), report.to_csv().encode("utf-8-sig"), zipfile.ZIP_DEFLATED)
    return out.getvalue()


class BatchRuns:
    """The batches of this process, by a random id; the oldest finished ones are dropped."""

    def __init__(self, keep: int = KEEP_RUNS):
        self._runs: OrderedDict[str, BatchRun] = OrderedDict()
        self._keep = keep
        self._lock = threading.Lock()

    def add(self, name: str, roster: Roster) -> BatchRun:
        run = BatchRun(secrets.token_urlsafe(16), name, roster)
        with self._lock:
            self._runs[run.ident] = run
            for ident in [i for i, r in self._runs.items() if r.status != "running"][:-self._keep]:
                del self._runs[ident]
        return run

    def get(self, ident: str) -> BatchRun | None:
        with self._lock:
            return self._runs.get(ident)

    def start(self, run: BatchRun, lock: threading.Lock) -> bool:
        """Start ``run`` in a thread, once; False when it has started already."""
        with self._lock:
            if run.status != "checked":
                return False
            run.status = "running"
        threading.Thread(target=run.run, args=(lock,), name="handout-batch", daemon=True).start()
        return True
