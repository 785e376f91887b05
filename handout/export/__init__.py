"""Stage 4, bytes to files: rosters and jobs in, PDF files, a report and a manifest out (the
batch: workers, progress, atomic writes, safe names). The only stage besides the CLI that
writes to the filesystem. Names are imported on first use, so a module here loads alone."""

from importlib import import_module

__all__ = ["read_roster", "export_batch", "Job", "Roster", "RowError", "BatchReport", "RowResult",
           "BatchInterrupted"]

_HOMES = {"read_roster": ".roster", "Roster": ".roster", "RowError": ".roster", "export_batch": ".batch",
          "BatchInterrupted": ".batch", "Job": ".job", "BatchReport": ".report", "RowResult": ".report"}


def __getattr__(name: str):
    if name in _HOMES:
        value = getattr(import_module(_HOMES[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
