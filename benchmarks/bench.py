"""How fast handout is, beside the same document written by hand in ReportLab.

    python benchmarks/bench.py [--quick]

Measures, in one run on this machine:

- a handout (``ir-mobility``, Letter, normal and large print) built again and again in a warm
  process, a different patient each time: median and p90 per build, bytes per PDF;
- the same document written directly in ReportLab Platypus (``baseline.py``), timed the same
  way, as the yardstick;
- a poster at A1, and its tiling onto Letter;
- ``export_batch`` of 200 rows at 1 and 2 workers from a script, and ``handout batch`` of 1,000
  rows with ``--jobs 1`` and ``--jobs 2`` (the command as typed; it starts its workers before
  its own imports): wall time including start-up (a fresh Python process), handouts per
  second, and the peak memory (VmHWM) of each worker; the 1,000-row pair runs five times,
  alternated, and the least wall of each counts (this machine is shared: one run swings by a
  second or more); each pair's own ratio is printed too, raw and with each wall divided by its
  workers' CPU (both runs do the same work, so that takes out the host's speed in that minute,
  and also the few per cent more CPU two workers side by side need), and so are the
  core-seconds the hypervisor stole from each run;
- the first build in a fresh process (imports, fonts, content, templates);
- start-up as a user meets it (``handout --help`` beside ``import click``, a whole
  ``handout build``) and one worker's memory after 1,000 and 5,000 distinct patients
  (``fresh.py``).

It prints a table and, last, one line for scripts:
``per_handout_ms=… baseline_ms=… ratio=… batch_1000_s=… handouts_per_s=… jobs2_speedup=…
help_x_click=… build_s=… rss_1000_mb=… rss_5000_mb=…``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import itertools
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Measure this checkout (not an installed copy), here and in the fresh processes it starts.
sys.path[:0] = [str(HERE.parent), str(HERE)]
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")]))

from procs import steal_s, watch  # noqa: E402  (beside this file, found through the path set above)

DATE = dt.date(2026, 11, 25)
PROGRAM = "ir-mobility"
CLINIC = dict(name="Riverside Physiotherapy", phone="555 0199", website="riverside-physio.example",
              address="12 River Road, Springfield", brand_color="#1F6F8B")
FIRST = ["Zoë", "Olivia", "Nguyễn", "Αλέξανδρος", "Дмитрий", "Siobhán", "José", "Mary", "Kwame", "Ingrid",
         "Łukasz", "Aiyana", "Bjørn", "Chloé", "Dev", "Fatima", "Günther", "Hana", "Iñaki", "Jane"]
LAST = ["Ünal", "O'Brien", "Thị Minh Khai", "Παπαδόπουλος", "Иванов", "Murphy", "García", "Smith", "Mensah",
        "Larsen", "Wójcik", "Begay", "Håkonsen", "Dubois", "Patel", "Haddad", "Müller", "Sato", "Etxeberria",
        "Doe"]


def patients(n: int) -> list[str]:
    """``n`` different names, many with letters beyond ASCII, as a clinic's list would have
    (past the 400 first and last names make, with a middle initial, then a number)."""
    out = []
    for i in range(n):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7 + i // len(FIRST)) % len(LAST)]
        middle = "" if i < 400 else f" {'ABCDEFGHIJKLMNOPRSTUVWYZ'[(i // 400 - 1) % 24]}."
        number = "" if i < 400 * 25 else f" {i // (400 * 25)}"
        out.append(f"{first}{middle} {last}{number}")
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(fn, args_list: list, cpu: list | None = None) -> tuple[list[float], object]:
    """Wall seconds for each call of ``fn(*args)`` (CPU seconds appended to ``cpu``), and the
    last result."""
    times, out = [], None
    for args in args_list:
        start, start_cpu = time.perf_counter(), time.process_time()
        out = fn(*args)
        times.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
    return times, out


# --- (a), (b), (f): one handout, the project beside the hand-written baseline --------------


def handout_runs(builds: int) -> list[dict]:
    from baseline import build_baseline
    from pypdf import PdfReader
    import io

    from handout import Clinic, HandoutRequest, build_handout

    clinic = Clinic(**{k: v for k, v in CLINIC.items()})
    names = patients(builds + 3)
    rows = []
    for large in (False, True):
        requests = [HandoutRequest(program=PROGRAM, patient=n, clinic=clinic, date=DATE, large_print=large)
                    for n in names]
        base_args = [(n, CLINIC, DATE, "", "letter", large) for n in names]
        # Warm up both (fonts, content, templates, the first figures), then interleave the
        # measurements in blocks so drift on the machine touches both alike.
        timed(build_handout, [(r,) for r in requests[:3]])
        timed(build_baseline, base_args[:3])
        project, base, project_cpu, base_cpu = [], [], [], []
        block = 10
        for lo in range(3, len(names), block):
            t, pdf = timed(build_handout, [(r,) for r in requests[lo:lo + block]], project_cpu)
            project += t
            t, base_pdf = timed(build_baseline, base_args[lo:lo + block], base_cpu)
            base += t
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        base_pages = len(PdfReader(io.BytesIO(base_pdf)).pages)
        rows.append(dict(variant=f"letter, {'large' if large else 'normal'} print", project=project,
                         baseline=base, project_cpu=project_cpu, base_cpu=base_cpu, bytes=len(pdf),
                         base_bytes=len(base_pdf), pages=pages, base_pages=base_pages))
        gc.collect()
    return rows


# --- (c): the poster and its tiles ----------------------------------------------------------


def poster_runs(repeats: int) -> dict | str:
    try:
        from handout import Clinic, PosterRequest
        from handout.pipeline.poster import build_poster_document
        from handout.tiling import tile
    except ImportError as exc:
        return f"not available ({exc})"
    clinic = Clinic(**CLINIC)
    # Six exercises need --fit on A1 (read from a little under 2 m), as `handout demo` does.
    request = PosterRequest(program=PROGRAM, size="a1", clinic=clinic, fit=True)
    first_start = time.perf_counter()
    try:
        built = build_poster_document(request)
    except Exception as exc:  # a poster module half-written by its helper
        return f"not available ({type(exc).__name__}: {exc})"
    first = time.perf_counter() - first_start
    build_times, built = timed(build_poster_document, [(request,)] * repeats)
    tile_times, tiles = timed(tile, [(built.pdf, "letter")] * repeats)
    from pypdf import PdfReader
    import io

    sheets = len(PdfReader(io.BytesIO(tiles)).pages)
    return dict(first=first, build=build_times, tile=tile_times, bytes=len(built.pdf), tile_bytes=len(tiles),
                sheets=sheets, grid=built.grid, readable_m=built.readable_from_m)


# --- (d), (e): the batch, in a fresh process, with its workers' peak memory ----------------

BATCH_SCRIPT = r"""
import json, sys, time
t0 = time.perf_counter()
from handout import Clinic
from handout.export import export_batch, read_roster
from handout.export.started import start_workers
roster_path, out_dir, workers, clinic = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
if "--no-early-start" not in sys.argv:
    start_workers(workers)  # as `handout batch` does: the workers start while the roster is read
roster = read_roster(roster_path, clinic=Clinic(**clinic))
t1 = time.perf_counter()
report = export_batch(roster, out_dir, workers=workers)
t2 = time.perf_counter()
counts = {}
for row in report.rows:
    counts[row.status] = counts.get(row.status, 0) + 1
import resource
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"import_and_roster_s": t1 - t0, "export_s": t2 - t1, "counts": counts,
                  "cpu_s": usage.ru_utime + usage.ru_stime}))
"""


def write_roster(path: Path, rows: int) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["patient", "patient_id", "program", "date"])
        for i, name in enumerate(patients(rows)):
            w.writerow([name, f"P-{i + 1:05d}", PROGRAM, DATE.isoformat()])


_RUNS = itertools.count(1)


def batch_run(rows: int, workers: int, tmp: Path, cli: bool = False) -> dict:
    """One batch in a fresh process: ``export_batch`` from a script, or (``cli``) the command
    ``handout batch ROSTER --jobs N`` as a user types it, which starts its workers first."""
    roster = tmp / f"roster-{rows}.csv"
    if not roster.exists():
        write_roster(roster, rows)
    out = tmp / f"out-{rows}-{workers}-{next(_RUNS)}"  # a folder per run: a rerun into one would skip every row
    if cli:
        clinic = tmp / "clinic.json"
        clinic.write_text(json.dumps(CLINIC), encoding="utf-8")
        command = [sys.executable, "-m", "handout", "batch", str(roster), "--jobs", str(workers),
                   "--out-dir", str(out), "--clinic", str(clinic)]
    else:
        command = [sys.executable, "-c", BATCH_SCRIPT, str(roster), str(out), str(workers), json.dumps(CLINIC)]
    peaks: dict[int, int] = {}
    cpu: dict[int, float] = {}
    stop = threading.Event()
    stolen = steal_s()
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watcher = threading.Thread(target=watch, args=(proc, peaks, cpu, stop), daemon=True)
    watcher.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    stolen = steal_s() - stolen
    stop.set()
    watcher.join()
    if proc.returncode != 0:
        return dict(rows=rows, workers=workers, error=(stderr or stdout).strip().splitlines()[-1:])
    if cli:
        report = json.loads((out / "batch-report.json").read_text(encoding="utf-8"))
        counts: dict[str, int] = {}
        for row in report["rows"]:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        result = {"counts": counts, "import_and_roster_s": float("nan"), "export_s": float("nan"),
                  "cpu_s": cpu.get(proc.pid, 0.0)}
    else:
        result = json.loads(stdout.strip().splitlines()[-1])
    parent_kb = peaks.pop(proc.pid, 0)
    cpu.pop(proc.pid, None)
    # The workers are the biggest of the other processes (the forkserver is small).
    worker_kb = sorted(peaks.values(), reverse=True)[:workers]
    worker_cpu = sum(cpu.values())  # workers and forkserver, as last seen (at most 0.1 s before they ended)
    pdfs = sorted(out.glob("*.pdf"))
    sizes = [p.stat().st_size for p in pdfs]
    return dict(rows=rows, workers=workers, cli=cli, wall=wall, per_s=rows / wall, counts=result["counts"],
                startup=result["import_and_roster_s"], export=result["export_s"], parent_cpu=result["cpu_s"],
                worker_cpu=worker_cpu, steal=stolen,
                worker_mb=max(worker_kb) / 1024 if worker_kb else None, parent_mb=parent_kb / 1024,
                mean_bytes=statistics.mean(sizes) if sizes else 0, files=len(pdfs))


def batch_available() -> str | None:
    try:
        from handout.export import export_batch, read_roster  # noqa: F401
    except ImportError as exc:
        return f"not available ({exc})"
    return None


# --- the first build in a fresh process ------------------------------------------------------

COLD_SCRIPT = r"""
import json, sys, time, datetime as dt
t0 = time.perf_counter()
from handout import Clinic, HandoutRequest, build_handout
t1 = time.perf_counter()
r = HandoutRequest(program="ir-mobility", patient="Zoë Ünal", clinic=Clinic(**json.loads(sys.argv[1])),
                   date=dt.date(2026, 11, 25))
build_handout(r)
t2 = time.perf_counter()
build_handout(r.model_copy(update={"patient": "Sam Smith"}))
t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "first_s": t2 - t1, "second_s": t3 - t2}))
"""


def cold_run() -> dict:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", COLD_SCRIPT, json.dumps(CLINIC)], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if out.returncode != 0:
        return dict(error=out.stderr.strip().splitlines()[-1:])
    return dict(json.loads(out.stdout.strip().splitlines()[-1]), wall=wall)


# --- the report -------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import reportlab

    return (f"{os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), {cpu}; Python "
            f"{platform.python_version()}; ReportLab {reportlab.Version}")


def load() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine slows every number here."""
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


SPIN = ("import time\nw, c = time.perf_counter(), time.process_time()\n"
        "while time.process_time() - c < 0.5: pass\nprint(0.5 / (time.perf_counter() - w))")


def free_cores(n: int = 2) -> float:
    """How many cores ``n`` busy processes get now (other work on the machine takes the
    rest): the sum over them of CPU time / wall time while each spins for 0.5 s of CPU."""
    procs = [subprocess.Popen([sys.executable, "-c", SPIN], stdout=subprocess.PIPE, text=True) for _ in range(n)]
    return sum(float(proc.communicate()[0]) for proc in procs)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer builds, smaller batches (a smoke run)")
    parser.add_argument("--builds", type=int, help="builds per variant (default 60, quick 15)")
    parser.add_argument("--no-batch", action="store_true", help="skip the batch runs")
    parser.add_argument("--no-fresh", action="store_true", help="skip start-up and memory (fresh.py)")
    parser.add_argument("--batch-runs", type=int, default=None,
                        help="runs of the 1,000-row pair, 1 and 2 workers alternated; the least wall of each "
                             "counts (default 5, quick 1: one run on this shared machine swings by a second or more)")
    args = parser.parse_args(argv)
    builds = args.builds or (15 if args.quick else 60)
    repeats = 2 if args.quick else 5
    pair_runs = args.batch_runs or (1 if args.quick else 5)
    # (rows, workers, through the command line): the 1,000-row pair is `handout batch --jobs N`, as the
    # target is stated; the 200-row runs call export_batch from a script
    batches = ([(200, 1, False), (200, 2, False), (1000, 2, True)] if args.quick
               else [(200, 1, False), (200, 2, False)] + [(1000, 1, True), (1000, 2, True)] * pair_runs)

    print(f"machine: {machine()}")
    print(f"load average at start: {load()}; 2 busy processes get {free_cores():.1f} cores")
    print(f"handout: {builds} builds per variant, a different patient each; {PROGRAM}, Letter\n")
    cold = cold_run()
    runs = handout_runs(builds)
    warm_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    poster = poster_runs(repeats)

    line = "-" * 100
    print(line)
    print(f"{'one handout, warm process (ms)':34} {'median':>8} {'p90':>8} {'bytes':>9} {'pages':>6} "
          f"{'cpu med':>8}")
    print(line)
    for r in runs:
        print(f"{'project  ' + r['variant']:34} {ms(statistics.median(r['project']))} "
              f"{ms(percentile(r['project'], 0.9))} {r['bytes']:9d} {r['pages']:6d} "
              f"{ms(statistics.median(r['project_cpu']))}")
        print(f"{'baseline ' + r['variant']:34} {ms(statistics.median(r['baseline']))} "
              f"{ms(percentile(r['baseline'], 0.9))} {r['base_bytes']:9d} {r['base_pages']:6d} "
              f"{ms(statistics.median(r['base_cpu']))}")
        ratio = statistics.median(r["project"]) / statistics.median(r["baseline"])
        print(f"{'  ratio project / baseline':34} {ratio:8.2f}")
    if "error" in cold:
        print(f"first build in a fresh process: failed {cold['error']}")
    else:
        print(f"{'fresh process: import':34} {ms(cold['import_s'])}")
        print(f"{'fresh process: first build':34} {ms(cold['first_s'])}")
        print(f"{'fresh process: second build':34} {ms(cold['second_s'])}")
    print(f"{'peak RSS of this process (MB)':34} {warm_rss_mb:8.1f}")

    print(line)
    if isinstance(poster, str):
        print(f"poster: {poster}")
    else:
        print(f"{'poster A1 (ms)':34} {'median':>8} {'p90':>8} {'bytes':>9} {'pages':>6}")
        print(f"{'  first build in process':34} {ms(poster['first'])}")
        print(f"{'  build':34} {ms(statistics.median(poster['build']))} {ms(percentile(poster['build'], 0.9))} "
              f"{poster['bytes']:9d} {1:6d}")
        print(f"{'  tile onto Letter':34} {ms(statistics.median(poster['tile']))} {ms(percentile(poster['tile'], 0.9))} "
              f"{poster['tile_bytes']:9d} {poster['sheets']:6d}")

    print(line)
    batch_results = []
    missing = None if args.no_batch else batch_available()
    if args.no_batch:
        print("batch: skipped (--no-batch)")
    elif missing:
        print(f"batch: {missing}")
    else:
        print(f"{'export_batch (fresh process)':34} {'wall s':>8} {'pdf/s':>8} {'start s':>8} {'worker MB':>10} "
              f"{'parent MB':>10} {'bytes/pdf':>10} {'cpu s w+p':>10} {'cpu ms/pdf':>10} {'steal s':>8}  rows")
        with tempfile.TemporaryDirectory(prefix="handout-bench-") as tmp:
            for rows, workers, cli in batches:
                r = run_one_batch(rows, workers, Path(tmp), cli)
                batch_results.append(r)
        for r in batch_results:
            if "wall" in r and r["workers"] > 1 and not r["cli"]:
                print(f"  {r['rows']} rows, {r['workers']} workers if each had a core of its own: about "
                      f"{r['startup'] + r['worker_cpu'] / r['workers']:.1f} s (start-up + workers' CPU / workers)")
    speedup = None
    pair = {}
    for r in batch_results:  # the least wall of each worker count
        if r["rows"] == 1000 and "wall" in r and (r["workers"] not in pair or r["wall"] < pair[r["workers"]]["wall"]):
            pair[r["workers"]] = r
    if 1 in pair and 2 in pair:
        speedup = pair[1]["wall"] / pair[2]["wall"]
        least = f" (the least of {pair_runs} runs each)" if pair_runs > 1 else ""
        print(f"  handout batch, 1000 rows{least}: --jobs 2 {speedup:.2f} x as fast as --jobs 1 (target >= 1.8 x: "
              f"{'met' if speedup >= 1.8 else 'not met'}); 1000 rows on 2 workers {pair[2]['wall']:.2f} s "
              f"(target <= 8 s: {'met' if pair[2]['wall'] <= 8 else 'not met'})")
        ones = [r for r in batch_results if r["rows"] == 1000 and r["workers"] == 1 and "wall" in r]
        twos = [r for r in batch_results if r["rows"] == 1000 and r["workers"] == 2 and "wall" in r]
        if len(ones) > 1 and len(ones) == len(twos):  # each pair ran back to back, so in one spell of the host
            ratios = [one["wall"] / two["wall"] for one, two in zip(ones, twos)]
            print(f"  each pair run back to back: {', '.join(f'{x:.2f}' for x in ratios)} x; median "
                  f"{statistics.median(ratios):.2f} x (the host's speed moves 10-20 % between minutes, so the "
                  "least walls may come from different spells)")
            # Both runs of a pair do the same work, so their workers' CPU moves with the host's speed,
            # and with the few per cent more that two workers side by side need (they share caches).
            even = [(one["wall"] / one["worker_cpu"]) / (two["wall"] / two["worker_cpu"]) for one, two in zip(ones, twos)]
            print(f"  the same pairs, each wall per second of its workers' CPU (the host's speed taken out, and "
                  f"two workers' own slow-down beside each other): {', '.join(f'{x:.2f}' for x in even)} x; "
                  f"median {statistics.median(even):.2f} x")
    start = memory = None
    if not args.no_fresh:
        from fresh import memory_run, report, startup_runs

        start = startup_runs(3 if args.quick else 7)
        memory = memory_run((200, 1000) if args.quick else (1000, 5000))
        print("\n".join(report(start, memory, line)))
    print(line)
    print(f"load average at end: {load()}; 2 busy processes get {free_cores():.1f} cores")

    normal = runs[0]
    per = statistics.median(normal["project"]) * 1000
    base = statistics.median(normal["baseline"]) * 1000
    big = pair.get(2)
    batch_s = f"{big['wall']:.2f}" if big else "n/a"
    per_s = f"{big['per_s']:.1f}" if big else "n/a"
    fresh_part = ""
    if start is not None:
        rss = {k: f"{v['rss_mb']:.1f}" for k, v in memory.items()} if "error" not in memory else {}
        fresh_part = (f" help_x_click={start['help_ratio']:.2f} build_s={start['build']:.3f} "
                      + " ".join(f"rss_{k}_mb={v}" for k, v in sorted(rss.items())))
    print(f"per_handout_ms={per:.2f} baseline_ms={base:.2f} ratio={per / base:.3f} batch_1000_s={batch_s} "
          f"handouts_per_s={per_s} jobs2_speedup={f'{speedup:.2f}' if speedup else 'n/a'}{fresh_part}")
    return 0


def run_one_batch(rows: int, workers: int, tmp: Path, cli: bool = False) -> dict:
    r = batch_run(rows, workers, tmp, cli)
    label = (f"handout batch {rows} rows --jobs {workers}" if cli
             else f"{rows} rows, {workers} worker{'s' if workers > 1 else ''}")
    if "error" in r:
        print(f"{label:34} failed: {r['error']}")
        return r
    worker = f"{r['worker_mb']:10.1f}" if r["worker_mb"] else f"{'n/a':>10}"
    cpu = f"{r['worker_cpu']:.1f}+{r['parent_cpu']:.1f}"
    startup = f"{r['startup']:8.2f}" if not cli else f"{'-':>8}"
    print(f"{label:34} {r['wall']:8.2f} {r['per_s']:8.1f} {startup} {worker} {r['parent_mb']:10.1f} "
          f"{r['mean_bytes']:10.0f} {cpu:>10} {r['worker_cpu'] / rows * 1000:10.1f} {r['steal']:8.2f}  {r['counts']}")
    return r


if __name__ == "__main__":
    sys.exit(main())
