"""The ``handout`` group, the failure every command raises, and the options commands share.

Exit codes: 0 done, 1 the work failed, 2 bad usage. One readable message on stderr;
``--debug`` shows the traceback.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..errors import HandoutError

DEFAULT_OUT = Path("output")


class Failure(click.ClickException):
    """A failed piece of work (exit 1), as opposed to bad usage (exit 2)."""

    exit_code = 1

    def show(self, file=None):
        click.echo(f"error: {self.format_message()}", err=True)


class HandoutGroup(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except HandoutError as exc:
            if (ctx.obj or {}).get("debug"):
                raise
            raise Failure(str(exc)) from None
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug of ours: still one line, and the way to see more
            if (ctx.obj or {}).get("debug"):
                raise
            first = (str(exc).strip().splitlines() or [""])[0][:200]
            raise Failure(f"internal error ({type(exc).__name__}: {first}); run 'handout --debug ...' "
                          "to see where, and please report it") from None


@click.group(cls=HandoutGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.version_option(package_name="handout-pdf", prog_name="handout")
@click.pass_context
def cli(ctx, debug):
    """Printable patient handouts and gym wall posters for hip turning exercises."""
    ctx.obj = {"debug": debug}


_FOLDER_OPTIONS = {
    "content": click.option("--content", "content_dirs", multiple=True, type=click.Path(file_okay=False),
                            help="Your content folder, searched before the bundled one (repeatable)."),
    "templates": click.option("--templates", "template_dirs", multiple=True, type=click.Path(file_okay=False),
                              help="Your templates folder, searched before the bundled one (repeatable)."),
}


def folder_options(*which: str):
    """The ``--content`` and ``--templates`` options (or only those named), as every command
    that reads content or templates declares them."""
    chosen = which or tuple(_FOLDER_OPTIONS)

    def decorate(fn):
        for name in reversed(chosen):
            fn = _FOLDER_OPTIONS[name](fn)
        return fn

    return decorate


def report_written(path: Path, data: bytes, started: float, extra: str = "") -> None:
    """One line for a file just written: its size and how long it took."""
    took = (time.perf_counter() - started) * 1000
    click.echo(f"wrote {path} ({len(data) / 1024:.0f} KB, {took:.0f} ms){extra}")


def main(argv=None) -> None:
    """Console entry point."""
    cli.main(args=argv, prog_name="handout")
