"""Where the bundled templates and content live: in a wheel, or in a git checkout."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def bundled(name: str) -> Path:
    """The bundled folder ``name`` ("templates" or "content").

    A wheel carries them as ``handout/_bundled/<name>``; an editable install or a plain
    checkout finds them beside the package, at the top of the repository.
    """
    inside = _PACKAGE / "_bundled" / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name
