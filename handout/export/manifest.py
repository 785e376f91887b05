"""Skip rows whose PDF is already up to date.

``.handout-manifest.json`` in the output folder maps each output file to two hashes: of
the job's inputs (the request, the content and template files it reads, the package) and
of the file written. A rerun skips a row when both still match; anything it cannot hash
is rebuilt, so the manifest can make a batch faster but never wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from importlib import metadata
from pathlib import Path

from ..errors import ContentError, HandoutError, OutputError
from ..model.library import ARTICLE_FILE, SAFETY_FILE, load_library, load_program_file
from ..model.yamlfile import read_limited
from ..paths import template_folders
from .files import file_sha256, write_atomic
from .job import Job

MANIFEST_NAME = ".handout-manifest.json"
JOURNAL_NAME = ".handout-manifest.journal"
MANIFEST_FORMAT = 1
MAX_MANIFEST_BYTES = 200_000_000
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


class Manifest:
    """The output folder's record of what was written from what.

    Each written file is also appended to a journal at once, so a run stopped by anything,
    SIGKILL included, still tells the next run which files are done; ``save`` folds the
    journal into the manifest.
    """

    def __init__(self, folder: Path, inputs: dict[tuple[int, int], str] | None = None):
        self.inputs = inputs  # files of the run the manifest must never replace
        self.path = Path(folder) / MANIFEST_NAME
        self.journal = Path(folder) / JOURNAL_NAME
        self.entries: dict[str, dict[str, str]] = _load(self.path)
        self._changed: dict[str, dict[str, str]] = {}
        self._handle = None  # the journal, open while this run records (False: it cannot be written)

    def up_to_date(self, name: str, inputs: str | None, target: str | Path) -> bool:
        entry = self.entries.get(name)
        if not inputs or not entry or entry.get("inputs") != inputs:
            return False
        return entry.get("output") == file_sha256(target)

    def record(self, name: str, inputs: str | None, digest: str) -> None:
        """Note that ``name`` now holds bytes with SHA-256 ``digest``, made from ``inputs``."""
        if inputs:
            entry = {"inputs": inputs, "output": digest}
            self.entries[name] = self._changed[name] = entry
            self._append(json.dumps({"name": name, **entry}) + "\n")

    def _append(self, line: str) -> None:
        """Append a line to the journal and flush it at once, through one handle kept for the run.

        Never through a link, never blocking on a FIFO: only a regular file is appended to;
        a journal that cannot be written is given up on (the manifest is still saved at the end)."""
        if self._handle is None:
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
            try:
                handle = os.fdopen(os.open(self.journal, flags, 0o644), "a", encoding="utf-8")
            except OSError:
                self._handle = False
                return
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                handle.close()
                self._handle = False
                return
            self._handle = handle
        if self._handle:
            try:
                self._handle.write(line)
                self._handle.flush()
            except OSError:
                pass

    def close(self) -> None:
        if self._handle:
            try:
                self._handle.close()
            except OSError:
                pass
        self._handle = None

    def save(self) -> None:
        """Write the manifest atomically, keeping entries another run added meanwhile."""
        self.close()
        if not self._changed:
            return
        merged = _load(self.path)
        merged.update(self._changed)
        text = json.dumps({"format": MANIFEST_FORMAT, "files": merged}, indent=1, sort_keys=True)
        try:
            write_atomic(self.path, text.encode("utf-8"), self.inputs)
        except OutputError as exc:
            raise OutputError(f"the manifest was not saved, so the next run rebuilds these files: {exc}") from None
        self._changed.clear()
        try:
            self.journal.unlink(missing_ok=True)
        except OSError:
            pass


def _load(path: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(read_limited(path, MAX_MANIFEST_BYTES, "the manifest").decode("utf-8"))
    except (ContentError, ValueError):
        data = {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT or not isinstance(data.get("files"), dict):
        data = {"files": {}}
    entries = {k: v for k, v in data["files"].items() if isinstance(v, dict)}
    entries.update(_journal(path.with_name(JOURNAL_NAME)))
    return entries


def _journal(path: Path) -> dict[str, dict[str, str]]:
    """Entries appended as files were written; a line cut short by a kill is skipped."""
    try:
        text = read_limited(path, MAX_MANIFEST_BYTES, "the manifest journal").decode("utf-8", "replace")
    except ContentError:
        return {}
    entries = {}
    for line in text.splitlines():
        try:
            item = json.loads(line)
            entries[item["name"]] = {"inputs": item["inputs"], "output": item["output"]}
        except (ValueError, KeyError, TypeError):
            continue
    return entries


class InputDigests:
    """The hash of everything one job's PDF is made from; file hashes are cached for the batch."""

    def __init__(self) -> None:
        self._files: dict[Path, str] = {}
        self._folders: dict[tuple[str, ...], str] = {}
        self._program_items: dict[str, list[str]] = {}
        self._sources: dict[tuple, str] = {}
        self._package = _package_fingerprint()

    def digest(self, job: Job) -> str | None:
        """A hex digest, or None when some input cannot be read (then the job always runs)."""
        request = job.request
        try:
            sources = self._sources_of(job)
        except (HandoutError, OSError, KeyError, AttributeError):
            return None
        parts = (self._package, job.kind, request.model_dump_json(), str(request.clinic.base_dir), sources)
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()

    def _sources_of(self, job: Job) -> str:
        """The files a job reads, with their hashes; rows with the same program share one answer."""
        request = job.request
        key = (job.kind, request.content_dirs, request.template_dirs, request.program,
               tuple(p.id for p in request.exercises), request.clinic.logo, request.clinic.base_dir, request.language)
        if key not in self._sources:
            lines = [self._templates(request.template_dirs)]
            lines += [f"{p}={self._file(p)}" for p in self._content_files(job)]
            self._sources[key] = "\n".join(lines)
        return self._sources[key]

    def _file(self, path: Path) -> str:
        if path not in self._files:
            digest = file_sha256(path)
            if digest is None:
                raise OSError(f"cannot read {path}")
            self._files[path] = digest
        return self._files[path]

    def _templates(self, extra: tuple[str, ...]) -> str:
        if extra not in self._folders:
            lines = []
            for folder in template_folders(extra):
                for path in sorted(Path(folder).rglob("*")):
                    if path.is_file():
                        lines.append(f"{path}={self._file(path)}")
            self._folders[extra] = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
        return self._folders[extra]

    def _content_files(self, job: Job) -> list[Path]:
        """The content files this job reads: article, safety text, program, exercises, images, logo."""
        request = job.request
        library = load_library(request.content_dirs)
        files = [_first(library.folders, ARTICLE_FILE), _first(library.folders, SAFETY_FILE),
                 *load_library(request.content_dirs, request.language).translation_files]
        program = request.program
        item_ids: list[str] = []
        if program and program in library.programs:
            files.append(library.program_files[program])
            item_ids = [i.exercise for i in library.programs[program].items]
        elif program:
            files.append(Path(program))
            item_ids = self._file_program_items(program, library)
        ids = [p.id for p in request.exercises] or item_ids
        for ident in ids:
            files.append(library.exercise_files[ident])
            image = library.exercises[ident].image
            if image:
                files.append(library.exercise_files[ident].parent / image)
        clinic = request.clinic
        if clinic.logo:
            files.append(Path(clinic.base_dir or ".") / clinic.logo)
        return files


    def _file_program_items(self, program: str, library) -> list[str]:
        if program not in self._program_items:
            loaded = load_program_file(Path(program), library.exercises)
            self._program_items[program] = [i.exercise for i in loaded.items]
        return self._program_items[program]


def _first(folders: tuple[Path, ...], rel: Path) -> Path:
    return next((f / rel for f in folders if (f / rel).is_file()), folders[-1] / rel)


def _package_fingerprint() -> str:
    """The package version and its code and fonts (name, size, time), so an upgrade rebuilds."""
    try:
        version = metadata.version("handout-pdf")
    except metadata.PackageNotFoundError:
        version = "unknown"
    lines = [version]
    for path in sorted(_PACKAGE_DIR.rglob("*")):
        if path.suffix in (".py", ".ttf") and "__pycache__" not in path.parts:
            stat = path.stat()
            lines.append(f"{path.relative_to(_PACKAGE_DIR)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
