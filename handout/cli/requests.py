"""What ``build`` needs besides its options: a saved plan merged with the command line, the
refusal to replace a file silently, and shell completion of program and exercise ids."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from .group import Failure


def planned_request(ctx: click.Context, plan_file: str, options: dict) -> HandoutRequest:
    """The plan in ``plan_file``, with every option typed on the command line laid over it
    (settings-file defaults do not override a plan). A bad option is bad usage (exit 2); what
    the plan itself asks for that cannot be met is a failure naming the plan (exit 1)."""
    from ..model.planfile import load_plan
    from ..model.request import HandoutRequest, load_clinic, make_request

    typed = {name: value.lower() if name == "page_size" else value for name, value in options.items()
             if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE}
    if "clinic_file" in typed:
        typed["clinic"] = load_clinic(typed.pop("clinic_file"))
    make_request(HandoutRequest, **typed)  # the command line's own values, checked on their own
    fields = dict(load_plan(plan_file))
    ctx.obj["from_plan"] = plan_file
    return make_request(HandoutRequest, **{**fields, **typed})


def refuse_existing(path: Path, force: bool) -> None:
    """Stop before an existing file would be replaced, unless ``--force`` says to."""
    if path.exists() and not path.is_symlink() and not force:  # a link: write_atomic refuses it
        raise Failure(f"{path} already exists (another patient's handout?); "
                      "give --force to replace it, or --out to name another file")


def _ids(ctx: click.Context, kind: str) -> list[str]:
    try:
        from ..model.library import load_library

        library = load_library(tuple(ctx.params.get("content_dirs") or ()))
    except Exception:  # completion must never fail the shell
        return []
    return sorted(library.programs if kind == "programs" else library.exercises)


def complete_program(ctx, param, incomplete: str):
    return [click.shell_completion.CompletionItem(i) for i in _ids(ctx, "programs") if i.startswith(incomplete)]


def complete_exercise(ctx, param, incomplete: str):
    if ":" in incomplete:
        return []
    return [click.shell_completion.CompletionItem(i) for i in _ids(ctx, "exercises") if i.startswith(incomplete)]
