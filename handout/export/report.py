"""What a batch did, row by row: written, skipped, failed or not run, with the reason and time.

The report names rows by number and ``patient_id``, never by the patient's name (DESIGN.md,
"Security and privacy"); file names made from names when a row has no ``patient_id`` are
the one exception, as the report must say where each file went.

Statuses: ``written`` (a new PDF), ``skipped`` (the PDF was already up to date),
``failed`` (a bad row or a failed build, with the error), ``not run`` (the batch stopped
first: Ctrl-C, or ``fail_fast`` after a failure; a rerun builds these rows).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import OutputError
from .files import write_atomic

STATUSES = ("written", "skipped", "failed", "not run")
FIELDS = ("row", "patient_id", "status", "output", "error", "seconds")
DEFAULT_REPORT_NAMES = ("batch-report.json", "batch-report.csv")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list: any of these may start a formula


@dataclass(frozen=True, slots=True)
class RowResult:
    """One row's outcome."""

    row: int
    patient_id: str | None
    status: str
    output: str = ""
    error: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class BatchReport:
    """Every row's outcome in roster order, and how long the batch took."""

    rows: tuple[RowResult, ...]
    seconds: float
    out_dir: str = ""
    interrupted: bool = False
    notes: tuple[str, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(r.status for r in self.rows)
        return {status: found.get(status, 0) for status in STATUSES}

    @property
    def ok(self) -> bool:
        """True when every row was written or skipped."""
        counts = self.counts
        return counts["failed"] == 0 and counts["not run"] == 0

    @property
    def failures(self) -> list[RowResult]:
        return [r for r in self.rows if r.status == "failed"]

    def summary(self) -> str:
        """``batch: 498 written, 0 skipped, 2 failed in 23.1 s (21.6 per second)``."""
        counts = self.counts
        text = f"batch: {counts['written']} written, {counts['skipped']} skipped, {counts['failed']} failed"
        if counts["not run"]:
            text += f", {counts['not run']} not run"
        text += f" in {self.seconds:.1f} s"
        if counts["written"] and self.seconds > 0:
            text += f" ({counts['written'] / self.seconds:.1f} per second)"
        if self.interrupted:
            text += " (interrupted)"
        return text

    def to_json(self) -> str:
        """A JSON object with a summary and one line a row."""
        head = {"summary": {**self.counts, "seconds": round(self.seconds, 3), "interrupted": self.interrupted,
                            "out_dir": self.out_dir, "notes": list(self.notes)}}
        lines = [json.dumps(asdict(r), ensure_ascii=False) for r in self.rows]
        body = ",\n  ".join(lines)
        return f'{{"summary": {json.dumps(head["summary"], ensure_ascii=False)},\n "rows": [\n  {body}\n ]}}\n'

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(FIELDS)
        for r in self.rows:
            writer.writerow([r.row, _cell(r.patient_id or ""), r.status, _cell(r.output), _cell(r.error),
                             f"{r.seconds:.3f}"])
        return out.getvalue()

    def write(self, path: str | Path, inputs: Mapping[tuple[int, int], str] | None = None) -> Path:
        """Write the report as JSON or CSV, chosen by the file's extension, never over one of
        ``inputs`` (``files.file_identity`` pairs, such as the roster's)."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".json":
            data = self.to_json().encode("utf-8")
        elif suffix == ".csv":
            data = self.to_csv().encode("utf-8-sig")  # the BOM makes Excel read it as UTF-8
        else:
            raise OutputError(f"report {path}: the name must end in .json or .csv")
        return write_atomic(path, data, inputs)

    def write_default(self, out_dir: str | Path, inputs: Mapping[tuple[int, int], str] | None = None) -> list[Path]:
        """Write ``batch-report.json`` and ``batch-report.csv`` into ``out_dir``."""
        return [self.write(Path(out_dir) / name, inputs) for name in DEFAULT_REPORT_NAMES]


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    if text.startswith(_FORMULA_START):  # "-1+cmd|' /C calc'!A0" too: a leading digit is no excuse
        return "'" + text
    return text
