"""The ``handout`` commands that make or show one thing: build, markup, poster, demo, list,
check, figures. Each parses options, calls the API, and writes or prints the result; the
stages are imported inside each command, so ``handout --help`` stays quick.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click

from ..export.files import write_atomic
from ..export.job import default_output, tiled_output
from ..model.request import Clinic, HandoutRequest, PosterRequest, load_clinic, make_request
from .group import DEFAULT_OUT, Failure, cli, folder_options, report_written


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f'"{value}" is not a real date written YYYY-MM-DD') from None


def request_options(fn):
    """The options shared by ``build`` and ``markup``."""
    options = [
        click.option("--program", help="Program id (see 'handout list programs') or a program YAML file."),
        click.option("--exercise", "exercises", multiple=True, metavar="ID[:SETSxREPS]",
                     help="Pick an exercise (repeatable); replaces the program's list."),
        click.option("--patient", default="", help="The patient's name, exactly as it should print."),
        click.option("--clinician", default="", help="The clinician's name."),
        click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False),
                     help="Clinic profile YAML (see content/clinic.example.yaml)."),
        click.option("--date", callback=_date, help="Date on the handout, YYYY-MM-DD (default: today)."),
        click.option("--page-size", type=click.Choice(["letter", "a4"], case_sensitive=False), default="letter",
                     show_default=True, help="Paper size."),
        click.option("--large-print", is_flag=True, help="18 pt and larger type throughout."),
        click.option("--article", type=click.Choice(["full", "summary", "none"]),
                     help="How much of the article to include (default: the program's choice)."),
        click.option("--log-weeks", type=click.IntRange(0, 12), help="Weeks of tick-off log."),
        click.option("--pain-limit", type=click.IntRange(0, 10), help="Most pain (0-10) that is OK (default 3)."),
        click.option("--notes", help="A note from the clinician, printed near the top."),
        click.option("--qr", help="A web address to print as a QR code."),
        click.option("--greyscale", is_flag=True, help="Grey only, for black-and-white printers."),
    ]
    fn = folder_options()(fn)
    for option in reversed(options):
        fn = option(fn)
    return fn


def _request(clinic_file, page_size, **fields) -> HandoutRequest:
    clinic = load_clinic(clinic_file) if clinic_file else Clinic()
    return make_request(HandoutRequest, clinic=clinic, page_size=page_size.lower(), **fields)


@cli.command()
@request_options
@click.option("--out", type=click.Path(dir_okay=False), help="Output PDF file (default: output/<name>.pdf).")
def build(out, **options):
    """Make a patient handout PDF."""
    from ..pipeline import handout as pipeline

    started = time.perf_counter()
    request = _request(**options)
    built = pipeline.build_handout_document(request)
    path = Path(out) if out else DEFAULT_OUT / default_output("handout", request)
    write_atomic(path, built.pdf)
    report_written(path, built.pdf, started, f", {built.record.pages} pages")


@cli.command()
@request_options
@click.option("--reference", is_flag=True, help="Print the markup reference (docs/markup.md) instead.")
def markup(reference, **options):
    """Print the markup a template makes (what the renderer reads)."""
    from ..markup.spec import reference_markdown
    from ..pipeline import handout as pipeline

    if reference:
        click.echo(reference_markdown(), nl=False)
        return
    click.echo(pipeline.render_markup(_request(**options)), nl=False)


@cli.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=str(DEFAULT_OUT), show_default=True,
              help="Folder to write into.")
def demo(out_dir):
    """Make example handouts from the bundled content alone."""
    from ..demo import demo_files, demo_roster
    from ..export import export_batch

    files = demo_files()
    while True:
        started = time.perf_counter()
        made = next(files, None)
        if made is None:
            break
        path = write_atomic(Path(out_dir) / made.name, made.data)
        report_written(path, made.data, started, f", {made.note}")
    batch_dir = Path(out_dir) / "batch"
    report = export_batch(demo_roster(), batch_dir)
    report.write_default(batch_dir)
    click.echo(f"{report.summary()} into {batch_dir} (report: {batch_dir / 'batch-report.csv'})")


@cli.command(name="list")
@click.argument("what", type=click.Choice(["exercises", "programs", "templates"]), default="programs")
@folder_options()
def list_(what, content_dirs, template_dirs):
    """List the exercises, programs or templates available."""
    from ..catalogue import list_lines

    for line in list_lines(what, content_dirs, template_dirs):
        click.echo(line)


@cli.command()
@folder_options()
def check(content_dirs, template_dirs):
    """Validate content and templates, and report reading levels."""
    from ..catalogue import check_all

    report = check_all(content_dirs, template_dirs)
    for line in report.lines:
        click.echo(line)
    if not report.ok:
        raise Failure(report.summary)
    click.echo(report.summary)


@cli.command()
@click.option("--out", type=click.Path(dir_okay=False), default=str(DEFAULT_OUT / "figures.pdf"),
              show_default=True, help="Output PDF file.")
@click.option("--page-size", type=click.Choice(["letter", "a4"], case_sensitive=False), default="letter",
              show_default=True, help="Paper size.")
@click.option("--greyscale", is_flag=True, help="Grey only.")
@folder_options("content")
def figures(out, page_size, greyscale, content_dirs):
    """Draw every exercise's figure on a review sheet."""
    from ..catalogue import review_sheet

    started = time.perf_counter()
    data = review_sheet(content_dirs, page_size.lower(), greyscale)
    write_atomic(Path(out), data)
    report_written(Path(out), data, started)


@cli.command()
@click.option("--program", help="Program id (see 'handout list programs') or a program YAML file.")
@click.option("--exercise", "exercises", multiple=True, metavar="ID[:SETSxREPS]",
              help="Pick an exercise (repeatable); replaces the program's list.")
@click.option("--size", type=click.Choice(["a3", "a2", "a1", "a0", "18x24in", "24x36in"], case_sensitive=False),
              default="a1", show_default=True)
@click.option("--landscape", is_flag=True, help="Wider than tall.")
@click.option("--viewing-distance", "viewing_distance_m", type=click.FloatRange(0.5, 20), default=2.0,
              show_default=True, metavar="METRES", help="Every text reads from here; the title from twice as far.")
@click.option("--fit", is_flag=True, help="If it does not fit, shrink the text and say how far it reads from.")
@click.option("--tile", "tile_onto", type=click.Choice(["letter", "a4"], case_sensitive=False),
              help="Also write the poster tiled onto office sheets, beside it.")
@click.option("--overlap", "overlap_mm", type=click.FloatRange(0, 50), metavar="MM",
              help="How much tiled sheets overlap (default 10).")
@click.option("--qr", help="A web address to print as a QR code.")
@click.option("--greyscale", is_flag=True, help="Grey only, for black-and-white printers.")
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False),
              help="Clinic profile YAML (see content/clinic.example.yaml).")
@folder_options()
@click.option("--out", type=click.Path(dir_okay=False),
              help="Output PDF file (default: output/poster-<program>-<size>.pdf).")
def poster(tile_onto, overlap_mm, clinic_file, out, **fields):
    """Make a wall poster of a program, legible from across the room."""
    from ..pipeline.poster import build_poster_document
    from ..pipeline.poster_size import metres
    from ..tiling import OVERLAP_MM, tile, tile_grid

    if overlap_mm is not None and not tile_onto:
        raise click.UsageError("--overlap applies only with --tile")
    started = time.perf_counter()
    clinic = load_clinic(clinic_file) if clinic_file else Clinic()
    request = make_request(PosterRequest, clinic=clinic, **{**fields, "size": fields["size"].lower()})
    built = build_poster_document(request)
    path = Path(out) if out else DEFAULT_OUT / default_output("poster", request)
    write_atomic(path, built.pdf)
    cols, rows = built.grid
    report_written(path, built.pdf, started, f", {built.label}, {built.exercises} exercises in {cols} x {rows}")
    shrunk = f" (text shrunk by --fit; asked for {metres(request.viewing_distance_m)})" if built.fitted else ""
    click.echo(f"readable from {metres(built.readable_from_m)}: smallest x-height "
               f"{built.smallest_x_height_mm:.1f} mm{shrunk}")
    if tile_onto:
        started = time.perf_counter()
        onto, overlap = tile_onto.lower(), OVERLAP_MM if overlap_mm is None else overlap_mm
        tiled = tile(built.pdf, onto, overlap)
        sheets = tile_grid(*built.page_size_pt, onto, overlap).count
        tiled_path = write_atomic(path.with_name(tiled_output(path.name, onto)), tiled)
        paper = "Letter" if onto == "letter" else "A4"
        report_written(tiled_path, tiled, started, f", {sheets} {paper} sheets and an assembly page")

