"""Stage 4, bytes to files: the batch (jobs, workers, progress, report, manifest), atomic
writes and safe names. The only stage besides ``cli.py`` that writes to the filesystem."""

from .batch import BatchInterrupted, export_batch
from .job import Job
from .report import BatchReport, RowResult
from .roster import Roster, RowError, read_roster

__all__ = ["read_roster", "export_batch", "Job", "Roster", "RowError", "BatchReport", "RowResult",
           "BatchInterrupted"]
