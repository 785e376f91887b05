"""A local batch's workers write their own PDFs to temporary files; only the parent renames them.

No PDF crosses the pipe back to the parent, and writing a file (create, write, flush to
disk) is done where the bytes are made, on each worker's writing thread while its next job
builds, rather than in the one parent between them (docs/performance.md, "The batch, fourth round", has what it did and
did not buy). The guarantee stays: a PDF appears under its name only whole. The worker writes a new temporary
file (``.handout-*.part``, the name ``remove_leftovers`` knows) beside its target, flushes it
to disk and reports its hash; the parent checks the target is still ours to replace and
renames. A worker killed mid-write leaves only a temporary file, which the parent removes
at the end of the run (or, after a SIGKILL of the whole batch, the next run does).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import OutputError
from .files import TEMP_PREFIX, TEMP_SUFFIX, check_target, describe_error, fill_new_file, remove_quietly

_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a worker writes one job's bytes (``staged``) and what they become (``target``)."""

    staged: str
    target: str


def stage(place: Place, data: bytes) -> str:
    """Write ``data`` to the new file ``place.staged``, flushed to disk; its SHA-256 in hex.

    On any failure nothing stays, and the OutputError names the target, as writing it
    directly would."""
    folder = os.path.dirname(place.staged)
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise OutputError(describe_error(exc, Path(folder))) from None
    try:
        fd = os.open(place.staged, _NEW_FILE, 0o600)
    except OSError as exc:
        raise OutputError(describe_error(exc, Path(place.target))) from None
    fill_new_file(fd, place.staged, data, Path(place.target))
    return hashlib.sha256(data).hexdigest()


class StagingArea:
    """The temporary names one batch hands its workers; each is renamed or removed by the end.

    Every attempt at a job gets a name of its own (a job run again after its worker died
    never meets a file its first attempt left), unique to this process and run.
    """

    def __init__(self) -> None:
        self._token = f"{os.getpid()}-{secrets.token_hex(4)}"
        self._numbers = itertools.count(1)
        self._open: set[str] = set()

    def place(self, target: str) -> Place:
        name = f"{TEMP_PREFIX}{self._token}-{next(self._numbers)}{TEMP_SUFFIX}"
        staged = os.path.join(os.path.dirname(target), name)
        self._open.add(staged)
        return Place(staged, target)

    def commit(self, place: Place, inputs: Mapping[tuple[int, int], str] | None = None) -> None:
        """Rename the staged file over its target, if the target is ours to replace (``check_target``)."""
        self._open.discard(place.staged)
        try:
            check_target(place.target, inputs)
            os.replace(place.staged, place.target)
        except OutputError:
            remove_quietly(place.staged)
            raise
        except OSError as exc:
            remove_quietly(place.staged)
            raise OutputError(describe_error(exc, Path(place.target))) from None

    def clear(self) -> int:
        """Remove every staged file not renamed (call once no worker can still write); how many."""
        removed = sum(remove_quietly(path) for path in self._open)
        self._open.clear()
        return removed
