"""Where the bundled templates and content live (in a wheel, or in a git checkout), and the
template folders a request searches."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .errors import TemplateError

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


def template_folders(extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The folders templates are looked up in: the request's own (each must exist), then the bundled."""
    folders = []
    for folder in extra:
        path = Path(folder).expanduser().resolve()
        if not path.is_dir():
            raise TemplateError("template folder not found", str(folder))
        folders.append(str(path))
    return tuple(folders) + (str(bundled("templates").resolve()),)
