"""``handout batch ROSTER``: one PDF a roster row, in parallel, with a report.

Exit codes: 0 every row written or
skipped; 1 any row failed (a bad row, a failed build) or the roster could not be read;
2 bad usage; 130 interrupted by Ctrl-C, 143 by SIGTERM, 129 by SIGHUP (the report is
still written).
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import click

from ..errors import OutputError, visible
from ..export.roster_dates import DATE_FORMATS
from .group import DEFAULT_OUT, Failure, cli, folder_options, input_files, language_option, runs_on

MAX_SHOWN_ERRORS = 20


def _report_file(ctx, param, value):
    if value is not None and Path(value).suffix.lower() not in (".json", ".csv"):
        raise click.BadParameter(f'"{value}" must end in .json or .csv')
    return value


@cli.command("batch", epilog="\b\nExample:\n  handout batch content/roster.example.csv --out-dir output/batch --jobs 2")
@click.argument("roster", type=click.Path(exists=True, dir_okay=False))
@click.option("--out-dir", type=click.Path(file_okay=False), default=str(DEFAULT_OUT), show_default=True,
              help="Folder to write the PDFs, the report and the manifest into.")
@click.option("--jobs", "workers", type=click.IntRange(min=1), help="Worker processes (default: the CPU count).")
@click.option("--report", "report_file", type=click.Path(dir_okay=False), callback=_report_file,
              help="Report file, .json or .csv (default: batch-report.json and .csv in the output folder).")
@click.option("--fail-fast", is_flag=True, help="Run nothing if a row is bad; stop at the first failed PDF.")
@click.option("--force", is_flag=True, help="Rebuild every PDF, even those already up to date.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where the jobs run: local processes, or a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler, like tcp://10.0.0.5:8786 (implies --executor dask).")
@click.option("--scheduler-timeout", type=click.FloatRange(1, 3600), default=60, show_default=True, metavar="SECONDS",
              help="How long to wait for a Dask worker to join the scheduler before every row fails saying so.")
@click.option("--encoding", metavar="NAME", help="The CSV's text encoding, like cp1252 (default: UTF-8, or "
              "Windows-1252 with a warning when the file is not UTF-8).")
@click.option("--date-format", type=click.Choice(list(DATE_FORMATS), case_sensitive=False), metavar="FORMAT",
              help="How the date column is written, when not YYYY-MM-DD: DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY or "
              "DD-MM-YYYY (never guessed).")
@folder_options()
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False), help="Clinic profile YAML for every PDF.")
@language_option("The language of rows whose language cell is empty")
@click.pass_context
def batch_command(ctx, roster, out_dir, workers, report_file, fail_fast, force, executor, scheduler,
                  scheduler_timeout, encoding, date_format, content_dirs, template_dirs, clinic_file, language):
    """Make one PDF per row of a roster (CSV, XLSX, YAML or JSON), in parallel."""
    if scheduler and executor == "local":
        if ctx.get_parameter_source("executor") is not click.core.ParameterSource.DEFAULT:
            raise click.UsageError("--scheduler needs --executor dask")
        executor = "dask"
    from ..export.started import end_started, start_workers

    if executor == "local":  # the workers start while this process imports and reads the roster
        start_workers(workers, tuple(content_dirs or ()), tuple(template_dirs or ()))
    try:
        _run_batch(ctx, roster, out_dir, workers, report_file, fail_fast, force, executor, scheduler,
                   scheduler_timeout, encoding, date_format, content_dirs, template_dirs, clinic_file, language)
    finally:
        end_started()  # what no batch took (the roster could not be read, say)


def _run_batch(ctx, roster, out_dir, workers, report_file, fail_fast, force, executor, scheduler,
               scheduler_timeout, encoding, date_format, content_dirs, template_dirs, clinic_file, language):
    from ..export.batch import BatchInterrupted, export_batch
    from ..export.progress import ProgressBar
    from ..export.roster import read_roster
    from ..model.request import load_clinic

    inputs = input_files(roster=roster, clinic=clinic_file)
    _check_report_targets(report_file, out_dir, inputs)
    clinic = load_clinic(clinic_file) if clinic_file else None
    defaults = {"language": language} if language else None
    checked = read_roster(roster, content_dirs=content_dirs, template_dirs=template_dirs, clinic=clinic,
                          encoding=encoding, date_format=date_format, defaults=defaults, poster_defaults=defaults)
    for warning in checked.warnings:
        click.echo(visible(f"warning: {warning}"), err=True)
    _show(f"{roster} {e}" for e in checked.errors)
    bar = ProgressBar()
    stopped = None
    runs_on()  # a thousand rows' results come back here
    try:
        with bar if bar.is_terminal else nullcontext():
            report = export_batch(checked, out_dir, workers, bar if bar.is_terminal else None, executor,
                                  force, fail_fast, scheduler, scheduler_timeout=scheduler_timeout)
    except BatchInterrupted as stop:
        report, stopped = stop.report, stop
    written = _write_report(report, report_file, out_dir, inputs)
    click.echo(visible(f"{report.summary()}; report: {', '.join(str(p) for p in written)}"))
    bad_rows = {e.row for e in checked.errors}  # already shown above
    _show(f"row {r.row}: {r.error}" for r in report.failures if r.row not in bad_rows)
    for note in report.notes:
        click.echo(visible(f"warning: {note}"), err=True)
    if stopped is not None:
        click.echo("interrupted: finished PDFs were kept; rows not reached are \"not run\" in the report", err=True)
        ctx.exit(stopped.exit_code)
    if not report.ok:
        failed = report.counts["failed"] + report.counts["not run"]
        raise Failure(f"{failed} of {len(report.rows)} rows were not made; the report says why")


def _check_report_targets(report_file: str | None, out_dir: str, inputs: dict) -> None:
    """Refuse, before any work, a report that would replace the roster or something not a file."""
    from ..export.files import check_target
    from ..export.report import DEFAULT_REPORT_NAMES

    targets = [Path(report_file)] if report_file else [Path(out_dir) / n for n in DEFAULT_REPORT_NAMES]
    for target in targets:
        try:
            check_target(target, inputs)
        except OutputError as exc:
            if report_file:
                raise click.BadParameter(str(exc), param_hint="'--report'") from None
            raise


def _write_report(report, report_file: str | None, out_dir: str, inputs: dict) -> list[Path]:
    return [report.write(report_file, inputs)] if report_file else report.write_default(out_dir, inputs)


def _show(lines) -> None:
    """Print the first few problems to stderr; the report has them all."""
    shown = 0
    extra = 0
    for line in lines:
        if shown < MAX_SHOWN_ERRORS:
            click.echo(visible(line), err=True)
            shown += 1
        else:
            extra += 1
    if extra:
        click.echo(f"... and {extra} more (see the report)", err=True)
