"""The Jinja2 environment: sandboxed, strict, XML-escaped; user folders before bundled ones.

Clinics share templates by e-mail, so every template runs in Jinja2's sandbox and a
misspelt variable fails loudly (StrictUndefined) instead of printing nothing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from ..errors import TemplateError
from ..paths import bundled

MAX_MARKUP_CHARS = 4_000_000
MAX_RANGE = 10_000


def _range(*args):
    """range() capped, so a template cannot make a runaway loop."""
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise SecurityError(f"range() longer than {MAX_RANGE} is not allowed")
    return r


def template_folders(extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    folders = []
    for folder in extra:
        path = Path(folder).expanduser().resolve()
        if not path.is_dir():
            raise TemplateError("template folder not found", str(folder))
        folders.append(str(path))
    return tuple(folders) + (str(bundled("templates").resolve()),)


@lru_cache(maxsize=8)
def _environment(folders: tuple[str, ...]) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(f) for f in folders]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.globals["range"] = _range
    return env


def environment(extra: tuple[str, ...] = ()) -> SandboxedEnvironment:
    """The cached environment for these user template folders."""
    return _environment(template_folders(extra))


def _template_line(exc: BaseException) -> tuple[str, int | None]:
    """The innermost template frame of a rendering error: (template name, line)."""
    name, line = "", None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            name, line = filename, tb.tb_lineno
        tb = tb.tb_next
    return name, line


def render_template(name: str, context: dict, extra: tuple[str, ...] = ()) -> str:
    """Render template ``name`` with ``context``; every failure is a TemplateError."""
    env = environment(extra)
    try:
        template = env.get_template(name)
        out, size = [], 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_MARKUP_CHARS:
                raise TemplateError(f"the template made more than {MAX_MARKUP_CHARS:,} characters; "
                                    "check for a runaway loop", template.filename or name)
            out.append(chunk)
        return "".join(out)
    except TemplateError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}", exc.filename or exc.name or name,
                            exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}", name) from None
    except SecurityError as exc:
        where, line = _template_line(exc)
        raise TemplateError(f"the template tried something not allowed: {exc}", where or name, line) from None
    except jinja2.UndefinedError as exc:
        where, line = _template_line(exc)
        raise TemplateError(f"undefined value: {exc.message}", where or name, line) from None
    except (RecursionError, MemoryError) as exc:
        raise TemplateError(f"the template could not finish ({type(exc).__name__})", name) from None
    except Exception as exc:  # a template calling a filter wrongly, dividing by zero...
        where, line = _template_line(exc)
        raise TemplateError(f"the template failed: {type(exc).__name__}: {exc}", where or name, line) from None
