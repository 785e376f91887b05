"""``handout config init|show`` and ``handout clinic-example``: clinic defaults kept once.

Settings reading is the command line's business (the API never reads the file); see
``handout/model/settings.py`` for where the file lives and what it may hold.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .group import Failure, cli

DEFAULTS = {"clinic": "none (give --clinic)", "clinician": "none", "page_size": "letter", "large_print": "false",
            "log_weeks": "the program's", "pain_limit": "3", "output_folder": "output", "language": "en"}


@cli.group(epilog="\b\nExamples:\n  handout config init\n  handout config show")
def config():
    """Write or show the settings file that every command reads."""


def on_terminal() -> bool:
    return sys.stdin.isatty()


def _ask(value, label, required=False):
    if value is None and on_terminal():
        return click.prompt(label, default="" if not required else None, show_default=False) or None
    return value


@config.command(epilog='\b\nExample:\n  handout config init --clinic-name "Harbour Physio" --clinician "Sam Lee" '
                       "--page-size a4")
@click.option("--clinic-name", help="The clinic's name, as it should print (asked for on a terminal).")
@click.option("--clinician", help="The clinician named on every handout.")
@click.option("--phone", help="The clinic's phone number.")
@click.option("--address", help="The clinic's address.")
@click.option("--email", help="The clinic's email address.")
@click.option("--website", help="The clinic's web address.")
@click.option("--page-size", type=click.Choice(["letter", "a4"], case_sensitive=False), default="letter",
              show_default=True, help="Paper size of every handout.")
@click.option("--large-print", is_flag=True, help="Large print on every handout.")
@click.option("--output-folder", help="Folder for the PDFs (relative to the settings file).")
@click.option("--force", is_flag=True, help="Replace an existing settings file and clinic profile.")
@click.pass_context
def init(ctx, clinic_name, clinician, phone, address, email, website, page_size, large_print, output_folder, force):
    """Write the settings file and a clinic profile beside it."""
    from ..export.files import write_atomic
    from ..model.settings import clinic_text, load_settings, settings_text

    path: Path = ctx.obj["settings_path"]
    clinic_path = path.with_name("clinic.yaml")
    for existing in (path, clinic_path):
        if existing.exists() and not force:
            raise Failure(f"{existing} already exists; give --force to replace it")
    clinic_name = _ask(clinic_name, "Clinic name", required=True)
    if not clinic_name:
        raise click.UsageError("--clinic-name is needed when not on a terminal")
    clinician, phone, address, email, website = (
        _ask(v, label) for v, label in ((clinician, "Clinician"), (phone, "Phone"), (address, "Address"),
                                         (email, "Email"), (website, "Website")))
    write_atomic(clinic_path, clinic_text(clinic_name, phone, address, email, website, clinician).encode())
    write_atomic(path, settings_text(clinic_path.name, clinician, page_size.lower(), large_print,
                                     output_folder).encode())
    load_settings(path)  # what was written reads back
    click.echo(f"wrote {path} and {clinic_path}; every command now uses them")


@config.command(epilog="\b\nExample:\n  HANDOUT_CONFIG=~/clinic/settings.yaml handout config show")
@click.pass_context
def show(ctx):
    """Print each setting in effect and where it comes from."""
    from ..model.settings import load_settings

    path: Path = ctx.obj["settings_path"]
    settings = load_settings(path)
    click.echo(f"settings file: {path}{'' if path.is_file() else ' (not written yet: handout config init)'}")
    for name, default in DEFAULTS.items():
        value = getattr(settings, name)
        if value is None:
            click.echo(f"{name}: {default} (default)")
        else:
            shown = str(value).lower() if isinstance(value, bool) else value
            click.echo(f"{name}: {shown} (from {path})")


@cli.command("clinic-example", epilog="\b\nExample:\n  handout clinic-example --out my-clinic.yaml")
@click.option("--out", type=click.Path(dir_okay=False), default="my-clinic.yaml", show_default=True,
              help="Where to write the example clinic profile.")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def clinic_example(out, force):
    """Write an example clinic profile to copy and fill in."""
    from ..export.files import write_atomic
    from ..paths import bundled

    path = Path(out)
    if path.exists() and not force:
        raise Failure(f"{path} already exists; give --force to replace it")
    write_atomic(path, (bundled("content") / "clinic.example.yaml").read_bytes())
    click.echo(f"wrote {path}: put in your clinic's details, then 'handout build --clinic {path} ...'")
