"""Uploaded files, kept off the disk: bodies read with a size cap, and a path to them in memory.

A roster or a plan holds patients' names, so an upload is read into memory (never spooled to
a temporary file, as multipart parsers do past a megabyte). The readers of rosters and plans
take a path, so on Linux the bytes go into an anonymous memory file (``memfd``) and the
readers get a symbolic link to it, which holds only ``/proc/<pid>/fd/<n>``. Elsewhere the
bytes go to a private temporary file that is removed as soon as it has been read.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from starlette.requests import Request

ROSTER_LIMIT_BYTES = 5_000_000
PLAN_LIMIT_BYTES = 100_000
FORM_LIMIT_BYTES = 256_000  # a form's JSON: twenty exercises with notes fit many times over
SUFFIXES = {"roster": (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".yaml", ".yml", ".json"),
            "plan": (".yaml", ".yml")}


class TooLarge(Exception):
    """A request body over its limit; ``str()`` is the message for the page."""

    def __init__(self, what: str, limit: int, size: int | None = None):
        got = f"{size:,} bytes; " if size is not None else ""
        super().__init__(f"the {what} is too large ({got}at most {limit:,} bytes)")


async def read_body(request: Request, limit: int, what: str) -> bytes:
    """The request's body, refused before reading when it says it is too large, and stopped
    as soon as more than ``limit`` bytes arrive when it does not say."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise TooLarge(what, limit, int(declared))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(what, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def upload_name(raw: str | None, kind: str) -> str:
    """The uploaded file's own name, cut to a safe base name with a known suffix (for messages
    and for choosing the reader); ``roster.csv`` or ``plan.yaml`` when there is none."""
    name = re.sub(r"[^\w.\- ]", "_", Path(unquote(raw or "").replace("\\", "/")).name)[:80].strip()
    if not name.lower().endswith(SUFFIXES[kind]):
        default = "roster.csv" if kind == "roster" else "plan.yaml"
        suffix = Path(name).suffix.lower()
        return default if not suffix else f"{Path(name).stem or kind}{suffix}"
    return name


@contextlib.contextmanager
def in_memory_file(data: bytes, name: str) -> Iterator[Path]:
    """A path named ``name`` whose reading gives ``data``, for as long as the block runs."""
    with tempfile.TemporaryDirectory(prefix="handout-upload-") as folder:
        path = Path(folder) / name
        if hasattr(os, "memfd_create"):
            fd = os.memfd_create("handout-upload", os.MFD_CLOEXEC)
            try:
                _write_all(fd, data)
                os.symlink(f"/proc/{os.getpid()}/fd/{fd}", path)
                yield path
            finally:
                os.close(fd)
        else:  # pragma: no cover - not Linux
            path.write_bytes(data)
            try:
                yield path
            finally:
                path.unlink(missing_ok=True)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def named(message: str, path: Path, name: str) -> str:
    """A reader's message with the temporary path replaced by the uploaded file's name."""
    return message.replace(str(path), name).replace(str(path.resolve()), name)
