"""Writing files safely: atomic replace, names that are slugs, paths confined to a folder.

A PDF is written to a temporary file in the target folder, flushed to disk, then renamed
over the target, so a crash, Ctrl-C or a full disk never leaves a half-written PDF.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from ..errors import OutputError

TEMP_PREFIX = ".handout-"
TEMP_SUFFIX = ".part"
LOCK_NAME = ".handout-batch.lock"
MAX_NAME_CHARS = 200
MAX_NAME_BYTES = 255  # one file or folder name, in UTF-8 bytes: the limit of ext4, APFS, NTFS...
# Names Windows keeps for devices, with or without an extension (aux.pdf, CON, com1.txt).
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                              *(f"lpt{i}" for i in range(10))})
# Characters Windows refuses in file names, its path separator, and control characters.
_UNSAFE = re.compile(r'[<>:"|?*\\\x00-\x1f\x7f-\x9f]')


def slug(text: str, max_len: int = 60) -> str:
    """A file-name-safe ASCII slug: "Zoë Ünal" -> "zoe-unal"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-zA-Z0-9]+", "-", ascii_text).strip("-").lower()
    return out[:max_len].strip("-")


def check_relative_name(name: str) -> str:
    """``name`` as a relative POSIX path in NFC that stays inside its folder, or an OutputError saying why.

    Refuses empty names, absolute paths, ``..``, backslashes, control characters, the
    characters Windows cannot store, names Windows keeps for devices (``aux.pdf``, ``CON``)
    and names over 255 bytes, so a roster's ``output`` cell cannot leave the folder or make
    a file some machines cannot open.
    """
    text = unicodedata.normalize("NFC", name.strip())
    if not text:
        raise OutputError("output must not be empty")
    if len(text) > MAX_NAME_CHARS:
        raise OutputError(f"output is too long ({len(text)} characters; at most {MAX_NAME_CHARS})")
    rel = PurePosixPath(text)
    if rel.is_absolute() or re.match(r"^[A-Za-z]:", text):
        raise OutputError(f'output "{name}" must be a file name inside the output folder, not an absolute path')
    if ".." in rel.parts:
        raise OutputError(f'output "{name}" must not contain ".." (it would leave the output folder)')
    found = _UNSAFE.search(text)
    if found:
        bad = found.group()
        raise OutputError(f"output {name!r} contains {bad!r}, which file names cannot hold; use letters, digits and -")
    for part in rel.parts:
        size = len(part.encode("utf-8"))
        if size > MAX_NAME_BYTES:
            raise OutputError(f"output name is too long for a file system ({size} bytes in UTF-8; at most "
                              f"{MAX_NAME_BYTES}): shorten it")
        if part.split(".")[0].rstrip(" ").lower() in WINDOWS_RESERVED or part.endswith((" ", ".")):
            raise OutputError(f'output "{part}" is a name Windows keeps for a device or cannot store; '
                              "choose another name")
    return str(rel)


def name_key(name: str) -> str:
    """What makes two names the same file on some disk: case and Unicode normalisation ignored."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


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


class Confiner:
    """``confined`` for the many names of a batch: checks one name with one ``lstat``.

    Each subfolder is resolved once; a name that is a symbolic link is followed and must
    stay inside the folder; a name that is a folder is refused. Returns the path as text.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.root = str(self.folder.resolve())
        self._parents: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        parent, _, base = name.rpartition("/")
        if parent not in self._parents:
            self._parents[parent] = str(confined(self.folder, parent)) if parent else self.root
        target = os.path.join(self._parents[parent], base)
        try:
            mode = os.lstat(target).st_mode
        except OSError:
            return target
        if stat.S_ISLNK(mode):
            return str(confined(self.folder, name))
        if stat.S_ISDIR(mode):
            raise OutputError(f'output "{name}" is a folder')
        return target


class NameBook:
    """Hands out file names that never collide: the second "a.pdf" becomes "a-2.pdf", then "a-3.pdf".

    Names compare without case and Unicode normalisation (NFC "café" and NFD "café" are one
    file on macOS; "A.pdf" and "a.pdf" one on Windows), and the numbering depends
    only on the order names are asked for, so a roster always maps to the same files.
    """

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._next: dict[str, int] = {}

    def claim(self, name: str) -> str:
        key = name_key(name)
        if key not in self._taken:
            self._taken.add(key)
            return name
        stem, dot, suffix = name.rpartition(".")
        if not dot or "/" in suffix:
            stem, suffix = name, ""
        base = name_key(stem)
        number = self._next.get(base, 2)
        while True:
            candidate = f"{stem}-{number}" + (f".{suffix}" if suffix else "")
            number += 1
            if name_key(candidate) not in self._taken:
                break
        self._next[base] = number
        self._taken.add(name_key(candidate))
        return candidate


def file_sha256(path: str | Path) -> str | None:
    """The SHA-256 of a regular file's bytes, or None when it cannot be read (or is a FIFO, a device...)."""
    digest = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def describe_error(exc: OSError, path: Path) -> str:
    """What went wrong writing ``path``, in the user's words (a full disk, a read-only folder)."""
    if exc.errno == errno.ENOSPC:
        return f"cannot write {path}: the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {path}: permission denied (is the folder read-only?)"
    return f"cannot write {path}: {exc.strerror or exc}"


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"))


def file_identity(path: str | Path) -> tuple[int, int] | None:
    """The (device, inode) pair naming a file whatever the path, or None when it does not exist."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def check_target(path: str | Path, inputs: Mapping[tuple[int, int], str] | None = None) -> None:
    """Refuse a target that is not ours to replace: anything but a new path or a regular file
    (a device, FIFO, socket, folder or symbolic link), or an input of the same run.

    ``inputs`` maps ``file_identity`` pairs to what the file is ("the roster"), so a report
    named like its roster is refused whatever path spells it.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:  # "out/../roster.csv" before out/ exists still names the roster
        if os.path.normpath(path) != os.fspath(path):
            check_target(os.path.normpath(path), inputs)
        return
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise OutputError(f"cannot write {path}: the file name is too long for the file system") from None
        return  # writing will say what is wrong
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(f"refusing to write through the symbolic link {path}")
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise OutputError(f"refusing to write {path}: it is {kind}; handout writes only to a new file "
                              "or over an ordinary file")
    if inputs and (info.st_dev, info.st_ino) in inputs:
        raise OutputError(f"refusing to write {path}: it is {inputs[(info.st_dev, info.st_ino)]}, an input of "
                          "this run; choose another name")


def _write_data(handle, data: bytes) -> None:
    """The one place bytes reach the disk (tests put a full disk here)."""
    handle.write(data)


def write_atomic(path: Path, data: bytes, inputs: Mapping[tuple[int, int], str] | None = None) -> Path:
    """Write ``data`` to ``path`` atomically; on any failure no partial or temporary file stays.

    Only a new path or a regular file that is not one of ``inputs`` is written (``check_target``)."""
    path = Path(path)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(describe_error(exc, folder)) from None
    check_target(path, inputs)
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise OutputError(describe_error(exc, path)) from None
    fill_new_file(fd, tmp, data, path)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        remove_quietly(tmp)
        raise OutputError(describe_error(exc, path)) from None
    return path


def fill_new_file(fd: int, temp: str, data: bytes, named: Path, flush: bool = True) -> None:
    """Write ``data`` through ``fd`` (the new file ``temp``), flush it to disk (unless the caller
    flushes it later: ``flush=False``) and make it 0644 (readable as any document is); on
    failure ``temp`` is removed and the OutputError names ``named``, the file it was to become."""
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_data(handle, data)
            handle.flush()
            if flush:
                os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
    except OSError as exc:
        remove_quietly(temp)
        raise OutputError(describe_error(exc, named)) from None


def remove_quietly(path: str | Path) -> bool:
    """Remove ``path`` if it can be; whether it was."""
    try:
        os.unlink(path)
    except OSError:
        return False
    return True


@contextmanager
def folder_lock(folder: Path) -> Iterator[bool]:
    """Hold ``folder``'s batch lock while the block runs; yield True when no other batch holds it.

    Only a batch that holds the lock may treat leftover temporary files as stale: another
    batch writing into the same folder keeps its own.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks here; leftovers are left alone
        yield False
        return
    try:
        handle = open(folder / LOCK_NAME, "a+b")
    except OSError:
        yield False
        return
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            try:  # removed while still held, so the folder keeps only what the run made
                os.unlink(folder / LOCK_NAME)
            except OSError:
                pass


def remove_leftovers(folder: Path) -> int:
    """Remove temporary files a stopped run left under ``folder`` (a SIGKILL mid-write); how many."""
    removed = 0
    for path in folder.rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        try:
            if path.is_file() and not path.is_symlink():
                path.unlink()
                removed += 1
        except OSError:
            pass
    return removed
