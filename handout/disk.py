"""The on-disk cache: work a fresh process would do again, kept between processes.

A clinician's ``handout build`` is a fresh process: it would read and check the content and
compile the templates again before it renders a line. Kept here: compiled templates
(``markup/environment.py``), figures drawn from pose data and their ink's aspect
(``render/reuse/core.py``) and the checked library (``model/library_kept.py``). What is
kept here is keyed on everything that decides it (the source, and a fingerprint of the
code that turns the source into it), so a key that matches gives
what doing the work again would give: ``DISK.enabled = False`` (or ``HANDOUT_DISK_CACHE=0``)
builds the same bytes (tests prove it).

One object (``DISK``) owns it, with one switch (``enabled``). Its files live in one folder
of its own (``HANDOUT_CACHE_DIR``, else the user cache folder's ``handout``), each written
whole to a temporary file beside it and renamed into place; a file is only ever replaced
by another of the same name (the hash of its key), and nothing else in the folder is
touched. A folder that cannot be written is no error: the work is done as without it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

OFF_WORDS = ("0", "off", "no", "false")
PREFIX = "handout-"  # every file this cache writes is named PREFIX + kind + "-" + a hash


@dataclass
class DiskCounts:
    hits: int = 0
    misses: int = 0
    writes: int = 0


class DiskCache:
    """Bytes kept on disk per (kind, key); ``enabled`` is the one switch."""

    def __init__(self, folder: str | Path | None = None, enabled: bool | None = None):
        if enabled is None:
            enabled = os.environ.get("HANDOUT_DISK_CACHE", "1").strip().lower() not in OFF_WORDS
        self.enabled = enabled
        self._folder = Path(folder) if folder is not None else None
        self.counts = DiskCounts()

    @property
    def folder(self) -> Path:
        if self._folder is None:
            chosen = os.environ.get("HANDOUT_CACHE_DIR")
            if chosen:
                self._folder = Path(chosen)
            else:
                from platformdirs import user_cache_path

                self._folder = user_cache_path("handout", appauthor=False)
        return self._folder

    def _path(self, kind: str, key: bytes) -> Path:
        return self.folder / f"{PREFIX}{kind}-{hashlib.sha256(key).hexdigest()[:40]}"

    def load(self, kind: str, key: bytes) -> bytes | None:
        """What was stored for (kind, key), or None (off, never stored, unreadable)."""
        if not self.enabled:
            return None
        try:
            data = self._path(kind, key).read_bytes()
        except OSError:
            self.counts.misses += 1
            return None
        self.counts.hits += 1
        return data

    def store(self, kind: str, key: bytes, data: bytes) -> None:
        """Keep ``data`` for (kind, key): written whole, then renamed into place."""
        if not self.enabled:
            return
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        except OSError:
            return  # a folder we cannot write: the work is simply done each time
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(temp, path)
            self.counts.writes += 1
        except OSError:
            try:
                os.unlink(temp)
            except OSError:
                pass

    def pickled(self, kind: str, key: bytes, make: Callable[[], T]) -> T:
        """``make()``, kept pickled for (kind, key): what an earlier process kept when it
        unpickles (a damaged file is work to do again, not an error), else made and kept.
        Off: made, nothing read or written."""
        data = self.load(kind, key)
        if data is not None:
            try:
                return pickle.loads(data)
            except Exception:  # noqa: BLE001
                pass
        made = make()
        self.store(kind, key, pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
        return made

    def clear(self) -> None:
        """Remove every file this cache wrote (and nothing else)."""
        try:
            for path in self.folder.glob(f"{PREFIX}*"):
                path.unlink(missing_ok=True)
        except OSError:
            pass


DISK = DiskCache()


def fingerprint(*files: str | Path, extra: str = "") -> bytes:
    """A key part for the code that makes what is kept: its files' bytes (and ``extra``)."""
    digest = hashlib.sha256(extra.encode())
    for file in files:
        digest.update(Path(file).read_bytes())
    return digest.digest()
