"""The ``handout`` commands that make or show one thing: build, markup, poster, demo, list,
check, figures. Each parses options, calls the API, and writes or prints the result; the
stages are imported inside each command, so ``handout --help`` stays quick.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click

from ..errors import visible
from .group import DEFAULT_OUT, Failure, cli, folder_options, input_files, language_option, report_written
from .requests import complete_exercise, complete_program, planned_request, refuse_existing


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
        click.option("--program", shell_complete=complete_program,
                     help="Program id (see 'handout list programs') or a program YAML file."),
        click.option("--exercise", "exercises", multiple=True, metavar="ID[:DOSE]", shell_complete=complete_exercise,
                     help="Pick an exercise (repeatable); replaces the program's list. DOSE is 2x10 or fields: "
                          'sets=2,reps=10,hold=5,rest=30,per-day=2,days=5,side=left,load="red band",tempo=slow; '
                          "fields left out keep the program's dose."),
        click.option("--note", "exercise_notes", multiple=True, metavar="ID=TEXT", callback=_notes,
                     help="Your note on one exercise's card (repeatable)."),
        click.option("--patient", default="", help="The patient's name, exactly as it should print."),
        click.option("--clinician", default="", help="The clinician's name."),
        click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False),
                     help="Clinic profile YAML (see content/clinic.example.yaml)."),
        click.option("--date", callback=_date, help="Date on the handout, YYYY-MM-DD (default: today)."),
        click.option("--page-size", type=click.Choice(["letter", "a4"], case_sensitive=False), default="letter",
                     show_default=True, help="Paper size."),
        click.option("--large-print/--regular-print", help="18 pt and larger type throughout (or not, over a "
                     "settings file that asks for it)."),
        click.option("--layout", type=click.Choice(["standard", "compact"]),
                     help="compact: cards, the short safety box and a one-week log on 2 pages (default: standard)."),
        click.option("--article", type=click.Choice(["full", "summary", "none"]),
                     help="How much of the article to include (default: the program's choice)."),
        click.option("--log-weeks", type=click.IntRange(0, 12), help="Weeks of tick-off log."),
        click.option("--pain-limit", type=click.IntRange(0, 10), help="Most pain (0-10) that is OK (default 3)."),
        click.option("--notes", help="A note from the clinician, printed near the top."),
        click.option("--qr", help="A web address to print as a QR code."),
        click.option("--greyscale", is_flag=True, help="Grey only, for black-and-white printers."),
        language_option(),
    ]
    fn = folder_options()(fn)
    for option in reversed(options):
        fn = option(fn)
    return fn


def _notes(ctx, param, values):
    pairs = []
    for value in values:
        ident, sep, text = value.partition("=")
        if not sep or not ident.strip() or not text.strip():
            raise click.BadParameter(f'"{value}" is not ID=TEXT (like seated-ir="Go slowly.")')
        pairs.append((ident.strip(), text.strip()))
    return tuple(pairs)


def _request(clinic_file, page_size, **fields) -> HandoutRequest:
    from ..model.request import DEFAULT_CLINIC, HandoutRequest, load_clinic, make_request

    clinic = load_clinic(clinic_file) if clinic_file else DEFAULT_CLINIC
    for name in ("layout", "language"):
        if fields.get(name) is None:
            fields.pop(name, None)  # the request's own default
    return make_request(HandoutRequest, clinic=clinic, page_size=page_size.lower(), **fields)


BUILD_EXAMPLE = """\b
Examples:
  handout build --program ir-mobility --patient "Zoë Ünal"
  handout build --exercise seated-ir:sets=2,reps=10,hold=5 --note seated-ir="Go slowly." --save-plan zoe.yaml
  handout build --plan zoe.yaml --date 2027-01-10
"""


@cli.command(epilog=BUILD_EXAMPLE)
@request_options
@click.option("--plan", "plan_file", type=click.Path(exists=True, dir_okay=False),
              help="Build a saved plan again; options given here win (like a new --date).")
@click.option("--save-plan", type=click.Path(dir_okay=False), help="Also save the whole request as a plan YAML file.")
@click.option("--out", type=click.Path(dir_okay=False),
              help="Output PDF file (default: <out-dir>/<patient>-<program>-<date>.pdf).")
@click.option("--out-dir", type=click.Path(file_okay=False), default=str(DEFAULT_OUT), show_default=True,
              help="Folder for the default file name.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--open", "open_after", is_flag=True, help="Open the finished PDF in the system's viewer.")
@click.pass_context
def build(ctx, plan_file, save_plan, out, out_dir, force, open_after, **options):
    """Make a patient handout PDF."""
    from ..export.files import check_target, write_atomic
    from ..export.job import default_output
    from ..pipeline import handout as pipeline

    started = time.perf_counter()
    request = planned_request(ctx, plan_file, options) if plan_file else _request(**options)
    path = Path(out) if out else Path(out_dir) / default_output("handout", request)
    inputs = input_files(program_file=options["program"], clinic_profile=options["clinic_file"], plan=plan_file)
    refuse_existing(path, force)  # before the build: a refused file costs no work
    check_target(path, inputs)
    if save_plan:  # a plan may be saved over the plan it came from, never over another input
        check_target(save_plan, {k: v for k, v in inputs.items() if not v.startswith("the plan ")})
    built = pipeline.build_handout_document(request)
    write_atomic(path, built.pdf, inputs)
    report_written(path, built.pdf, started, f", {built.record.pages} pages")
    unsaid = pipeline.plan_handout(request).without_frequency()  # (the plan just made, kept)
    if unsaid:
        click.echo(visible(f"warning: {_cards(unsaid)} how many times but not how often; add it to "
                           f"{'its dose' if len(unsaid) == 1 else 'each dose'}: days=7 or per-day=2 "
                           f"(--exercise {unsaid[0].exercise.id}:days=7, or in a plan file)"), err=True)
    if save_plan:
        from ..model.planfile import save_plan as write_plan

        click.echo(f"saved the plan to {write_plan(request, save_plan, options['clinic_file'])}")
    if open_after:
        click.launch(str(path))


def _cards(cards) -> str:
    """"card 1 (Seated foot swing-out) says" or "cards 1 (...) and 2 (...) say"."""
    named = [f"{c.number} ({c.exercise.name})" for c in cards]
    if len(named) == 1:
        return f"card {named[0]} says"
    return f"cards {', '.join(named[:-1])} and {named[-1]} say"


@cli.command(epilog="\b\nExample:\n  handout markup --program ir-mobility > markup.xml")
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


@cli.command(epilog="\b\nExample:\n  handout demo --out output")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=str(DEFAULT_OUT), show_default=True,
              help="Folder to write into.")
def demo(out_dir):
    """Make example handouts from the bundled content alone."""
    from ..demo import demo_files, demo_roster
    from ..export import export_batch
    from ..export.files import write_atomic

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
    click.echo("to pick, dose, preview and print on a web page: handout serve --open")


@cli.command(name="list", epilog="\b\nExamples:\n  handout list programs\n  handout list exercises")
@click.argument("what", type=click.Choice(["exercises", "programs", "templates"]), default="programs")
@folder_options()
def list_(what, content_dirs, template_dirs):
    """List the exercises, programs or templates available."""
    from ..catalogue import list_lines

    for line in list_lines(what, content_dirs, template_dirs):
        click.echo(line)


@cli.command(epilog="\b\nExamples:\n  handout check --content my-content\n  handout check --language es")
@folder_options()
@language_option("Check the content and catalog of this language")
@click.option("--strict", is_flag=True, help="Count a translation whose English changed since it was stamped "
                                             "as a problem (exit 1), not a warning.")
def check(content_dirs, template_dirs, language, strict):
    """Validate content and templates, and report reading levels."""
    from ..catalogue import check_all

    report = check_all(content_dirs, template_dirs, language or "en", strict)
    for line in report.lines:
        click.echo(line)
    if not report.ok:
        raise Failure(report.summary)
    click.echo(report.summary)


@cli.command(epilog="\b\nExample:\n  handout figures --out output/figures.pdf")
@click.option("--out", type=click.Path(dir_okay=False), default=str(DEFAULT_OUT / "figures.pdf"),
              show_default=True, help="Output PDF file.")
@click.option("--page-size", type=click.Choice(["letter", "a4"], case_sensitive=False), default="letter",
              show_default=True, help="Paper size.")
@click.option("--greyscale", is_flag=True, help="Grey only.")
@folder_options("content")
def figures(out, page_size, greyscale, content_dirs):
    """Draw every exercise's figure on a review sheet."""
    from ..catalogue import review_sheet
    from ..export.files import check_target, write_atomic

    started = time.perf_counter()
    check_target(out)
    data = review_sheet(content_dirs, page_size.lower(), greyscale)
    write_atomic(Path(out), data)
    report_written(Path(out), data, started)


@cli.command(epilog="\b\nExamples:\n  handout poster --program ir-mobility --size a1\n"
             "  handout poster --program ir-desk-break --size a2 --tile letter")
@click.option("--program", help="Program id (see 'handout list programs') or a program YAML file.")
@click.option("--exercise", "exercises", multiple=True, metavar="ID[:SETSxREPS]",
              help="Pick an exercise (repeatable); replaces the program's list.")
@click.option("--size", default="a1", show_default=True, metavar="SIZE",
              help="a3, a2, a1, a0, 18x24in or 24x36in (also typed A1, 18x24 in, 18 x 24 in, 18x24).")
@click.option("--landscape", is_flag=True, help="Wider than tall.")
@click.option("--viewing-distance", "viewing_distance_m", type=click.FloatRange(0.5, 20),
              metavar="METRES", help="Every text must read from here, the title from twice as far "
              "(default: as far as the size allows, up to 2 m).")
@click.option("--fit", is_flag=True, help="If it does not fit at --viewing-distance, shrink the text and say "
              "how far it reads from.")
@click.option("--tile", "tile_onto", type=click.Choice(["letter", "a4"], case_sensitive=False),
              help="Also write the poster tiled onto office sheets, beside it.")
@click.option("--overlap", "overlap_mm", type=click.FloatRange(0, 50), metavar="MM",
              help="How much tiled sheets overlap (default 10).")
@click.option("--qr", help="A web address to print as a QR code.")
@click.option("--greyscale", is_flag=True, help="Grey only, for black-and-white printers.")
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False),
              help="Clinic profile YAML (see content/clinic.example.yaml).")
@language_option("The language of the poster")
@folder_options()
@click.option("--out", type=click.Path(dir_okay=False),
              help="Output PDF file (default: output/poster-<program>-<size>.pdf).")
def poster(tile_onto, overlap_mm, clinic_file, out, **fields):
    """Make a wall poster of a program, legible from across the room."""
    from ..export.files import check_target, write_atomic
    from ..export.job import default_output, tiled_output
    from ..model.request import DEFAULT_CLINIC, PosterRequest, load_clinic, make_request
    from ..pipeline.poster import build_poster_document
    from ..pipeline.poster_size import metres
    from ..model.poster_sizes import POSTER_SIZES_PT, poster_size_key
    from ..tiling import OVERLAP_MM, tile, tile_grid

    if overlap_mm is not None and not tile_onto:
        raise click.UsageError("--overlap applies only with --tile")
    started = time.perf_counter()
    clinic = load_clinic(clinic_file) if clinic_file else DEFAULT_CLINIC
    size = poster_size_key(fields["size"])
    if size is None:
        raise click.BadParameter(f"'{fields['size']}' is not one of the poster sizes: use one of "
                                 f"{', '.join(POSTER_SIZES_PT)}", param_hint="'--size'")
    if fields.get("language") is None:
        fields.pop("language")
    request = make_request(PosterRequest, clinic=clinic, **{**fields, "size": size})
    path = Path(out) if out else DEFAULT_OUT / default_output("poster", request)
    inputs = input_files(program_file=fields["program"], clinic_profile=clinic_file)
    tiled_path = path.with_name(tiled_output(path.name, tile_onto.lower())) if tile_onto else None
    for target in (path, tiled_path) if tiled_path else (path,):  # both checked before any work
        check_target(target, inputs)
    built = build_poster_document(request)
    write_atomic(path, built.pdf, inputs)
    cols, rows = built.grid
    report_written(path, built.pdf, started, f", {built.label}, {built.exercises} exercises in {cols} x {rows}")
    asked = request.viewing_distance_m
    shrunk = f" (text shrunk by --fit; asked for {metres(asked)})" if built.fitted else ""
    shrunk += "; short cues in place of steps" if built.short_steps else ""
    click.echo(f"readable from {metres(built.readable_from_m)}: smallest x-height "
               f"{built.smallest_x_height_mm:.1f} mm{shrunk}")
    if tile_onto:
        started = time.perf_counter()
        onto, overlap = tile_onto.lower(), OVERLAP_MM if overlap_mm is None else overlap_mm
        tiled = tile(built.pdf, onto, overlap)
        sheets = tile_grid(*built.page_size_pt, onto, overlap).count
        write_atomic(tiled_path, tiled, inputs)
        paper = "Letter" if onto == "letter" else "A4"
        report_written(tiled_path, tiled, started, f", {sheets} {paper} sheets and an assembly page")

