"""A progress bar for a batch on a terminal: done of total, failed, rate and time left.

It is an ``on_progress(done, failed, total)`` callback, so the API and the command line see
the same numbers. The rate counts rows built since the first one, not rows skipped as up
to date, so a rerun that skips half the roster does not promise a finish it cannot keep.
"""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.text import Text


class _FailedColumn(ProgressColumn):
    def render(self, task) -> Text:
        failed = task.fields.get("failed", 0)
        return Text(f"{failed} failed", style="bold red" if failed else "dim")


class _RateColumn(ProgressColumn):
    def render(self, task) -> Text:
        rate = task.fields.get("rate")
        return Text(f"{rate:.1f}/s" if rate else "-/s", style="cyan")


class _LeftColumn(ProgressColumn):
    def render(self, task) -> Text:
        left = task.fields.get("left")
        if left is None:
            return Text("left -:--", style="dim")
        minutes, seconds = divmod(int(left + 0.5), 60)
        hours, minutes = divmod(minutes, 60)
        shown = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
        return Text(f"left {shown}", style="magenta")


class ProgressBar:
    """``with ProgressBar() as bar: export_batch(..., on_progress=bar)``."""

    def __init__(self, console: Console | None = None, label: str = "batch"):
        self.console = console or Console(stderr=True)
        self.progress = Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), _FailedColumn(),
                                 _RateColumn(), _LeftColumn(), TimeElapsedColumn(), console=self.console)
        self.task = None
        self._base: tuple[float, int] | None = None

    @property
    def is_terminal(self) -> bool:
        return self.console.is_terminal

    def __enter__(self) -> "ProgressBar":
        self.progress.start()
        self.task = self.progress.add_task("batch", total=None, failed=0)
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def __call__(self, done: int, failed: int, total: int) -> None:
        now = time.monotonic()
        rate = left = None
        if self._base is None:
            self._base = (now, done)
        else:
            since, first = self._base
            if done > first and now > since:
                rate = (done - first) / (now - since)
                left = (total - done) / rate
        self.progress.update(self.task, completed=done, total=total, failed=failed, rate=rate, left=left)
