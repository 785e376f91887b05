"""How fast bad input is refused and a big roster is checked: the timings the tests leave out.

    python benchmarks/checks.py [--rows N]

The tests bound these by steps, sizes and counts (the loop-step limit, the size limits, the
memory a row takes), never by seconds, so a busy machine cannot fail them. The seconds are
measured here, on demand:

- ``read_roster`` of a CSV with ``--rows`` rows (default 100,000; every tenth row a date that
  does not exist), the dry check ``handout batch`` runs before building anything;
- a few runaway templates and bombs, each refused by one of the limits, through the CLI, and
  a program file nested 5,000 deep (refused at 40 deep, but only once it is parsed).

It prints one line for scripts: ``roster_rows=… roster_s=… rows_per_s=… worst_refusal_s=…``.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

RUNAWAYS = {  # name -> the whole template; each must stop with a clear error
    "nested-loops": "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "string-bomb": "{{ 'x' * 1000000000 }}",
    "recursive-macro": "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "output-too-large": "{% for i in range(10000) %}{{ 'x' * 900 }}{% endfor %}",
    "too-many-elements": "{% for i in range(5000) %}{% for j in range(40) %}<p>x</p>{% endfor %}{% endfor %}",
}


def write_roster(path: Path, rows: int) -> None:
    programs = ("ir-mobility", "ir-strength", "ir-desk-break", "ir-advanced")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["patient", "patient_id", "program", "date", "page_size", "exercises"])
        for n in range(rows):
            date = "2026-02-30" if n % 10 == 9 else "2026-11-25"
            writer.writerow([f"Patient Zoë {n}", f"P-{n:06d}", programs[n % 4], date, "a4" if n % 2 else "",
                             "seated-ir:2x10; prone-ir" if n % 5 == 0 else ""])


def roster_seconds(folder: Path, rows: int) -> float:
    from handout import read_roster

    path = folder / "roster.csv"
    write_roster(path, rows)
    read_roster(Path(__file__).resolve().parent.parent / "content" / "roster.example.csv")  # warm up
    start = time.perf_counter()
    roster = read_roster(path)
    took = time.perf_counter() - start
    assert roster.rows == rows and len(roster.errors) == rows // 10
    return took


def refusal_seconds(folder: Path) -> dict[str, float]:
    from click.testing import CliRunner

    from handout.cli import cli

    out = {}
    for name, body in RUNAWAYS.items():
        templates = folder / name
        templates.mkdir()
        (templates / "handout.xml.j2").write_text(f"<document title='x'>{body}</document>\n", encoding="utf-8")
        start = time.perf_counter()
        result = CliRunner().invoke(cli, ["build", "--program", "ir-desk-break", "--article", "none",
                                          "--log-weeks", "0", "--templates", str(templates),
                                          "--out", str(folder / f"{name}.pdf")])
        out[name] = time.perf_counter() - start
        assert result.exit_code == 1, (name, result.stderr)
    deep = folder / "deep.yaml"
    deep.write_text("items: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    start = time.perf_counter()
    result = CliRunner().invoke(cli, ["build", "--program", str(deep), "--out", str(folder / "deep.pdf")])
    out["program-nested-deep"] = time.perf_counter() - start
    assert result.exit_code == 1 and "nested more than" in result.stderr, result.stderr
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the roster (default 100,000)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        roster_s = roster_seconds(folder, args.rows)
        refusals = refusal_seconds(folder)
    print(f"{'read_roster, ' + format(args.rows, ',') + ' rows':<32}{roster_s:8.2f} s")
    for name, took in refusals.items():
        print(f"{'refused: ' + name:<32}{took:8.2f} s")
    print(f"roster_rows={args.rows} roster_s={roster_s:.2f} rows_per_s={args.rows / roster_s:.0f} "
          f"worst_refusal_s={max(refusals.values()):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
