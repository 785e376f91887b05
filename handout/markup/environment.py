"""The Jinja2 environment: sandboxed, strict, XML-escaped; user folders before bundled ones.

Clinics share templates by e-mail, so every template runs in Jinja2's sandbox and a
misspelt variable fails loudly (StrictUndefined) instead of printing nothing. The sandbox
is tightened (``limits.py``): loops, calls and filters count against a budget of steps and
seconds, values cannot grow past a size limit, and templates load only from files inside
the template folders (a symbolic link out of them is refused).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from jinja2.loaders import split_template_path

from ..disk import DISK, fingerprint
from ..errors import ContentError, TemplateError
from ..model.i18n import translations
from ..model.yamlfile import check_file
from ..paths import template_folders
from . import limits
from .limits import LimitError

MAX_MARKUP_CHARS = 4_000_000
MAX_TEMPLATE_BYTES = 1_000_000


class _ConfinedLoader(jinja2.FileSystemLoader):
    """A folder's templates, refusing files that resolve outside it, huge files and non-UTF-8."""

    def __init__(self, folder: str):
        super().__init__(folder)
        self.root = Path(folder).resolve()

    def get_source(self, environment, template):
        candidate = self.root.joinpath(*split_template_path(template))
        if candidate.exists():  # type and size by stat before a byte is read (a FIFO would hang)
            try:
                check_file(candidate, MAX_TEMPLATE_BYTES, "a template")
            except ContentError as exc:
                raise TemplateError(exc.issues[0].message, str(candidate)) from None
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except UnicodeDecodeError:
            raise TemplateError("not UTF-8 text", str(self.root / template)) from None
        if not Path(filename).resolve().is_relative_to(self.root):
            raise SecurityError(f"template {template} is a link to a file outside the template folders")
        if len(source) > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"template is larger than {MAX_TEMPLATE_BYTES:,} characters", filename)
        return source, filename, uptodate


class HandoutSandbox(SandboxedEnvironment):
    """Jinja2's sandbox plus the limits of ``limits.py``."""

    intercepted_binops = limits.INTERCEPTED_BINOPS
    concat = staticmethod(limits.guarded_buffer_concat)

    def unsafe_undefined(self, obj, attribute):
        """Refuse at once: Jinja's default returns an Undefined, which ``|list`` or ``repr`` would print."""
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe.")

    def call_binop(self, context, operator, left, right):
        limits.check_binop(operator, left, right)
        return limits.check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        limits.step()
        args, kwargs = limits.check_call(__obj, args, kwargs)
        return limits.check_size(super().call(__context, __obj, *args, **kwargs))

    def _generate(self, source, name, filename, defer_init=False):
        """Jinja2's documented hook: rewrite each loop and ``~`` to go through the guards."""
        source = limits.GuardTransformer().visit(source)
        source.set_environment(self)
        return super()._generate(source, name, filename, defer_init=defer_init)


class _DiskBytecode(jinja2.BytecodeCache):
    """Compiled templates kept on disk (``handout.disk``), so a fresh process does not
    compile them again. Jinja checks each against its source's checksum and the Python
    version; the key adds the code that shapes the compiled template (the guards)."""

    def __init__(self):
        self.code = fingerprint(__file__, limits.__file__, extra=jinja2.__version__)

    def load_bytecode(self, bucket) -> None:
        data = DISK.load("template", self.code + bucket.key.encode())
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        DISK.store("template", self.code + bucket.key.encode(), bucket.bytecode_to_string())


@lru_cache(maxsize=8)
def _environment(folders: tuple[str, ...], language: str = "en") -> SandboxedEnvironment:
    env = HandoutSandbox(
        extensions=["jinja2.ext.i18n"],
        loader=jinja2.ChoiceLoader([_ConfinedLoader(f) for f in folders]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        finalize=limits.printed,
        bytecode_cache=_DiskBytecode(),
    )
    env.globals["range"] = limits.capped_range
    env.globals["lipsum"] = limits.capped_lipsum
    env.filters = limits.guarded_filters(env.filters)
    # {% trans %} and _() in templates: the language's catalog (a string it lacks is an error)
    env.install_gettext_translations(translations(language), newstyle=True)
    return env


def environment(extra: tuple[str, ...] = (), language: str = "en") -> SandboxedEnvironment:
    """The cached environment for these user template folders and this language."""
    return _environment(template_folders(extra), language)


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


def render_template(name: str, context: dict, extra: tuple[str, ...] = (), language: str = "en") -> str:
    """Render template ``name`` with ``context`` in ``language``; every failure is a TemplateError."""
    env = environment(extra, language)
    try:
        with limits.budget():
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
        where, line = _template_line(exc)
        raise TemplateError(f"template not found: {exc.name}", where or name, line) from None
    except LimitError as exc:
        where, line = _template_line(exc)
        raise TemplateError(f"the template went over a limit: {exc}", where or name, line) from None
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
