"""A local batch's workers write their own PDFs to temporary files; only the parent renames them.

No PDF crosses the pipe back to the parent, and writing a file (create, write, flush to
disk) is done where the bytes are made, in each worker (docs/performance.md, "The batch,
fourth round", has what it did and did not buy). The guarantee stays: a PDF appears under
its name only whole. The worker writes a new temporary file (``.handout-*.part``, the name
``remove_leftovers`` knows) beside its target and reports its hash once it is on disk; the
parent checks the target is still ours to replace and renames. A worker killed mid-write
leaves only a temporary file, which the parent removes at the end of the run (or, after a
SIGKILL of the whole batch, the next run does).

A chunk's files are flushed to disk together (``ChunkFiles``): one ``syncfs`` where the
system has it (Linux) costs one journal commit and one wait on the disk for the whole
chunk, where an ``fsync`` a file cost one each (docs/performance.md, "The batch, sixth
round"). Elsewhere each file is flushed as it is written.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import itertools
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import OutputError
from .files import TEMP_PREFIX, TEMP_SUFFIX, check_target, describe_error, fill_new_file, remove_quietly

# syncfs refused rather than failed (a container's seccomp filter, an old sandbox): not a write error
_REFUSED = (errno.ENOSYS, errno.EPERM)
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a worker writes one job's bytes (``staged``) and what they become (``target``)."""

    staged: str
    target: str


@functools.cache
def libc_syncfs() -> Callable[[int], int] | None:
    """The C library's ``syncfs`` (Linux: flush one filesystem, and report the write errors met on
    it since the descriptor was opened), or None where there is none (macOS, Windows)."""
    try:
        import ctypes

        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError, TypeError):
        return None
    function.argtypes, function.restype = (ctypes.c_int,), ctypes.c_int
    return function


def _sync_filesystem(fd: int) -> None:
    """``syncfs(fd)``, raising OSError as ``os.fsync`` does."""
    if libc_syncfs()(fd) != 0:
        import ctypes

        number = ctypes.get_errno()
        raise OSError(number, os.strerror(number))


class ChunkFiles:
    """One chunk's staged files: each written whole, then all flushed to disk at once (``flush``).

    With ``syncfs``, a folder on each filesystem written to is opened before its first file
    is, so the flush reports any write error on that filesystem since (Linux 5.8 and later);
    without it, each file is flushed as it is written (``os.fsync``), and ``flush`` has
    nothing left to do. Either way every file's bytes are on disk before ``flush`` returns
    (a FUSE mount is the exception: ``syncfs`` does not ask its daemon to flush).
    """

    def __init__(self) -> None:
        self._together = libc_syncfs() is not None
        self._filesystems: dict[int, int] = {}  # device -> a folder on it, open
        self._folders: dict[str, bool] = {}  # folder -> whether the flush covers its files
        self._written: list[Place] = []

    def write(self, place: Place, data: bytes) -> str:
        """Write ``data`` to the new file ``place.staged``; its SHA-256 in hex. On failure
        nothing stays, and the OutputError names the target, as writing it directly would."""
        folder = os.path.dirname(place.staged)
        if folder not in self._folders:
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError as exc:
                raise OutputError(describe_error(exc, Path(folder))) from None
            self._folders[folder] = self._together and self._watch(folder)
        try:
            fd = os.open(place.staged, _NEW_FILE, 0o600)
        except OSError as exc:
            raise OutputError(describe_error(exc, Path(place.target))) from None
        fill_new_file(fd, place.staged, data, Path(place.target), flush=not self._folders[folder])
        self._written.append(place)
        return hashlib.sha256(data).hexdigest()

    def flush(self) -> None:
        """Every file written is on disk when this returns; else every one is removed and the
        OSError raised."""
        try:
            for fd in self._filesystems.values():
                try:
                    _sync_filesystem(fd)
                except OSError as exc:
                    if exc.errno not in _REFUSED:
                        raise
                    self._fsync_each()  # a sandbox's filter refuses syncfs: each file instead
                    break
        except OSError:
            for place in self._written:
                remove_quietly(place.staged)
            raise
        finally:
            for fd in self._filesystems.values():
                os.close(fd)
            self._filesystems.clear()

    def _fsync_each(self) -> None:
        for place in self._written:
            if self._folders[os.path.dirname(place.staged)]:  # (the others were flushed as written)
                fd = os.open(place.staged, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)

    def _watch(self, folder: str) -> bool:
        """Keep a folder open on ``folder``'s filesystem for the flush; False if it cannot be
        opened (a folder one may write in but not list), whose files are then flushed one by one."""
        try:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            return False
        device = os.fstat(fd).st_dev
        if device in self._filesystems:
            os.close(fd)
        else:
            self._filesystems[device] = fd
        return True


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
