"""``handout stamp``: after translating, record the English each translation was made from, so
``handout check --language LANG`` can name every field whose English changes later."""

from __future__ import annotations

import click

from ..errors import RequestError
from .group import cli, folder_options, language_option


@cli.command(epilog="\b\nExamples:\n  handout stamp --language es\n"
                    "  handout stamp --language es content/es/exercises/seated-ir.yaml\n"
                    "  handout stamp --language es --content my-content")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@folder_options("content")
@language_option("The translations to stamp")
def stamp(files, content_dirs, language):
    """Record the English that translations were made from (all, or only FILES).

    Run it after updating a translation; until then 'handout check --language LANG' warns
    about each field whose English has changed. Stamps the translations in your --content
    folders, or the bundled ones when none is given."""
    from ..export.files import write_atomic
    from ..model.stamps import stamp_texts

    if not language or language == "en":
        raise click.UsageError("--language: give the language of the translations to stamp, e.g. --language es")
    try:
        texts = stamp_texts(content_dirs, language, files)
    except RequestError as exc:
        raise click.UsageError(exc.raw) from None
    for path, text in texts.items():
        write_atomic(path, text.encode("utf-8"))
        click.echo(f"stamped {path}")
