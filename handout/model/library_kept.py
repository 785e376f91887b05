"""The checked library kept on disk between processes (``handout.disk``).

A clinician's ``handout build`` is a fresh process: it would read every exercise, program,
the article and the safety text, parse YAML and Markdown and validate each model again
(with the imports that needs, about 70 ms of a 0.6 s build). Here a process unpickles the
library an earlier one read and checked instead.

The key is everything that decides the library: the folders in order and the language;
every file loading may read, by place and bytes (each read as the loader reads it: a regular
file of bounded size, so a pipe or a device cannot block the key); and the code that makes
it (every ``handout/model/*.py``, ``errors.py`` and ``paths.py``, and the versions of Python,
pickle, pydantic and the YAML and Markdown readers). Only a library that loaded without a
problem is kept, so every error is found and reported as before; a file that cannot be read
for the key means loading as without the cache (which says what is wrong with it); a kept
file that cannot be unpickled is work done again.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections.abc import Callable
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from ..disk import DISK, fingerprint
from ..errors import ContentError
from .i18n import SOURCE_LANGUAGE, catalog_path
from .yamlfile import MAX_YAML_BYTES, read_limited

KIND = "library"


def kept_library(folders: tuple[Path, ...], language: str, singles: tuple[Path, ...], load: Callable[[], object]):
    """``load()``'s library for ``folders`` in ``language`` (``singles``: the files besides
    exercises and programs it reads, such as the article): from the disk cache when an
    earlier process kept it for the same key, else loaded (and kept when it loaded)."""
    key = _key(folders, language, singles) if DISK.enabled else None
    return load() if key is None else DISK.pickled(KIND, key, load)


def input_files(folders: tuple[Path, ...], language: str, singles: tuple[Path, ...]) -> list[Path]:
    """Every file loading ``folders`` in ``language`` may read, in a fixed order: each
    folder's exercises, programs and ``singles``, and their ``<language>/`` translations and
    the language's catalog."""
    places = [Path()] if language == SOURCE_LANGUAGE else [Path(), Path(language)]
    found: list[Path] = []
    for folder in folders:
        for place in places:
            base = folder / place
            for kind in ("exercises", "programs"):
                found.extend(sorted((base / kind).glob("*.yaml")))
            found.extend(base / rel for rel in singles if (base / rel).is_file())
    if language != SOURCE_LANGUAGE:
        found.append(catalog_path(language))
    return found


def _key(folders: tuple[Path, ...], language: str, singles: tuple[Path, ...]) -> bytes | None:
    """The key for the library of ``folders`` in ``language``, or None when a file it
    would read cannot be read (loading then says why)."""
    digest = hashlib.sha256(_code())
    digest.update(repr((tuple(map(str, folders)), language)).encode())
    try:
        for path in input_files(folders, language, singles):
            data = read_limited(path, MAX_YAML_BYTES)
            digest.update(f"\0{path}\0{len(data)}\0".encode())
            digest.update(data)
    except (ContentError, OSError):
        return None
    return digest.digest()


@lru_cache(maxsize=1)
def _code() -> bytes:
    """The code and library versions that shape a library, once per process."""
    import pydantic
    import pydantic_core

    here = Path(__file__).resolve().parent
    readers = [find_spec(name) for name in ("yaml", "markdown_it")]  # their versions, without importing them
    return fingerprint(*sorted(here.glob("*.py")), here.parent / "errors.py", here.parent / "paths.py",
                       *(spec.origin for spec in readers if spec and spec.origin),
                       extra=f"{KIND} {sys.version} {pickle.HIGHEST_PROTOCOL} {pydantic.VERSION} "
                             f"{pydantic_core.__version__}")
