"""Writing files safely: atomic replace, names that are slugs, paths confined to a folder.

A PDF is written to a temporary file in the target folder, flushed to disk, then renamed
over the target, so a crash, Ctrl-C or a full disk never leaves a half-written PDF.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from ..errors import OutputError

TEMP_PREFIX = ".handout-"
TEMP_SUFFIX = ".part"


def slug(text: str, max_len: int = 60) -> str:
    """A file-name-safe ASCII slug: "Zoë Ünal" -> "zoe-unal"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-zA-Z0-9]+", "-", ascii_text).strip("-").lower()
    return out[:max_len].strip("-")


def confined(folder: Path, name: str) -> Path:
    """``folder/name``, refusing absolute paths, ``..`` and symbolic links that leave it."""
    rel = Path(name)
    if rel.is_absolute() or ".." in rel.parts or name.strip() == "":
        raise OutputError(f'output "{name}" must be a file name inside {folder}, not a path that leaves it')
    root = folder.resolve()
    target = (root / rel).resolve()
    if not target.is_relative_to(root):
        raise OutputError(f'output "{name}" leads outside {folder} (through a link)')
    return target


def _describe(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"cannot write {path}: the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {path}: permission denied (is the folder read-only?)"
    return f"cannot write {path}: {exc.strerror or exc}"


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; on any failure no partial or temporary file stays."""
    path = Path(path)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(_describe(exc, folder)) from None
    if path.is_symlink():
        raise OutputError(f"refusing to write through the symbolic link {path}")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(_describe(exc, path)) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return path
