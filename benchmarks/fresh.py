"""What a user feels before and beyond one warm handout: start-up and a worker's memory.

- **start-up**: ``handout --help`` beside ``python -c "import click"`` (the floor any Click
  program stands on), and a whole ``handout build`` as a fresh process, each the least of
  several runs, interleaved so drift on the machine touches both alike. Byte code is
  written once first (``PYTHONDONTWRITEBYTECODE`` is lifted for these runs, as an
  installed package has its ``.pyc`` files). The build row is a clinician's usual build:
  the disk cache (``handout/disk.py``) holds what the first build kept; a second row builds
  with an empty cache folder each time (the first build after the content or handout
  changed, which fills it);
- **memory**: one process building distinct patients' handouts one after another, as a
  batch worker does, and its resident memory (VmRSS) after each count.

Used by ``bench.py``; ``python benchmarks/fresh.py`` runs it alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
HELP_TARGET = 1.5    # handout --help at most this many times python -c "import click"
BUILD_TARGET = 0.5   # seconds for a fresh-process handout build
GROWTH_TARGET = 0.10  # RSS after the last count within this share of RSS after the first
RSS_TARGET_MB = 150


def _env() -> dict:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")]))
    return env


def _wall(args: list[str], cwd: str, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _cold_wall(args: list[str], cwd: str, env: dict) -> float:
    """``_wall`` with a disk cache folder of its own, empty."""
    with tempfile.TemporaryDirectory(prefix="handout-cold-") as folder:
        return _wall(args, cwd, {**env, "HANDOUT_CACHE_DIR": folder})


def startup_runs(repeats: int = 7) -> dict:
    """Least wall seconds of ``repeats`` fresh processes each: click's import, ``--help``,
    ``build`` (disk cache filled) and ``build_cold`` (disk cache empty)."""
    env = _env()
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="handout-start-") as tmp:
        commands = {
            "click": [py, "-c", "import click"],
            "help": [py, "-m", "handout", "--help"],
            "build": [py, "-m", "handout", "build", "--program", "ir-mobility", "--patient", "Zoë Ünal",
                      "--date", "2026-11-25", "--out", str(Path(tmp) / "a.pdf"), "--force"],
        }
        for args in commands.values():  # byte code written, files cached by the system
            _wall(args, tmp, env)
        best = {name: float("inf") for name in (*commands, "build_cold")}
        for _ in range(repeats):
            for name, args in commands.items():
                best[name] = min(best[name], _wall(args, tmp, env))
            best["build_cold"] = min(best["build_cold"], _cold_wall(commands["build"], tmp, env))
    best["help_ratio"] = best["help"] / best["click"]
    return best


MEMORY_SCRIPT = r"""
import datetime as dt, json, sys
sys.path.insert(0, sys.argv[1])
from bench import CLINIC, patients
from handout import Clinic, HandoutRequest, build_handout
from handout.render.reuse import SHARED

counts = [int(c) for c in sys.argv[2].split(",")]
clinic = Clinic(**CLINIC)
out = {}
for i, name in enumerate(patients(max(counts)), 1):
    build_handout(HandoutRequest(program="ir-mobility", patient=name, clinic=clinic, date=dt.date(2026, 11, 25)))
    if i in counts:
        with open("/proc/self/status") as f:
            rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        out[i] = {"rss_mb": rss / 1024, "kept": sum(SHARED.held().values()), "trial": sum(SHARED.on_trial().values())}
print(json.dumps(out))
"""


def memory_run(counts: tuple[int, ...] = (1000, 5000)) -> dict:
    """RSS (MB) and cache entries of one process after each count of distinct patients."""
    out = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, str(HERE), ",".join(map(str, counts))],
                         check=False, capture_output=True, text=True, env=_env())
    if out.returncode != 0:
        return {"error": (out.stderr or out.stdout).strip().splitlines()[-1:]}
    return {int(k): v for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items()}


CLICK_LABEL = 'python -c "import click"'


def report(start: dict, memory: dict, line: str) -> list[str]:
    """The rows bench.py prints, and each target met or not."""
    rows = [line, f"{'fresh process (least of runs, s)':34} {'wall s':>8} {'target':>8}", line,
            f"{CLICK_LABEL:34} {start['click']:8.3f}",
            f"{'handout --help':34} {start['help']:8.3f} {'':>8}  {start['help_ratio']:.2f} x click "
            f"(target <= {HELP_TARGET} x: {'met' if start['help_ratio'] <= HELP_TARGET else 'not met'})",
            f"{'handout build (ir-mobility)':34} {start['build']:8.3f} {BUILD_TARGET:8.2f}  "
            f"{'met' if start['build'] <= BUILD_TARGET else 'not met'}",
            f"{'  the same, disk cache empty':34} {start['build_cold']:8.3f}"]
    rows.append(line)
    if "error" in memory:
        rows.append(f"memory: failed {memory['error']}")
        return rows
    rows.append(f"{'one worker, distinct patients':34} {'RSS MB':>8} {'kept':>8} {'on trial':>8}")
    for count, got in sorted(memory.items()):
        rows.append(f"{f'  after {count:,} handouts':34} {got['rss_mb']:8.1f} {got['kept']:8d} {got['trial']:8d}")
    first, last = memory[min(memory)], memory[max(memory)]
    growth = last["rss_mb"] / first["rss_mb"] - 1
    met = growth <= GROWTH_TARGET and last["rss_mb"] < RSS_TARGET_MB
    rows.append(f"  growth {growth:+.1%} (target within {GROWTH_TARGET:.0%}, under {RSS_TARGET_MB} MB: "
                f"{'met' if met else 'not met'})")
    return rows


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    print("\n".join(report(startup_runs(3 if quick else 7), memory_run((200, 1000) if quick else (1000, 5000)),
                           "-" * 100)))
