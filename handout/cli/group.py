"""The ``handout`` group, the failure every command raises, and the options commands share.

Exit codes: 0 done, 1 the work failed, 2 bad usage. One readable message on stderr;
``--debug`` shows the traceback.
"""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import click

from ..errors import HandoutError, RequestError, quiet_library_logs, visible
from ..plugins_off import skip_plugin_lookup

DEFAULT_OUT = Path("output")
# A request's field, and the option that sets it: an error in one is bad usage (exit 2).
OPTION_OF = {"program": "--program", "exercise": "--exercise", "note": "--note", "qr": "--qr",
             "patient": "--patient", "clinician": "--clinician", "date": "--date", "page_size": "--page-size",
             "article": "--article", "log_weeks": "--log-weeks", "pain_limit": "--pain-limit", "notes": "--notes",
             "size": "--size", "layout": "--layout", "encoding": "--encoding", "date_format": "--date-format",
             "language": "--language"}


class Failure(click.ClickException):
    """A failed piece of work (exit 1), as opposed to bad usage (exit 2)."""

    exit_code = 1

    def show(self, file=None):
        click.echo(f"error: {visible(self.format_message())}", err=True)


class HandoutGroup(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except RequestError as exc:
            if (ctx.obj or {}).get("debug"):
                raise
            plan = (ctx.obj or {}).get("from_plan")
            if exc.field in OPTION_OF and not plan:
                raise click.UsageError(f"{OPTION_OF[exc.field]}: {exc.raw}") from None
            raise Failure(f"{plan}: {exc}" if plan else str(exc)) from None
        except HandoutError as exc:
            if (ctx.obj or {}).get("debug"):
                raise
            raise Failure(str(exc)) from None
        except click.exceptions.ClickException as exc:  # click repeats option values: shown, never run
            exc.message = visible(exc.message)
            raise
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug of ours: still one line, and the way to see more
            if (ctx.obj or {}).get("debug"):
                raise
            first = (str(exc).strip().splitlines() or [""])[0][:200]
            raise Failure(f"internal error ({type(exc).__name__}: {first}); run 'handout --debug ...' "
                          "to see where, and please report it") from None


@click.group(cls=HandoutGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.version_option(None, "-V", "--version", package_name="handout-pdf", prog_name="handout")
@click.pass_context
def cli(ctx, debug):
    """Printable patient handouts and gym wall posters for hip turning exercises.

    Defaults (clinic, clinician, page size, ...) come from the settings file that
    'handout config init' writes; options on the command line win.
    """
    from ..model.settings_path import settings_path

    ctx.obj = {"debug": debug}
    quiet_library_logs()
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch and not epoch.isdigit():  # ReportLab would fail on it halfway through a build
        raise click.UsageError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {visible(epoch[:30])!r}")
    path = settings_path()
    if ctx.invoked_subcommand == "config":
        ctx.obj["settings_path"] = path
        return
    settings = None
    if path.is_file():  # no file: no settings models loaded, no defaults to lay under the options
        from ..model.settings import load_settings

        settings = load_settings(path)
        ctx.default_map = default_map(settings)
    ctx.obj.update(settings=settings, settings_path=path)


def default_map(settings) -> dict:
    """Click's defaults for each command, from the settings file (the command line wins)."""
    request = {"clinic_file": settings.clinic, "clinician": settings.clinician, "page_size": settings.page_size,
               "large_print": settings.large_print, "log_weeks": settings.log_weeks,
               "pain_limit": settings.pain_limit, "out_dir": settings.output_folder, "language": settings.language}
    request = {k: v for k, v in request.items() if v is not None}
    clinic = {k: v for k, v in (("clinic_file", settings.clinic), ("language", settings.language)) if v}
    folder = {k: v for k, v in (("out_dir", settings.output_folder),) if v}
    check = {k: v for k, v in (("language", settings.language),) if v}
    return {"build": request, "markup": request, "poster": clinic, "batch": {**clinic, **folder}, "check": check}


_FOLDER_OPTIONS = {
    "content": click.option("--content", "content_dirs", multiple=True, type=click.Path(file_okay=False),
                            help="Your content folder, searched before the bundled one (repeatable)."),
    "templates": click.option("--templates", "template_dirs", multiple=True, type=click.Path(file_okay=False),
                              help="Your templates folder, searched before the bundled one (repeatable)."),
}


def language_option(what: str = "The language of the PDF"):
    """``--language``: en, or a language with a catalog (see handout/locale/)."""
    from ..model.i18n import languages

    return click.option("--language", type=click.Choice(languages()), help=f"{what} (default: en).")


def folder_options(*which: str):
    """The ``--content`` and ``--templates`` options (or only those named), as every command
    that reads content or templates declares them."""
    chosen = which or tuple(_FOLDER_OPTIONS)

    def decorate(fn):
        for name in reversed(chosen):
            fn = _FOLDER_OPTIONS[name](fn)
        return fn

    return decorate


def input_files(**files: str | None) -> dict[tuple[int, int], str]:
    """A command's input files by identity (device, inode), with what each is: no output of
    the same run may replace one, however its path is spelled."""
    from ..export.files import file_identity

    found = {}
    for what, path in files.items():
        identity = file_identity(path) if path else None
        if identity:
            found[identity] = f"the {what.replace('_', ' ')} {path}"
    return found


def report_written(path: Path, data: bytes, started: float, extra: str = "") -> None:
    """One line for a file just written: its size and how long it took."""
    took = (time.perf_counter() - started) * 1000
    click.echo(visible(f"wrote {path} ({len(data) / 1024:.0f} KB, {took:.0f} ms){extra}"))


def runs_on() -> None:
    """Collect garbage again (``main`` started without), for a command that runs on (a
    server, a batch): what start-up made is left out of it (``gc.freeze``), as it lives as
    long as the process."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def main(argv=None) -> None:
    """Console entry point."""
    # handout's models use no pydantic plugins; looking for them reads every installed
    # package's metadata (about 20 ms of each command's start). Set it to "" to look.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    skip_plugin_lookup()
    # Start-up makes some 10^5 objects that live as long as the process (modules, classes,
    # fonts, the library); the cyclic collector walks them again and again (160 passes in a
    # build, about a tenth of its time) and frees next to nothing: a build's peak memory is
    # 64.3 MB with it, 64.9 MB without. A one-shot command runs without it; one that runs on
    # turns it back on (``runs_on``).
    gc.disable()
    cli.main(args=argv, prog_name="handout")
